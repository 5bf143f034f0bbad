//! The SummaryInformation property set ([MS-OLEPS]): title, author and creation time of an OLE
//! compound document such as a `.doc`.
//!
//! The stream holds a header, then property sets; the first is the summary information. A set is a
//! table of (property id, offset) and typed values: strings are `VT_LPSTR` in the set's code page
//! (property 1; Word writes 1252 or the system's, LibreOffice 65001 or 1252) or `VT_LPWSTR` (UTF-16),
//! times `VT_FILETIME` (100-nanosecond ticks since 1601-01-01, UTC). Anything unreadable is left out:
//! properties are a bonus, never a reason to refuse a document.
//!
//! [MS-OLEPS]: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-oleps/

use crate::date::normalize_iso_date;
use crate::extract::legacy::decode_windows_code_page;

const PID_CODEPAGE: u32 = 1;
const PID_TITLE: u32 = 2;
const PID_AUTHOR: u32 = 4;
const PID_CREATE_TIME: u32 = 12;

const VT_I2: u16 = 2;
const VT_LPSTR: u16 = 30;
const VT_LPWSTR: u16 = 31;
const VT_FILETIME: u16 = 64;

/// The longest property string read, in bytes.
const MAX_STRING_BYTES: usize = 64 * 1024;

/// What the summary information says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Properties {
    pub title: Option<String>,
    pub author: Option<String>,
    /// `YYYY-MM-DD`.
    pub created: Option<String>,
}

/// The properties in a SummaryInformation stream; empty when it cannot be read.
pub(super) fn summary_information(stream: &[u8]) -> Properties {
    read(stream).unwrap_or_default()
}

fn read(stream: &[u8]) -> Option<Properties> {
    if u16_at(stream, 0)? != 0xFFFE || u32_at(stream, 24)? == 0 {
        return None;
    }
    let set_at = u32_at(stream, 44)? as usize;
    let set = stream.get(set_at..)?;
    let count = (u32_at(set, 4)? as usize).min(1024);
    let entries: Vec<(u32, usize)> =
        (0..count).filter_map(|i| Some((u32_at(set, 8 + i * 8)?, u32_at(set, 12 + i * 8)? as usize))).collect();
    let value_at = |id: u32| entries.iter().find(|(pid, _)| *pid == id).map(|&(_, offset)| offset);
    let code_page = value_at(PID_CODEPAGE)
        .filter(|&at| u16_at(set, at) == Some(VT_I2))
        .and_then(|at| u16_at(set, at + 4))
        .unwrap_or(1252);
    let string = |id: u32| value_at(id).and_then(|at| string_value(set, at, code_page)).and_then(clean);
    Some(Properties {
        title: string(PID_TITLE),
        author: string(PID_AUTHOR),
        created: value_at(PID_CREATE_TIME).and_then(|at| filetime_value(set, at)),
    })
}

/// A `VT_LPSTR` or `VT_LPWSTR` value at `at`.
fn string_value(set: &[u8], at: usize, code_page: u16) -> Option<String> {
    let kind = u16_at(set, at)?;
    let size = u32_at(set, at + 4)? as usize;
    let data = at + 8;
    match kind {
        // Code page 1200 stores even VT_LPSTR as UTF-16; its size counts bytes.
        VT_LPSTR if code_page == 1200 => utf16(set.get(data..data + size.min(MAX_STRING_BYTES))?),
        VT_LPSTR => Some(decode_windows_code_page(code_page, set.get(data..data + size.min(MAX_STRING_BYTES))?)),
        // The size of a VT_LPWSTR counts characters.
        VT_LPWSTR => utf16(set.get(data..data + (size * 2).min(MAX_STRING_BYTES))?),
        _ => None,
    }
}

fn utf16(bytes: &[u8]) -> Option<String> {
    let units = bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    Some(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
}

/// A string without its terminating NULs and control characters, whitespace collapsed; `None` if empty.
fn clean(text: String) -> Option<String> {
    let text = text.replace(|c: char| c.is_control(), " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// A `VT_FILETIME` value at `at`, as the UTC date `YYYY-MM-DD`; `None` for zero (unset) times.
fn filetime_value(set: &[u8], at: usize) -> Option<String> {
    if u16_at(set, at)? != VT_FILETIME {
        return None;
    }
    let ticks = u64::from(u32_at(set, at + 4)?) | (u64::from(u32_at(set, at + 8)?) << 32);
    filetime_date(ticks)
}

/// 100-nanosecond ticks since 1601-01-01 as a date.
fn filetime_date(ticks: u64) -> Option<String> {
    if ticks == 0 {
        return None;
    }
    const TICKS_PER_DAY: u64 = 864_000_000_000;
    // Days from 1601-01-01 to 1970-01-01.
    const EPOCH_DAYS: i64 = 134_774;
    let days = i64::try_from(ticks / TICKS_PER_DAY).ok()? - EPOCH_DAYS;
    let (year, month, day) = civil_from_days(days);
    normalize_iso_date(&format!("{year:04}-{month:02}-{day:02}"))
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A property: its id, type and value bytes.
    type Property = (u32, u16, Vec<u8>);

    /// A SummaryInformation stream with these properties.
    fn stream(properties: &[Property]) -> Vec<u8> {
        let mut values: Vec<u8> = Vec::new();
        let mut table: Vec<u8> = Vec::new();
        let table_len = 8 + properties.len() * 8;
        for (id, kind, bytes) in properties {
            table.extend(id.to_le_bytes());
            table.extend(((table_len + values.len()) as u32).to_le_bytes());
            values.extend(u32::from(*kind).to_le_bytes());
            values.extend(bytes);
            while !values.len().is_multiple_of(4) {
                values.push(0);
            }
        }
        let mut set = Vec::new();
        set.extend(((table_len + values.len()) as u32).to_le_bytes());
        set.extend((properties.len() as u32).to_le_bytes());
        set.extend(table);
        set.extend(values);
        let mut out = vec![0xFE, 0xFF, 0, 0, 0, 0, 0, 0];
        out.extend([0u8; 16]);
        out.extend(1u32.to_le_bytes());
        out.extend([0u8; 16]);
        out.extend(48u32.to_le_bytes());
        out.extend(set);
        out
    }

    fn lpstr(bytes: &[u8]) -> Vec<u8> {
        let mut out = ((bytes.len() + 1) as u32).to_le_bytes().to_vec();
        out.extend(bytes);
        out.push(0);
        out
    }

    fn filetime(ticks: u64) -> Vec<u8> {
        ticks.to_le_bytes().to_vec()
    }

    #[test]
    fn strings_in_the_set_code_page_and_times() {
        // 2019-10-17 09:30 UTC.
        let ticks = (1_571_304_600u64 + 11_644_473_600) * 10_000_000;
        let cases: Vec<(&str, Vec<Property>, Properties)> = vec![
            (
                "UTF-8 (LibreOffice)",
                vec![
                    (PID_CODEPAGE, VT_I2, 65001u32.to_le_bytes().to_vec()),
                    (PID_TITLE, VT_LPSTR, lpstr("Báo cáo hội thảo".as_bytes())),
                    (PID_AUTHOR, VT_LPSTR, lpstr("Nguyễn An".as_bytes())),
                    (PID_CREATE_TIME, VT_FILETIME, filetime(ticks)),
                ],
                Properties {
                    title: Some("Báo cáo hội thảo".into()),
                    author: Some("Nguyễn An".into()),
                    created: Some("2019-10-17".into()),
                },
            ),
            (
                "Windows-1258",
                vec![
                    (PID_CODEPAGE, VT_I2, 1258u32.to_le_bytes().to_vec()),
                    (PID_TITLE, VT_LPSTR, lpstr(b"Vi\xEA\xF2t")),
                ],
                Properties { title: Some("Việt".into()), ..Properties::default() },
            ),
            (
                "Windows-1252 when no code page is given; blank author and zero time dropped",
                vec![
                    (PID_TITLE, VT_LPSTR, lpstr(b"caf\xE9")),
                    (PID_AUTHOR, VT_LPSTR, lpstr(b"  ")),
                    (PID_CREATE_TIME, VT_FILETIME, filetime(0)),
                ],
                Properties { title: Some("café".into()), ..Properties::default() },
            ),
        ];
        for (label, properties, want) in cases {
            assert_eq!(summary_information(&stream(&properties)), want, "{label}");
        }
    }

    #[test]
    fn damaged_streams_give_no_properties() {
        let good = stream(&[(PID_TITLE, VT_LPSTR, lpstr(b"x"))]);
        for cut in [0, 10, 30, 50, 60, good.len() - 3] {
            let got = summary_information(&good[..cut]);
            assert!(got.title.is_none() || got.title.as_deref() == Some("x"), "cut {cut}: {got:?}");
        }
        assert_eq!(summary_information(b"not a property set"), Properties::default());
    }

    #[test]
    fn filetimes_are_dates() {
        assert_eq!(filetime_date(116_444_736_000_000_000).as_deref(), Some("1970-01-01"));
        assert_eq!(filetime_date(132_157_440_000_000_000).as_deref(), Some("2019-10-17"));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
