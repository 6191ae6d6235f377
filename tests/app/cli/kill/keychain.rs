//! A real OS keychain for `muster key init` and `muster decision sign`: a
//! private session bus with gnome-keyring's Secret Service on it, unlocked
//! with a throwaway password, in a home of its own (no display is needed).
//! The programs are those the end-to-end desktop uses; where they are
//! missing, the harness signs by file only and says so.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running bus and keyring; both are stopped when it is dropped.
#[derive(Debug)]
pub struct Keychain {
    root: tempfile::TempDir,
    bus: String,
    children: Vec<Child>,
}

impl Keychain {
    /// Starts the bus and the keyring, and waits until the Secret Service
    /// answers; why not, when it cannot.
    pub fn start() -> Result<Keychain, String> {
        let root = tempfile::tempdir().map_err(|e| e.to_string())?;
        std::fs::create_dir_all(root.path().join("home")).map_err(|e| e.to_string())?;
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start dbus-daemon: {e}"))?;
        let mut address = String::new();
        if let Some(out) = bus.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut address);
        }
        let mut keychain = Keychain {
            root,
            bus: address.trim().to_owned(),
            children: vec![bus],
        };
        if keychain.bus.is_empty() {
            return Err("dbus-daemon printed no address".to_owned());
        }
        let mut keyring = keychain
            .command("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets", "--foreground"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
        if let Some(mut stdin) = keyring.stdin.take() {
            let _ = stdin.write_all(b"kill-harness-password");
        }
        keychain.children.push(keyring);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let asked = keychain
                .command("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .map_err(|e| format!("cannot run dbus-send: {e}"))?;
            if String::from_utf8_lossy(&asked.stdout).contains("boolean true") {
                return Ok(keychain);
            }
            if Instant::now() > deadline {
                return Err("the Secret Service did not come up on the private bus".to_owned());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What a process needs to reach this keychain: the bus, and a home and
    /// runtime folder of its own.
    pub fn env(&self) -> Vec<(&'static str, OsString)> {
        let home = self.root.path().join("home");
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", OsString::from(&self.bus)),
            ("HOME", home.clone().into_os_string()),
            ("XDG_DATA_HOME", home.join(".local/share").into_os_string()),
            ("XDG_CONFIG_HOME", home.join(".config").into_os_string()),
            ("XDG_RUNTIME_DIR", self.root.path().as_os_str().to_owned()),
        ]
    }

    /// `program` with this keychain's environment and no display.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .envs(self.env())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        command
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
