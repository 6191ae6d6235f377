//! Reading decisions back: a request with the exact bytes it was stored
//! with, its signatures and attested approvals, and the quorum they reach
//! at a given time. Shared by the writes (inside their transaction) and the
//! queries.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::super::incidents::time;
use super::check;
use crate::decision::bundle::{AllowedSigner, Contents, SignedPart};
use crate::decision::model::{
    Attestation, DecisionId, DecisionRequest, DecisionStatus, SignatureInfo, Verdict,
};
use crate::decision::quorum::{self, Vote};
use crate::decision::{record, sshsig};
use crate::error::{Error, Result};
use crate::incident::model::IncidentId;
use crate::plan::{DecisionPolicy, Id, Plan};

/// A stored request, with the bytes it was stored with.
pub(super) struct Stored {
    pub request: DecisionRequest,
    pub policy_json: Vec<u8>,
    /// When it was closed with its incident, still pending.
    pub closed: Option<DateTime<Utc>>,
}

impl Stored {
    pub fn policy(&self) -> Result<DecisionPolicy> {
        serde_json::from_slice(&self.policy_json).map_err(|e| {
            Error::Corrupt(format!(
                "the policy stored with {} cannot be read: {e}",
                self.request.id
            ))
        })
    }
}

/// One stored signature, with what a bundle needs.
pub(super) struct StoredSignature {
    pub info: SignatureInfo,
    pub armored: String,
    pub response: Option<Vec<u8>>,
}

const REQUEST_COLUMNS: &str = "id, incident, policy, policy_json, namespace, statement,
     created_at, expires_at, record, record_sha256, local, requested_by,
     (SELECT closed_at FROM decision_closed c WHERE c.decision = decision.id)";

fn request_row(plan: &Plan, r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Stored>> {
    let id: String = r.get(0)?;
    let policy: String = r.get(2)?;
    let record: Vec<u8> = r.get(8)?;
    let created: String = r.get(6)?;
    let expires: String = r.get(7)?;
    let namespace: String = r.get(4)?;
    let closed: Option<String> = r.get(12)?;
    let bad = |what: &str| Error::Corrupt(format!("decision {id} has an unreadable {what}"));
    let parsed = (|| -> Result<Stored> {
        let policy = Id::parse(&policy).map_err(|_| bad("policy"))?;
        Ok(Stored {
            request: DecisionRequest {
                policy_title: plan
                    .decision(&policy)
                    .map_or_else(|| policy.to_string(), |p| p.title.clone()),
                policy,
                incident: IncidentId(r.get(1)?),
                statement: r.get(5)?,
                exercise: namespace == record::EXERCISE_NAMESPACE,
                namespace,
                created: time(&created).ok_or_else(|| bad("creation time"))?,
                expires: time(&expires).ok_or_else(|| bad("expiry"))?,
                record: String::from_utf8(record).map_err(|_| bad("record"))?,
                record_sha256: r.get(9)?,
                local: r.get(10)?,
                requested_by: r.get(11)?,
                id: DecisionId(id.clone()),
            },
            policy_json: r.get(3)?,
            closed: match closed {
                Some(text) => Some(time(&text).ok_or_else(|| bad("closing time"))?),
                None => None,
            },
        })
    })();
    Ok(parsed)
}

pub(super) fn load(conn: &Connection, plan: &Plan, id: &DecisionId) -> Result<Stored> {
    conn.query_row(
        &format!("SELECT {REQUEST_COLUMNS} FROM decision WHERE id = ?1"),
        [id.as_str()],
        |r| request_row(plan, r),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        what: "decision",
        id: id.to_string(),
    })?
}

pub(super) fn load_where(
    conn: &Connection,
    plan: &Plan,
    filter: &str,
    arg: &str,
) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {REQUEST_COLUMNS} FROM decision WHERE {filter} ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([arg], |r| request_row(plan, r))?;
    rows.map(|r| r?).collect()
}

pub(super) fn signatures(conn: &Connection, id: &DecisionId) -> Result<Vec<StoredSignature>> {
    let mut stmt = conn.prepare(
        "SELECT number, contact, name, verdict, reason, fingerprint, public_key, imported_at,
                imported_by, signature, response
         FROM decision_signature WHERE decision = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map([id.as_str()], |r| {
        Ok((
            (r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get(2)?),
            (r.get::<_, String>(3)?, r.get(4)?, r.get(5)?, r.get(6)?),
            (r.get::<_, String>(7)?, r.get(8)?, r.get(9)?, r.get(10)?),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let ((number, contact, name), (verdict, reason, fingerprint, public_key), rest) = row?;
        let (imported, imported_by, armored, response) = rest;
        let bad = |what: &str| {
            Error::Corrupt(format!(
                "signature {number} of {id} has an unreadable {what}"
            ))
        };
        out.push(StoredSignature {
            info: SignatureInfo {
                number,
                contact: Id::parse(&contact).map_err(|_| bad("contact"))?,
                name,
                verdict: Verdict::parse(&verdict).ok_or_else(|| bad("verdict"))?,
                reason,
                fingerprint,
                public_key,
                imported_at: time(&imported).ok_or_else(|| bad("time"))?,
                imported_by,
            },
            armored,
            response,
        });
    }
    Ok(out)
}

pub(super) fn attestations(
    conn: &Connection,
    id: &DecisionId,
    policy: &DecisionPolicy,
) -> Result<Vec<Attestation>> {
    let mut stmt = conn.prepare(
        "SELECT number, approver, approver_name, channel, approved_at, witness, witness_name,
                recorded_by, recorded_at
         FROM decision_attestation WHERE decision = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map([id.as_str()], |r| {
        Ok((
            (
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
            ),
            (r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get(6)?),
            (r.get(7)?, r.get::<_, String>(8)?),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let ((number, approver, approver_name, channel), (approved, witness, witness_name), rest) =
            row?;
        let (recorded_by, recorded) = rest;
        let bad = |what: &str| {
            Error::Corrupt(format!(
                "attested approval {number} of {id} has an unreadable {what}"
            ))
        };
        out.push(Attestation {
            number,
            approver: Id::parse(&approver).map_err(|_| bad("approver"))?,
            approver_name,
            channel,
            approved_at: time(&approved).ok_or_else(|| bad("time"))?,
            witness: Id::parse(&witness).map_err(|_| bad("witness"))?,
            witness_name,
            recorded_by,
            recorded_at: time(&recorded).ok_or_else(|| bad("time"))?,
            counts: policy.attested_allowed,
        });
    }
    Ok(out)
}

/// The decision's status at `now`.
pub(super) fn status(
    conn: &Connection,
    plan: &Plan,
    stored: &Stored,
    now: DateTime<Utc>,
) -> Result<DecisionStatus> {
    let policy = stored.policy()?;
    let id = &stored.request.id;
    let signatures: Vec<SignatureInfo> =
        signatures(conn, id)?.into_iter().map(|s| s.info).collect();
    let attestations = attestations(conn, id, &policy)?;
    let votes: Vec<Vote> = signatures
        .iter()
        .map(|s| Vote {
            contact: s.contact.clone(),
            verdict: s.verdict,
            signed: true,
        })
        .chain(attestations.iter().map(|a| Vote {
            contact: a.approver.clone(),
            verdict: Verdict::Approve,
            signed: false,
        }))
        .collect();
    let name = |c: &Id| {
        plan.contact_name(c)
            .map(str::to_owned)
            .or_else(|| {
                signatures
                    .iter()
                    .find(|s| &s.contact == c)
                    .map(|s| s.name.clone())
            })
            .unwrap_or_else(|| c.to_string())
    };
    let open = match stored.closed {
        Some(_) => quorum::Open::Closed,
        None => quorum::Open::unless_expired(now > stored.request.expires),
    };
    let quorum = quorum::evaluate(&policy, &votes, open, &name);
    Ok(DecisionStatus {
        request: stored.request.clone(),
        quorum,
        signatures,
        attestations,
    })
}

/// Who has signed `id` so far, and how.
pub(super) fn signers(conn: &Connection, id: &DecisionId) -> Result<Vec<(Id, Verdict)>> {
    Ok(signatures(conn, id)?
        .into_iter()
        .map(|s| (s.info.contact, s.info.verdict))
        .collect())
}

/// What the bundle of `stored` is written from, as of `now`.
pub(super) fn bundle_contents(
    conn: &Connection,
    plan: &Plan,
    stored: &Stored,
    now: DateTime<Utc>,
) -> Result<Contents> {
    let id = &stored.request.id;
    let status = status(conn, plan, stored, now)?;
    let stored_signatures = signatures(conn, id)?;
    let mut allowed: Vec<AllowedSigner> = Vec::new();
    for s in &stored_signatures {
        let key = sshsig::parse_public_key(&s.info.public_key).map_err(|e| {
            Error::Corrupt(format!(
                "the key of signature {} of {id}: {e}",
                s.info.number
            ))
        })?;
        let valid_before = check::key_owner(plan, &key).and_then(|(_, retired)| retired);
        let signer = AllowedSigner {
            principal: s.info.contact.clone(),
            key: s.info.public_key.clone(),
            valid_before,
        };
        if !allowed.contains(&signer) {
            allowed.push(signer);
        }
    }
    Ok(Contents {
        record: stored.request.record.as_bytes().to_vec(),
        policy: stored.policy()?,
        policy_json: stored.policy_json.clone(),
        signatures: stored_signatures
            .into_iter()
            .map(|s| SignedPart {
                number: s.info.number,
                contact: s.info.contact,
                verdict: s.info.verdict,
                armored: s.armored,
                response: s.response,
                imported_at: s.info.imported_at,
            })
            .collect(),
        allowed,
        status,
        at: now,
        roster: crate::store::team::roster::bundle_roster(conn, id)?,
    })
}
