//! Dates, the one place they are parsed and checked, always given back as `YYYY-MM-DD` (or `YYYY-MM`
//! for a month).
//!
//! Three kinds of text hold dates:
//!
//! - **Text dates**, written in Vietnamese running text: "ngày 14/4/2011", "14-04-2011",
//!   "ngày 5 tháng 6 năm 2012", "tháng 4 năm 2011", "tháng 9/2013" ([`find_date`]). A document whose
//!   metadata gives no date is dated by its text: first a date introduced by "ngày" (the event or
//!   signing date in news and reports), then any full date, then a month and year. Years outside
//!   1900..=2100 are taken for other numbers, not dates.
//! - **Metadata dates**, from a file's own metadata: ISO 8601 (`2017-06-19`,
//!   `2017-06-19T08:00:00+07:00`), `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD` or Vietnamese day-first
//!   `DD/MM/YYYY`, as HTML `<meta>`/`<time>`, OOXML `dcterms:created` and ODF `meta:creation-date`
//!   write them ([`metadata_date`]), with any four-digit year; and the `YYYY-MM-DD` or `YYYY-MM` a
//!   record or extractor hands on, checked again with the text dates' years ([`normalize_iso_date`]).
//! - **PDF dates**, the Info dictionary's `D:YYYYMMDDHHmmSS…` ([`pdf_date`]), with any four-digit year.
//!
//! Every full date passes the one calendar check, [`calendar_date`]: a month of the year and a day
//! that month has, counting leap years.

use std::sync::LazyLock;

use regex::Regex;

static DAY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    regex_or_panic(r"(?i)ngày\s+(\d{1,2})\s*(?:[/.-]\s*(\d{1,2})\s*[/.-]\s*|\s+tháng\s+(\d{1,2})\s+năm\s+)(\d{4})")
});
/// `d/m/yyyy`, `d-m-yyyy`, `d.m.yyyy`, standing alone (see [`full_dates`]: the word boundaries are checked
/// there, because a Unicode `\b` keeps the regex crate from its DFA on Vietnamese text and made this
/// pattern 6% of an import's CPU).
static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| regex_or_panic(r"(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})"));
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
    for caps in full_dates(text) {
        if caps.get(2)?.as_str() != caps.get(4)?.as_str() {
            continue; // "2/3-2011" is not a date
        }
        if let Some(date) = ymd(caps.get(5)?.as_str(), caps.get(3)?.as_str(), caps.get(1)?.as_str()) {
            return Some(date);
        }
    }
    for caps in MONTH_YEAR.captures_iter(text) {
        let (month, year) = (caps.get(1)?.as_str().parse::<u32>().ok()?, caps.get(2)?.as_str());
        if let Some(date) = plausible_year(year).and_then(|year| calendar_month(year, month)) {
            return Some(date);
        }
    }
    None
}

/// The matches of [`FULL_DATE`] that `\b(…)\b` would give: not preceded or followed by a word character
/// (Unicode's `\w`, as the regex crate defines it). A match that is not is dropped and the search goes on
/// one byte later; the pattern's shape (digits, a separator, digits …) leaves no other way to match
/// from the same start, so the matches are the same as with `\b`.
fn full_dates(text: &str) -> impl Iterator<Item = regex::Captures<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at <= text.len() {
            let caps = FULL_DATE.captures_at(text, at)?;
            let whole = caps.get(0)?;
            at = match text[whole.start()..].chars().next() {
                Some(first) => whole.start() + first.len_utf8(),
                None => text.len() + 1,
            };
            let before = text[..whole.start()].chars().next_back();
            let after = text[whole.end()..].chars().next();
            let stands_alone = ![before, after].into_iter().flatten().any(regex_syntax::is_word_character);
            if stands_alone {
                at = whole.end();
                return Some(caps);
            }
        }
        None
    })
}

/// A `YYYY-MM-DD` or `YYYY-MM` string from metadata, checked; `None` when it is not a date.
pub fn normalize_iso_date(text: &str) -> Option<String> {
    let text = text.trim();
    let (year, rest) = (text.get(0..4)?, text.get(4..)?);
    let y = plausible_year(year)?;
    let mut parts = rest.trim_start_matches('-').split(['-', 'T', ' ']);
    let month = parts.next().filter(|m| !m.is_empty());
    let day = parts.next();
    match (month, day) {
        (Some(m), Some(d)) => ymd(year, m, d),
        (Some(m), None) => calendar_month(y, m.parse::<u32>().ok()?),
        _ => None,
    }
}

/// A date in one of the forms found in file metadata (see the module docs), as `YYYY-MM-DD`.
pub(crate) fn metadata_date(text: &str) -> Option<String> {
    let text = text.trim();
    // Only the date part: a time after 'T' or a space must not be read as more date fields.
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    let fields: Vec<&str> = date_part.split(['-', '/', '.']).filter(|f| !f.is_empty()).collect();
    let number = |s: &str| -> Option<u32> {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    match fields.as_slice() {
        // Eight ASCII digits; a multi-byte letter in eight bytes ("2017năm") must not be split inside it.
        [compact] if compact.len() == 8 && compact.is_ascii() => {
            let (y, md) = compact.split_at(4);
            let (m, d) = md.split_at(2);
            four_digit_date(number(y)?, number(m)?, number(d)?)
        }
        [y, m, d, ..] if y.len() == 4 => four_digit_date(number(y)?, number(m)?, number(d)?),
        [d, m, y, ..] if y.len() == 4 => four_digit_date(number(y)?, number(m)?, number(d)?),
        _ => None,
    }
}

/// A PDF date, `D:YYYYMMDDHHmmSS…`, as `YYYY-MM-DD`; the `D:` prefix is optional in practice.
pub(crate) fn pdf_date(text: &str) -> Option<String> {
    let digits = text.trim().trim_start_matches("D:");
    let field = |range: std::ops::Range<usize>| -> Option<u32> {
        let s = digits.get(range)?;
        s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok())?
    };
    four_digit_date(field(0..4)?, field(4..6)?, field(6..8)?)
}

/// A text date's `YYYY-MM-DD`, from its digit strings, if the year is plausible and the day real.
fn ymd(year: &str, month: &str, day: &str) -> Option<String> {
    let (m, d) = (month.parse::<u32>().ok()?, day.parse::<u32>().ok()?);
    calendar_date(plausible_year(year)?, m, d)
}

/// A metadata or PDF date's `YYYY-MM-DD`: any four-digit year, and a real calendar day.
fn four_digit_date(year: u32, month: u32, day: u32) -> Option<String> {
    if !(1000..=9999).contains(&year) {
        return None;
    }
    calendar_date(year, month, day)
}

/// `YYYY-MM` if `month` is a month of the year.
fn calendar_month(year: u32, month: u32) -> Option<String> {
    (1..=12).contains(&month).then(|| format!("{year:04}-{month:02}"))
}

/// `YYYY-MM-DD` if `month` is a month of the year and `day` a day that month has in `year`, leap years
/// counted. The year is not bounded here: each kind of date bounds its own.
fn calendar_date(year: u32, month: u32, day: u32) -> Option<String> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// A text date's year: four characters reading as a year in 1900..=2100.
fn plausible_year(year: &str) -> Option<u32> {
    if year.len() != 4 {
        return None;
    }
    year.parse::<u32>().ok().filter(|y| (1900..=2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `parse` against a table of inputs and the dates they should give.
    fn check(parse: fn(&str) -> Option<String>, cases: &[(&str, Option<&str>)]) {
        for &(input, want) in cases {
            assert_eq!(parse(input).as_deref(), want, "input {input:?}");
        }
    }

    #[test]
    fn finds_vietnamese_dates() {
        check(
            find_date,
            &[
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
            ],
        );
    }

    /// The boundaries checked by hand give the matches of the pattern with `\b` on both sides.
    #[test]
    fn full_dates_are_the_word_bounded_matches() {
        let bounded = Regex::new(r"\b(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})\b").unwrap();
        let texts = [
            "",
            "ngày 14/4/2011 và 1.2.2013, 20-10-2010.",
            "123/4/2011 14/4/20115 ngày14/4/2011 14/4/2011a 14/4/2011_ 5/6/2012",
            "é14/4/2011 Đ14/4/2011 ồ 14/4/2011ồ (14/4/2011) «1/1/2001»",
            "14/4/2011/5/2012 12/12/2012 13/13/2013 1/2/3/4/2005",
            "\u{0661}\u{0664}/\u{0664}/\u{0662}\u{0660}\u{0661}\u{0661} 7/7/2007",
            "a\u{0301}14/4/2011 14/4/2011\u{0301} 9.9.1999",
        ];
        for text in texts {
            let ours: Vec<&str> = full_dates(text).filter_map(|c| c.get(0)).map(|m| m.as_str()).collect();
            let theirs: Vec<&str> = bounded.find_iter(text).map(|m| m.as_str()).collect();
            assert_eq!(ours, theirs, "text {text:?}");
        }
    }

    #[test]
    fn normalizes_metadata_dates() {
        check(
            normalize_iso_date,
            &[
                ("2011-04-14", Some("2011-04-14")),
                ("2011-04-14T08:00:00Z", Some("2011-04-14")),
                ("2013-09", Some("2013-09")),
                ("2011-13-01", None),
                ("hôm qua", None),
            ],
        );
    }

    #[test]
    fn metadata_dates() {
        check(
            metadata_date,
            &[
                ("2017-06-19", Some("2017-06-19")),
                ("2017/6/9", Some("2017-06-09")),
                ("2017.06.19", Some("2017-06-19")),
                ("19-06-2017", Some("2017-06-19")),
                ("2017-02-29", None),
                ("2016-02-29", Some("2016-02-29")),
                ("2017-13-01", None),
                ("2017", None),
                ("", None),
                ("abcd-ef-gh", None),
                ("20170619", Some("2017-06-19")),
                ("2017năm", None),
                ("010ngày", None),
            ],
        );
    }

    #[test]
    fn pdf_dates() {
        check(
            pdf_date,
            &[
                ("D:20170619", Some("2017-06-19")),
                ("D:20170619120000Z", Some("2017-06-19")),
                ("20170619", Some("2017-06-19")),
                ("D:201706", None),
                ("D:20171319", None),
                ("D:2017061x", None),
                ("", None),
            ],
        );
    }

    #[test]
    fn calendar_days_count_leap_years() {
        let cases = [
            ((2000, 2, 29), Some("2000-02-29")),
            ((1900, 2, 29), None),
            ((2024, 2, 29), Some("2024-02-29")),
            ((2023, 4, 31), None),
            ((2023, 12, 31), Some("2023-12-31")),
            ((2023, 0, 1), None),
            ((2023, 1, 0), None),
        ];
        for ((year, month, day), want) in cases {
            assert_eq!(calendar_date(year, month, day).as_deref(), want, "date {year}-{month}-{day}");
        }
    }

    #[test]
    fn each_kind_keeps_its_years() {
        // Running text: 1900..=2100. Metadata and PDF: any four-digit year.
        assert_eq!(find_date("ngày 1/1/1899"), None);
        assert_eq!(normalize_iso_date("1899-01-01"), None);
        assert_eq!(metadata_date("1899-01-01").as_deref(), Some("1899-01-01"));
        assert_eq!(pdf_date("D:10000101").as_deref(), Some("1000-01-01"));
        assert_eq!(pdf_date("D:09990101"), None);
    }
}
