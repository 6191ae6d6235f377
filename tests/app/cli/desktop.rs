//! A private desktop for tests of the real app that need no WebDriver: an X
//! display (Xvfb), a session bus, optionally a notification daemon (dunst),
//! and `dbus-monitor` recording every `Notify` call. Every process runs in
//! its own process group and is stopped on drop.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A child process group, stopped on drop.
pub struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

pub fn spawn(command: &mut Command) -> Running {
    Running(command.process_group(0).spawn().unwrap_or_else(|e| {
        panic!("cannot start {command:?} ({e}); `bash scripts/dev.sh test` installs it")
    }))
}

pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether a running app holds the data folder's lock.
pub fn locked(data: &Path) -> bool {
    File::open(data.join("muster.lock")).is_ok_and(|f| f.try_lock().is_err())
}

/// One `Notify` call as `dbus-monitor` printed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Notify {
    /// Seconds since the Unix epoch when the call crossed the bus.
    pub time: f64,
    /// The string arguments in order: app name, icon, summary, body, then
    /// the actions (id, label, ...) and the hint names.
    pub strings: Vec<String>,
    /// The `urgency` hint: 0 low, 1 normal, 2 critical.
    pub urgency: Option<u8>,
}

impl Notify {
    pub fn summary(&self) -> &str {
        self.strings.get(2).map_or("", String::as_str)
    }
}

pub struct Desktop {
    pub root: tempfile::TempDir,
    display: String,
    bus: String,
    monitor_log: PathBuf,
    // Stopped in reverse order: monitor and daemon, then the bus, then the display.
    _services: Vec<Running>,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl Desktop {
    /// Starts a display and a session bus, with dunst when `daemon`.
    pub fn start(daemon: bool) -> Desktop {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut services = Vec::new();
        let display = loop {
            let n = 600 + (std::process::id() % 300) * 3 + NEXT.fetch_add(1, Ordering::SeqCst);
            if !Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                break format!(":{n}");
            }
        };
        services.push(spawn(
            Command::new("Xvfb")
                .args([&display, "-screen", "0", "1024x768x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        ));
        wait_until("the X display", || {
            Path::new(&format!("/tmp/.X11-unix/X{}", &display[1..])).exists()
        });

        let mut bus = spawn(
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        );
        let mut address = String::new();
        if let Some(out) = bus.0.stdout.take() {
            BufReader::new(out)
                .read_line(&mut address)
                .unwrap_or_else(|e| panic!("dbus-daemon: {e}"));
        }
        let bus_address = address.trim().to_owned();
        assert!(!bus_address.is_empty(), "dbus-daemon printed no address");
        services.push(bus);

        let monitor_log = root.path().join("notify.log");
        let log = File::create(&monitor_log).unwrap_or_else(|e| panic!("{e}"));
        services.push(spawn(
            Command::new("dbus-monitor")
                .args([
                    "--address",
                    &bus_address,
                    "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
                ])
                .stdout(log)
                .stderr(Stdio::null()),
        ));
        let mut desktop = Desktop {
            root,
            display,
            bus: bus_address,
            monitor_log,
            _services: Vec::new(),
        };
        if daemon {
            let mut dunst = desktop.command("dunst");
            dunst
                .args(["-config", "/dev/null"])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            services.push(spawn(&mut dunst));
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
        // Give dbus-monitor a moment to register before anything is sent.
        wait_until("dbus-monitor", || {
            std::fs::metadata(&desktop.monitor_log).is_ok_and(|m| m.len() > 0)
        });
        desktop._services = services;
        desktop
    }

    /// `program` with this desktop's display, bus and a private HOME.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("HOME", self.root.path())
            .env("XDG_RUNTIME_DIR", self.root.path())
            .env("GTK_A11Y", "none")
            .env("NO_AT_BRIDGE", "1")
            .env("TZ", "UTC")
            .env_remove("MUSTER_DATA_DIR");
        command
    }

    /// The `muster` binary on `data`, with `args`.
    pub fn muster(&self, data: &Path, args: &[&str]) -> Command {
        let mut command = self.command(env!("CARGO_BIN_EXE_muster"));
        command.arg("--data-dir").arg(data).args(args);
        command
    }

    /// Starts the app on `data` and waits until it has claimed the folder.
    pub fn start_app(&self, data: &Path) -> Running {
        let app = spawn(
            self.muster(data, &[])
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        wait_until("the app to claim its data folder", || {
            locked(data) && data.join("instance").is_file()
        });
        app
    }

    /// Every `Notify` call seen so far.
    pub fn notifications(&self) -> Vec<Notify> {
        let log = std::fs::read_to_string(&self.monitor_log).unwrap_or_default();
        parse(&log)
    }
}

fn parse(log: &str) -> Vec<Notify> {
    let mut calls: Vec<Notify> = Vec::new();
    let mut urgency_next = false;
    for line in log.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("method call time=") {
            if line.contains("member=Notify") {
                let time = rest.split_whitespace().next().unwrap_or("0");
                calls.push(Notify {
                    time: time.parse().unwrap_or(0.0),
                    strings: Vec::new(),
                    urgency: None,
                });
            }
            continue;
        }
        let Some(call) = calls.last_mut() else {
            continue;
        };
        if let Some(s) = line.strip_prefix("string \"") {
            let s = s.strip_suffix('"').unwrap_or(s);
            urgency_next = s == "urgency";
            call.strings.push(s.to_owned());
        } else if let Some(byte) = line.strip_prefix("variant") {
            if urgency_next {
                call.urgency = byte
                    .trim()
                    .strip_prefix("byte ")
                    .and_then(|b| b.parse().ok());
            }
            urgency_next = false;
        }
    }
    calls
}
