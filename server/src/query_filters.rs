//! Filters as the search page sees them: `field:value` tokens in the query text.
//!
//! The page narrows results by adding a filter token to `q` and widens them by removing it, so a
//! filtered search is an ordinary link that works without JavaScript and can be shared. Quoted phrases
//! are kept whole, so a `kind:x` inside quotes is not a filter.

/// A metadata field a query can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FilterField {
    Kind,
    Year,
    Date,
    Province,
    Sector,
    Organization,
    Title,
}

impl FilterField {
    /// The fields with facets, in the order the filter panel shows them.
    pub const FACETS: [FilterField; 5] =
        [FilterField::Kind, FilterField::Year, FilterField::Province, FilterField::Sector, FilterField::Organization];

    /// The field a filter name stands for (English names and their Vietnamese aliases).
    pub fn parse(name: &str) -> Option<FilterField> {
        match name.to_lowercase().as_str() {
            "kind" | "loai" | "loại" => Some(FilterField::Kind),
            "year" | "nam" | "năm" => Some(FilterField::Year),
            "date" | "ngay" | "ngày" => Some(FilterField::Date),
            "province" | "tinh" | "tỉnh" => Some(FilterField::Province),
            "sector" | "nganh" | "ngành" => Some(FilterField::Sector),
            "organization" | "org" => Some(FilterField::Organization),
            "title" | "tieude" => Some(FilterField::Title),
            _ => None,
        }
    }

    /// The name written in queries, and used as the facet's key in a search response.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterField::Kind => "kind",
            FilterField::Year => "year",
            FilterField::Date => "date",
            FilterField::Province => "province",
            FilterField::Sector => "sector",
            FilterField::Organization => "organization",
            FilterField::Title => "title",
        }
    }

    /// The heading shown to users.
    pub fn label_vi(self) -> &'static str {
        match self {
            FilterField::Kind => "Loại tài liệu",
            FilterField::Year => "Năm",
            FilterField::Date => "Ngày",
            FilterField::Province => "Tỉnh, thành phố",
            FilterField::Sector => "Ngành",
            FilterField::Organization => "Cơ quan, đơn vị",
            FilterField::Title => "Tiêu đề có",
        }
    }
}

/// A filter present in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    }
}
