//! The egui layer: one view per file, each drawing from read-only data and returning
//! [`Action`]s that the app applies after the frame. Nothing here touches the store.

pub mod action;
pub mod backdrop;
pub mod client_form;
pub mod client_list;
pub mod cooldown;
pub mod data;
pub mod details;
pub mod exchange_form;
pub mod fonts;
pub mod format;
pub mod journal;
pub mod ledger;
pub mod picture;
pub mod search;
pub mod settings;
pub mod strings;
pub mod welcome;
pub mod widgets;
pub mod workspace;

pub use action::{Action, Command};
pub use strings::{Plural, Strings, UiLanguage};
