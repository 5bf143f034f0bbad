//! Vietnam's provinces: the 63 provincial units the archive's documents were written under, how texts
//! write their names, and the 34 units they became on 1 July 2025.
//!
//! # The two maps
//!
//! The archive covers 2005–2025, when Vietnam had 63 provincial units: 58 provinces (*tỉnh*) and 5
//! centrally-run cities (*thành phố trực thuộc trung ương*: Hà Nội, Hải Phòng, Đà Nẵng, TP. Hồ Chí Minh,
//! Cần Thơ). Documents name those, so [`PROVINCES`] lists them and facets use their slugs. Resolution
//! 202/2025/QH15 of 12 June 2025 merged them into 34 units (28 provinces, 6 cities) from 1 July 2025: 11
//! units stayed as they were and 52 were merged into 23, each merged unit keeping the name of one of its
//! members. [`Province::merged_2025`] records, for each of the 63, the member whose name the new unit took,
//! and [`UNITS_2025`] lists the 34 with their names. (Thừa Thiên Huế had already become the centrally-run
//! city of Huế on 1 January 2025; it was not merged, and "Huế" resolves to it.)
//!
//! # Finding mentions
//!
//! Names and aliases go into a [`PhraseTable`] (see [`super::matcher`]): matching is on whole syllables,
//! longest first, so "Vĩnh Long" is not "Long An" and "Hà Nam Ninh" (a province of 1976–1991) is not "Hà
//! Nam". Stop phrases are entries that stand for no province: "Thái Bình Dương" (the Pacific Ocean) hides
//! its "Bình Dương" and "Thái Bình", and "Chủ tịch Hồ Chí Minh" and the other ways of naming the President
//! hide the city. Names that are also ordinary words or given names — "hòa bình" (peace), "thái bình"
//! (peaceful), "hải dương" (ocean), "cao bằng" (as tall as), "bình định" (to pacify), "Huế" — count
//! only when every syllable is capitalized. Regions such as ĐBSCL (the Mekong Delta) or Tây Nguyên are
//! not provinces and are not tagged.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::matcher::{lookup_syllables, LookupIndex, PhraseMatch, PhraseTable, Tally, TokenizedText};
use crate::analysis::fold_diacritics;

/// Most provinces returned per document.
pub const MAX_PROVINCES: usize = 5;

/// Whether a unit is a province or a centrally-run city.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// *tỉnh*
    Province,
    /// *thành phố trực thuộc trung ương*
    City,
}

/// One of the 63 provincial units before 1 July 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province {
    /// ASCII facet value: the folded name with hyphens ("ben-tre", "tp-ho-chi-minh").
    pub slug: &'static str,
    /// Display name.
    pub name: &'static str,
    pub kind: UnitKind,
    /// Other ways texts write the name (spelling variants, unaccented forms, abbreviations).
    pub aliases: &'static [&'static str],
    /// The name and aliases are also ordinary words or given names: only capitalized text counts.
    pub needs_capitals: bool,
    /// Forms that count only when capitalized, whatever [`Self::needs_capitals`] says ("HN", "Huế").
    pub capitalized_aliases: &'static [&'static str],
    /// Slug of the member that gave its name to the unit this one belongs to from 1 July 2025.
    pub merged_2025: &'static str,
}

impl Province {
    /// The name with its unit: "tỉnh Bến Tre", "TP. Hà Nội", "TP. Hồ Chí Minh".
    pub fn name_with_unit(&self) -> String {
        match self.kind {
            UnitKind::Province => format!("tỉnh {}", self.name),
            UnitKind::City if self.name.starts_with("TP.") => self.name.to_owned(),
            UnitKind::City => format!("TP. {}", self.name),
        }
    }
}

const fn province(
    slug: &'static str,
    name: &'static str,
    aliases: &'static [&'static str],
    merged_2025: &'static str,
) -> Province {
    Province {
        slug,
        name,
        kind: UnitKind::Province,
        aliases,
        needs_capitals: false,
        capitalized_aliases: &[],
        merged_2025,
    }
}

/// A province whose name is also a common word or given name: see [`Province::needs_capitals`].
const fn ambiguous(mut p: Province) -> Province {
    p.needs_capitals = true;
    p
}

const fn city(mut p: Province) -> Province {
    p.kind = UnitKind::City;
    p
}

const fn with_capitalized(mut p: Province, forms: &'static [&'static str]) -> Province {
    p.capitalized_aliases = forms;
    p
}

/// The 63 provincial units before 1 July 2025, north to south, with their 2025 units.
pub static PROVINCES: [Province; 63] = [
    // Red River Delta and the north
    with_capitalized(city(province("ha-noi", "Hà Nội", &["Hanoi", "TP.HN", "TPHN"], "ha-noi")), &["HN"]),
    ambiguous(city(province("hai-phong", "Hải Phòng", &["Haiphong"], "hai-phong"))),
    province("ha-giang", "Hà Giang", &[], "tuyen-quang"),
    ambiguous(province("cao-bang", "Cao Bằng", &[], "cao-bang")),
    province("bac-kan", "Bắc Kạn", &["Bắc Cạn"], "thai-nguyen"),
    province("tuyen-quang", "Tuyên Quang", &[], "tuyen-quang"),
    province("lao-cai", "Lào Cai", &[], "lao-cai"),
    province("dien-bien", "Điện Biên", &[], "dien-bien"),
    province("lai-chau", "Lai Châu", &[], "lai-chau"),
    province("son-la", "Sơn La", &[], "son-la"),
    province("yen-bai", "Yên Bái", &[], "lao-cai"),
    ambiguous(province("hoa-binh", "Hòa Bình", &[], "phu-tho")),
    province("thai-nguyen", "Thái Nguyên", &[], "thai-nguyen"),
    province("lang-son", "Lạng Sơn", &[], "lang-son"),
    province("quang-ninh", "Quảng Ninh", &[], "quang-ninh"),
    province("bac-giang", "Bắc Giang", &[], "bac-ninh"),
    ambiguous(province("phu-tho", "Phú Thọ", &[], "phu-tho")),
    ambiguous(province("vinh-phuc", "Vĩnh Phúc", &[], "phu-tho")),
    province("bac-ninh", "Bắc Ninh", &[], "bac-ninh"),
    ambiguous(province("hai-duong", "Hải Dương", &[], "hai-phong")),
    province("hung-yen", "Hưng Yên", &[], "hung-yen"),
    ambiguous(province("thai-binh", "Thái Bình", &[], "hung-yen")),
    province("ha-nam", "Hà Nam", &[], "ninh-binh"),
    province("nam-dinh", "Nam Định", &[], "ninh-binh"),
    province("ninh-binh", "Ninh Bình", &[], "ninh-binh"),
    // North Central and the central coast
    province("thanh-hoa", "Thanh Hóa", &[], "thanh-hoa"),
    province("nghe-an", "Nghệ An", &[], "nghe-an"),
    province("ha-tinh", "Hà Tĩnh", &[], "ha-tinh"),
    province("quang-binh", "Quảng Bình", &[], "quang-tri"),
    province("quang-tri", "Quảng Trị", &[], "quang-tri"),
    with_capitalized(
        province(
            "thua-thien-hue",
            "Thừa Thiên Huế",
            &["Thừa Thiên - Huế", "TT-Huế", "TT Huế", "Thừa Thiên"],
            "thua-thien-hue",
        ),
        &["Huế", "TP. Huế", "Thành phố Huế"],
    ),
    city(province("da-nang", "Đà Nẵng", &["Danang"], "da-nang")),
    province("quang-nam", "Quảng Nam", &[], "da-nang"),
    province("quang-ngai", "Quảng Ngãi", &[], "quang-ngai"),
    ambiguous(province("binh-dinh", "Bình Định", &[], "gia-lai")),
    ambiguous(province("phu-yen", "Phú Yên", &[], "dak-lak")),
    province("khanh-hoa", "Khánh Hòa", &[], "khanh-hoa"),
    province("ninh-thuan", "Ninh Thuận", &[], "khanh-hoa"),
    province("binh-thuan", "Bình Thuận", &[], "lam-dong"),
    // Central Highlands
    province("kon-tum", "Kon Tum", &["Kontum"], "quang-ngai"),
    province("gia-lai", "Gia Lai", &[], "gia-lai"),
    province("dak-lak", "Đắk Lắk", &["Đắc Lắc", "Đăk Lăk", "Đắk Lăk", "Đăk Lắk", "Daklak", "Đắklắk"], "dak-lak"),
    province("dak-nong", "Đắk Nông", &["Đắc Nông", "Đăk Nông", "Daknong", "Đắknông"], "lam-dong"),
    province("lam-dong", "Lâm Đồng", &[], "lam-dong"),
    // South East
    province("binh-phuoc", "Bình Phước", &[], "dong-nai"),
    province("tay-ninh", "Tây Ninh", &[], "tay-ninh"),
    province("binh-duong", "Bình Dương", &[], "tp-ho-chi-minh"),
    province("dong-nai", "Đồng Nai", &[], "dong-nai"),
    province(
        "ba-ria-vung-tau",
        "Bà Rịa – Vũng Tàu",
        &["Bà Rịa Vũng Tàu", "BR-VT", "BRVT", "Bà Rịa", "Vũng Tàu", "TP. Vũng Tàu"],
        "tp-ho-chi-minh",
    ),
    city(province(
        "tp-ho-chi-minh",
        "TP. Hồ Chí Minh",
        &[
            "Thành phố Hồ Chí Minh",
            "Hồ Chí Minh",
            "TP.HCM",
            "TP HCM",
            "TPHCM",
            "HCM",
            "HCMC",
            "Ho Chi Minh City",
            "Sài Gòn",
            "Saigon",
        ],
        "tp-ho-chi-minh",
    )),
    // Mekong Delta
    ambiguous(province("long-an", "Long An", &[], "tay-ninh")),
    province("tien-giang", "Tiền Giang", &[], "dong-thap"),
    province("ben-tre", "Bến Tre", &[], "vinh-long"),
    province("tra-vinh", "Trà Vinh", &[], "vinh-long"),
    province("vinh-long", "Vĩnh Long", &[], "vinh-long"),
    province("dong-thap", "Đồng Tháp", &[], "dong-thap"),
    province("an-giang", "An Giang", &[], "an-giang"),
    province("kien-giang", "Kiên Giang", &[], "an-giang"),
    ambiguous(city(province("can-tho", "Cần Thơ", &[], "can-tho"))),
    province("hau-giang", "Hậu Giang", &[], "can-tho"),
    province("soc-trang", "Sóc Trăng", &[], "can-tho"),
    province("bac-lieu", "Bạc Liêu", &[], "ca-mau"),
    province("ca-mau", "Cà Mau", &[], "ca-mau"),
];

/// The 34 provincial units from 1 July 2025 (Resolution 202/2025/QH15), as (slug of the pre-2025 member
/// whose name they took, name). Eleven of them were not merged: Hà Nội, Huế, Lai Châu, Điện Biên, Sơn La,
/// Lạng Sơn, Quảng Ninh, Thanh Hóa, Nghệ An, Hà Tĩnh, Cao Bằng.
pub static UNITS_2025: [(&str, &str); 34] = [
    // not merged
    ("ha-noi", "Hà Nội"),
    ("thua-thien-hue", "Huế"),
    ("lai-chau", "Lai Châu"),
    ("dien-bien", "Điện Biên"),
    ("son-la", "Sơn La"),
    ("lang-son", "Lạng Sơn"),
    ("quang-ninh", "Quảng Ninh"),
    ("thanh-hoa", "Thanh Hóa"),
    ("nghe-an", "Nghệ An"),
    ("ha-tinh", "Hà Tĩnh"),
    ("cao-bang", "Cao Bằng"),
    // merged: the name kept, then (in PROVINCES) the members
    ("tuyen-quang", "Tuyên Quang"),        // + Hà Giang
    ("lao-cai", "Lào Cai"),                // + Yên Bái
    ("thai-nguyen", "Thái Nguyên"),        // + Bắc Kạn
    ("phu-tho", "Phú Thọ"),                // + Vĩnh Phúc, Hòa Bình
    ("bac-ninh", "Bắc Ninh"),              // + Bắc Giang
    ("hung-yen", "Hưng Yên"),              // + Thái Bình
    ("hai-phong", "Hải Phòng"),            // + Hải Dương
    ("ninh-binh", "Ninh Bình"),            // + Hà Nam, Nam Định
    ("quang-tri", "Quảng Trị"),            // + Quảng Bình
    ("da-nang", "Đà Nẵng"),                // + Quảng Nam
    ("quang-ngai", "Quảng Ngãi"),          // + Kon Tum
    ("gia-lai", "Gia Lai"),                // + Bình Định
    ("khanh-hoa", "Khánh Hòa"),            // + Ninh Thuận
    ("lam-dong", "Lâm Đồng"),              // + Đắk Nông, Bình Thuận
    ("dak-lak", "Đắk Lắk"),                // + Phú Yên
    ("tp-ho-chi-minh", "TP. Hồ Chí Minh"), // + Bình Dương, Bà Rịa – Vũng Tàu
    ("dong-nai", "Đồng Nai"),              // + Bình Phước
    ("tay-ninh", "Tây Ninh"),              // + Long An
    ("can-tho", "Cần Thơ"),                // + Sóc Trăng, Hậu Giang
    ("vinh-long", "Vĩnh Long"),            // + Bến Tre, Trà Vinh
    ("dong-thap", "Đồng Tháp"),            // + Tiền Giang
    ("ca-mau", "Cà Mau"),                  // + Bạc Liêu
    ("an-giang", "An Giang"),              // + Kiên Giang
];

/// Phrases that name no province but contain one's name; matched (and consumed) like names.
const STOP_PHRASES: &[&str] = &[
    // the Pacific Ocean: not Thái Bình, not Bình Dương
    "Thái Bình Dương",
    // a province of 1976–1991 (Hà Nam, Nam Định, Ninh Bình together)
    "Hà Nam Ninh",
    // the President, and institutions named after him: not the city
    "Chủ tịch Hồ Chí Minh",
    "Bác Hồ Chí Minh",
    "tư tưởng Hồ Chí Minh",
    "đạo đức Hồ Chí Minh",
    "phong cách Hồ Chí Minh",
    "tấm gương Hồ Chí Minh",
    "thời đại Hồ Chí Minh",
    "đường mòn Hồ Chí Minh",
    "Cộng sản Hồ Chí Minh",
    "TNCS Hồ Chí Minh",
    "Tiền phong Hồ Chí Minh",
    "TNTP Hồ Chí Minh",
    "Giải thưởng Hồ Chí Minh",
    "Huân chương Hồ Chí Minh",
    "Chính trị quốc gia Hồ Chí Minh",
    // "Huế" is also a given name: Nguyễn Thị Huế
    "Thị Huế",
];

/// What a phrase in the province table stands for.
type ProvinceIndex = Option<usize>;

struct Gazetteer {
    phrases: PhraseTable<ProvinceIndex>,
    by_slug: HashMap<&'static str, usize>,
    lookup: LookupIndex,
}

/// Words before a province name that say what kind of unit it is; skipped when resolving a value.
const UNIT_WORDS: &[&str] = &["tinh", "tp", "thanh", "pho"];

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut phrases = PhraseTable::new();
    let mut by_slug = HashMap::new();
    let mut lookup = LookupIndex::default();
    for stop in STOP_PHRASES {
        phrases.insert(stop, None, false);
    }
    for (index, p) in PROVINCES.iter().enumerate() {
        by_slug.insert(p.slug, index);
        for form in std::iter::once(&p.name).chain(p.aliases) {
            phrases.insert(form, Some(index), p.needs_capitals);
        }
        for form in p.capitalized_aliases {
            phrases.insert(form, Some(index), true);
        }
        let keys =
            [p.slug, p.name].into_iter().chain(p.aliases.iter().copied()).chain(p.capitalized_aliases.iter().copied());
        for form in keys {
            lookup.insert(form, index);
        }
    }
    Gazetteer { phrases, by_slug, lookup }
});

/// The province with this slug.
pub fn by_slug(slug: &str) -> Option<&'static Province> {
    GAZETTEER.by_slug.get(slug).map(|&i| &PROVINCES[i])
}

/// The province a user's value means: its slug, its name with or without diacritics, an alias, or any
/// of those after "tỉnh" / "thành phố" / "TP" ("tp.hcm", "Thành phố Hồ Chí Minh", "tinh ben tre").
pub fn resolve(value: &str) -> Option<&'static Province> {
    resolve_syllables(&lookup_syllables(value))
}

/// [`resolve`] for a value already cut into exact-form syllables.
pub fn resolve_syllables(syllables: &[String]) -> Option<&'static Province> {
    let mut from = 0;
    while from < syllables.len() {
        if let Some(index) = GAZETTEER.lookup.get_syllables(&syllables[from..]) {
            return Some(&PROVINCES[index]);
        }
        if !UNIT_WORDS.contains(&fold_diacritics(&syllables[from]).as_ref()) {
            return None;
        }
        from += 1;
    }
    None
}

/// The 2025 unit `slug` belongs to, as (slug, name).
pub fn unit_2025(slug: &str) -> Option<(&'static str, &'static str)> {
    let merged = by_slug(slug)?.merged_2025;
    UNITS_2025.iter().find(|(s, _)| *s == merged).copied()
}

/// The province named at token `start` of `text`, if any (stop phrases name none), as an index into
/// [`PROVINCES`].
pub fn province_at(text: &TokenizedText, start: usize) -> Option<PhraseMatch<usize>> {
    let found = GAZETTEER.phrases.longest_at(text, start)?;
    let index = found.value?;
    Some(PhraseMatch { value: index, first: found.first, last: found.last, after: found.after })
}

/// Calls `on_mention` with the index into [`PROVINCES`] and the first token of each province mention in `text`.
pub fn scan(text: &TokenizedText, mut on_mention: impl FnMut(usize, usize)) {
    GAZETTEER.phrases.scan(text, |found| {
        if let Some(index) = found.value {
            on_mention(index, found.first);
        }
    });
}

/// The provinces a document mentions, most mentioned first (ties by first appearance, the title first).
pub fn detect(title: &TokenizedText, body: &TokenizedText) -> Vec<&'static Province> {
    let mut tally = Tally::default();
    scan(title, |index, first| tally.add(index, 1, first));
    scan(body, |index, first| tally.add(index, 1, title.len() + first));
    tally.ranked().into_iter().take(MAX_PROVINCES).map(|(index, _)| &PROVINCES[index]).collect()
}

/// Spellings given to two provinces, in texts or in filter values (must be empty).
pub fn conflicts() -> Vec<String> {
    let mut all = GAZETTEER.phrases.conflicts();
    all.extend(GAZETTEER.lookup.conflicts().iter().cloned());
    all.extend(GAZETTEER.lookup.ambiguous_folded().into_iter().map(str::to_owned));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(text: &str) -> Vec<&'static str> {
        let tokens = TokenizedText::new(text);
        let mut found = Vec::new();
        scan(&tokens, |index, _| found.push(PROVINCES[index].slug));
        found
    }

    #[test]
    fn finds_provinces_in_sentences() {
        let cases: &[(&str, &[&str])] = &[
            ("Hội thảo SXSH tại tỉnh Bến Tre ngày 14/4/2011", &["ben-tre"]),
            ("Sở Công Thương Thanh Hoá phối hợp tổ chức", &["thanh-hoa"]), // old tone placement
            ("Sở Công Thương Thanh Hóa phối hợp tổ chức", &["thanh-hoa"]),
            ("Be\u{0302}\u{0301}n Tre va\u{0300} Tra\u{0300} Vinh", &["ben-tre", "tra-vinh"]), // NFD
            ("Doanh nghiệp tại TP.HCM và Bình Dương", &["tp-ho-chi-minh", "binh-duong"]),
            ("TPHCM, Tp. Hồ Chí Minh, Tp Hồ\nChí Minh, Sài Gòn, HCM", &["tp-ho-chi-minh"; 5]),
            ("Thành phố Hồ Chí Minh", &["tp-ho-chi-minh"]),
            ("các tỉnh Vĩnh Long, Long An, An Giang", &["vinh-long", "long-an", "an-giang"]),
            ("Vĩnh Long An Giang", &["vinh-long", "an-giang"]),
            ("tỉnh Hà Nam Ninh cũ", &[]),
            ("tỉnh Hà Nam", &["ha-nam"]),
            ("Nam Định và Bình Định", &["nam-dinh", "binh-dinh"]),
            ("kiên định mục tiêu", &[]),
            ("Bình Phước, Bình Thuận, Bình Dương, Bình Định", &["binh-phuoc", "binh-thuan", "binh-duong", "binh-dinh"]),
            (
                "Quảng Nam, Quảng Ngãi, Quảng Ninh, Quảng Bình, Quảng Trị",
                &["quang-nam", "quang-ngai", "quang-ninh", "quang-binh", "quang-tri"],
            ),
            ("Tỉnh Hòa Bình tổ chức", &["hoa-binh"]),
            ("vì hòa bình và phát triển", &[]),
            ("Thái Bình Dương", &[]),
            ("Nhà máy đường Sông Mã", &[]),
            ("học tập tư tưởng Hồ Chí Minh", &[]),
            ("Chủ tịch UBND TP Hồ Chí Minh", &["tp-ho-chi-minh"]),
            ("Thừa Thiên Huế, Thừa Thiên - Huế và Huế", &["thua-thien-hue"; 3]),
            ("bà Nguyễn Thị Huế", &[]),
            ("hoa huệ", &[]),
            ("BR-VT, Bà Rịa – Vũng Tàu, Bà Rịa - Vũng Tàu", &["ba-ria-vung-tau"; 3]),
            ("Đắc Lắc, Đắk Lắk, Bắc Cạn", &["dak-lak", "dak-lak", "bac-kan"]),
            ("vùng ĐBSCL và Tây Nguyên", &[]),
            ("ha noi, Ha Noi va HN", &["ha-noi", "ha-noi", "ha-noi"]),
            ("cân nặng hn", &[]),
            ("SỞ CÔNG THƯƠNG TỈNH BẾN TRE", &["ben-tre"]),
        ];
        for (text, expected) in cases {
            assert_eq!(mentions(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn ranks_by_count_then_first_appearance_and_keeps_five() {
        let title = TokenizedText::new("Hội thảo tại Cần Thơ");
        let body = TokenizedText::new("Cà Mau, Bạc Liêu, Sóc Trăng, Hậu Giang, Kiên Giang, Cà Mau, An Giang");
        let found: Vec<&str> = detect(&title, &body).iter().map(|p| p.slug).collect();
        assert_eq!(found, ["ca-mau", "can-tho", "bac-lieu", "soc-trang", "hau-giang"]);
    }

    #[test]
    fn there_are_63_provinces_and_34_units_in_2025() {
        assert_eq!(PROVINCES.len(), 63);
        assert_eq!(PROVINCES.iter().filter(|p| p.kind == UnitKind::City).count(), 5);
        let mut slugs: Vec<&str> = PROVINCES.iter().map(|p| p.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 63, "slugs are unique");
        assert_eq!(UNITS_2025.len(), 34);
        for (slug, _) in &UNITS_2025 {
            let p = by_slug(slug).unwrap_or_else(|| panic!("{slug} is a pre-2025 slug"));
            assert_eq!(p.merged_2025, *slug, "{slug} keeps its own name in 2025");
        }
        for p in &PROVINCES {
            assert!(UNITS_2025.iter().any(|(s, _)| *s == p.merged_2025), "{} merges into a 2025 unit", p.slug);
        }
        let unmerged = UNITS_2025.iter().filter(|(s, _)| PROVINCES.iter().filter(|p| p.merged_2025 == *s).count() == 1);
        assert_eq!(unmerged.count(), 11);
        assert!(conflicts().is_empty(), "{:?}", conflicts());
    }

    #[test]
    fn slugs_are_the_folded_names() {
        for p in &PROVINCES {
            let folded: Vec<String> =
                lookup_syllables(p.name).iter().map(|s| fold_diacritics(s).into_owned()).collect();
            assert_eq!(p.slug, folded.join("-"), "{}", p.name);
        }
    }

    #[test]
    fn merger_table() {
        let cases = [
            ("ben-tre", "vinh-long", "Vĩnh Long"),
            ("tra-vinh", "vinh-long", "Vĩnh Long"),
            ("binh-duong", "tp-ho-chi-minh", "TP. Hồ Chí Minh"),
            ("ba-ria-vung-tau", "tp-ho-chi-minh", "TP. Hồ Chí Minh"),
            ("soc-trang", "can-tho", "Cần Thơ"),
            ("hau-giang", "can-tho", "Cần Thơ"),
            ("thua-thien-hue", "thua-thien-hue", "Huế"),
            ("ha-noi", "ha-noi", "Hà Nội"),
            ("thanh-hoa", "thanh-hoa", "Thanh Hóa"),
            ("hoa-binh", "phu-tho", "Phú Thọ"),
            ("ha-nam", "ninh-binh", "Ninh Bình"),
            ("quang-nam", "da-nang", "Đà Nẵng"),
            ("kien-giang", "an-giang", "An Giang"),
        ];
        for (slug, merged, name) in cases {
            assert_eq!(unit_2025(slug), Some((merged, name)), "{slug}");
        }
        assert_eq!(unit_2025("hue"), None);
    }

    #[test]
    fn resolves_user_values() {
        let cases = [
            ("ben-tre", "ben-tre"),
            ("Bến Tre", "ben-tre"),
            ("ben tre", "ben-tre"),
            ("tỉnh Bến Tre", "ben-tre"),
            ("tp.hcm", "tp-ho-chi-minh"),
            ("TP.HCM", "tp-ho-chi-minh"),
            ("hcm", "tp-ho-chi-minh"),
            ("sai gon", "tp-ho-chi-minh"),
            ("Thành phố Hồ Chí Minh", "tp-ho-chi-minh"),
            ("tp-ho-chi-minh", "tp-ho-chi-minh"),
            ("Thanh Hoá", "thanh-hoa"),
            ("Huế", "thua-thien-hue"),
            ("hue", "thua-thien-hue"),
            ("Thừa Thiên Huế", "thua-thien-hue"),
            ("BR-VT", "ba-ria-vung-tau"),
            ("HN", "ha-noi"),
            ("dak lak", "dak-lak"),
            ("Can Tho", "can-tho"),
            ("thành phố Cần Thơ", "can-tho"),
        ];
        for (value, slug) in cases {
            assert_eq!(resolve(value).map(|p| p.slug), Some(slug), "{value:?}");
        }
        for value in ["", "tỉnh", "ĐBSCL", "Tây Nguyên", "Việt Nam"] {
            assert_eq!(resolve(value).map(|p| p.slug), None, "{value:?}");
        }
    }

    #[test]
    fn names_with_unit() {
        let name = |slug| by_slug(slug).map(Province::name_with_unit);
        assert_eq!(name("ben-tre").as_deref(), Some("tỉnh Bến Tre"));
        assert_eq!(name("ha-noi").as_deref(), Some("TP. Hà Nội"));
        assert_eq!(name("tp-ho-chi-minh").as_deref(), Some("TP. Hồ Chí Minh"));
    }
}
