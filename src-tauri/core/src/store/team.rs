//! The team folder in the store: who this laptop is in the team, the events
//! written here waiting to be signed and published, and the intake that
//! takes teammates' events into the local timelines.
//!
//! Every incident event written here (a declaration, a step, an update…)
//! also becomes a team event in the same transaction, its parents the heads
//! of the incident's thread this laptop knows. Signing needs the person's
//! key, which lives in the OS keychain: the shell signs what
//! [`Store::team_outbox`] lists and hands the file back with
//! [`Store::team_signed`]; until then the event waits, and work never does.
//!
//! Taking in ([`Store::take_in`]) stores every verified event once, then
//! applies each incident thread's events in their shared causal order as
//! soon as their parents are here: a teammate's declaration becomes an
//! incident here, their steps and updates events on its timeline.

pub(super) mod exercise;
pub(super) mod plan;
pub(crate) mod roster;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::incidents::{self, Team};
use super::{Store, PROFILE_CONTACT};
use crate::clock::Clock;
use crate::decision::model::DecisionId;
use crate::decision::record::{Record, SignatureText};
use crate::error::{Error, Result};
use crate::incident::chain;
use crate::incident::model::{Event, EventBody, IncidentId};
use crate::plan::{Id, Plan};
use crate::team::folder::Scan;
use crate::team::{order, Envelope, EventId, Writer};

/// The setting naming the team folder.
pub const TEAM_FOLDER: &str = "team.folder";
/// The setting naming this laptop in the team.
pub const TEAM_DEVICE: &str = "team.device";
/// The kind of a team event that carries an incident event.
pub const INCIDENT_EVENT: &str = "incident.event";
/// The kind of a team event that carries a decision request's record.
pub const DECISION_REQUEST: &str = "decision.request";
/// The kind of a team event that carries a signature file.
pub const DECISION_SIGNATURE: &str = "decision.signature";
/// The kind of a team event that carries an approval recorded without a
/// signature (attested).
pub const DECISION_ATTESTATION: &str = "decision.attestation";

thread_local! {
    /// Set while taking in: what is applied from the folder is not recorded
    /// again as this laptop's own event.
    static TAKING_IN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Sets [`TAKING_IN`] while alive, and clears it however the intake ends.
struct TakingIn;

impl TakingIn {
    fn start() -> TakingIn {
        TAKING_IN.with(|t| t.set(true));
        TakingIn
    }
}

impl Drop for TakingIn {
    fn drop(&mut self) {
        TAKING_IN.with(|t| t.set(false));
    }
}

/// The thread of a decision's team events.
pub fn decision_thread(id: &DecisionId) -> String {
    format!("decision/{id}")
}

/// This laptop in the team: the folder, whose key signs, which device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamProfile {
    pub folder: String,
    pub person: Id,
    pub device: String,
}

/// A teammate's laptop, as the folder has heard from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Heard {
    pub person: Id,
    pub device: String,
    pub events: u32,
    /// When its latest event was written (its own clock).
    pub last_written: DateTime<Utc>,
    /// When this laptop took in its latest event.
    pub last_received: DateTime<Utc>,
}

/// What the team folder holds for this laptop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamStatus {
    pub profile: Option<TeamProfile>,
    /// Events written here and not signed yet (the keychain was locked…).
    pub unsigned: u32,
    /// Events written here and signed.
    pub published: u32,
    /// Teammates' events taken in.
    pub received: u32,
    /// Taken-in events waiting for their parents to arrive.
    pub waiting: u32,
    /// Taken-in events that could not be applied, with why.
    pub not_applied: Vec<String>,
    pub teammates: Vec<Heard>,
}

/// What one intake did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Intake {
    /// Events new to this laptop.
    pub new: usize,
    /// Incidents that changed.
    pub incidents: Vec<IncidentId>,
    /// Events still waiting for their parents.
    pub waiting: usize,
    /// Teammates' plan changes applied.
    pub plan_changes: usize,
    /// What kept the plan from being merged as the thread says.
    pub plan_problems: Vec<String>,
}

/// What a team event of kind [`INCIDENT_EVENT`] carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentBody {
    incident: IncidentId,
    event: EventBody,
}

/// The thread of an incident's team events.
pub fn incident_thread(id: &IncidentId) -> String {
    format!("incident/{id}")
}

fn setting(tx: &Transaction<'_>, key: &str) -> Result<Option<String>> {
    Ok(tx
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The team profile, read inside `tx`.
pub(super) fn profile(tx: &Transaction<'_>) -> Result<Option<TeamProfile>> {
    let (Some(folder), Some(device), Some(person)) = (
        setting(tx, TEAM_FOLDER)?,
        setting(tx, TEAM_DEVICE)?,
        setting(tx, PROFILE_CONTACT)?,
    ) else {
        return Ok(None);
    };
    let Ok(person) = Id::parse(&person) else {
        return Ok(None);
    };
    Ok(Some(TeamProfile {
        folder,
        person,
        device,
    }))
}

/// The envelopes of `thread` this laptop knows.
fn thread_envelopes(tx: &Transaction<'_>, thread: &str) -> Result<BTreeMap<EventId, Envelope>> {
    let mut stmt = tx.prepare("SELECT id, envelope FROM team_event WHERE thread = ?1")?;
    let rows = stmt.query_map([thread], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (id, text) = row?;
        let envelope: Envelope = serde_json::from_str(&text)
            .map_err(|e| Error::Corrupt(format!("team event {id} cannot be read: {e}")))?;
        out.insert(EventId(id), envelope);
    }
    Ok(out)
}

fn insert(
    tx: &Transaction<'_>,
    id: &EventId,
    envelope: &Envelope,
    file: Option<&[u8]>,
    origin: &str,
    now: DateTime<Utc>,
    applied: Option<&str>,
) -> Result<()> {
    let text = String::from_utf8(envelope.canonical()).unwrap_or_default();
    tx.execute(
        "INSERT INTO team_event (id, thread, author, device, seq, lamport, at, kind, envelope,
                                 file, origin, received_at, applied, parents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            id.0,
            envelope.thread,
            envelope.author.as_str(),
            envelope.device,
            envelope.seq as i64,
            envelope.lamport as i64,
            chain::timestamp(envelope.at),
            envelope.kind,
            text,
            file,
            origin,
            chain::timestamp(now),
            applied,
            serde_json::to_string(&envelope.parents).unwrap_or_else(|_| "[]".to_owned())
        ],
    )?;
    Ok(())
}

/// When this laptop is in a team: the team event `event` (an incident event
/// just written here) becomes, recorded unsigned in the outbox; its id.
/// Whether `body` stays on the laptop that wrote it. A reminder this laptop
/// showed is its own: each laptop raises what concerns its person, and says
/// so on its own timeline. What a decision did travels as the decision's own
/// events (its request, its signatures), from which each laptop writes these
/// lines — and never takes them from a teammate.
fn stays_here(body: &EventBody) -> bool {
    matches!(
        body,
        EventBody::ReminderSent { .. }
            | EventBody::DecisionRequested { .. }
            | EventBody::DecisionSigned { .. }
            | EventBody::DecisionAttested { .. }
            | EventBody::DecisionResolved { .. }
    )
}

/// What is wrong with the text a teammate's event carries, if anything: the
/// characters the forms refuse here (controls, direction overrides, a line
/// break in a one-line field). The folder is untrusted input: what a
/// teammate's laptop wrote is checked as if it were typed here, whatever
/// wrote it (a form, an alert, a command's output — each made safe where it
/// was taken in), so a forged or older laptop's text is refused, not shown.
/// Lengths are bounded by the event file's own limit.
pub(super) fn text_problem(body: &impl Serialize) -> Option<String> {
    let mut value = serde_json::to_value(body).ok()?;
    let mut found = Vec::new();
    // An alert's labels are named by its monitor, not by Muster's fields:
    // each value is checked as free text.
    if let Some(serde_json::Value::Object(labels)) =
        value.as_object_mut().and_then(|body| body.remove("labels"))
    {
        for (name, label) in labels {
            if let Some(message) = label
                .as_str()
                .and_then(|text| crate::plan::text::problem_within("text", text, false))
            {
                found.push((format!("/labels/{name}"), message));
            }
        }
    }
    found.extend(
        crate::plan::text::problems_unbounded(&value)
            .into_iter()
            .map(|(at, _, message)| (at, message)),
    );
    found
        .into_iter()
        .next()
        .map(|(at, message)| format!("its text at `{at}` {message}"))
}

/// Whether incident `id` is a team's here: its declaration is a team event
/// (an incident from before the team folder stays on its laptop, since its
/// id — `INC-3` — may name another incident elsewhere).
fn team_incident(tx: &Transaction<'_>, id: &IncidentId) -> Result<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT team_event FROM incident_event WHERE incident = ?1 AND seq = 1",
            [id.as_str()],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

pub(super) fn record(tx: &Transaction<'_>, event: &Event) -> Result<Option<EventId>> {
    if stays_here(&event.body) {
        return Ok(None);
    }
    if !matches!(event.body, EventBody::Declared { .. })
        && team_incident(tx, &event.incident)?.is_none()
    {
        return Ok(None);
    }
    let body = serde_json::to_value(IncidentBody {
        incident: event.incident.clone(),
        event: event.body.clone(),
    })
    .map_err(|e| Error::Corrupt(format!("a team event could not be written: {e}")))?;
    record_envelope(
        tx,
        &incident_thread(&event.incident),
        INCIDENT_EVENT,
        body,
        event.at,
    )
}

/// In a team: the request `record` (made here) becomes a team event.
pub(super) fn record_decision_request(
    tx: &Transaction<'_>,
    record: &Record,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> Result<Option<EventId>> {
    if team_incident(tx, &record.incident)?.is_none() {
        return Ok(None);
    }
    let mut body = serde_json::json!({
        "incident": record.incident,
        "record": String::from_utf8_lossy(bytes),
    });
    // The roster it was requested under travels with it: every laptop
    // judges its signers by the same version.
    if let Some(roster) = roster::in_force(tx)? {
        body["rosterVersion"] = roster.version.into();
    }
    record_envelope(
        tx,
        &decision_thread(&record.decision),
        DECISION_REQUEST,
        body,
        at,
    )
}

/// In a team: a signature taken in here (made here, or brought by file)
/// becomes a team event, so every laptop counts it.
pub(super) fn record_decision_signature(
    tx: &Transaction<'_>,
    decision: &DecisionId,
    text: &str,
    at: DateTime<Utc>,
) -> Result<Option<EventId>> {
    if !thread_shared(tx, &decision_thread(decision))? {
        return Ok(None);
    }
    let body = serde_json::json!({ "signature": text });
    record_envelope(tx, &decision_thread(decision), DECISION_SIGNATURE, body, at)
}

/// In a team: an attestation recorded here becomes a team event, so every
/// laptop counts it where the policy allows (each checks it again).
pub(super) fn record_decision_attestation(
    tx: &Transaction<'_>,
    decision: &DecisionId,
    attestation: &super::decisions::Attestation,
    at: DateTime<Utc>,
) -> Result<Option<EventId>> {
    if !thread_shared(tx, &decision_thread(decision))? {
        return Ok(None);
    }
    let body = serde_json::json!({ "decision": decision, "attestation": attestation });
    record_envelope(
        tx,
        &decision_thread(decision),
        DECISION_ATTESTATION,
        body,
        at,
    )
}

/// Whether `thread` has team events here: what was shared goes on being shared.
pub(super) fn thread_shared(conn: &rusqlite::Connection, thread: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM team_event WHERE thread = ?1)",
        [thread],
        |r| r.get(0),
    )?)
}

/// When this laptop is in a team: a team event of `kind` in `thread`,
/// recorded unsigned in the outbox, its parents the thread's heads; its id.
fn record_envelope(
    tx: &Transaction<'_>,
    thread: &str,
    kind: &str,
    body: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<Option<EventId>> {
    if TAKING_IN.with(std::cell::Cell::get) {
        return Ok(None);
    }
    let Some(profile) = profile(tx)? else {
        return Ok(None);
    };
    let seen = if thread == crate::team::plan_ops::PLAN_THREAD {
        plan::seen(tx)?
    } else {
        order(thread, &thread_envelopes(tx, thread)?)
    };
    record_after(tx, &profile, &seen, thread, kind, body, at).map(|(id, _)| Some(id))
}

/// Records an event of `thread` after what `seen` places of it (the caller
/// knows the heads: a run of events each following the last); its id and clock.
fn record_after(
    tx: &Transaction<'_>,
    profile: &TeamProfile,
    seen: &crate::team::Ordered,
    thread: &str,
    kind: &str,
    body: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(EventId, u64)> {
    let profile = profile.clone();
    let last_seq: i64 = tx.query_row(
        "SELECT COALESCE(MAX(seq), 0) FROM team_event WHERE author = ?1 AND device = ?2",
        params![profile.person.as_str(), profile.device],
        |r| r.get(0),
    )?;
    let mut writer = Writer {
        person: profile.person,
        device: profile.device,
        last_seq: u64::try_from(last_seq).unwrap_or(0),
    };
    let envelope = writer.next(seen, thread, kind, body, at);
    let id = envelope.id();
    insert(tx, &id, &envelope, None, "here", at, Some("yes"))?;
    Ok((id, envelope.lamport))
}

/// An incident id for a new incident of a team: `INC-` and five letters
/// and digits drawn from who, where and when, so that two laptops never
/// make the same one, and still short enough to say on a call.
pub(super) fn new_incident_id(
    tx: &Transaction<'_>,
    profile: &TeamProfile,
    now: DateTime<Utc>,
) -> Result<IncidentId> {
    for attempt in 0u32.. {
        let id = IncidentId(format!("INC-{}", team_code(profile, now, attempt)));
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM incident WHERE id = ?1)",
            [id.as_str()],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(id);
        }
    }
    Err(Error::Corrupt("no incident id is free".to_owned()))
}

/// Five letters and digits drawn from who, where, when and the attempt:
/// what makes a team's ids unique across its laptops.
fn team_code(profile: &TeamProfile, now: DateTime<Utc>, attempt: u32) -> String {
    const LETTERS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut hasher = Sha256::new();
    for part in [
        profile.person.as_str(),
        &profile.device,
        &now.timestamp_nanos_opt().unwrap_or_default().to_string(),
        &attempt.to_string(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    digest
        .iter()
        .take(5)
        .map(|b| char::from(LETTERS[usize::from(b % 32)]))
        .collect()
}

impl Store {
    /// This laptop's place in the team, when it has joined one.
    pub fn team_profile(&mut self) -> Result<Option<TeamProfile>> {
        let tx = self.conn.transaction()?;
        let found = profile(&tx)?;
        tx.commit()?;
        Ok(found)
    }

    /// Points this profile at the team folder `folder` as `device`. The
    /// profile must already sign as a core member (its key in the plan).
    pub fn join_team(&mut self, folder: &Path, device: &str) -> Result<TeamProfile> {
        if !folder.is_dir() {
            return Err(Error::Unavailable(format!(
                "{} is not a folder: choose the team folder (the one Syncthing or git shares)",
                folder.display()
            )));
        }
        let device = device.trim();
        if device.is_empty()
            || device.chars().count() > crate::team::event::MAX_LABEL
            || device.chars().any(char::is_control)
        {
            return Err(Error::Invalid {
                what: "team profile",
                problems: vec![crate::plan::Problem::at(
                    "team",
                    "",
                    "device",
                    "name this laptop in one short line, e.g. “ada-laptop”".to_owned(),
                )],
            });
        }
        let Some(person) = self.profile_contact()? else {
            return Err(Error::Refused(
                "this profile does not sign as anyone yet: set up your signing key first (`muster key init --as CONTACT`), so your teammates can check what you write".to_owned(),
            ));
        };
        let folder = folder
            .canonicalize()
            .unwrap_or_else(|_| folder.to_path_buf())
            .display()
            .to_string();
        self.set_setting(TEAM_FOLDER, Some(&folder))?;
        self.set_setting(TEAM_DEVICE, Some(device))?;
        Ok(TeamProfile {
            folder,
            person,
            device: device.to_owned(),
        })
    }

    /// Leaves the team folder: nothing more is written to it or taken from it.
    pub fn leave_team(&mut self) -> Result<()> {
        self.set_setting(TEAM_FOLDER, None)?;
        self.set_setting(TEAM_DEVICE, None)
    }

    /// The events written here that wait to be signed, oldest first.
    pub fn team_outbox(&self) -> Result<Vec<Envelope>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, envelope FROM team_event WHERE origin = 'here' AND file IS NULL
             ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, text) = row?;
            out.push(
                serde_json::from_str(&text)
                    .map_err(|e| Error::Corrupt(format!("team event {id} cannot be read: {e}")))?,
            );
        }
        Ok(out)
    }

    /// Every signed file this laptop wrote: what it must find in the team
    /// folder (written again if the folder lost it).
    pub fn team_files(&self) -> Result<Vec<(EventId, Vec<u8>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, file FROM team_event WHERE origin = 'here' AND file IS NOT NULL ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((EventId(r.get(0)?), r.get::<_, Vec<u8>>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of every team event this laptop has (to skip them in a scan).
    pub fn team_known(&self) -> Result<std::collections::BTreeSet<EventId>> {
        let mut stmt = self.conn.prepare("SELECT id FROM team_event")?;
        let rows = stmt.query_map([], |r| Ok(EventId(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps the signed file of the outbox event `id`.
    pub fn team_signed(&mut self, id: &EventId, file: &[u8]) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE team_event SET file = ?2 WHERE id = ?1 AND origin = 'here' AND file IS NULL",
            params![id.0, file],
        )?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "unsigned team event",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Takes in what `scan` verified: each event new to this laptop is kept,
    /// then every incident thread is brought up to date in causal order.
    pub fn take_in(&mut self, scan: &Scan, clock: &dyn Clock) -> Result<Intake> {
        let now = clock.now();
        self.with_plan_tx(|tx, plan| {
            let mut intake = Intake::default();
            let mut threads = std::collections::BTreeSet::new();
            for (id, verified) in &scan.verified {
                let known: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM team_event WHERE id = ?1)",
                    [&id.0],
                    |r| r.get(0),
                )?;
                if known {
                    continue;
                }
                let envelope = &verified.event.event;
                insert(
                    tx,
                    id,
                    envelope,
                    Some(&verified.event.to_file()),
                    "folder",
                    now,
                    None,
                )?;
                threads.insert(envelope.thread.clone());
                intake.new += 1;
            }
            let _taking = TakingIn::start();
            let merged = plan::take_in(tx, plan, &mut intake, &chain::timestamp(now))?;
            apply_pending(
                tx,
                merged.as_ref().unwrap_or(plan),
                threads,
                &mut intake,
                now,
            )?;
            Ok(intake)
        })
    }

    /// The team folder as this laptop sees it.
    pub fn team_status(&mut self) -> Result<TeamStatus> {
        let profile = self.team_profile()?;
        let count = |sql: &str| -> Result<u32> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let unsigned =
            count("SELECT COUNT(*) FROM team_event WHERE origin = 'here' AND file IS NULL")?;
        let published =
            count("SELECT COUNT(*) FROM team_event WHERE origin = 'here' AND file IS NOT NULL")?;
        let received = count("SELECT COUNT(*) FROM team_event WHERE origin = 'folder'")?;
        let waiting =
            count("SELECT COUNT(*) FROM team_event WHERE origin = 'folder' AND applied IS NULL")?;
        let mut stmt = self.conn.prepare(
            "SELECT id, applied FROM team_event
             WHERE origin = 'folder' AND applied IS NOT NULL AND applied <> 'yes' ORDER BY at",
        )?;
        let not_applied = stmt
            .query_map([], |r| {
                let id: String = r.get(0)?;
                let why: String = r.get(1)?;
                Ok(format!("{}: {why}", &id[..8.min(id.len())]))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // What the last replay of the team's plan could not apply.
        let mut not_applied = not_applied;
        if let Some(text) = self.setting(plan::PLAN_PROBLEMS)? {
            let problems: Vec<String> = serde_json::from_str(&text).map_err(|e| {
                Error::Corrupt(format!("the team plan's kept problems cannot be read: {e}"))
            })?;
            not_applied.extend(
                problems
                    .into_iter()
                    .map(|p| format!("the team's plan could not take a change: {p}")),
            );
        }
        let mut stmt = self.conn.prepare(
            "SELECT author, device, COUNT(*), MAX(at), MAX(received_at) FROM team_event
             WHERE origin = 'folder' GROUP BY author, device ORDER BY author, device",
        )?;
        let teammates = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|(person, device, events, written, received)| {
                Some(Heard {
                    person: Id::parse(&person).ok()?,
                    device,
                    events,
                    last_written: incidents::time(&written)?,
                    last_received: incidents::time(&received)?,
                })
            })
            .collect();
        Ok(TeamStatus {
            profile,
            unsigned,
            published,
            received,
            waiting,
            not_applied,
            teammates,
        })
    }
}

/// What a check of one thread's team events found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreadCheck {
    /// Team events of the thread this laptop holds.
    pub events: usize,
    /// Events whose signature verified by their author's key in the plan.
    pub signed: usize,
    /// Events written here that wait to be signed.
    pub unsigned: usize,
    /// Parents that have not arrived, with who is waited for when known.
    pub waiting: Vec<String>,
    /// Forgeries, refusals and forks: what makes the thread untrustworthy.
    pub problems: Vec<String>,
}

/// Checks every team event of `thread` this laptop holds: each signed file
/// is what its id says and verifies by its author's key in `plan`; the
/// parents are here (or are named as awaited), the clocks advance, no
/// author and laptop wrote two events with one number.
fn check_thread(tx: &Transaction<'_>, plan: &Plan, thread: &str) -> Result<ThreadCheck> {
    let mut check = ThreadCheck::default();
    let mut stmt =
        tx.prepare("SELECT id, file FROM team_event WHERE thread = ?1 ORDER BY lamport, id")?;
    let rows: Vec<(String, Option<Vec<u8>>)> = stmt
        .query_map([thread], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    for (id, file) in rows {
        check.events += 1;
        let short = &id[..8.min(id.len())];
        let Some(file) = file else {
            check.unsigned += 1;
            continue;
        };
        let signed: crate::team::SignedEvent = match serde_json::from_slice(&file) {
            Ok(signed) => signed,
            Err(e) => {
                check
                    .problems
                    .push(format!("event {short} cannot be read: {e}"));
                continue;
            }
        };
        if signed.id().0 != id {
            check.problems.push(format!(
                "event {short} was altered: its content is another event"
            ));
            continue;
        }
        match signed.verified_key() {
            Err(why) => check.problems.push(format!("event {short}: {why}")),
            Ok(key) => match crate::store::key_owner(plan, &key) {
                Some((member, _)) if member.id == signed.event.author => check.signed += 1,
                Some((member, _)) => check.problems.push(format!(
                    "event {short} says it is by `{}` but is signed with {}'s key",
                    signed.event.author, member.name
                )),
                None => check.problems.push(format!(
                    "event {short} is signed with a key in nobody's contact entry"
                )),
            },
        }
    }
    let envelopes = thread_envelopes(tx, thread)?;
    let placed = order(thread, &envelopes);
    for (id, missing) in &placed.waiting {
        let by = envelopes.get(id).map_or("someone", |e| {
            plan.contact_name(&e.author).unwrap_or(e.author.as_str())
        });
        for m in missing {
            check.waiting.push(format!(
                "{by}'s event {} waits for event {}, which has not arrived",
                id.short(),
                m.short()
            ));
        }
    }
    for (id, why) in &placed.refused {
        check.problems.push(format!("event {}: {why}", id.short()));
    }
    for fork in &placed.forks {
        let name = plan
            .contact_name(&fork.author)
            .unwrap_or(fork.author.as_str());
        check.problems.push(format!(
            "{name} on {} wrote {} different events numbered {}: a fork",
            fork.device,
            fork.events.len(),
            fork.seq
        ));
    }
    Ok(check)
}

impl Store {
    /// Checks the team events of incident `id` and of its decisions.
    pub fn verify_team_events(&mut self, id: &IncidentId) -> Result<ThreadCheck> {
        self.with_plan_read(|tx, plan| {
            let mut threads = vec![incident_thread(id)];
            let mut stmt = tx.prepare("SELECT id FROM decision WHERE incident = ?1")?;
            let decisions: Vec<String> = stmt
                .query_map([id.as_str()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            drop(stmt);
            threads.extend(
                decisions
                    .into_iter()
                    .map(|d| decision_thread(&DecisionId(d))),
            );
            let mut all = ThreadCheck::default();
            for thread in threads {
                let one = check_thread(tx, plan, &thread)?;
                all.events += one.events;
                all.signed += one.signed;
                all.unsigned += one.unsigned;
                all.waiting.extend(one.waiting);
                all.problems.extend(one.problems);
            }
            Ok(all)
        })
    }
}

/// Applies what waits in `threads` and in every thread with events still
/// waiting, again while a round applies something: a decision's request
/// waits for its incident's declaration, which another thread brings.
fn apply_pending(
    tx: &Transaction<'_>,
    plan: &Plan,
    mut threads: std::collections::BTreeSet<String>,
    intake: &mut Intake,
    now: DateTime<Utc>,
) -> Result<()> {
    let unapplied = |tx: &Transaction<'_>| -> Result<u32> {
        Ok(tx.query_row(
            "SELECT COUNT(*) FROM team_event WHERE applied IS NULL AND origin = 'folder'",
            [],
            |r| r.get(0),
        )?)
    };
    loop {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT thread FROM team_event WHERE applied IS NULL AND origin = 'folder'",
        )?;
        let pending: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        threads.extend(pending);
        // The plan's thread is replayed whole, before the others.
        threads.remove(crate::team::plan_ops::PLAN_THREAD);
        let before = unapplied(tx)?;
        intake.waiting = 0;
        for thread in std::mem::take(&mut threads) {
            apply_thread(tx, plan, &thread, intake, now)?;
        }
        let after = unapplied(tx)?;
        if after == 0 || after == before {
            return Ok(());
        }
    }
}

/// Applies the placed, not yet applied events of `thread`, in order.
fn apply_thread(
    tx: &Transaction<'_>,
    plan: &Plan,
    thread: &str,
    intake: &mut Intake,
    now: DateTime<Utc>,
) -> Result<()> {
    let envelopes = thread_envelopes(tx, thread)?;
    let placed = order(thread, &envelopes);
    for id in &placed.order {
        let applied: Option<String> = tx.query_row(
            "SELECT applied FROM team_event WHERE id = ?1",
            [&id.0],
            |r| r.get(0),
        )?;
        if applied.is_some() {
            continue;
        }
        let outcome = match apply_one(tx, plan, &envelopes[id], id, now)? {
            Applied::Yes(incident) => {
                if !intake.incidents.contains(&incident) {
                    intake.incidents.push(incident);
                }
                "yes".to_owned()
            }
            Applied::Done => "yes".to_owned(),
            Applied::No(why) => why,
            // Later events of the thread wait behind it.
            Applied::Wait => {
                intake.waiting += 1;
                break;
            }
        };
        tx.execute(
            "UPDATE team_event SET applied = ?2 WHERE id = ?1",
            params![id.0, outcome],
        )?;
    }
    for (id, why) in &placed.refused {
        tx.execute(
            "UPDATE team_event SET applied = ?2 WHERE id = ?1 AND applied IS NULL",
            params![id.0, why],
        )?;
    }
    intake.waiting += placed.waiting.len();
    Ok(())
}

/// What became of one teammate's event here.
enum Applied {
    /// Applied; the incident it changed.
    Yes(IncidentId),
    /// Applied; no incident changed (an exercise did).
    Done,
    /// Never to be applied, with why (kept, shown in the status).
    No(String),
    /// Not yet: what it needs has not arrived (another thread's event).
    Wait,
}

fn incident_here(tx: &Transaction<'_>, id: &IncidentId) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM incident WHERE id = ?1)",
        [id.as_str()],
        |r| r.get(0),
    )?)
}

/// Applies one teammate's event. Whatever is wrong with it is its own
/// problem (kept, shown in the status), never the intake's: only trouble of
/// the database itself stops the intake.
fn apply_one(
    tx: &Transaction<'_>,
    plan: &Plan,
    envelope: &Envelope,
    id: &EventId,
    now: DateTime<Utc>,
) -> Result<Applied> {
    match apply_checked(tx, plan, envelope, id, now) {
        Err(Error::Storage(e)) => Err(Error::Storage(e)),
        Err(e) => Ok(Applied::No(e.to_string())),
        Ok(applied) => Ok(applied),
    }
}

fn apply_checked(
    tx: &Transaction<'_>,
    plan: &Plan,
    envelope: &Envelope,
    id: &EventId,
    now: DateTime<Utc>,
) -> Result<Applied> {
    let author = plan
        .contact_name(&envelope.author)
        .unwrap_or(envelope.author.as_str())
        .to_owned();
    match envelope.kind.as_str() {
        INCIDENT_EVENT => {
            let applied = apply_incident_event(tx, envelope, id, &author)?;
            // The incident closed here (in whichever order its events
            // arrived): what it left pending closes with it, as on the
            // laptop that closed it.
            if let Applied::Yes(incident) = &applied {
                if incidents::is_closed(tx, incident)? {
                    super::decisions::close_pending(tx, plan, incident, now, &author)?;
                }
            }
            Ok(applied)
        }
        DECISION_REQUEST => {
            let (Some(incident), Some(record)) = (
                envelope.body.get("incident").and_then(|v| v.as_str()),
                envelope.body.get("record").and_then(|v| v.as_str()),
            ) else {
                return Ok(Applied::No(
                    "its decision request cannot be read".to_owned(),
                ));
            };
            let parsed = Record::parse(record.as_bytes())?;
            if envelope.thread != decision_thread(&parsed.decision)
                || parsed.incident.as_str() != incident
            {
                return Ok(Applied::No(format!(
                    "it is filed under `{}`, not its decision and incident",
                    envelope.thread
                )));
            }
            let incident = parsed.incident.clone();
            if !incident_here(tx, &incident)? {
                return Ok(Applied::Wait);
            }
            if team_incident(tx, &incident)?.is_none() {
                return Ok(Applied::No(format!(
                    "{incident} here is not the team's incident of that id"
                )));
            }
            // The roster version it was requested under: one this laptop
            // took (a later one waits until it has), never made up.
            let roster_version = match envelope.body.get("rosterVersion") {
                None => None,
                Some(v) => {
                    let Some(v) = v.as_u64().filter(|v| *v >= 1 && i64::try_from(*v).is_ok())
                    else {
                        return Ok(Applied::No(
                            "its roster version is not a version number".to_owned(),
                        ));
                    };
                    match roster::in_force(tx)? {
                        // No roster pinned here: the plan's keys judge it.
                        None => None,
                        Some(r) if r.version < v => return Ok(Applied::Wait),
                        Some(_) => Some(v),
                    }
                }
            };
            super::decisions::take_request(
                tx,
                plan,
                record.as_bytes(),
                now,
                &author,
                roster_version,
            )?;
            if incidents::is_closed(tx, &incident)? {
                super::decisions::close_pending(tx, plan, &incident, now, &author)?;
            }
            Ok(Applied::Yes(incident))
        }
        DECISION_SIGNATURE => {
            let Some(text) = envelope.body.get("signature").and_then(|v| v.as_str()) else {
                return Ok(Applied::No("its signature cannot be read".to_owned()));
            };
            let file = SignatureText::parse(text)?;
            if envelope.thread != decision_thread(&file.decision) {
                return Ok(Applied::No(format!(
                    "it is filed under `{}`, not its decision",
                    envelope.thread
                )));
            }
            // Judged now, on this laptop's clock: expiry and retired keys
            // are never the signer's word.
            match super::decisions::take_signature(tx, plan, &file, now, &author) {
                Ok(status) => Ok(Applied::Yes(status.request.incident)),
                Err(Error::NotFound { .. }) => Ok(Applied::Wait),
                Err(e) => Err(e),
            }
        }
        exercise::EXERCISE_SETUP => exercise::apply_setup(tx, plan, envelope),
        exercise::EXERCISE_EVENT => exercise::apply_event(tx, plan, envelope),
        DECISION_ATTESTATION => {
            let (Some(decision), Some(attestation)) = (
                envelope.body.get("decision").cloned(),
                envelope.body.get("attestation").cloned(),
            ) else {
                return Ok(Applied::No("its attestation cannot be read".to_owned()));
            };
            let (Ok(decision), Ok(attestation)) = (
                serde_json::from_value::<DecisionId>(decision),
                serde_json::from_value::<super::decisions::Attestation>(attestation),
            ) else {
                return Ok(Applied::No("its attestation cannot be read".to_owned()));
            };
            if envelope.thread != decision_thread(&decision) {
                return Ok(Applied::No(format!(
                    "it is filed under `{}`, not its decision",
                    envelope.thread
                )));
            }
            // Checked again here, on this laptop's plan and clock, as a
            // signature is: the policy must allow it, the approver be one.
            match super::decisions::take_attestation(
                tx,
                plan,
                &decision,
                &attestation,
                now,
                &author,
            ) {
                Ok(status) => Ok(Applied::Yes(status.request.incident)),
                Err(Error::NotFound { .. }) => Ok(Applied::Wait),
                Err(e) => Err(e),
            }
        }
        other => Ok(Applied::No(format!(
            "a `{other}` event, which this version of Muster does not know: update Muster"
        ))),
    }
}

/// Applies a teammate's incident event.
fn apply_incident_event(
    tx: &Transaction<'_>,
    envelope: &Envelope,
    id: &EventId,
    author: &str,
) -> Result<Applied> {
    let body: IncidentBody = match serde_json::from_value(envelope.body.clone()) {
        Ok(body) => body,
        Err(e) => {
            return Ok(Applied::No(format!(
                "its incident event cannot be read: {e}"
            )))
        }
    };
    if envelope.thread != incident_thread(&body.incident) {
        return Ok(Applied::No(format!(
            "it is about {} but filed under `{}`",
            body.incident, envelope.thread
        )));
    }
    if let Some(problem) = text_problem(&body.event) {
        return Ok(Applied::No(problem));
    }
    if stays_here(&body.event) {
        return Ok(Applied::No(
            "a line each laptop writes for itself (a reminder, a decision's line): never taken from a teammate".to_owned(),
        ));
    }
    if let EventBody::ContactNotified {
        contact, channel, ..
    } = &body.event
    {
        if channel == super::incidents::ACKNOWLEDGED && contact != &envelope.author {
            return Ok(Applied::No(format!(
                "it says {contact} acknowledged, but {} wrote it: only the person called acknowledges",
                envelope.author
            )));
        }
    }
    let exists = incident_here(tx, &body.incident)?;
    if exists && !matches!(body.event, EventBody::Declared { .. }) {
        let declaration = team_incident(tx, &body.incident)?;
        let placed = order(&envelope.thread, &thread_envelopes(tx, &envelope.thread)?);
        if declaration.is_none_or(|d| placed.order.first().is_none_or(|first| first.0 != d)) {
            return Ok(Applied::No(format!(
                "{} here is not the team's incident of that id",
                body.incident
            )));
        }
    }
    let team = Team::Taken(id);
    match (&body.event, exists) {
        (EventBody::Declared { .. }, true) => Ok(Applied::No(format!(
            "{} exists here already as another incident",
            body.incident
        ))),
        (EventBody::Declared { .. }, false) => {
            incidents::declare_taken(
                tx,
                &body.incident,
                envelope.at,
                author,
                body.event.clone(),
                team,
            )?;
            Ok(Applied::Yes(body.incident))
        }
        (_, false) => Ok(Applied::No(format!(
            "{} is not here: its declaration never arrived",
            body.incident
        ))),
        (_, true) => {
            incidents::append_with(
                tx,
                &body.incident,
                envelope.at,
                author,
                body.event.clone(),
                team,
            )?;
            Ok(Applied::Yes(body.incident))
        }
    }
}
