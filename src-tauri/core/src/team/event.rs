//! One event of the team's shared activity, as it travels between laptops:
//! an envelope (who, from which laptop, their sequence number, a Lamport
//! clock, the wall time for display, the thread it belongs to, the heads of
//! that thread its author had seen, and what happened) signed by its author
//! (SSHSIG under [`NAMESPACE`]) and named by the SHA-256 of the envelope's
//! canonical bytes. A file is written once and never changed: the name *is*
//! the content, so the sync engine never has two versions of one path.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::decision::{sshsig, PrivateKey, PublicKey};
use crate::plan::Id;

/// The SSHSIG namespace of team events: a signature made for anything else
/// (a decision, an exercise decision) never counts as one.
pub const NAMESPACE: &str = "muster-team-event-v1";

/// The largest event file taken in, in bytes.
pub const MAX_FILE: u64 = 64 * 1024;
/// The most parents an event may name.
pub const MAX_PARENTS: usize = 64;
/// The longest device, thread or kind text, in characters.
pub const MAX_LABEL: usize = 100;

/// An event's id: the lowercase hex SHA-256 of its envelope's canonical bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub String);

impl EventId {
    /// Whether `text` has the shape of an id (64 lowercase hex digits).
    pub fn is_valid(text: &str) -> bool {
        text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }

    /// The first 8 digits, for people.
    pub fn short(&self) -> &str {
        self.0.get(..8).unwrap_or(&self.0)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an event says, before it is signed. Field order is the canonical
/// order; `body` is JSON whose objects serialise with sorted keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Envelope {
    /// The person (a core-team contact) whose key signs it.
    pub author: Id,
    /// The laptop it was written on, as its profile names it.
    pub device: String,
    /// The author's count of events written on `device`, from 1: two events
    /// with one `(author, device, seq)` are a provable fork.
    pub seq: u64,
    /// Greater than every parent's: sorting by `(lamport, id)` is a causal
    /// order that every laptop computes alike.
    pub lamport: u64,
    /// When the author wrote it, for display only.
    pub at: DateTime<Utc>,
    /// What it belongs to (`incident/INC-…`, `exercise/EX-…`, `team`).
    pub thread: String,
    /// The heads of `thread` the author had seen, sorted.
    pub parents: Vec<EventId>,
    /// What happened (`incident.declared`, `incident.step`, …).
    pub kind: String,
    pub body: serde_json::Value,
}

impl Envelope {
    /// The bytes that are hashed and signed.
    pub fn canonical(&self) -> Vec<u8> {
        // A struct of strings, numbers and a JSON value: serialising cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The id this envelope has.
    pub fn id(&self) -> EventId {
        EventId(hex(&Sha256::digest(self.canonical())))
    }

    /// What is wrong with the envelope's own fields, if anything.
    pub fn problem(&self) -> Option<String> {
        if let Some(p) = self.author.problem() {
            return Some(format!("its author `{}` is not an id: {p}", self.author));
        }
        for (what, text) in [
            ("device", &self.device),
            ("thread", &self.thread),
            ("kind", &self.kind),
        ] {
            if text.trim().is_empty() || text.chars().count() > MAX_LABEL {
                return Some(format!(
                    "its {what} is empty or longer than {MAX_LABEL} characters"
                ));
            }
            if text.chars().any(char::is_control) {
                return Some(format!("its {what} holds a control character"));
            }
        }
        if self.seq == 0 || self.lamport == 0 {
            return Some("its sequence number and clock start at 1".to_owned());
        }
        if i64::try_from(self.seq).is_err() || i64::try_from(self.lamport).is_err() {
            return Some("its sequence number or clock is out of range".to_owned());
        }
        if !(2000..=9999).contains(&chrono::Datelike::year(&self.at)) {
            return Some(format!("its time {} is out of range", self.at));
        }
        if self.parents.len() > MAX_PARENTS {
            return Some(format!("it names more than {MAX_PARENTS} parents"));
        }
        if self.parents.iter().any(|p| !EventId::is_valid(&p.0)) {
            return Some("a parent is not an event id".to_owned());
        }
        if self.parents.windows(2).any(|w| w[0] >= w[1]) {
            return Some("its parents are not sorted and distinct".to_owned());
        }
        None
    }
}

/// An event as written to the team folder: the envelope and its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignedEvent {
    pub event: Envelope,
    /// The armored SSHSIG over the envelope's canonical bytes.
    pub signature: String,
}

impl SignedEvent {
    /// Signs `event` with `key`.
    pub fn sign(event: Envelope, key: &PrivateKey) -> Result<SignedEvent, String> {
        let signature = sshsig::sign(key, NAMESPACE, &event.canonical())?;
        Ok(SignedEvent { event, signature })
    }

    pub fn id(&self) -> EventId {
        self.event.id()
    }

    /// The file's bytes: pretty JSON, so a person can read it in the folder.
    pub fn to_file(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The key the signature names, once it verifies over the envelope under
    /// [`NAMESPACE`]; why not otherwise.
    pub fn verified_key(&self) -> Result<PublicKey, String> {
        let sig = sshsig::parse_signature(&self.signature)?;
        let key = sshsig::signature_key(&sig);
        match sshsig::verify(&key, NAMESPACE, &self.event.canonical(), &sig) {
            Ok(()) => Ok(key),
            Err(sshsig::VerifyError::Namespace(other)) => Err(format!(
                "it is signed under the namespace `{other}`, not `{NAMESPACE}`"
            )),
            Err(_) => Err("its signature does not match its content: it was altered".to_owned()),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
