//! Encoding detection and decoding of text files (UTF-8, UTF-16, Windows-1258, TCVN3, VNI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kho_indexer::extract::decode_legacy_text(data);
    let _ = kho_indexer::extract::extract_plain_text(data);
});
