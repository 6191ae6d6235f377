//! Exercises on many laptops: the moderator's laptop drives, the others
//! follow. An exercise created while this laptop is in a team gets an id no
//! other laptop makes (`EX-` and five letters and digits), and its set-up and
//! every entry of its run log become events of its thread `exercise/<id>`.
//! A teammate's laptop takes them in as they are — the set-up checked against
//! its own plan, the log appended in the moderator's order — so participants
//! see the participants' view (only what was revealed) and, through the
//! incident's own thread, the scenario's exercise-mode incident.
//!
//! Who may write: anyone of the team may plan (the set-up, while planned);
//! only the moderator the set-up names runs it, from their own laptop: a
//! log entry by anyone else is refused here and on every laptop. The
//! evaluation (ratings, findings, notes, attachments) stays on the
//! moderator's laptop, where the report is written.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::{record_envelope, Applied, TeamProfile};
use crate::error::{Error, Result};
use crate::exercise::model::{ExerciseEventBody, ExerciseId, ExerciseSetup};
use crate::exercise::validate;
use crate::incident::chain;
use crate::plan::{Id, Plan};
use crate::team::{Envelope, EventId};

/// The kind of a team event that carries an exercise's set-up.
pub const EXERCISE_SETUP: &str = "exercise.setup";
/// The kind of a team event that carries one entry of an exercise's run log.
pub const EXERCISE_EVENT: &str = "exercise.event";

/// The thread of an exercise's team events.
pub fn exercise_thread(id: &ExerciseId) -> String {
    format!("exercise/{}", id.0)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetupBody {
    exercise: ExerciseId,
    setup: ExerciseSetup,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventBody {
    exercise: ExerciseId,
    event: ExerciseEventBody,
}

/// Whether exercise `id` is shared with the team (its thread has events).
pub(in crate::store) fn shared(conn: &rusqlite::Connection, id: &ExerciseId) -> Result<bool> {
    super::thread_shared(conn, &exercise_thread(id))
}

/// An id for a new exercise of a team, unique across its laptops.
pub(in crate::store) fn new_exercise_id(
    tx: &Transaction<'_>,
    profile: &TeamProfile,
    now: DateTime<Utc>,
) -> Result<ExerciseId> {
    for attempt in 0u32.. {
        let id = ExerciseId(format!("EX-{}", super::team_code(profile, now, attempt)));
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM exercise WHERE id = ?1)",
            [id.as_str()],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(id);
        }
    }
    Err(Error::Corrupt("no exercise id is free".to_owned()))
}

/// In a team: the set-up of an exercise created (`created`) or changed here
/// becomes a team event. A change to an exercise that is not shared stays here.
pub(in crate::store) fn record_setup(
    tx: &Transaction<'_>,
    id: &ExerciseId,
    setup: &ExerciseSetup,
    created: bool,
    at: DateTime<Utc>,
) -> Result<Option<EventId>> {
    if !created && !shared(tx, id)? {
        return Ok(None);
    }
    let body = serde_json::to_value(SetupBody {
        exercise: id.clone(),
        setup: setup.clone(),
    })
    .map_err(|e| Error::Corrupt(format!("a team event could not be written: {e}")))?;
    record_envelope(tx, &exercise_thread(id), EXERCISE_SETUP, body, at)
}

/// In a team: an entry appended here to a shared exercise's log becomes a
/// team event.
pub(in crate::store) fn record_event(
    tx: &Transaction<'_>,
    id: &ExerciseId,
    event: &ExerciseEventBody,
    at: DateTime<Utc>,
) -> Result<Option<EventId>> {
    if !shared(tx, id)? {
        return Ok(None);
    }
    let body = serde_json::to_value(EventBody {
        exercise: id.clone(),
        event: event.clone(),
    })
    .map_err(|e| Error::Corrupt(format!("a team event could not be written: {e}")))?;
    record_envelope(tx, &exercise_thread(id), EXERCISE_EVENT, body, at)
}

/// Refuses to run or evaluate a shared exercise on a laptop that is not its
/// moderator's: the run is driven from one laptop, and the others follow it.
pub(in crate::store) fn refuse_unless_moderator(
    tx: &Transaction<'_>,
    plan: &Plan,
    id: &ExerciseId,
    moderator: &Id,
) -> Result<()> {
    if !shared(tx, id)? {
        return Ok(());
    }
    let me: Option<String> = tx
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [crate::store::PROFILE_CONTACT],
            |r| r.get(0),
        )
        .optional()?;
    if me.as_deref() == Some(moderator.as_str()) {
        return Ok(());
    }
    let name = plan.contact_name(moderator).unwrap_or(moderator.as_str());
    Err(Error::Refused(format!(
        "{name} moderates {id}: the exercise runs from their laptop, and this one follows it",
        id = id.0
    )))
}

/// The moderator named by the stored set-up of `id`, if it is here.
fn stored_setup(tx: &Transaction<'_>, id: &ExerciseId) -> Result<Option<(ExerciseSetup, String)>> {
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT setup, status FROM exercise WHERE id = ?1",
            [id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((json, status)) => {
            let setup = serde_json::from_str(&json).map_err(|e| {
                Error::Corrupt(format!("the set-up of {} cannot be read: {e}", id.0))
            })?;
            Ok(Some((setup, status)))
        }
    }
}

/// Takes in a teammate's set-up: a new exercise here, or the new set-up of
/// one still planned. Checked against this laptop's plan.
pub(super) fn apply_setup(
    tx: &Transaction<'_>,
    plan: &Plan,
    envelope: &Envelope,
) -> Result<Applied> {
    let Ok(body) = serde_json::from_value::<SetupBody>(envelope.body.clone()) else {
        return Ok(Applied::No("its exercise set-up cannot be read".to_owned()));
    };
    let id = &body.exercise;
    if envelope.thread != exercise_thread(id) {
        return Ok(Applied::No(format!(
            "it is about {} but filed under `{}`",
            id.0, envelope.thread
        )));
    }
    if let Err(e) = validate::setup(plan, &body.setup) {
        return Ok(Applied::No(format!(
            "its set-up does not fit the plan here: {e}"
        )));
    }
    let now = chain::timestamp(envelope.at);
    let json = serde_json::to_string(&body.setup)
        .map_err(|e| Error::Corrupt(format!("the set-up could not be written: {e}")))?;
    match stored_setup(tx, id)? {
        None => {
            let number: i64 = tx.query_row(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM exercise",
                [],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO exercise (id, number, title, date, status, setup, notes,
                                       created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'planned', ?5, '', ?6, ?6)",
                params![
                    id.as_str(),
                    number,
                    body.setup.title.trim(),
                    body.setup.date.to_string(),
                    json,
                    now
                ],
            )?;
        }
        Some((_, status)) if status == "planned" => {
            tx.execute(
                "UPDATE exercise SET title = ?2, date = ?3, setup = ?4, updated_at = ?5
                 WHERE id = ?1",
                params![
                    id.as_str(),
                    body.setup.title.trim(),
                    body.setup.date.to_string(),
                    json,
                    now
                ],
            )?;
        }
        Some(_) => {
            return Ok(Applied::No(format!(
                "{} has started: its set-up is fixed once it runs",
                id.0
            )))
        }
    }
    Ok(Applied::Done)
}

/// Takes in one entry of a shared exercise's log, written by its moderator,
/// appended here in the moderator's order.
pub(super) fn apply_event(
    tx: &Transaction<'_>,
    plan: &Plan,
    envelope: &Envelope,
) -> Result<Applied> {
    let Ok(body) = serde_json::from_value::<EventBody>(envelope.body.clone()) else {
        return Ok(Applied::No(
            "its exercise log entry cannot be read".to_owned(),
        ));
    };
    let id = &body.exercise;
    if envelope.thread != exercise_thread(id) {
        return Ok(Applied::No(format!(
            "it is about {} but filed under `{}`",
            id.0, envelope.thread
        )));
    }
    if let Some(problem) = super::text_problem(&body.event) {
        return Ok(Applied::No(problem));
    }
    let Some((setup, _)) = stored_setup(tx, id)? else {
        return Ok(Applied::Wait);
    };
    if envelope.author != setup.moderator {
        return Ok(Applied::No(format!(
            "{} wrote it, but {} moderates {}: only the moderator's laptop runs an exercise",
            envelope.author, setup.moderator, id.0
        )));
    }
    if let ExerciseEventBody::ScenarioStarted { incident, .. } = &body.event {
        if !super::incident_here(tx, incident)? {
            return Ok(Applied::Wait);
        }
    }
    let author = plan
        .contact_name(&envelope.author)
        .unwrap_or(envelope.author.as_str())
        .to_owned();
    let (count, head): (u32, String) = tx.query_row(
        "SELECT event_count, head_hash FROM exercise WHERE id = ?1",
        [id.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let seq = count + 1;
    let text = serde_json::to_string(&body.event)
        .map_err(|e| Error::Corrupt(format!("an event of {} could not be written: {e}", id.0)))?;
    let at = chain::timestamp(envelope.at);
    let hash = chain::hash(id.as_str(), seq, &at, &author, &head, &text);
    tx.execute(
        "INSERT INTO exercise_event (exercise, seq, at, author, body, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id.as_str(), seq, at, author, text, head, hash],
    )?;
    let status = match body.event {
        ExerciseEventBody::Started => Some("running"),
        ExerciseEventBody::Ended => Some("ended"),
        _ => None,
    };
    tx.execute(
        "UPDATE exercise SET event_count = ?2, head_hash = ?3, updated_at = ?4,
                status = COALESCE(?5, status)
         WHERE id = ?1",
        params![id.as_str(), seq, hash, at, status],
    )?;
    Ok(Applied::Done)
}
