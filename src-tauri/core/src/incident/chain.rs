//! The hash chain of a timeline: each event's hash covers its stored fields
//! and the previous event's hash, so an edit or deletion is detected.
//!
//! The hash is computed over the text exactly as stored (the body's JSON is
//! never re-serialised), so verification reads raw columns and recomputes.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

use super::model::BadEvent;

/// The `prev_hash` of an incident's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Names the hashing scheme, so a later change of fields cannot collide with this one.
const DOMAIN: &str = "muster-event-v1";

/// How an event's time is stored and hashed: RFC 3339 in UTC with
/// milliseconds and a `Z`.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The hash of one event from its stored fields: hex SHA-256 of the domain
/// line and the fields, each on its own line, the body text last.
pub fn hash(
    incident: &str,
    seq: u32,
    at: &str,
    author: &str,
    prev_hash: &str,
    body: &str,
) -> String {
    let mut hasher = Sha256::new();
    for part in [DOMAIN, incident, &seq.to_string(), at, author, prev_hash] {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    hasher.update(body.as_bytes());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// One event row as stored, every field as its raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    pub seq: u32,
    pub at: String,
    pub author: String,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

impl RawEvent {
    /// What this row's hash should be.
    pub fn expected_hash(&self, incident: &str) -> String {
        hash(
            incident,
            self.seq,
            &self.at,
            &self.author,
            &self.prev_hash,
            &self.body,
        )
    }
}

/// Walks `rows` (ordered by seq) and names the first that does not check
/// out; `count` and `head` are what the incident's own row says the
/// timeline holds, so a deleted last event is caught too.
pub fn verify(incident: &str, rows: &[RawEvent], count: u32, head: &str) -> Option<BadEvent> {
    let bad = |seq: u32, reason: String| Some(BadEvent { seq, reason });
    let mut prev_seq = 0u32;
    let mut prev_hash = GENESIS;
    for row in rows {
        if row.seq != prev_seq + 1 || row.prev_hash != prev_hash {
            let after = if prev_seq == 0 {
                "the start of the timeline".to_owned()
            } else {
                format!("event {prev_seq}")
            };
            return bad(
                row.seq,
                format!("it does not follow {after} (an event was deleted or reordered?)"),
            );
        }
        if row.expected_hash(incident) != row.hash {
            return bad(
                row.seq,
                "its content does not match its hash (edited?)".to_owned(),
            );
        }
        prev_seq = row.seq;
        prev_hash = &row.hash;
    }
    if prev_seq < count || (prev_seq == count && prev_hash != head) {
        let missing = if prev_seq < count {
            prev_seq + 1
        } else {
            prev_seq
        };
        return bad(
            missing,
            format!("the timeline ends early: event {missing} is missing (deleted?)"),
        );
    }
    if prev_seq > count {
        return bad(
            count + 1,
            format!(
                "the incident's record counts {count} events; event {} was added outside Muster",
                count + 1
            ),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain of `n` well-formed rows for INC-1.
    fn chain(n: u32) -> Vec<RawEvent> {
        let mut rows: Vec<RawEvent> = Vec::new();
        for seq in 1..=n {
            let prev_hash = rows.last().map_or(GENESIS.to_owned(), |r| r.hash.clone());
            let mut row = RawEvent {
                seq,
                at: format!("2026-03-01T10:0{seq}:00.000Z"),
                author: "Ada Example".to_owned(),
                body: format!(r#"{{"type":"note","text":"event {seq}"}}"#),
                prev_hash,
                hash: String::new(),
            };
            row.hash = row.expected_hash("INC-1");
            rows.push(row);
        }
        rows
    }

    fn head(rows: &[RawEvent]) -> String {
        rows.last().map(|r| r.hash.clone()).unwrap_or_default()
    }

    #[test]
    fn the_hash_is_sha256_over_the_documented_layout() {
        // printf 'muster-event-v1\nINC-1\n1\nT\nA\n<64 zeros>\n{}' | sha256sum
        let got = hash("INC-1", 1, "T", "A", GENESIS, "{}");
        let mut hasher = Sha256::new();
        hasher.update(format!("muster-event-v1\nINC-1\n1\nT\nA\n{GENESIS}\n{{}}").as_bytes());
        assert_eq!(got, hex(&hasher.finalize()));
        assert_eq!(got.len(), 64);
        assert!(got
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let base = hash("INC-1", 1, "T", "A", GENESIS, "{}");
        let changed = [
            hash("INC-2", 1, "T", "A", GENESIS, "{}"),
            hash("INC-1", 2, "T", "A", GENESIS, "{}"),
            hash("INC-1", 1, "U", "A", GENESIS, "{}"),
            hash("INC-1", 1, "T", "B", GENESIS, "{}"),
            hash("INC-1", 1, "T", "A", &"1".repeat(64), "{}"),
            hash("INC-1", 1, "T", "A", GENESIS, "{ }"),
        ];
        assert!(changed.iter().all(|h| *h != base));
    }

    #[test]
    fn timestamps_are_utc_with_milliseconds_and_z() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T11:30:05.25+01:00")
            .map(|t| t.with_timezone(&Utc))
            .unwrap();
        assert_eq!(timestamp(at), "2026-03-01T10:30:05.250Z");
    }

    #[test]
    fn verify_names_the_first_bad_event_and_why() {
        let intact = chain(4);
        let edited = {
            let mut rows = chain(4);
            rows[1].body = r#"{"type":"note","text":"changed"}"#.to_owned();
            rows
        };
        let without_middle = {
            let mut rows = chain(4);
            rows.remove(2);
            rows
        };
        let without_first = chain(4)[1..].to_vec();
        let swapped = {
            let mut rows = chain(4);
            rows.swap(1, 2);
            rows
        };
        let follows = |seq: u32, n: u32| BadEvent {
            seq,
            reason: format!("it does not follow event {n} (an event was deleted or reordered?)"),
        };
        /// Name, rows, the row's count and head, and the answer.
        type Case<'a> = (&'a str, &'a [RawEvent], u32, String, Option<BadEvent>);
        let cases: Vec<Case> = vec![
            ("intact", &intact, 4, head(&intact), None),
            (
                "edited body",
                &edited,
                4,
                head(&edited),
                Some(BadEvent {
                    seq: 2,
                    reason: "its content does not match its hash (edited?)".to_owned(),
                }),
            ),
            (
                "middle deleted",
                &without_middle,
                4,
                head(&without_middle),
                Some(follows(4, 2)),
            ),
            (
                "first deleted",
                &without_first,
                4,
                head(&without_first),
                Some(BadEvent {
                    seq: 2,
                    reason: "it does not follow the start of the timeline (an event was deleted or reordered?)"
                        .to_owned(),
                }),
            ),
            ("reordered", &swapped, 4, head(&intact), Some(follows(3, 1))),
            (
                "last deleted",
                &intact[..3],
                4,
                head(&intact),
                Some(BadEvent {
                    seq: 4,
                    reason: "the timeline ends early: event 4 is missing (deleted?)".to_owned(),
                }),
            ),
            (
                "all deleted",
                &[],
                4,
                head(&intact),
                Some(BadEvent {
                    seq: 1,
                    reason: "the timeline ends early: event 1 is missing (deleted?)".to_owned(),
                }),
            ),
            (
                "head replaced",
                &intact,
                4,
                GENESIS.to_owned(),
                Some(BadEvent {
                    seq: 4,
                    reason: "the timeline ends early: event 4 is missing (deleted?)".to_owned(),
                }),
            ),
            (
                "one added",
                &intact,
                3,
                head(&intact[..3]),
                Some(BadEvent {
                    seq: 4,
                    reason: "the incident's record counts 3 events; event 4 was added outside Muster"
                        .to_owned(),
                }),
            ),
        ];
        for (name, rows, count, head, expected) in cases {
            assert_eq!(verify("INC-1", rows, count, &head), expected, "{name}");
        }
    }
}
