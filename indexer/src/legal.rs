//! Vietnamese legal and administrative documents: their heading block, read from the opening text.
//!
//! A document issued by a state body opens with the same block whatever its file format (the layout
//! is set by Decree 30/2020/NĐ-CP on administrative documents):
//!
//! ```text
//! QUỐC HỘI                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM      issuing body | national motto
//! --------                      Độc lập - Tự do - Hạnh phúc
//! Luật số: 24/2018/QH14         Hà Nội, ngày 12 tháng 6 năm 2018    number       | place and date
//!
//!                               LUẬT                                 type
//!                           AN NINH MẠNG                             subject (one or more lines)
//! ```
//!
//! Extractors give the two columns either as separate lines (DOCX table cells) or side by side on one
//! line (PDF), so [`recognise`] finds each part by its own pattern in the first lines of the body rather
//! than by position: the motto by its words, the number after "Số:" (always with a slash), the date
//! as "ngày … tháng … năm …", the type as a whole upper-case line from [`TYPES`], the issuer as the
//! upper-case lines before the motto. A document is legal when it has the motto, or a number and a
//! type line; anything else (a workshop report that opens with "BÁO CÁO"), and a form whose heading
//! has blanks to fill ("ngày [..] tháng [..]"), keeps what it had.
//!
//! # What the heading gives the document
//!
//! - **title**: the type in sentence case, then the subject: "LUẬT" + "AN NINH MẠNG" → "Luật An ninh
//!   mạng"; "QUYẾT ĐỊNH" + "Về việc phê duyệt …" → "Quyết định về việc phê duyệt …". An upper-case
//!   subject is lowercased except its first letter and the proper names it contains (provinces, "Việt
//!   Nam", "Quốc hội", "Chính phủ"). The subject keeps its capital after the types that name an act
//!   (luật, bộ luật, pháp lệnh, hiến pháp: "Luật An ninh mạng") and starts lower-case after the others,
//!   which read as a sentence ("Nghị định quy định chi tiết …"). A *công văn* has no type line; its
//!   subject is the "V/v …" line under the number: "Công văn về việc …".
//! - **number** as printed ("24/2018/QH14", "1419/QĐ-TTg"), spaces around slashes removed;
//! - **issuer**: the issuing body's name in its usual case ("Quốc hội", "Bộ Công Thương", "Sở Công
//!   Thương Bến Tre" from "UBND TỈNH BẾN TRE / SỞ CÔNG THƯƠNG"), the organization gazetteer's name when it
//!   knows the body (so it reads as the organization facet does);
//! - **date**: the signing date of the heading;
//! - **kind**: the type in lowercase ("luật", "quyết định", "công văn"), an open kind.
//!
//! How they combine with what else is known is decided in `document`: explicit statements (a manifest,
//! a JSON Lines record's fields) win over the heading, and the heading wins over what a file's own
//! properties or a folder name guess.

use std::sync::LazyLock;

use kho_core::metadata::{facet_name, resolve_facet_value, PROVINCES};
use regex::Regex;

use crate::date::find_date;

/// How much of the body the heading is looked for in.
const OPENING_LINES: usize = 40;
const OPENING_CHARS: usize = 3000;
/// Most lines a subject spans.
const MAX_SUBJECT_LINES: usize = 4;
/// A subject line longer than this is body text.
const MAX_SUBJECT_LINE_CHARS: usize = 300;

/// The document types a heading's type line names, upper case as printed, longest first where one
/// starts another ("THÔNG TƯ LIÊN TỊCH" before "THÔNG TƯ").
pub const TYPES: &[&str] = &[
    "HIẾN PHÁP",
    "BỘ LUẬT",
    "LUẬT",
    "PHÁP LỆNH",
    "LỆNH",
    "NGHỊ QUYẾT LIÊN TỊCH",
    "NGHỊ QUYẾT",
    "NGHỊ ĐỊNH",
    "QUYẾT ĐỊNH",
    "THÔNG TƯ LIÊN TỊCH",
    "THÔNG TƯ",
    "CHỈ THỊ",
    "CÔNG VĂN",
    "CÔNG ĐIỆN",
    "BÁO CÁO",
    "TỜ TRÌNH",
    "THÔNG BÁO",
    "KẾ HOẠCH",
    "HƯỚNG DẪN",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "CHƯƠNG TRÌNH",
    "ĐỀ ÁN",
    "PHƯƠNG ÁN",
    "BIÊN BẢN",
    "GIẤY MỜI",
];

/// Types whose subject is the act's name, kept capitalized: "Luật An ninh mạng".
const NAMING_TYPES: &[&str] = &["HIẾN PHÁP", "BỘ LUẬT", "LUẬT", "PHÁP LỆNH"];

/// Proper names restored in a lowercased subject or issuer, besides the provinces.
const PROPER_NAMES: &[&str] =
    &["Việt Nam", "Quốc hội", "Chính phủ", "Mặt trận Tổ quốc", "Đảng Cộng sản", "Công Thương"];

/// Upper-case lines that start the issuing authority's line under a subject ("ỦY BAN NHÂN DÂN TỈNH BẾN
/// TRE", "THỦ TƯỚNG CHÍNH PHỦ", "BỘ TRƯỞNG BỘ CÔNG THƯƠNG"), not more of the subject.
const AUTHORITY_STARTS: &[&str] = &[
    "ỦY BAN ",
    "UỶ BAN ",
    "UBND",
    "HỘI ĐỒNG ",
    "THỦ TƯỚNG ",
    "BỘ TRƯỞNG ",
    "CHỦ TỊCH ",
    "QUỐC HỘI",
    "CHÍNH PHỦ",
    "GIÁM ĐỐC ",
    "TỔNG CỤC TRƯỞNG ",
    "CỤC TRƯỞNG ",
    "THỐNG ĐỐC ",
];

/// Lines that end a subject: the body has begun.
const BODY_STARTS: &[&str] = &[
    "căn cứ",
    "điều ",
    "chương ",
    "phần ",
    "kính gửi",
    "theo đề nghị",
    "xét ",
    "quốc hội ban hành",
    "chính phủ ban hành",
    "quyết định:",
    "quyết nghị:",
    "nơi nhận",
];

/// What a legal document's heading says. Every part is optional but the document is legal only when
/// [`recognise`] returns one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegalHeading {
    pub issuer: Option<String>,
    pub number: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The type in lowercase: "luật", "quyết định", "công văn".
    pub kind: Option<String>,
    /// Type and subject: "Luật An ninh mạng".
    pub title: Option<String>,
}

static MOTTO: LazyLock<Regex> =
    LazyLock::new(|| built_in(r"(?i)c[ộo]ng\s+h(?:òa|oà|oa)\s+x[ãa]\s+h[ộo]i\s+ch[ủu]\s+ngh[ĩi]a\s+vi[ệe]t\s+nam"));
static MOTTO_LINE_2: LazyLock<Regex> =
    LazyLock::new(|| built_in(r"(?i)độc\s+lập\s*[-–—]\s*tự\s+do\s*[-–—]\s*hạnh\s+phúc"));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| built_in(r"(?i)(?:^|[^\p{L}])số\s*:?\s*(\d+(?:\s*/\s*[\p{L}\p{N}]+(?:[-.&][\p{L}\p{N}]+)*)+)"));
static ABOUT: LazyLock<Regex> = LazyLock::new(|| built_in(r"(?i)^\s*v/v\s*[:.]?\s*(.+)$"));

// The patterns are constants checked by the tests below; a typo is a programming error.
#[allow(clippy::panic)]
fn built_in(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(re) => re,
        Err(e) => panic!("bad built-in legal heading pattern {pattern}: {e}"),
    }
}

/// The heading of a legal or administrative document at the start of `body` (NFC), or `None` when the
/// body does not open like one.
pub fn recognise(body: &str) -> Option<LegalHeading> {
    let opening = opening(body);
    let lines: Vec<&str> = opening.lines().map(str::trim).collect();
    let motto = MOTTO.find(&opening);
    // The type line comes after the motto (an issuer's line is never a type).
    let after_motto = motto.map_or(0, |m| opening[..m.end()].lines().count());
    let type_line = lines.iter().enumerate().skip(after_motto).find_map(|(i, line)| type_of_line(line).map(|t| (i, t)));
    // The heading proper ends at the type line, or where the body begins.
    let heading_end = match type_line {
        Some((i, _)) => i,
        None => lines.iter().position(|l| starts_body(l)).unwrap_or(lines.len()),
    };
    let heading = lines[..heading_end].join("\n");
    let number = NUMBER.captures(&heading).and_then(|c| c.get(1)).map(|m| m.as_str().split_whitespace().collect());
    let about = lines[..heading_end].iter().find_map(|line| ABOUT.captures(line).and_then(|c| c.get(1)));
    if motto.is_none() && (number.is_none() || (type_line.is_none() && about.is_none())) {
        return None;
    }
    // A form with blanks to fill ("Số: […]/GM-SCT", "ngày [..] tháng [..]") is a template, not a document.
    if heading.contains('[') {
        return None;
    }
    let (kind, title) = match type_line {
        Some((i, (type_upper, rest))) => {
            let mut subject_lines: Vec<&str> = rest.into_iter().collect();
            subject_lines.extend(subject(&lines[i + 1..], rest.is_some()));
            (Some(type_upper.to_lowercase()), Some(title_of(type_upper, &subject_lines.join(" "))))
        }
        None => match about {
            Some(about) => {
                (Some("công văn".to_owned()), Some(title_of("CÔNG VĂN", &format!("về việc {}", about.as_str()))))
            }
            None => (None, None),
        },
    };
    Some(LegalHeading {
        issuer: motto.and_then(|m| issuer(&opening[..m.start()])),
        number,
        date: find_date(&heading),
        kind,
        title: title.filter(|t| !t.is_empty()),
    })
}

/// The first [`OPENING_LINES`] non-blank lines, at most [`OPENING_CHARS`] characters, with the motto
/// and its second line put on lines of their own (a PDF sets them beside the issuer and the date).
fn opening(body: &str) -> String {
    let mut text = String::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()).take(OPENING_LINES) {
        if text.chars().count() > OPENING_CHARS {
            break;
        }
        text.push_str(line);
        text.push('\n');
    }
    let text = MOTTO.replace(&text, "\n$0\n");
    MOTTO_LINE_2.replace(&text, "\n$0\n").into_owned()
}

/// The type a line names, as printed, and what follows it on the line when the subject shares it
/// ("LUẬT AN NINH MẠNG"). A type line is upper case.
fn type_of_line(line: &str) -> Option<(&'static str, Option<&str>)> {
    if !is_upper(line) {
        return None;
    }
    let line = line.trim_matches(|c: char| !c.is_alphanumeric());
    TYPES.iter().find_map(|&t| {
        let rest = line.strip_prefix(t)?;
        if rest.is_empty() {
            return Some((t, None));
        }
        // "LUẬT AN NINH MẠNG" but not "LUẬTSƯ" or "QUYẾT ĐỊNH CỦA THỦ TƯỚNG" (an authority line).
        let rest = rest.strip_prefix(char::is_whitespace)?.trim();
        let authority = ["CỦA ", "SỐ "].iter().any(|p| rest.starts_with(p));
        (!authority && !rest.is_empty()).then_some((t, Some(rest)))
    })
}

/// The subject's lines after the type line: consecutive lines of the same case (upper-case lines, or
/// mixed-case ones), stopped by a separator, the body's first words, or a line of another case (the
/// signer's title "THỦ TƯỚNG CHÍNH PHỦ" after "Về việc …").
fn subject<'a>(after: &[&'a str], started: bool) -> Vec<&'a str> {
    let mut taken: Vec<&'a str> = Vec::new();
    let mut upper: Option<bool> = None;
    for &line in after.iter().take(MAX_SUBJECT_LINES) {
        let separator = line.chars().all(|c| !c.is_alphanumeric());
        if separator || starts_body(line) || line.chars().count() > MAX_SUBJECT_LINE_CHARS {
            break;
        }
        let line_upper = is_upper(line);
        if *upper.get_or_insert(line_upper) != line_upper || (started && !line_upper) {
            break;
        }
        let authority = AUTHORITY_STARTS.iter().any(|start| line.starts_with(start));
        if authority && (started || !taken.is_empty()) {
            break;
        }
        taken.push(line);
    }
    taken
}

fn starts_body(line: &str) -> bool {
    let lower = line.to_lowercase();
    BODY_STARTS.iter().any(|start| lower.starts_with(start))
}

/// True when the line has letters and none of them is lower case.
fn is_upper(line: &str) -> bool {
    line.chars().any(char::is_alphabetic) && !line.chars().any(char::is_lowercase)
}

/// "Luật An ninh mạng", "Quyết định về việc phê duyệt …".
fn title_of(type_upper: &str, subject: &str) -> String {
    let kind = sentence_case(type_upper);
    let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    let subject = if is_upper(&subject) { sentence_case(&subject) } else { subject };
    if subject.is_empty() {
        return kind;
    }
    let subject = if NAMING_TYPES.contains(&type_upper) { capitalize_first(&subject) } else { lower_first(&subject) };
    format!("{kind} {subject}")
}

/// Lowercase with the first letter capital, and proper names restored: "AN NINH MẠNG VIỆT NAM" →
/// "An ninh mạng Việt Nam".
fn sentence_case(text: &str) -> String {
    capitalize_first(&restore_proper_names(&text.to_lowercase()))
}

/// Province names that are also common words ("hòa bình", peace) are restored only after "tỉnh" or
/// "thành phố".
fn restore_proper_names(lower: &str) -> String {
    let mut text = lower.to_owned();
    let names = PROVINCES.iter().map(|p| (p.name, p.needs_capitals)).chain(PROPER_NAMES.iter().map(|n| (*n, false)));
    for (name, needs_unit) in names {
        let needle = name.to_lowercase();
        let mut from = 0;
        while let Some(found) = text[from..].find(&needle).map(|at| at + from) {
            let end = found + needle.len();
            let before = &text[..found];
            let before_ok = before.chars().next_back().is_none_or(|c| !c.is_alphanumeric())
                && (!needs_unit || ["tỉnh ", "thành phố ", "tp. "].iter().any(|unit| before.ends_with(unit)));
            let after_ok = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            let replaced = before_ok && after_ok;
            if replaced {
                text.replace_range(found..end, name);
            }
            from = found + if replaced { name.len() } else { needle.len() };
        }
    }
    text
}

fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The first letter in lowercase, unless the first word is an abbreviation ("UBND") or a proper name
/// kept by [`restore_proper_names`].
fn lower_first(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or_default();
    if first_word.chars().count() > 1 && is_upper(first_word) {
        return text.to_owned();
    }
    if PROVINCES.iter().map(|p| p.name).chain(PROPER_NAMES.iter().copied()).any(|name| text.starts_with(name)) {
        return text.to_owned();
    }
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

/// The issuing body, from the text before the motto: its upper-case lines, the last one the issuer.
/// A line before it is part of the name when the last line is its locality ("ỦY BAN NHÂN DÂN" over
/// "TỈNH BẾN TRE"), and the issuer's parent otherwise, whose locality the name takes ("UBND TỈNH BẾN
/// TRE" over "SỞ CÔNG THƯƠNG": Sở Công Thương of Bến Tre).
fn issuer(before_motto: &str) -> Option<String> {
    let lines: Vec<&str> = before_motto
        .lines()
        .map(|l| l.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|l| !l.is_empty() && is_upper(l))
        .collect();
    let own = *lines.last()?;
    let parent = lines.len().checked_sub(2).and_then(|i| lines.get(i)).copied();
    let full = match parent {
        Some(parent) if starts_with_locality(own) => format!("{parent} {own}"),
        Some(parent) => match locality_of(parent) {
            Some(locality) if !own.contains(locality) => format!("{own} {locality}"),
            _ => own.to_owned(),
        },
        None => own.to_owned(),
    };
    Some(organization_name(&full))
}

const LOCALITY_WORDS: &[&str] = &["TỈNH ", "THÀNH PHỐ ", "TP. ", "TP ", "HUYỆN ", "QUẬN ", "THỊ XÃ ", "XÃ ", "PHƯỜNG "];

fn starts_with_locality(line: &str) -> bool {
    LOCALITY_WORDS.iter().any(|u| line.starts_with(u))
}

/// "tỉnh Bến Tre" for "TỈNH BẾN TRE", "huyện Chợ Lách" for "HUYỆN CHỢ LÁCH": the unit in lowercase and
/// every syllable of the name capitalized, as Vietnamese writes place names; `None` without a unit.
fn place_name(upper: &str) -> Option<String> {
    let unit = LOCALITY_WORDS.iter().find(|u| upper.starts_with(**u))?;
    let name: Vec<String> =
        upper[unit.len()..].split_whitespace().map(|w| capitalize_first(&w.to_lowercase())).collect();
    Some(format!("{}{}", unit.to_lowercase(), name.join(" ")))
}

/// "TỈNH BẾN TRE" from "UBND TỈNH BẾN TRE" or "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI".
fn locality_of(parent: &str) -> Option<&str> {
    let rest = ["UBND ", "ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN ", "HĐND ", "HỘI ĐỒNG NHÂN DÂN "]
        .iter()
        .find_map(|p| parent.strip_prefix(p))?;
    starts_with_locality(rest).then_some(rest)
}

/// An issuing body's name in its usual case: the organization gazetteer's name when it knows it
/// ("Bộ Công Thương"), otherwise the kind of body as a capitalized word and the rest in sentence case
/// ("BỘ TÀI CHÍNH" → "Bộ Tài chính", "UBND TỈNH BẾN TRE" → "UBND tỉnh Bến Tre").
fn organization_name(upper: &str) -> String {
    let upper = upper.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(name) = resolve_facet_value("organization", &upper).and_then(|slug| facet_name("organization", slug)) {
        return name.to_owned();
    }
    const BODIES: &[&str] = &[
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI",
        "THỦ TƯỚNG CHÍNH PHỦ",
        "CHỦ TỊCH NƯỚC",
        "ỦY BAN NHÂN DÂN",
        "UỶ BAN NHÂN DÂN",
        "HỘI ĐỒNG NHÂN DÂN",
        "TÒA ÁN NHÂN DÂN",
        "VIỆN KIỂM SÁT NHÂN DÂN",
        "NGÂN HÀNG NHÀ NƯỚC",
        "TỔNG CỤC",
        "TRUNG TÂM",
        "VĂN PHÒNG",
        "UBND",
        "HĐND",
        "BỘ",
        "SỞ",
        "CỤC",
        "VỤ",
        "VIỆN",
        "BAN",
        "PHÒNG",
    ];
    let Some((body, rest)) = BODIES.iter().find_map(|&b| {
        let rest = upper.strip_prefix(b)?;
        (rest.is_empty() || rest.starts_with(' ')).then_some((b, rest.trim()))
    }) else {
        return sentence_case(&upper);
    };
    let body = match body {
        "UBND" | "HĐND" => body.to_owned(),
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI" => "Ủy ban Thường vụ Quốc hội".to_owned(),
        "THỦ TƯỚNG CHÍNH PHỦ" => "Thủ tướng Chính phủ".to_owned(),
        "NGÂN HÀNG NHÀ NƯỚC" => "Ngân hàng Nhà nước".to_owned(),
        _ => sentence_case(body),
    };
    if rest.is_empty() {
        return body;
    }
    let rest = place_name(rest).unwrap_or_else(|| sentence_case(rest));
    format!("{body} {rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(
        issuer: Option<&str>,
        number: Option<&str>,
        date: Option<&str>,
        kind: Option<&str>,
        title: Option<&str>,
    ) -> Option<LegalHeading> {
        let own = |v: Option<&str>| v.map(str::to_owned);
        Some(LegalHeading {
            issuer: own(issuer),
            number: own(number),
            date: own(date),
            kind: own(kind),
            title: own(title),
        })
    }

    #[test]
    fn recognises_headings() {
        let cases: Vec<(&str, &str, Option<LegalHeading>)> = vec![
            (
                "a law as DOCX gives it (table cells as lines)",
                "QUỐC HỘI\n--------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\n\
                 Luật số: 24/2018/QH14\n\nHà Nội, ngày 12 tháng 6 năm 2018\n\n\u{a0}\n\nLUẬT\n\nAN NINH MẠNG\n\n\
                 Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n\nQuốc hội ban hành Luật An ninh mạng.",
                heading(
                    Some("Quốc hội"),
                    Some("24/2018/QH14"),
                    Some("2018-06-12"),
                    Some("luật"),
                    Some("Luật An ninh mạng"),
                ),
            ),
            (
                "the same as a PDF gives it (columns side by side)",
                "QUỐC HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n-------- Độc lập - Tự do - Hạnh phúc\n\
                 Luật số: 86/2015/QH13 Hà Nội, ngày 19 tháng 11 năm 2015\nLUẬT\nAN TOÀN THÔNG TIN MẠNG\n\
                 Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
                heading(
                    Some("Quốc hội"),
                    Some("86/2015/QH13"),
                    Some("2015-11-19"),
                    Some("luật"),
                    Some("Luật An toàn thông tin mạng"),
                ),
            ),
            (
                "a decision with a mixed-case subject over two lines, then the signer",
                "THỦ TƯỚNG CHÍNH PHỦ\n-------\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
                 ---------------\nSố: 1419/QĐ-TTg\nHà Nội, ngày 07 tháng 9 năm 2009\nQUYẾT ĐỊNH\n\
                 Phê duyệt Chiến lược sản xuất sạch hơn\ntrong công nghiệp đến năm 2020\n\
                 -----------\nTHỦ TƯỚNG CHÍNH PHỦ\nCăn cứ Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001;",
                heading(
                    Some("Thủ tướng Chính phủ"),
                    Some("1419/QĐ-TTg"),
                    Some("2009-09-07"),
                    Some("quyết định"),
                    Some("Quyết định phê duyệt Chiến lược sản xuất sạch hơn trong công nghiệp đến năm 2020"),
                ),
            ),
            (
                "a decision about something (Về việc), an upper-case subject with a province",
                "ỦY BAN NHÂN DÂN\nTỈNH BẾN TRE\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
                 Số: 25/2011/QĐ-UBND\nBến Tre, ngày 5 tháng 8 năm 2011\nQUYẾT ĐỊNH\n\
                 VỀ VIỆC BAN HÀNH KẾ HOẠCH SẢN XUẤT SẠCH HƠN TỈNH BẾN TRE\nỦY BAN NHÂN DÂN TỈNH BẾN TRE",
                heading(
                    Some("UBND tỉnh Bến Tre"),
                    Some("25/2011/QĐ-UBND"),
                    Some("2011-08-05"),
                    Some("quyết định"),
                    Some("Quyết định về việc ban hành kế hoạch sản xuất sạch hơn tỉnh Bến Tre"),
                ),
            ),
            (
                "a decree",
                "CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 13/2023/NĐ-CP\n\
                 Hà Nội, ngày 17 tháng 4 năm 2023\nNGHỊ ĐỊNH\nBẢO VỆ DỮ LIỆU CÁ NHÂN\nCăn cứ Luật Tổ chức Chính phủ",
                heading(
                    Some("Chính phủ"),
                    Some("13/2023/NĐ-CP"),
                    Some("2023-04-17"),
                    Some("nghị định"),
                    Some("Nghị định bảo vệ dữ liệu cá nhân"),
                ),
            ),
            (
                "an official letter: no type line, its subject after V/v, a department under its province",
                "UBND TỈNH BẾN TRE\nSỞ CÔNG THƯƠNG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
                 Độc lập - Tự do - Hạnh phúc\nSố: 512/SCT-QLCN\nV/v: tổ chức hội thảo sản xuất sạch hơn\n\
                 Bến Tre, ngày 20 tháng 3 năm 2011\nKính gửi: Các doanh nghiệp trên địa bàn tỉnh",
                heading(
                    Some("Sở Công Thương Bến Tre"),
                    Some("512/SCT-QLCN"),
                    Some("2011-03-20"),
                    Some("công văn"),
                    Some("Công văn về việc tổ chức hội thảo sản xuất sạch hơn"),
                ),
            ),
            (
                "a ministry's report, with the type and subject on one line",
                "BỘ CÔNG THƯƠNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 45/BC-BCT\n\
                 Hà Nội, ngày 2 tháng 1 năm 2014\nBÁO CÁO KẾT QUẢ THỰC HIỆN CHIẾN LƯỢC SẢN XUẤT SẠCH HƠN NĂM 2013\n\
                 Thực hiện Quyết định số 1419/QĐ-TTg",
                heading(
                    Some("Bộ Công Thương"),
                    Some("45/BC-BCT"),
                    Some("2014-01-02"),
                    Some("báo cáo"),
                    Some("Báo cáo kết quả thực hiện chiến lược sản xuất sạch hơn năm 2013"),
                ),
            ),
            (
                "a ministry unknown to the gazetteer; a resolution on the provinces",
                "QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
                 Nghị quyết số: 202/2025/QH15\nHà Nội, ngày 12 tháng 6 năm 2025\nNGHỊ QUYẾT\n\
                 VỀ VIỆC SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP TỈNH\nQUỐC HỘI\nCăn cứ Hiến pháp",
                heading(
                    Some("Quốc hội"),
                    Some("202/2025/QH15"),
                    Some("2025-06-12"),
                    Some("nghị quyết"),
                    Some("Nghị quyết về việc sắp xếp đơn vị hành chính cấp tỉnh"),
                ),
            ),
        ];
        for (what, body, expected) in cases {
            assert_eq!(recognise(body), expected, "{what}");
        }
    }

    #[test]
    fn other_documents_are_not_legal() {
        let cases = [
            "BÁO CÁO\nTổng kết hội thảo sản xuất sạch hơn ngành mía đường\nNgày 14/4/2011, tại Bến Tre …",
            "Hội thảo chia sẻ kinh nghiệm về hoạt động SXSH\nSố: 3 doanh nghiệp tham gia",
            "LUẬT SƯ NGUYỄN VĂN A\nTư vấn pháp luật cho doanh nghiệp",
            // the bundled invitation template: a heading with blanks
            "Mẫu giấy mời tham dự hội thảo\nUBND TỈNH [TÊN TỈNH]\nSỞ CÔNG THƯƠNG\nSố: [...]/GM-SCT\n\
             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n[Địa danh], ngày [..] tháng [..] năm [....]\n\
             GIẤY MỜI\nTham dự Hội thảo",
            "",
        ];
        for body in cases {
            assert_eq!(recognise(body), None, "{body:?}");
        }
    }

    #[test]
    fn issuers_in_their_usual_case() {
        let cases = [
            ("BỘ TÀI CHÍNH", "Bộ Tài chính"),
            ("BỘ CÔNG THƯƠNG", "Bộ Công Thương"),
            ("UBND TỈNH BẾN TRE", "UBND tỉnh Bến Tre"),
            // The organization gazetteer's names, the same as the organization facet's.
            ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "UBND TP. Hà Nội"),
            ("ỦY BAN NHÂN DÂN HUYỆN CHỢ LÁCH", "Ủy ban nhân dân huyện Chợ Lách"),
            ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", "Ủy ban Thường vụ Quốc hội"),
            ("CHÍNH PHỦ", "Chính phủ"),
        ];
        for (upper, name) in cases {
            assert_eq!(organization_name(upper), name, "{upper}");
        }
    }
}
