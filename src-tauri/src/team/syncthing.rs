//! Syncthing as the team folder's transport. Syncthing notices new files by
//! itself, but only after its watcher's delay (10 s by default); asked
//! through its REST API (`POST /rest/db/scan?folder=…&sub=…`) it sends them
//! at once. The folder's id, its `maxConflicts` and the API's address and
//! key come from the user's Syncthing configuration (`config.xml`; the
//! `MUSTER_SYNCTHING_CONFIG` variable names another one), read only — Muster
//! never changes Syncthing's settings. Arrivals: Muster follows Syncthing's
//! event stream (`GET /rest/events`, long poll) and takes in as soon as an
//! event names the team folder, re-listing the folder after any gap in the
//! stream (events missed, Syncthing restarted) or a lost connection; it also
//! watches the folder (Syncthing renames each finished file into it) and
//! lists it every few seconds, so nothing depends on the API alone.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The team folder as Syncthing's configuration describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub folder_id: String,
    pub max_conflicts: Option<i32>,
    pub api: Option<Api>,
}

/// Where Syncthing's REST API listens, and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// `host:port`, plain HTTP (a GUI behind TLS is not asked).
    pub address: String,
    pub key: String,
}

/// Where the user's Syncthing keeps its configuration.
fn config_files() -> Vec<PathBuf> {
    if let Some(path) = std::env::var_os("MUSTER_SYNCTHING_CONFIG") {
        return vec![PathBuf::from(path)];
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".local/state")));
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    [state, config]
        .into_iter()
        .flatten()
        .map(|d| d.join("syncthing/config.xml"))
        .collect()
}

/// The team folder `root` in the user's Syncthing configuration, if there.
pub fn find(root: &Path) -> Option<Found> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    config_files()
        .into_iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .find_map(|text| parse(&text, &root))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of `name="…"` in a start tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The text of the first `<name>…</name>` in `text`.
fn element(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some(unescape(text[start..end].trim()))
}

/// The folder whose path is `root` in a Syncthing `config.xml`.
pub fn parse(text: &str, root: &Path) -> Option<Found> {
    let mut rest = text;
    while let Some(at) = rest.find("<folder ") {
        let block = &rest[at..];
        let tag_end = block.find('>')?;
        let tag = &block[..tag_end];
        let body_end = block.find("</folder>").unwrap_or(block.len());
        let body = &block[..body_end];
        rest = &block[tag_end..];
        let (Some(id), Some(path)) = (attribute(tag, "id"), attribute(tag, "path")) else {
            continue;
        };
        let path = PathBuf::from(path);
        let path = path.canonicalize().unwrap_or(path);
        if path != root {
            continue;
        }
        let max_conflicts = element(body, "maxConflicts").and_then(|n| n.parse().ok());
        let api = text.find("<gui ").and_then(|g| {
            let gui = &text[g..];
            let gui = &gui[..gui.find("</gui>")?];
            let tag = &gui[..gui.find('>')?];
            if attribute(tag, "tls").as_deref() == Some("true") {
                return None;
            }
            Some(Api {
                address: element(gui, "address")?,
                key: element(gui, "apikey")?,
            })
        });
        return Some(Found {
            folder_id: id,
            max_conflicts,
            api,
        });
    }
    None
}

/// Percent-encodes `text` for a query string.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Asks Syncthing to scan `paths` (inside the team folder `root`) now.
pub fn scan(root: &Path, paths: &[PathBuf]) -> Result<(), String> {
    let found = find(root).ok_or_else(|| {
        format!(
            "Syncthing's configuration does not list {}: it will still send the files, after its watcher's delay",
            root.display()
        )
    })?;
    let api = found.api.ok_or_else(|| {
        "Syncthing's REST API is not reachable without TLS: it will still send the files, after its watcher's delay".to_owned()
    })?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for path in paths {
        let path = path.canonicalize().unwrap_or_else(|_| path.clone());
        let sub = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy();
        let target = format!(
            "/rest/db/scan?folder={}&sub={}",
            encode(&found.folder_id),
            encode(&sub)
        );
        post(&api, &target)?;
    }
    Ok(())
}

/// `POST target` to the API; an error unless 2xx.
fn post(api: &Api, target: &str) -> Result<(), String> {
    let (status, body) = exchange(api, "POST", target, Duration::from_secs(5))?;
    if status.starts_with('2') {
        Ok(())
    } else {
        Err(format!(
            "Syncthing's API answered {status} to a scan request: {}",
            body.lines().last().unwrap_or("").trim()
        ))
    }
}

/// One request to the API over plain HTTP/1.0 (so the answer is never
/// chunked and ends when the connection does): its status and body.
fn exchange(
    api: &Api,
    method: &str,
    target: &str,
    wait: Duration,
) -> Result<(String, String), String> {
    let address = api
        .address
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let unreachable =
        |e: std::io::Error| format!("Syncthing's API at {address} cannot be reached: {e}");
    let mut stream = TcpStream::connect(&address).map_err(unreachable)?;
    stream.set_read_timeout(Some(wait)).map_err(unreachable)?;
    let request = format!(
        "{method} {target} HTTP/1.0\r\nHost: {address}\r\nX-API-Key: {}\r\nContent-Length: 0\r\n\r\n",
        api.key
    );
    stream.write_all(request.as_bytes()).map_err(unreachable)?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(unreachable)?;
    let status = answer.split_whitespace().nth(1).unwrap_or("").to_owned();
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Ok((status, body))
}

/// What one long poll of the event stream brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// The id of the last event, to ask for what comes after it.
    pub last: u64,
    /// An event named the team folder.
    pub about_folder: bool,
    /// Events were missed (the buffer moved on, or Syncthing restarted and
    /// counts from 1 again): the folder must be listed whole.
    pub gap: bool,
}

/// How long one long poll waits for events.
const LONG_POLL: Duration = Duration::from_secs(30);

/// Waits up to `timeout` for the events after `since`, and says whether any
/// named `folder_id` and whether some were missed.
pub fn next_events(
    api: &Api,
    folder_id: &str,
    since: u64,
    timeout: Duration,
) -> Result<Batch, String> {
    let target = format!("/rest/events?since={since}&timeout={}", timeout.as_secs());
    let body = get(api, &target, timeout + Duration::from_secs(10))?;
    batch(&body, folder_id, since)
}

/// Reads a page of events (a JSON array of `{id, type, data}`).
fn batch(body: &str, folder_id: &str, since: u64) -> Result<Batch, String> {
    let events: Vec<serde_json::Value> = serde_json::from_str(body)
        .map_err(|e| format!("Syncthing's event stream sent what is not events: {e}"))?;
    let ids: Vec<u64> = events
        .iter()
        .filter_map(|e| e.get("id").and_then(serde_json::Value::as_u64))
        .collect();
    let about_folder = events.iter().any(|e| {
        e.get("data")
            .and_then(|d| d.get("folder"))
            .and_then(serde_json::Value::as_str)
            == Some(folder_id)
    });
    let first = ids.iter().copied().min();
    let last = ids.iter().copied().max().unwrap_or(since);
    let gap = since > 0 && first.is_some_and(|f| f != since + 1);
    Ok(Batch {
        last,
        about_folder,
        gap,
    })
}

/// Follows Syncthing's event stream for the team folder `root` on a thread
/// of its own, calling `wake` when an event names the folder, after a gap
/// and after a lost connection; stopped when dropped (within one poll).
/// None when Syncthing's configuration has no API for the folder.
#[derive(Debug)]
pub struct Follow {
    stop: Arc<AtomicBool>,
}

impl Drop for Follow {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

pub fn follow(root: &Path, wake: impl Fn() + Send + 'static) -> Option<Follow> {
    let found = find(root)?;
    let api = found.api?;
    let folder_id = found.folder_id;
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    std::thread::Builder::new()
        .name("syncthing-events".to_owned())
        .spawn(move || {
            let mut since = 0;
            while !stopped.load(Ordering::SeqCst) {
                match next_events(&api, &folder_id, since, LONG_POLL) {
                    Ok(batch) => {
                        if batch.about_folder || batch.gap {
                            wake();
                        }
                        since = batch.last;
                    }
                    Err(_) => {
                        // Syncthing stopped or restarts: list the folder,
                        // then try again from the start of its buffer.
                        wake();
                        since = 0;
                        std::thread::sleep(Duration::from_secs(5));
                    }
                }
            }
        })
        .ok()?;
    Some(Follow { stop })
}

/// `GET target` from the API: the body, or an error unless 2xx.
fn get(api: &Api, target: &str, wait: Duration) -> Result<String, String> {
    let (status, body) = exchange(api, "GET", target, wait)?;
    if status.starts_with('2') {
        Ok(body)
    } else {
        Err(format!(
            "Syncthing's API answered {status} to {target}: {}",
            body.trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_team_folder_is_found_in_a_syncthing_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let config = format!(
            r#"<configuration version="37">
    <folder id="other" label="x" path="/elsewhere" type="sendreceive">
        <maxConflicts>10</maxConflicts>
    </folder>
    <folder id="muster-team" label="Team &amp; co" path="{}" type="sendreceive" rescanIntervalS="3600">
        <filesystemType>basic</filesystemType>
        <maxConflicts>-1</maxConflicts>
    </folder>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:8385</address>
        <apikey>k3y</apikey>
    </gui>
</configuration>"#,
            root.display()
        );
        assert_eq!(
            parse(&config, &root),
            Some(Found {
                folder_id: "muster-team".to_owned(),
                max_conflicts: Some(-1),
                api: Some(Api {
                    address: "127.0.0.1:8385".to_owned(),
                    key: "k3y".to_owned()
                }),
            })
        );
        assert_eq!(parse(&config, Path::new("/nowhere")), None);
        let tls = config.replace("tls=\"false\"", "tls=\"true\"");
        assert_eq!(parse(&tls, &root).and_then(|f| f.api), None);
        assert_eq!(encode("events/ab/x y.json"), "events/ab/x%20y.json");
    }

    #[test]
    fn the_event_stream_says_when_the_folder_moved_and_when_events_were_missed() {
        let page = r#"[
            {"id": 8, "type": "StateChanged", "data": {"folder": "other", "to": "idle"}},
            {"id": 9, "type": "ItemFinished", "data": {"folder": "muster-team", "item": "events/ab/x.json"}}
        ]"#;
        assert_eq!(
            batch(page, "muster-team", 7),
            Ok(Batch {
                last: 9,
                about_folder: true,
                gap: false
            })
        );
        assert_eq!(
            batch(page, "someone-else", 7),
            Ok(Batch {
                last: 9,
                about_folder: false,
                gap: false
            })
        );
        // Events 5 to 7 were never seen, or Syncthing restarted (ids from 1).
        assert!(batch(page, "x", 4).is_ok_and(|b| b.gap));
        assert!(batch(page, "x", 40).is_ok_and(|b| b.gap));
        // The first poll reads the buffer as it is: no gap to speak of.
        assert!(batch(page, "x", 0).is_ok_and(|b| !b.gap));
        // A poll that timed out brings nothing and keeps its place.
        assert_eq!(
            batch("[]", "x", 9),
            Ok(Batch {
                last: 9,
                about_folder: false,
                gap: false
            })
        );
        assert!(batch("<html>", "x", 9).is_err());
    }

    #[test]
    fn an_answer_from_the_api_is_read_whole_and_refusals_are_said() {
        use std::net::TcpListener;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            for answer in [
                "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[{\"id\": 3, \"type\": \"ItemFinished\", \"data\": {\"folder\": \"muster-team\"}}]",
                "HTTP/1.0 403 Forbidden\r\n\r\nCSRF Error",
            ] {
                let (mut stream, _) = listener.accept().unwrap();
                let mut request = [0u8; 1024];
                let n = stream.read(&mut request).unwrap();
                let request = String::from_utf8_lossy(&request[..n]).to_string();
                assert!(request.starts_with("GET /rest/events?since=2&timeout=1 HTTP/1.0"), "{request}");
                assert!(request.contains("X-API-Key: k3y"), "{request}");
                stream.write_all(answer.as_bytes()).unwrap();
            }
        });
        let api = Api {
            address,
            key: "k3y".to_owned(),
        };
        assert_eq!(
            next_events(&api, "muster-team", 2, Duration::from_secs(1)),
            Ok(Batch {
                last: 3,
                about_folder: true,
                gap: false
            })
        );
        let refused = next_events(&api, "muster-team", 2, Duration::from_secs(1));
        assert!(refused.is_err_and(|e| e.contains("403") && e.contains("CSRF Error")));
        server.join().unwrap();
    }
}
