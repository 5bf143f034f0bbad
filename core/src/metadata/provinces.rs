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
//! members. [`UNITS_2025`] is that table, the one source of the merger: each of the 34 with the former
//! units it is made of. (Thừa Thiên Huế had already become the centrally-run city of Huế on 1 January
//! 2025; it was not merged, and "Huế" resolves to it.)
//!
//! # Today's provinces in filters, facets and pages
//!
//! Documents keep the provinces they name: a 2011 article about Bến Tre is tagged `ben-tre`, not
//! `vinh-long`, so nothing is reindexed when borders move and the document page can say what the text
//! says. Today's provinces are applied when searching, at query time ([`filter_members`]):
//!
//! - **filters**: a unit's slug means the whole unit of today: `province:vinh-long` matches documents
//!   tagged `vinh-long`, `ben-tre` or `tra-vinh`. A former province that did not give its name stays
//!   narrow (`province:ben-tre` is Bến Tre alone). The former Vĩnh Long alone cannot be asked for
//!   apart from its unit: a researcher asking for Vĩnh Long today means the province of today.
//! - **facets** count today's 34 units (see `crate::facets`): a document about Bến Tre and Trà Vinh
//!   counts once under "Vĩnh Long", so a facet's count is what clicking it (`province:vinh-long`) gives.
//! - **pages** name a merged province with its unit of today: "Bến Tre (nay thuộc Vĩnh Long)"
//!   ([`name_with_unit_2025`]).
//!
//! //! # Finding mentions
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

const fn province(slug: &'static str, name: &'static str, aliases: &'static [&'static str]) -> Province {
    Province { slug, name, kind: UnitKind::Province, aliases, needs_capitals: false, capitalized_aliases: &[] }
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

/// The 63 provincial units before 1 July 2025, north to south.
pub static PROVINCES: [Province; 63] = [
    // Red River Delta and the north
    with_capitalized(city(province("ha-noi", "Hà Nội", &["Hanoi", "TP.HN", "TPHN"])), &["HN"]),
    ambiguous(city(province("hai-phong", "Hải Phòng", &["Haiphong"]))),
    province("ha-giang", "Hà Giang", &[]),
    ambiguous(province("cao-bang", "Cao Bằng", &[])),
    province("bac-kan", "Bắc Kạn", &["Bắc Cạn"]),
    province("tuyen-quang", "Tuyên Quang", &[]),
    province("lao-cai", "Lào Cai", &[]),
    province("dien-bien", "Điện Biên", &[]),
    province("lai-chau", "Lai Châu", &[]),
    province("son-la", "Sơn La", &[]),
    province("yen-bai", "Yên Bái", &[]),
    ambiguous(province("hoa-binh", "Hòa Bình", &[])),
    province("thai-nguyen", "Thái Nguyên", &[]),
    province("lang-son", "Lạng Sơn", &[]),
    province("quang-ninh", "Quảng Ninh", &[]),
    province("bac-giang", "Bắc Giang", &[]),
    ambiguous(province("phu-tho", "Phú Thọ", &[])),
    ambiguous(province("vinh-phuc", "Vĩnh Phúc", &[])),
    province("bac-ninh", "Bắc Ninh", &[]),
    ambiguous(province("hai-duong", "Hải Dương", &[])),
    province("hung-yen", "Hưng Yên", &[]),
    ambiguous(province("thai-binh", "Thái Bình", &[])),
    province("ha-nam", "Hà Nam", &[]),
    province("nam-dinh", "Nam Định", &[]),
    province("ninh-binh", "Ninh Bình", &[]),
    // North Central and the central coast
    province("thanh-hoa", "Thanh Hóa", &[]),
    province("nghe-an", "Nghệ An", &[]),
    province("ha-tinh", "Hà Tĩnh", &[]),
    province("quang-binh", "Quảng Bình", &[]),
    province("quang-tri", "Quảng Trị", &[]),
    with_capitalized(
        province("thua-thien-hue", "Thừa Thiên Huế", &["Thừa Thiên - Huế", "TT-Huế", "TT Huế", "Thừa Thiên"]),
        &["Huế", "TP. Huế", "Thành phố Huế"],
    ),
    city(province("da-nang", "Đà Nẵng", &["Danang"])),
    province("quang-nam", "Quảng Nam", &[]),
    province("quang-ngai", "Quảng Ngãi", &[]),
    ambiguous(province("binh-dinh", "Bình Định", &[])),
    ambiguous(province("phu-yen", "Phú Yên", &[])),
    province("khanh-hoa", "Khánh Hòa", &[]),
    province("ninh-thuan", "Ninh Thuận", &[]),
    province("binh-thuan", "Bình Thuận", &[]),
    // Central Highlands
    province("kon-tum", "Kon Tum", &["Kontum"]),
    province("gia-lai", "Gia Lai", &[]),
    province("dak-lak", "Đắk Lắk", &["Đắc Lắc", "Đăk Lăk", "Đắk Lăk", "Đăk Lắk", "Daklak", "Đắklắk"]),
    province("dak-nong", "Đắk Nông", &["Đắc Nông", "Đăk Nông", "Daknong", "Đắknông"]),
    province("lam-dong", "Lâm Đồng", &[]),
    // South East
    province("binh-phuoc", "Bình Phước", &[]),
    province("tay-ninh", "Tây Ninh", &[]),
    province("binh-duong", "Bình Dương", &[]),
    province("dong-nai", "Đồng Nai", &[]),
    province(
        "ba-ria-vung-tau",
        "Bà Rịa – Vũng Tàu",
        &["Bà Rịa Vũng Tàu", "BR-VT", "BRVT", "Bà Rịa", "Vũng Tàu", "TP. Vũng Tàu"],
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
    )),
    // Mekong Delta
    ambiguous(province("long-an", "Long An", &[])),
    province("tien-giang", "Tiền Giang", &[]),
    province("ben-tre", "Bến Tre", &[]),
    province("tra-vinh", "Trà Vinh", &[]),
    province("vinh-long", "Vĩnh Long", &[]),
    province("dong-thap", "Đồng Tháp", &[]),
    province("an-giang", "An Giang", &[]),
    province("kien-giang", "Kiên Giang", &[]),
    ambiguous(city(province("can-tho", "Cần Thơ", &[]))),
    province("hau-giang", "Hậu Giang", &[]),
    province("soc-trang", "Sóc Trăng", &[]),
    province("bac-lieu", "Bạc Liêu", &[]),
    province("ca-mau", "Cà Mau", &[]),
];

/// One of the 34 provincial units from 1 July 2025, and the units of before that it was made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit2025 {
    /// The slug of the member whose name the unit kept: also a valid `province:` value.
    pub slug: &'static str,
    /// Its name from 2025 ("Huế" for the former Thừa Thiên Huế).
    pub name: &'static str,
    pub kind: UnitKind,
    /// Slugs of the pre-2025 units it is made of, its own first; one for the 11 units left as they were.
    pub members: &'static [&'static str],
}

const fn unit(slug: &'static str, name: &'static str, members: &'static [&'static str]) -> Unit2025 {
    Unit2025 { slug, name, kind: UnitKind::Province, members }
}

const fn city_2025(mut u: Unit2025) -> Unit2025 {
    u.kind = UnitKind::City;
    u
}

/// The 34 provincial units from 1 July 2025 (Resolution 202/2025/QH15 of 12 June 2025, Article 1): 11
/// left as they were, then the 23 merged ones in the resolution's order, each with its members (the
/// member whose name the unit kept first). This table is the one source of the merger: every one of the
/// 63 former units is a member of exactly one unit (checked by the tests).
pub static UNITS_2025: [Unit2025; 34] = [
    // Not merged (Article 1 names them as staying as they were).
    city_2025(unit("ha-noi", "Hà Nội", &["ha-noi"])),
    city_2025(unit("thua-thien-hue", "Huế", &["thua-thien-hue"])),
    unit("lai-chau", "Lai Châu", &["lai-chau"]),
    unit("dien-bien", "Điện Biên", &["dien-bien"]),
    unit("son-la", "Sơn La", &["son-la"]),
    unit("lang-son", "Lạng Sơn", &["lang-son"]),
    unit("quang-ninh", "Quảng Ninh", &["quang-ninh"]),
    unit("thanh-hoa", "Thanh Hóa", &["thanh-hoa"]),
    unit("nghe-an", "Nghệ An", &["nghe-an"]),
    unit("ha-tinh", "Hà Tĩnh", &["ha-tinh"]),
    unit("cao-bang", "Cao Bằng", &["cao-bang"]),
    // Merged.
    unit("tuyen-quang", "Tuyên Quang", &["tuyen-quang", "ha-giang"]),
    unit("lao-cai", "Lào Cai", &["lao-cai", "yen-bai"]),
    unit("thai-nguyen", "Thái Nguyên", &["thai-nguyen", "bac-kan"]),
    unit("phu-tho", "Phú Thọ", &["phu-tho", "vinh-phuc", "hoa-binh"]),
    unit("bac-ninh", "Bắc Ninh", &["bac-ninh", "bac-giang"]),
    unit("hung-yen", "Hưng Yên", &["hung-yen", "thai-binh"]),
    city_2025(unit("hai-phong", "Hải Phòng", &["hai-phong", "hai-duong"])),
    unit("ninh-binh", "Ninh Bình", &["ninh-binh", "ha-nam", "nam-dinh"]),
    unit("quang-tri", "Quảng Trị", &["quang-tri", "quang-binh"]),
    city_2025(unit("da-nang", "Đà Nẵng", &["da-nang", "quang-nam"])),
    unit("quang-ngai", "Quảng Ngãi", &["quang-ngai", "kon-tum"]),
    unit("gia-lai", "Gia Lai", &["gia-lai", "binh-dinh"]),
    unit("khanh-hoa", "Khánh Hòa", &["khanh-hoa", "ninh-thuan"]),
    unit("lam-dong", "Lâm Đồng", &["lam-dong", "dak-nong", "binh-thuan"]),
    unit("dak-lak", "Đắk Lắk", &["dak-lak", "phu-yen"]),
    city_2025(unit("tp-ho-chi-minh", "TP. Hồ Chí Minh", &["tp-ho-chi-minh", "binh-duong", "ba-ria-vung-tau"])),
    unit("dong-nai", "Đồng Nai", &["dong-nai", "binh-phuoc"]),
    unit("tay-ninh", "Tây Ninh", &["tay-ninh", "long-an"]),
    city_2025(unit("can-tho", "Cần Thơ", &["can-tho", "soc-trang", "hau-giang"])),
    unit("vinh-long", "Vĩnh Long", &["vinh-long", "ben-tre", "tra-vinh"]),
    unit("dong-thap", "Đồng Tháp", &["dong-thap", "tien-giang"]),
    unit("ca-mau", "Cà Mau", &["ca-mau", "bac-lieu"]),
    unit("an-giang", "An Giang", &["an-giang", "kien-giang"]),
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

/// The 2025 unit that the pre-2025 province `slug` belongs to.
pub fn unit_of(slug: &str) -> Option<&'static Unit2025> {
    UNITS_2025.iter().find(|unit| unit.members.contains(&slug))
}

/// The 2025 unit `slug` belongs to, as (slug, name).
pub fn unit_2025(slug: &str) -> Option<(&'static str, &'static str)> {
    unit_of(slug).map(|unit| (unit.slug, unit.name))
}

/// The 2025 unit whose slug is `slug` (a unit keeps the slug of the member that gave it its name).
pub fn unit_by_slug(slug: &str) -> Option<&'static Unit2025> {
    UNITS_2025.iter().find(|unit| unit.slug == slug)
}

/// The province slugs a `province:` filter on `slug` matches: every member of the unit of today when
/// `slug` is one ("vinh-long" → vinh-long, ben-tre, tra-vinh), else `slug` alone.
pub fn filter_members(slug: &str) -> Vec<&str> {
    match unit_by_slug(slug) {
        Some(unit) => unit.members.to_vec(),
        None => vec![slug],
    }
}

/// A province's name with what it is today: "Bến Tre (nay thuộc Vĩnh Long)", "Thừa Thiên Huế (nay là
/// Huế)", "Hà Nội"; `None` for an unknown slug.
pub fn name_with_unit_2025(slug: &str) -> Option<String> {
    let province = by_slug(slug)?;
    let Some(unit) = unit_of(slug) else { return Some(province.name.to_owned()) };
    Some(if unit.slug != slug {
        format!("{} (nay thuộc {})", province.name, unit.name)
    } else if unit.name != province.name {
        format!("{} (nay là {})", province.name, unit.name)
    } else {
        province.name.to_owned()
    })
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
        for unit in &UNITS_2025 {
            let p = by_slug(unit.slug).unwrap_or_else(|| panic!("{} is a pre-2025 slug", unit.slug));
            assert_eq!(unit.members.first(), Some(&unit.slug), "{} lists itself first", unit.slug);
            assert!(unit.name == p.name || unit.slug == "thua-thien-hue", "{} keeps its member's name", unit.slug);
        }
        for p in &PROVINCES {
            let units: Vec<&str> = UNITS_2025.iter().filter(|u| u.members.contains(&p.slug)).map(|u| u.slug).collect();
            assert_eq!(units.len(), 1, "{} is a member of exactly one unit: {units:?}", p.slug);
        }
        assert_eq!(UNITS_2025.iter().map(|u| u.members.len()).sum::<usize>(), 63, "no member twice");
        let unmerged: Vec<&Unit2025> = UNITS_2025.iter().filter(|u| u.members.len() == 1).collect();
        assert_eq!(unmerged.len(), 11);
        // Article 1 sums up: 28 provinces and 6 cities; 19 provinces and 4 cities formed by merging,
        // 9 provinces and 2 cities (Hà Nội, Huế) left as they were.
        let count = |units: &[&Unit2025], kind| units.iter().filter(|u| u.kind == kind).count();
        let all: Vec<&Unit2025> = UNITS_2025.iter().collect();
        assert_eq!((count(&all, UnitKind::Province), count(&all, UnitKind::City)), (28, 6));
        assert_eq!((count(&unmerged, UnitKind::Province), count(&unmerged, UnitKind::City)), (9, 2));
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

    /// Resolution 202/2025/QH15, Article 1, entry by entry, by name: each unit of today and the
    /// provinces and cities it was formed from.
    #[test]
    fn the_resolution_entry_by_entry() {
        let resolution: [(&str, &[&str]); 34] = [
            ("Tuyên Quang", &["Hà Giang", "Tuyên Quang"]),
            ("Lào Cai", &["Yên Bái", "Lào Cai"]),
            ("Thái Nguyên", &["Bắc Kạn", "Thái Nguyên"]),
            ("Phú Thọ", &["Vĩnh Phúc", "Hòa Bình", "Phú Thọ"]),
            ("Bắc Ninh", &["Bắc Giang", "Bắc Ninh"]),
            ("Hưng Yên", &["Thái Bình", "Hưng Yên"]),
            ("Hải Phòng", &["Hải Dương", "Hải Phòng"]),
            ("Ninh Bình", &["Hà Nam", "Nam Định", "Ninh Bình"]),
            ("Quảng Trị", &["Quảng Bình", "Quảng Trị"]),
            ("Đà Nẵng", &["Quảng Nam", "Đà Nẵng"]),
            ("Quảng Ngãi", &["Kon Tum", "Quảng Ngãi"]),
            ("Gia Lai", &["Gia Lai", "Bình Định"]),
            ("Khánh Hòa", &["Ninh Thuận", "Khánh Hòa"]),
            ("Lâm Đồng", &["Đắk Nông", "Bình Thuận", "Lâm Đồng"]),
            ("Đắk Lắk", &["Phú Yên", "Đắk Lắk"]),
            ("TP. Hồ Chí Minh", &["Bà Rịa – Vũng Tàu", "Bình Dương", "TP. Hồ Chí Minh"]),
            ("Đồng Nai", &["Bình Phước", "Đồng Nai"]),
            ("Tây Ninh", &["Long An", "Tây Ninh"]),
            ("Cần Thơ", &["Sóc Trăng", "Hậu Giang", "Cần Thơ"]),
            ("Vĩnh Long", &["Bến Tre", "Vĩnh Long", "Trà Vinh"]),
            ("Đồng Tháp", &["Tiền Giang", "Đồng Tháp"]),
            ("Cà Mau", &["Bạc Liêu", "Cà Mau"]),
            ("An Giang", &["Kiên Giang", "An Giang"]),
            // Left as they were.
            ("Cao Bằng", &["Cao Bằng"]),
            ("Điện Biên", &["Điện Biên"]),
            ("Hà Tĩnh", &["Hà Tĩnh"]),
            ("Lai Châu", &["Lai Châu"]),
            ("Lạng Sơn", &["Lạng Sơn"]),
            ("Nghệ An", &["Nghệ An"]),
            ("Quảng Ninh", &["Quảng Ninh"]),
            ("Thanh Hóa", &["Thanh Hóa"]),
            ("Sơn La", &["Sơn La"]),
            ("Hà Nội", &["Hà Nội"]),
            ("Huế", &["Thừa Thiên Huế"]),
        ];
        for (name, members) in resolution {
            let unit = UNITS_2025.iter().find(|u| u.name == name).unwrap_or_else(|| panic!("no unit {name}"));
            let mut expected: Vec<&str> = members.to_vec();
            let mut found: Vec<&str> = unit.members.iter().map(|m| by_slug(m).map_or("?", |p| p.name)).collect();
            expected.sort_unstable();
            found.sort_unstable();
            assert_eq!(found, expected, "{name}");
        }
    }

    #[test]
    fn filters_and_names_of_today() {
        assert_eq!(filter_members("vinh-long"), ["vinh-long", "ben-tre", "tra-vinh"]);
        assert_eq!(filter_members("ben-tre"), ["ben-tre"]);
        assert_eq!(filter_members("ha-noi"), ["ha-noi"]);
        assert_eq!(filter_members("tp-ho-chi-minh"), ["tp-ho-chi-minh", "binh-duong", "ba-ria-vung-tau"]);
        let names = [
            ("ben-tre", "Bến Tre (nay thuộc Vĩnh Long)"),
            ("ba-ria-vung-tau", "Bà Rịa – Vũng Tàu (nay thuộc TP. Hồ Chí Minh)"),
            ("vinh-long", "Vĩnh Long"),
            ("thua-thien-hue", "Thừa Thiên Huế (nay là Huế)"),
            ("ha-noi", "Hà Nội"),
        ];
        for (slug, name) in names {
            assert_eq!(name_with_unit_2025(slug).as_deref(), Some(name), "{slug}");
        }
        assert_eq!(name_with_unit_2025("atlantis"), None);
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
