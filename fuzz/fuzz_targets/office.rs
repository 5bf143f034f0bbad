//! Zip + XML documents: DOCX, PPTX and ODT, each reading the same bytes.
#![no_main]

use kho_indexer::extract::{extract_docx_text, extract_odt_text, extract_pptx_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = extract_docx_text(data);
    let _ = extract_pptx_text(data);
    let _ = extract_odt_text(data);
});
