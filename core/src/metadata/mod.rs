//! Metadata extraction (a gazetteer): which provinces, industry sectors and organizations a document is
//! about, as facet values that search results can be counted and filtered by (`province:ben-tre`,
//! `sector:sugar`, `organization:so-cong-thuong-ben-tre`).
//!
//! # How it works
//!
//! Each field has a dictionary of names, aliases and abbreviations — [`provinces`], [`sectors`],
//! [`organizations`] — built once, on first use, into a trie of folded syllables. A document's title and
//! body are tokenized once by Kho's own tokenizer and each dictionary scans the tokens in one pass,
//! taking the longest phrase at each position and consuming its tokens ([`matcher`] explains the
//! rules: folded to find, exact to accept, capitals for names that are also common words). The mentions
//! are then counted and ranked:
//!
//! | field | kept when | ranked by | at most |
//! | --- | --- | --- | --- |
//! | province | mentioned once | mentions, then first appearance | 5 |
//! | sector | weight ≥ 2 (a plant of the sector weighs 2), or named in the title | weight | 4 |
//! | organization | mentioned once | mentions, then first appearance | 6 |
//!
//! # Facet values
//!
//! A value is a [`Tag`]: an ASCII slug, which is what the index stores and filters use, and a Vietnamese
//! display name. [`facet_name`] turns a slug back into its name, [`resolve_facet_value`] turns what a user
//! types into a slug (the slug itself, the name with or without diacritics, an alias such as "tp.hcm"),
//! and [`merged_province_2025`] maps a province to the unit it became on 1 July 2025.
//!
//! ```
//! use kho_core::metadata::{extract_metadata, resolve_facet_value};
//!
//! let found = extract_metadata("Thanh Hoá: Nhà máy đường Sông Mã", "Sở Công Thương Thanh Hóa tổ chức …");
//! assert_eq!(found.provinces[0].slug, "thanh-hoa");
//! assert_eq!(found.sectors[0].slug, "sugar");
//! assert_eq!(found.organizations[0].name, "Sở Công Thương Thanh Hóa");
//! assert_eq!(resolve_facet_value("province", "tp.hcm"), Some("tp-ho-chi-minh"));
//! ```

pub mod matcher;
pub mod organizations;
pub mod provinces;
pub mod sectors;

pub use organizations::{Organization, OrganizationTag, Scope, ORGANIZATIONS};
pub use provinces::{Province, Unit2025, UnitKind, PROVINCES, UNITS_2025};
pub use sectors::{Sector, SECTORS};

use matcher::TokenizedText;

/// A value of a facet: a stable ASCII slug (indexed, used in filters like province:ben-tre) and its Vietnamese display name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

impl Tag {
    fn new(slug: &str, name: &str) -> Tag {
        Tag { slug: slug.to_owned(), name: name.to_owned() }
    }
}

/// What a document is about, each list strongest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentMetadata {
    pub provinces: Vec<Tag>,
    pub sectors: Vec<Tag>,
    pub organizations: Vec<Tag>,
}

/// The provinces, sectors and organizations that a document's title and body mention.
pub fn extract_metadata(title: &str, body: &str) -> DocumentMetadata {
    let title = TokenizedText::new(title);
    let body = TokenizedText::new(body);
    DocumentMetadata {
        provinces: provinces::detect(&title, &body).into_iter().map(|p| Tag::new(p.slug, p.name)).collect(),
        sectors: sectors::detect(&title, &body).into_iter().map(|s| Tag::new(s.slug, s.name)).collect(),
        organizations: organizations::detect(&title, &body).into_iter().map(|o| Tag::new(&o.slug, &o.name)).collect(),
    }
}

/// Display name of a facet value by field ("province" | "sector" | "organization") and slug.
pub fn facet_name(field: &str, slug: &str) -> Option<&'static str> {
    match field {
        "province" => provinces::by_slug(slug).map(|p| p.name),
        "sector" => sectors::by_slug(slug).map(|s| s.name),
        "organization" => organizations::by_slug(slug).map(|o| o.name.as_str()),
        _ => None,
    }
}

/// What users see for a facet value: "Tin tức" for `news`, "Bến Tre" for `ben-tre`.
pub fn facet_display_name(field: &str, value: &str) -> String {
    match field {
        "kind" => crate::schema::kind_label(value),
        "year" => value.to_owned(),
        _ => facet_name(field, value).map_or_else(|| value.to_owned(), str::to_owned),
    }
}

/// The slug a user's filter value means: accepts the slug itself, the Vietnamese name with or without diacritics, and aliases ("tp.hcm", "hcm", "sai gon", "Thành phố Hồ Chí Minh" → the HCMC slug; "mia duong", "đường" → sugar).
pub fn resolve_facet_value(field: &str, value: &str) -> Option<&'static str> {
    match field {
        "province" => provinces::resolve(value).map(|p| p.slug),
        "sector" => sectors::resolve(value).map(|s| s.slug),
        "organization" => organizations::resolve(value).map(|o| o.slug.as_str()),
        _ => None,
    }
}

/// For a province slug: the province it belongs to after the 2025 merger (Resolution 202/2025/QH15, 34 provincial units from 1 July 2025), as a Tag.
///
/// The tag's slug is that of the pre-2025 province whose name the merged unit kept, so it is also a
/// valid `province:` filter value; its name is the unit's name from 2025 ("Huế" for `thua-thien-hue`).
pub fn merged_province_2025(slug: &str) -> Option<Tag> {
    provinces::unit_2025(slug).map(|(slug, name)| Tag::new(slug, name))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn slugs(tags: &[Tag]) -> Vec<&str> {
        tags.iter().map(|t| t.slug.as_str()).collect()
    }

    #[test]
    fn extracts_all_three_fields() {
        let title = "Hội thảo SXSH ngành mía đường tại Thanh Hoá";
        let body = "Ngày 20/5/2012, Sở Công Thương Thanh Hóa phối hợp với Hợp phần CPI thuộc Bộ Công Thương \
                    tổ chức hội thảo. Nhà máy đường Sông Mã và Công ty CP Mía đường Lam Sơn tham dự; \
                    đại diện TP.HCM và UBND tỉnh Thanh Hóa phát biểu.";
        let found = extract_metadata(title, body);
        assert_eq!(slugs(&found.provinces), ["thanh-hoa", "tp-ho-chi-minh"]);
        assert_eq!(slugs(&found.sectors), ["sugar"]);
        assert_eq!(
            slugs(&found.organizations),
            ["so-cong-thuong-thanh-hoa", "hop-phan-cpi", "bo-cong-thuong", "ubnd-thanh-hoa"]
        );
        assert_eq!(found.provinces[0].name, "Thanh Hóa");
    }

    #[test]
    fn extracts_nothing_from_nothing() {
        assert_eq!(extract_metadata("", ""), DocumentMetadata::default());
        let found = extract_metadata("Thư viện tiếp nhận sách", "vì hòa bình, con đường phía trước, giấy mời");
        assert_eq!(found, DocumentMetadata::default());
    }

    #[test]
    fn facet_names_and_values() {
        assert_eq!(facet_name("province", "ben-tre"), Some("Bến Tre"));
        assert_eq!(facet_name("province", "tp-ho-chi-minh"), Some("TP. Hồ Chí Minh"));
        assert_eq!(facet_name("sector", "sugar"), Some("Mía đường"));
        assert_eq!(facet_name("organization", "so-cong-thuong-ben-tre"), Some("Sở Công Thương Bến Tre"));
        assert_eq!(facet_name("organization", "bo-cong-thuong"), Some("Bộ Công Thương"));
        assert_eq!(facet_name("kind", "news"), None);
        assert_eq!(facet_name("province", "atlantis"), None);

        let cases = [
            ("province", "ben-tre", "ben-tre"),
            ("province", "Bến Tre", "ben-tre"),
            ("province", "ben tre", "ben-tre"),
            ("province", "tp.hcm", "tp-ho-chi-minh"),
            ("province", "hcm", "tp-ho-chi-minh"),
            ("province", "sai gon", "tp-ho-chi-minh"),
            ("province", "Thành phố Hồ Chí Minh", "tp-ho-chi-minh"),
            ("province", "Huế", "thua-thien-hue"),
            ("sector", "mia duong", "sugar"),
            ("sector", "đường", "sugar"),
            ("sector", "sugar", "sugar"),
            ("organization", "Sở Công Thương Bến Tre", "so-cong-thuong-ben-tre"),
            ("organization", "bct", "bo-cong-thuong"),
        ];
        for (field, value, slug) in cases {
            assert_eq!(resolve_facet_value(field, value), Some(slug), "{field}:{value}");
        }
        assert_eq!(resolve_facet_value("province", "ĐBSCL"), None);
        assert_eq!(resolve_facet_value("year", "2011"), None);
    }

    #[test]
    fn merged_provinces() {
        let merged = |slug| merged_province_2025(slug).map(|t| (t.slug, t.name));
        let tag = |slug: &str, name: &str| Some((slug.to_owned(), name.to_owned()));
        assert_eq!(merged("ben-tre"), tag("vinh-long", "Vĩnh Long"));
        assert_eq!(merged("tra-vinh"), tag("vinh-long", "Vĩnh Long"));
        assert_eq!(merged("binh-duong"), tag("tp-ho-chi-minh", "TP. Hồ Chí Minh"));
        assert_eq!(merged("ba-ria-vung-tau"), tag("tp-ho-chi-minh", "TP. Hồ Chí Minh"));
        assert_eq!(merged("soc-trang"), tag("can-tho", "Cần Thơ"));
        assert_eq!(merged("cao-bang"), tag("cao-bang", "Cao Bằng"));
        assert_eq!(merged("thua-thien-hue"), tag("thua-thien-hue", "Huế"));
        assert_eq!(merged("Bến Tre"), None, "slugs only");
        for unit in [
            "ha-noi",
            "thua-thien-hue",
            "lai-chau",
            "dien-bien",
            "son-la",
            "lang-son",
            "quang-ninh",
            "thanh-hoa",
            "nghe-an",
            "ha-tinh",
            "cao-bang",
        ] {
            assert_eq!(merged_province_2025(unit).map(|t| t.slug), Some(unit.to_owned()), "{unit} was not merged");
        }
    }

    /// The title and text of a sample file: HTML loses its tags, scripts and styles (crudely, like a reader
    /// skimming the source) and the entities the corpus uses; a .txt file's title is its first line.
    fn title_and_text(path: &Path) -> Option<(String, String)> {
        let raw = std::fs::read_to_string(path).ok()?;
        match path.extension()?.to_str()? {
            "txt" => Some((raw.lines().next().unwrap_or_default().to_owned(), raw)),
            "html" | "htm" => {
                let title = between(&raw, "<title>", "</title>").unwrap_or_default();
                let mut text = raw.clone();
                for element in ["script", "style"] {
                    while let Some(start) = text.find(&format!("<{element}")) {
                        let end = text[start..].find(&format!("</{element}>")).map_or(text.len(), |e| start + e);
                        text.replace_range(start..end, " ");
                        if text[start..].starts_with(&format!(" </{element}>")) {
                            text.replace_range(start..start + element.len() + 4, " ");
                        }
                    }
                }
                Some((decode_entities(title), decode_entities(&strip_tags(&text))))
            }
            _ => None,
        }
    }

    fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
        let start = text.find(open)? + open.len();
        let end = text[start..].find(close)? + start;
        Some(&text[start..end])
    }

    fn strip_tags(html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    fn decode_entities(text: &str) -> String {
        let entities = [
            ("&nbsp;", " "),
            ("&agrave;", "à"),
            ("&aacute;", "á"),
            ("&ograve;", "ò"),
            ("&oacute;", "ó"),
            ("&egrave;", "è"),
            ("&eacute;", "é"),
            ("&ldquo;", "“"),
            ("&rdquo;", "”"),
            ("&ndash;", "–"),
            ("&mdash;", "—"),
            ("&raquo;", "»"),
            ("&quot;", "\""),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&amp;", "&"),
        ];
        entities.iter().fold(text.to_owned(), |text, (entity, char)| text.replace(entity, char))
    }

    fn corpus_files(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                corpus_files(&path, found);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("txt" | "html")) {
                found.push(path);
            }
        }
    }

    #[test]
    fn tags_the_sample_corpus() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let mut files = Vec::new();
        corpus_files(&corpus, &mut files);
        files.sort();
        assert!(files.len() >= 10, "the sample corpus is beside the crate: {}", corpus.display());
        let mut by_file = std::collections::HashMap::new();
        for path in &files {
            let Some((title, text)) = title_and_text(path) else { continue };
            let found = extract_metadata(&title, &text);
            let name = path.strip_prefix(&corpus).unwrap_or(path).display().to_string();
            println!("{name}\n  title: {title}");
            println!("  provinces: {:?}", slugs(&found.provinces));
            println!("  sectors: {:?}", slugs(&found.sectors));
            println!("  organizations: {:?}", slugs(&found.organizations));
            by_file.insert(name, found);
        }

        let seed = &by_file["news/ben-tre-hoi-thao-chia-se-kinh-nghiem-sxsh-2011.html"];
        assert_eq!(slugs(&seed.provinces)[..2], ["ben-tre", "tp-ho-chi-minh"]);
        let seed_sectors = slugs(&seed.sectors);
        for sector in ["tobacco", "sugar", "coconut"] {
            assert!(seed_sectors.contains(&sector), "seed article sectors {seed_sectors:?} lack {sector}");
        }
        let seed_organizations = slugs(&seed.organizations);
        for organization in ["so-cong-thuong-ben-tre", "hop-phan-cpi", "bo-cong-thuong", "van-phong-sxsh"] {
            assert!(seed_organizations.contains(&organization), "seed article lacks {organization}");
        }

        let sugar_mill = &by_file["news/thanh-hoa-nha-may-duong-song-ma-sxsh-2012.html"];
        assert_eq!(slugs(&sugar_mill.provinces), ["thanh-hoa"]);
        assert_eq!(slugs(&sugar_mill.sectors)[0], "sugar");
        assert_eq!(slugs(&sugar_mill.organizations)[0], "so-cong-thuong-thanh-hoa");
    }
}
