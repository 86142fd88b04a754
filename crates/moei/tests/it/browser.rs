//! Browser tests in real headless Chromium, driven through ChromeDriver.
//!
//! The registration desk is meant to be used by keyboard alone, so these tests type: after a page
//! has loaded they only press keys (the WebDriver actions API, like a physical keyboard), never
//! click a form control. Moving between pages by URL is allowed where a person would use a
//! bookmark or the address bar.
//!
//! Each test starts its own database, server, ChromeDriver and browser profile. ChromeDriver and
//! Chromium are required: when they are missing the tests fail (CI installs them) rather than
//! pass without having run. `CHROMEDRIVER` and `CHROME_BIN` override the default locations.

// Test code through and through: this lets clippy's allow-unwrap/panic-in-tests cover the helpers.
#![cfg(test)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use moei_domain::Role;
use moei_store::Actor;
use serde_json::{Value, json};

use crate::common::*;

const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const DEFAULT_CHROME: &str = "/usr/bin/chromium";
/// How long a page, an element or a focus change may take before a test gives up.
const WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

// ---------------------------------------------------------------------------------------------
// ChromeDriver and the browser session
// ---------------------------------------------------------------------------------------------

/// A ChromeDriver process on a free port, shut down (with its browsers) when dropped, also when a
/// test panics.
struct ChromeDriver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl ChromeDriver {
    async fn start() -> ChromeDriver {
        let driver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| DEFAULT_CHROMEDRIVER.into());
        assert!(
            Path::new(&driver).is_file(),
            "browser tests need ChromeDriver at {driver} (install chromium and chromium-driver, or set \
             CHROMEDRIVER); they are not skipped"
        );
        // Pick a free port: bind to port 0, read the port, release it for ChromeDriver.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                profile.path().join("chromedriver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start ChromeDriver at {driver}: {e}"));
        let mut guard = ChromeDriver {
            child,
            port,
            profile,
        };
        guard.wait_ready().await;
        guard
    }

    /// Polls /status until ChromeDriver answers ready, a bounded number of times.
    async fn wait_ready(&mut self) {
        let http = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{}/status", self.port);
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "ChromeDriver exited before it was ready ({status}); log: {}",
                    self.log()
                );
            }
            if let Ok(r) = http.get(&url).timeout(Duration::from_secs(2)).send().await
                && let Ok(body) = r.json::<Value>().await
                && body["value"]["ready"] == json!(true)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "ChromeDriver did not answer on port {} within 20 s; log: {}",
            self.port,
            self.log()
        );
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.profile.path().join("chromedriver.log")).unwrap_or_default()
    }

    /// A new headless Chromium session with a fresh profile.
    async fn connect(&self) -> Client {
        let chrome = std::env::var("CHROME_BIN").unwrap_or_else(|_| DEFAULT_CHROME.into());
        assert!(
            Path::new(&chrome).is_file(),
            "browser tests need Chromium at {chrome} (or set CHROME_BIN)"
        );
        let user_data = self.profile.path().join("profile");
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chrome,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    format!("--user-data-dir={}", user_data.display()),
                    "--window-size=1280,900",
                    "--lang=en",
                ],
            }
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot open a Chromium session: {e}; ChromeDriver log: {}",
                    self.log()
                )
            })
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // /shutdown quits every session (and so every browser) before ChromeDriver exits; then
        // make sure the process is gone.
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        if let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = s.write_all(
                b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            );
            let _ = s.read_to_end(&mut Vec::new());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One test's world: database, server, ChromeDriver and browser. Fields drop in order, so after
/// a panic the browser goes first and the database last.
pub(crate) struct World {
    pub(crate) c: Client,
    driver: ChromeDriver,
    pub(crate) server: TestServer,
    pub(crate) db: TestDb,
}

impl World {
    /// Starts a fresh database, server, ChromeDriver and browser.
    pub(crate) async fn start() -> World {
        let db = TestDb::new().await;
        let store = db.store().await;
        let server = TestServer::start(store).await;
        let driver = ChromeDriver::start().await;
        let c = driver.connect().await;
        World {
            c,
            driver,
            server,
            db,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    /// Loads a page by URL (the address bar) and waits for it.
    pub(crate) async fn open(&self, path: &str) {
        self.c.goto(&self.url(path)).await.unwrap();
        wait_loaded(&self.c).await;
    }

    /// Logs in by keyboard: the user name field has focus, Tab, password, Enter.
    pub(crate) async fn login(&self, username: &str) {
        self.open("/login").await;
        wait_focus(&self.c, "#username").await;
        type_text(&self.c, username).await;
        press(&self.c, Key::Tab).await;
        assert_focus(&self.c, "#password").await;
        type_text(&self.c, PASSWORD).await;
        submit_with_enter(&self.c).await;
        let path = self.c.current_url().await.unwrap().path().to_string();
        assert_ne!(
            path,
            "/login",
            "login as {username} failed: {}",
            text_of(&self.c, "main").await
        );
    }

    pub(crate) async fn finish(self) {
        let World {
            db,
            server,
            driver,
            c,
        } = self;
        c.close().await.unwrap();
        drop(driver);
        drop(server);
        drop(db);
    }
}

// ---------------------------------------------------------------------------------------------
// Keyboard and page helpers
// ---------------------------------------------------------------------------------------------

/// Types text on the keyboard into whatever has focus, one key press per character.
async fn type_text(c: &Client, text: &str) {
    let mut keys = KeyActions::new("keyboard".into());
    for ch in text.chars() {
        keys = keys
            .then(KeyAction::Down { value: ch })
            .then(KeyAction::Up { value: ch });
    }
    c.perform_actions(keys).await.unwrap();
    c.release_actions().await.unwrap();
}

async fn press(c: &Client, key: Key) {
    type_text(c, &char::from(key).to_string()).await;
}

pub(crate) async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap()
}

async fn focused_matches(c: &Client, css: &str) -> bool {
    js(
        c,
        "return !!document.activeElement && document.activeElement.matches(arguments[0]);",
        vec![json!(css)],
    )
    .await
    .as_bool()
    .unwrap_or(false)
}

async fn describe_focus(c: &Client) -> String {
    js(
        c,
        "var e = document.activeElement; return e ? e.outerHTML.slice(0, 200) : 'nothing';",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Waits until the element matching `css` has focus (autofocus is applied after load).
async fn wait_focus(c: &Client, css: &str) {
    let start = Instant::now();
    while !focused_matches(c, css).await {
        assert!(
            start.elapsed() < WAIT,
            "focus never reached {css}; it is on {}",
            describe_focus(c).await
        );
        tokio::time::sleep(POLL).await;
    }
}

async fn assert_focus(c: &Client, css: &str) {
    assert!(
        focused_matches(c, css).await,
        "expected focus on {css}, it is on {}",
        describe_focus(c).await
    );
}

/// Presses Tab until the element matching `css` has focus, at most `max` times.
async fn tab_to(c: &Client, css: &str, max: usize) {
    for _ in 0..max {
        if focused_matches(c, css).await {
            return;
        }
        press(c, Key::Tab).await;
    }
    assert_focus(c, css).await;
}

/// Presses Shift+Tab until the element matching `css` has focus, at most `max` times.
async fn shift_tab_to(c: &Client, css: &str, max: usize) {
    let shift = char::from(Key::Shift);
    let tab = char::from(Key::Tab);
    for _ in 0..max {
        if focused_matches(c, css).await {
            return;
        }
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: shift })
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab })
            .then(KeyAction::Up { value: shift });
        c.perform_actions(keys).await.unwrap();
        c.release_actions().await.unwrap();
    }
    assert_focus(c, css).await;
}

/// Waits for the current document to finish loading.
pub(crate) async fn wait_loaded(c: &Client) {
    let start = Instant::now();
    loop {
        if let Ok(v) = c.execute("return document.readyState;", vec![]).await
            && v == json!("complete")
        {
            return;
        }
        assert!(start.elapsed() < WAIT, "page did not finish loading");
        tokio::time::sleep(POLL).await;
    }
}

/// Marks the current document, so a later wait can tell that a new one replaced it.
pub(crate) async fn mark_page(c: &Client) {
    js(c, "window.__moeiOldPage = true;", vec![]).await;
}

/// Waits until the marked document has been replaced by a fully loaded new one.
pub(crate) async fn wait_new_page(c: &Client) {
    let start = Instant::now();
    loop {
        let replaced = c
            .execute(
                "return window.__moeiOldPage === undefined && document.readyState === 'complete';",
                vec![],
            )
            .await;
        if let Ok(Value::Bool(true)) = replaced {
            return;
        }
        assert!(start.elapsed() < WAIT, "no new page after submitting");
        tokio::time::sleep(POLL).await;
    }
}

/// Presses Enter to submit (or follow a link) and waits for the page that answers.
async fn submit_with_enter(c: &Client) {
    mark_page(c).await;
    press(c, Key::Enter).await;
    wait_new_page(c).await;
}

pub(crate) async fn find(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
}

pub(crate) async fn text_of(c: &Client, css: &str) -> String {
    find(c, css).await.text().await.unwrap().trim().to_string()
}

async fn value_of(c: &Client, css: &str) -> String {
    find(c, css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

pub(crate) async fn exists(c: &Client, css: &str) -> bool {
    !c.find_all(Locator::Css(css)).await.unwrap().is_empty()
}

/// The rows of the person search result: (registration number, full row text).
async fn result_rows(c: &Client) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for row in c
        .find_all(Locator::Css("table.persons tbody tr"))
        .await
        .unwrap()
    {
        let number = row
            .find(Locator::Css("td a"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        out.push((number.trim().to_string(), row.text().await.unwrap()));
    }
    out
}

/// Registration numbers look like MS-0000123: 2 to 4 capital letters, a dash, 7 digits.
fn is_registration_number(s: &str) -> bool {
    let Some((site, digits)) = s.split_once('-') else {
        return false;
    };
    (2..=4).contains(&site.len())
        && site.bytes().all(|b| b.is_ascii_uppercase())
        && digits.len() == 7
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Searches /persons by keyboard: the search field has focus; type the query, Enter.
async fn search(c: &Client, base: &str, q: &str) -> Vec<(String, String)> {
    c.goto(&format!("{base}/persons")).await.unwrap();
    wait_loaded(c).await;
    wait_focus(c, "#q").await;
    type_text(c, q).await;
    submit_with_enter(c).await;
    assert_eq!(
        value_of(c, "#q").await,
        q,
        "the search page keeps the query"
    );
    result_rows(c).await
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

/// One person at the desk, typed field by field.
struct Arrival {
    given: &'static str,
    family: &'static str,
    original: &'static str,
    sex: &'static str,
    born: &'static str,
    /// None: keep the nationality and languages the group mode filled in.
    nationality_languages: Option<(&'static str, &'static str)>,
}

/// From the issue: log in, open an arrival group, register a group of three by keyboard only,
/// then find them again by registration number and by name.
#[tokio::test]
async fn registration_desk_by_keyboard_only() {
    let w = World::start().await;
    add_user(&w.server.store, "desk1", Role::Registrar, &[]).await;
    let c = &w.c;

    w.login("desk1").await;
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/desk",
        "a registrar starts at the desk"
    );

    // Open an arrival group from /groups. Skip link (first Tab stop), Enter jumps to the main
    // content; Tab reaches the "open an arrival group" summary; Enter unfolds the form.
    w.open("/groups").await;
    press(c, Key::Tab).await;
    assert_focus(c, "a.skip").await;
    press(c, Key::Enter).await;
    tab_to(c, "main summary", 5).await;
    press(c, Key::Enter).await;
    assert!(
        js(
            c,
            "return document.activeElement.parentElement.open;",
            vec![]
        )
        .await
            == json!(true),
        "Enter on the summary opens the group form"
    );
    press(c, Key::Tab).await;
    assert_focus(c, "#crossing_point").await;
    type_text(c, "Friendship Bridge 2").await;
    press(c, Key::Tab).await;
    assert_focus(c, "#mode").await; // Bridge, the first choice, stays selected.
    press(c, Key::Tab).await;
    assert_focus(c, "#arrived_at").await;
    type_text(c, "2025-10-24T09:30:00+07:00").await;
    press(c, Key::Tab).await;
    assert_focus(c, "#headcount").await;
    type_text(c, "3").await;
    press(c, Key::Tab).await;
    assert_focus(c, "#officer").await;
    type_text(c, "Pol. Sgt. Somchai").await;
    submit_with_enter(c).await;

    let url = c.current_url().await.unwrap();
    assert_eq!(
        url.path(),
        "/desk",
        "opening a group leads to the desk: {}",
        text_of(c, "main").await
    );
    let group_id = url
        .query_pairs()
        .find(|(k, _)| k == "group")
        .map(|(_, v)| v.to_string())
        .unwrap_or_else(|| panic!("no group in {url}"));
    let banner = text_of(c, ".group-banner").await;
    assert!(
        banner.contains("Friendship Bridge 2") && banner.contains("Bridge"),
        "group banner: {banner}"
    );
    assert_eq!(text_of(c, "[data-testid=count-group]").await, "0 / 3");

    let arrivals = [
        Arrival {
            given: "Rajesh",
            family: "Kumar",
            original: "राजेश कुमार",
            sex: "M",
            born: "1994-07-02",
            nationality_languages: Some(("ind", "hi, en")),
        },
        // Same nationality and languages as the person before: the group mode has filled them in.
        Arrival {
            given: "Sunita",
            family: "Kumari",
            original: "सुनीता कुमारी",
            sex: "F",
            born: "1998",
            nationality_languages: None,
        },
        Arrival {
            given: "Wei",
            family: "Zhang",
            original: "张伟",
            sex: "M",
            born: "1990-01-15",
            nationality_languages: Some(("CHN", "zh")),
        },
    ];
    let mut numbers: Vec<String> = Vec::new();
    for (i, a) in arrivals.iter().enumerate() {
        // The given-name field has focus on every desk page.
        wait_focus(c, "#given_name").await;
        if i > 0 {
            // Group mode: the previous person's nationality and languages are filled in.
            let (nat, langs) = match arrivals[i - 1].nationality_languages {
                Some((n, l)) => (n.to_ascii_uppercase(), l.replace(' ', "")),
                None => ("IND".to_string(), "hi,en".to_string()),
            };
            assert_eq!(
                value_of(c, "#nationality").await,
                nat,
                "nationality kept for person {}",
                i + 1
            );
            assert_eq!(
                value_of(c, "#languages").await,
                langs,
                "languages kept for person {}",
                i + 1
            );
            assert_eq!(
                value_of(c, "#given_name").await,
                "",
                "the name fields start empty"
            );
        } else {
            assert_eq!(value_of(c, "#nationality").await, "");
        }
        type_text(c, a.given).await;
        press(c, Key::Tab).await;
        assert_focus(c, "#family_name").await;
        type_text(c, a.family).await;
        press(c, Key::Tab).await;
        assert_focus(c, "#name_original_script").await;
        type_text(c, a.original).await;
        press(c, Key::Tab).await;
        assert_focus(c, "#sex").await;
        type_text(c, a.sex).await;
        press(c, Key::Tab).await;
        assert_focus(c, "#date_of_birth").await;
        type_text(c, a.born).await;
        press(c, Key::Tab).await;
        assert_focus(c, "#estimated_age").await; // Left empty: the date of birth is known.
        press(c, Key::Tab).await;
        assert_focus(c, "#nationality").await;
        if let Some((nat, langs)) = a.nationality_languages {
            // Tab selects the field's text, so typing replaces what group mode filled in.
            type_text(c, nat).await;
            press(c, Key::Tab).await;
            assert_focus(c, "#languages").await;
            type_text(c, langs).await;
        }
        assert_eq!(value_of(c, "#given_name").await, a.given);
        assert_eq!(value_of(c, "#name_original_script").await, a.original);
        submit_with_enter(c).await;

        let number = text_of(c, "[data-testid=last-registration]").await;
        assert!(
            is_registration_number(&number),
            "person {} was not registered: banner {number:?}; page: {}",
            i + 1,
            text_of(c, "main").await
        );
        assert!(
            !numbers.contains(&number),
            "registration numbers are unique"
        );
        numbers.push(number);
        assert_eq!(
            text_of(c, "[data-testid=count-group]").await,
            format!("{} / 3", i + 1)
        );
    }
    assert_eq!(text_of(c, "[data-testid=count-group]").await, "3 / 3");
    assert_eq!(value_of(c, "#nationality").await, "CHN");
    assert_eq!(value_of(c, "#languages").await, "zh");

    // What was stored is what was typed, including the group-mode values of the second person.
    let admin = Actor::cli();
    let stored = w
        .server
        .store
        .person_by_registration_number(&admin, &numbers[1])
        .await
        .unwrap();
    assert_eq!(
        (stored.given_name.as_str(), stored.family_name.as_str()),
        ("Sunita", "Kumari")
    );
    assert_eq!(stored.name_original_script, "सुनीता कुमारी");
    assert_eq!(stored.nationality, "IND");
    assert_eq!(stored.languages, vec!["hi".to_string(), "en".to_string()]);
    assert_eq!(stored.arrival_group_id.as_deref(), Some(group_id.as_str()));
    let first = w
        .server
        .store
        .person_by_registration_number(&admin, &numbers[0])
        .await
        .unwrap();
    assert_eq!(
        first.nationality, "IND",
        "the nationality typed in lower case is stored upper case"
    );
    assert_eq!(first.sex.as_str(), "M");
    assert_eq!(person_count(&w.server.store).await, 3);

    // Find the first person by registration number: exactly one row, whose link (followed by
    // keyboard: Tab to it, Enter) opens the record.
    let rows = search(c, &w.server.base, &numbers[0]).await;
    assert_eq!(rows.len(), 1, "one row for {}: {rows:?}", numbers[0]);
    assert_eq!(rows[0].0, numbers[0]);
    assert!(
        rows[0].1.contains("Rajesh Kumar") && rows[0].1.contains("राजेश कुमार"),
        "row: {}",
        rows[0].1
    );
    tab_to(c, "table.persons tbody a", 40).await;
    submit_with_enter(c).await;
    assert_eq!(
        text_of(c, "[data-testid=registration-number]").await,
        numbers[0]
    );
    assert_eq!(text_of(c, "main h1").await, "Rajesh Kumar");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/persons/")
    );

    // The digits alone find the person too.
    let digits = numbers[2].split_once('-').unwrap().1.to_string();
    let rows = search(c, &w.server.base, &digits).await;
    assert_eq!(
        rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        vec![numbers[2].as_str()]
    );

    // By part of the Latin family name: both Kumar and Kumari, not Zhang.
    let rows = search(c, &w.server.base, "kuma").await;
    let mut found: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    found.sort();
    let mut expected = vec![numbers[0].as_str(), numbers[1].as_str()];
    expected.sort();
    assert_eq!(found, expected, "search by family name");

    // By the name in its original script.
    let rows = search(c, &w.server.base, "张伟").await;
    assert_eq!(rows.len(), 1, "search 张伟: {rows:?}");
    assert_eq!(rows[0].0, numbers[2]);
    assert!(rows[0].1.contains("Wei Zhang"));
    let rows = search(c, &w.server.base, "सुनीता").await;
    assert_eq!(
        rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        vec![numbers[1].as_str()]
    );

    // A name nobody has.
    let rows = search(c, &w.server.base, "Nguyen").await;
    assert!(rows.is_empty());
    assert!(text_of(c, "main").await.contains("No person matches."));

    w.finish().await;
}

/// The desk in Thai: the language link switches the page; a wrong nationality is refused with
/// a Thai message next to the field, and nothing is stored.
#[tokio::test]
async fn desk_in_thai_refuses_an_invalid_person() {
    let w = World::start().await;
    add_user(&w.server.store, "desk2", Role::Registrar, &[]).await;
    let c = &w.c;

    w.login("desk2").await;
    assert_eq!(text_of(c, "main h1").await, "Registration desk");
    assert_eq!(
        js(c, "return document.documentElement.lang;", vec![]).await,
        json!("en")
    );

    // The language link, reached by Tab and followed with Enter; it comes back to the desk.
    // From the given-name field (autofocus), Shift+Tab goes back through the header.
    wait_focus(c, "#given_name").await;
    shift_tab_to(c, "a[href='/lang/th']", 10).await;
    assert_eq!(text_of(c, "a[href='/lang/th']").await, "ไทย");
    submit_with_enter(c).await;
    assert_eq!(c.current_url().await.unwrap().path(), "/desk");
    assert_eq!(
        js(c, "return document.documentElement.lang;", vec![]).await,
        json!("th")
    );
    assert_eq!(text_of(c, "main h1").await, "โต๊ะลงทะเบียน");
    assert_eq!(text_of(c, "#reg-h").await, "ลงทะเบียนบุคคล");
    assert_eq!(text_of(c, "label[for=given_name]").await, "ชื่อตัว");
    assert_eq!(
        text_of(c, "label[for=nationality]").await,
        "สัญชาติ (ตามที่แจ้ง)"
    );
    assert!(text_of(c, "button.primary").await.starts_with("ลงทะเบียน"));
    assert!(
        js(c, "return document.title;", vec![])
            .await
            .as_str()
            .unwrap()
            .starts_with("โต๊ะลงทะเบียน")
    );

    // A person with a nationality code that does not exist.
    wait_focus(c, "#given_name").await;
    type_text(c, "Văn An").await;
    press(c, Key::Tab).await;
    type_text(c, "Nguyễn").await;
    press(c, Key::Tab).await;
    type_text(c, "Nguyễn Văn An").await;
    press(c, Key::Tab).await;
    type_text(c, "M").await;
    press(c, Key::Tab).await;
    type_text(c, "1992").await;
    press(c, Key::Tab).await;
    press(c, Key::Tab).await;
    assert_focus(c, "#nationality").await;
    type_text(c, "ZZZ").await;
    submit_with_enter(c).await;

    assert!(
        !exists(c, "[data-testid=last-registration]").await,
        "nothing was registered"
    );
    let error = text_of(c, "#err-nationality").await;
    assert_eq!(
        error,
        "สัญชาติ (ตามที่แจ้ง): ไม่ใช่รหัสสัญชาติที่รู้จัก (ใช้ XXX หากไม่ทราบ)"
    );
    // The message sits with its field and is tied to it for screen readers.
    let field = find(c, "#nationality").await;
    assert_eq!(
        field.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        field.attr("aria-describedby").await.unwrap().as_deref(),
        Some("err-nationality")
    );
    assert_eq!(
        js(c, "return document.getElementById('err-nationality').parentElement.contains(document.getElementById('nationality'));", vec![]).await,
        json!(true),
        "the error is shown in the nationality field's box"
    );
    assert_eq!(text_of(c, "main h1").await, "โต๊ะลงทะเบียน");
    // What was typed is kept, so the officer corrects one field instead of starting over.
    assert_eq!(value_of(c, "#given_name").await, "Văn An");
    assert_eq!(value_of(c, "#family_name").await, "Nguyễn");
    assert_eq!(value_of(c, "#name_original_script").await, "Nguyễn Văn An");
    assert_eq!(value_of(c, "#nationality").await, "ZZZ");
    // Only the nationality is wrong.
    assert_eq!(c.find_all(Locator::Css("p.error")).await.unwrap().len(), 1);

    assert_eq!(person_count(&w.server.store).await, 0, "nothing was stored");

    w.finish().await;
}

/// An embassy officer for India sees Indian nationals only, and another country's record is
/// "not found", not "forbidden" (which would confirm that it exists).
#[tokio::test]
async fn embassy_officer_sees_only_own_nationals() {
    let w = World::start().await;
    let store = &w.server.store;
    add_user(store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    let desk = Actor::cli();
    let ind1 = store
        .register_person(&desk, &person("Rajesh", "Kumar", "IND"))
        .await
        .unwrap();
    let ind2 = store
        .register_person(&desk, &person("Anil", "Sharma", "IND"))
        .await
        .unwrap();
    let chn = store
        .register_person(&desk, &person("Wei", "Zhang", "CHN"))
        .await
        .unwrap();
    consent_to_disclosure(store, &[&ind1, &ind2, &chn]).await;
    let c = &w.c;

    w.login("emb-ind").await;
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/persons",
        "an embassy officer starts at the list"
    );
    assert!(
        !exists(c, "nav a[href='/desk']").await,
        "no desk for an embassy officer"
    );
    wait_focus(c, "#q").await;

    let rows = result_rows(c).await;
    let mut seen: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    seen.sort();
    let mut expected = vec![
        ind1.registration_number.as_str(),
        ind2.registration_number.as_str(),
    ];
    expected.sort();
    assert_eq!(seen, expected, "the list holds the Indian nationals only");
    let nationalities = js(
        c,
        "return Array.from(document.querySelectorAll('table.persons tbody tr td:nth-child(6)')).map(function (td) { return td.textContent.trim(); });",
        vec![],
    )
    .await;
    assert_eq!(nationalities, json!(["IND", "IND"]));
    assert!(!text_of(c, "main").await.contains("Zhang"));

    // Searching for the Chinese national by name or number finds nothing.
    assert!(search(c, &w.server.base, "Zhang").await.is_empty());
    assert!(
        search(c, &w.server.base, chn.registration_number.as_str())
            .await
            .is_empty()
    );
    assert_eq!(search(c, &w.server.base, "kumar").await.len(), 1);

    // The record pages: the own national's opens, the other is not found.
    w.open(&format!("/persons/{}", ind1.id)).await;
    assert_eq!(
        text_of(c, "[data-testid=registration-number]").await,
        ind1.registration_number.as_str()
    );
    assert!(
        !exists(c, "form[action^='/persons/']").await,
        "an embassy officer cannot edit"
    );

    w.open(&format!("/persons/{}", chn.id)).await;
    assert_eq!(text_of(c, "main h1").await, "No such record.");
    assert!(!exists(c, "[data-testid=registration-number]").await);
    let main = text_of(c, "main").await;
    assert!(
        !main.contains("Zhang") && !main.contains(chn.registration_number.as_str()),
        "nothing leaks: {main}"
    );

    w.finish().await;
}

#[tokio::test]
async fn review_queue_merge_and_undo_in_the_browser() {
    let w = World::start().await;
    let store = &w.server.store;
    add_user(store, "admin", Role::Admin, &[]).await;
    let desk = Actor::cli();
    let first = store
        .register_person(&desk, &person("Rajesh", "Kumar", "IND"))
        .await
        .unwrap();
    let second = store
        .register_person(&desk, &person("Rajesh", "Kumar", "IND"))
        .await
        .unwrap();
    let c = &w.c;
    w.login("admin").await;
    w.open("/review").await;
    assert!(text_of(c, "main").await.contains("Nothing to review."));

    mark_page(c).await;
    find(c, "button[name=what][value=dedup]")
        .await
        .click()
        .await
        .unwrap();
    wait_new_page(c).await;
    assert!(
        text_of(c, "[role=status]")
            .await
            .starts_with("1 new candidates")
    );
    let card = text_of(c, "section.candidate").await;
    for expected in [
        first.registration_number.as_str(),
        second.registration_number.as_str(),
        "Name: agrees",
        "Date of birth: agrees",
    ] {
        assert!(card.contains(expected), "{expected:?} not in {card}");
    }

    mark_page(c).await;
    find(c, "button[name=decision][value=merge]")
        .await
        .click()
        .await
        .unwrap();
    wait_new_page(c).await;
    assert!(
        text_of(c, "section.candidate")
            .await
            .contains("Merged by admin")
    );
    w.open("/persons").await;
    assert_eq!(
        result_rows(c).await.len(),
        1,
        "the list shows the survivor only"
    );

    w.open("/review?status=merged").await;
    mark_page(c).await;
    find(c, "form[action^='/review/merges/'] button")
        .await
        .click()
        .await
        .unwrap();
    wait_new_page(c).await;
    w.open("/persons").await;
    assert_eq!(result_rows(c).await.len(), 2, "undo lists both again");
    w.open("/review").await;
    assert!(
        exists(c, "button[name=decision][value=merge]").await,
        "the candidate is open again"
    );

    w.open("/lang/th").await;
    w.open("/review").await;
    assert_eq!(text_of(c, "main h1").await, "คิวตรวจสอบ");
}

/// A full screening interview with the page in Thai and the questions in Hindi; then an
/// investigator's deportation request refused in the UI by the non-punishment safeguard.
/// The interview form is long and mostly radio buttons, so this test clicks and types into
/// elements rather than moving focus by keyboard alone.
#[tokio::test]
async fn screening_interview_in_thai_with_hindi_questions_and_the_safeguard() {
    let w = World::start().await;
    let store = &w.server.store;
    add_user(store, "screener", Role::Screener, &[]).await;
    add_user(store, "police", Role::Investigator, &[]).await;
    let mut input = person("Ravi", "Kumar", "IND");
    input.languages = vec!["hi".into()];
    let p = store.register_person(&Actor::cli(), &input).await.unwrap();
    let c = &w.c;

    w.login("screener").await;
    w.open("/lang/th").await;
    w.open(&format!("/persons/{}/screening", p.id)).await;
    assert_eq!(text_of(c, "main h1").await, "การคัดกรอง");
    // The question language defaults to the person's language.
    assert_eq!(value_of(c, "#qlang").await, "hi");
    mark_page(c).await;
    find(c, "[data-testid=start-interview]")
        .await
        .click()
        .await
        .unwrap();
    wait_new_page(c).await;

    // Thai page, Hindi questions.
    assert_eq!(text_of(c, "main h1").await, "การสัมภาษณ์คัดกรอง");
    let first = find(c, "li[data-indicator='D1.deceived_nature_of_job'] legend").await;
    assert_eq!(first.attr("lang").await.unwrap().as_deref(), Some("hi"));
    let question = first.text().await.unwrap();
    assert!(
        question.contains("क्या"),
        "question not in Hindi: {question}"
    );
    assert!(
        text_of(c, "[data-testid=consent]")
            .await
            .contains("ความยินยอม")
    );

    for (field, value) in [
        ("#interpreter_name", "Priya Sharma"),
        ("#interpreter_agency", "IOM"),
        ("#interpreter_language", "hi"),
    ] {
        find(c, field).await.send_keys(value).await.unwrap();
    }
    // Started now (the server's clock); ended an hour later, Bangkok time.
    js(
        c,
        "document.getElementById('ended_at').value = '2025-10-24T11:00';",
        vec![],
    )
    .await;
    for topic in [
        "purpose",
        "data-use",
        "right-to-access",
        "retention",
        "withdrawal",
        "refusal-without-penalty",
    ] {
        find(c, &format!("input[name='explained_{topic}']"))
            .await
            .click()
            .await
            .unwrap();
    }
    find(c, "input[name='consent'][value='given']")
        .await
        .click()
        .await
        .unwrap();
    for (id, evidence) in [
        ("D1_deceived_nature_of_job", "विज्ञापन: कॉल सेंटर"),
        ("D1_deceived_wages", "30,000 THB"),
        ("D4_excessive_working_hours", "16 h"),
        ("D4_low_or_no_salary", "no pay"),
        ("D5_confiscation_of_documents", "passport"),
        ("D5_isolation_confinement_surveillance", "guards"),
    ] {
        find(c, &format!("input[name='a_{id}'][value='yes']"))
            .await
            .click()
            .await
            .unwrap();
        find(c, &format!("input[name='e_{id}']"))
            .await
            .send_keys(evidence)
            .await
            .unwrap();
    }
    find(c, "input[name='a_D6_family_situation'][value='declined']")
        .await
        .click()
        .await
        .unwrap();
    find(c, "#narrative")
        .await
        .send_keys("मुझे नौकरी का झांसा देकर लाया गया")
        .await
        .unwrap();
    mark_page(c).await;
    find(c, "[data-testid=save-interview]")
        .await
        .click()
        .await
        .unwrap();
    wait_new_page(c).await;

    assert_eq!(
        c.current_url().await.unwrap().path(),
        format!("/persons/{}/screening", p.id),
        "saved: {}",
        text_of(c, "main").await
    );
    assert_eq!(
        text_of(c, "[data-testid=result]").await,
        "สันนิษฐานว่าเป็นผู้เสียหาย: ส่งต่อทีมสหวิชาชีพ"
    );
    let stored = store.interviews_of(&Actor::cli(), &p.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].record.language, "hi");
    assert_eq!(stored[0].record.responses.len(), 7);
    assert_eq!(stored[0].record.narrative, "मुझे नौकरी का झांसा देकर लाया गया");

    // The investigator sees no interview, and the safeguard refuses deportation.
    c.delete_all_cookies().await.unwrap();
    w.login("police").await;
    w.open(&format!("/persons/{}/screening", p.id)).await;
    let main = text_of(c, "main").await;
    assert!(
        !main.contains("झांसा") && !exists(c, "[data-testid=interview]").await,
        "{main}"
    );
    find(c, "#kind option[value='deport']")
        .await
        .click()
        .await
        .unwrap();
    find(c, "#reason")
        .await
        .send_keys("Overstay")
        .await
        .unwrap();
    mark_page(c).await;
    find(c, "[data-testid=punitive-form] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_new_page(c).await;
    let errors = text_of(c, "[data-testid=errors]").await;
    assert!(
        errors.contains("Refused by the non-punishment safeguard")
            && errors.contains("presumed victim"),
        "{errors}"
    );
    let dash = store.safeguard_dashboard(&Actor::cli()).await.unwrap();
    assert_eq!((dash.counts.refused, dash.counts.allowed), (1, 0));

    w.finish().await;
}
