//! Vietnamese text analysis, one step per module:
//! [`normalize`] (NFC) → [`tokenizer`] (syllables, numbers, abbreviations) → lowercase →
//! [`tone`] (tone placement) → [`spelling`] (ng/ngh, i/y) → [`fold`] (diacritics, for the folded form).
//!
//! [`key`] is the same chain applied to a whole text for diacritic-blind comparisons outside the index
//! (autocomplete). [`ANALYSIS_VERSION`] marks the tokens all of this produces.
//!
//! [`register_analyzers`] is the one function that teaches a tantivy index our analyzers; every
//! place that opens an index calls it (through [`crate::index`]), so the indexer and the server
//! cannot disagree.

pub mod fold;
pub mod input_method;
pub mod key;
pub mod normalize;
pub mod spelling;
pub mod syllable;
pub mod tokenizer;
pub mod tone;

use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

pub use fold::{fold_diacritics, has_diacritics};
pub use key::{fold_key, fold_prefix};
pub use normalize::normalize_text;
pub use syllable::is_vietnamese_syllable;
pub use tokenizer::{normalize_token, tokenize, Form, VietnameseTokenizer};

/// Bumped whenever analysis changes what tokens a text produces (any step of this module: normalization,
/// tokenization, tone placement, ng/ngh and i/y spelling, folding, pairs): an index built with other tokens would
/// silently miss matches, so [`crate::index`] refuses it instead.
pub const ANALYSIS_VERSION: u32 = 4;

/// Name of the analyzer that keeps diacritics.
pub const EXACT_ANALYZER: &str = "vi_exact";
/// Name of the analyzer that folds diacritics.
pub const FOLDED_ANALYZER: &str = "vi_folded";
/// Name of the analyzer of adjacent folded syllable pairs.
pub const PAIRS_ANALYZER: &str = "vi_pairs";

/// Registers Kho's analyzers under their names in `manager`.
pub fn register_analyzers(manager: &TokenizerManager) {
    manager.register(EXACT_ANALYZER, analyzer(Form::Exact));
    manager.register(FOLDED_ANALYZER, analyzer(Form::Folded));
    manager.register(PAIRS_ANALYZER, analyzer(Form::Pairs));
}

/// The tantivy analyzer of one form.
pub fn analyzer(form: Form) -> TextAnalyzer {
    TextAnalyzer::builder(VietnameseTokenizer::new(form)).build()
}

/// The token texts of `text` in `form`, as the index sees them.
pub fn analyze(text: &str, form: Form) -> Vec<String> {
    tokenize(text, form).into_iter().map(|t| t.text).collect()
}
