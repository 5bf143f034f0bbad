//! HTML text extraction (the article, its title and date).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kho_indexer::extract::extract_html_text(data);
});
