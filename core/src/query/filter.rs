//! Filters: the one table of filter fields (query names, Vietnamese aliases, the labels users read),
//! the values each accepts, and the operations the search page performs on the filters of a query
//! string.
//!
//! The page narrows results by adding a `field:value` token to `q` and widens them by removing it, so a
//! filtered search is an ordinary link that works without JavaScript and can be shared. Quoted phrases
//! are kept whole, so a `kind:x` inside quotes is not a filter.

use serde::{Deserialize, Serialize};

use super::QueryError;
use crate::schema::kind_value;

/// A metadata field a query can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FilterField {
    Kind,
    Year,
    Date,
    Province,
    Sector,
    Organization,
    Title,
    Caption,
    Number,
    Issuer,
}

/// One row of the filter table.
pub struct FilterSpec {
    /// The name written in queries, and the facet's key in a search response.
    pub name: &'static str,
    /// Other names accepted in queries (Vietnamese, with and without diacritics), lowercase.
    pub aliases: &'static [&'static str],
    /// The heading shown to users.
    pub label_vi: &'static str,
}

impl FilterField {
    /// Every filter field.
    pub const ALL: [FilterField; 10] = [
        FilterField::Kind,
        FilterField::Year,
        FilterField::Date,
        FilterField::Province,
        FilterField::Sector,
        FilterField::Organization,
        FilterField::Title,
        FilterField::Caption,
        FilterField::Number,
        FilterField::Issuer,
    ];

    /// The fields with facets, in the order the filter panel shows them.
    pub const FACETS: [FilterField; 6] = [
        FilterField::Kind,
        FilterField::Year,
        FilterField::Province,
        FilterField::Sector,
        FilterField::Organization,
        FilterField::Issuer,
    ];

    /// This field's row of the table.
    pub const fn spec(self) -> &'static FilterSpec {
        const fn row(name: &'static str, aliases: &'static [&'static str], label_vi: &'static str) -> FilterSpec {
            FilterSpec { name, aliases, label_vi }
        }
        const KIND: FilterSpec = row("kind", &["loai", "loại"], "Loại tài liệu");
        const YEAR: FilterSpec = row("year", &["nam", "năm"], "Năm");
        const DATE: FilterSpec = row("date", &["ngay", "ngày"], "Ngày");
        const PROVINCE: FilterSpec = row("province", &["tinh", "tỉnh"], "Tỉnh, thành phố");
        const SECTOR: FilterSpec = row("sector", &["nganh", "ngành"], "Ngành");
        const ORGANIZATION: FilterSpec = row("organization", &["org"], "Cơ quan, đơn vị");
        const TITLE: FilterSpec = row("title", &["tieude"], "Tiêu đề có");
        const CAPTION: FilterSpec = row("caption", &["chuthich", "chú_thích", "hinh", "hình"], "Chú thích ảnh có");
        const NUMBER: FilterSpec = row("number", &["so", "số", "sohieu", "số_hiệu"], "Số, ký hiệu");
        const ISSUER: FilterSpec = row("issuer", &["coquan", "cơ_quan", "banhanh", "ban_hành"], "Cơ quan ban hành");
        match self {
            FilterField::Kind => &KIND,
            FilterField::Year => &YEAR,
            FilterField::Date => &DATE,
            FilterField::Province => &PROVINCE,
            FilterField::Sector => &SECTOR,
            FilterField::Organization => &ORGANIZATION,
            FilterField::Title => &TITLE,
            FilterField::Caption => &CAPTION,
            FilterField::Number => &NUMBER,
            FilterField::Issuer => &ISSUER,
        }
    }

    /// The field a filter name stands for (its name or an alias, in any case).
    pub fn parse(name: &str) -> Option<FilterField> {
        let name = name.to_lowercase();
        FilterField::ALL.into_iter().find(|field| {
            let spec = field.spec();
            spec.name == name || spec.aliases.contains(&name.as_str())
        })
    }

    /// The name written in queries, and used as the facet's key in a search response.
    pub fn as_str(self) -> &'static str {
        self.spec().name
    }

    /// The heading shown to users.
    pub fn label_vi(self) -> &'static str {
        self.spec().label_vi
    }
}

/// A restriction on metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A kind label: a built-in kind's name, or any other label as the archive gives it.
    Kind(String),
    Years {
        from: u64,
        to: u64,
    },
    /// Dates as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` prefixes, both ends included.
    Dates {
        from: String,
        to: String,
    },
    /// A facet value (slug) of `province`, `sector` or `organization`.
    Facet {
        field: &'static str,
        value: String,
    },
    /// Words that must appear in the title.
    Title(String),
    /// Words that must appear together in one figure or table caption ("Hình 1. …").
    Caption(String),
    /// A legal document's number, as its key (`crate::legal::number_key`).
    Number(String),
    /// A legal document's issuing body, as its key (`crate::legal::issuer_key`).
    Issuer(String),
}

/// The filter `text` is (`field:value`, with the value already unquoted by the lexer), `None` when it is
/// not one (an unknown field name, or no value), or an error for a known field with a bad value.
pub(super) fn parse_filter(text: &str) -> Result<Option<Filter>, QueryError> {
    let Some((name, value)) = text.split_once(':') else {
        return Ok(None);
    };
    if value.is_empty() {
        return Ok(None);
    }
    let Some(field) = FilterField::parse(name) else {
        return Ok(None);
    };
    match field {
        FilterField::Title => Ok(Some(Filter::Title(value.to_owned()))),
        FilterField::Caption => Ok(Some(Filter::Caption(value.to_owned()))),
        FilterField::Number => Ok(Some(Filter::Number(crate::legal::number_key(value)))),
        FilterField::Issuer => Ok(Some(Filter::Issuer(crate::legal::issuer_key(value)))),
        FilterField::Date => parse_dates(value).map(Some),
        FilterField::Province | FilterField::Sector | FilterField::Organization => {
            facet_filter(&name.to_lowercase(), field.as_str(), value)
        }
        FilterField::Kind => Ok(Some(Filter::Kind(kind_value(value)))),
        FilterField::Year => parse_years(value).map(Some),
    }
}

fn facet_filter(typed: &str, field: &'static str, value: &str) -> Result<Option<Filter>, QueryError> {
    let slug = crate::metadata::resolve_facet_value(field, value).ok_or_else(|| {
        QueryError::new(
            "bad_filter",
            &format!("Không biết giá trị {typed}:{value}"),
            &format!("unknown value in {typed}:{value}"),
        )
    })?;
    Ok(Some(Filter::Facet { field, value: slug.to_owned() }))
}

fn parse_dates(value: &str) -> Result<Filter, QueryError> {
    let bad = || {
        QueryError::new(
            "bad_filter",
            &format!("Ngày không hợp lệ: {value} (ví dụ date:2011-04 hoặc date:2011-04-01..2012-03-31)"),
            &format!("bad date: {value} (e.g. date:2011-04 or date:2011-04-01..2012-03-31)"),
        )
    };
    let valid = |d: &str| {
        let parts: Vec<&str> = d.split('-').collect();
        let lengths_ok =
            matches!(parts.iter().map(|p| p.len()).collect::<Vec<_>>().as_slice(), [4] | [4, 2] | [4, 2, 2]);
        lengths_ok && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    };
    let (from, to) = value.split_once("..").unwrap_or((value, value));
    if !valid(from) || !valid(to) || from > to {
        return Err(bad());
    }
    Ok(Filter::Dates { from: from.to_owned(), to: to.to_owned() })
}

fn parse_years(value: &str) -> Result<Filter, QueryError> {
    let bad = || {
        QueryError::new(
            "bad_filter",
            &format!("Năm không hợp lệ: {value} (ví dụ year:2011 hoặc year:2009..2013)"),
            &format!("bad year: {value} (e.g. year:2011 or year:2009..2013)"),
        )
    };
    let year = |s: &str| s.parse::<u64>().ok().filter(|y| (1000..=9999).contains(y));
    match value.split_once("..") {
        Some((from, to)) => {
            let (from, to) = (year(from).ok_or_else(bad)?, year(to).ok_or_else(bad)?);
            if from > to {
                return Err(bad());
            }
            Ok(Filter::Years { from, to })
        }
        None => year(value).map(|y| Filter::Years { from: y, to: y }).ok_or_else(bad),
    }
}

/// A filter present in the query, as the page shows it: its field, its value as typed, and the query
/// that removes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveFilter {
    pub field: FilterField,
    pub value: String,
    /// The query without this filter.
    pub query_without: String,
}

/// The query's terms: words, `-words`, filters and `"quoted phrases"` (kept whole, quotes included).
pub fn split_terms(q: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    for c in q.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        if c.is_whitespace() && !in_quotes {
            if !current.is_empty() {
                terms.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push(c);
    }
    if !current.is_empty() {
        terms.push(current);
    }
    terms
}

/// The filter a term is, if it is one: `field:value`, or `field:"a phrase"` (the value without quotes).
fn as_filter(term: &str) -> Option<(FilterField, &str)> {
    let (name, value) = term.split_once(':')?;
    let field = FilterField::parse(name)?;
    let value = match value.strip_prefix('"') {
        Some(quoted) => quoted.strip_suffix('"')?.trim(),
        None if value.contains('"') => return None,
        None => value,
    };
    (!value.is_empty()).then_some((field, value))
}

/// The filters of `q`, each with the query that removes it.
pub fn active_filters(q: &str) -> Vec<ActiveFilter> {
    let terms = split_terms(q);
    terms
        .iter()
        .enumerate()
        .filter_map(|(position, term)| {
            let (field, value) = as_filter(term)?;
            let rest: Vec<&str> =
                terms.iter().enumerate().filter(|(other, _)| *other != position).map(|(_, t)| t.as_str()).collect();
            Some(ActiveFilter { field, value: value.to_owned(), query_without: rest.join(" ") })
        })
        .collect()
}

/// `q` narrowed to `field:value`, replacing any filter on the same field.
pub fn with_filter(q: &str, field: FilterField, value: &str) -> String {
    let mut terms: Vec<String> =
        split_terms(q).into_iter().filter(|t| as_filter(t).is_none_or(|(f, _)| f != field)).collect();
    // A value with spaces (a kind such as "quyết định") is quoted, as the parser reads it back.
    let value = if value.contains(char::is_whitespace) { format!("\"{value}\"") } else { value.to_owned() };
    terms.push(format!("{}:{value}", field.as_str()));
    terms.join(" ")
}

/// `q` without any filter.
pub fn without_filters(q: &str) -> String {
    split_terms(q).into_iter().filter(|t| as_filter(t).is_none()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_every_field_once() {
        for field in FilterField::ALL {
            assert_eq!(FilterField::parse(field.as_str()), Some(field));
            for alias in field.spec().aliases {
                assert_eq!(FilterField::parse(alias), Some(field), "{alias}");
                assert_eq!(FilterField::parse(&alias.to_uppercase()), Some(field), "{alias}");
            }
            assert!(!field.label_vi().is_empty());
        }
        assert_eq!(FilterField::parse("poem"), None);
        let json = serde_json::to_string(&FilterField::Organization).unwrap();
        assert_eq!(json, r#""organization""#);
    }

    #[test]
    fn splits_terms_keeping_phrases() {
        assert_eq!(split_terms(r#"  "sản xuất sạch"  kind:news -sách "#), [r#""sản xuất sạch""#, "kind:news", "-sách"]);
    }

    #[test]
    fn finds_and_removes_filters() {
        let filters = active_filters(r#"hội thảo kind:news năm:2011 "loai:x y""#);
        assert_eq!(filters.len(), 2);
        assert_eq!((filters[0].field, filters[0].value.as_str()), (FilterField::Kind, "news"));
        assert_eq!(filters[0].query_without, r#"hội thảo năm:2011 "loai:x y""#);
        assert_eq!((filters[1].field, filters[1].value.as_str()), (FilterField::Year, "2011"));
        assert_eq!(filters[1].query_without, r#"hội thảo kind:news "loai:x y""#);
        assert!(active_filters("http://x.y kind:").is_empty());
        let caption = active_filters(r#"caption:"Trần Thị Liên" hội thảo"#);
        assert_eq!((caption[0].field, caption[0].value.as_str()), (FilterField::Caption, "Trần Thị Liên"));
        let title = active_filters(r#"mía title:"nhà máy""#);
        assert_eq!(
            (title[0].field, title[0].value.as_str(), title[0].query_without.as_str()),
            (FilterField::Title, "nhà máy", "mía")
        );
    }

    #[test]
    fn adds_filters_replacing_the_same_field() {
        assert_eq!(with_filter("hội thảo kind:report", FilterField::Kind, "news"), "hội thảo kind:news");
        assert_eq!(with_filter("hội thảo kind:report", FilterField::Year, "2011"), "hội thảo kind:report year:2011");
        assert_eq!(without_filters("hội thảo kind:report year:2011"), "hội thảo");
        let quoted = with_filter("luật", FilterField::Kind, "quyết định");
        assert_eq!(quoted, r#"luật kind:"quyết định""#);
        assert_eq!(active_filters(&quoted)[0].value, "quyết định");
    }
}
