//! Query-latency harness for profiling (issue #6): opens a Kho index built by `kho-index`, runs the
//! bench's query mix (see `bench/profiles/make_queries.py`), and compares with plain tantivy (default
//! tokenizer, `QueryParser` over title+body, `SnippetGenerator` on the body) built from the same stored
//! documents, in the same process.
//!
//! ```sh
//! cargo run --release -p kho-core --example profile_search -- bench INDEX QUERIES [ROUNDS]
//! cargo run --release -p kho-core --example profile_search -- loop INDEX QUERIES ROUNDS   # Kho only, for perf/callgrind
//! cargo run --release -p kho-core --example profile_search -- dump INDEX QUERIES OUT      # every response, to diff
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kho_core::index::open_index;
use kho_core::search::{KhoSearcher, SearchRequest};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Schema, Value, STORED, STRING, TEXT};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, IndexWriter, TantivyDocument};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("bench");
    let index_dir = PathBuf::from(args.get(1).ok_or("INDEX missing")?);
    if mode == "space" {
        return print_space_usage(&index_dir);
    }
    if mode == "merge" {
        // Merges every segment into one (to compare per-query cost against the import's segment layout).
        let kho = kho_core::index::open_or_create_index(&index_dir)?;
        let mut writer: IndexWriter = kho.index.writer(200_000_000)?;
        let ids = kho.index.searchable_segment_ids()?;
        println!("merging {} segments", ids.len());
        writer.merge(&ids).wait()?;
        writer.wait_merging_threads()?;
        return Ok(());
    }
    let queries_file = args.get(2).ok_or("QUERIES missing")?;
    if mode == "tokens" {
        return dump_tokens(&index_dir, queries_file, args.get(3).ok_or("OUT missing")?);
    }
    let kho = open_index(&index_dir)?;
    let searcher = KhoSearcher::new(kho)?;
    let year = top_year(&searcher)?;
    let queries = read_queries(queries_file, year)?;
    match mode {
        "loop" => {
            let rounds: usize = args.get(3).map_or(Ok(5), |r| r.parse())?;
            let started = Instant::now();
            let mut hits = 0;
            for _ in 0..rounds {
                for (q, _) in &queries {
                    hits += searcher.search(&SearchRequest::new(q.clone()))?.hits.len();
                }
            }
            let n = rounds * queries.len();
            eprintln!("{n} searches, {hits} hits, {:.3} ms mean", started.elapsed().as_secs_f64() * 1e3 / n as f64);
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let memory: Vec<&str> = status.lines().filter(|l| l.starts_with("Rss") || l.starts_with("VmHWM")).collect();
            eprintln!("{}", memory.join(", "));
        }
        "dump" => {
            let out = args.get(3).ok_or("OUT missing")?;
            let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
            for (q, _) in &queries {
                let mut response = searcher.search(&SearchRequest::new(q.clone()))?;
                response.took_ms = 0.0;
                writeln!(file, "{response:#?}")?;
            }
        }
        _ => {
            let rounds: usize = args.get(3).map_or(Ok(3), |r| r.parse())?;
            let plain = PlainTantivy::open_or_build(&index_dir)?;
            let with_facets = time(&queries, rounds, |q, _| Ok(searcher.search(&SearchRequest::new(q))?.hits.len()))?;
            let without = time(&queries, rounds, |q, _| {
                let mut request = SearchRequest::new(q);
                request.facets = false;
                Ok(searcher.search(&request)?.hits.len())
            })?;
            let first_stage_only =
                searcher.clone().with_ranking(kho_core::query::Ranking::default().without("rerank").ok_or("rerank")?);
            let without_rerank =
                time(&queries, rounds, |q, _| Ok(first_stage_only.search(&SearchRequest::new(q))?.hits.len()))?;
            let baseline = time(&queries, rounds, |_, words| plain.search(words))?;
            println!(
                "{} queries x {rounds} rounds, year filter {year:?}, index {}",
                queries.len(),
                index_dir.display()
            );
            println!("| system | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) | with hits |");
            println!("| --- | ---: | ---: | ---: | ---: | ---: |");
            let runs = [
                ("Kho", &with_facets),
                ("Kho without facets", &without),
                ("Kho without the reranker", &without_rerank),
                ("plain tantivy", &baseline),
            ];
            for (name, run) in runs {
                println!(
                    "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {}/{} |",
                    run.p(0.50),
                    run.p(0.95),
                    run.p(0.99),
                    run.mean(),
                    run.answered,
                    queries.len()
                );
            }
            let mut slowest: Vec<(Duration, &str)> =
                with_facets.durations.iter().zip(queries.iter().cycle()).map(|(d, (q, _))| (*d, q.as_str())).collect();
            slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
            slowest.dedup_by(|a, b| a.1 == b.1);
            let slowest: Vec<String> =
                slowest.iter().take(8).map(|(d, q)| format!("{q:?} {:.2} ms", d.as_secs_f64() * 1e3)).collect();
            println!("slowest Kho queries: {}", slowest.join(", "));
            println!(
                "Kho / plain tantivy: p50 {:.2}x, p99 {:.2}x, mean {:.2}x",
                with_facets.p(0.50) / baseline.p(0.50),
                with_facets.p(0.99) / baseline.p(0.99),
                with_facets.mean() / baseline.mean()
            );
        }
    }
    Ok(())
}

/// Every token of every form of the first `limit` stored titles and bodies (and of the lines of
/// `extra`), hashed per text, to check that analysis changes keep the tokens identical.
fn dump_tokens(index_dir: &Path, extra: &str, out: &str) -> Result<()> {
    use kho_core::analysis::{tokenize, Form};
    let kho = open_index(index_dir)?;
    let reader = kho.index.reader()?;
    let searcher = reader.searcher();
    let mut texts: Vec<String> = std::fs::read_to_string(extra)?.lines().map(str::to_owned).collect();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64)?;
        for doc_id in segment.doc_ids_alive().take(1500) {
            let stored: TantivyDocument = store.get(doc_id)?;
            for field in [kho.fields.title, kho.fields.body] {
                texts.extend(stored.get_first(field).and_then(|v| v.as_str()).map(str::to_owned));
            }
        }
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    let started = Instant::now();
    let mut count = 0;
    for text in &texts {
        for form in [Form::Exact, Form::Folded, Form::Pairs] {
            for t in tokenize(text, form) {
                count += 1;
                writeln!(file, "{form:?} {} {} {} {}", t.position, t.offset_from, t.offset_to, t.text)?;
            }
        }
    }
    eprintln!("{} texts, {count} tokens, {:.1} ms", texts.len(), started.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

/// The year the bench adds to every eighth query: the commonest year of "việt nam".
fn top_year(searcher: &KhoSearcher) -> Result<Option<u64>> {
    let response = searcher.search(&SearchRequest::new("việt nam"))?;
    Ok(response.facets.get("year").and_then(|years| years.iter().max_by_key(|c| c.count)?.value.parse().ok()))
}

/// (Kho query, plain words).
fn read_queries(file: &str, year: Option<u64>) -> Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(file)?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| match (line.split_once('\t'), year) {
            (Some((words, _)), Some(year)) => (format!("{words} year:{year}"), words.to_owned()),
            (Some((words, _)), None) => (words.to_owned(), words.to_owned()),
            (None, _) => (line.to_owned(), line.to_owned()),
        })
        .collect())
}

struct Run {
    durations: Vec<Duration>,
    answered: usize,
}

impl Run {
    fn p(&self, q: f64) -> f64 {
        let mut sorted = self.durations.clone();
        sorted.sort();
        let at = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[at].as_secs_f64() * 1e3
    }

    fn mean(&self) -> f64 {
        self.durations.iter().map(Duration::as_secs_f64).sum::<f64>() * 1e3 / self.durations.len() as f64
    }
}

/// Warms up with every query once, then times `rounds` passes.
fn time(
    queries: &[(String, String)],
    rounds: usize,
    mut search: impl FnMut(String, &str) -> Result<usize>,
) -> Result<Run> {
    let mut answered = 0;
    for (q, words) in queries {
        answered += usize::from(search(q.clone(), words)? > 0);
    }
    let mut durations = Vec::with_capacity(queries.len() * rounds);
    for _ in 0..rounds {
        for (q, words) in queries {
            let q = q.clone();
            let t = Instant::now();
            std::hint::black_box(search(q, words)?);
            durations.push(t.elapsed());
        }
    }
    Ok(Run { durations, answered })
}

/// Plain tantivy as `bench/src/systems/plain_tantivy.rs` runs it.
struct PlainTantivy {
    reader: IndexReader,
    parser: QueryParser,
    body: Field,
}

impl PlainTantivy {
    /// Opens `<kho index>-plain`, building it from the Kho index's stored titles and bodies if missing.
    fn open_or_build(kho_dir: &Path) -> Result<PlainTantivy> {
        let dir = PathBuf::from(format!("{}-plain", kho_dir.display()));
        if !dir.join("meta.json").is_file() {
            std::fs::create_dir_all(&dir)?;
            let mut builder = Schema::builder();
            let id = builder.add_text_field("id", STRING | STORED);
            let title = builder.add_text_field("title", TEXT | STORED);
            let body = builder.add_text_field("body", TEXT | STORED);
            let index = Index::create_in_dir(&dir, builder.build())?;
            let mut writer: IndexWriter = index.writer(128 * 1024 * 1024)?;
            let kho = open_index(kho_dir)?;
            let reader = kho.index.reader()?;
            let searcher = reader.searcher();
            for segment in searcher.segment_readers() {
                let store = segment.get_store_reader(64)?;
                for doc_id in segment.doc_ids_alive() {
                    let stored: TantivyDocument = store.get(doc_id)?;
                    let text = |f: Field| stored.get_first(f).and_then(|v| v.as_str()).unwrap_or("").to_owned();
                    writer.add_document(doc!(
                        id => text(kho.fields.id),
                        title => text(kho.fields.title),
                        body => text(kho.fields.body)
                    ))?;
                }
            }
            writer.commit()?;
            writer.wait_merging_threads()?;
        }
        let index = Index::open_in_dir(&dir)?;
        let schema = index.schema();
        let title = schema.get_field("title")?;
        let body = schema.get_field("body")?;
        let parser = QueryParser::for_index(&index, vec![title, body]);
        Ok(PlainTantivy { reader: index.reader()?, parser, body })
    }

    fn search(&self, words: &str) -> Result<usize> {
        let (parsed, _ignored) = self.parser.parse_query_lenient(words);
        let searcher = self.reader.searcher();
        let top = searcher.search(&*parsed, &TopDocs::with_limit(10).order_by_score())?;
        let generator = SnippetGenerator::create(&searcher, &*parsed, self.body)?;
        let mut snippets = 0;
        for (_score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            std::hint::black_box(generator.snippet_from_doc(&doc).to_html());
            snippets += 1;
        }
        Ok(snippets)
    }
}

/// Bytes on disk by component and field, summed over segments: where the index's size goes.
fn print_space_usage(index_dir: &std::path::Path) -> Result<()> {
    let kho = open_index(index_dir)?;
    let searcher = kho.index.reader()?.searcher();
    let usage = searcher.space_usage()?;
    let mut rows: std::collections::BTreeMap<(String, String), u64> = Default::default();
    let mut add = |component: &str, per_field: &tantivy::space_usage::PerFieldSpaceUsage| {
        for field in per_field.fields() {
            *rows.entry((component.to_owned(), field.field_name().to_owned())).or_default() +=
                field.total().get_bytes();
        }
    };
    let mut store = 0;
    for segment in usage.segments() {
        add("termdict", segment.termdict());
        add("postings", segment.postings());
        add("positions", segment.positions());
        add("fast", segment.fast_fields());
        add("fieldnorms", segment.fieldnorms());
        store += segment.store().total().get_bytes();
    }
    println!("total {:.2} MB, store {:.2} MB", usage.total().get_bytes() as f64 / 1e6, store as f64 / 1e6);
    for ((component, field), bytes) in rows.iter().filter(|(_, b)| **b > 10_000) {
        println!("{component:10} {field:14} {:8.2} MB", *bytes as f64 / 1e6);
    }
    Ok(())
}
