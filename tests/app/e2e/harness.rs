//! The end-to-end harness: for each test, a private desktop (see
//! `desktop.rs`: Xvfb, a D-Bus session with gnome-keyring and dunst) and a
//! tauri-driver that launches the real `muster` binary through
//! WebKitWebDriver on a fresh data folder.
//! Every process runs in its own process group and is stopped when the
//! [`App`] is dropped, pass or fail.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use super::desktop::{spawn, wait_until, Desktop, Service};
pub use super::desktop::{Notification, PATIENCE};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

fn tauri_driver() -> PathBuf {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("tauri-driver"))
            .collect::<Vec<_>>()
    });
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin/tauri-driver"));
    on_path
        .chain(in_cargo_home)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("tauri-driver not found; install it with `cargo install tauri-driver --locked`")
        })
}

/// Where screenshots go: target/e2e/.
pub fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).with_file_name("e2e");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The running app and everything around it.
pub struct App {
    pub client: Client,
    pub data_dir: PathBuf,
    port: u16,
    // Dropped in this order: the driver (and the app), then the desktop
    // (when no other app shares it).
    _driver: Service,
    pub desktop: Rc<Desktop>,
}

impl App {
    /// Starts everything and opens the app on a new, empty data folder, with
    /// `extra_env` set for the app (e.g. a GTK theme).
    pub async fn start(extra_env: &[(&str, &str)]) -> App {
        App::start_prepared(extra_env, |_| {}).await
    }

    /// Like [`App::start`], but `prepare` may first fill the data folder (e.g.
    /// open it with muster-core and change the plan) before the app sees it.
    pub async fn start_prepared(extra_env: &[(&str, &str)], prepare: impl FnOnce(&Path)) -> App {
        App::start_with(extra_env, true, prepare).await
    }

    /// Like [`App::start_prepared`], with no notification daemon on the bus
    /// when `notification_daemon` is false (as on a desktop without one).
    pub async fn start_with(
        extra_env: &[(&str, &str)],
        notification_daemon: bool,
        prepare: impl FnOnce(&Path),
    ) -> App {
        let desktop = Rc::new(Desktop::start(notification_daemon));
        let data_dir = desktop.root.path().join("data");
        prepare(&data_dir);
        App::start_on(desktop, data_dir, extra_env).await
    }

    /// Opens the app on `data_dir` on an existing desktop, which other apps
    /// (other data folders, as two profiles) may share.
    pub async fn start_on(
        desktop: Rc<Desktop>,
        data_dir: PathBuf,
        extra_env: &[(&str, &str)],
    ) -> App {
        // The WebDriver server, which launches the app.
        let (port, native) = (free_port(), free_port());
        let mut driver = desktop.command(tauri_driver());
        driver
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .envs(extra_env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let driver = spawn("tauri-driver", &mut driver);
        wait_until("tauri-driver", || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });

        let client = connect(port, &data_dir).await;
        App {
            client,
            data_dir,
            port,
            _driver: driver,
            desktop,
        }
    }

    /// Quits the app and starts it again on the same data folder, as a person
    /// closing and reopening it would.
    pub async fn restart(self) -> App {
        let App {
            client,
            data_dir,
            port,
            _driver,
            desktop,
        } = self;
        client
            .close()
            .await
            .unwrap_or_else(|e| panic!("cannot end the session: {e}"));
        let client = connect(port, &data_dir).await;
        App {
            client,
            data_dir,
            port,
            _driver,
            desktop,
        }
    }

    /// Sends a key chord to the focused element, e.g. `chord(CONTROL, "k")`.
    pub async fn chord(&self, modifier: char, key: &str) {
        let focused = self.client.active_element().await.unwrap();
        // A modifier stays pressed until NULL (U+E000) releases it.
        let keys = format!("{modifier}{key}\u{E000}");
        focused
            .send_keys(&keys)
            .await
            .unwrap_or_else(|e| panic!("cannot send {key}: {e}"));
    }

    /// Whether `element` (or the control it is part of, such as a select's
    /// option) takes input: not disabled, not in a disabled fieldset.
    async fn enabled(&self, element: &fantoccini::elements::Element) -> bool {
        let arg = serde_json::to_value(element).unwrap_or_default();
        self.client
            .execute(
                "const e = arguments[0]; const c = e.closest('select, button, input, textarea'); \
                 return !(e.disabled || (c !== null && c.disabled) || e.closest('fieldset:disabled') !== null);",
                vec![arg],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true)
    }

    /// Clears the field matching `css` and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        // A field still disabled (its saved value on the way) takes no
        // typing: wait, as a person would, for it to be enabled.
        let deadline = Instant::now() + PATIENCE;
        let field = loop {
            let field = self.find(css).await;
            if self.enabled(&field).await || Instant::now() >= deadline {
                break field;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("cannot clear `{css}`: {e}"));
        // WebDriver's clear fires no input event where a person's select-all
        // and Delete does: say it, so the page knows the field was touched.
        let arg = serde_json::to_value(&field).unwrap_or_default();
        self.client
            .execute(
                "arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                vec![arg],
            )
            .await
            .unwrap_or_else(|e| panic!("cannot say `{css}` was cleared: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into `{css}`: {e}"));
    }

    /// Clicks the first element matching `css`, waiting for it to appear
    /// and, for a few seconds, for it to be enabled and for anything covering
    /// it (a closing dialog) to go. On failure the screen is kept as target/e2e/failed-click.png.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let element = self.find(css).await;
            // A control still disabled (its data on the way) takes a click
            // without a word: wait, as a person would, for it to be enabled.
            if !self.enabled(&element).await && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            match element.clone().click().await {
                Ok(()) => return,
                // Drawn again between finding and clicking (its list refreshed):
                // find it again.
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference
                        && Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::ElementClickIntercepted
                        && Instant::now() < deadline =>
                {
                    // A sticky bar (a form's save bar) may cover it: bring it
                    // to the middle of the view, as a person would scroll.
                    let arg = serde_json::to_value(&element).unwrap_or_default();
                    let _ = self
                        .client
                        .execute(
                            "(arguments[0].closest('select') || arguments[0]).scrollIntoView({block: 'center'})",
                            vec![arg],
                        )
                        .await;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    self.screenshot("failed-click").await;
                    panic!(
                        "cannot click `{css}`: {e:?} (screen in target/e2e/failed-click-screen.png)"
                    );
                }
            }
        }
    }

    /// Like [`App::click`], first bringing the element to the middle of the
    /// view: WebDriver scrolls a button only to the bottom edge, where a
    /// form's sticky save bar may take the click without saying so.
    pub async fn click_centered(&self, css: &str) {
        self.scroll_to(css, "center").await;
        self.click(css).await;
    }

    /// Clicks `css` (centred, as [`App::click_centered`]) and waits until
    /// `then` matches `n` elements: what the click should add. WebKit's
    /// WebDriver clicks at a point on the screen, and when the page moves
    /// under it between the scroll and the click (a checked form's messages
    /// coming and going above the button) the click lands beside the button
    /// without an error. Such a click changed nothing: after a few seconds it
    /// is made again, said on the test's output, at most twice; a button that
    /// does nothing still fails.
    pub async fn click_until(&self, css: &str, then: &str, n: usize) {
        const TRIES: usize = 3;
        for attempt in 1..=TRIES {
            self.click_centered(css).await;
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                let found = self.count(then).await;
                if found == n {
                    return;
                }
                if found > n {
                    let page = self.describe_page().await;
                    panic!(
                        "`{then}` matches {found} elements after clicking `{css}`, not {n}\n{page}"
                    );
                }
                if Instant::now() >= deadline {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            eprintln!("a click on `{css}` (try {attempt} of {TRIES}) did not bring `{then}` to {n} in 5 s");
        }
        let page = self.describe_page().await;
        panic!("clicking `{css}` {TRIES} times never brought `{then}` to {n} elements\n{page}");
    }

    /// Scrolls the first element matching `css` into view, at `block`
    /// (`start`, `center`…), e.g. before a screenshot of a long page.
    /// An element re-rendered between finding and scrolling is found again.
    pub async fn scroll_to(&self, css: &str, block: &str) {
        let mut tries = 0;
        loop {
            let element = self.find(css).await;
            let arg = serde_json::to_value(&element).unwrap_or_default();
            let scrolled = self
                .client
                .execute(
                    "(arguments[0].closest('select') || arguments[0]).scrollIntoView({block: arguments[1]})",
                    vec![arg, serde_json::Value::from(block)],
                )
                .await;
            match scrolled {
                Ok(_) => return,
                Err(e) if tries < 5 && e.to_string().contains("was not found") => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot scroll to `{css}`: {e}"),
            }
        }
    }

    /// Waits until the first element matching `css` shows exactly `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        self.wait_for_text_where(css, text, |shown| shown == text)
            .await;
    }

    /// Waits until the first element matching `css` shows text containing `part`.
    pub async fn wait_for_text_containing(&self, css: &str, part: &str) {
        self.wait_for_text_where(css, part, |shown| shown.contains(part))
            .await;
    }

    /// Waits until the first element matching `css` shows text `fits` accepts
    /// (`wanted` says what, should it never come).
    async fn wait_for_text_where(&self, css: &str, wanted: &str, fits: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if fits(&last) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let seen = self.what_the_page_says().await;
        panic!("`{css}` shows {last:?}, not {wanted:?}, after {PATIENCE:?}; {seen}");
    }

    /// What a failed wait reports beside its own element, so a run on another
    /// machine can be read from its log alone: the route, every alert and
    /// status on the page, every disabled button's label, and what the
    /// fields hold.
    pub async fn what_the_page_says(&self) -> String {
        let found = self
            .client
            .execute(
                "const text = (e) => (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 160); \
                 const all = (css) => Array.from(document.querySelectorAll(css)); \
                 return 'route ' + location.hash \
                   + '; alerts ' + JSON.stringify(all('[role=alert]').map(text)) \
                   + '; statuses ' + JSON.stringify(all('[role=status]').map(text).filter((t) => t !== '')) \
                   + '; disabled buttons ' + JSON.stringify(all('button:disabled').map((b) => b.getAttribute('aria-label') || text(b))) \
                   + '; fields ' + JSON.stringify(all('input, select, textarea').filter((f) => f.id).map((f) => f.id + '=' + String(f.value).slice(0, 40)));",
                vec![],
            )
            .await;
        match found {
            Ok(value) => value.as_str().unwrap_or_default().to_owned(),
            Err(e) => format!("the page could not be read: {e}"),
        }
    }

    /// Runs `xdotool` on the app's display: to drive the OS dialogs
    /// (GTK file choosers) that WebDriver cannot reach.
    pub fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.desktop.display)
            .output()
            .unwrap_or_else(|e| panic!("cannot run xdotool ({e}); scripts/dev.sh installs it"));
        assert!(
            out.status.success(),
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits for the OS dialog titled `title`, types `path` into its location
    /// field and confirms, as a person would.
    pub async fn choose_in_os_dialog(&self, title: &str, path: &Path) {
        let deadline = Instant::now() + PATIENCE;
        let window = loop {
            let found = Command::new("xdotool")
                .args(["search", "--onlyvisible", "--name", title])
                .env("DISPLAY", &self.desktop.display)
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .unwrap_or_default();
            if let Some(id) = found.lines().next() {
                break id.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no window titled {title:?} appeared"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        self.xdotool(&["windowfocus", "--sync", &window]);
        self.xdotool(&["key", "--window", &window, "ctrl+l"]);
        tokio::time::sleep(Duration::from_millis(200)).await;
        // A save dialog selects only the suggested name's stem: replace all of it.
        self.xdotool(&["key", "--window", &window, "ctrl+a"]);
        self.xdotool(&[
            "type",
            "--window",
            &window,
            "--delay",
            "2",
            &path.display().to_string(),
        ]);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = Command::new("import")
            .args(["-display", &self.desktop.display, "-window", "root"])
            .arg(shots_dir().join("os-dialog-screen.png"))
            .status();
        self.xdotool(&["key", "--window", &window, "Return"]);
    }

    /// Goes to a route of the app, as following a link would.
    pub async fn go(&self, hash: &str) {
        self.client
            .execute(&format!("location.hash = {}", json!(hash)), vec![])
            .await
            .unwrap_or_else(|e| panic!("cannot go to {hash}: {e}"));
    }

    /// Waits for the first element matching `css` and returns it.
    pub async fn find(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let page = self.describe_page().await;
                panic!("nothing matches `{css}` after {PATIENCE:?}: {e}\n{page}")
            }
        }
    }

    /// How many elements match `css` now (none when the page cannot say).
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    /// Waits until `css` matches exactly `n` elements.
    pub async fn wait_for_count(&self, css: &str, n: usize) {
        let deadline = Instant::now() + PATIENCE;
        let mut last = 0;
        while Instant::now() < deadline {
            last = self.count(css).await;
            if last == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let page = self.describe_page().await;
        panic!("`{css}` matches {last} elements, not {n}, after {PATIENCE:?}\n{page}");
    }

    /// What the page shows now, for a failure's message: the route, the
    /// focused element, the scroll positions and the visible text (cut), and
    /// a screenshot of the whole screen (`target/e2e/failure-screen.png`), so
    /// that a failure on CI says what the person would have seen.
    pub async fn describe_page(&self) -> String {
        let script = r#"
            const active = document.activeElement;
            const scrolled = [...document.querySelectorAll('*')]
                .filter((e) => e.scrollTop > 0)
                .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.scrollTop}`);
            const dialogs = [...document.querySelectorAll('dialog[open], [role=dialog]')]
                .map((d) => d.innerText.slice(0, 400));
            return [
                `route: ${location.hash}`,
                `focus: ${active ? active.outerHTML.slice(0, 200) : 'none'}`,
                `scrolled: ${scrolled.join('; ') || 'nothing'}`,
                `dialogs: ${dialogs.join(' | ') || 'none'}`,
                `text: ${document.body.innerText.slice(0, 3000)}`,
            ].join('\n');
        "#;
        let described = match self.client.execute(script, vec![]).await {
            Ok(value) => value.as_str().unwrap_or_default().to_owned(),
            Err(e) => format!("(the page could not be read: {e})"),
        };
        let _ = Command::new("import")
            .args(["-display", &self.desktop.display, "-window", "root"])
            .arg(shots_dir().join("failure-screen.png"))
            .status();
        format!("---- the page at the failure ----\n{described}\n----")
    }

    /// How many changes the app's scheduler has taken in, as the page marks
    /// it after each pass (0 before the first).
    pub async fn scheduler_seen(&self) -> u64 {
        self.client
            .execute(
                "return Number(document.documentElement.dataset.schedulerSettled ?? 0)",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    }

    /// Waits until the scheduler has finished a pass that took in a change
    /// made after it had seen `before` (from [`App::scheduler_seen`]): what
    /// that change made due has been raised by then, so a test can say what
    /// was *not* raised without a fixed sleep.
    pub async fn scheduler_passed(&self, before: u64) {
        let deadline = Instant::now() + PATIENCE;
        while self.scheduler_seen().await <= before {
            assert!(
                Instant::now() < deadline,
                "the scheduler took in no change after {before} within {PATIENCE:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits (up to [`PATIENCE`]) until nothing on the page says it is
    /// still loading: a page's "Loading…" placeholder (`data-loading`) or
    /// a part that is busy (`aria-busy`). A list read while its rows are on
    /// the way would read as empty.
    pub async fn settled(&self) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let busy = self
                .client
                .find_all(Locator::Css("[data-loading], [aria-busy='true']"))
                .await
                .map(|v| v.len())
                .unwrap_or(0);
            if busy == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The visible text of every element matching `css`, once the page has
    /// settled (see [`App::settled`]).
    pub async fn texts(&self, css: &str) -> Vec<String> {
        self.settled().await;
        let mut out = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            out.push(element.text().await.unwrap_or_default());
        }
        out
    }

    /// Saves what the webview shows, and the whole X screen (window and any
    /// pop-ups), as target/e2e/NAME.png and target/e2e/NAME-screen.png.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // The frame after an interaction can lag by a paint.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let dir = shots_dir();
        let page = dir.join(format!("{name}.png"));
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot: {e}"));
        std::fs::write(&page, png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", page.display()));
        let screen = dir.join(format!("{name}-screen.png"));
        let status = Command::new("import")
            .args(["-display", &self.desktop.display, "-window", "root"])
            .arg(&screen)
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "import could not capture the screen"
        );
        page
    }

    /// Runs `muster --data-dir <the app's folder> ARGS` on the app's desktop,
    /// as a second launch or a script would, and waits for it to exit.
    pub fn muster(&self, args: &[&str]) -> std::process::Output {
        self.desktop.run_muster(&self.data_dir, args)
    }

    /// Declares an S1 incident on `issue` with `muster incident declare`, as
    /// a script would while the app runs; its id.
    pub fn declare_by_script(&self, issue: &str) -> String {
        let out = self.muster(&["incident", "declare", "--issue", issue, "--severity", "S1"]);
        let id = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        assert!(
            id.starts_with("INC-"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        id
    }

    /// Every desktop notification sent on the app's session bus so far.
    pub fn notifications(&self) -> Vec<Notification> {
        self.desktop.notifications()
    }

    /// Ends the WebDriver session; the services stop on drop.
    pub async fn close(self) {
        let App { client, .. } = self;
        let _ = client.close().await;
    }
}

/// The Control key, for [`App::chord`].
pub const CONTROL: char = '\u{E009}';

/// Opens a WebDriver session, which launches the app on `data_dir`.
async fn connect(port: u16, data_dir: &Path) -> Client {
    let capabilities = json!({
        "tauri:options": {
            "application": env!("CARGO_BIN_EXE_muster"),
            "args": ["--data-dir", data_dir.display().to_string()],
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    // tauri-driver accepts connections before WebKitWebDriver behind it is
    // ready; on a busy machine the first request can then be dropped.
    let mut attempt = 1;
    loop {
        match ClientBuilder::native()
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return client,
            Err(e) if attempt < 3 => {
                eprintln!("WebDriver session attempt {attempt} failed ({e}); retrying");
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => panic!("cannot open a WebDriver session: {e}"),
        }
    }
}

/// The OS's link handler, as the app calls it: an `xdg-open` on PATH that
/// records each argument, so a test sees exactly what a click sent out.
#[derive(Debug)]
pub struct LinkRecorder {
    dir: tempfile::TempDir,
}

impl LinkRecorder {
    pub fn new() -> LinkRecorder {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("xdg-open");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
                dir.path().join("opened.txt").display()
            ),
        )
        .unwrap();
        let made = Command::new("chmod")
            .args(["+x", &script.display().to_string()])
            .status()
            .unwrap();
        assert!(made.success(), "chmod +x {script:?}");
        LinkRecorder { dir }
    }

    /// PATH for the app, with the recorder first.
    pub fn path_env(&self) -> String {
        format!(
            "{}:{}",
            self.dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// Every link handed to the OS so far, one per line.
    pub fn opened(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("opened.txt")).unwrap_or_default()
    }

    /// Waits until a link starting with `prefix` was handed to the OS; it.
    pub async fn wait_for(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(line) = self.opened().lines().find(|l| l.starts_with(prefix)) {
                return line.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "xdg-open never got {prefix}…; it got {:?}",
                self.opened()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
