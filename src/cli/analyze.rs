//! `calmdesk analyze [FILE] [--json]`: runs the message reader on a file or stdin and prints a report.

use std::io::Write;
use std::path::Path;

/// Reads the message from `input` (stdin when `None` or "-") and writes the report to `out`.
pub fn run(_input: Option<&Path>, _json: bool, _out: &mut dyn Write) -> anyhow::Result<()> {
    anyhow::bail!("the reader is being built on the reader branch")
}
