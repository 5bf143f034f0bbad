//! Organizations of the cleaner-production programme: the ministry and its offices, provincial
//! departments, the CPI component and its Danish funder, and the technical centres.
//!
//! # National and provincial organizations
//!
//! Most organizations exist once: Bộ Công Thương (the Ministry of Industry and Trade, MOIT), its Văn phòng
//! SXSH (the office of the national cleaner-production strategy), Hợp phần CPI (the Danida-funded Cleaner
//! Production in Industry component), VNCPC, UNIDO… Others exist in every province, and the interesting
//! fact is *which* one: "Sở Công Thương Bến Tre" is not "Sở Công Thương Thanh Hóa". A
//! [`Scope::Provincial`] organization is therefore tagged with its province when a province name follows
//! its name, optionally after "tỉnh", "thành phố" or "TP" ("Sở Công Thương tỉnh Bến Tre",
//! "UBND TP. Hồ Chí Minh"): slug `so-cong-thuong-ben-tre`, name "Sở Công Thương Bến Tre". Without a
//! province it is tagged generically ("16 Sở Công Thương … các tỉnh phía Nam"), unless the bare name says
//! too little to be worth a tag (`UBND` alone may be a district's or a commune's people's committee).
//!
//! Names and aliases are found with the shared longest-match scan (see [`super::matcher`]), so
//! "Trung tâm Sản xuất sạch hơn Việt Nam" is VNCPC, not the provincial "Trung tâm Sản xuất sạch hơn" of a
//! province called "Việt Nam". Abbreviations that are also other things' initials ("BCT", "SCT") count
//! only in capitals.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::matcher::{lookup_syllables, LookupIndex, PhraseTable, Tally, TokenizedText};
use super::provinces::{self, Province, PROVINCES};

/// Most organizations returned per document.
pub const MAX_ORGANIZATIONS: usize = 6;

/// Whether an organization is one of a kind or has one office per province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    National,
    Provincial {
        /// Tag the bare name (no province after it) with the generic slug.
        generic: bool,
        /// The province is named with its unit: "UBND tỉnh Bến Tre" rather than "UBND Bến Tre".
        unit_in_name: bool,
    },
}

/// An organization of the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Organization {
    /// ASCII facet value; provincial offices add the province's slug ("so-cong-thuong-ben-tre").
    pub slug: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Other ways texts write it, matched like the name.
    pub aliases: &'static [&'static str],
    /// Abbreviations that count only in capitals.
    pub capitalized_aliases: &'static [&'static str],
    /// Forms accepted in filters only, too ambiguous in running text ("CPI" is also the consumer price index).
    pub filter_aliases: &'static [&'static str],
    pub scope: Scope,
}

const NATIONAL: Scope = Scope::National;
const PROVINCIAL: Scope = Scope::Provincial { generic: true, unit_in_name: false };

/// The organizations.
pub static ORGANIZATIONS: [Organization; 15] = [
    Organization {
        slug: "bo-cong-thuong",
        name: "Bộ Công Thương",
        aliases: &["Ministry of Industry and Trade"],
        capitalized_aliases: &["BCT", "MOIT"],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "so-cong-thuong",
        name: "Sở Công Thương",
        aliases: &["Department of Industry and Trade"],
        capitalized_aliases: &["SCT", "DOIT"],
        filter_aliases: &[],
        scope: PROVINCIAL,
    },
    Organization {
        slug: "trung-tam-khuyen-cong",
        name: "Trung tâm Khuyến công",
        aliases: &[
            "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
            "Trung tâm Khuyến công Tư vấn phát triển công nghiệp",
            "Trung tâm Khuyến công và Tư vấn công nghiệp",
            "Trung tâm Khuyến công và Phát triển công nghiệp",
            "Trung tâm Khuyến công và Xúc tiến thương mại",
        ],
        capitalized_aliases: &["TTKC"],
        filter_aliases: &[],
        scope: PROVINCIAL,
    },
    Organization {
        slug: "van-phong-sxsh",
        name: "Văn phòng giúp việc Chiến lược SXSH",
        aliases: &[
            "Văn phòng SXSH",
            "Văn phòng Sản xuất sạch hơn",
            "Văn phòng giúp việc Chiến lược sản xuất sạch hơn",
            "Văn phòng giúp việc Chiến lược SXSH trong công nghiệp",
            "Văn phòng giúp việc Chiến lược sản xuất sạch hơn trong công nghiệp",
            "Văn phòng Chiến lược SXSH",
        ],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "hop-phan-cpi",
        name: "Hợp phần SXSH trong công nghiệp (CPI)",
        aliases: &[
            "Hợp phần CPI",
            "Hợp phần SXSH",
            "Hợp phần SXSH trong công nghiệp",
            "Hợp phần Sản xuất sạch hơn",
            "Hợp phần Sản xuất sạch hơn trong công nghiệp",
            "Dự án CPI",
            "Cleaner Production in Industry",
        ],
        capitalized_aliases: &[],
        filter_aliases: &["CPI"],
        scope: NATIONAL,
    },
    Organization {
        slug: "vncpc",
        name: "Trung tâm Sản xuất sạch Việt Nam (VNCPC)",
        aliases: &[
            "VNCPC",
            "Trung tâm Sản xuất sạch Việt Nam",
            "Trung tâm Sản xuất sạch hơn Việt Nam",
            "Trung tâm SXSH Việt Nam",
            "Vietnam Cleaner Production Centre",
            "Vietnam Cleaner Production Center",
        ],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "trung-tam-sxsh",
        name: "Trung tâm Sản xuất sạch hơn",
        aliases: &["Trung tâm SXSH"],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: Scope::Provincial { generic: false, unit_in_name: false },
    },
    Organization {
        slug: "unido",
        name: "UNIDO",
        aliases: &[
            "Tổ chức Phát triển Công nghiệp Liên Hợp Quốc",
            "Tổ chức Phát triển Công nghiệp của Liên Hợp Quốc",
            "United Nations Industrial Development Organization",
        ],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "bo-tnmt",
        name: "Bộ Tài nguyên và Môi trường",
        aliases: &["Bộ TN&MT", "Bộ TNMT", "Bộ TN và MT", "Bộ TN MT", "Bộ Tài nguyên Môi trường"],
        capitalized_aliases: &["MONRE"],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "so-tnmt",
        name: "Sở Tài nguyên và Môi trường",
        aliases: &["Sở TN&MT", "Sở TNMT", "Sở TN và MT", "Sở TN MT", "Sở Tài nguyên Môi trường"],
        capitalized_aliases: &["DONRE"],
        filter_aliases: &[],
        scope: PROVINCIAL,
    },
    Organization {
        slug: "vu-khcn",
        name: "Vụ Khoa học và Công nghệ",
        aliases: &["Vụ KHCN", "Vụ KH&CN", "Vụ KH và CN", "Vụ Khoa học Công nghệ"],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "cuc-cndp",
        name: "Cục Công nghiệp địa phương",
        aliases: &["Cục CNĐP", "Cục Công Thương địa phương"],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "vien-khcn-moi-truong",
        name: "Viện Khoa học và Công nghệ Môi trường",
        aliases: &["Viện KHCN Môi trường", "Viện KH&CN Môi trường", "Viện Khoa học Công nghệ Môi trường", "INEST"],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "danida",
        name: "Danida (Đan Mạch)",
        aliases: &["Danida", "Cơ quan Phát triển Quốc tế Đan Mạch", "Cơ quan Hợp tác Phát triển Quốc tế Đan Mạch"],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: NATIONAL,
    },
    Organization {
        slug: "ubnd",
        name: "UBND",
        aliases: &["Ủy ban nhân dân"],
        capitalized_aliases: &[],
        filter_aliases: &[],
        scope: Scope::Provincial { generic: false, unit_in_name: true },
    },
];

/// A facet value of the organization field: an organization, or a provincial one's office in a province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationTag {
    pub slug: String,
    pub name: String,
}

struct Gazetteer {
    /// Names and aliases → index into [`ORGANIZATIONS`].
    phrases: PhraseTable<usize>,
    /// Every facet value: first one per organization (same index), then the provincial offices.
    tags: Vec<OrganizationTag>,
    /// (organization, province) → index into `tags`.
    offices: HashMap<(usize, usize), usize>,
    by_slug: HashMap<String, usize>,
    /// Every form of every tag → index into `tags`.
    lookup: LookupIndex,
    /// Forms of the organizations alone → index into [`ORGANIZATIONS`], for "<organization> <province>" values.
    organization_lookup: LookupIndex,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut phrases = PhraseTable::new();
    let mut tags = Vec::new();
    let mut lookup = LookupIndex::default();
    let mut organization_lookup = LookupIndex::default();
    for (index, org) in ORGANIZATIONS.iter().enumerate() {
        tags.push(OrganizationTag { slug: org.slug.to_owned(), name: org.name.to_owned() });
        for form in std::iter::once(&org.name).chain(org.aliases) {
            phrases.insert(form, index, false);
        }
        for form in org.capitalized_aliases {
            phrases.insert(form, index, true);
        }
        let forms = [org.slug, org.name].into_iter().chain(org.aliases.iter().copied());
        for form in forms.chain(org.capitalized_aliases.iter().copied()).chain(org.filter_aliases.iter().copied()) {
            lookup.insert(form, index);
            organization_lookup.insert(form, index);
        }
    }
    let mut offices = HashMap::new();
    for (org_index, org) in ORGANIZATIONS.iter().enumerate() {
        let Scope::Provincial { unit_in_name, .. } = org.scope else { continue };
        for (province_index, province) in PROVINCES.iter().enumerate() {
            let tag = office_tag(org, province, unit_in_name);
            lookup.insert(&tag.slug, tags.len());
            lookup.insert(&tag.name, tags.len());
            offices.insert((org_index, province_index), tags.len());
            tags.push(tag);
        }
    }
    let by_slug = tags.iter().enumerate().map(|(i, tag)| (tag.slug.clone(), i)).collect();
    Gazetteer { phrases, tags, offices, by_slug, lookup, organization_lookup }
});

fn office_tag(org: &Organization, province: &Province, unit_in_name: bool) -> OrganizationTag {
    let province_name = if unit_in_name { province.name_with_unit() } else { province.name.to_owned() };
    OrganizationTag { slug: format!("{}-{}", org.slug, province.slug), name: format!("{} {}", org.name, province_name) }
}

/// The tag with this slug (organizations and provincial offices).
pub fn by_slug(slug: &str) -> Option<&'static OrganizationTag> {
    let gazetteer: &'static Gazetteer = &GAZETTEER;
    gazetteer.by_slug.get(slug).map(|&i| &gazetteer.tags[i])
}

/// The tag a user's value means: a slug, a name or an alias, with or without diacritics, or an
/// organization followed by a province ("Sở TN&MT Bến Tre", "so cong thuong tp.hcm").
pub fn resolve(value: &str) -> Option<&'static OrganizationTag> {
    let gazetteer: &'static Gazetteer = &GAZETTEER;
    if let Some(index) = gazetteer.lookup.get(value) {
        return Some(&gazetteer.tags[index]);
    }
    let syllables = lookup_syllables(value);
    for split in (1..syllables.len()).rev() {
        let Some(org_index) = gazetteer.organization_lookup.get_syllables(&syllables[..split]) else { continue };
        let Some(province) = provinces::resolve_syllables(&syllables[split..]) else { continue };
        let Some(province_index) = PROVINCES.iter().position(|p| p.slug == province.slug) else { continue };
        if let Some(&tag) = gazetteer.offices.get(&(org_index, province_index)) {
            return Some(&gazetteer.tags[tag]);
        }
    }
    None
}

/// The province named right after token `at`, possibly after "tỉnh", "thành phố" or "TP"; returns the
/// province's index and the token after it.
fn province_after(text: &TokenizedText, at: usize) -> Option<(usize, usize)> {
    let after_unit_word = (text.is_word(at, "tinh") || text.is_word(at, "tp")).then(|| text.next_of(at));
    let after_thanh_pho =
        (text.is_word(at, "thanh") && text.is_word(text.next_of(at), "pho")).then(|| text.next_of(text.next_of(at)));
    [Some(at), after_unit_word, after_thanh_pho]
        .into_iter()
        .flatten()
        .find_map(|start| provinces::province_at(text, start))
        .map(|found| (found.value, found.after))
}

/// Adds the organization mentions of `text` to `tally` (by tag index), positions from `position_base`.
fn count(text: &TokenizedText, position_base: usize, tally: &mut Tally) {
    let gazetteer: &Gazetteer = &GAZETTEER;
    let mut index = 0;
    while index < text.len() {
        let Some(found) = gazetteer.phrases.longest_at(text, index) else {
            index += 1;
            continue;
        };
        let org = &ORGANIZATIONS[found.value];
        let mut tag = None;
        let mut resume = found.after;
        if let Scope::Provincial { generic, .. } = org.scope {
            match province_after(text, found.after) {
                Some((province, after)) => {
                    tag = gazetteer.offices.get(&(found.value, province)).copied();
                    resume = after;
                }
                None if generic => tag = Some(found.value),
                None => {}
            }
        } else {
            tag = Some(found.value);
        }
        if let Some(tag) = tag {
            tally.add(tag, 1, position_base + found.first);
        }
        index = resume;
    }
}

/// The organizations of a document, most mentioned first (ties by first appearance).
pub fn detect(title: &TokenizedText, body: &TokenizedText) -> Vec<&'static OrganizationTag> {
    let gazetteer: &'static Gazetteer = &GAZETTEER;
    let mut tally = Tally::default();
    count(title, 0, &mut tally);
    count(body, title.len(), &mut tally);
    tally.ranked().into_iter().take(MAX_ORGANIZATIONS).map(|(index, _)| &gazetteer.tags[index]).collect()
}

/// Spellings given to two organizations, in texts or in filter values (must be empty).
pub fn conflicts() -> Vec<String> {
    let mut all = GAZETTEER.phrases.conflicts();
    all.extend(GAZETTEER.lookup.conflicts().iter().cloned());
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organizations(text: &str) -> Vec<&'static str> {
        detect(&TokenizedText::default(), &TokenizedText::new(text)).iter().map(|t| t.slug.as_str()).collect()
    }

    #[test]
    fn finds_organizations_in_sentences() {
        let cases: &[(&str, &[&str])] = &[
            ("Sở Công Thương Bến Tre tổ chức hội thảo", &["so-cong-thuong-ben-tre"]),
            ("SỞ CÔNG THƯƠNG TỈNH BẾN TRE", &["so-cong-thuong-ben-tre"]),
            ("Sở Công Thương Thanh Hoá", &["so-cong-thuong-thanh-hoa"]),
            (
                "Sở Công Thương TP.HCM và Sở Công thương thành phố Cần Thơ",
                &["so-cong-thuong-tp-ho-chi-minh", "so-cong-thuong-can-tho"],
            ),
            (
                "16 Sở Công Thương và Trung tâm Khuyến công các tỉnh phía Nam",
                &["so-cong-thuong", "trung-tam-khuyen-cong"],
            ),
            ("Phó Giám Đốc Trung tâm khuyến công Bến Tre", &["trung-tam-khuyen-cong-ben-tre"]),
            ("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp", &["trung-tam-khuyen-cong"]),
            ("đại diện UBND tỉnh Thanh Hóa", &["ubnd-thanh-hoa"]),
            ("Ủy ban nhân dân các huyện", &[]),
            ("Uỷ ban nhân dân tỉnh Cà Mau", &["ubnd-ca-mau"]), // old tone placement
            ("Hợp phần SXSH trong công nghiệp (CPI) thuộc Bộ Công Thương", &["hop-phan-cpi", "bo-cong-thuong"]),
            ("chỉ số CPI tháng 4 tăng", &[]),
            ("Văn phòng giúp việc Chiến lược SXSH trong công nghiệp đến năm 2020", &["van-phong-sxsh"]),
            ("Trung tâm sản xuất sạch hơn Tp Hồ\nChí Minh", &["trung-tam-sxsh-tp-ho-chi-minh"]),
            ("Trung tâm Sản xuất sạch Việt Nam (VNCPC)", &["vncpc"]),
            ("Sở TN&MT, Bộ TN&MT và Sở Tài nguyên và Môi trường Nam Định", &["so-tnmt", "bo-tnmt", "so-tnmt-nam-dinh"]),
            ("Vụ Khoa học và Công nghệ, Cục Công nghiệp địa phương", &["vu-khcn", "cuc-cndp"]),
            ("Viện Khoa học và Công nghệ Môi trường (INEST)", &["vien-khcn-moi-truong"]),
            ("UNIDO và Danida tài trợ", &["unido", "danida"]),
            ("BCT ban hành; bct", &["bo-cong-thuong"]),
            ("So Cong Thuong Ben Tre", &["so-cong-thuong-ben-tre"]), // typed without diacritics
        ];
        for (text, expected) in cases {
            assert_eq!(organizations(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn ranks_by_count_and_keeps_six() {
        let text = "UNIDO. Danida. Bộ Công Thương, Bộ Công Thương. VNCPC. Vụ KHCN. Cục CNĐP. INEST. Sở TNMT.";
        assert_eq!(organizations(text), ["bo-cong-thuong", "unido", "danida", "vncpc", "vu-khcn", "cuc-cndp"]);
    }

    #[test]
    fn names_and_resolution() {
        let name = |slug| by_slug(slug).map(|t| t.name.as_str());
        assert_eq!(name("so-cong-thuong-ben-tre"), Some("Sở Công Thương Bến Tre"));
        assert_eq!(name("ubnd-ben-tre"), Some("UBND tỉnh Bến Tre"));
        assert_eq!(name("ubnd-tp-ho-chi-minh"), Some("UBND TP. Hồ Chí Minh"));
        assert_eq!(name("bo-cong-thuong"), Some("Bộ Công Thương"));
        let cases = [
            ("bo-cong-thuong", "bo-cong-thuong"),
            ("BCT", "bo-cong-thuong"),
            ("bộ công thương", "bo-cong-thuong"),
            ("so cong thuong ben tre", "so-cong-thuong-ben-tre"),
            ("Sở Công Thương tỉnh Bến Tre", "so-cong-thuong-ben-tre"),
            ("Sở TN&MT TP.HCM", "so-tnmt-tp-ho-chi-minh"),
            ("UBND tỉnh Thanh Hoá", "ubnd-thanh-hoa"),
            ("cpi", "hop-phan-cpi"),
            ("Hợp phần CPI", "hop-phan-cpi"),
            ("van phong sxsh", "van-phong-sxsh"),
            ("vncpc", "vncpc"),
            ("danida", "danida"),
        ];
        for (value, slug) in cases {
            assert_eq!(resolve(value).map(|t| t.slug.as_str()), Some(slug), "{value:?}");
        }
        assert!(resolve("Bộ Y tế").is_none());
        assert!(conflicts().is_empty(), "{:?}", conflicts());
    }
}
