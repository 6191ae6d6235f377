//! Decisions in the store: requests with their exact record bytes,
//! signatures and attested approvals, each write one transaction that also
//! appends its event to the incident's hash chain. A refusal writes nothing.
//! Exercise incidents get the exercise namespace without being asked.

mod check;

pub(crate) use self::check::key_owner;
mod read;

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use self::read::{load, load_where, signers, status, Stored};
use super::incidents::{append, current, time};
use super::{team, Store};
use crate::clock::Clock;
use crate::decision::bundle;
use crate::decision::model::{
    Answer, DecisionId, DecisionRequest, DecisionStatus, QuorumState, SignatureFile,
};
use crate::decision::record::{
    self, decision_id, one_line, one_line_at, sha256_hex, time_text, Record, SignatureText,
};
use crate::decision::{sshsig, PrivateKey};
use crate::error::{Error, Result};
use crate::incident::chain;
use crate::incident::model::{EventBody, IncidentId, Phase};
use crate::plan::{Id, Plan, Problem};

/// The local setting naming the profile's person (a core member id).
pub const PROFILE_CONTACT: &str = "profile.contact";

/// The longest a request may stay open.
const MAX_EXPIRY: Duration = Duration::days(30);

/// Appends `body` to the incident of `stored` and, when the quorum has
/// just been reached or blocked, a `DecisionResolved` event after it.
fn record_event(
    tx: &Transaction<'_>,
    plan: &Plan,
    stored: &Stored,
    before: QuorumState,
    now: DateTime<Utc>,
    author: &str,
    body: EventBody,
) -> Result<DecisionStatus> {
    let incident = &stored.request.incident;
    append(tx, incident, now, author, body)?;
    let after = status(tx, plan, stored, now)?;
    let resolved = matches!(
        after.quorum.state,
        QuorumState::Approved | QuorumState::Rejected
    );
    if resolved && after.quorum.state != before {
        let body = EventBody::DecisionResolved {
            decision: stored.request.id.clone(),
            state: after.quorum.state,
            summary: after.quorum.summary.clone(),
        };
        append(tx, incident, now, author, body)?;
    }
    Ok(after)
}

/// Refuses to take an answer to a decision closed with its incident.
fn refuse_closed(stored: &Stored) -> Result<()> {
    match stored.closed {
        Some(at) => Err(Error::Refused(format!(
            "{} was closed with {} at {}, still pending: it takes no more answers; reopen the incident and request it again",
            stored.request.id,
            stored.request.incident,
            time_text(at)
        ))),
        None => Ok(()),
    }
}

/// Closes the decisions of `incident` still pending as it closed: each
/// keeps the closing's time, reads "closed" from then on, and gets a
/// `DecisionResolved` line (state `closed`) on this laptop's timeline.
/// Called wherever an incident comes to be closed here — by an action on
/// this laptop, or a teammate's — and when a teammate's request arrives for
/// an incident closed here already. What is judged is the incident's latest
/// closing as recorded (the laptop that closed it wrote its time), not the
/// moment it reached this laptop: a request that had expired by then stays
/// expired, and one made after that closing (after a reopen this laptop has
/// not heard of yet) is not closed.
pub(super) fn close_pending(
    tx: &Transaction<'_>,
    plan: &Plan,
    incident: &IncidentId,
    now: DateTime<Utc>,
    author: &str,
) -> Result<()> {
    let state = current(tx, incident)?;
    let Some(closed) = state
        .phases
        .iter()
        .rev()
        .find(|p| p.phase == Phase::Closed)
        .map(|p| p.at)
        .filter(|_| state.phase == Phase::Closed)
    else {
        return Ok(());
    };
    let open = load_where(
        tx,
        plan,
        "incident = ?1 AND NOT EXISTS (SELECT 1 FROM decision_closed c WHERE c.decision = decision.id)",
        incident.as_str(),
    )?;
    for mut stored in open {
        if stored.request.created > closed
            || status(tx, plan, &stored, closed)?.quorum.state != QuorumState::Pending
        {
            continue;
        }
        tx.execute(
            "INSERT INTO decision_closed (decision, closed_at) VALUES (?1, ?2)",
            params![stored.request.id.as_str(), chain::timestamp(closed)],
        )?;
        stored.closed = Some(closed);
        let after = status(tx, plan, &stored, now)?;
        let body = EventBody::DecisionResolved {
            decision: stored.request.id.clone(),
            state: after.quorum.state,
            summary: after.quorum.summary,
        };
        append(tx, incident, now, author, body)?;
    }
    Ok(())
}

fn next_number(tx: &Transaction<'_>, table: &str, id: &DecisionId) -> Result<u32> {
    Ok(tx.query_row(
        &format!("SELECT COALESCE(MAX(number), 0) + 1 FROM {table} WHERE decision = ?1"),
        [id.as_str()],
        |r| r.get(0),
    )?)
}

/// `at` without its fraction of a second: the record's precision.
fn whole_seconds(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// How a request is stored: made (or taken from the team) here, or
/// imported to be signed; by whom, when, and under which roster version
/// (`None`: the one in force now).
struct Storing<'a> {
    local: bool,
    author: &'a str,
    now: DateTime<Utc>,
    roster_version: Option<u64>,
}

fn insert_request(
    tx: &Transaction<'_>,
    record: &Record,
    bytes: &[u8],
    policy_json: &[u8],
    storing: Storing<'_>,
) -> Result<()> {
    let Storing {
        local,
        author,
        now,
        roster_version,
    } = storing;
    // The roster in force as it was requested judges its signers.
    let roster_version = match roster_version {
        Some(v) => Some(v),
        None => super::team::roster::in_force(tx)?.map(|r| r.version),
    };
    tx.execute(
        "INSERT INTO decision (id, incident, policy, policy_json, namespace, statement,
                               created_at, expires_at, record, record_sha256, local,
                               requested_by, stored_at, roster_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            record.decision.as_str(),
            record.incident.as_str(),
            record.policy.as_str(),
            policy_json,
            record.namespace,
            record.statement,
            time_text(record.created),
            time_text(record.expires),
            bytes,
            sha256_hex(bytes),
            local,
            author,
            chain::timestamp(now),
            roster_version.and_then(|v| i64::try_from(v).ok()),
        ],
    )?;
    Ok(())
}

impl Store {
    /// The profile's person in the plan (a core member id), if set.
    pub fn profile_contact(&self) -> Result<Option<Id>> {
        Ok(self
            .setting(PROFILE_CONTACT)?
            .and_then(|c| Id::parse(&c).ok()))
    }

    /// Says who this profile is in the plan: `contact` must be a core member,
    /// whose name becomes the author of every change recorded here.
    pub fn set_profile_contact(&mut self, contact: &Id) -> Result<()> {
        let plan = self.current()?;
        let Some(member) = plan.core_team.iter().find(|m| &m.id == contact) else {
            return Err(Error::NotFound {
                what: "core team member",
                id: contact.to_string(),
            });
        };
        self.set_setting(PROFILE_CONTACT, Some(contact.as_str()))?;
        // One identity per profile: who signs here is who every change
        // recorded here is by.
        if !member.name.trim().is_empty() {
            self.set_profile_name(&member.name)?;
        }
        Ok(())
    }

    /// Requests approval of `statement` under `policy` on `incident`,
    /// expiring `expires_in` from now. `nonce` is fresh randomness (the
    /// decision's id is made from it). Appends `DecisionRequested`.
    pub fn request_decision(
        &mut self,
        incident: &IncidentId,
        policy: &Id,
        statement: &str,
        expires_in: Duration,
        nonce: [u8; 32],
        clock: &dyn Clock,
    ) -> Result<DecisionRequest> {
        let now = clock.now();
        // Every problem of the request at once, each at its field.
        let mut problems = Vec::new();
        let at = |field, message| Problem::at("decision request", "", field, message);
        let statement = match one_line(statement, "statement") {
            Ok(statement) => statement,
            Err(e) => {
                problems.push(at("statement", e));
                String::new()
            }
        };
        if expires_in < Duration::minutes(1) || expires_in > MAX_EXPIRY {
            problems.push(at(
                "expiresInMinutes",
                format!(
                    "a request expires between 1 minute and 30 days after it is made, not {} minutes: choose another expiry",
                    expires_in.num_minutes()
                ),
            ));
        }
        let author = self.author.clone();
        let id = decision_id(&nonce);
        let created = whole_seconds(now);
        // The policy and the plan as they stand inside the transaction, so the
        // record binds what another process may have committed just before.
        self.with_plan_tx(|tx, plan| {
            let found = plan.decision(policy);
            match found {
                None => problems.push(at(
                    "policy",
                    format!("no decision policy has the id `{policy}`"),
                )),
                Some(p) if p.required.is_empty() && p.additional_needed == 0 => problems.push(at(
                    "policy",
                    format!(
                        "the decision policy `{}` names no approver: add its approvers to the plan first",
                        p.id
                    ),
                )),
                Some(_) => {}
            }
            let (Some(policy), true) = (found, problems.is_empty()) else {
                return Err(Error::Invalid {
                    what: "decision request",
                    problems,
                });
            };
            let json = |what: &str, r: serde_json::Result<Vec<u8>>| {
                r.map_err(|e| Error::Corrupt(format!("the {what} could not be hashed: {e}")))
            };
            let policy_json = json("policy", serde_json::to_vec(policy))?;
            let plan_json = json("plan", serde_json::to_vec(plan))?;
            let state = current(tx, incident)?;
            if state.phase == Phase::Closed {
                return Err(Error::Refused(format!(
                    "{incident} is closed: reopen it to request a decision"
                )));
            }
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM decision WHERE id = ?1)",
                [id.as_str()],
                |r| r.get(0),
            )?;
            if taken {
                return Err(Error::Refused(format!(
                    "a decision {id} exists already: the nonce was used before; draw a fresh one"
                )));
            }
            let record = Record {
                namespace: record::namespace(state.exercise).to_owned(),
                decision: id.clone(),
                incident: incident.clone(),
                policy: policy.id.clone(),
                policy_version: sha256_hex(&policy_json),
                plan: sha256_hex(&plan_json),
                statement: statement.clone(),
                created,
                expires: whole_seconds(created + expires_in),
                nonce,
            };
            let bytes = record.to_bytes();
            insert_request(tx, &record, &bytes, &policy_json, Storing { local: true, author: &author, now, roster_version: None })?;
            let body = EventBody::DecisionRequested {
                decision: id.clone(),
                policy: policy.id.clone(),
                statement: statement.clone(),
                expires: record.expires,
                record_sha256: sha256_hex(&bytes),
            };
            append(tx, incident, now, &author, body)?;
            team::record_decision_request(tx, &record, &bytes, now)?;
            Ok(())
        })?;
        let plan = self.current()?;
        Ok(load(&self.conn, &plan, &id)?.request)
    }

    /// Takes in a request file made on another computer, to sign it here.
    /// Importing the same file again changes nothing.
    pub fn import_request(&mut self, bytes: &[u8], clock: &dyn Clock) -> Result<DecisionRequest> {
        let now = clock.now();
        let record = Record::parse(bytes)?;
        let id = record.decision.clone();
        if now > record.expires {
            return Err(Error::Refused(format!(
                "the request {id} expired at {}: ask the requester for a new one",
                time_text(record.expires)
            )));
        }
        let plan = self.current()?;
        let policy = plan.decision(&record.policy).ok_or_else(|| {
            Error::Refused(format!(
                "the request {id} is under the decision policy `{}`, which this plan does not have: import the requester's plan first",
                record.policy
            ))
        })?;
        let policy_json = serde_json::to_vec(policy)
            .map_err(|e| Error::Corrupt(format!("the policy could not be stored: {e}")))?;
        let author = self.author.clone();
        self.with_tx(|tx| {
            let known: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT record FROM decision WHERE id = ?1",
                    [id.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            match known {
                Some(stored) if stored == bytes => Ok(()),
                Some(_) => Err(Error::Refused(format!(
                    "another request with the id {id} is stored here: this file differs from it (altered?)"
                ))),
                None => insert_request(tx, &record, bytes, &policy_json, Storing { local: false, author: &author, now, roster_version: None }),
            }
        })?;
        Ok(load(&self.conn, &plan, &id)?.request)
    }

    /// Signs decision `id` with `signer` (the profile's key, from the
    /// keychain), which must be the profile contact's current key in the
    /// plan. Returns the signature file; when the request was made here, it
    /// is also taken in at once, as [`Store::import_signature`] would.
    pub fn sign_decision(
        &mut self,
        id: &DecisionId,
        answer: &Answer,
        signer: &PrivateKey,
        clock: &dyn Clock,
    ) -> Result<SignatureFile> {
        let now = clock.now();
        let plan = self.current()?;
        let stored = load(&self.conn, &plan, id)?;
        refuse_closed(&stored)?;
        let request = &stored.request;
        if now > request.expires {
            return Err(Error::Refused(format!(
                "{id} expired at {}: it can no longer be signed; ask for a new request",
                time_text(request.expires)
            )));
        }
        let Some(contact) = self.profile_contact()? else {
            return Err(Error::Refused(
                "this profile does not say who you are in the plan: run `muster key init --as CONTACT` first"
                    .to_owned(),
            ));
        };
        let Some(member) = plan.core_team.iter().find(|m| m.id == contact) else {
            return Err(Error::Refused(format!(
                "this profile is `{contact}`, who is not in the plan's core team: run `muster key init --as CONTACT` with your core team id"
            )));
        };
        let key = signer.public_key();
        let fingerprint = sshsig::fingerprint(key);
        let current = member
            .public_key
            .as_deref()
            .and_then(|k| sshsig::parse_public_key(k).ok());
        if !current.as_ref().is_some_and(|c| sshsig::same_key(c, key)) {
            let retired = member.retired_keys.iter().find(|r| {
                sshsig::parse_public_key(&r.key).is_ok_and(|k| sshsig::same_key(&k, key))
            });
            return Err(Error::Refused(match (retired, current) {
                (Some(r), _) => format!(
                    "your key {fingerprint} was retired on {}: {} signs with the current key in the plan; check the keychain holds it",
                    time_text(r.retired_from),
                    member.name
                ),
                (None, None) => format!(
                    "{} has no public key in the plan: run `muster key init --as {contact}`, then share the plan",
                    member.name
                ),
                (None, Some(c)) => format!(
                    "your key {fingerprint} is not {}'s current key in the plan ({}): import the latest plan, or set up your key again",
                    member.name,
                    sshsig::fingerprint(&c)
                ),
            }));
        }
        let policy = stored.policy()?;
        if !check::is_approver(&policy, &contact) {
            return Err(check::not_an_approver(&member.name, &contact, &policy));
        }
        if request.local {
            if let Some((_, verdict)) = signers(&self.conn, id)?.iter().find(|(c, _)| c == &contact)
            {
                return Err(Error::Refused(format!(
                    "{} has already signed {id} ({}d): a person counts once",
                    member.name,
                    verdict.as_str()
                )));
            }
        }
        let reason = match answer {
            Answer::Approve => String::new(),
            Answer::Reject { reason } => {
                one_line_at(reason, "rejection's reason", "answer", "reason")?
            }
        };
        let verdict = answer.verdict();
        let message = check::message(request, verdict, &reason);
        let armored = sshsig::sign(signer, &request.namespace, &message).map_err(Error::Refused)?;
        let text = SignatureText {
            decision: id.clone(),
            verdict,
            reason: reason.clone(),
            signer_key: sshsig::public_line(key),
            armored,
        }
        .render();
        if request.local {
            self.import_signature(&text, clock)?;
        }
        Ok(SignatureFile {
            decision: id.clone(),
            signer: contact,
            verdict,
            reason,
            fingerprint,
            text,
        })
    }

    /// Takes in a signature file after every check (see `check::signature`),
    /// appending `DecisionSigned` (and `DecisionResolved` when it settles
    /// the quorum). In a team, the signature travels to every laptop.
    pub fn import_signature(&mut self, text: &str, clock: &dyn Clock) -> Result<DecisionStatus> {
        let now = clock.now();
        let file = SignatureText::parse(text)?;
        let author = self.author.clone();
        self.with_plan_tx(|tx, plan| {
            refuse_closed(&load(tx, plan, &file.decision)?)?;
            let status = take_signature(tx, plan, &file, now, &author)?;
            team::record_decision_signature(tx, &file.decision, text, now)?;
            Ok(status)
        })
    }

    /// Records that `approver` approved `id` without a signature (through
    /// `channel`, at `approved_at`, heard by `witness`): UNSIGNED, counted
    /// only where the policy allows attested approvals. In a team, the
    /// attestation travels to every laptop, which checks it again.
    pub fn attest_approval(
        &mut self,
        id: &DecisionId,
        approver: &Id,
        channel: &str,
        approved_at: DateTime<Utc>,
        witness: &Id,
        clock: &dyn Clock,
    ) -> Result<DecisionStatus> {
        let now = clock.now();
        let author = self.author.clone();
        let attestation = Attestation {
            approver: approver.clone(),
            channel: channel.to_owned(),
            approved_at,
            witness: witness.clone(),
        };
        self.with_plan_tx(|tx, plan| {
            refuse_closed(&load(tx, plan, id)?)?;
            let status = take_attestation(tx, plan, id, &attestation, now, &author)?;
            team::record_decision_attestation(tx, id, &attestation, now)?;
            Ok(status)
        })
    }

    /// A stored request (to export it as a file: its `record` is the file).
    pub fn decision_request(&mut self, id: &DecisionId) -> Result<DecisionRequest> {
        let plan = self.current()?;
        Ok(load(&self.conn, &plan, id)?.request)
    }

    /// Where decision `id` stands at the clock's now.
    pub fn decision_status(
        &mut self,
        id: &DecisionId,
        clock: &dyn Clock,
    ) -> Result<DecisionStatus> {
        let plan = self.current()?;
        let stored = load(&self.conn, &plan, id)?;
        status(&self.conn, &plan, &stored, clock.now())
    }

    /// The decisions requested here on `incident`, oldest first.
    pub fn decisions_for(
        &mut self,
        incident: &IncidentId,
        clock: &dyn Clock,
    ) -> Result<Vec<DecisionStatus>> {
        let plan = self.current()?;
        let now = clock.now();
        load_where(
            &self.conn,
            &plan,
            "local = 1 AND incident = ?1",
            incident.as_str(),
        )?
        .iter()
        .map(|s| status(&self.conn, &plan, s, now))
        .collect()
    }

    /// Every stored decision, requested here or imported, oldest first.
    pub fn decisions(&mut self, clock: &dyn Clock) -> Result<Vec<DecisionStatus>> {
        let plan = self.current()?;
        let now = clock.now();
        load_where(&self.conn, &plan, "?1 = ?1", "")?
            .iter()
            .map(|s| status(&self.conn, &plan, s, now))
            .collect()
    }

    /// Writes decision `id`'s approval bundle into `dir` (new or empty);
    /// see `decision::bundle`.
    pub fn write_bundle(&mut self, id: &DecisionId, dir: &Path, clock: &dyn Clock) -> Result<()> {
        let plan = self.current()?;
        let stored = load(&self.conn, &plan, id)?;
        if !stored.request.local {
            return Err(Error::Refused(format!(
                "{id} was requested on another computer: its bundle is written there, where the signatures are collected"
            )));
        }
        let contents = read::bundle_contents(&self.conn, &plan, &stored, clock.now())?;
        bundle::write(dir, &contents)
    }
}

/// An approval given without a signature, as the person who heard it
/// records it; what travels to the team for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attestation {
    pub approver: Id,
    pub channel: String,
    pub approved_at: DateTime<Utc>,
    pub witness: Id,
}

/// Records `attestation` of decision `id` inside `tx` after every check (see
/// `check::attestation`), appending `DecisionAttested` (and
/// `DecisionResolved` when it settles the quorum) on this laptop.
pub(super) fn take_attestation(
    tx: &Transaction<'_>,
    plan: &Plan,
    id: &DecisionId,
    attestation: &Attestation,
    now: DateTime<Utc>,
    author: &str,
) -> Result<DecisionStatus> {
    let Attestation {
        approver,
        channel,
        approved_at,
        witness,
    } = attestation;
    let approved_at = *approved_at;
    let (channel, channel_problem) = match one_line(channel, "channel") {
        Ok(channel) => (channel, None),
        Err(problem) => (String::new(), Some(problem)),
    };
    let stored = load(tx, plan, id)?;
    let policy = stored.policy()?;
    let before = status(tx, plan, &stored, now)?;
    let attested: Vec<Id> = before
        .attestations
        .iter()
        .map(|a| a.approver.clone())
        .collect();
    let (name, witness_name) = check::attestation(
        plan,
        &stored.request,
        &policy,
        approver,
        witness,
        approved_at,
        channel_problem,
        &signers(tx, id)?,
        &attested,
        now,
    )?;
    tx.execute(
        "INSERT INTO decision_attestation (decision, number, approver, approver_name,
                channel, approved_at, witness, witness_name, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id.as_str(),
            next_number(tx, "decision_attestation", id)?,
            approver.as_str(),
            name,
            channel,
            chain::timestamp(approved_at),
            witness.as_str(),
            witness_name,
            author,
            chain::timestamp(now),
        ],
    )?;
    let body = EventBody::DecisionAttested {
        decision: id.clone(),
        approver: approver.clone(),
        name,
        channel,
        approved_at: time(&chain::timestamp(approved_at)).unwrap_or(approved_at),
        witness: witness.clone(),
        witness_name,
    };
    record_event(tx, plan, &stored, before.quorum.state, now, author, body)
}

/// Takes in the signature `file` inside `tx` after every check (see
/// `check::signature`), appending `DecisionSigned` (and `DecisionResolved`
/// when it settles the quorum) to the incident's timeline on this laptop.
pub(super) fn take_signature(
    tx: &Transaction<'_>,
    plan: &Plan,
    file: &SignatureText,
    now: DateTime<Utc>,
    author: &str,
) -> Result<DecisionStatus> {
    let stored = load(tx, plan, &file.decision)?;
    let policy = stored.policy()?;
    let others: Vec<DecisionRequest> = load_where(tx, plan, "id <> ?1", file.decision.as_str())?
        .into_iter()
        .map(|s| s.request)
        .collect();
    let signed = signers(tx, &file.decision)?;
    let accepted = check::signature(plan, &stored.request, &policy, file, &others, &signed, now)?;
    super::team::roster::judge_signer(
        tx,
        &stored.request.id,
        &stored.request.policy,
        &accepted.contact,
        &accepted.public_key,
    )?;
    let before = status(tx, plan, &stored, now)?.quorum.state;
    let id = &stored.request.id;
    tx.execute(
        "INSERT INTO decision_signature (decision, number, contact, name, verdict, reason,
                public_key, fingerprint, signature, response, imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id.as_str(),
            next_number(tx, "decision_signature", id)?,
            accepted.contact.as_str(),
            accepted.name,
            file.verdict.as_str(),
            file.reason,
            accepted.public_key,
            accepted.fingerprint,
            file.armored,
            accepted.response,
            chain::timestamp(now),
            author,
        ],
    )?;
    let body = EventBody::DecisionSigned {
        decision: id.clone(),
        signer: accepted.contact,
        name: accepted.name,
        verdict: file.verdict,
        reason: file.reason.clone(),
        fingerprint: accepted.fingerprint,
    };
    record_event(tx, plan, &stored, before, now, author, body)
}

/// Takes in a teammate's request inside `tx`, as if requested here (its
/// signatures are collected on every laptop of the team), appending
/// `DecisionRequested` to the incident's timeline. Taking the same request
/// again changes nothing.
pub(super) fn take_request(
    tx: &Transaction<'_>,
    plan: &Plan,
    bytes: &[u8],
    now: DateTime<Utc>,
    author: &str,
    roster_version: Option<u64>,
) -> Result<()> {
    let record = Record::parse(bytes)?;
    let id = &record.decision;
    let known: Option<Vec<u8>> = tx
        .query_row(
            "SELECT record FROM decision WHERE id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    match known {
        Some(stored) if stored == bytes => return Ok(()),
        Some(_) => {
            return Err(Error::Refused(format!(
            "another request with the id {id} is stored here: this one differs from it (altered?)"
        )))
        }
        None => {}
    }
    let policy = plan.decision(&record.policy).ok_or_else(|| {
        Error::Refused(format!(
            "the request {id} is under the decision policy `{}`, which this plan does not have: the plans differ",
            record.policy
        ))
    })?;
    let policy_json = serde_json::to_vec(policy)
        .map_err(|e| Error::Corrupt(format!("the policy could not be stored: {e}")))?;
    current(tx, &record.incident)?;
    insert_request(
        tx,
        &record,
        bytes,
        &policy_json,
        Storing {
            local: true,
            author,
            now,
            roster_version,
        },
    )?;
    let body = EventBody::DecisionRequested {
        decision: id.clone(),
        policy: record.policy.clone(),
        statement: record.statement.clone(),
        expires: record.expires,
        record_sha256: sha256_hex(bytes),
    };
    append(tx, &record.incident, now, author, body)?;
    Ok(())
}
