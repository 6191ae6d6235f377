//! The receiver over real TCP: the token, the path and method, the body
//! limit, malformed bodies, the rate limit, and the store behind it (a real
//! store in a temporary data folder, through the sink the app uses).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Mutex;

use muster_core::clock::SystemClock;
use muster_core::store::Store;

use super::*;

const TOKEN: &str = "test-token-0123456789";

/// A store behind a receiver on a free port.
fn receiver(dir: &Path) -> (Receiver, Arc<Mutex<Store>>) {
    let store = Arc::new(Mutex::new(
        Store::open_in(dir, &SystemClock).unwrap_or_else(|e| panic!("{e}")),
    ));
    let taking = store.clone();
    let sink: Sink = Arc::new(move |delivery: &Delivery| {
        let mut store = taking.lock().map_err(|_| "poisoned".to_owned())?;
        store
            .take_alerts(delivery, &SystemClock)
            .map_err(|e| e.to_string())
    });
    let receiver = Receiver::start(0, token_hash(TOKEN), sink).unwrap_or_else(|e| panic!("{e}"));
    (receiver, store)
}

/// Sends raw HTTP and returns the status and body of the answer.
fn send(port: u16, request: &str) -> (u16, String) {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("connect: {e}"));
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("write: {e}"));
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn post(port: u16, path: &str, auth: Option<&str>, body: &str) -> (u16, String) {
    let auth = auth
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    send(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn bearer() -> Option<&'static str> {
    Some("Bearer test-token-0123456789")
}

fn incidents(store: &Arc<Mutex<Store>>) -> usize {
    store
        .lock()
        .map(|mut s| s.incidents().map(|i| i.len()).unwrap_or(0))
        .unwrap_or(0)
}

const ALERT: &str = r#"{"issue":"oracle-failure","summary":"ETH feed stale"}"#;

#[test]
fn only_a_post_to_alerts_with_the_token_is_taken() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (receiver, store) = receiver(dir.path());
    let port = receiver.port();
    let refused = [
        (post(port, PATH, None, ALERT), 401),
        (post(port, PATH, Some("Bearer wrong-token"), ALERT), 401),
        (post(port, PATH, Some("Basic dGVzdA=="), ALERT), 401),
        (
            post(port, PATH, Some(&format!("Bearer {TOKEN}x")), ALERT),
            401,
        ),
        (post(port, "/", bearer(), ALERT), 404),
        (post(port, "/alerts/x", bearer(), ALERT), 404),
        (
            send(
                port,
                "GET /alerts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            ),
            405,
        ),
    ];
    for ((status, body), expected) in refused {
        assert_eq!(status, expected, "{body}");
        assert!(body.contains("\"error\""), "{body}");
    }
    assert_eq!(incidents(&store), 0, "nothing refused was stored");
    let (status, body) = post(port, PATH, bearer(), ALERT);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""outcome":"opened""#), "{body}");
    assert_eq!(incidents(&store), 1);
    // The same alert again: a repeat, nothing new.
    let (status, body) = post(port, PATH, bearer(), ALERT);
    assert_eq!(
        (status, body.contains(r#""outcome":"repeat""#)),
        (200, true),
        "{body}"
    );
    assert_eq!(incidents(&store), 1);
}

#[test]
fn a_malformed_or_oversized_body_is_refused_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (receiver, store) = receiver(dir.path());
    let port = receiver.port();
    for (body, needle) in [
        ("not json", "not JSON"),
        (
            "{\"version\":\"4\",\"alerts\":\"x\"}",
            "not an Alertmanager webhook",
        ),
        (
            "{\"issue\":\"oracle-failure\",\"status\":\"boom\"}",
            "status",
        ),
        ("{\"labels\":{\"a b\":\"c\"}}", "not a label name"),
    ] {
        let (status, answer) = post(port, PATH, bearer(), body);
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer.contains(needle), "{body}: {answer}");
    }
    let big = format!(
        r#"{{"issue":"oracle-failure","description":"{}"}}"#,
        "x".repeat(MAX_BODY)
    );
    let (status, answer) = post(port, PATH, bearer(), &big);
    assert_eq!(status, 413, "{answer}");
    // A length that lies: the body read stops at the limit.
    let (status, _) = send(
        port,
        &format!(
            "POST {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{{",
            MAX_BODY * 4
        ),
    );
    assert_eq!(status, 413);
    assert_eq!(incidents(&store), 0);
    let rows: i64 = store
        .lock()
        .map(|s| {
            s.connection()
                .query_row("SELECT count(*) FROM alert_delivery", [], |r| r.get(0))
                .unwrap_or(-1)
        })
        .unwrap_or(-1);
    assert_eq!(rows, 0);
}

#[test]
fn a_flood_is_rate_limited_and_its_first_alert_is_taken() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (receiver, store) = receiver(dir.path());
    let port = receiver.port();
    let mut statuses = Vec::new();
    for n in 0..60 {
        let body = format!(r#"{{"issue":"oracle-failure","summary":"flood {n}","key":"k{n}"}}"#);
        statuses.push(post(port, PATH, bearer(), &body).0);
    }
    assert_eq!(statuses[0], 200);
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert!(limited > 0, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 429),
        "{statuses:?}"
    );
    // The first opened the incident; the taken ones joined it.
    assert_eq!(incidents(&store), 1);
}

#[test]
fn the_bucket_refills_with_time() {
    let start = Instant::now();
    let mut bucket = Bucket::full();
    let taken = (0..100).filter(|_| bucket.take(start)).count();
    assert_eq!(taken, BURST as usize);
    assert!(bucket.take(start + std::time::Duration::from_millis(250)));
    assert!(!bucket.take(start + std::time::Duration::from_millis(250)));
}

#[test]
fn a_port_in_use_is_said_and_stopping_frees_the_port() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (first, _store) = receiver(dir.path());
    let port = first.port();
    let sink: Sink = Arc::new(|_: &Delivery| Ok(Vec::new()));
    let second = Receiver::start(port, token_hash(TOKEN), sink.clone());
    assert!(
        second.as_ref().is_err_and(
            |e| e.contains(&format!("127.0.0.1:{port}")) && e.contains("choose another")
        ),
        "{second:?}"
    );
    drop(first);
    let again = Receiver::start(port, token_hash(TOKEN), sink);
    assert!(again.is_ok(), "{again:?}");
}

#[test]
fn tokens_are_random_and_only_their_hash_is_compared() {
    let a = new_token().unwrap_or_default();
    let b = new_token().unwrap_or_default();
    assert_eq!(a.len(), 64);
    assert_ne!(a, b);
    assert!(authorized(Some(&format!("Bearer {a}")), &token_hash(&a)));
    assert!(!authorized(Some(&format!("Bearer {a}")), &token_hash(&b)));
    assert!(!authorized(Some(&format!("bearer {a}")), &token_hash(&a)));
    assert!(!authorized(None, &token_hash(&a)));
}
