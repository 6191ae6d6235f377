//! The end-to-end harness: for each test, a private X display (Xvfb), a private
//! D-Bus session with a real Secret Service (gnome-keyring-daemon, unlocked)
//! and a real notification daemon (dunst), and a tauri-driver that launches
//! the real `muster` binary through WebKitWebDriver on a fresh data folder.
//! Every process runs in its own process group and is stopped when the
//! [`App`] is dropped, pass or fail.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long to wait for the app to show something before failing.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A background process, stopped with its whole process group on drop.
struct Service {
    name: &'static str,
    child: Child,
}

impl Drop for Service {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("{} did not stop on SIGTERM; killing it", self.name);
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

fn spawn(name: &'static str, command: &mut Command) -> Service {
    let child = command
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {name} ({e}); `bash scripts/dev.sh test` installs what the end-to-end tests need"));
    Service { name, child }
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn free_port() -> u16 {
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

/// One `Notify` call on the session bus, as `dbus-monitor` saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// Seconds since the Unix epoch when the call crossed the bus.
    pub time: f64,
    pub app: String,
    pub summary: String,
    pub body: String,
    /// 0 low, 1 normal, 2 critical (the `urgency` hint), if given.
    pub urgency: Option<u8>,
    pub actions: Vec<String>,
}

/// The running app and everything around it.
pub struct App {
    pub client: Client,
    pub display: String,
    pub data_dir: PathBuf,
    /// Where `dbus-monitor` writes the notification calls it sees.
    notify_log: PathBuf,
    /// The environment the app runs in (display, bus, home), for [`App::muster`].
    env: Vec<(String, String)>,
    port: u16,
    // Dropped in reverse order of start: driver (and app), then daemons, then the display.
    _services: Vec<Service>,
    _root: tempfile::TempDir,
}

static NEXT_DISPLAY: AtomicU32 = AtomicU32::new(0);

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
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let home = root.path().join("home");
        let data_dir = root.path().join("data");
        prepare(&data_dir);
        std::fs::create_dir_all(&home).unwrap_or_else(|e| panic!("{e}"));
        let mut services = Vec::new();

        // A private X display.
        let display = loop {
            let n =
                90 + (std::process::id() % 400) * 4 + NEXT_DISPLAY.fetch_add(1, Ordering::SeqCst);
            if !Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                break format!(":{n}");
            }
        };
        services.push(spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([
                    display.as_str(),
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        ));
        let socket = format!("/tmp/.X11-unix/X{}", &display[1..]);
        wait_until("the X display", || Path::new(&socket).exists());

        // A private session bus; its address is the first line it prints.
        let mut bus = spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        );
        let mut address = String::new();
        if let Some(out) = bus.child.stdout.take() {
            BufReader::new(out)
                .read_line(&mut address)
                .unwrap_or_else(|e| panic!("dbus-daemon: {e}"));
        }
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        services.push(bus);

        let env = |c: &mut Command| {
            c.env("DISPLAY", &display)
                .env("DBUS_SESSION_BUS_ADDRESS", &address)
                .env("HOME", &home)
                .env("XDG_DATA_HOME", home.join(".local/share"))
                .env("XDG_CONFIG_HOME", home.join(".config"))
                .env("XDG_RUNTIME_DIR", root.path())
                .env("GTK_A11Y", "none")
                .env("NO_AT_BRIDGE", "1")
                .env_remove("MUSTER_DATA_DIR")
                .envs(extra_env.iter().copied());
        };

        // The Secret Service, unlocked with a throwaway password.
        let mut keyring = Command::new("gnome-keyring-daemon");
        keyring.args(["--unlock", "--components=secrets", "--foreground"]);
        keyring
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        env(&mut keyring);
        let mut keyring = spawn("gnome-keyring-daemon", &mut keyring);
        if let Some(mut stdin) = keyring.child.stdin.take() {
            let _ = stdin.write_all(b"e2e-password");
        }
        services.push(keyring);

        // Every notification call on the bus, with its time, for the tests.
        let notify_log = root.path().join("notifications.log");
        let log = std::fs::File::create(&notify_log).unwrap_or_else(|e| panic!("{e}"));
        let mut monitor = Command::new("dbus-monitor");
        monitor
            .args([
                "--address",
                address.as_str(),
                "interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(log)
            .stderr(Stdio::null());
        services.push(spawn("dbus-monitor", &mut monitor));
        // dbus-monitor prints its own NameAcquired signal once it listens.
        wait_until("dbus-monitor", || {
            std::fs::metadata(&notify_log).is_ok_and(|m| m.len() > 0)
        });

        if notification_daemon {
            // A notification daemon that shows pop-ups on the display.
            let mut dunst = Command::new("dunst");
            dunst
                .args(["-config", "/dev/null"])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            env(&mut dunst);
            services.push(spawn("dunst", &mut dunst));
        }

        // The WebDriver server, which launches the app.
        let (port, native) = (free_port(), free_port());
        let mut driver = Command::new(tauri_driver());
        driver
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        env(&mut driver);
        services.push(spawn("tauri-driver", &mut driver));
        wait_until("tauri-driver", || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });

        let client = connect(port, &data_dir).await;
        let env = vec![
            ("DISPLAY".to_owned(), display.clone()),
            ("DBUS_SESSION_BUS_ADDRESS".to_owned(), address.clone()),
            ("HOME".to_owned(), home.display().to_string()),
            (
                "XDG_RUNTIME_DIR".to_owned(),
                root.path().display().to_string(),
            ),
            ("GTK_A11Y".to_owned(), "none".to_owned()),
            ("NO_AT_BRIDGE".to_owned(), "1".to_owned()),
        ];
        App {
            client,
            display,
            data_dir,
            notify_log,
            env,
            port,
            _services: services,
            _root: root,
        }
    }

    /// Quits the app and starts it again on the same data folder, as a person
    /// closing and reopening it would.
    pub async fn restart(self) -> App {
        let App {
            client,
            display,
            data_dir,
            notify_log,
            env,
            port,
            _services,
            _root,
        } = self;
        client
            .close()
            .await
            .unwrap_or_else(|e| panic!("cannot end the session: {e}"));
        let client = connect(port, &data_dir).await;
        App {
            client,
            display,
            data_dir,
            notify_log,
            env,
            port,
            _services,
            _root,
        }
    }

    /// Sends a key chord to the focused element, e.g. `chord(CONTROL, "k")`.
    pub async fn chord(&self, modifier: char, key: &str) {
        let focused = self
            .client
            .active_element()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // A modifier stays pressed until NULL (U+E000) releases it.
        let keys = format!("{modifier}{key}\u{E000}");
        focused
            .send_keys(&keys)
            .await
            .unwrap_or_else(|e| panic!("cannot send {key}: {e}"));
    }

    /// Clears the field matching `css` and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("cannot clear `{css}`: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into `{css}`: {e}"));
    }

    /// Clicks the first element matching `css`, waiting for it to appear.
    /// On failure the screen is kept as target/e2e/failed-click.png.
    pub async fn click(&self, css: &str) {
        if let Err(e) = self.find(css).await.click().await {
            self.screenshot("failed-click").await;
            panic!("cannot click `{css}`: {e:?} (screen in target/e2e/failed-click-screen.png)");
        }
    }

    /// Waits until the first element matching `css` shows exactly `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if last == text {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("`{css}` shows {last:?}, not {text:?}, after {PATIENCE:?}");
    }

    /// Runs `xdotool` on the app's display: to drive the OS dialogs
    /// (GTK file choosers) that WebDriver cannot reach.
    pub fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
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
                .env("DISPLAY", &self.display)
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
            .args(["-display", &self.display, "-window", "root"])
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
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("nothing matches `{css}` after {PATIENCE:?}: {e}"))
    }

    /// The visible text of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
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
            .args(["-display", &self.display, "-window", "root"])
            .arg(&screen)
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "import could not capture the screen"
        );
        page
    }

    /// Runs `muster --data-dir <the app's folder> ARGS` in the app's
    /// environment (display, session bus, home), as a second launch or a
    /// script on the same desktop would, and waits for it to exit.
    pub fn muster(&self, args: &[&str]) -> std::process::Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_muster"));
        command
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(args)
            .env_remove("MUSTER_DATA_DIR")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null());
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run muster: {e}"));
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("muster {args:?} did not exit within {PATIENCE:?}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("muster {args:?}: {e}"))
    }

    /// Every desktop notification sent on the app's session bus so far.
    pub fn notifications(&self) -> Vec<Notification> {
        let log = std::fs::read_to_string(&self.notify_log).unwrap_or_default();
        parse_notify_calls(&log)
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
    ClientBuilder::native()
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("cannot open a WebDriver session: {e}"))
}

/// Reads `dbus-monitor`'s text: each `Notify` method call, its time and its
/// arguments (app name, id, icon, summary, body, actions, hints, timeout).
fn parse_notify_calls(log: &str) -> Vec<Notification> {
    let mut calls = Vec::new();
    let mut lines = log.lines().peekable();
    while let Some(line) = lines.next() {
        if !(line.starts_with("method call") && line.contains("member=Notify")) {
            continue;
        }
        let time = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("time="))
            .and_then(|t| t.parse::<f64>().ok())
            .unwrap_or(0.0);
        let mut body = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with(' ') {
                body.push(*next);
                lines.next();
            } else {
                break;
            }
        }
        let strings: Vec<String> = body
            .iter()
            .filter_map(|l| l.trim().strip_prefix("string \""))
            .map(|s| s.strip_suffix('"').unwrap_or(s).to_owned())
            .collect();
        let urgency = body
            .iter()
            .position(|l| l.trim() == "string \"urgency\"")
            .and_then(|i| body.get(i + 1))
            .and_then(|l| l.split_whitespace().last())
            .and_then(|n| n.parse().ok());
        let end_of_actions = strings
            .iter()
            .position(|s| s == "urgency" || s == "desktop-entry" || s == "category")
            .unwrap_or(strings.len());
        calls.push(Notification {
            time,
            app: strings.first().cloned().unwrap_or_default(),
            summary: strings.get(2).cloned().unwrap_or_default(),
            body: strings.get(3).cloned().unwrap_or_default(),
            urgency,
            actions: strings
                .get(4..end_of_actions.max(4))
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
        });
    }
    calls
}
