//! Helpers shared by the integration tests that promise to change nothing on disk.

/// Every file in `dir` with its bytes, sorted by name: two listings are equal only when no file
/// was created, removed or written.
pub fn folder_listing(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
