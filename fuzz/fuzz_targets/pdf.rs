//! PDF text extraction (lopdf, content streams, fonts, CMaps).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kho_indexer::extract::extract_pdf_text(data);
});
