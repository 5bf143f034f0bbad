//! Dates written in Vietnamese text: "ngày 14/4/2011", "14-04-2011", "ngày 5 tháng 6 năm 2012",
//! "tháng 4 năm 2011", "tháng 9/2013".
//!
//! A document whose metadata gives no date is dated by its text: first a date introduced by "ngày"
//! (the event or signing date in news and reports), then any full date, then a month and year.

use std::sync::LazyLock;

use regex::Regex;

static DAY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    regex_or_panic(r"(?i)ngày\s+(\d{1,2})\s*(?:[/.-]\s*(\d{1,2})\s*[/.-]\s*|\s+tháng\s+(\d{1,2})\s+năm\s+)(\d{4})")
});
static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| regex_or_panic(r"\b(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})\b"));
static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| regex_or_panic(r"(?i)tháng\s+(\d{1,2})(?:\s+năm\s+|\s*/\s*)(\d{4})"));

// The patterns are constants checked by the tests below; a typo is a programming error.
#[allow(clippy::panic)]
fn regex_or_panic(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(re) => re,
        Err(e) => panic!("bad built-in date pattern {pattern}: {e}"),
    }
}

/// The first date the text gives, as `YYYY-MM-DD` (or `YYYY-MM` for a month), if any.
pub fn find_date(text: &str) -> Option<String> {
    for caps in DAY_WORD.captures_iter(text) {
        let day = caps.get(1)?.as_str();
        let month = caps.get(2).or_else(|| caps.get(3))?.as_str();
        if let Some(date) = ymd(caps.get(4)?.as_str(), month, day) {
            return Some(date);
        }
    }
    for caps in FULL_DATE.captures_iter(text) {
        if caps.get(2)?.as_str() != caps.get(4)?.as_str() {
            continue; // "2/3-2011" is not a date
        }
        if let Some(date) = ymd(caps.get(5)?.as_str(), caps.get(3)?.as_str(), caps.get(1)?.as_str()) {
            return Some(date);
        }
    }
    for caps in MONTH_YEAR.captures_iter(text) {
        let (month, year) = (caps.get(1)?.as_str().parse::<u32>().ok()?, caps.get(2)?.as_str());
        if (1..=12).contains(&month) && plausible_year(year) {
            return Some(format!("{year}-{month:02}"));
        }
    }
    None
}

/// A `YYYY-MM-DD` or `YYYY-MM` string from metadata, checked; `None` when it is not a date.
pub fn normalize_iso_date(text: &str) -> Option<String> {
    let text = text.trim();
    let (year, rest) = (text.get(0..4)?, text.get(4..)?);
    if !plausible_year(year) {
        return None;
    }
    let mut parts = rest.trim_start_matches('-').split(['-', 'T', ' ']);
    let month = parts.next().filter(|m| !m.is_empty());
    let day = parts.next();
    match (month, day) {
        (Some(m), Some(d)) => ymd(year, m, d),
        (Some(m), None) => m.parse::<u32>().ok().filter(|m| (1..=12).contains(m)).map(|m| format!("{year}-{m:02}")),
        _ => None,
    }
}

fn ymd(year: &str, month: &str, day: &str) -> Option<String> {
    let (m, d) = (month.parse::<u32>().ok()?, day.parse::<u32>().ok()?);
    if !plausible_year(year) || !(1..=12).contains(&m) || !(1..=days_in_month(year, m)).contains(&d) {
        return None;
    }
    Some(format!("{year}-{m:02}-{d:02}"))
}

fn plausible_year(year: &str) -> bool {
    year.len() == 4 && year.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y))
}

fn days_in_month(year: &str, month: u32) -> u32 {
    let y = year.parse::<u32>().unwrap_or(2001);
    match month {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_vietnamese_dates() {
        let cases = [
            ("Thực hiện kế hoạch, ngày\n14/4/2011, tại Khách sạn", Some("2011-04-14")),
            ("giai đoạn 2009-2013. Ngày 15/4/2011, Ban tổ chức", Some("2011-04-15")),
            ("ngày 5 tháng 6 năm 2012 tại Hà Nội", Some("2012-06-05")),
            ("Hội thảo diễn ra 14-04-2011 tại Bến Tre", Some("2011-04-14")),
            ("vào 20.5.2012", Some("2012-05-20")),
            ("trong tháng 9 năm 2013", Some("2013-09")),
            ("tháng 9/2013", Some("2013-09")),
            ("ngày 31/2/2011 rồi ngày 1/3/2011", Some("2011-03-01")), // impossible date skipped
            ("giai đoạn 2009-2013", None),
            ("tỷ lệ 2/3-2011", None),
            ("không có ngày tháng", None),
        ];
        for (text, expected) in cases {
            assert_eq!(find_date(text).as_deref(), expected, "text {text:?}");
        }
    }

    #[test]
    fn normalizes_metadata_dates() {
        let cases = [
            ("2011-04-14", Some("2011-04-14")),
            ("2011-04-14T08:00:00Z", Some("2011-04-14")),
            ("2013-09", Some("2013-09")),
            ("2011-13-01", None),
            ("hôm qua", None),
        ];
        for (text, expected) in cases {
            assert_eq!(normalize_iso_date(text).as_deref(), expected, "text {text:?}");
        }
    }
}
