//! Word 97-2003 documents: the compound file, FIB, piece table and SummaryInformation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kho_indexer::extract::extract_doc_text(data);
});
