//! Kho in a real browser: headless Chromium, driven through chromedriver, against the real server on a
//! loopback port. A user types a query without diacritics (suggestions appear), sees highlighted results,
//! applies a facet, opens a document at its first match, narrows results to a year from the timeline; then a page on another loopback origin embeds
//! the widget with one script tag and searches through it, while a page on an origin the server does
//! not allow cannot. Screenshots go to docs/screenshots/.
//!
//! Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them). Without them the test fails
//! with instructions, unless KHO_SKIP_BROWSER_TESTS=1 says to skip it.

mod common;
mod browser {
    pub mod webdriver;
}

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use browser::webdriver::{Chromedriver, Session, ARROW_DOWN, ENTER, ESCAPE};
use common::{corpus_dir, TestServer};
use kho_server::archive::ArchiveRoots;
use kho_server::config::WebConfig;
use kho_server::cors::AllowedOrigins;

const WAIT: Duration = Duration::from_secs(15);
const SKIP_VARIABLE: &str = "KHO_SKIP_BROWSER_TESTS";

/// Chromium and chromedriver, from KHO_CHROMIUM / KHO_CHROMEDRIVER or the PATH.
fn browser_binaries() -> Option<(PathBuf, PathBuf)> {
    let find = |variable: &str, names: &[&str]| -> Option<PathBuf> {
        if let Some(path) = std::env::var_os(variable).map(PathBuf::from).filter(|p| p.is_file()) {
            return Some(path);
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
    };
    Some((
        find("KHO_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"])?,
        find("KHO_CHROMEDRIVER", &["chromedriver"])?,
    ))
}

fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("docs").join("screenshots")
}

/// A tiny HTTP server answering every request with one HTML page: the "other site".
struct HostPage {
    url: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HostPage {
    fn serve(listener: TcpListener, html: String) -> HostPage {
        let url = format!("http://{}/", listener.local_addr().expect("address"));
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
                    html.len()
                );
            }
        });
        HostPage { url, stop, thread: Some(thread) }
    }
}

impl Drop for HostPage {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A provincial department's page embedding Kho with one script tag.
fn embedding_page(kho: &TestServer) -> String {
    format!(
        r##"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sở Tài nguyên và Môi trường — tra cứu tài liệu</title>
<style>
body {{ margin: 0; font-family: Georgia, "Times New Roman", serif; background: #f4f1ea; color: #222; }}
header {{ background: #8b1e1e; color: #fff; padding: 1rem 2rem; }}
header h1 {{ margin: 0; font-size: 1.4rem; }}
main {{ padding: 1.5rem 2rem; max-width: 60rem; }}
</style></head>
<body>
<header><h1>Sở Tài nguyên và Môi trường tỉnh Bến Tre</h1></header>
<main>
<h2>Tra cứu tài liệu sản xuất sạch hơn</h2>
<div id="kho-search"></div>
<p>Các tin tức, báo cáo hội thảo và tài liệu hướng dẫn về sản xuất sạch hơn trong công nghiệp.</p>
</main>
<script src="{}" data-target="#kho-search" async></script>
</body></html>"##,
        kho.url("/widget.js")
    )
}

fn chromium_args(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=vi",
        "--window-size=1280,900",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
    ]
    .iter()
    .map(|a| a.to_string())
    .chain(std::iter::once(format!("--user-data-dir={}", profile.display())))
    .collect()
}

#[test]
fn search_document_and_widget_in_headless_chromium() {
    let Some((chromium, chromedriver)) = browser_binaries() else {
        if std::env::var_os(SKIP_VARIABLE).is_some() {
            eprintln!("skipped: no chromium/chromedriver and {SKIP_VARIABLE} is set");
            return;
        }
        panic!(
            "this test needs headless Chromium: `apt-get install -y chromium chromium-driver` (as .ci/run does), \
             or set {SKIP_VARIABLE}=1 to skip it"
        );
    };

    let dir = tempfile::tempdir().expect("temp dir");
    // The other site's origin must be known before Kho starts, to allow it.
    let host_listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let host_origin = format!("http://{}", host_listener.local_addr().expect("address"));
    let web = WebConfig {
        cors: AllowedOrigins::parse(&[host_origin.as_str()]).expect("origin"),
        archive: ArchiveRoots::new([corpus_dir()]),
        ..WebConfig::default()
    };
    let kho = TestServer::start_web(&dir.path().join("index"), &corpus_dir(), web);
    let host = HostPage::serve(host_listener, embedding_page(&kho));
    let stranger = HostPage::serve(TcpListener::bind("127.0.0.1:0").expect("bind"), embedding_page(&kho));

    let driver = Chromedriver::start(&chromedriver);
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = Session::new(&driver, &chromium, &chromium_args(profile.path()));
    let shots = screenshots_dir();

    search_without_diacritics(&browser, &kho, &shots);
    apply_a_facet(&browser);
    browser.screenshot(&shots.join("results.png"));
    open_a_document(&browser);
    browser.screenshot(&shots.join("document.png"));
    timeline_filters_by_year(&browser, &kho, &shots);
    widget_on_another_site(&browser, &host);
    browser.screenshot(&shots.join("widget.png"));
    widget_refused_on_an_unknown_site(&browser, &stranger);
    phone_layout(&browser, &kho);
    browser.screenshot(&shots.join("results-phone.png"));
}

fn search_without_diacritics(browser: &Session, kho: &TestServer, shots: &Path) {
    browser.goto(&kho.url("/"));
    let input = browser.wait_for("#q", WAIT);
    browser.type_text(&input, "hoi th");
    browser.wait_for("#q-suggestions [role=option]", WAIT);
    let suggestions = browser.texts("#q-suggestions [role=option] .suggestion-text");
    assert!(suggestions.iter().any(|s| s == "hội thảo"), "accent-insensitive suggestions: {suggestions:?}");
    assert_eq!(browser.attribute(&input, "aria-expanded").as_deref(), Some("true"));
    browser.screenshot(&shots.join("suggestions.png"));
    // Keyboard: the arrow moves into the list, Escape leaves it.
    browser.type_text(&input, ARROW_DOWN);
    let active = browser.attribute(&input, "aria-activedescendant").unwrap_or_default();
    assert_eq!(active, "q-suggestion-0");
    browser.type_text(&input, ESCAPE);
    browser.wait_until("the list to close", WAIT, |b| b.attribute(&input, "aria-expanded").as_deref() == Some("false"));

    browser.clear(&input);
    browser.type_text(&input, "hoi thao san xuat sach hon");
    browser.type_text(&input, ENTER);
    browser.wait_for(".hit", WAIT);
    let marked = browser.texts(".hit mark");
    assert!(
        marked.iter().any(|m| ["Hội", "hội", "thảo", "sản", "xuất", "sạch", "hơn", "Bến", "Tre"].contains(&m.as_str())),
        "the accented originals are highlighted: {marked:?}"
    );
    let count = browser.texts(".count").join(" ");
    assert!(count.contains("kết quả") && count.contains("ms"), "{count}");
}

fn apply_a_facet(browser: &Session) {
    let news = browser.wait_for(r#".filters a[data-facet="kind:news"]"#, WAIT);
    browser.click(&news);
    browser.wait_until("the kind filter in the URL", WAIT, |b| b.url().contains("kind%3Anews"));
    browser.wait_for(".active-filters .chip", WAIT);
    let kinds = browser.texts(".hit .kind");
    assert!(!kinds.is_empty() && kinds.iter().all(|k| k == "Tin tức"), "only news: {kinds:?}");
    assert!(!browser.texts(".hit mark").is_empty());
}

fn open_a_document(browser: &Session) {
    let first = browser.wait_for(".hit-title a", WAIT);
    browser.click(&first);
    browser.wait_for("#first-match", WAIT);
    assert!(browser.url().ends_with("#first-match"), "{}", browser.url());
    let in_view = browser.execute(
        "const r = document.getElementById('first-match').getBoundingClientRect(); \
         return r.top >= 0 && r.bottom <= window.innerHeight;",
    );
    assert_eq!(in_view, true, "the first match is scrolled into view");
    assert!(!browser.texts(".similar li a").is_empty(), "similar documents");
    assert!(browser.find_all("a.download").len() == 1, "download link");
}

/// The results page's timeline is drawn (one bar per year, each with its count as a tooltip title) and a
/// click on a bar narrows the results to that year.
fn timeline_filters_by_year(browser: &Session, kho: &TestServer, shots: &Path) {
    browser.goto(&kho.url("/?q=san+xuat+sach+hon"));
    browser.wait_for(".timeline-chart a.bar", WAIT);
    let years: Vec<String> = browser
        .find_all(".timeline-chart a.bar")
        .iter()
        .filter_map(|bar| browser.attribute(bar, "data-year"))
        .collect();
    assert!(years.len() >= 3, "a bar per year of the corpus: {years:?}");
    let drawn = browser.execute(
        "return [...document.querySelectorAll('.timeline-chart a.bar rect.value')]         .every(r => r.getBoundingClientRect().height >= 2 && getComputedStyle(r).fill !== 'none');",
    );
    assert_eq!(drawn, true, "every bar is drawn with a height and a fill from the stylesheet");
    let titles = browser.texts(".timeline figcaption");
    assert!(titles.iter().any(|t| t.contains("Kết quả theo năm")), "{titles:?}");
    browser.screenshot(&shots.join("timeline.png"));

    let year = years[0].clone();
    let bar = browser.wait_for(&format!(r#".timeline-chart a.bar[data-year="{year}"]"#), WAIT);
    browser.click(&bar);
    browser.wait_until("the year filter in the URL", WAIT, |b| b.url().contains(&format!("year%3A{year}")));
    browser.wait_for(".active-filters .chip", WAIT);
    let dates =
        browser.execute("return [...document.querySelectorAll('.hit time')].map(t => t.getAttribute('datetime'));");
    let dates: Vec<&str> = dates.as_array().expect("dates").iter().filter_map(|d| d.as_str()).collect();
    assert!(!dates.is_empty() && dates.iter().all(|d| d.starts_with(&year)), "only {year}: {dates:?}");
    let current = browser.wait_for(".timeline-chart a.bar.current", WAIT);
    assert_eq!(browser.attribute(&current, "data-year"), Some(year), "the chosen year is marked in the chart");
}

fn widget_on_another_site(browser: &Session, host: &HostPage) {
    browser.goto(&host.url);
    let input = browser.wait_for(".kho-widget input[type=search]", WAIT);
    browser.type_text(&input, "ben tre");
    browser.wait_for(".kho-widget [role=option]", WAIT);
    let titles = browser.texts(".kho-widget .kho-w-title");
    assert!(titles.iter().any(|t| t.contains("Bến Tre")), "{titles:?}");
    assert!(!browser.texts(".kho-widget .kho-w-title mark").is_empty(), "highlighted in the widget");
    let status = browser.texts(".kho-widget .kho-w-status").join(" ");
    assert!(status.contains("kết quả"), "{status}");
    browser.type_text(&input, ARROW_DOWN);
    let active = browser.attribute(&input, "aria-activedescendant").unwrap_or_default();
    assert!(active.ends_with("-option-0"), "{active}");
    // The widget's links lead back to Kho's document pages.
    let href = browser.find_all(".kho-widget .kho-w-link").first().and_then(|l| browser.attribute(l, "href"));
    assert!(href.is_some_and(|h| h.contains("/documents/") && h.ends_with("#first-match")));
}

fn widget_refused_on_an_unknown_site(browser: &Session, stranger: &HostPage) {
    browser.goto(&stranger.url);
    let input = browser.wait_for(".kho-widget input[type=search]", WAIT);
    browser.type_text(&input, "ben tre");
    browser.wait_until("the widget to report the refusal", WAIT, |b| {
        b.texts(".kho-widget .kho-w-status").join(" ").contains("Không kết nối được")
    });
    assert!(browser.find_all(".kho-widget [role=option]").is_empty());
}

fn phone_layout(browser: &Session, kho: &TestServer) {
    browser.set_window_size(390, 844);
    browser.goto(&kho.url("/?q=tiet+kiem+nuoc"));
    browser.wait_for(".hit", WAIT);
    let fits = browser.execute("return document.documentElement.scrollWidth <= window.innerWidth;");
    assert_eq!(fits, true, "no sideways scrolling on a phone");
    let first_hit_visible =
        browser.execute("return document.querySelector('.hit').getBoundingClientRect().top < window.innerHeight;");
    assert_eq!(first_hit_visible, true, "results come first on a phone, the filters folded");
}
