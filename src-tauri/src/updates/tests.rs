//! Sending for real, to a local test receiver: it gets exactly the text
//! shown, in the shape each kind of target expects; a failure says why
//! without the secret.

use std::sync::mpsc;

use muster_core::ops::send::{outgoing, Context, TargetKind, TargetSecret};

use super::*;

/// What a test receiver got: method, path, headers, body.
type Got = (String, String, Vec<(String, String)>, String);

/// A one-request receiver on a free port: what it got, answering `status`.
fn receiver(status: u16) -> (u16, mpsc::Receiver<Got>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = server.server_addr().to_ip().map_or(0, |a| a.port());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        if let Ok(mut request) = server.recv() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let headers = request
                .headers()
                .iter()
                .map(|h| (h.field.to_string(), h.value.to_string()))
                .collect();
            let _ = tx.send((
                request.method().to_string(),
                request.url().to_owned(),
                headers,
                body,
            ));
            let _ = request.respond(tiny_http::Response::empty(status));
        }
    });
    (port, rx)
}

const CX: Context<'static> = Context {
    incident: "INC-3",
    rule: "user-updates",
    audience: "users",
    txn: "INC-3-1",
};

const TEXT: &str =
    "Borrowing is paused while we confirm the oracle price — next update at 14:00 UTC. «ok»";

#[test]
fn the_receiver_gets_exactly_the_text_shown() {
    let (port, got) = receiver(200);
    let secret = TargetSecret {
        url: format!("http://127.0.0.1:{port}/hooks/secret-token"),
        token: String::new(),
        chat: String::new(),
    };
    let request = outgoing(TargetKind::Slack, &secret, TEXT, &CX).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(deliver(&request), (true, "HTTP 200 OK".to_owned()));
    let (method, path, headers, body) = got.recv().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("POST", "/hooks/secret-token")
    );
    assert!(headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v == "application/json"));
    let body: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(body["text"], TEXT);
}

#[test]
fn a_matrix_room_gets_a_put_with_its_token() {
    let (port, got) = receiver(200);
    let secret = TargetSecret {
        url: format!("http://127.0.0.1:{port}"),
        token: "syt_secret".to_owned(),
        chat: "!room:example.org".to_owned(),
    };
    let request =
        outgoing(TargetKind::Matrix, &secret, TEXT, &CX).unwrap_or_else(|e| panic!("{e}"));
    assert!(deliver(&request).0);
    let (method, path, headers, body) = got.recv().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(method, "PUT");
    assert_eq!(
        path,
        "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/INC-3-1"
    );
    assert!(headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("authorization") && v == "Bearer syt_secret"));
    let body: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(
        (body["msgtype"].as_str(), body["body"].as_str()),
        (Some("m.text"), Some(TEXT))
    );
}

#[test]
fn a_refusal_or_no_answer_is_said_without_the_secret() {
    let (port, _got) = receiver(403);
    let secret = TargetSecret {
        url: format!("http://127.0.0.1:{port}/hooks/secret-token"),
        token: String::new(),
        chat: String::new(),
    };
    let request =
        outgoing(TargetKind::Discord, &secret, TEXT, &CX).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(deliver(&request), (false, "HTTP 403 Forbidden".to_owned()));
    // Nobody listening: said, and the token in the path is not.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(1);
    let secret = TargetSecret {
        url: format!("http://127.0.0.1:{closed}/hooks/secret-token"),
        token: String::new(),
        chat: String::new(),
    };
    let request = outgoing(TargetKind::Json, &secret, TEXT, &CX).unwrap_or_else(|e| panic!("{e}"));
    let (ok, detail) = deliver(&request);
    assert!(!ok);
    assert!(detail.starts_with("not delivered"), "{detail}");
    assert!(!detail.contains("secret-token"), "{detail}");
}
