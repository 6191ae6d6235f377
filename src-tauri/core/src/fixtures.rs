//! Test fixtures for decisions: laptops (stores with the starter plan and a
//! key for each core member), keys from fixed seeds, requests, signature
//! files made as another laptop would, and a count of what a refusal must
//! leave unchanged. Core's own tests use them, and so do the app's
//! integration tests (feature `fixtures`), where the checks that run
//! programs outside Muster (`ssh-keygen`, Python's icalendar) live: core's
//! unit tests run no external program.
// A fixture that fails panics with the error: that is the failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod plans;

use std::path::Path;

use chrono::Duration;

use crate::decision::model::{Answer, DecisionRequest};
use crate::decision::record::{response_bytes, SignatureText};
use crate::decision::{sshsig, PrivateKey};
use crate::error::Result;
use crate::incident::model::{Declaration, IncidentId};
use crate::plan::{id, Plan, RetiredKey, Severity};
use crate::store::Store;
use chrono::{DateTime, Utc};

use crate::clock::FixedClock;

/// The instant `text` (RFC 3339) names, in UTC.
pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A clock that always says `text` (RFC 3339).
pub fn at(text: &str) -> FixedClock {
    FixedClock(utc(text))
}

/// When the requests of these tests are made.
pub const T0: &str = "2026-11-24T03:00:00Z";

pub fn ok<T>(result: Result<T>) -> T {
    result.unwrap()
}

/// The core members of the starter plan, in order, with their key seeds.
pub const MEMBERS: [(&str, u8); 4] = [
    ("ada-example", 1),
    ("ben-sample", 2),
    ("chloe-demo", 3),
    ("dara-mock", 4),
];

/// The seed of the key Ada used before her current one.
pub const ADA_OLD: u8 = 9;

/// A key from a fixed seed.
pub fn key(seed: u8) -> PrivateKey {
    sshsig::generate([seed; 32])
}

/// `member`'s key in the fixture plan.
pub fn key_of(member: &str) -> PrivateKey {
    let seed = MEMBERS
        .iter()
        .find(|(m, _)| *m == member)
        .map_or(0, |(_, s)| *s);
    key(seed)
}

pub fn line(key: &PrivateKey) -> String {
    sshsig::public_line(key.public_key())
}

/// The starter plan with a key for every core member; Ada's old key is
/// retired from `ada_retired` (if given). `law` allows attested approvals
/// for notify-law-enforcement (as the starter plan does).
pub fn with_keys(mut plan: Plan, ada_retired: Option<&str>) -> Plan {
    for (member, seed) in MEMBERS {
        if let Some(m) = plan.core_team.iter_mut().find(|m| m.id.as_str() == member) {
            m.public_key = Some(format!("{} {member}@laptop", line(&key(seed))));
            if member == "ada-example" {
                m.retired_keys = ada_retired
                    .map(|from| RetiredKey {
                        key: line(&key(ADA_OLD)),
                        retired_from: utc(from),
                    })
                    .into_iter()
                    .collect();
            }
        }
    }
    plan
}

/// A laptop: a store in `dir` seeded on 2026-11-20 with the keyed starter
/// plan, its profile named and set to `contact`.
pub fn laptop(dir: &Path, contact: &str, ada_retired: Option<&str>) -> Store {
    let clock = at("2026-11-20T09:00:00Z");
    let mut store = ok(Store::open_in(dir, &clock));
    let plan = with_keys(ok(store.plan()), ada_retired);
    ok(store.replace_plan(&plan, "Signing keys", &clock));
    ok(store.set_profile_contact(&id(contact)));
    let name = plan
        .contact_name(&id(contact))
        .unwrap_or(contact)
        .to_owned();
    ok(store.set_profile_name(&name));
    store
}

/// Declares an incident (an exercise or not) a minute before [`T0`].
pub fn declare(store: &mut Store, exercise: bool) -> IncidentId {
    let declaration = Declaration {
        issue: Some(id("stolen-user-funds")),
        category: None,
        title: None,
        severity: Severity::S1,
        exercise,
        description: "Funds are leaving the Vault".to_owned(),
        lead: Some(id("ada-example")),
        scribe: Some(id("ben-sample")),
        communications: None,
    };
    ok(store.declare_incident(&declaration, &at("2026-11-24T02:59:00Z"))).id
}

pub fn nonce(n: u8) -> [u8; 32] {
    let mut nonce = [0u8; 32];
    for (i, b) in nonce.iter_mut().enumerate() {
        *b = n.wrapping_mul(31).wrapping_add(i as u8);
    }
    nonce
}

/// Requests `policy` on `incident` at [`T0`], expiring in 4 hours.
pub fn request(store: &mut Store, incident: &IncidentId, policy: &str, n: u8) -> DecisionRequest {
    ok(store.request_decision(
        incident,
        &id(policy),
        "Pause the Vault contract on mainnet",
        Duration::hours(4),
        nonce(n),
        &at(T0),
    ))
}

/// A signature file for `request` made with `key` under `namespace`, as
/// another laptop's `decision sign` would write it.
pub fn signature_in(
    key: &PrivateKey,
    request: &DecisionRequest,
    answer: &Answer,
    namespace: &str,
) -> String {
    let message = match answer {
        Answer::Approve => request.record.as_bytes().to_vec(),
        Answer::Reject { reason } => response_bytes(&request.id, &request.record_sha256, reason),
    };
    let armored = sshsig::sign(key, namespace, &message).unwrap();
    SignatureText {
        decision: request.id.clone(),
        verdict: answer.verdict(),
        reason: answer.reason().to_owned(),
        signer_key: line(key),
        armored,
    }
    .render()
}

/// [`signature_in`] under the request's own namespace.
pub fn signature(key: &PrivateKey, request: &DecisionRequest, answer: &Answer) -> String {
    signature_in(key, request, answer, &request.namespace)
}

/// What a refusal must leave as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub decisions: u32,
    pub signatures: u32,
    pub attestations: u32,
    pub events: u32,
    pub head: String,
}

pub fn counts(store: &Store, incident: &IncidentId) -> Counts {
    let c = store.connection();
    let count = |sql: &str| -> u32 {
        c.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let (events, head) = c
        .query_row(
            "SELECT event_count, head_hash FROM incident WHERE id = ?1",
            [incident.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    Counts {
        decisions: count("SELECT count(*) FROM decision"),
        signatures: count("SELECT count(*) FROM decision_signature"),
        attestations: count("SELECT count(*) FROM decision_attestation"),
        events,
        head,
    }
}

/// Runs `act`, which must be refused with a message containing `expected`,
/// and checks that nothing changed.
pub fn refused<T: std::fmt::Debug>(
    store: &mut Store,
    incident: &IncidentId,
    expected: &str,
    act: impl FnOnce(&mut Store) -> Result<T>,
) {
    let before = counts(store, incident);
    let result = act(store);
    match &result {
        Err(crate::Error::Refused(message)) => assert!(
            message.contains(expected),
            "expected a refusal containing {expected:?}, got: {message}"
        ),
        Err(crate::Error::Invalid { problems, .. }) => assert!(
            problems.iter().any(|p| p.message.contains(expected)),
            "expected a problem containing {expected:?}, got: {problems:?}"
        ),
        other => panic!("expected a refusal containing {expected:?}, got {other:?}"),
    }
    assert_eq!(
        counts(store, incident),
        before,
        "a refusal changed something"
    );
}

/// A requester's laptop with a pause-contract decision that Ada (here) and
/// Ben (by file) approved, Chloe co-signed and Dara rejected (Dara is in the
/// additional pool, so it stays approved).
pub fn approved(dir: &Path) -> (Store, DecisionRequest) {
    let mut store = laptop(dir, "ada-example", None);
    let incident = declare(&mut store, false);
    let r = request(&mut store, &incident, "pause-contract", 1);
    let clock = at("2026-11-24T03:05:00Z");
    ok(store.sign_decision(&r.id, &Answer::Approve, &key_of("ada-example"), &clock));
    for (who, answer) in [
        ("ben-sample", Answer::Approve),
        ("chloe-demo", Answer::Approve),
        (
            "dara-mock",
            Answer::Reject {
                reason: "Pausing also stops liquidations".to_owned(),
            },
        ),
    ] {
        ok(store.import_signature(&signature(&key_of(who), &r, &answer), &clock));
    }
    (store, r)
}
