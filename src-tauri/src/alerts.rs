//! The alert receiver: a small HTTP server on 127.0.0.1 only, off until the
//! person turns it on in Settings, that takes alerts from the monitors the
//! team already runs — Prometheus Alertmanager's webhook (version 4), or
//! Muster's JSON format from a Grafana contact point, a Forta bot or `curl`
//! (docs/alerts.md) — and hands each delivery to the store through a sink
//! (`alert_link.rs` gives the app's: the one write path, then publishing).
//!
//! Every request must carry the receiver's token (`Authorization: Bearer`);
//! only the token's SHA-256 is kept, in the database's local settings, and
//! compared in constant time. A request is answered with what became of its
//! alerts, or a 4xx that says what is wrong and stores nothing: 401 without
//! the token, 404 elsewhere than `/alerts`, 405 for anything but POST, 413
//! over [`MAX_BODY`], 400 for a body that is not an alert, 429 past the rate
//! limit (the bucket starts full, so the first alerts of a flood are taken),
//! 503 when the store cannot write (Alertmanager then retries).

use std::io::Read;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use muster_core::alert::{parse, Delivery, Taken};
use serde_json::json;
use sha2::{Digest, Sha256};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// The largest request body taken, in bytes.
pub const MAX_BODY: usize = 1024 * 1024;
/// The port the receiver listens on unless Settings says another.
pub const DEFAULT_PORT: u16 = 9797;
/// The path alerts are posted to.
pub const PATH: &str = "/alerts";
/// Deliveries taken at once before the rate limit answers 429.
const BURST: f64 = 30.0;
/// Deliveries a second the bucket refills at.
const PER_SECOND: f64 = 5.0;

/// Takes one delivery in: what became of each alert, or why nothing was
/// stored (the store refused to write).
pub type Sink = Arc<dyn Fn(&Delivery) -> Result<Vec<Taken>, String> + Send + Sync>;

/// A running receiver; dropping it stops it and frees its port.
pub struct Receiver {
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    port: u16,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("port", &self.port)
            .finish()
    }
}

impl Receiver {
    /// Listens on 127.0.0.1:`port` (0: any free port) for deliveries
    /// carrying the token whose SHA-256 is `token_sha256`.
    pub fn start(port: u16, token_sha256: [u8; 32], sink: Sink) -> Result<Receiver, String> {
        // A receiver just stopped on this port lets it go a moment later
        // (its accept thread ends on its own): try again for a second.
        let mut tries = 0;
        let server = loop {
            match Server::http(("127.0.0.1", port)) {
                Ok(server) => break server,
                Err(_) if tries < 10 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(e) => {
                    return Err(format!(
                        "cannot listen on 127.0.0.1:{port} ({e}): another program may use the port; choose another in Settings"
                    ))
                }
            }
        };
        let port = server
            .server_addr()
            .to_ip()
            .map_or(port, |address| address.port());
        let server = Arc::new(server);
        let serving = server.clone();
        let thread = std::thread::Builder::new()
            .name("alert-receiver".to_owned())
            .spawn(move || serve(&serving, &token_sha256, &sink))
            .map_err(|e| format!("cannot start the alert receiver: {e}"))?;
        Ok(Receiver {
            server,
            thread: Some(thread),
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A fresh token: 32 random bytes, hex.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the OS: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The SHA-256 of a token, as kept.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn serve(server: &Server, token: &[u8; 32], sink: &Sink) {
    let mut bucket = Bucket::full();
    for mut request in server.incoming_requests() {
        let parts = request_parts(&request);
        let (status, text) = match refuse(&parts, token, &mut bucket, Instant::now()) {
            Some(refusal) => refusal,
            None => {
                let mut body = Vec::new();
                match request
                    .as_reader()
                    .take(MAX_BODY as u64 + 1)
                    .read_to_end(&mut body)
                {
                    Ok(_) => take(&body, sink),
                    Err(e) => error(400, &format!("the body could not be read: {e}")),
                }
            }
        };
        let mut response = Response::from_string(text).with_status_code(StatusCode(status));
        if let Ok(header) = Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]) {
            response.add_header(header);
        }
        if status == 429 {
            if let Ok(header) = Header::from_bytes(&b"Retry-After"[..], &b"1"[..]) {
                response.add_header(header);
            }
        }
        let _ = request.respond(response);
    }
}

/// What the answer needs of a request before its body is read.
struct Parts {
    method: Method,
    path: String,
    authorization: Option<String>,
    length: Option<usize>,
}

fn request_parts(request: &Request) -> Parts {
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_owned())
    };
    Parts {
        method: request.method().clone(),
        path: request.url().split('?').next().unwrap_or("").to_owned(),
        authorization: header("Authorization"),
        length: request.body_length(),
    }
}

/// The refusal a request gets before its body is read, if any.
fn refuse(
    parts: &Parts,
    token: &[u8; 32],
    bucket: &mut Bucket,
    now: Instant,
) -> Option<(u16, String)> {
    if parts.path != PATH {
        return Some(error(404, &format!("post alerts to {PATH}")));
    }
    if parts.method != Method::Post {
        return Some(error(
            405,
            &format!(
                "post alerts to {PATH} (method {} is not taken)",
                parts.method
            ),
        ));
    }
    if !authorized(parts.authorization.as_deref(), token) {
        return Some(error(
            401,
            "send the receiver's token as `Authorization: Bearer <token>` (Settings → Alerts)",
        ));
    }
    if parts.length.is_some_and(|n| n > MAX_BODY) {
        return Some(error(413, &format!("the body is over {MAX_BODY} bytes")));
    }
    if !bucket.take(now) {
        return Some(error(429, "too many deliveries at once: retry in a second"));
    }
    None
}

/// The answer to an authorised request whose body (at most `MAX_BODY + 1`
/// bytes) is read.
fn take(body: &[u8], sink: &Sink) -> (u16, String) {
    if body.len() > MAX_BODY {
        return error(413, &format!("the body is over {MAX_BODY} bytes"));
    }
    let delivery = match parse(body) {
        Ok(delivery) => delivery,
        Err(why) => return error(400, &why),
    };
    match sink(&delivery) {
        Ok(taken) => (200, json!({ "taken": taken }).to_string()),
        Err(why) => error(503, &why),
    }
}

fn error(status: u16, message: &str) -> (u16, String) {
    (status, json!({ "error": message }).to_string())
}

/// Whether `header` is `Bearer <token>` for the token hashed in `token`,
/// compared in constant time.
fn authorized(header: Option<&str>, token: &[u8; 32]) -> bool {
    let Some(presented) = header.and_then(|h| h.strip_prefix("Bearer ")) else {
        return false;
    };
    let hash = token_hash(presented.trim());
    hash.iter()
        .zip(token.iter())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// A token bucket: [`BURST`] deliveries at once, refilled at [`PER_SECOND`].
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Option<Instant>,
}

impl Bucket {
    fn full() -> Bucket {
        Bucket {
            tokens: BURST,
            at: None,
        }
    }

    fn take(&mut self, now: Instant) -> bool {
        if let Some(at) = self.at {
            let gained = now.saturating_duration_since(at).as_secs_f64() * PER_SECOND;
            self.tokens = (self.tokens + gained).min(BURST);
        }
        self.at = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests;
