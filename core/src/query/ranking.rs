//! How results are ordered: the weights of each kind of match, and how strictly a query's words must
//! all match.
//!
//! Each word matches the folded fields; a word typed with diacritics also matches the exact fields, and
//! its folded-only matches are weighted down, so "sạch" ranks documents with "sạch" above those with only
//! "sách". Title matches weigh [`TITLE_BOOST`] times body matches, and each pair of adjacent query words
//! found as a word ("nước thải" as `nuoc_thai` in the `pairs` field) adds [`PAIR_BOOST`]. (A sloppy
//! phrase of all the words was tried as a proximity bonus too: it read the positions of every matching
//! document, a fifth of a query's instructions, for no measurable gain in nDCG@10 over the pairs; see
//! bench/profiles.)
//!
//! A query of [`LONG_QUERY_WORDS`] words or more (a sentence someone remembers, a question in their own
//! words) ranks every document that has any of its words by score: coordination is a score (each matched
//! word and pair adds), not a tier, so an article lacking one remembered word is not buried under every
//! document that happens to have them all. Shorter queries keep the tier: documents with every word
//! first, then, when they do not fill the page, documents with some of them. Measured with `kho-eval`
//! (docs/relevance.md, ablation table): the known-item set of the news val split went from 0.689 to
//! 0.937 nDCG@10, and every labelled set gained.
//!
//! These weights make the first stage. The best documents it finds are then ordered again by a learned
//! model over features the first stage cannot see (word order, windows, headings): `search::rerank`.

/// Weight of a title match relative to a body match.
pub(super) const TITLE_BOOST: f32 = 1.0;
/// Weight of an exact (diacritics as typed) match.
pub(super) const EXACT_BOOST: f32 = 1.0;
/// Weight of a folded-only match for a word typed with diacritics: "sách" matching a query "sạch" must
/// not outrank a real "sạch", even when it is in the title or repeated many times.
pub(super) const FOLDED_FALLBACK_BOOST: f32 = 0.1;
/// Weight of an adjacent pair of query words found as a word.
pub(super) const PAIR_BOOST: f32 = 1.0;
/// Weight of a word that is a document's own number ("24/2018/QH14", see `crate::legal`): above any
/// body match, so the law comes before the documents that cite it.
pub(super) const NUMBER_BOOST: f32 = 10.0;

/// Queries with this many words (groups) or more rank by score alone (see the module doc).
pub const LONG_QUERY_WORDS: usize = 5;

/// The ranking features, each of which can be switched off (kho-eval's ablation); all on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ranking {
    /// Words typed with diacritics match the exact fields, and their folded-only matches weigh
    /// [`FOLDED_FALLBACK_BOOST`]; off, every word matches folded only.
    pub exact_first: bool,
    /// Adjacent query words found as a word add [`PAIR_BOOST`].
    pub pairs: bool,
    /// Words match the title as well as the body.
    pub title: bool,
    /// Long queries rank by score instead of every-word-first (see [`LONG_QUERY_WORDS`]).
    pub soft_long_queries: bool,
    /// The best documents of the first stage are ordered again by a learned model (`search::rerank`).
    pub rerank: bool,
}

impl Default for Ranking {
    fn default() -> Ranking {
        Ranking { exact_first: true, pairs: true, title: true, soft_long_queries: true, rerank: true }
    }
}

impl Ranking {
    /// The features by name, for switching one off: `exact_first`, `pairs`, `title`, `soft_long_queries`,
    /// `rerank`.
    pub const FEATURES: [&'static str; 5] = ["exact_first", "pairs", "title", "soft_long_queries", "rerank"];

    /// These features with the one named switched off; `None` for an unknown name.
    pub fn without(self, feature: &str) -> Option<Ranking> {
        let mut ranking = self;
        match feature {
            "exact_first" => ranking.exact_first = false,
            "pairs" => ranking.pairs = false,
            "title" => ranking.title = false,
            "soft_long_queries" => ranking.soft_long_queries = false,
            "rerank" => ranking.rerank = false,
            _ => return None,
        }
        Some(ranking)
    }
}

/// How strictly the words of a query must all match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Every word (group) must match.
    AllWords,
    /// Any word may match; more matches rank higher. The fallback when no document has them all.
    AnyWord,
}
