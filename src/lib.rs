//! calmdesk: a per-client journal and a guided cool-down for freelancers with difficult clients.
//!
//! The crate is layered. The core — `domain`, `reading`, `store`, `clock`, `demo` — never touches
//! egui; `ui` and `app` are a thin egui layer over it; `cli` is the command-line edge.

pub mod app;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod domain;
pub mod paths;
pub mod probe;
pub mod reading;
pub mod signals;
pub mod store;
pub mod ui;
