//! The query language: parsing, the page's filter operations, and the tantivy query built from it.
#![no_main]

use kho_core::query::{active_filters, build_query, parse_query, with_filter, without_filters, FilterField, Ranking};
use kho_core::query::Strictness;
use kho_core::schema::KhoSchema;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fields = KhoSchema::new();
    if let Ok(parsed) = parse_query(text) {
        for strictness in [Strictness::AllWords, Strictness::AnyWord] {
            let _ = build_query(&parsed, &fields, strictness, &Ranking::default());
        }
    }
    for filter in active_filters(text) {
        let _ = parse_query(&filter.query_without);
    }
    let _ = without_filters(text);
    let _ = with_filter(text, FilterField::Kind, "law");
});
