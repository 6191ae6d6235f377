//! A private desktop for one test: an X display (Xvfb), a session bus with a
//! real Secret Service (gnome-keyring-daemon, unlocked) and, unless asked
//! otherwise, a real notification daemon (dunst), with `dbus-monitor`
//! recording every `Notify` call. The WebDriver harness builds on it; tests
//! of the app without a driver (notifications, one app per folder) use it
//! alone. Every process runs in its own process group and is stopped on drop.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// How long to wait for a process or the app to get somewhere before failing.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A background process group, stopped on drop (SIGTERM, then SIGKILL).
pub struct Service {
    name: String,
    pub child: Child,
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

pub fn spawn(name: &str, command: &mut Command) -> Service {
    let child = command
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {name} ({e}); `bash scripts/dev.sh test` installs what the end-to-end tests need"));
    Service {
        name: name.to_owned(),
        child,
    }
}

pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Whether a running app holds the data folder's lock.
pub fn locked(data: &Path) -> bool {
    File::open(data.join("muster.lock")).is_ok_and(|f| f.try_lock().is_err())
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
    /// Action ids and labels, in pairs.
    pub actions: Vec<String>,
    /// The id the notification service answered with, once it answered.
    pub id: Option<u32>,
}

pub struct Desktop {
    pub root: tempfile::TempDir,
    pub display: String,
    bus: String,
    home: PathBuf,
    notify_log: PathBuf,
    // Stopped in reverse order of start: daemons, then the bus, then the display.
    services: Vec<Service>,
    /// Held while this desktop lives, unless its test runs alone (see [`alone`]).
    _sharing: Option<std::sync::RwLockReadGuard<'static, ()>>,
}

static NEXT_DISPLAY: AtomicU32 = AtomicU32::new(0);

/// Desktops share the machine (tests run two at a time); a test that starts
/// several laptops at once (two desktops, two Syncthing instances, two apps)
/// runs alone, so that no other test's clicks race a starved machine.
static MACHINE: std::sync::RwLock<()> = std::sync::RwLock::new(());

thread_local! {
    static ALONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Waits until no other test's desktop is up, and keeps others from
/// starting one until the returned guard is dropped; this thread's own
/// desktops start meanwhile.
pub fn alone() -> std::sync::RwLockWriteGuard<'static, ()> {
    let guard = MACHINE.write().unwrap_or_else(|e| e.into_inner());
    ALONE.with(|a| a.set(true));
    guard
}

impl Desktop {
    /// Starts a display, a session bus and the keyring, with dunst when
    /// `notification_daemon` (as on a desktop without one otherwise).
    pub fn start(notification_daemon: bool) -> Desktop {
        let sharing = if ALONE.with(std::cell::Cell::get) {
            None
        } else {
            Some(MACHINE.read().unwrap_or_else(|e| e.into_inner()))
        };
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let mut services = Vec::new();

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
        // What it starts on demand (gnome-keyring's password prompt) gets no
        // display, so a prompt fails at once instead of waiting for a person.
        let mut bus = spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .env_remove("DISPLAY")
                .env_remove("WAYLAND_DISPLAY")
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

        // Every notification call on the bus, with its time.
        let notify_log = root.path().join("notifications.log");
        let log = File::create(&notify_log).unwrap();
        services.push(spawn(
            "dbus-monitor",
            Command::new("dbus-monitor")
                .args([
                    "--address",
                    address.as_str(),
                    "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
                    // Withdrawals, by id.
                    "type='method_call',interface='org.freedesktop.Notifications',member='CloseNotification'",
                    // The answers, to learn each notification's id.
                    "type='method_return'",
                ])
                .stdout(log)
                .stderr(Stdio::null()),
        ));
        // dbus-monitor prints its own NameAcquired signal once it listens.
        wait_until("dbus-monitor", || {
            std::fs::metadata(&notify_log).is_ok_and(|m| m.len() > 0)
        });

        let mut desktop = Desktop {
            root,
            display,
            bus: address,
            home,
            notify_log,
            services: Vec::new(),
            _sharing: None,
        };

        // The Secret Service, unlocked with a throwaway password.
        let mut keyring = desktop.command("gnome-keyring-daemon");
        keyring
            .args(["--unlock", "--components=secrets", "--foreground"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut keyring = spawn("gnome-keyring-daemon", &mut keyring);
        if let Some(mut stdin) = keyring.child.stdin.take() {
            let _ = stdin.write_all(b"e2e-password");
        }
        services.push(keyring);

        if notification_daemon {
            // A notification daemon that shows pop-ups on the display.
            let mut dunst = desktop.command("dunst");
            dunst
                .args(["-config", "/dev/null"])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            services.push(spawn("dunst", &mut dunst));
            let mut probe = desktop.command("dbus-send");
            probe.args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.Notifications",
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications.GetServerInformation",
            ]);
            wait_until("dunst", || probe.output().is_ok_and(|o| o.status.success()));
        }
        desktop.services = services;
        desktop._sharing = sharing;
        desktop
    }

    /// `program` with this desktop's display, bus and private HOME.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_RUNTIME_DIR", self.root.path())
            .env("GTK_A11Y", "none")
            .env("NO_AT_BRIDGE", "1")
            .env_remove("MUSTER_DATA_DIR");
        command
    }

    /// The `muster` binary on `data`, with `args`.
    pub fn muster(&self, data: &Path, args: &[&str]) -> Command {
        let mut command = self.command(env!("CARGO_BIN_EXE_muster"));
        command.arg("--data-dir").arg(data).args(args);
        command
    }

    /// Runs `muster --data-dir DATA ARGS` to its end (at most [`PATIENCE`]),
    /// as a second launch or a script on the same desktop would.
    pub fn run_muster(&self, data: &Path, args: &[&str]) -> Output {
        let mut child = self
            .muster(data, args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run muster: {e}"));
        let deadline = Instant::now() + PATIENCE;
        while !matches!(child.try_wait(), Ok(Some(_))) {
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

    /// Starts the app on `data` without a WebDriver and waits until it has
    /// claimed the folder.
    pub fn start_app(&self, data: &Path) -> Service {
        self.start_app_with(data, &[])
    }

    /// [`Desktop::start_app`], with `env` set for the app.
    pub fn start_app_with(&self, data: &Path, env: &[(&str, &str)]) -> Service {
        let app = spawn(
            "muster",
            self.muster(data, &[])
                .envs(env.iter().copied())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        wait_until("the app to claim its data folder", || {
            locked(data) && data.join("instance").is_file()
        });
        app
    }

    /// Every desktop notification sent on this desktop's bus so far.
    pub fn notifications(&self) -> Vec<Notification> {
        let log = std::fs::read_to_string(&self.notify_log).unwrap_or_default();
        parse_notify_calls(&log)
    }

    /// The ids of the notifications withdrawn (`CloseNotification` calls),
    /// in order.
    pub fn withdrawn(&self) -> Vec<u32> {
        let log = std::fs::read_to_string(&self.notify_log).unwrap_or_default();
        let mut ids = Vec::new();
        let mut lines = log.lines();
        while let Some(line) = lines.next() {
            if line.starts_with("method call") && line.contains("member=CloseNotification") {
                if let Some(id) = lines
                    .next()
                    .and_then(|l| l.trim().strip_prefix("uint32 "))
                    .and_then(|n| n.parse().ok())
                {
                    ids.push(id);
                }
            }
        }
        ids
    }

    /// Clicks `action` on notification `id` as the notification service
    /// reports such a click: the `ActionInvoked` signal on the session bus,
    /// which the app that sent the notification listens for. (dunst opens a
    /// menu for a notification with several actions, which needs a person.)
    pub fn invoke_action(&self, id: u32, action: &str) {
        let status = self
            .command("dbus-send")
            .args([
                &format!("--bus={}", self.bus),
                "--type=signal",
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications.ActionInvoked",
                &format!("uint32:{id}"),
                &format!("string:{action}"),
            ])
            .status()
            .unwrap();
        assert!(status.success(), "dbus-send failed: {status}");
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // Last started, first stopped.
        while let Some(service) = self.services.pop() {
            drop(service);
        }
    }
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
        // The strings after the body are the actions, then the hint names.
        let hints = [
            "urgency",
            "desktop-entry",
            "category",
            "image-path",
            "sender-pid",
        ];
        let end_of_actions = strings
            .iter()
            .skip(4)
            .position(|s| hints.contains(&s.as_str()))
            .map_or(strings.len(), |p| p + 4);
        // dbus-monitor writes `serial=N` on the call and `reply_serial=N`
        // on the service's answer, whose first argument is the id.
        let serial = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("serial="))
            .map(str::to_owned);
        let sender = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("sender="))
            .map(str::to_owned);
        let id = serial.zip(sender).and_then(|(serial, sender)| {
            let reply = format!("reply_serial={serial}");
            let to = format!("destination={sender}");
            let mut rest = log.lines().skip_while(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                !(l.starts_with("method return")
                    && words.contains(&reply.as_str())
                    && words.contains(&to.as_str()))
            });
            rest.next()?;
            rest.next()?
                .trim()
                .strip_prefix("uint32 ")
                .and_then(|n| n.parse().ok())
        });
        calls.push(Notification {
            id,
            time,
            app: strings.first().cloned().unwrap_or_default(),
            summary: strings.get(2).cloned().unwrap_or_default(),
            body: strings.get(3).cloned().unwrap_or_default(),
            urgency,
            actions: strings
                .get(4..end_of_actions)
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
        });
    }
    calls
}
