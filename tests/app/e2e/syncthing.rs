//! Two real Syncthing instances (the Debian package) for the team tests:
//! each with its own home, listening on 127.0.0.1 only, with global and
//! local discovery, relays, NAT traversal and usage reports off, introduced
//! to each other by address, and sharing one folder — configured the way a
//! team would, through Syncthing's REST API.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::desktop::{spawn, Service, PATIENCE};
use super::harness::free_port;

pub struct Instance {
    pub home: PathBuf,
    pub gui: String,
    pub key: String,
    pub listen: u16,
    pub id: String,
    _process: Service,
}

impl Instance {
    /// Generates a home, sets its addresses, starts it and waits for its API.
    pub fn start(home: &Path) -> Instance {
        std::fs::create_dir_all(home).unwrap();
        let out = Command::new("syncthing")
            .args([
                "generate",
                "--no-default-folder",
                "--skip-port-probing",
                "--home",
            ])
            .arg(home)
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run syncthing ({e}): `bash scripts/dev.sh test` installs it")
            });
        assert!(
            out.status.success(),
            "syncthing generate: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (gui_port, listen) = (free_port(), free_port());
        let gui = format!("127.0.0.1:{gui_port}");
        let key = format!("muster-e2e-{gui_port}");
        // The address and key the API answers on, written into the config
        // (where Muster reads them, as it would on a user's laptop).
        let config = home.join("config.xml");
        let text = std::fs::read_to_string(&config).unwrap();
        let at = text
            .find("<gui ")
            .expect("a <gui> element in Syncthing's config");
        let gui_part = replace_element(&text[at..], "address", &gui);
        let gui_part = replace_element(&gui_part, "apikey", &key);
        std::fs::write(&config, format!("{}{gui_part}", &text[..at])).unwrap();
        let mut serve = Command::new("syncthing");
        serve
            .args(["serve", "--no-browser", "--no-restart", "--home"])
            .arg(home)
            .arg(format!(
                "--logfile={}",
                home.join("syncthing.log").display()
            ))
            .env("STNODEFAULTFOLDER", "1")
            .env("STNOUPGRADE", "1")
            .env("STNORESTART", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let process = spawn("syncthing", &mut serve);
        let mut instance = Instance {
            home: home.to_path_buf(),
            gui,
            key,
            listen,
            id: String::new(),
            _process: process,
        };
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = instance.get("/rest/system/status") {
                break status;
            }
            assert!(Instant::now() < deadline, "Syncthing's API never answered");
            std::thread::sleep(Duration::from_millis(100));
        };
        instance.id = status["myID"].as_str().unwrap().to_owned();
        instance.send(
            "PATCH",
            "/rest/config/options",
            &json!({
                "listenAddresses": [format!("tcp://127.0.0.1:{listen}")],
                "globalAnnounceEnabled": false,
                "localAnnounceEnabled": false,
                "relaysEnabled": false,
                "natEnabled": false,
                "urAccepted": -1,
                "crashReportingEnabled": false,
                "autoUpgradeIntervalH": 0,
                "startBrowser": false
            }),
        );
        instance
    }

    fn curl(&self, method: &str, path: &str, body: Option<&Value>) -> Option<String> {
        let mut command = Command::new("curl");
        command
            .args(["-sf", "-m", "5", "-X", method, "-H"])
            .arg(format!("X-API-Key: {}", self.key))
            .arg(format!("http://{}{path}", self.gui));
        if let Some(body) = body {
            command
                .args(["-H", "Content-Type: application/json", "-d"])
                .arg(body.to_string());
        }
        let out = command.output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn get(&self, path: &str) -> Option<Value> {
        self.curl("GET", path, None)
            .and_then(|t| serde_json::from_str(&t).ok())
    }

    pub fn send(&self, method: &str, path: &str, body: &Value) {
        assert!(
            self.curl(method, path, Some(body)).is_some(),
            "Syncthing refused {method} {path} {body}"
        );
    }

    /// Introduces `other` by its address.
    pub fn meet(&self, other: &Instance) {
        self.send(
            "POST",
            "/rest/config/devices",
            &json!({
                "deviceID": other.id,
                "name": other.home.file_name().unwrap().to_string_lossy(),
                "addresses": [format!("tcp://127.0.0.1:{}", other.listen)],
                "autoAcceptFolders": false
            }),
        );
    }

    /// Shares `path` as folder `id` with `others`.
    pub fn share(&self, id: &str, path: &Path, others: &[&Instance]) {
        std::fs::create_dir_all(path).unwrap();
        let mut devices = vec![json!({"deviceID": self.id})];
        devices.extend(others.iter().map(|o| json!({"deviceID": o.id})));
        self.send(
            "POST",
            "/rest/config/folders",
            &json!({
                "id": id,
                "label": "Muster team",
                "path": path,
                "type": "sendreceive",
                "devices": devices,
                "fsWatcherEnabled": true,
                "rescanIntervalS": 3600,
                "maxConflicts": -1
            }),
        );
    }

    /// Waits until this instance sees `other` connected.
    pub fn wait_connected(&self, other: &Instance) {
        let deadline = Instant::now() + PATIENCE * 2;
        loop {
            let connected = self
                .get("/rest/system/connections")
                .is_some_and(|c| c["connections"][&other.id]["connected"] == json!(true));
            if connected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the two Syncthing instances never connected"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn replace_element(text: &str, name: &str, value: &str) -> String {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let Some(start) = text.find(&open) else {
        return text.to_owned();
    };
    let end = text[start..].find(&close).map_or(text.len(), |e| e + start);
    format!("{}{open}{value}{}", &text[..start], &text[end..])
}

/// Two instances that know each other and share `a_dir` and `b_dir` as one
/// folder.
pub fn pair(root: &Path, a_dir: &Path, b_dir: &Path) -> (Instance, Instance) {
    let a = Instance::start(&root.join("syncthing-a"));
    let b = Instance::start(&root.join("syncthing-b"));
    a.meet(&b);
    b.meet(&a);
    a.share("muster-team", a_dir, &[&b]);
    b.share("muster-team", b_dir, &[&a]);
    a.wait_connected(&b);
    (a, b)
}

/// Muster's follower of Syncthing's event stream, against a real Syncthing:
/// a file written on one side is announced on the other side's stream,
/// naming the team folder, by the time it is there.
#[test]
fn a_file_that_arrives_is_announced_on_syncthings_event_stream() {
    use muster_app::team::syncthing::{next_events, Api};

    let lab = tempfile::tempdir().unwrap();
    let (fa, fb) = (lab.path().join("team-a"), lab.path().join("team-b"));
    std::fs::create_dir_all(&fa).unwrap();
    std::fs::create_dir_all(&fb).unwrap();
    let (a, b) = pair(lab.path(), &fa, &fb);
    let api = Api {
        address: b.gui.clone(),
        key: b.key.clone(),
    };
    // Where the stream stands now.
    let mut since = next_events(&api, "muster-team", 0, Duration::from_secs(0))
        .unwrap()
        .last;
    std::fs::create_dir_all(fa.join("events/ab")).unwrap();
    std::fs::write(fa.join("events/ab/probe.json"), "{}").unwrap();
    a.send(
        "POST",
        "/rest/db/scan?folder=muster-team&sub=events%2Fab%2Fprobe.json",
        &json!({}),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let batch = next_events(&api, "muster-team", since, Duration::from_secs(5)).unwrap();
        assert!(!batch.gap, "no event was missed between polls");
        if batch.about_folder && fb.join("events/ab/probe.json").is_file() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the file never arrived, or the stream never named the folder"
        );
        since = batch.last;
    }
}
