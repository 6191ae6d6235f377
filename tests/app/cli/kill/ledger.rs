//! The ledger's side of a check: what a read-only connection finds in a
//! data folder's database after a kill, and each write as the ledger looks
//! for it there (whole, absent, or half made).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use muster_core::store::{DB_FILE, SEED_AUTHOR};
use muster_core::Connection;
use serde_json::Value;

use super::folder::{EDITED, EXERCISE, ME};

/// The summary of the seed revision.
const SEED_SUMMARY: &str = "Started from the built-in starter plan";

/// One write as the ledger knows it: found in the database, whole, or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    /// The stored plan is this plan folder's (a plan import).
    Variant(usize),
    /// These extended contacts (one contacts import).
    Batch(Vec<String>),
    /// An incident whose title holds this token.
    Incident(String),
    /// One event of the incident holding this token (a note, a step mark, an update).
    Event {
        incident: String,
        token: String,
    },
    /// This profile's acknowledgement on the incident.
    Ack(String),
    /// A decision whose statement holds this token.
    Decision(String),
    Signature {
        decision: String,
        signer: String,
    },
    Attestation {
        decision: String,
        approver: String,
    },
    /// An exercise log entry holding this token.
    Log(String),
    /// The edited issue's description holds this token (a plan edit).
    Edit(String),
}

impl Item {
    /// How many of its parts `seen` holds, and how many it has: a write is
    /// there when all are, absent when none is, and half made otherwise.
    pub(super) fn found(&self, seen: &Observed) -> (usize, usize) {
        let events = |incident: &str| {
            seen.incidents
                .get(incident)
                .map(|i| i.events.as_slice())
                .unwrap_or_default()
        };
        match self {
            Item::Variant(v) => (usize::from(seen.variant() == Ok(Some(*v))), 1),
            Item::Batch(names) => (
                names.iter().filter(|n| seen.extended.contains(*n)).count(),
                names.len(),
            ),
            Item::Incident(token) => (
                seen.incidents
                    .values()
                    .filter(|i| i.title.contains(token.as_str()))
                    .count(),
                1,
            ),
            Item::Event { incident, token } => (
                events(incident)
                    .iter()
                    .filter(|e| e.raw.contains(token.as_str()))
                    .count(),
                1,
            ),
            Item::Ack(incident) => (
                events(incident)
                    .iter()
                    .filter(|e| e.kind() == "contactNotified" && e.field("contact") == ME)
                    .count(),
                1,
            ),
            Item::Decision(token) => (
                seen.decisions
                    .values()
                    .filter(|d| d.statement.contains(token.as_str()))
                    .count(),
                1,
            ),
            Item::Signature { decision, signer } => (
                seen.decisions.get(decision).map_or(0, |d| {
                    d.signed.iter().filter(|(who, _)| who == signer).count()
                }),
                1,
            ),
            Item::Attestation { decision, approver } => (
                seen.decisions.get(decision).map_or(0, |d| {
                    d.attested.iter().filter(|who| *who == approver).count()
                }),
                1,
            ),
            Item::Log(token) => (
                seen.log
                    .iter()
                    .filter(|e| e.contains(token.as_str()))
                    .count(),
                1,
            ),
            Item::Edit(token) => (usize::from(seen.edited.contains(token.as_str())), 1),
        }
    }
}

/// One stored incident event: its JSON as stored, and parsed.
#[derive(Debug, Clone)]
pub(super) struct Event {
    pub(super) raw: String,
    pub(super) value: Value,
}

impl Event {
    /// Its `type`.
    pub(super) fn kind(&self) -> &str {
        self.field("type")
    }

    /// A text field of its body ("" when absent).
    fn field(&self, name: &str) -> &str {
        self.value
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct SeenIncident {
    pub(super) title: String,
    pub(super) event_count: i64,
    pub(super) events: Vec<Event>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct SeenDecision {
    pub(super) incident: String,
    pub(super) policy: String,
    pub(super) statement: String,
    /// (signer, verdict) per signature row.
    pub(super) signed: Vec<(String, String)>,
    /// The approver per attestation row.
    pub(super) attested: Vec<String>,
}

/// A data folder's database as a read-only connection sees it after a kill.
#[derive(Debug, Clone, Default)]
pub(super) struct Observed {
    pub(super) integrity: Vec<String>,
    pub(super) broken_keys: usize,
    pub(super) revisions: i64,
    pub(super) seeds: i64,
    pub(super) plans: i64,
    /// The fields the plan variants mark, as stored.
    pub(super) marked: Vec<String>,
    pub(super) extended: BTreeSet<String>,
    pub(super) incidents: BTreeMap<String, SeenIncident>,
    pub(super) decisions: BTreeMap<String, SeenDecision>,
    pub(super) log: Vec<String>,
    pub(super) log_count: i64,
    /// The description of the issue plan edits change.
    pub(super) edited: String,
}

impl Observed {
    /// The plan variant stored (none: the plan as set up), or the marked
    /// fields when they disagree or one is missing (half of one import).
    pub(super) fn variant(&self) -> Result<Option<usize>, String> {
        let each: Vec<Option<usize>> = self.marked.iter().map(|m| variant_of(m)).collect();
        match each.first() {
            Some(first) if each.len() == MARKED.len() && each.iter().all(|v| v == first) => {
                Ok(*first)
            }
            _ => Err(format!(
                "the plan's marked fields are not all of one variant: {:?}",
                self.marked
            )),
        }
    }

    /// The events of `incident` of `kind` about `decision`.
    pub(super) fn decision_events(&self, incident: &str, kind: &str, decision: &str) -> usize {
        self.incidents.get(incident).map_or(0, |i| {
            i.events
                .iter()
                .filter(|e| e.kind() == kind && e.field("decision") == decision)
                .count()
        })
    }
}

/// The marker a variant puts in the fields it changes.
pub(super) fn marker(variant: usize) -> String {
    format!(" (variant {})", ["A", "B"][variant])
}

/// The variant whose marker ends `text`, if any.
fn variant_of(text: &str) -> Option<usize> {
    (0..2).find(|v| text.ends_with(&marker(*v)))
}

/// The SQL reading back each field a variant marks.
const MARKED: [&str; 3] = [
    "SELECT title FROM issue WHERE id = 'oracle-failure'",
    "SELECT role FROM contact WHERE id = 'ben-sample'",
    "SELECT title FROM decision_policy WHERE id = 'pause-contract'",
];

/// Reads the database in `data` through a read-only connection (so Muster,
/// not the harness, is the first to write after a kill): SQLite's integrity
/// and foreign-key checks, then what the ledger looks for.
pub(super) fn observe(data: &Path) -> Result<Observed, String> {
    let path = data.join(DB_FILE);
    if !path.is_file() {
        return Err(format!("{} is gone", path.display()));
    }
    let conn = read_only(&path)?;
    let mut seen = Observed {
        integrity: texts(&conn, "PRAGMA integrity_check")?
            .into_iter()
            .flatten()
            .collect(),
        broken_keys: number(&conn, "SELECT count(*) FROM pragma_foreign_key_check")? as usize,
        revisions: number(&conn, "SELECT count(*) FROM revision")?,
        seeds: number(
            &conn,
            &format!(
                "SELECT count(*) FROM revision WHERE author = '{SEED_AUTHOR}' AND summary = '{SEED_SUMMARY}'"
            ),
        )?,
        plans: number(&conn, "SELECT count(*) FROM plan_meta")?,
        ..Observed::default()
    };
    for sql in MARKED {
        seen.marked.extend(texts(&conn, sql)?.into_iter().flatten());
    }
    seen.extended = texts(&conn, "SELECT name FROM contact WHERE team = 'extended'")?
        .into_iter()
        .flatten()
        .collect();
    for row in texts(
        &conn,
        "SELECT id, title, CAST(event_count AS TEXT) FROM incident",
    )? {
        let [id, title, count] = <[String; 3]>::try_from(row).map_err(|r| format!("{r:?}"))?;
        let incident = SeenIncident {
            title,
            event_count: count.parse().unwrap_or(-1),
            events: Vec::new(),
        };
        seen.incidents.insert(id, incident);
    }
    for row in texts(
        &conn,
        "SELECT incident, body FROM incident_event ORDER BY incident, seq",
    )? {
        let [incident, raw] = <[String; 2]>::try_from(row).map_err(|r| format!("{r:?}"))?;
        let value = serde_json::from_str(&raw)
            .map_err(|e| format!("an event of {incident} is not JSON ({e}): {raw}"))?;
        seen.incidents
            .entry(incident)
            .or_default()
            .events
            .push(Event { raw, value });
    }
    for row in texts(
        &conn,
        "SELECT id, incident, policy, statement FROM decision WHERE local = 1",
    )? {
        let [id, incident, policy, statement] =
            <[String; 4]>::try_from(row).map_err(|r| format!("{r:?}"))?;
        let decision = SeenDecision {
            incident,
            policy,
            statement,
            ..SeenDecision::default()
        };
        seen.decisions.insert(id, decision);
    }
    for row in texts(
        &conn,
        "SELECT decision, contact, verdict FROM decision_signature ORDER BY decision, number",
    )? {
        let [id, contact, verdict] = <[String; 3]>::try_from(row).map_err(|r| format!("{r:?}"))?;
        seen.decisions
            .entry(id)
            .or_default()
            .signed
            .push((contact, verdict));
    }
    for row in texts(
        &conn,
        "SELECT decision, approver FROM decision_attestation ORDER BY decision, number",
    )? {
        let [id, approver] = <[String; 2]>::try_from(row).map_err(|r| format!("{r:?}"))?;
        seen.decisions
            .entry(id)
            .or_default()
            .attested
            .push(approver);
    }
    seen.log = texts(
        &conn,
        &format!("SELECT body FROM exercise_event WHERE exercise = '{EXERCISE}' ORDER BY seq"),
    )?
    .into_iter()
    .flatten()
    .collect();
    seen.log_count = number(
        &conn,
        &format!("SELECT COALESCE(MAX(event_count), 0) FROM exercise WHERE id = '{EXERCISE}'"),
    )?;
    seen.edited = texts(
        &conn,
        &format!("SELECT description FROM issue WHERE id = '{EDITED}'"),
    )?
    .concat()
    .concat();
    Ok(seen)
}

/// Every row of `sql`, each column read as text.
pub(super) fn texts(conn: &Connection, sql: &str) -> Result<Vec<Vec<String>>, String> {
    let failed = |e: &dyn std::fmt::Display| format!("{sql}: {e}");
    let mut statement = conn.prepare(sql).map_err(|e| failed(&e))?;
    let columns = statement.column_count();
    let rows = statement
        .query_map([], |r| {
            (0..columns)
                .map(|i| r.get::<_, String>(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|e| failed(&e))?;
    rows.collect::<Result<Vec<_>, _>>().map_err(|e| failed(&e))
}

/// The one number `sql` gives.
pub(super) fn number(conn: &Connection, sql: &str) -> Result<i64, String> {
    conn.query_row(sql, [], |r| r.get::<_, i64>(0))
        .map_err(|e| format!("{sql}: {e}"))
}

/// A read-only connection to the database at `path`: it reads what the
/// write-ahead log holds, but never checkpoints or removes it.
pub(super) fn read_only(path: &Path) -> Result<Connection, String> {
    let uri = format!("file:{}?mode=ro", uri_path(path));
    Connection::open(&uri).map_err(|e| format!("cannot open {uri}: {e}"))
}

/// `path` for a `file:` URI: the characters a URI gives meaning to escaped.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.display().to_string().chars() {
        match c {
            '%' | '?' | '#' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}
