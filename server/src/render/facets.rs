//! The search page's filters: the active ones, each removable (above the results), and the facets
//! (value counts over all matching documents, from the search response) that narrow the results (a panel
//! beside them, collapsible, collapsed by the page's script on phones).
//!
//! Every choice is a link that adds or removes a `field:value` token in the query (the filter table and
//! these operations are kho-core's, `kho_core::query`, so the page and the parser cannot disagree; the
//! active filters come with the search response), so filtering works without JavaScript and a filtered search can be
//! shared. When a response has no facets (none requested), the panel still offers the document kinds,
//! without counts.

use std::collections::BTreeMap;

use kho_core::facets::FacetCount;
use kho_core::metadata::facet_display_name;
use kho_core::schema::{kind_label, kind_value};
use kho_core::search::Sort;
use kho_core::Kind;

use kho_core::query::{with_filter, without_filters, ActiveFilter, FilterField};

use super::{escape, format_count, search_link};

/// The facet panel for query `q` with its `active` filters, with links keeping `sort`.
pub fn panel(q: &str, active: &[ActiveFilter], facets: &BTreeMap<String, Vec<FacetCount>>, sort: Sort) -> String {
    let mut html = String::from(
        r#"<aside class="filters" aria-labelledby="filters-heading"><details class="facets" open><summary><h2 id="filters-heading">Lọc kết quả</h2></summary>"#,
    );
    if facets.is_empty() {
        let kinds: Vec<FacetCount> = [Kind::News, Kind::Report, Kind::Toolkit]
            .into_iter()
            .map(|k| FacetCount { value: k.as_str().to_owned(), name: k.label_vi().to_owned(), count: 0 })
            .collect();
        html.push_str(&facet_group(q, FilterField::Kind, &kinds, active, sort));
    }
    for field in FilterField::FACETS {
        if let Some(values) = facets.get(field.as_str()).filter(|v| !v.is_empty()) {
            html.push_str(&facet_group(q, field, values, active, sort));
        }
    }
    html.push_str("</details></aside>");
    html
}

/// What users read for a filter value: the facet's display name ("Tin tức", "Bến Tre"), a year range
/// with a dash, a title filter in quotes.
pub fn value_label(field: FilterField, value: &str) -> String {
    match field {
        FilterField::Year | FilterField::Date => value.replace("..", "–"),
        FilterField::Title | FilterField::Caption => format!("“{value}”"),
        FilterField::Kind => kind_label(&kind_value(value)),
        FilterField::Province | FilterField::Sector | FilterField::Organization => {
            facet_display_name(field.as_str(), value)
        }
        FilterField::Number | FilterField::Issuer => value.to_owned(),
    }
}

/// The `active` filters of `q`, each a link that removes it; empty without filters.
pub fn active_list(q: &str, active: &[ActiveFilter], sort: Sort) -> String {
    if active.is_empty() {
        return String::new();
    }
    let mut html = String::from(r#"<div class="active-filters"><p class="active-title">Đang lọc theo:</p><ul>"#);
    for filter in active {
        let label = format!("{}: {}", filter.field.label_vi(), value_label(filter.field, &filter.value));
        html.push_str(&format!(
            r#"<li><a class="chip" href="{href}" aria-label="Bỏ lọc {label}">{label} <span aria-hidden="true">×</span></a></li>"#,
            href = escape(&search_link(&filter.query_without, sort)),
            label = escape(&label),
        ));
    }
    html.push_str("</ul>");
    if active.len() > 1 {
        html.push_str(&format!(
            r#"<a class="clear-filters" href="{}">Bỏ tất cả bộ lọc</a>"#,
            escape(&search_link(&without_filters(q), sort))
        ));
    }
    html.push_str("</div>");
    html
}

fn facet_group(q: &str, field: FilterField, values: &[FacetCount], active: &[ActiveFilter], sort: Sort) -> String {
    let mut html = format!(
        r#"<section class="facet"><h3 id="facet-{name}">{label}</h3><ul aria-labelledby="facet-{name}">"#,
        name = field.as_str(),
        label = field.label_vi(),
    );
    for value in values {
        let current = active.iter().find(|a| a.field == field && a.value.eq_ignore_ascii_case(&value.value));
        let href = match current {
            Some(filter) => search_link(&filter.query_without, sort),
            None => search_link(&with_filter(q, field, &value.value), sort),
        };
        let count = if value.count > 0 {
            format!(
                r#" <span class="facet-count">{}</span>"#,
                format_count(usize::try_from(value.count).unwrap_or(usize::MAX))
            )
        } else {
            String::new()
        };
        let name = if value.name.is_empty() { value.value.as_str() } else { value.name.as_str() };
        html.push_str(&format!(
            r#"<li><a href="{href}" data-facet="{token}"{current}>{label}{count}</a></li>"#,
            href = escape(&href),
            token = escape(&with_filter("", field, &value.value)),
            current = if current.is_some() { r#" aria-current="true" class="current""# } else { "" },
            label = escape(name),
        ));
    }
    html.push_str("</ul></section>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use kho_core::query::active_filters;

    fn count(value: &str, name: &str, count: u64) -> FacetCount {
        FacetCount { value: value.to_owned(), name: name.to_owned(), count }
    }

    #[test]
    fn offers_kinds_without_facets() {
        let html = panel("hội thảo", &[], &BTreeMap::new(), Sort::Relevance);
        assert!(html.contains(r#"href="/?q=h%E1%BB%99i+th%E1%BA%A3o+kind%3Anews" data-facet="kind:news""#), "{html}");
        assert!(html.contains("Tin tức"));
        assert!(active_list("hội thảo", &[], Sort::Relevance).is_empty());
    }

    #[test]
    fn renders_facets_with_counts_and_active_filters() {
        let facets = BTreeMap::from([
            ("kind".to_owned(), vec![count("news", "Tin tức", 12)]),
            ("year".to_owned(), vec![count("2011", "2011", 3)]),
            ("province".to_owned(), vec![count("ben-tre", "Bến Tre", 2)]),
        ]);
        let active = active_filters("dừa kind:news");
        let html = panel("dừa kind:news", &active, &facets, Sort::Date);
        assert!(html.contains(r#"aria-current="true""#), "{html}");
        assert!(html.contains(r#"<span class="facet-count">12</span>"#));
        assert!(html.contains("Bến Tre"));
        assert!(html.contains(r#"href="/?q=d%E1%BB%ABa+kind%3Anews+year%3A2011&amp;sort=date""#), "{html}");
        let active = active_list("dừa kind:news", &active, Sort::Date);
        assert!(active.contains(r#"aria-label="Bỏ lọc Loại tài liệu: Tin tức""#), "{active}");
        assert!(active.contains(r#"href="/?q=d%E1%BB%ABa&amp;sort=date""#), "{active}");
    }

    /// Caption filters are filters on the page too (the parser's table is the page's).
    #[test]
    fn caption_filters_are_listed_and_removable() {
        let q = r#"hội thảo caption:"Trần Thị Liên""#;
        let html = active_list(q, &active_filters(q), Sort::Relevance);
        assert!(html.contains("Chú thích ảnh có: “Trần Thị Liên”"), "{html}");
        assert!(html.contains(r#"href="/?q=h%E1%BB%99i+th%E1%BA%A3o""#), "{html}");
    }
}
