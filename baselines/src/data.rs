//! Reading the shared data files that both tools use (the news set is gzipped JSON Lines).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, Result};
use flate2::read::MultiGzDecoder;
use serde::de::DeserializeOwned;

/// Every record of a gzipped JSON Lines file, in file order, blank lines skipped, each passed to `keep`
/// (which decides whether it is collected): an unreadable line is an error naming the file and line.
pub fn read_jsonl_gz<T: DeserializeOwned>(path: &Path, mut keep: impl FnMut(&T) -> bool) -> Result<Vec<T>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut records = Vec::new();
    for (number, line) in BufReader::new(MultiGzDecoder::new(file)).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: T =
            serde_json::from_str(&line).with_context(|| format!("{}:{}: not a record", path.display(), number + 1))?;
        if keep(&record) {
            records.push(record);
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reads_gzipped_records_and_reports_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(File::create(&path).unwrap(), flate2::Compression::default());
        writeln!(gz, "{{\"n\": 1}}\n\n{{\"n\": 2}}\n{{\"n\": 3}}").unwrap();
        gz.finish().unwrap();
        let odd: Vec<serde_json::Value> = read_jsonl_gz(&path, |v: &serde_json::Value| v["n"] != 2).unwrap();
        assert_eq!(odd, [serde_json::json!({"n": 1}), serde_json::json!({"n": 3})]);

        let bad = dir.path().join("b.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(File::create(&bad).unwrap(), flate2::Compression::default());
        writeln!(gz, "{{\"n\": 1}}\nnot json").unwrap();
        gz.finish().unwrap();
        let error = read_jsonl_gz::<serde_json::Value>(&bad, |_| true).unwrap_err();
        assert!(format!("{error}").ends_with("b.jsonl.gz:2: not a record"), "{error}");
    }
}
