//! Legacy Vietnamese encodings end to end: a real article (the seed article of the sample archive) is
//! encoded here in TCVN3, VNI-Windows, Windows-1258 and UTF-16, and as TCVN3/VNI "saved as Unicode"
//! mojibake, and every `.txt` must read back as the original. DOCX runs and PDF glyphs in legacy fonts
//! must come out as Unicode too, and Unicode text must never be taken for a legacy encoding.
//!
//! The encoders below are written from the published code charts, in a different shape than the
//! decoder's tables (per vowel and tone here, per byte there; VNI and Windows-1258 built from letter
//! structure), so a wrong entry on one side shows up as a failure instead of being mirrored.

use std::io::{Cursor, Write};

use kho_core::analysis::normalize_text;
use kho_indexer::extract::{decode_legacy_text, extract, ExtractError, Format, LegacyEncoding};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Dictionary, Document, Object, Stream};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

/// The seed article (`shared/seeds/000_221c615cb1e0dc7b.txt`) as published, hard line breaks included.
const SEED: &str = "Hội thảo chia sẻ kinh nghiệm về hoạt động SXSH trong công nghiệp trên địa bàn tỉnh Bến Tre\n\
\n\
Nhằm\n\
chia sẻ kinh nghiệm để các tỉnh trong khu vực cùng nhau thực thiện thành công\n\
Chiến lược SXSH trong công nghiệp đến năm 2020 của Thủ tướng Chính phủ,\n\
Thực hiện kế hoạch hỗ trợ năm 2011 của Hợp phần\n\
CPI,\n\
ngày\n\
14/4/2011, tại Khách sạn Hùng Vương, TP Bến Tre,\n\
Sở Công Thương Bến Tre tổ chức “Hội thảo chia sẻ kinh\n\
nghiệm về hoạt động sản xuất sạch hơn trong công nghiệp trên địa bàn tỉnh Bến\n\
Tre”\n\
\u{A0}\n\
\n\
Hình 1. Bà Trần Thị Liên phát biểu chia sẻ kinh nghiệm\n\
\n\
Đến\n\
tham dự hội thảo có sự hiện diện của đại diện lãnh đạo Văn phòng SXSH Bộ Công\n\
thương tại Bến Tre, đại diện Sở Công Thương Bến Tre, \u{A0}cùng 16 Sở Công Thương và Trung tâm Khuyến\n\
công các tỉnh phía Nam.\n\
\n\
Tại buổi\n\
hội thảo. ông Nguyễn Văn Đông Phương,\n\
Phó Giám Đốc Trung tâm khuyến công Bến Tre báo cáo kết quả q\n\
uá trình triển khai thực hiện các\n\
hoạt động SXSH tại Bến Tre thời gian qua, đồng thời thông qua kế hoạch hành\n\
động SXSH của Bến Tre giai đoạn 2009-2013.\n\
\n\
Từ năm\n\
2008, được sự hỗ trợ của Hợp phần SXSH trong công nghiệp (CPI), SXSH đã được phổ\n\
biến, áp dụng tại Bến Tre, bước đầu đem lại những hiệu quả nhất định. Trong dịp\n\
này, Công ty thuốc lá, Công ty Đường, Nhà máy chế biến dừa Thành Vinh\n\
các doanh nghiệp tham\n\
gia dự án trình diễn\n\
của\n\
Hợp phần CPI đã tham gia báo cáo hiệu quả\n\
áp dụng SXSH tại nhà máy.\n\
\n\
Là đơn\n\
vị đi đầu trong lĩnh vực SXSH của phía Nam, Trung tâm sản xuất sạch hơn Tp Hồ\n\
Chí Minh, đại diện Bà Trần Thị Liên – Phó giám đốc cũng chia sẻ một số kinh\n\
nghiệm trong công tác đào tạo cũng như hỗ trợ triển khai đánh giá SXSH cho các\n\
doanh nghiệp trong nhiều năm hoạt động của Trung tâm.\n\
\u{A0}\n\
\n\
Ngoài\n\
ra, Ông Trần An Chuyên gia tư vấn Công ty cổ phần tư vấn EPRO cũng giới thiệu \u{A0}đến toàn thể đại biểu “Bộ tài liệu phục vụ công\n\
tác tổ chức hội thảo SXSH” do Văn phòng giúp việc Chiến lược SXSH trong công\n\
nghiệp đến năm 2020 – Bộ Công Thương ban hành.\n\
\n\
Ngày 15/4/2011, Ban tổ chức đã tổ chức tham quan\n\
thực tế tại một số nhà máy thuộc dự án trình diễn của\n\
Hợp phần CPI\u{A0}\n\
tại Bến Tre.\n\
\n\
Lợi ích từ một số dự án trình diễn tại Bến Tre\n\
\n\
Hình 2. Tham quan nhà máy mía đường Bến Tre\n\
\n\
\n\
Hình 3. Tham quan nhà máy thuốc lá Bến Tre\n\
\n\
\n\
Hình 4. Hệ thống xử lý nước thải nhà máy thuốc láHình 5. Hệ thống xử lý khí thải nhà máy thuốc lá";

// ---- Encoders, from the code charts ----

/// The five tones, in the order of the rows of [`TONED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Grave,
    Acute,
    Tilde,
    Hook,
    Dot,
}

const TONES: [Tone; 5] = [Tone::Grave, Tone::Acute, Tone::Tilde, Tone::Hook, Tone::Dot];

/// Each vowel without tone, then its forms with grave, acute, tilde, hook above and dot below.
const TONED: &[(char, &str)] = &[
    ('a', "àáãảạ"),
    ('ă', "ằắẵẳặ"),
    ('â', "ầấẫẩậ"),
    ('e', "èéẽẻẹ"),
    ('ê', "ềếễểệ"),
    ('i', "ìíĩỉị"),
    ('o', "òóõỏọ"),
    ('ô', "ồốỗổộ"),
    ('ơ', "ờớỡởợ"),
    ('u', "ùúũủụ"),
    ('ư', "ừứữửự"),
    ('y', "ỳýỹỷỵ"),
    ('A', "ÀÁÃẢẠ"),
    ('Ă', "ẰẮẴẲẶ"),
    ('Â', "ẦẤẪẨẬ"),
    ('E', "ÈÉẼẺẸ"),
    ('Ê', "ỀẾỄỂỆ"),
    ('I', "ÌÍĨỈỊ"),
    ('O', "ÒÓÕỎỌ"),
    ('Ô', "ỒỐỖỔỘ"),
    ('Ơ', "ỜỚỠỞỢ"),
    ('U', "ÙÚŨỦỤ"),
    ('Ư', "ỪỨỮỬỰ"),
    ('Y', "ỲÝỸỶỴ"),
];

/// A letter as its toneless form and its tone.
fn split_tone(c: char) -> (char, Option<Tone>) {
    for (vowel, forms) in TONED {
        if let Some(i) = forms.chars().position(|form| form == c) {
            return (*vowel, Some(TONES[i]));
        }
    }
    (c, None)
}

fn tone_index(tone: Tone) -> usize {
    TONES.iter().position(|&t| t == tone).unwrap_or_else(|| panic!("{tone:?}"))
}

/// Windows-1252 punctuation the article uses; every legacy encoding shares it.
const PUNCTUATION: &[(char, u8)] = &[('“', 0x93), ('”', 0x94), ('–', 0x96), ('\u{A0}', 0xA0)];

fn lookup(table: &[(char, u8)], c: char) -> Option<u8> {
    table.iter().find(|(key, _)| *key == c).map(|(_, byte)| *byte)
}

/// TCVN3 (TCVN 5712:1993 VN3): each small vowel's byte, then its tones' bytes (grave, acute, tilde,
/// hook, dot below).
const TCVN3_VOWELS: &[(char, u8, [u8; 5])] = &[
    ('a', b'a', [0xB5, 0xB8, 0xB7, 0xB6, 0xB9]),
    ('ă', 0xA8, [0xBB, 0xBE, 0xBD, 0xBC, 0xC6]),
    ('â', 0xA9, [0xC7, 0xCA, 0xC9, 0xC8, 0xCB]),
    ('e', b'e', [0xCC, 0xD0, 0xCF, 0xCE, 0xD1]),
    ('ê', 0xAA, [0xD2, 0xD5, 0xD4, 0xD3, 0xD6]),
    ('i', b'i', [0xD7, 0xDD, 0xDC, 0xD8, 0xDE]),
    ('o', b'o', [0xDF, 0xE3, 0xE2, 0xE1, 0xE4]),
    ('ô', 0xAB, [0xE5, 0xE8, 0xE7, 0xE6, 0xE9]),
    ('ơ', 0xAC, [0xEA, 0xED, 0xEC, 0xEB, 0xEE]),
    ('u', b'u', [0xEF, 0xF3, 0xF2, 0xF1, 0xF4]),
    ('ư', 0xAD, [0xF5, 0xF8, 0xF7, 0xF6, 0xF9]),
    ('y', b'y', [0xFA, 0xFD, 0xFC, 0xFB, 0xFE]),
];

/// The capitals TCVN3 has (none with a tone), and đ.
const TCVN3_OTHERS: &[(char, u8)] =
    &[('Ă', 0xA1), ('Â', 0xA2), ('Ê', 0xA3), ('Ô', 0xA4), ('Ơ', 0xA5), ('Ư', 0xA6), ('Đ', 0xA7), ('đ', 0xAE)];

fn tcvn3(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                return c as u8;
            }
            if let Some(byte) = lookup(PUNCTUATION, c).or_else(|| lookup(TCVN3_OTHERS, c)) {
                return byte;
            }
            let (vowel, tone) = split_tone(c);
            let (_, plain, toned) =
                TCVN3_VOWELS.iter().find(|(v, _, _)| *v == vowel).unwrap_or_else(|| panic!("TCVN3 has no {c:?}"));
            tone.map_or(*plain, |tone| toned[tone_index(tone)])
        })
        .collect()
}

/// VNI-Windows mark bytes for small letters (a capital's are 0x20 lower): the tones alone, and the
/// circumflex and breve without tone then with each tone.
const VNI_TONE: [u8; 5] = [0xF8, 0xF9, 0xF5, 0xFB, 0xEF];
const VNI_CIRCUMFLEX: [u8; 6] = [0xE2, 0xE0, 0xE1, 0xE3, 0xE5, 0xE4];
const VNI_BREVE: [u8; 6] = [0xEA, 0xE8, 0xE9, 0xFC, 0xFA, 0xEB];
/// VNI's single bytes for i with a tone, and ỵ.
const VNI_I: [u8; 5] = [0xEC, 0xED, 0xF3, 0xE6, 0xF2];
const VNI_Y_DOT: u8 = 0xEE;

fn vni(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        if let Some(byte) = lookup(PUNCTUATION, c) {
            out.push(byte);
            continue;
        }
        let (vowel, tone) = split_tone(c);
        let capital = vowel.is_uppercase();
        let case = |byte: u8| if capital { byte - 0x20 } else { byte };
        let ascii = |letter: char| {
            let byte = letter as u8;
            if capital {
                byte.to_ascii_uppercase()
            } else {
                byte
            }
        };
        let tone_byte = tone.map(|tone| case(VNI_TONE[tone_index(tone)]));
        let with_tone = |marks: &[u8; 6]| case(marks[tone.map_or(0, |tone| tone_index(tone) + 1)]);
        match vowel.to_lowercase().next().unwrap_or(vowel) {
            'đ' => out.push(case(0xF1)),
            'i' if tone.is_some() => out.push(case(VNI_I[tone.map_or(0, tone_index)])),
            'y' if tone == Some(Tone::Dot) => out.push(case(VNI_Y_DOT)),
            'ơ' => out.extend([case(0xF4)].into_iter().chain(tone_byte)),
            'ư' => out.extend([case(0xF6)].into_iter().chain(tone_byte)),
            'â' => out.extend([ascii('a'), with_tone(&VNI_CIRCUMFLEX)]),
            'ê' => out.extend([ascii('e'), with_tone(&VNI_CIRCUMFLEX)]),
            'ô' => out.extend([ascii('o'), with_tone(&VNI_CIRCUMFLEX)]),
            'ă' => out.extend([ascii('a'), with_tone(&VNI_BREVE)]),
            letter @ ('a' | 'e' | 'i' | 'o' | 'u' | 'y') => out.extend([ascii(letter)].into_iter().chain(tone_byte)),
            _ => panic!("VNI has no {c:?}"),
        }
    }
    out
}

/// Windows-1258's letters: those with a vowel mark, đ, and the few toned letters it has precomposed.
const WINDOWS1258_LETTERS: &[(char, u8)] = &[
    ('ă', 0xE3),
    ('â', 0xE2),
    ('ê', 0xEA),
    ('ô', 0xF4),
    ('ơ', 0xF5),
    ('ư', 0xFD),
    ('đ', 0xF0),
    ('Ă', 0xC3),
    ('Â', 0xC2),
    ('Ê', 0xCA),
    ('Ô', 0xD4),
    ('Ơ', 0xD5),
    ('Ư', 0xDD),
    ('Đ', 0xD0),
    ('à', 0xE0),
    ('á', 0xE1),
    ('è', 0xE8),
    ('é', 0xE9),
    ('í', 0xED),
    ('ó', 0xF3),
    ('ù', 0xF9),
    ('ú', 0xFA),
    ('À', 0xC0),
    ('Á', 0xC1),
    ('È', 0xC8),
    ('É', 0xC9),
    ('Í', 0xCD),
    ('Ó', 0xD3),
    ('Ù', 0xD9),
    ('Ú', 0xDA),
];

/// Windows-1258's combining tones: grave, acute, tilde, hook above, dot below.
const WINDOWS1258_TONES: [u8; 5] = [0xCC, 0xEC, 0xDE, 0xD2, 0xF2];

/// Windows-1258 as Windows writes it: a precomposed letter where the code page has one, else the
/// letter without tone and a combining tone.
fn windows1258(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else if let Some(byte) = lookup(PUNCTUATION, c).or_else(|| lookup(WINDOWS1258_LETTERS, c)) {
            out.push(byte);
        } else {
            let (vowel, tone) = split_tone(c);
            let base = if vowel.is_ascii() { Some(vowel as u8) } else { lookup(WINDOWS1258_LETTERS, vowel) };
            let (Some(base), Some(tone)) = (base, tone) else { panic!("Windows-1258 has no {c:?}") };
            out.extend([base, WINDOWS1258_TONES[tone_index(tone)]]);
        }
    }
    out
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let text = if bom { format!("\u{FEFF}{text}") } else { text.to_owned() };
    text.encode_utf16().flat_map(|unit| if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() }).collect()
}

/// Bytes as Windows-1252 reads them: what Word stores for text in a legacy font.
fn as_windows1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&byte| match byte {
            0x93 => '“',
            0x94 => '”',
            0x96 => '–',
            0x80..=0x9F => panic!("no Windows-1252 character for {byte:#04x} in these fixtures"),
            _ => char::from(byte),
        })
        .collect()
}

/// `\n` → `\r\n`, as Windows saves text.
fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

// ---- Checks ----

/// Compares NFC forms and names the first difference, so a wrong table entry is easy to find.
fn assert_same_text(label: &str, got: &str, want: &str) {
    let (got, want) = (normalize_text(got), normalize_text(want));
    if got == want {
        return;
    }
    let at = got.chars().zip(want.chars()).take_while(|(a, b)| a == b).count();
    let context = |text: &str| text.chars().skip(at.saturating_sub(20)).take(40).collect::<String>();
    panic!("{label}: differs at character {at}\n got: {:?}\nwant: {:?}", context(&got), context(&want));
}

#[test]
fn encoders_follow_the_code_charts() {
    // The charts' own examples: "Việt" is "ViÖt" in .VnTime and "Vieät" in VNI-Times.
    let cases: &[(&str, Vec<u8>, &[u8])] = &[
        ("TCVN3", tcvn3("Việt Nam"), b"Vi\xD6t Nam"),
        ("TCVN3", tcvn3("Thương"), b"Th\xAD\xACng"),
        ("VNI", vni("Việt Nam"), b"Vie\xE4t Nam"),
        ("VNI", vni("ĐƯỜNG đường"), b"\xD1\xD6\xD4\xD8NG \xF1\xF6\xF4\xF8ng"),
        ("Windows-1258", windows1258("Việt Nam"), b"Vi\xEA\xF2t Nam"),
        ("Windows-1258", windows1258("các hỏi"), b"c\xE1c ho\xD2i"),
    ];
    for (label, got, want) in cases {
        assert_eq!(got.as_slice(), *want, "{label}");
    }
    assert_eq!(as_windows1252(&tcvn3("Việt")), "ViÖt");
    assert_eq!(as_windows1252(&vni("Việt")), "Vieät");
}

#[test]
fn every_encoding_of_the_article_reads_back() {
    let tcvn3_mojibake = as_windows1252(&tcvn3(SEED));
    let vni_mojibake = as_windows1252(&vni(SEED));
    let cases: Vec<(&str, Vec<u8>, LegacyEncoding)> = vec![
        ("UTF-8", SEED.as_bytes().to_vec(), LegacyEncoding::Utf8),
        ("UTF-8 with BOM, CRLF", [b"\xEF\xBB\xBF", crlf(SEED).as_bytes()].concat(), LegacyEncoding::Utf8),
        ("UTF-16LE with BOM, CRLF", utf16(&crlf(SEED), true, true), LegacyEncoding::Utf16Le),
        ("UTF-16BE with BOM", utf16(SEED, false, true), LegacyEncoding::Utf16Be),
        ("UTF-16LE without BOM", utf16(SEED, true, false), LegacyEncoding::Utf16Le),
        ("UTF-16BE without BOM", utf16(SEED, false, false), LegacyEncoding::Utf16Be),
        ("TCVN3", tcvn3(SEED), LegacyEncoding::Tcvn3),
        ("TCVN3, CRLF", tcvn3(&crlf(SEED)), LegacyEncoding::Tcvn3),
        ("VNI", vni(SEED), LegacyEncoding::Vni),
        ("Windows-1258", windows1258(SEED), LegacyEncoding::Windows1258),
        ("TCVN3 saved as UTF-8", tcvn3_mojibake.as_bytes().to_vec(), LegacyEncoding::Tcvn3AsUnicode),
        ("TCVN3 saved as UTF-16LE", utf16(&crlf(&tcvn3_mojibake), true, true), LegacyEncoding::Tcvn3AsUnicode),
        ("VNI saved as UTF-8", vni_mojibake.as_bytes().to_vec(), LegacyEncoding::VniAsUnicode),
    ];
    for (label, bytes, encoding) in cases {
        let detected = decode_legacy_text(&bytes).map(|(_, encoding)| encoding);
        assert_eq!(detected, Some(encoding), "{label}");
        let extracted = extract(Format::Text, &bytes).unwrap_or_else(|err| panic!("{label}: {err}"));
        assert_same_text(label, &extracted.body, SEED);
    }
}

#[test]
fn each_paragraph_alone_reads_back() {
    // Short texts give the detection fewer words to go on.
    for paragraph in SEED.split("\n\n").filter(|p| p.chars().any(|c| !c.is_ascii() && c.is_alphabetic())) {
        let cases = [("TCVN3", tcvn3(paragraph)), ("VNI", vni(paragraph)), ("Windows-1258", windows1258(paragraph))];
        for (label, bytes) in cases {
            let extracted = extract(Format::Text, &bytes).unwrap_or_else(|err| panic!("{label} {paragraph:?}: {err}"));
            assert_same_text(&format!("{label} {paragraph:?}"), &extracted.body, paragraph);
        }
    }
}

#[test]
fn unicode_text_is_not_taken_for_legacy() {
    let cases = [
        SEED,
        "The quick brown fox jumps over the lazy dog. “Quoted” – and dashed… 100% plain.",
        "Cà Mau, Bà Nà, Hà Tĩnh và Bà Rịa",
        "Bà Nà",
        "Bác sĩ có ở đó",
        "café crème, Müller, año, à la carte, naïve façade",
        "Xin chao cac ban, san xuat sach hon",
        "Nghị định số 38/2015/NĐ-CP ngày 24/4/2015",
    ];
    for text in cases {
        assert_eq!(decode_legacy_text(text.as_bytes()), Some((text.to_owned(), LegacyEncoding::Utf8)), "{text:?}");
        let extracted = extract(Format::Text, text.as_bytes()).unwrap_or_else(|err| panic!("{text:?}: {err}"));
        assert_eq!(extracted.body, text);
    }
}

#[test]
fn bytes_no_encoding_reads_are_refused() {
    let mut noise: Vec<u8> = (0u32..2048).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80).collect();
    noise.extend(b" \xFF\xFE");
    let cases: &[(&str, &[u8])] = &[
        ("high-bit noise", &noise),
        ("UTF-8 cut inside a character", "Việt Nam".as_bytes().split_at(4).0),
        ("UTF-8 with a stray byte", b"Vi\xE1\xBB\x87t \xFF Nam \xE1\xBB\x87"),
    ];
    for (label, bytes) in cases {
        match extract(Format::Text, bytes) {
            Err(err @ ExtractError::InvalidUtf8 { .. }) => {
                let message = err.to_string();
                assert!(message.contains("TCVN3") && message.contains("UTF-16"), "{label}: {message}");
            }
            other => panic!("{label}: expected a refusal, got {other:?}"),
        }
    }
}

// ---- DOCX ----

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A run in `font` (as both `w:ascii` and `w:hAnsi`, or each given) holding `text`.
fn run(ascii: &str, h_ansi: &str, text: &str) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"{ascii}\" w:hAnsi=\"{h_ansi}\"/><w:sz w:val=\"26\"/></w:rPr>\
         <w:t xml:space=\"preserve\">{}</w:t></w:r>",
        xml_escape(text)
    )
}

fn docx(paragraphs: &[String]) -> Vec<u8> {
    let body: String = paragraphs.iter().map(|runs| format!("<w:p>{runs}</w:p>")).collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("word/document.xml", SimpleFileOptions::default()).expect("start file");
    writer.write_all(xml.as_bytes()).expect("write");
    writer.finish().expect("finish").into_inner()
}

#[test]
fn docx_runs_in_legacy_fonts_are_converted() {
    let title = "Hội thảo chia sẻ kinh nghiệm về hoạt động SXSH trong công nghiệp trên địa bàn tỉnh Bến Tre";
    let caption = "Hình 2. Tham quan nhà máy mía đường Bến Tre";
    let in_tcvn3 = |text: &str| as_windows1252(&tcvn3(text));
    let in_vni = |text: &str| as_windows1252(&vni(text));
    let paragraphs = [
        run(".VnTime", ".VnTime", &in_tcvn3(title)),
        // The capitals font: typed in small letters, shown as capitals.
        run(".VnTimeH", ".VnTimeH", &in_tcvn3("sở công thương bến tre")),
        run("VNI-Times", "VNI-Times", &in_vni(caption)),
        // Word splits runs anywhere, also inside a word.
        [
            run(".VnTime", ".VnTime", "Vi"),
            run(".VnTime", ".VnTime", &in_tcvn3("ệt Nam – ")),
            run("Arial", "Arial", "SXSH"),
        ]
        .concat(),
        // Not legacy fonts, or characters above ASCII shown in a Unicode font (w:hAnsi): kept as they are.
        run("Times New Roman", "Times New Roman", "ViÖt"),
        run(".VnTime", "Times New Roman", "ViÖt"),
        // Already Unicode in a legacy-font run (converted by a tool that kept the font name).
        run(".VnTime", ".VnTime", "Bến Tre, các tỉnh"),
    ];
    let extracted = extract(Format::Docx, &docx(&paragraphs)).expect("valid docx");
    let want =
        [title, "SỞ CÔNG THƯƠNG BẾN TRE", caption, "Việt Nam – SXSH", "ViÖt", "ViÖt", "Bến Tre, các tỉnh"].join("\n\n");
    assert_same_text("DOCX", &extracted.body, &want);
}

// ---- PDF ----

/// A ToUnicode CMap that maps each of `bytes` to its Windows-1252 character, as PDF writers do for fonts
/// they do not know the encoding of.
fn windows1252_to_unicode(bytes: &[u8]) -> Vec<u8> {
    let mut codes: Vec<u8> = bytes.to_vec();
    codes.sort_unstable();
    codes.dedup();
    let entries: String = codes
        .iter()
        .map(|&code| {
            let c = as_windows1252(&[code]).chars().next().unwrap_or_else(|| panic!("{code}"));
            format!("<{code:02X}> <{:04X}>\n", u32::from(c))
        })
        .collect();
    format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         1 begincodespacerange <00> <FF> endcodespacerange\n\
         {} beginbfchar\n{entries}endbfchar\n\
         endcmap CMapName currentdict /CMap defineresource pop end end",
        codes.len()
    )
    .into_bytes()
}

/// A one-page PDF with one line per `(BaseFont, shown bytes, with a Windows-1252 ToUnicode map)`, each
/// in a simple TrueType font of that name.
fn pdf(lines: &[(&str, Vec<u8>, bool)]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut fonts = Dictionary::new();
    let mut operations = Vec::new();
    for (i, (base_font, shown, to_unicode)) in lines.iter().enumerate() {
        let widths: Vec<Object> = (32..=255).map(|_| Object::Integer(500)).collect();
        let mut font = dictionary! {
            "Type" => "Font",
            "Subtype" => "TrueType",
            "BaseFont" => Object::Name(base_font.as_bytes().to_vec()),
            "FirstChar" => 32,
            "LastChar" => 255,
            "Widths" => widths,
            "Encoding" => "WinAnsiEncoding",
        };
        if *to_unicode {
            let cmap = doc.add_object(Stream::new(dictionary! {}, windows1252_to_unicode(shown)));
            font.set("ToUnicode", cmap);
        }
        let name = format!("F{i}");
        fonts.set(name.as_bytes().to_vec(), doc.add_object(font));
        let y = 700 - 40 * i as i64;
        operations.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![Object::Name(name.into_bytes()), 12.into()]),
            Operation::new("Td", vec![72.into(), y.into()]),
            Operation::new("Tj", vec![Object::string_literal(shown.clone())]),
            Operation::new("ET", vec![]),
        ]);
    }
    let content = Content { operations }.encode().expect("encode content");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let resources = doc.add_object(dictionary! { "Font" => fonts });
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => resources,
    });
    let pages = dictionary! {
        "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
    };
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    bytes
}

#[test]
fn pdf_glyphs_in_legacy_fonts_are_converted() {
    let lines = [
        "Hội thảo chia sẻ kinh nghiệm về hoạt động sản xuất sạch hơn",
        "Sở Công Thương Bến Tre tổ chức “Hội thảo”",
        "Trung tâm khuyến công Bến Tre",
        "VIỆT NAM",
        "ViÖt",
    ];
    let pdf = pdf(&[
        (".VnTime", tcvn3(lines[0]), false),
        ("ABCDEF+VNI-Times,Bold", vni(lines[1]), false),
        (".VnArial", tcvn3(lines[2]), true),
        ("GHIJKL+.VnTimeH", tcvn3("việt nam"), true),
        ("Arial", b"Vi\xD6t".to_vec(), false),
    ]);
    let extracted = extract(Format::Pdf, &pdf).expect("valid PDF");
    let words = |text: &str| normalize_text(text).split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(words(&extracted.body), words(&lines.join(" ")));
}
