//! Industry sectors of the cleaner-production programme, and how a text shows which ones it is about.
//!
//! # Keywords, products and enterprise words
//!
//! Each [`Sector`] has *keywords*, phrases that name it on their own ("thuốc lá", "thủy sản", "lò gạch"),
//! and may have *products*, words that name it only inside a phrase about a business: "đường" is sugar in
//! "nhà máy đường" or "Công ty Đường Bến Tre" but a road anywhere else, "giấy" is paper in "nhà máy
//! giấy" but a document in "giấy phép" (licence) or "giấy mời" (invitation). An *enterprise word*
//! ([`ENTERPRISE_WORDS`]: "nhà máy", "công ty", "chế biến", "ngành", …) before a keyword or product makes a
//! strong mention, counted twice: one named plant of the sector ("Nhà máy chế biến dừa Thành Vinh") says as
//! much as two passing words.
//!
//! # Counting
//!
//! Phrases are found with the shared longest-match scan (see [`super::matcher`]), so "nhà máy mía đường"
//! is one strong mention of sugar, not three. *Stop phrases* ([`Sector::not_meaning`]) contain a keyword or
//! product but mean something else, and are consumed without counting: "gạch đầu dòng" (a bullet point,
//! where "gạch" is a brick), "vôi sữa" (milk of lime, used in sugar refining), "ngành đường sắt" (the railway
//! sector). Single-syllable keywords must be written with their exact diacritics ("dừa", not "đưa" or
//! an unaccented "dua"), which keeps "sữa" (milk) apart from "sửa" (to repair) and "tôm" (shrimp) apart
//! from "tóm tắt" (summary).
//!
//! A document is tagged with a sector when the sector's weight reaches [`MIN_WEIGHT`] or it is mentioned in
//! the title at all; the strongest [`MAX_SECTORS`] are kept.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::matcher::{LookupIndex, PhraseTable, Tally, TokenizedText};

/// A sector is tagged when its mentions weigh this much (a strong mention weighs 2), or when the title
/// mentions it at all.
pub const MIN_WEIGHT: u32 = 2;
/// Most sectors returned per document.
pub const MAX_SECTORS: usize = 4;
/// Weight of a keyword on its own.
const PLAIN_WEIGHT: u32 = 1;
/// Weight of a keyword or product after an enterprise word.
const STRONG_WEIGHT: u32 = 2;

/// Words that, before a keyword or product, make a phrase about a business of the sector.
pub const ENTERPRISE_WORDS: &[&str] = &[
    "nhà máy",
    "nhà máy chế biến",
    "nhà máy sản xuất",
    "công ty",
    "công ty cổ phần",
    "công ty CP",
    "công ty TNHH",
    "tổng công ty",
    "tập đoàn",
    "xí nghiệp",
    "cơ sở sản xuất",
    "cơ sở chế biến",
    "doanh nghiệp",
    "doanh nghiệp sản xuất",
    "doanh nghiệp chế biến",
    "ngành",
    "ngành công nghiệp",
    "sản xuất",
    "chế biến",
    "làng nghề",
    "hiệp hội",
];

/// An industry sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sector {
    /// ASCII facet value ("sugar").
    pub slug: &'static str,
    /// Display name in Vietnamese.
    pub name: &'static str,
    /// Phrases that name the sector on their own.
    pub keywords: &'static [&'static str],
    /// Words that name the sector only after an enterprise word.
    pub products: &'static [&'static str],
    /// Phrases containing a keyword or product that mean something else; also checked after enterprise words.
    pub not_meaning: &'static [&'static str],
    /// More values a user may filter by, besides the slug, name, keywords and products.
    pub aliases: &'static [&'static str],
}

/// The sectors, roughly by how often the programme's demonstration projects dealt with them.
pub static SECTORS: [Sector; 16] = [
    Sector {
        slug: "sugar",
        name: "Mía đường",
        keywords: &[
            "mía",
            "mía đường",
            "đường mía",
            "bã mía",
            "rỉ đường",
            "mật rỉ",
            "đường tinh luyện",
            "đường kính trắng",
        ],
        products: &["đường"],
        not_meaning: &[
            "đường sắt",
            "đường bộ",
            "đường thủy",
            "đường ống",
            "đường dây",
            "đường cao tốc",
            "đường giao thông",
            "đường điện",
            "đường nước",
            "đường ray",
            "đường hầm",
        ],
        aliases: &["sugar", "ngành mía đường", "nhà máy đường"],
    },
    Sector {
        slug: "tobacco",
        name: "Thuốc lá",
        keywords: &["thuốc lá", "Vinataba"],
        products: &[],
        not_meaning: &[],
        aliases: &["tobacco"],
    },
    Sector {
        slug: "coconut",
        name: "Chế biến dừa",
        keywords: &["dừa", "xơ dừa", "cơm dừa"],
        products: &[],
        not_meaning: &[],
        aliases: &["coconut"],
    },
    Sector {
        slug: "seafood",
        name: "Chế biến thủy sản",
        keywords: &[
            "thủy sản",
            "hải sản",
            "cá tra",
            "cá basa",
            "tôm",
            "VASEP",
            "surimi",
            "fillet",
            "phi lê",
            "nước mắm",
        ],
        products: &[],
        not_meaning: &[],
        aliases: &["seafood", "fish"],
    },
    Sector {
        slug: "textiles",
        name: "Dệt may – nhuộm",
        keywords: &["dệt", "nhuộm", "dệt may", "dệt nhuộm", "may mặc", "Vinatex"],
        products: &["may", "sợi"],
        not_meaning: &["may mắn", "may ra"],
        aliases: &["textiles", "textile", "dyeing"],
    },
    Sector {
        slug: "paper",
        name: "Giấy – bột giấy",
        keywords: &["bột giấy", "giấy tái chế", "giấy bao bì", "giấy vàng mã", "Vinapaco"],
        products: &["giấy"],
        not_meaning: &[
            "giấy phép",
            "giấy mời",
            "giấy chứng nhận",
            "giấy tờ",
            "giấy xác nhận",
            "giấy khen",
            "giấy đăng ký",
            "giấy báo",
            "giấy giới thiệu",
            "giấy ủy quyền",
        ],
        aliases: &["paper", "pulp"],
    },
    Sector {
        slug: "beverages",
        name: "Bia – nước giải khát",
        keywords: &["bia", "rượu", "rượu bia", "nước giải khát", "đồ uống", "nước khoáng", "Habeco", "Sabeco"],
        products: &[],
        not_meaning: &["bia mộ", "tấm bia", "bia tưởng niệm", "bia ký"],
        aliases: &["beer", "beverages", "drinks"],
    },
    Sector {
        slug: "building-materials",
        name: "Gạch – vật liệu xây dựng",
        keywords: &[
            "gạch",
            "lò gạch",
            "gạch nung",
            "gạch ngói",
            "gạch tuynel",
            "gạch không nung",
            "xi măng",
            "vật liệu xây dựng",
            "VLXD",
            "gốm sứ",
            "lò vôi",
            "clinker",
        ],
        products: &[],
        not_meaning: &[
            "gạch đầu dòng",
            "gạch chân",
            "gạch dưới",
            "gạch bỏ",
            "gạch chéo",
            "gạch ngang",
            "gạch nối",
            "gạch tên",
        ],
        aliases: &["brick", "bricks", "cement", "building materials"],
    },
    Sector {
        slug: "food-processing",
        name: "Chế biến thực phẩm",
        keywords: &["thực phẩm", "nông sản", "rau quả", "bánh kẹo", "đồ hộp", "mì ăn liền", "dầu ăn", "hạt điều"],
        products: &["cà phê", "chè"],
        not_meaning: &[],
        aliases: &["food", "food processing"],
    },
    Sector {
        slug: "metals",
        name: "Luyện kim – cơ khí",
        keywords: &["thép", "gang thép", "luyện kim", "luyện thép", "cán thép", "cơ khí", "xi mạ", "mạ điện", "mạ kẽm"],
        products: &["kim loại"],
        not_meaning: &["kim loại nặng"],
        aliases: &["steel", "metal", "metals", "metallurgy"],
    },
    Sector {
        slug: "chemicals",
        name: "Hóa chất – phân bón",
        keywords: &["phân bón", "phân đạm", "phân lân", "supe lân", "NPK", "Vinachem", "xút", "chất tẩy rửa"],
        products: &["hóa chất"],
        not_meaning: &[],
        aliases: &["chemicals", "fertilizer", "fertiliser"],
    },
    Sector {
        slug: "rubber",
        name: "Cao su",
        keywords: &["cao su", "mủ cao su"],
        products: &[],
        not_meaning: &[],
        aliases: &["rubber"],
    },
    Sector {
        slug: "cassava-starch",
        name: "Tinh bột sắn",
        keywords: &["tinh bột sắn", "sắn", "bột sắn", "khoai mì", "tinh bột khoai mì"],
        products: &["tinh bột"],
        not_meaning: &["sắn dây"],
        aliases: &["cassava", "starch"],
    },
    Sector {
        slug: "dairy",
        name: "Sữa",
        keywords: &["sữa", "bò sữa", "Vinamilk"],
        products: &[],
        not_meaning: &["vôi sữa", "sữa vôi"],
        aliases: &["dairy", "milk"],
    },
    Sector {
        slug: "leather-footwear",
        name: "Da giày",
        keywords: &["da giày", "thuộc da", "da thuộc", "giày da", "giày dép", "giày", "Lefaso"],
        products: &["da"],
        not_meaning: &[],
        aliases: &["leather", "footwear"],
    },
    Sector {
        slug: "energy-efficiency",
        name: "Tiết kiệm năng lượng",
        keywords: &[
            "tiết kiệm năng lượng",
            "hiệu quả năng lượng",
            "sử dụng năng lượng tiết kiệm và hiệu quả",
            "kiểm toán năng lượng",
            "tiết kiệm điện",
            "TKNL",
            "VNEEP",
        ],
        products: &[],
        not_meaning: &[],
        aliases: &["energy", "energy efficiency", "năng lượng"],
    },
];

/// What a phrase in the sector table stands for: a sector and the weight of the mention, or nothing.
type SectorMention = Option<(usize, u32)>;

struct Gazetteer {
    phrases: PhraseTable<SectorMention>,
    by_slug: HashMap<&'static str, usize>,
    lookup: LookupIndex,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut phrases = PhraseTable::new();
    let mut by_slug = HashMap::new();
    let mut lookup = LookupIndex::default();
    for sector in &SECTORS {
        for stop in sector.not_meaning {
            phrases.insert(stop, None, false);
            for enterprise in ENTERPRISE_WORDS {
                phrases.insert(&format!("{enterprise} {stop}"), None, false);
            }
        }
    }
    for (index, sector) in SECTORS.iter().enumerate() {
        by_slug.insert(sector.slug, index);
        for keyword in sector.keywords {
            phrases.insert(keyword, Some((index, PLAIN_WEIGHT)), false);
        }
        for word in sector.keywords.iter().chain(sector.products) {
            for enterprise in ENTERPRISE_WORDS {
                phrases.insert(&format!("{enterprise} {word}"), Some((index, STRONG_WEIGHT)), false);
            }
        }
        let forms = [sector.slug, sector.name].into_iter().chain(sector.keywords.iter().copied());
        for form in forms.chain(sector.products.iter().copied()).chain(sector.aliases.iter().copied()) {
            lookup.insert(form, index);
        }
    }
    Gazetteer { phrases, by_slug, lookup }
});

/// The sector with this slug.
pub fn by_slug(slug: &str) -> Option<&'static Sector> {
    GAZETTEER.by_slug.get(slug).map(|&i| &SECTORS[i])
}

/// The sector a user's value means: slug, name, keyword, product or alias, with or without diacritics
/// ("sugar", "mia duong", "đường"). Unaccented values two sectors share ("giay": "giấy" paper, "giày"
/// shoes) need their diacritics.
pub fn resolve(value: &str) -> Option<&'static Sector> {
    GAZETTEER.lookup.get(value).map(|i| &SECTORS[i])
}

/// Adds the sector mentions of `text` to `tally` (weights by [`SECTORS`] index), positions counted from
/// `position_base`; returns the sectors mentioned at all.
pub fn count(text: &TokenizedText, position_base: usize, tally: &mut Tally) -> Vec<usize> {
    let mut seen = Vec::new();
    GAZETTEER.phrases.scan(text, |found| {
        if let Some((index, weight)) = found.value {
            tally.add(index, weight, position_base + found.first);
            if !seen.contains(&index) {
                seen.push(index);
            }
        }
    });
    seen
}

/// The sectors of a document: tagged when heavy enough or named in the title, strongest first.
pub fn detect(title: &TokenizedText, body: &TokenizedText) -> Vec<&'static Sector> {
    let mut tally = Tally::default();
    let in_title = count(title, 0, &mut tally);
    count(body, title.len(), &mut tally);
    tally
        .ranked()
        .into_iter()
        .filter(|&(index, weight)| weight >= MIN_WEIGHT || in_title.contains(&index))
        .take(MAX_SECTORS)
        .map(|(index, _)| &SECTORS[index])
        .collect()
}

/// Spellings or lookup keys given to two sectors (must be empty).
pub fn conflicts() -> Vec<String> {
    let mut all = GAZETTEER.phrases.conflicts();
    all.extend(GAZETTEER.lookup.conflicts().iter().cloned());
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sectors(title: &str, body: &str) -> Vec<&'static str> {
        detect(&TokenizedText::new(title), &TokenizedText::new(body)).iter().map(|s| s.slug).collect()
    }

    fn weights(text: &str) -> Vec<(&'static str, u32)> {
        let mut tally = Tally::default();
        count(&TokenizedText::new(text), 0, &mut tally);
        tally.ranked().into_iter().map(|(i, w)| (SECTORS[i].slug, w)).collect()
    }

    #[test]
    fn weighs_mentions() {
        let cases: &[(&str, &[(&str, u32)])] = &[
            ("Tham quan nhà máy mía đường Bến Tre", &[("sugar", 2)]),
            ("Công ty Đường, Công ty thuốc lá", &[("sugar", 2), ("tobacco", 2)]),
            ("Nhà máy chế biến dừa Thành Vinh", &[("coconut", 2)]),
            ("thu hoạch mía, trồng dừa", &[("sugar", 1), ("coconut", 1)]),
            ("con đường phát triển, đường giao thông nông thôn", &[]),
            ("ngành đường sắt và công ty đường bộ", &[]),
            ("giấy mời, giấy phép, giấy chứng nhận", &[]),
            ("Nhà máy giấy Hùng Lâm, sản xuất bột giấy", &[("paper", 4)]),
            ("gạch đầu dòng, lò gạch đầu tiên", &[("building-materials", 1)]),
            ("định lượng vôi sữa", &[]),
            ("sửa chữa máy, tóm tắt, đưa về", &[]),
            ("sữa chua, tôm sú", &[("dairy", 1), ("seafood", 1)]),
            ("chế biến thuỷ sản, cá tra", &[("seafood", 3)]), // old tone placement
            ("che\u{0302}\u{0301} bie\u{0302}\u{0301}n thu\u{0309}y sa\u{0309}n", &[("seafood", 2)]), // NFD
            ("nha may duong", &[("sugar", 2)]),               // typed without diacritics
            ("tiết kiệm năng lượng", &[("energy-efficiency", 1)]),
            ("dệt nhuộm và may mặc", &[("textiles", 2)]),
            ("hệ thống xử lý hóa chất", &[]),
            ("nhà máy hóa chất, phân bón", &[("chemicals", 3)]),
        ];
        for (text, expected) in cases {
            assert_eq!(weights(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn tags_by_threshold_or_title() {
        assert_eq!(sectors("", "trồng dừa"), Vec::<&str>::new());
        assert_eq!(sectors("Chế biến dừa", "trồng dừa"), ["coconut"]);
        assert_eq!(sectors("", "trồng dừa, bán dừa"), ["coconut"]);
        assert_eq!(
            sectors("", "bia, bia, bia; thuốc lá, thuốc lá; tôm, tôm; dừa, dừa; mía, mía"),
            ["beverages", "tobacco", "seafood", "coconut"]
        );
    }

    #[test]
    fn resolves_user_values() {
        let cases = [
            ("sugar", "sugar"),
            ("mia duong", "sugar"),
            ("Mía đường", "sugar"),
            ("đường", "sugar"),
            ("thuoc la", "tobacco"),
            ("dừa", "coconut"),
            ("thủy sản", "seafood"),
            ("thuỷ sản", "seafood"),
            ("det nhuom", "textiles"),
            ("giấy", "paper"),
            ("bia", "beverages"),
            ("lò gạch", "building-materials"),
            ("building-materials", "building-materials"),
            ("xi măng", "building-materials"),
            ("cao su", "rubber"),
            ("tinh bột sắn", "cassava-starch"),
            ("sữa", "dairy"),
            ("da giày", "leather-footwear"),
            ("tiết kiệm năng lượng", "energy-efficiency"),
        ];
        for (value, slug) in cases {
            assert_eq!(resolve(value).map(|s| s.slug), Some(slug), "{value:?}");
        }
        assert!(resolve("du lịch").is_none());
    }

    #[test]
    fn dictionary_is_consistent() {
        assert!(conflicts().is_empty(), "{:?}", conflicts());
        for sector in &SECTORS {
            assert_eq!(by_slug(sector.slug), Some(sector));
            assert!(sector.slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", sector.slug);
        }
    }
}
