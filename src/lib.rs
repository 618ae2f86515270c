//! calmdesk: a per-client journal and a guided cool-down for freelancers with difficult clients.
//!
//! The crate is layered. `domain`, `reading` and `store` are the core and never touch egui;
//! `ui` and `app` are a thin egui layer over them; `cli` is the command-line edge.

pub mod cli;
pub mod reading;
