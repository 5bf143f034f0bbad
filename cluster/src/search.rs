//! Searching the cluster with Kho's ranking.
//!
//! The cluster does what must scale with the collection: it finds, over every shard at once, the documents
//! that match the query (Kho's query written in encoded terms, see [`crate::query`]; years and dates as
//! attribute ranges), keeps the best [`CANDIDATE_DEPTH`] by Sphinx's BM25, counts each query word's
//! documents over the whole collection, and counts the facets of every match ([`crate::facets`]). Kho
//! does the rest as it does on one machine: the query's Telex/VNI words are corrected against the
//! cluster's document counts before anything is asked (a query typed wholly in Telex matches nothing as
//! typed), the candidates' stored documents go into an index in memory, and [`KhoSearcher`] runs the very
//! same search on them (corrections, synonyms, both tiers, reranking, snippets) with the cluster's
//! statistics in place of the small index's own ([`KhoSearcher::with_statistics`]). A candidate therefore
//! gets exactly the BM25 score it has in a single index of the whole collection, and the answer is the
//! local one as long as the local top results are among the candidates.
//!
//! The total and the facets are Sphinx's counts over the tier Kho answers with (all words, or any word
//! when too few documents have them all), so they are the local index's whatever the candidates; and
//! "did you mean" looks for words in the whole collection's vocabulary ([`crate::vocabulary`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kho_core::facets::{year_counts, FacetCounts};
use kho_core::index::KhoIndex;
use kho_core::query::{build_query, parse_query, ParsedQuery, Ranking, Strictness, LONG_QUERY_WORDS};
use kho_core::schema::KhoDocument;
use kho_core::search::{
    correct_input_method, facet_lists, term_frequencies, DocumentRecord, DocumentView, Export, Hit, KhoSearcher,
    SearchRequest, SearchResponse, SharedStatistics, Sort,
};
use kho_core::synonyms::SynonymSource;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{DocAddress, TantivyDocument, Term};

use crate::client::{select, Meta, Nodes};
use crate::error::ClusterError;
use crate::facets::count_facets;
use crate::query::{attribute_filters, exclusions_query, sphinx_query};
use crate::spec::{length_attribute, sphinx_id, ClusterSpec, DISTRIBUTED_INDEX};
use crate::sphinxql::{Answer, Connection};
use crate::terms::{encode, encode_term, searched_fields};
use crate::vocabulary::ClusterVocabulary;

/// Candidates fetched per query tier (more when a deeper page is asked for).
pub const CANDIDATE_DEPTH: usize = 200;
/// How long the collection's document count and field lengths are reused.
const COUNTS_TTL: Duration = Duration::from_secs(10);
/// Memory of the writer filling a query's in-memory index (tantivy's minimum).
const CANDIDATE_WRITER_BYTES: usize = 15_000_000;

/// Searches a cluster; cheap to share between threads.
#[derive(Clone)]
pub struct ClusterSearcher {
    nodes: Arc<Nodes>,
    synonyms: Arc<SynonymSource>,
    /// The searched fields and their names (their length attributes).
    searched: Arc<Vec<(Field, String)>>,
    fields: kho_core::schema::KhoSchema,
    counts: Arc<Mutex<Option<KeptCounts>>>,
    depth: usize,
}

/// What the cluster answers for one search.
pub struct Retrieved {
    /// Each tier's candidates (all words, any word; one of them for one word or a long query) and its
    /// `SHOW META`.
    tiers: Vec<(Answer, Meta)>,
    /// The document count of every word of the query, over the whole cluster.
    docs: HashMap<String, u64>,
    /// How many documents the query matches, and their facet counts (when asked for), over the tier Kho
    /// answers with.
    matches: Matches,
}

/// What one retrieval asks of the cluster.
struct Plan {
    /// Candidates per tier.
    depth: usize,
    /// Documents the answer needs from the first: fewer with every word, and the any-word tier counts.
    wanted: usize,
    /// Whether facets are counted.
    facets: bool,
}

/// The matches of the tier a search answers with, counted by the cluster.
#[derive(Default)]
struct Matches {
    total: u64,
    facets: Option<FacetCounts>,
}

/// The collection's counts, and when they were asked for.
type KeptCounts = (Instant, Arc<CollectionCounts>);

/// The collection's size: documents, and tokens per field.
#[derive(Debug, Default)]
struct CollectionCounts {
    documents: u64,
    tokens: HashMap<Field, u64>,
}

impl ClusterSearcher {
    /// A searcher asking the nodes of `spec` in turn, with the bundled synonyms.
    pub fn new(spec: &ClusterSpec) -> Result<ClusterSearcher, ClusterError> {
        spec.check()?;
        let kho = kho_core::index::create_in_ram()?;
        let schema = kho.index.schema();
        let searched = searched_fields(&kho).into_iter().map(|f| (f, schema.get_field_name(f).to_owned())).collect();
        let addrs = spec.nodes.iter().map(|n| n.sql.clone()).collect();
        Ok(ClusterSearcher {
            nodes: Arc::new(Nodes::new(addrs, Duration::from_secs(10))),
            synonyms: Arc::new(SynonymSource::builtin()),
            searched: Arc::new(searched),
            fields: kho.fields,
            counts: Arc::new(Mutex::new(None)),
            depth: CANDIDATE_DEPTH,
        })
    }

    /// Uses this synonym dictionary instead of the bundled one.
    pub fn with_synonyms(mut self, synonyms: Arc<SynonymSource>) -> ClusterSearcher {
        self.synonyms = synonyms;
        self
    }

    /// Fetches this many candidates per tier instead of [`CANDIDATE_DEPTH`].
    pub fn with_depth(mut self, depth: usize) -> ClusterSearcher {
        self.depth = depth.max(1);
        self
    }

    /// The number of documents in the cluster.
    pub fn num_docs(&self) -> Result<u64, ClusterError> {
        Ok(self.collection_counts()?.documents)
    }

    /// Runs one search request: the same answer as [`KhoSearcher::search`] on one index of every
    /// document, computed from the cluster's candidates.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, ClusterError> {
        let started = Instant::now();
        let Retrieved { tiers, docs, matches } = self.retrieve(request)?;
        let searcher = self.candidate_searcher(&tiers, docs)?;
        let without_facets = SearchRequest { facets: false, ..request.clone() };
        let mut response = searcher.search(&without_facets)?;
        // The count of matches and the facets are Sphinx's, over every match (Kho's own would cover the
        // candidates only).
        response.total = usize::try_from(matches.total).unwrap_or(usize::MAX);
        if let Some(facets) = matches.facets {
            response.timeline = year_counts(&facets);
            response.facets = facet_lists(facets);
        }
        response.took_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
        Ok(response)
    }

    /// The documents `request` matches, in its order, at most `limit` of them (`/api/search?format=csv`):
    /// as [`KhoSearcher::export`] on one index of every document. Up to `limit` matches of each tier
    /// are fetched and ordered by Kho; when more match, they are Sphinx's best `limit` by its BM25, so the
    /// rows near the cut may differ from the local index's. The total is the cluster's count.
    pub fn export(&self, request: &SearchRequest, limit: usize) -> Result<Export, ClusterError> {
        let plan = Plan { depth: limit, wanted: request.size, facets: false };
        let Retrieved { tiers, docs, matches } = self.retrieve_with(request, plan)?;
        let mut export = self.candidate_searcher(&tiers, docs)?.export(request, limit)?;
        export.total = usize::try_from(matches.total).unwrap_or(usize::MAX);
        Ok(export)
    }

    /// The record of the document with this id (for citing it), if the cluster has it.
    pub fn record(&self, id: &str) -> Result<Option<DocumentRecord>, ClusterError> {
        let Some(document) = self.stored_document(id)? else { return Ok(None) };
        let searcher = KhoSearcher::new(candidate_index(std::slice::from_ref(&document))?)?;
        Ok(searcher.record(id)?)
    }

    /// Kho's searcher over the candidates of `tiers`, with the whole cluster's statistics (`docs`: the
    /// document counts already known).
    fn candidate_searcher(
        &self,
        tiers: &[(Answer, Meta)],
        docs: HashMap<String, u64>,
    ) -> Result<KhoSearcher, ClusterError> {
        let mut seen = HashSet::new();
        let mut candidates = Vec::new();
        for (answer, _) in tiers {
            for document in stored_documents(answer)? {
                if seen.insert(document.id.clone()) {
                    candidates.push(document);
                }
            }
        }
        self.searcher_over(&candidates, self.statistics(docs)?)
    }

    /// The cluster's statistics, knowing these document counts already.
    fn statistics(&self, docs: HashMap<String, u64>) -> Result<Arc<ClusterStatistics>, ClusterError> {
        let counts = self.collection_counts()?;
        Ok(Arc::new(ClusterStatistics { counts, docs: Mutex::new(docs), nodes: Arc::clone(&self.nodes) }))
    }

    /// Kho's searcher over these documents, with the cluster's statistics and vocabulary.
    fn searcher_over(
        &self,
        documents: &[KhoDocument],
        statistics: Arc<ClusterStatistics>,
    ) -> Result<KhoSearcher, ClusterError> {
        let kho = candidate_index(documents)?;
        Ok(KhoSearcher::new(kho)?
            .with_synonyms(Arc::clone(&self.synonyms))
            .with_statistics(statistics)
            .with_vocabulary(Arc::new(ClusterVocabulary::new(Arc::clone(&self.nodes)))))
    }

    /// Documents like the one with this id, best first (`None` when the cluster has no such document): as
    /// [`KhoSearcher::similar`] on one index of every document. The document's telling words are weighed
    /// with the cluster's counts (all asked at once), Sphinx finds the best candidates with any of them,
    /// and Kho ranks those with the words' weights; the answer is the local one as long as the local
    /// best are among the candidates.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Option<Vec<Hit>>, ClusterError> {
        let Some(document) = self.stored_document(id)? else { return Ok(None) };
        let own = candidate_index(std::slice::from_ref(&document))?;
        let stored: TantivyDocument = own.index.reader()?.searcher().doc(DocAddress::new(0, 0))?;
        let words: Vec<String> = term_frequencies(&own.index, &stored)?.keys().filter_map(encode_term).collect();
        let docs = self.nodes.with_connection(|connection| doc_freqs(connection, &words))?;
        let statistics = self.statistics(docs)?;
        let own = KhoSearcher::new(own)?.with_statistics(Arc::clone(&statistics) as SharedStatistics);
        let terms = own.similar_terms(id)?.unwrap_or_default();
        let words: Vec<String> = terms.iter().filter_map(|(term, _)| encode_term(term)).collect();
        if words.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let depth = self.depth.max(limit + 1);
        let sql = format!(
            "SELECT id, doc FROM {DISTRIBUTED_INDEX} WHERE MATCH('{}') LIMIT {depth} \
             OPTION ranker=bm25, max_matches={depth}",
            words.join(" | ")
        );
        let (answer, _) = self.nodes.with_connection(|connection| select(connection, &sql))?;
        let candidates = stored_documents(&answer)?;
        Ok(Some(self.searcher_over(&candidates, statistics)?.similar_to_terms(id, &terms, limit)?))
    }

    /// The cluster's part of a search alone: the candidates of each tier with their stored documents, the
    /// document counts of the query's words, and the count and facets of the matches (`kho-cluster
    /// bench` times it apart from Kho's part).
    pub fn retrieve(&self, request: &SearchRequest) -> Result<Retrieved, ClusterError> {
        let depth = self.depth.max(request.page.saturating_mul(request.size));
        let wanted = (request.page - 1).saturating_mul(request.size).saturating_add(request.size);
        self.retrieve_with(request, Plan { depth, wanted, facets: request.facets })
    }

    fn retrieve_with(&self, request: &SearchRequest, plan: Plan) -> Result<Retrieved, ClusterError> {
        let mut parsed = parse_query(&request.q).map_err(kho_core::search::SearchError::from)?;
        // Telex/VNI words are corrected against the whole cluster's counts, before the candidates are
        // looked for (Kho's searcher, run on them, comes to the same correction from the same counts).
        let corrections = ClusterStatistics {
            counts: self.collection_counts()?,
            docs: Mutex::new(HashMap::new()),
            nodes: Arc::clone(&self.nodes),
        };
        correct_input_method(&corrections, &self.fields, &request.q, &mut parsed)
            .map_err(kho_core::search::SearchError::from)?;
        self.synonyms.current().expand(&mut parsed);
        let depth = plan.depth.clamp(1, kho_core::search::MAX_RESULT_DEPTH);
        let order = match request.sort {
            Sort::Relevance => "",
            Sort::Date => " ORDER BY date DESC",
        };
        let attributes = attribute_filters(&parsed);
        let condition = |query: &str| where_condition(query, &attributes);
        let select_sql = |query: &str| {
            let condition = condition(query);
            let filter = if condition.is_empty() { String::new() } else { format!(" WHERE {condition}") };
            format!(
                "SELECT id, doc FROM {DISTRIBUTED_INDEX}{filter}{order} LIMIT {depth} \
                 OPTION ranker=bm25, max_matches={depth}"
            )
        };
        // A long query is ranked on its any-word tier alone (as `KhoSearcher` does): no strict candidates.
        let long = parsed.groups.len() >= LONG_QUERY_WORDS;
        let mut queries = Vec::new();
        if !long {
            queries.push(sphinx_query(&parsed, &self.fields, Strictness::AllWords));
        }
        if parsed.groups.len() > 1 {
            queries.push(sphinx_query(&parsed, &self.fields, Strictness::AnyWord));
        }
        let excluded = exclusions_query(&parsed, &self.fields);
        let words = self.query_words(&parsed);
        let wanted = plan.wanted;
        let (tiers, docs, matches) = self.nodes.with_connection(|connection| {
            let mut tiers = Vec::with_capacity(queries.len());
            for query in &queries {
                tiers.push(select(connection, &select_sql(query))?);
                // Enough documents have every word: Kho answers with them alone, the other tier is not needed.
                if queries.len() == 2 && tiers.len() == 1 && tiers[0].1.total_found as usize >= wanted {
                    break;
                }
            }
            // Kho answers with the all-words tier, or the any-word one when too few documents have every
            // word (and a long query with the any-word tier alone): its count and facets are the answer's.
            let answered = match tiers.as_slice() {
                [(_, strict), _] if (strict.total_found as usize) < wanted => 1,
                _ => 0,
            };
            let query = queries.get(answered).map_or("", String::as_str);
            let mut total = tiers.get(answered).map_or(0, |(_, meta)| meta.total_found);
            let mut facets = match plan.facets {
                true => Some(count_facets(connection, &condition(query))?),
                false => None,
            };
            // Exclusions alone: every document but the excluded ones (Sphinx 2.2 cannot match a negation
            // alone, so the excluded ones are counted and taken away).
            if let Some(excluded) = &excluded {
                let without = condition(excluded);
                let count_sql =
                    format!("SELECT id FROM {DISTRIBUTED_INDEX} WHERE {without} LIMIT 1 OPTION ranker=none");
                total = total.saturating_sub(select(connection, &count_sql)?.1.total_found);
                if let Some(facets) = &mut facets {
                    subtract(facets, count_facets(connection, &without)?);
                }
            }
            // The tiers' statistics hold the document counts of their words; the others are asked for.
            let mut docs: HashMap<String, u64> = HashMap::new();
            for (_, meta) in &tiers {
                docs.extend(meta.docs.iter().map(|(word, count)| (word.clone(), *count)));
            }
            let missing: Vec<String> = words.iter().filter(|w| !docs.contains_key(*w)).cloned().collect();
            docs.extend(doc_freqs(connection, &missing)?);
            Ok((tiers, docs, Matches { total, facets }))
        })?;
        // The counts the corrections asked for, which Kho's searcher asks for again.
        let mut docs = docs;
        if let Ok(asked) = corrections.docs.into_inner() {
            docs.extend(asked);
        }
        Ok(Retrieved { tiers, docs, matches })
    }

    /// What changes when the cluster's documents do: the document count and the length of every
    /// searched field summed over the collection (asked again at most every [`COUNTS_TTL`]). A document
    /// replaced by another of exactly the same field lengths goes unseen.
    pub fn fingerprint(&self) -> Result<Vec<u64>, ClusterError> {
        let counts = self.collection_counts()?;
        let mut fingerprint = vec![counts.documents];
        fingerprint.extend(self.searched.iter().map(|(field, _)| counts.tokens.get(field).copied().unwrap_or(0)));
        Ok(fingerprint)
    }

    /// Hands every stored document of the cluster to `each`, in the order of their Sphinx ids, `page`
    /// documents per query (each shard answered by one replica: every document once); returns how many.
    /// What the search box's suggestions are built from, as the local ones are from the document store.
    pub fn for_each_document(&self, page: usize, mut each: impl FnMut(KhoDocument)) -> Result<u64, ClusterError> {
        let page = page.max(1);
        let mut after = 0u64;
        let mut seen = 0u64;
        loop {
            let sql = format!(
                "SELECT id, doc FROM {DISTRIBUTED_INDEX} WHERE id > {after} ORDER BY id ASC LIMIT {page} \
                 OPTION max_matches={page}"
            );
            let (answer, _) = self.nodes.with_connection(|connection| select(connection, &sql))?;
            let Some(id_column) = answer.column("id") else { return Ok(seen) };
            let last = answer
                .rows
                .iter()
                .filter_map(|row| row.get(id_column).cloned().flatten())
                .filter_map(|id| id.parse::<u64>().ok())
                .max();
            for document in stored_documents(&answer)? {
                each(document);
                seen += 1;
            }
            match last {
                Some(last) if last > after && answer.rows.len() == page => after = last,
                _ => return Ok(seen),
            }
        }
    }

    /// The stored document with this id, if the cluster has it.
    pub fn document(&self, id: &str) -> Result<Option<DocumentView>, ClusterError> {
        let Some(document) = self.stored_document(id)? else { return Ok(None) };
        let searcher = KhoSearcher::new(candidate_index(std::slice::from_ref(&document))?)?;
        Ok(searcher.document(id)?)
    }

    fn stored_document(&self, id: &str) -> Result<Option<KhoDocument>, ClusterError> {
        let sql = format!("SELECT id, doc FROM {DISTRIBUTED_INDEX} WHERE id = {} LIMIT 1", sphinx_id(id));
        let (answer, _) = self.nodes.with_connection(|connection| select(connection, &sql))?;
        Ok(stored_documents(&answer)?.into_iter().find(|d| d.id == id))
    }

    /// The Sphinx words whose document counts the search will need: every term of Kho's queries, both
    /// tiers (the reranker's and the snippets' words are among them; a missing one is fetched alone).
    fn query_words(&self, parsed: &ParsedQuery) -> Vec<String> {
        let mut words = HashSet::new();
        for strictness in [Strictness::AllWords, Strictness::AnyWord] {
            let query = build_query(parsed, &self.fields, strictness, &Ranking::default());
            query.query_terms(&mut |term: &Term, _| {
                if let Some(word) = encode_term(term) {
                    words.insert(word);
                }
            });
        }
        words.into_iter().collect()
    }

    /// The collection's document count and field lengths, asked again every [`COUNTS_TTL`].
    fn collection_counts(&self) -> Result<Arc<CollectionCounts>, ClusterError> {
        if let Ok(kept) = self.counts.lock() {
            if let Some((at, counts)) = kept.as_ref() {
                if at.elapsed() < COUNTS_TTL {
                    return Ok(Arc::clone(counts));
                }
            }
        }
        let sums: Vec<String> = self
            .searched
            .iter()
            .enumerate()
            .map(|(i, (_, name))| format!("SUM({}) AS s{i}", length_attribute(name)))
            .collect();
        let sql = format!("SELECT COUNT(*) AS documents, {} FROM {DISTRIBUTED_INDEX}", sums.join(", "));
        let (answer, _) = self.nodes.with_connection(|connection| select(connection, &sql))?;
        let value = |name: &str| -> u64 {
            answer
                .column(name)
                .and_then(|c| answer.rows.first().and_then(|row| row.get(c).cloned().flatten()))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        let counts = Arc::new(CollectionCounts {
            documents: value("documents"),
            tokens: self.searched.iter().enumerate().map(|(i, (field, _))| (*field, value(&format!("s{i}")))).collect(),
        });
        if let Ok(mut kept) = self.counts.lock() {
            *kept = Some((Instant::now(), Arc::clone(&counts)));
        }
        Ok(counts)
    }
}

/// A SphinxQL WHERE condition: the full-text query (if any) and the attribute filters.
fn where_condition(query: &str, attributes: &[String]) -> String {
    let mut parts = Vec::with_capacity(attributes.len() + 1);
    if !query.is_empty() {
        parts.push(format!("MATCH('{query}')"));
    }
    parts.extend(attributes.iter().cloned());
    parts.join(" AND ")
}

/// Takes the counts of `excluded` away from `counts`, dropping the values left with none.
fn subtract(counts: &mut FacetCounts, excluded: FacetCounts) {
    for (value, count) in excluded {
        if let Some((_, kept)) = counts.iter_mut().find(|(v, _)| v.field == value.field && v.value == value.value) {
            *kept = kept.saturating_sub(count);
        }
    }
    counts.retain(|(_, count)| *count > 0);
}

/// The documents of a SELECT's `doc` column.
fn stored_documents(answer: &Answer) -> Result<Vec<KhoDocument>, ClusterError> {
    if answer.rows.is_empty() {
        // searchd sends no columns with an empty answer.
        return Ok(Vec::new());
    }
    let (id_col, doc_col) = match (answer.column("id"), answer.column("doc")) {
        (Some(i), Some(d)) => (i, d),
        _ => return Err(ClusterError::MissingColumn("doc")),
    };
    answer
        .rows
        .iter()
        .filter_map(|row| Some((row.get(id_col)?.clone().unwrap_or_default(), row.get(doc_col)?.clone()?)))
        .map(|(id, json)| serde_json::from_str(&json).map_err(|source| ClusterError::StoredDocument { id, source }))
        .collect()
}

/// An index in memory holding these documents, as the local index holds them.
fn candidate_index(documents: &[KhoDocument]) -> Result<KhoIndex, ClusterError> {
    let kho = kho_core::index::create_in_ram()?;
    let mut writer: tantivy::IndexWriter = kho.index.writer_with_num_threads(1, CANDIDATE_WRITER_BYTES)?;
    for document in documents {
        writer.add_document(document.to_tantivy(&kho.fields))?;
    }
    writer.commit()?;
    Ok(kho)
}

/// The document count of each word, from one query that matches any of them.
fn doc_freqs(connection: &mut Connection, words: &[String]) -> Result<HashMap<String, u64>, ClusterError> {
    if words.is_empty() {
        return Ok(HashMap::new());
    }
    // Only the statistics are wanted: no ranking, one match kept.
    let sql = format!(
        "SELECT id FROM {DISTRIBUTED_INDEX} WHERE MATCH('{}') LIMIT 1 OPTION ranker=none, max_matches=1",
        words.join(" | ")
    );
    let (_, meta) = select(connection, &sql)?;
    let mut docs = meta.docs;
    // A word no document has is not always listed.
    for word in words {
        docs.entry(word.clone()).or_insert(0);
    }
    Ok(docs)
}

/// The whole cluster's statistics, for BM25 on a query's candidates.
struct ClusterStatistics {
    counts: Arc<CollectionCounts>,
    /// Document counts of the query's words, fetched before the search; others are fetched when asked.
    docs: Mutex<HashMap<String, u64>>,
    nodes: Arc<Nodes>,
}

impl Bm25StatisticsProvider for ClusterStatistics {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(self.counts.tokens.get(&field).copied().unwrap_or(0))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.counts.documents)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let Some(word) = encode_term(term) else { return Ok(0) };
        let kept = self.docs.lock().ok().and_then(|docs| docs.get(&word).copied());
        let count = match kept {
            Some(count) => count,
            None => {
                let fetched = self
                    .nodes
                    .with_connection(|connection| doc_freqs(connection, std::slice::from_ref(&word)))
                    .map_err(|e| tantivy::TantivyError::SystemError(format!("cluster statistics: {e}")))?;
                let count = fetched.get(&word).copied().unwrap_or(0);
                if let Ok(mut docs) = self.docs.lock() {
                    docs.insert(word, count);
                }
                count
            }
        };
        // Counts of replaced documents not yet merged away could exceed the live documents; BM25's idf
        // requires them not to.
        Ok(count.min(self.counts.documents))
    }
}

/// The Sphinx word of a token of `field` (for tests and tools that look words up).
pub fn word(field: Field, token: &str) -> String {
    encode(field, token)
}
