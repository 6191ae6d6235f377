//! Reading exercises back: the row and its set-up, the log folded into runs,
//! ratings, findings and attachments. Every read works on a plain connection
//! or inside a write transaction, so an action is checked against the
//! exercise exactly as it stands when it is applied.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::exercise::fold::fold;
use crate::exercise::model::{
    Attachment, AttachmentKind, ElementRef, Exercise, ExerciseEvent, ExerciseId, ExerciseSetup,
    ExerciseStatus, ExerciseSummary, Finding, FindingId, ObjectiveRating, Rating,
};
use crate::incident::chain::{self, RawEvent};
use crate::plan::{Id, Section};
use crate::store::incidents::time;

pub(super) fn status_text(status: ExerciseStatus) -> &'static str {
    match status {
        ExerciseStatus::Planned => "planned",
        ExerciseStatus::Running => "running",
        ExerciseStatus::Ended => "ended",
    }
}

fn parse_status(text: &str) -> Option<ExerciseStatus> {
    [
        ExerciseStatus::Planned,
        ExerciseStatus::Running,
        ExerciseStatus::Ended,
    ]
    .into_iter()
    .find(|s| status_text(*s) == text)
}

pub(super) fn kind_text(kind: AttachmentKind) -> &'static str {
    match kind {
        AttachmentKind::Link => "link",
        AttachmentKind::File => "file",
    }
}

fn corrupt(id: &str, what: &str) -> Error {
    Error::Corrupt(format!("exercise {id} has an unreadable {what}"))
}

fn when(id: &str, text: &str, what: &str) -> Result<DateTime<Utc>> {
    time(text).ok_or_else(|| corrupt(id, what))
}

fn day(id: &str, text: &str, what: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt(id, what))
}

pub(super) fn parse_setup(id: &str, json: &str) -> Result<ExerciseSetup> {
    serde_json::from_str(json).map_err(|e| corrupt(id, &format!("set-up ({e})")))
}

/// The stored row: set-up, notes, creation time (the status is folded
/// from the log).
struct Stored {
    setup: ExerciseSetup,
    notes: String,
    created_at: DateTime<Utc>,
}

fn stored(conn: &Connection, id: &ExerciseId) -> Result<Stored> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT setup, notes, created_at FROM exercise WHERE id = ?1",
            [id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((setup, notes, created)) = row else {
        return Err(Error::NotFound {
            what: "exercise",
            id: id.to_string(),
        });
    };
    let i = id.as_str();
    Ok(Stored {
        setup: parse_setup(i, &setup)?,
        notes,
        created_at: when(i, &created, "creation time")?,
    })
}

/// The exercise's log, oldest first, after checking its hash chain: an
/// entry edited, deleted or reordered outside Muster is refused by name
/// rather than read back as if nothing happened.
pub(super) fn events(conn: &Connection, id: &ExerciseId) -> Result<Vec<ExerciseEvent>> {
    let i = id.as_str();
    let (count, head): (u32, String) = conn
        .query_row(
            "SELECT event_count, head_hash FROM exercise WHERE id = ?1",
            [i],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "exercise",
            id: i.to_owned(),
        })?;
    let mut stmt = conn.prepare(
        "SELECT seq, at, author, body, prev_hash, hash FROM exercise_event
         WHERE exercise = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([i], |r| {
            Ok(RawEvent {
                seq: r.get(0)?,
                at: r.get(1)?,
                author: r.get(2)?,
                body: r.get(3)?,
                prev_hash: r.get(4)?,
                hash: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<RawEvent>>>()?;
    if let Some(bad) = chain::verify(i, &rows, count, &head) {
        return Err(Error::Corrupt(format!(
            "the log of exercise {i} does not check out at entry {}: {}",
            bad.seq,
            bad.reason.replace("timeline", "log")
        )));
    }
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let seq = row.seq;
        events.push(ExerciseEvent {
            seq,
            at: when(i, &row.at, &format!("time on log entry {seq}"))?,
            author: row.author,
            body: serde_json::from_str(&row.body)
                .map_err(|e| corrupt(i, &format!("log entry {seq} ({e})")))?,
        });
    }
    Ok(events)
}

/// One exercise as stored and folded.
pub(super) fn exercise(conn: &Connection, id: &ExerciseId) -> Result<Exercise> {
    let s = stored(conn, id)?;
    let folded = fold(&events(conn, id)?);
    let mut ratings = ratings(conn, id)?;
    let position = |key: &str| {
        s.setup
            .objectives
            .iter()
            .position(|o| o.key == key)
            .unwrap_or(usize::MAX)
    };
    ratings.sort_by_key(|r| position(&r.objective));
    Ok(Exercise {
        id: id.clone(),
        status: folded.status,
        created_at: s.created_at,
        started_at: folded.started_at,
        ended_at: folded.ended_at,
        current: folded.current,
        runs: folded.runs,
        ratings,
        findings: findings_where(conn, "WHERE exercise = ?1", params![id.as_str()])?,
        attachments: attachments(conn, id)?,
        notes: s.notes,
        driven_from: driven_from(conn, id, &s.setup.moderator)?,
        setup: s.setup,
    })
}

/// The moderator, when `id` is shared with the team and this laptop's
/// person is not its moderator (see `team::exercise`).
fn driven_from(conn: &Connection, id: &ExerciseId, moderator: &Id) -> Result<Option<Id>> {
    if !crate::store::team::exercise::shared(conn, id)? {
        return Ok(None);
    }
    let me: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [crate::store::PROFILE_CONTACT],
            |r| r.get(0),
        )
        .optional()?;
    Ok((me.as_deref() != Some(moderator.as_str())).then(|| moderator.clone()))
}

fn ratings(conn: &Connection, id: &ExerciseId) -> Result<Vec<ObjectiveRating>> {
    let mut stmt = conn.prepare(
        "SELECT objective, rating, observations, strengths, areas, rated_at, rated_by
         FROM exercise_rating WHERE exercise = ?1",
    )?;
    let rows = stmt.query_map([id.as_str()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (objective, rating, observations, strengths, areas, rated_at, rated_by) = row?;
        let i = id.as_str();
        out.push(ObjectiveRating {
            rating: Rating::parse(&rating).ok_or_else(|| corrupt(i, "rating"))?,
            rated_at: when(i, &rated_at, "rating time")?,
            objective,
            observations,
            strengths,
            areas_for_improvement: areas,
            rated_by,
        });
    }
    Ok(out)
}

const FINDING_COLUMNS: &str = "SELECT id, exercise, scenario, issue, section, element,
        corrective_action, owner, due, created_at, done_at FROM finding";

type FindingRow = (
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
);

fn finding_row(r: &Row<'_>) -> rusqlite::Result<FindingRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
    ))
}

/// Findings matching `filter` (a WHERE clause), in number order.
pub(super) fn findings_where(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<Finding>> {
    let sql = format!("{FINDING_COLUMNS} {filter} ORDER BY number");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(args, finding_row)?;
    let mut out = Vec::new();
    for row in rows {
        let (id, exercise, scenario, issue, section, element, action, owner, due, created, done) =
            row?;
        let bad =
            |what: &str| Error::Corrupt(format!("improvement item {id} has an unreadable {what}"));
        let element = match (section, element) {
            (Some(section), Some(key)) => Some(ElementRef {
                section: Section::parse(&section).ok_or_else(|| bad("section"))?,
                key,
            }),
            _ => None,
        };
        out.push(Finding {
            exercise: ExerciseId(exercise),
            scenario,
            issue,
            element,
            corrective_action: action,
            owner: Id::parse(&owner).map_err(|_| bad("owner"))?,
            due: NaiveDate::parse_from_str(&due, "%Y-%m-%d").map_err(|_| bad("due day"))?,
            created_at: time(&created).ok_or_else(|| bad("creation time"))?,
            done_at: match done {
                Some(d) => Some(time(&d).ok_or_else(|| bad("completion time"))?),
                None => None,
            },
            id: FindingId(id),
        });
    }
    Ok(out)
}

fn attachments(conn: &Connection, id: &ExerciseId) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare(
        "SELECT number, kind, label, target, added_at FROM exercise_attachment
         WHERE exercise = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map([id.as_str()], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (number, kind, label, target, added) = row?;
        let i = id.as_str();
        let kind = [AttachmentKind::Link, AttachmentKind::File]
            .into_iter()
            .find(|k| kind_text(*k) == kind)
            .ok_or_else(|| corrupt(i, "attachment kind"))?;
        out.push(Attachment {
            number,
            kind,
            label,
            target,
            added_at: when(i, &added, "attachment time")?,
        });
    }
    Ok(out)
}

/// Every exercise's list row, by date, newest first.
pub(super) fn summaries(conn: &Connection) -> Result<Vec<ExerciseSummary>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.date, e.status, e.setup,
                (SELECT count(*) FROM finding f WHERE f.exercise = e.id AND f.done_at IS NULL)
         FROM exercise e ORDER BY e.date DESC, e.number DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, u32>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, date, status, setup, open) = row?;
        let setup = parse_setup(&id, &setup)?;
        out.push(ExerciseSummary {
            date: day(&id, &date, "date")?,
            status: parse_status(&status).ok_or_else(|| corrupt(&id, "status"))?,
            title: setup.title,
            scenarios: setup.scenarios.len() as u32,
            moderator: setup.moderator,
            open_findings: open,
            id: ExerciseId(id),
        });
    }
    Ok(out)
}

/// The ids of every exercise, in creation order.
pub(super) fn ids(conn: &Connection) -> Result<Vec<ExerciseId>> {
    let ids = conn
        .prepare("SELECT id FROM exercise ORDER BY number")?
        .query_map([], |r| r.get::<_, String>(0))?
        .map(|r| r.map(ExerciseId))
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}
