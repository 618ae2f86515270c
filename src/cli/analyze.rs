//! `calmdesk analyze [FILE] [--json]`: runs the message reader on a file or stdin and prints a report.
