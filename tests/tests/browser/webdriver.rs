//! A minimal W3C WebDriver client over HTTP, enough to drive Debian's chromedriver from a test:
//! sessions, navigation, elements, keys, scripts and screenshots. Written on `ureq` (already used by the
//! tests) rather than pulling in an async WebDriver crate: the protocol is a handful of JSON calls.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

/// Element references are objects with one key starting with this (the rest differs between drivers).
const ELEMENT_KEY_PREFIX: &str = "element-";
/// WebDriver's code for the Enter key.
pub const ENTER: &str = "\u{E007}";
/// WebDriver's code for the down arrow.
pub const ARROW_DOWN: &str = "\u{E015}";
/// WebDriver's code for Escape.
pub const ESCAPE: &str = "\u{E00C}";

/// A chromedriver process on a loopback port, stopped when dropped.
pub struct Chromedriver {
    child: Child,
    base: String,
}

impl Chromedriver {
    pub fn start(binary: &Path) -> Chromedriver {
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let driver = Chromedriver { child, base: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(20);
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(2)).build();
        loop {
            let ready = agent
                .get(&format!("{}/status", driver.base))
                .call()
                .ok()
                .and_then(|r| r.into_string().ok())
                .and_then(|body| serde_json::from_str::<Value>(&body).ok())
                .is_some_and(|status| status["value"]["ready"] == true);
            if ready {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free loopback port (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

/// An element of the current page.
#[derive(Debug, Clone)]
pub struct Element(String);

/// One browser session, closed when dropped.
pub struct Session {
    base: String,
    agent: ureq::Agent,
}

impl Session {
    /// A new Chromium session with these command-line arguments.
    pub fn new(driver: &Chromedriver, chromium: &Path, args: &[String]) -> Session {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).build();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.to_string_lossy(), "args": args},
        }}});
        let value = call(&agent, "POST", &format!("{}/session", driver.base), Some(capabilities))
            .unwrap_or_else(|e| panic!("cannot start Chromium: {e}"));
        let id = value["sessionId"].as_str().expect("session id");
        Session { base: format!("{}/session/{id}", driver.base), agent }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        call(&self.agent, method, &format!("{}{path}", self.base), body)
            .unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"))
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap_or_default().to_owned()
    }

    pub fn set_window_size(&self, width: u32, height: u32) {
        self.call("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }

    /// Every element matching a CSS selector.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self.call("POST", "/elements", Some(json!({"using": "css selector", "value": css})));
        let reference = |element: &Value| {
            let object = element.as_object()?;
            let (_, id) = object.iter().find(|(key, _)| key.starts_with(ELEMENT_KEY_PREFIX))?;
            Some(Element(id.as_str()?.to_owned()))
        };
        found.as_array().map(|elements| elements.iter().filter_map(reference).collect()).unwrap_or_default()
    }

    /// Waits until `css` matches a displayed element.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(element) = self.find_all(css).into_iter().find(|e| self.is_displayed(e)) {
                return element;
            }
            assert!(
                Instant::now() < deadline,
                "no visible {css} on {} after {timeout:?}; the page:\n{}",
                self.url(),
                self.source_start()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `condition` holds.
    pub fn wait_until(&self, what: &str, timeout: Duration, condition: impl Fn(&Session) -> bool) {
        let deadline = Instant::now() + timeout;
        while !condition(self) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} on {}; the page:\n{}",
                self.url(),
                self.source_start()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The beginning of the page's current HTML, for failure messages.
    fn source_start(&self) -> String {
        let source = self.call("GET", "/source", None);
        source.as_str().unwrap_or_default().chars().take(3000).collect()
    }

    pub fn is_displayed(&self, element: &Element) -> bool {
        self.call("GET", &format!("/element/{}/displayed", element.0), None) == true
    }

    pub fn click(&self, element: &Element) {
        self.call("POST", &format!("/element/{}/click", element.0), Some(json!({})));
    }

    pub fn clear(&self, element: &Element) {
        self.call("POST", &format!("/element/{}/clear", element.0), Some(json!({})));
    }

    /// Types text (and WebDriver key codes) into an element, as a user would.
    pub fn type_text(&self, element: &Element, text: &str) {
        self.call("POST", &format!("/element/{}/value", element.0), Some(json!({ "text": text })));
    }

    pub fn text(&self, element: &Element) -> String {
        self.call("GET", &format!("/element/{}/text", element.0), None).as_str().unwrap_or_default().to_owned()
    }

    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", element.0), None).as_str().map(str::to_owned)
    }

    /// The text of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.find_all(css).iter().map(|e| self.text(e)).collect()
    }

    /// Runs a script in the page and returns its result.
    pub fn execute(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    /// Saves a PNG of the viewport.
    pub fn screenshot(&self, path: &Path) {
        let encoded = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("base64 screenshot"))
            .expect("screenshot decodes");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("screenshot folder");
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = call(&self.agent, "DELETE", &self.base, None);
    }
}

/// One WebDriver call; the answer's `value`, or the driver's error message.
fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let request = agent.request(method, url).set("Content-Type", "application/json");
    let answer = match body {
        Some(body) => request.send_string(&body.to_string()),
        None => request.call(),
    };
    let (ok, text) = match answer {
        Ok(response) => (true, response.into_string().map_err(|e| e.to_string())?),
        Err(ureq::Error::Status(_, response)) => (false, response.into_string().map_err(|e| e.to_string())?),
        Err(e) => return Err(e.to_string()),
    };
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
    if ok {
        Ok(json["value"].clone())
    } else {
        Err(format!("{}: {}", json["value"]["error"], json["value"]["message"]))
    }
}
