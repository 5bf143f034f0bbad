//! Abbreviations and synonyms from an editable dictionary file (`config/synonyms.txt`).
//!
//! Each line is a group of forms that mean the same thing ("SXSH = sản xuất sạch hơn"). A query whose
//! consecutive words spell one form gets every other form of its group as an alternative, both ways. Forms
//! are compared by their folded tokens, so case, diacritics and "TP.HCM"/"TPHCM" spellings do not matter.
//! [`SynonymSource`] re-reads the file when it changes, so the server needs no restart.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use crate::analysis::{analyze, Form};
use crate::query::{Item, ParsedQuery};

/// The dictionary bundled with Kho, used when no file is configured.
pub const BUILTIN_SYNONYMS: &str = include_str!("../../config/synonyms.txt");
/// How often [`SynonymSource`] looks at the file's modification time.
const RELOAD_CHECK_INTERVAL: Duration = Duration::from_secs(2);

/// A line of the dictionary that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynonymError {
    #[error("{path}: cannot read: {message}")]
    Read { path: String, message: String },
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
}

/// A parsed dictionary.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Each group's forms, as written.
    groups: Vec<Vec<String>>,
    /// Folded tokens of every form → (group, form).
    by_tokens: HashMap<Vec<String>, (usize, usize)>,
    /// The most query words a form can span.
    max_words: usize,
}

impl Synonyms {
    /// Parses the dictionary text.
    pub fn parse(text: &str) -> Result<Synonyms, SynonymError> {
        let mut synonyms = Synonyms::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let forms: Vec<String> = line.split(" = ").map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect();
            if forms.len() < 2 {
                return Err(SynonymError::Line {
                    line: number + 1,
                    message: "a group needs at least two forms separated by \" = \"".to_owned(),
                });
            }
            let group = synonyms.groups.len();
            for (i, form) in forms.iter().enumerate() {
                let tokens = analyze(form, Form::Folded);
                if tokens.is_empty() {
                    return Err(SynonymError::Line { line: number + 1, message: format!("{form:?} has no words") });
                }
                synonyms.max_words = synonyms.max_words.max(form.split_whitespace().count());
                synonyms.by_tokens.entry(tokens).or_insert((group, i));
            }
            synonyms.groups.push(forms);
        }
        Ok(synonyms)
    }

    /// The bundled dictionary.
    pub fn builtin() -> Synonyms {
        // The bundled file is checked by a test; an error here would be a build defect.
        Synonyms::parse(BUILTIN_SYNONYMS).unwrap_or_default()
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every other form of the group that `words` spell, if they spell one.
    pub fn alternatives(&self, words: &[&str]) -> Option<Vec<&str>> {
        let tokens: Vec<String> = words.iter().flat_map(|w| analyze(w, Form::Folded)).collect();
        let &(group, form) = self.by_tokens.get(&tokens)?;
        Some(self.groups[group].iter().enumerate().filter(|(i, _)| *i != form).map(|(_, f)| f.as_str()).collect())
    }

    /// Adds the synonyms of every run of plain words in the query as alternatives, longest runs first.
    pub fn expand(&self, parsed: &mut ParsedQuery) {
        if self.is_empty() {
            return;
        }
        let mut expanded: Vec<Vec<Item>> = Vec::with_capacity(parsed.groups.len());
        let groups = std::mem::take(&mut parsed.groups);
        let mut i = 0;
        while i < groups.len() {
            match self.longest_match(&groups[i..]) {
                Some((words, alternatives)) => {
                    let original: Vec<&str> = groups[i..i + words].iter().filter_map(|g| plain_word(g)).collect();
                    let mut group = if words == 1 { groups[i].clone() } else { vec![Item::Phrase(original.join(" "))] };
                    group.extend(alternatives.into_iter().map(|a| Item::Phrase(a.to_owned())));
                    expanded.push(group);
                    i += words;
                }
                None => {
                    expanded.push(groups[i].clone());
                    i += 1;
                }
            }
        }
        parsed.groups = expanded;
    }

    fn longest_match<'a>(&'a self, groups: &[Vec<Item>]) -> Option<(usize, Vec<&'a str>)> {
        let words: Vec<&str> = groups.iter().take(self.max_words).map_while(|g| plain_word(g)).collect();
        (1..=words.len()).rev().find_map(|n| self.alternatives(&words[..n]).map(|alts| (n, alts)))
    }
}

/// The word of a group that is one plain word (not a phrase, not an OR).
fn plain_word(group: &[Item]) -> Option<&str> {
    match group {
        [Item::Word(word)] => Some(word.as_str()),
        _ => None,
    }
}

/// The dictionary in use, re-read from its file when the file changes.
#[derive(Debug)]
pub struct SynonymSource {
    path: Option<PathBuf>,
    state: RwLock<SourceState>,
}

#[derive(Debug)]
struct SourceState {
    synonyms: Arc<Synonyms>,
    modified: Option<SystemTime>,
    checked: Instant,
    /// Incremented at every reload, so answers computed with older synonyms can be told apart.
    version: u64,
}

impl SynonymSource {
    /// The bundled dictionary, never reloaded.
    pub fn builtin() -> SynonymSource {
        SynonymSource::with(None, Synonyms::builtin(), None)
    }

    /// The dictionary in `path`, reloaded when the file changes.
    pub fn from_file(path: &Path) -> Result<SynonymSource, SynonymError> {
        let (synonyms, modified) = read_file(path)?;
        Ok(SynonymSource::with(Some(path.to_owned()), synonyms, modified))
    }

    fn with(path: Option<PathBuf>, synonyms: Synonyms, modified: Option<SystemTime>) -> SynonymSource {
        let state = SourceState { synonyms: Arc::new(synonyms), modified, checked: Instant::now(), version: 0 };
        SynonymSource { path, state: RwLock::new(state) }
    }

    /// The current dictionary; looks at the file at most every few seconds and keeps the previous
    /// dictionary when the new file has an error (logged).
    pub fn current(&self) -> Arc<Synonyms> {
        if let Some(path) = &self.path {
            self.reload_if_changed(path);
        }
        match self.state.read() {
            Ok(state) => state.synonyms.clone(),
            Err(poisoned) => poisoned.into_inner().synonyms.clone(),
        }
    }

    /// Counts the reloads of the dictionary [`SynonymSource::current`] returns (checking the file first, as
    /// it does).
    pub fn version(&self) -> u64 {
        if let Some(path) = &self.path {
            self.reload_if_changed(path);
        }
        match self.state.read() {
            Ok(state) => state.version,
            Err(poisoned) => poisoned.into_inner().version,
        }
    }

    /// Re-reads the file now if it changed since the last read.
    pub fn reload_now(&self) {
        if let Some(path) = &self.path {
            self.reload(path, true);
        }
    }

    fn reload_if_changed(&self, path: &Path) {
        let due = match self.state.read() {
            Ok(state) => state.checked.elapsed() >= RELOAD_CHECK_INTERVAL,
            Err(_) => true,
        };
        if due {
            self.reload(path, false);
        }
    }

    fn reload(&self, path: &Path, force: bool) {
        let Ok(mut state) = self.state.write() else { return };
        state.checked = Instant::now();
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if !force && modified == state.modified {
            return;
        }
        match read_file(path) {
            Ok((synonyms, modified)) => {
                tracing::info!(path = %path.display(), groups = synonyms.len(), "synonyms reloaded");
                state.synonyms = Arc::new(synonyms);
                state.modified = modified;
                state.version += 1;
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "synonyms not reloaded, keeping the previous ones");
                state.modified = modified;
            }
        }
    }
}

fn read_file(path: &Path) -> Result<(Synonyms, Option<SystemTime>), SynonymError> {
    let read_err = |e: std::io::Error| SynonymError::Read { path: path.display().to_string(), message: e.to_string() };
    let text = std::fs::read_to_string(path).map_err(read_err)?;
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok((Synonyms::parse(&text)?, modified))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_query;

    fn groups(q: &str, synonyms: &Synonyms) -> Vec<Vec<Item>> {
        let mut parsed = parse_query(q).unwrap();
        synonyms.expand(&mut parsed);
        parsed.groups
    }

    fn phrase(p: &str) -> Item {
        Item::Phrase(p.to_owned())
    }

    fn word(w: &str) -> Item {
        Item::Word(w.to_owned())
    }

    #[test]
    fn the_bundled_dictionary_parses() {
        let synonyms = Synonyms::parse(BUILTIN_SYNONYMS).unwrap();
        assert!(synonyms.len() >= 20);
    }

    #[test]
    fn expands_both_ways() {
        let synonyms = Synonyms::builtin();
        let cases: Vec<(&str, Vec<Vec<Item>>)> = vec![
            ("SXSH", vec![vec![word("SXSH"), phrase("sản xuất sạch hơn")]]),
            (
                "sxsh Bến Tre",
                vec![vec![word("sxsh"), phrase("sản xuất sạch hơn")], vec![word("Bến")], vec![word("Tre")]],
            ),
            ("san xuat sach hon", vec![vec![phrase("san xuat sach hon"), phrase("SXSH")]]),
            (
                "hội thảo sản xuất sạch hơn",
                vec![vec![word("hội")], vec![word("thảo")], vec![phrase("sản xuất sạch hơn"), phrase("SXSH")]],
            ),
            ("ubnd tỉnh", vec![vec![word("ubnd"), phrase("Ủy ban nhân dân")], vec![word("tỉnh")]]),
            ("Uỷ ban nhân dân", vec![vec![phrase("Uỷ ban nhân dân"), phrase("UBND")]]),
            (
                "TP.HCM",
                vec![vec![
                    word("TP.HCM"),
                    phrase("TPHCM"),
                    phrase("TP HCM"),
                    phrase("HCM"),
                    phrase("Thành phố Hồ Chí Minh"),
                    phrase("TP Hồ Chí Minh"),
                ]],
            ),
            ("\"sản xuất\" sạch", vec![vec![phrase("sản xuất")], vec![word("sạch")]]),
            ("nhà máy đường", vec![vec![word("nhà")], vec![word("máy")], vec![word("đường")]]),
        ];
        for (q, expected) in cases {
            assert_eq!(groups(q, &synonyms), expected, "query {q:?}");
        }
    }

    #[test]
    fn rejects_malformed_lines() {
        assert!(matches!(Synonyms::parse("# ok\nSXSH\n"), Err(SynonymError::Line { line: 2, .. })));
        assert!(Synonyms::parse("A = B\n\n# c\n").is_ok());
    }

    #[test]
    fn reloads_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("synonyms.txt");
        std::fs::write(&path, "KCN = khu công nghiệp\n").unwrap();
        let source = SynonymSource::from_file(&path).unwrap();
        assert!(source.current().alternatives(&["KCN"]).is_some());
        assert!(source.current().alternatives(&["HTX"]).is_none());
        std::fs::write(&path, "KCN = khu công nghiệp\nHTX = hợp tác xã\n").unwrap();
        source.reload_now();
        assert_eq!(source.current().alternatives(&["htx"]), Some(vec!["hợp tác xã"]));
        std::fs::write(&path, "broken line\n").unwrap();
        source.reload_now();
        assert!(source.current().alternatives(&["htx"]).is_some(), "keeps the previous dictionary");
    }
}
