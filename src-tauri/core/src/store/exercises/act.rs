//! One action on an exercise, checked against the exercise as it stands
//! inside the write transaction and applied whole, or refused before
//! anything is written.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};

use super::attach;
use super::read::status_text;
use crate::error::{Error, Result};
use crate::exercise::model::{
    AttachmentKind, Exercise, ExerciseAction, ExerciseEventBody, ExerciseStatus, FindingDraft,
    FindingId, LogKind, Rating, Scenario,
};
use crate::exercise::validate;
use crate::incident::chain::{self, timestamp};
use crate::incident::model::Declaration;
use crate::plan::{Plan, Severity};
use crate::store::incidents::declare;

/// What an action needs besides the transaction.
pub(super) struct Context<'a> {
    pub plan: &'a Plan,
    pub exercise: &'a Exercise,
    pub now: DateTime<Utc>,
    pub author: &'a str,
    /// `<data folder>/exercises/EX-n/`.
    pub folder: &'a Path,
}

/// Effects outside the database: a file copied in (to take back should the
/// transaction not commit) or a file to remove once it has.
#[derive(Debug, Default)]
pub(super) struct Files {
    pub copied: Option<PathBuf>,
    pub remove: Option<PathBuf>,
}

fn refused(message: String) -> Error {
    Error::Refused(message)
}

/// "scenario 2 (“Oracle failure”)".
fn name(exercise: &Exercise, key: &str) -> String {
    match exercise.setup.scenarios.iter().position(|s| s.key == key) {
        Some(i) => format!(
            "scenario {} (“{}”)",
            i + 1,
            exercise.setup.scenarios[i].title.trim()
        ),
        None => format!("scenario `{key}`"),
    }
}

fn scenario<'a>(exercise: &'a Exercise, key: &str) -> Result<&'a Scenario> {
    exercise
        .setup
        .scenarios
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| refused(format!("{} has no scenario `{key}`", exercise.id)))
}

/// Refused unless the exercise is running.
fn running(exercise: &Exercise, what: &str) -> Result<()> {
    match exercise.status {
        ExerciseStatus::Running => Ok(()),
        ExerciseStatus::Planned => Err(refused(format!(
            "{} has not started: start the exercise before you {what}",
            exercise.id
        ))),
        ExerciseStatus::Ended => Err(refused(format!(
            "{} has ended: nothing more can be run or logged",
            exercise.id
        ))),
    }
}

/// Refused while the exercise is still planned.
fn started(exercise: &Exercise, what: &str) -> Result<()> {
    if exercise.status == ExerciseStatus::Planned {
        return Err(refused(format!(
            "{} has not started: {what} once it runs",
            exercise.id
        )));
    }
    Ok(())
}

/// The scenario `key`, which must be the one running now.
fn current<'a>(exercise: &'a Exercise, key: &str, what: &str) -> Result<&'a Scenario> {
    running(exercise, what)?;
    let s = scenario(exercise, key)?;
    if exercise.current.as_deref() == Some(key) {
        return Ok(s);
    }
    let name = name(exercise, key);
    if exercise.runs.iter().any(|r| r.scenario == key) {
        Err(refused(format!(
            "{name} has ended: its log is closed, so you cannot {what}"
        )))
    } else {
        Err(refused(format!(
            "{name} is not running: start it before you {what}"
        )))
    }
}

/// Appends one entry to the log, chained to the last one (the exercise row
/// keeps the count and the head, as an incident's does).
fn append(tx: &Transaction<'_>, c: &Context<'_>, body: &ExerciseEventBody) -> Result<()> {
    let id = c.exercise.id.as_str();
    let (count, head): (u32, String) = tx.query_row(
        "SELECT event_count, head_hash FROM exercise WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let seq = count + 1;
    // Shared with the team (when the exercise is) in the same transaction.
    crate::store::team::exercise::record_event(tx, &c.exercise.id, body, c.now)?;
    let body = serde_json::to_string(body)
        .map_err(|e| Error::Corrupt(format!("an event of {id} could not be written: {e}")))?;
    let at = timestamp(c.now);
    let hash = chain::hash(id, seq, &at, c.author, &head, &body);
    tx.execute(
        "INSERT INTO exercise_event (exercise, seq, at, author, body, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, seq, at, c.author, body, head, hash],
    )?;
    tx.execute(
        "UPDATE exercise SET event_count = ?2, head_hash = ?3 WHERE id = ?1",
        params![id, seq, hash],
    )?;
    Ok(())
}

fn set_status(tx: &Transaction<'_>, c: &Context<'_>, status: ExerciseStatus) -> Result<()> {
    tx.execute(
        "UPDATE exercise SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![
            c.exercise.id.as_str(),
            status_text(status),
            timestamp(c.now)
        ],
    )?;
    Ok(())
}

pub(super) fn touch(tx: &Transaction<'_>, c: &Context<'_>) -> Result<()> {
    tx.execute(
        "UPDATE exercise SET updated_at = ?2 WHERE id = ?1",
        params![c.exercise.id.as_str(), timestamp(c.now)],
    )?;
    Ok(())
}

/// Checks `action` and applies it inside `tx`.
pub(super) fn apply(
    tx: &Transaction<'_>,
    c: &Context<'_>,
    action: &ExerciseAction,
    files: &mut Files,
) -> Result<()> {
    let ex = c.exercise;
    match action {
        ExerciseAction::Start => {
            if ex.status != ExerciseStatus::Planned {
                return Err(refused(format!("{} has already started", ex.id)));
            }
            // The plan may have changed since the set-up was written.
            let problems = validate::setup_problems(c.plan, &ex.setup);
            if !problems.is_empty() {
                let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
                return Err(refused(format!(
                    "{} cannot start, its set-up no longer fits the plan: {}",
                    ex.id,
                    messages.join("; ")
                )));
            }
            append(tx, c, &ExerciseEventBody::Started)?;
            set_status(tx, c, ExerciseStatus::Running)
        }
        ExerciseAction::StartScenario { scenario: key } => start_scenario(tx, c, key),
        ExerciseAction::RevealSituation { scenario: key } => {
            current(ex, key, "reveal its situation")?;
            let run = ex.runs.iter().rev().find(|r| &r.scenario == key);
            if let Some(at) = run.and_then(|r| r.revealed_at) {
                return Err(refused(format!(
                    "the situation of {} was already revealed at {}",
                    name(ex, key),
                    timestamp(at)
                )));
            }
            append(
                tx,
                c,
                &ExerciseEventBody::SituationRevealed {
                    scenario: key.clone(),
                },
            )
        }
        ExerciseAction::DeclareInject {
            scenario: key,
            inject,
        } => {
            let s = current(ex, key, "declare an inject")?;
            let Some(found) = s.injects.iter().find(|i| &i.key == inject) else {
                return Err(refused(format!(
                    "{} has no inject `{inject}`",
                    name(ex, key)
                )));
            };
            let run = ex.runs.iter().rev().find(|r| &r.scenario == key);
            if let Some(d) = run.and_then(|r| r.injects.iter().find(|d| &d.inject == inject)) {
                return Err(refused(format!(
                    "the inject “{}” was already declared at {}: each inject is declared once",
                    found.title.trim(),
                    timestamp(d.at)
                )));
            }
            append(
                tx,
                c,
                &ExerciseEventBody::InjectDeclared {
                    scenario: key.clone(),
                    inject: inject.clone(),
                },
            )
        }
        ExerciseAction::Log {
            scenario: key,
            kind,
            text,
            expected,
        } => {
            let s = current(ex, key, "log to it")?;
            let text = validate::log_text(text)?;
            if let Some(e) = expected {
                if !s.expected.iter().any(|x| &x.key == e) {
                    return Err(refused(format!(
                        "{} has no expected action `{e}`",
                        name(ex, key)
                    )));
                }
            }
            // A note is the moderator's own: it never counts as a step taken.
            let expected = if *kind == LogKind::Note {
                None
            } else {
                expected.clone()
            };
            append(
                tx,
                c,
                &ExerciseEventBody::Logged {
                    scenario: key.clone(),
                    kind: *kind,
                    text,
                    expected,
                },
            )
        }
        ExerciseAction::EndScenario { scenario: key } => {
            current(ex, key, "end it")?;
            append(
                tx,
                c,
                &ExerciseEventBody::ScenarioEnded {
                    scenario: key.clone(),
                },
            )
        }
        ExerciseAction::End => {
            running(ex, "end it")?;
            if let Some(key) = &ex.current {
                append(
                    tx,
                    c,
                    &ExerciseEventBody::ScenarioEnded {
                        scenario: key.clone(),
                    },
                )?;
            }
            append(tx, c, &ExerciseEventBody::Ended)?;
            set_status(tx, c, ExerciseStatus::Ended)
        }
        ExerciseAction::Rate {
            objective,
            rating,
            observations,
            strengths,
            areas_for_improvement,
        } => {
            started(ex, "objectives are rated")?;
            if !ex.setup.objectives.iter().any(|o| &o.key == objective) {
                return Err(refused(format!("{} has no objective `{objective}`", ex.id)));
            }
            rate(
                tx,
                c,
                objective,
                *rating,
                [observations, strengths, areas_for_improvement],
            )
        }
        ExerciseAction::AddFinding { draft } => {
            started(ex, "findings are recorded")?;
            let draft = validate::finding(c.plan, &ex.setup, draft)?;
            add_finding(tx, c, &draft)
        }
        ExerciseAction::EditFinding { id, draft } => {
            finding(ex, id)?;
            let draft = validate::finding(c.plan, &ex.setup, draft)?;
            let (section, element) = element_columns(&draft);
            tx.execute(
                "UPDATE finding SET scenario = ?2, issue = ?3, section = ?4, element = ?5,
                        corrective_action = ?6, owner = ?7, due = ?8
                 WHERE id = ?1",
                params![
                    id.as_str(),
                    draft.scenario,
                    draft.issue,
                    section,
                    element,
                    draft.corrective_action,
                    draft.owner.as_str(),
                    draft.due.to_string()
                ],
            )?;
            touch(tx, c)
        }
        ExerciseAction::CompleteFinding { id, done } => {
            let f = finding(ex, id)?;
            let done_at = match (done, f.done_at) {
                (true, Some(at)) => Some(at),
                (true, None) => Some(c.now),
                (false, _) => None,
            };
            tx.execute(
                "UPDATE finding SET done_at = ?2 WHERE id = ?1",
                params![id.as_str(), done_at.map(timestamp)],
            )?;
            touch(tx, c)
        }
        ExerciseAction::RemoveFinding { id } => {
            finding(ex, id)?;
            tx.execute("DELETE FROM finding WHERE id = ?1", [id.as_str()])?;
            touch(tx, c)
        }
        ExerciseAction::Attach {
            kind,
            label,
            target,
        } => attach::attach(tx, c, *kind, label, target, files),
        ExerciseAction::RemoveAttachment { number } => {
            let Some(a) = ex.attachments.iter().find(|a| a.number == *number) else {
                return Err(refused(format!("{} has no attachment {number}", ex.id)));
            };
            tx.execute(
                "DELETE FROM exercise_attachment WHERE exercise = ?1 AND number = ?2",
                params![ex.id.as_str(), number],
            )?;
            if a.kind == AttachmentKind::File {
                files.remove = Some(c.folder.join(&a.target));
            }
            touch(tx, c)
        }
        ExerciseAction::SaveNotes { text } => {
            tx.execute(
                "UPDATE exercise SET notes = ?2, updated_at = ?3 WHERE id = ?1",
                params![ex.id.as_str(), text.trim_end(), timestamp(c.now)],
            )?;
            Ok(())
        }
    }
}

/// Declares the scenario's exercise incident and logs its start: one write.
fn start_scenario(tx: &Transaction<'_>, c: &Context<'_>, key: &str) -> Result<()> {
    let ex = c.exercise;
    running(ex, "start a scenario")?;
    let s = scenario(ex, key)?;
    if let Some(other) = &ex.current {
        return Err(refused(format!(
            "{} is still running: end it before you start {}",
            name(ex, other),
            name(ex, key)
        )));
    }
    if let Some(run) = ex.runs.iter().find(|r| r.scenario == key) {
        return Err(refused(format!(
            "{} already ran (as {}): each scenario runs once",
            name(ex, key),
            run.incident
        )));
    }
    let number = ex
        .setup
        .scenarios
        .iter()
        .position(|x| x.key == key)
        .map_or(0, |i| i + 1);
    let severity = s
        .issue
        .as_ref()
        .and_then(|i| c.plan.issue(i))
        .map_or(Severity::S2, |i| i.severity);
    let declaration = Declaration {
        issue: s.issue.clone(),
        category: if s.issue.is_some() {
            None
        } else {
            s.category.clone()
        },
        title: Some(s.title.trim().to_owned()),
        severity,
        exercise: true,
        description: format!(
            "Exercise {}, scenario {number} of {}: {}",
            ex.id,
            ex.setup.scenarios.len(),
            s.title.trim()
        ),
        lead: None,
        scribe: None,
        communications: None,
    };
    let incident = declare(tx, c.plan, &declaration, c.now, c.author)?;
    append(
        tx,
        c,
        &ExerciseEventBody::ScenarioStarted {
            scenario: key.to_owned(),
            incident: incident.id,
        },
    )
}

fn rate(
    tx: &Transaction<'_>,
    c: &Context<'_>,
    objective: &str,
    rating: Rating,
    [observations, strengths, areas]: [&String; 3],
) -> Result<()> {
    tx.execute(
        "INSERT INTO exercise_rating
             (exercise, objective, rating, observations, strengths, areas, rated_at, rated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (exercise, objective) DO UPDATE SET
             rating = ?3, observations = ?4, strengths = ?5, areas = ?6,
             rated_at = ?7, rated_by = ?8",
        params![
            c.exercise.id.as_str(),
            objective,
            rating.as_str(),
            observations.trim(),
            strengths.trim(),
            areas.trim(),
            timestamp(c.now),
            c.author
        ],
    )?;
    touch(tx, c)
}

fn finding<'a>(ex: &'a Exercise, id: &FindingId) -> Result<&'a crate::exercise::model::Finding> {
    ex.findings
        .iter()
        .find(|f| &f.id == id)
        .ok_or_else(|| refused(format!("{} has no improvement item {id}", ex.id)))
}

fn element_columns(draft: &FindingDraft) -> (Option<&'static str>, Option<String>) {
    match &draft.element {
        Some(e) => (Some(e.section.as_str()), Some(e.key.clone())),
        None => (None, None),
    }
}

fn add_finding(tx: &Transaction<'_>, c: &Context<'_>, draft: &FindingDraft) -> Result<()> {
    let number: i64 = tx.query_row(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM finding",
        [],
        |r| r.get(0),
    )?;
    let (section, element) = element_columns(draft);
    tx.execute(
        "INSERT INTO finding (id, number, exercise, scenario, issue, section, element,
                              corrective_action, owner, due, created_at, done_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL)",
        params![
            format!("IMP-{number}"),
            number,
            c.exercise.id.as_str(),
            draft.scenario,
            draft.issue,
            section,
            element,
            draft.corrective_action,
            draft.owner.as_str(),
            draft.due.to_string(),
            timestamp(c.now)
        ],
    )?;
    touch(tx, c)
}
