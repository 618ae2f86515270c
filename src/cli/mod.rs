//! The command line: flags for the GUI and the subcommands that run without a window.

pub mod analyze;
