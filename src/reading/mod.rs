//! The message reader.
