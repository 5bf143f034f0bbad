//! RTF: groups, control words, `\uN` fallbacks, `\'hh` bytes in the document's code pages.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kho_indexer::extract::extract_rtf_text(data);
});
