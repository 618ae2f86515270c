//! `calmdesk analyze`: the library entry point the binary calls, on a file and with `--json`.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use std::io::Write;

use calmdesk::cli::analyze::run;

#[test]
fn analyze_a_file_as_json_and_as_a_report() {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    write!(file, "Верните $400 немедленно! Иначе я подам в суд.").expect("write");
    let mut out = Vec::new();
    run(Some(file.path()), true, &mut out).expect("run --json");
    let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(v["language"], "ru");
    assert!(v["heat"].as_u64().is_some_and(|h| h <= 100));
    let labels: Vec<String> = v["sentences"]
        .as_array()
        .expect("sentences")
        .iter()
        .flat_map(|s| s["labels"].as_array().cloned().unwrap_or_default())
        .filter_map(|l| l.as_str().map(str::to_string))
        .collect();
    assert!(labels.contains(&"demand".to_string()) && labels.contains(&"threat".to_string()));

    let mut out = Vec::new();
    run(Some(file.path()), false, &mut out).expect("run");
    let report = String::from_utf8(out).expect("utf-8");
    assert!(report.contains("Sentences:"));
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let mut out = Vec::new();
    let err = run(
        Some(std::path::Path::new("/nonexistent/message.txt")),
        true,
        &mut out,
    )
    .expect_err("must fail");
    assert!(err.to_string().contains("cannot read"));
}

#[test]
fn a_truncated_paste_is_said_in_the_report_and_in_json() {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    let line = "Please send the files today. Верните деньги.\n";
    let text = line.repeat((calmdesk::reading::MAX_READ * 2) / line.len());
    file.write_all(text.as_bytes()).expect("write");
    let mut out = Vec::new();
    run(Some(file.path()), true, &mut out).expect("run --json");
    let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    let at = v["truncated_at"].as_u64().expect("truncated_at in --json");
    assert!(at as usize <= calmdesk::reading::MAX_READ);
    let mut out = Vec::new();
    run(Some(file.path()), false, &mut out).expect("run");
    let report = String::from_utf8(out).expect("utf-8");
    assert!(
        report.starts_with(&format!(
            "Note: the message is {} bytes long; only the first {at} bytes",
            text.len()
        )),
        "{}",
        &report[..200]
    );
}
