//! Updates out: where a communication rule's updates are also sent (a
//! Slack or Discord incoming webhook, a Telegram bot, a Matrix room, or a
//! generic JSON POST), and the exact HTTP request that sends one.
//!
//! The target is this laptop's: which kind and where (a host, never the
//! secret) are local settings (`Store::update_targets`); the secret — the
//! webhook URL with its token, a bot token, an access token — lives only in
//! the OS keychain (the shell keeps it there). Nothing of it is in the plan or
//! the team folder. Building the request is pure, so what will be sent where
//! is shown before it is, and tested without a network.

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// The kind of place an update is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TargetKind {
    /// A Slack incoming webhook: `POST {url}` with `{"text": …}`.
    Slack,
    /// A Discord webhook: `POST {url}` with `{"content": …}` (2,000 characters at most).
    Discord,
    /// A Telegram bot: `POST {api}/bot{token}/sendMessage` with the chat id.
    Telegram,
    /// A Matrix room: `PUT {homeserver}/_matrix/client/v3/rooms/{room}/send/m.room.message/{txn}`.
    Matrix,
    /// Any endpoint taking JSON: `POST {url}` with the text and where it is from.
    Json,
}

impl TargetKind {
    pub fn label(self) -> &'static str {
        match self {
            TargetKind::Slack => "Slack",
            TargetKind::Discord => "Discord",
            TargetKind::Telegram => "Telegram",
            TargetKind::Matrix => "Matrix",
            TargetKind::Json => "a JSON endpoint",
        }
    }
}

/// A target's secret part, as the keychain keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetSecret {
    /// The webhook or endpoint URL (Slack, Discord, JSON); the API's base
    /// (Telegram, `https://api.telegram.org` when empty) or the homeserver
    /// (Matrix).
    pub url: String,
    /// The bot token (Telegram) or access token (Matrix); empty otherwise.
    pub token: String,
    /// The chat id (Telegram) or room id (Matrix); empty otherwise.
    pub chat: String,
}

/// A target as Settings and the update dialog show it: no secret in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTarget {
    /// The communication rule whose updates go there.
    pub rule: crate::plan::Id,
    pub kind: TargetKind,
    /// Where, for people: the host, and the chat or room (never a token).
    pub shown: String,
}

/// What an update sends, where: made before it is sent, and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub method: &'static str,
    /// The full URL, secrets and all: never shown, never stored.
    pub url: String,
    /// Extra headers, e.g. the Matrix access token.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: String,
}

/// Where the update goes and what it carries, beyond the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context<'a> {
    pub incident: &'a str,
    pub rule: &'a str,
    pub audience: &'a str,
    /// A fresh id for the Matrix transaction (a retry with the same id is
    /// one message).
    pub txn: &'a str,
}

/// Discord's limit on a message, in characters.
const DISCORD_MAX: usize = 2000;
/// Telegram's limit on a message, in characters.
const TELEGRAM_MAX: usize = 4096;

/// Checks a target's secret and says where it sends, for people.
pub fn describe(kind: TargetKind, secret: &TargetSecret) -> Result<String, String> {
    let base = match kind {
        TargetKind::Telegram if secret.url.trim().is_empty() => "https://api.telegram.org",
        _ => secret.url.trim(),
    };
    let host = host_of(base)?;
    let needs = |what: &str, value: &str| -> Result<(), String> {
        if value.trim().is_empty() {
            Err(format!("{} needs {what}", kind.label()))
        } else if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
            Err(format!("the {what} holds a space or a control character"))
        } else {
            Ok(())
        }
    };
    match kind {
        TargetKind::Telegram => {
            needs("the bot's token", &secret.token)?;
            needs("the chat id", &secret.chat)?;
            Ok(format!("{host}, chat {}", secret.chat.trim()))
        }
        TargetKind::Matrix => {
            needs("an access token", &secret.token)?;
            needs("the room id (!…:server)", &secret.chat)?;
            Ok(format!("{host}, room {}", secret.chat.trim()))
        }
        _ => Ok(host),
    }
}

/// The request that sends `text` to the target.
pub fn outgoing(
    kind: TargetKind,
    secret: &TargetSecret,
    text: &str,
    context: &Context<'_>,
) -> Result<Outgoing, String> {
    describe(kind, secret)?;
    let text = text.trim();
    if text.is_empty() {
        return Err("the update has no text to send".to_owned());
    }
    let count = text.chars().count();
    let limit = match kind {
        TargetKind::Discord => Some(DISCORD_MAX),
        TargetKind::Telegram => Some(TELEGRAM_MAX),
        _ => None,
    };
    if let Some(max) = limit.filter(|m| count > *m) {
        return Err(format!(
            "{} takes at most {max} characters; this update has {count}: shorten it",
            kind.label()
        ));
    }
    let url = secret.url.trim();
    let post = |url: String, body: serde_json::Value| Outgoing {
        method: "POST",
        url,
        headers: Vec::new(),
        body: body.to_string(),
    };
    Ok(match kind {
        TargetKind::Slack => post(url.to_owned(), json!({ "text": text })),
        TargetKind::Discord => post(url.to_owned(), json!({ "content": text })),
        TargetKind::Json => post(
            url.to_owned(),
            json!({
                "text": text,
                "incident": context.incident,
                "rule": context.rule,
                "audience": context.audience,
                "source": "muster",
            }),
        ),
        TargetKind::Telegram => {
            let base = if url.is_empty() {
                "https://api.telegram.org"
            } else {
                url.trim_end_matches('/')
            };
            post(
                format!("{base}/bot{}/sendMessage", secret.token.trim()),
                json!({ "chat_id": secret.chat.trim(), "text": text }),
            )
        }
        TargetKind::Matrix => Outgoing {
            method: "PUT",
            url: format!(
                "{}/_matrix/client/v3/rooms/{}/send/m.room.message/{}",
                url.trim_end_matches('/'),
                encode(secret.chat.trim()),
                encode(context.txn)
            ),
            headers: vec![(
                "Authorization".to_owned(),
                format!("Bearer {}", secret.token.trim()),
            )],
            body: json!({ "msgtype": "m.text", "body": text }).to_string(),
        },
    })
}

/// The host of an http(s) URL; plain http only to this machine.
fn host_of(url: &str) -> Result<String, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| "write the whole address, starting with https://".to_owned())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("").to_owned();
    if host.is_empty() || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("the address is not a web address".to_owned());
    }
    let name = host.split(':').next().unwrap_or("");
    let local = matches!(name, "127.0.0.1" | "localhost" | "[::1]") || host.starts_with("[::1]");
    match scheme {
        "https" => Ok(host),
        "http" if local => Ok(host),
        "http" => {
            Err("the address must start with https:// (plain http only to this machine)".to_owned())
        }
        _ => Err("the address must start with https://".to_owned()),
    }
}

/// Percent-encodes a path segment.
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(url: &str, token: &str, chat: &str) -> TargetSecret {
        TargetSecret {
            url: url.to_owned(),
            token: token.to_owned(),
            chat: chat.to_owned(),
        }
    }

    const CX: Context<'static> = Context {
        incident: "INC-3",
        rule: "user-updates",
        audience: "users",
        txn: "INC-3-7",
    };

    #[test]
    fn each_kind_sends_exactly_the_text_where_it_says() {
        let text =
            "Borrowing is paused while we confirm the oracle price. \"Next\" update at 14:00.";
        let slack = outgoing(
            TargetKind::Slack,
            &secret("https://hooks.slack.com/services/T/B/X", "", ""),
            text,
            &CX,
        );
        let slack = slack.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (slack.method, slack.url.as_str()),
            ("POST", "https://hooks.slack.com/services/T/B/X")
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&slack.body).ok(),
            Some(json!({ "text": text }))
        );
        let discord = outgoing(
            TargetKind::Discord,
            &secret("https://discord.com/api/webhooks/1/x", "", ""),
            text,
            &CX,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&discord.body).ok(),
            Some(json!({ "content": text }))
        );
        let telegram = outgoing(
            TargetKind::Telegram,
            &secret("", "123:abc", "-1001"),
            text,
            &CX,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            telegram.url,
            "https://api.telegram.org/bot123:abc/sendMessage"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&telegram.body).ok(),
            Some(json!({ "chat_id": "-1001", "text": text }))
        );
        let matrix = outgoing(
            TargetKind::Matrix,
            &secret("https://matrix.example.org/", "syt_x", "!room:example.org"),
            text,
            &CX,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(matrix.method, "PUT");
        assert_eq!(
            matrix.url,
            "https://matrix.example.org/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/INC-3-7"
        );
        assert_eq!(
            matrix.headers,
            [("Authorization".to_owned(), "Bearer syt_x".to_owned())]
        );
        let generic = outgoing(
            TargetKind::Json,
            &secret("http://127.0.0.1:8080/hook", "", ""),
            text,
            &CX,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&generic.body).ok(),
            Some(
                json!({ "text": text, "incident": "INC-3", "rule": "user-updates", "audience": "users", "source": "muster" })
            )
        );
    }

    #[test]
    fn where_it_goes_is_said_without_its_secret_and_bad_targets_are_refused() {
        assert_eq!(
            describe(
                TargetKind::Slack,
                &secret("https://hooks.slack.com/services/T/B/secret", "", "")
            ),
            Ok("hooks.slack.com".to_owned())
        );
        assert_eq!(
            describe(TargetKind::Telegram, &secret("", "123:abc", "-1001")),
            Ok("api.telegram.org, chat -1001".to_owned())
        );
        for (kind, s, why) in [
            (
                TargetKind::Slack,
                secret("http://hooks.slack.com/x", "", ""),
                "https://",
            ),
            (
                TargetKind::Slack,
                secret("hooks.slack.com/x", "", ""),
                "whole address",
            ),
            (
                TargetKind::Json,
                secret("ftp://x.example.org", "", ""),
                "https://",
            ),
            (
                TargetKind::Telegram,
                secret("", "", "-1"),
                "the bot's token",
            ),
            (
                TargetKind::Matrix,
                secret("https://m.example.org", "t", ""),
                "room id",
            ),
            (
                TargetKind::Matrix,
                secret("https://m.example.org", "t x", "!r:m"),
                "a space",
            ),
        ] {
            let got = describe(kind, &s);
            assert!(
                got.as_ref().is_err_and(|e| e.contains(why)),
                "{kind:?} {s:?}: {got:?}"
            );
        }
    }

    #[test]
    fn what_a_channel_cannot_take_is_refused_before_sending() {
        let long = "x".repeat(DISCORD_MAX + 1);
        let refused = outgoing(
            TargetKind::Discord,
            &secret("https://discord.com/api/webhooks/1/x", "", ""),
            &long,
            &CX,
        );
        assert!(refused.is_err_and(|e| e.contains("at most 2000 characters")));
        let empty = outgoing(
            TargetKind::Slack,
            &secret("https://hooks.slack.com/x", "", ""),
            "  ",
            &CX,
        );
        assert!(empty.is_err_and(|e| e.contains("no text")));
    }
}
