//! Syncthing as the team folder's transport. Syncthing notices new files by
//! itself, but only after its watcher's delay (10 s by default); asked
//! through its REST API (`POST /rest/db/scan?folder=…&sub=…`) it sends them
//! at once. The folder's id, its `maxConflicts` and the API's address and
//! key come from the user's Syncthing configuration (`config.xml`; the
//! `MUSTER_SYNCTHING_CONFIG` variable names another one), read only — Muster
//! never changes Syncthing's settings. Arrivals need no API: Syncthing
//! renames each finished file into the folder, which Muster watches.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
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

/// `POST target` to the API over plain HTTP/1.1; an error unless 2xx.
fn post(api: &Api, target: &str) -> Result<(), String> {
    let address = api
        .address
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let unreachable =
        |e: std::io::Error| format!("Syncthing's API at {address} cannot be reached: {e}");
    let mut stream = TcpStream::connect(&address).map_err(unreachable)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(unreachable)?;
    let request = format!(
        "POST {target} HTTP/1.1\r\nHost: {address}\r\nX-API-Key: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        api.key
    );
    stream.write_all(request.as_bytes()).map_err(unreachable)?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(unreachable)?;
    let status = answer.split_whitespace().nth(1).unwrap_or("");
    if status.starts_with('2') {
        Ok(())
    } else {
        Err(format!(
            "Syncthing's API answered {status} to a scan request: {}",
            answer.lines().last().unwrap_or("").trim()
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
}
