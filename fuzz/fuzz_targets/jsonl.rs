//! One JSON Lines record as `kho-index --jsonl` reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    let _ = kho_indexer::read_jsonl_record(line);
});
