//! `calmdesk analyze [FILE] [--json]`: runs the message reader on a file or stdin and prints a
//! readable report, or the reading as JSON (the shape of issue 3). A message longer than the
//! reader reads (`reading::MAX_READ`) is read up to `truncated_at`, and both outputs say so.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;

use crate::reading::{MAX_READ, analyze, report_text};

/// Reads the message from `input` (stdin when `None` or "-") and writes the report to `out`.
/// Invalid UTF-8 is replaced (U+FFFD), so offsets refer to the text as read.
pub fn run(input: Option<&Path>, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let bytes = match input {
        Some(p) if p != Path::new("-") => {
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?
        }
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("cannot read standard input")?;
            buf
        }
    };
    // Mail pasted from odd places may carry invalid bytes: read what can be read.
    let text = String::from_utf8_lossy(&bytes);
    let reading = analyze(&text);
    let rendered = if json {
        let mut s = serde_json::to_string_pretty(&reading).context("cannot render JSON")?;
        s.push('\n');
        s
    } else {
        let mut s = String::new();
        if let Some(at) = reading.truncated_at {
            s.push_str(&format!(
                "Note: the message is {} bytes long; only the first {at} bytes were read \
                 (the reader reads at most {} bytes).\n\n",
                text.len(),
                MAX_READ
            ));
        }
        s.push_str(&report_text(&text, &reading));
        s
    };
    match out
        .write_all(rendered.as_bytes())
        .and_then(|()| out.flush())
    {
        // `calmdesk analyze --json | head` closing the pipe early is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write the report"),
    }
}
