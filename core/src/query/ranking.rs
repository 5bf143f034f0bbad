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

/// Weight of a title match relative to a body match.
pub(super) const TITLE_BOOST: f32 = 1.0;
/// Weight of an exact (diacritics as typed) match.
pub(super) const EXACT_BOOST: f32 = 1.0;
/// Weight of a folded-only match for a word typed with diacritics: "sách" matching a query "sạch" must
/// not outrank a real "sạch", even when it is in the title or repeated many times.
pub(super) const FOLDED_FALLBACK_BOOST: f32 = 0.1;
/// Weight of an adjacent pair of query words found as a word.
pub(super) const PAIR_BOOST: f32 = 1.0;

/// How strictly the words of a query must all match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Every word (group) must match.
    AllWords,
    /// Any word may match; more matches rank higher. The fallback when no document has them all.
    AnyWord,
}
