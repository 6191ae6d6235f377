//! The plan's thread in the store. On a laptop in a team, every plan
//! revision made here (in the window, by `muster plan import`, a folder
//! import, an undo or a restore) also becomes signed operations of the
//! thread [`PLAN_THREAD`], in the same transaction; the first one also
//! carries the plan as this laptop had it, when the thread is still empty,
//! so every laptop replays from the same start.
//!
//! Taking in replays the whole thread (every applied plan event, in the
//! shared causal order) into the plan: one revision per run of a teammate's
//! events, with their name as its author, and the conflicts the replay
//! leaves kept in `plan_conflict` until someone settles them
//! ([`Store::settle_conflict`]).

use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};
use serde_json::Value;

use super::{profile, thread_envelopes, Intake};
use crate::error::{Error, Result};
use crate::plan::elements::{self, ChangeSet};
use crate::plan::{Plan, Section};
use crate::store::{write_change, PlanChange, Store};
use crate::team::plan_ops::{
    self, Change, Merged, PlanChangeBody, PlanConflict, PlanOp, PLAN_CHANGE, PLAN_THREAD,
};
use crate::team::{order, EventId};

/// In a team: the revision `changes` (just written here, turning `before`
/// into `after`) becomes plan events. Nothing when not in a team, or while
/// taking in (what arrives is not sent back).
pub(in crate::store) fn record(
    tx: &Transaction<'_>,
    after: &Plan,
    changes: &ChangeSet,
    summary: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    if profile(tx)?.is_none() {
        return Ok(());
    }
    let empty: bool = !super::thread_shared(tx, PLAN_THREAD)?;
    if empty {
        // The plan this laptop had: where every laptop's replay starts.
        let mut before = after.clone();
        changes.apply(&mut before, false)?;
        let start = elements::diff(&Plan::empty(), &before, None);
        let ops = plan_ops::ops_from(&start);
        publish(
            tx,
            "The plan as it stood when the team began editing it",
            ops,
            at,
        )?;
    }
    publish(tx, summary, plan_ops::ops_from(changes), at)?;
    // A change made here has seen everything here, so it can settle a
    // conflict but never start one, and only on an element it changed:
    // replayed only then.
    let touched = conflicts(tx)?.iter().any(|c| {
        changes
            .elements
            .iter()
            .any(|e| e.section == c.section && e.key == c.key)
    });
    if touched {
        let merged = plan_ops::replay(applied_changes(tx)?).materialize(after);
        keep_conflicts(tx, &merged.conflicts)?;
    }
    Ok(())
}

/// What a new plan event follows: the heads of the applied plan events and
/// the highest clock among them, found from the parents kept beside each
/// event (the thread's bodies hold the whole plan; reading them all for
/// every edit would cost a large plan its speed).
pub(super) fn seen(tx: &Transaction<'_>) -> Result<crate::team::Ordered> {
    // Every parent named, then every event not named: two passes, each once
    // over the thread.
    let mut stmt = tx.prepare_cached(
        "SELECT DISTINCT p.value FROM team_event c, json_each(c.parents) p
         WHERE c.thread = ?1 AND c.applied = 'yes'",
    )?;
    let named: std::collections::HashSet<String> = stmt
        .query_map([PLAN_THREAD], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = tx.prepare_cached(
        "SELECT id, lamport FROM team_event WHERE thread = ?1 AND applied = 'yes'
         ORDER BY lamport, id",
    )?;
    let mut heads = Vec::new();
    let mut lamport = 0i64;
    let rows = stmt.query_map([PLAN_THREAD], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (id, clock) = row?;
        lamport = lamport.max(clock);
        if !named.contains(&id) {
            heads.push(EventId(id));
        }
    }
    let mut sorted = heads.clone();
    sorted.sort();
    Ok(crate::team::Ordered {
        order: heads,
        heads: sorted,
        lamport: u64::try_from(lamport).unwrap_or(0),
        ..crate::team::Ordered::default()
    })
}

/// Writes `ops` as one or more plan events, each after the one before.
fn publish(tx: &Transaction<'_>, summary: &str, ops: Vec<PlanOp>, at: DateTime<Utc>) -> Result<()> {
    if ops.is_empty() || super::TAKING_IN.with(std::cell::Cell::get) {
        return Ok(());
    }
    let Some(profile) = profile(tx)? else {
        return Ok(());
    };
    let mut after = seen(tx)?;
    for body in plan_ops::bodies(summary, ops) {
        let body = serde_json::to_value(&body)
            .map_err(|e| Error::Corrupt(format!("a plan event could not be written: {e}")))?;
        let (id, lamport) =
            super::record_after(tx, &profile, &after, PLAN_THREAD, PLAN_CHANGE, body, at)?;
        after = crate::team::Ordered {
            order: vec![id.clone()],
            heads: vec![id],
            lamport,
            ..crate::team::Ordered::default()
        };
    }
    Ok(())
}

/// The plan events this laptop applies, in the thread's order.
fn applied_changes(tx: &Transaction<'_>) -> Result<Vec<Change>> {
    let envelopes = thread_envelopes(tx, PLAN_THREAD)?;
    let placed = order(PLAN_THREAD, &envelopes);
    let mut out = Vec::new();
    for id in placed.order {
        let applied: Option<String> = tx.query_row(
            "SELECT applied FROM team_event WHERE id = ?1",
            [&id.0],
            |r| r.get(0),
        )?;
        if applied.as_deref() != Some("yes") {
            continue;
        }
        let envelope = envelopes[&id].clone();
        let Ok(body) = serde_json::from_value::<PlanChangeBody>(envelope.body.clone()) else {
            continue;
        };
        out.push(Change { id, envelope, body });
    }
    Ok(out)
}

/// Decides, for each teammate's plan event not yet looked at, whether it
/// may be applied: the ones that may, in the thread's order.
fn admit(tx: &Transaction<'_>) -> Result<Vec<EventId>> {
    let envelopes = thread_envelopes(tx, PLAN_THREAD)?;
    let placed = order(PLAN_THREAD, &envelopes);
    let mut admitted = Vec::new();
    for id in &placed.order {
        let (applied, origin): (Option<String>, String) = tx.query_row(
            "SELECT applied, origin FROM team_event WHERE id = ?1",
            [&id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if applied.is_some() || origin != "folder" {
            continue;
        }
        let envelope = &envelopes[id];
        let verdict = if envelope.kind == PLAN_CHANGE {
            match serde_json::from_value::<PlanChangeBody>(envelope.body.clone()) {
                Ok(body) => plan_ops::trust_problem(&body),
                Err(e) => Some(format!("its plan change cannot be read: {e}")),
            }
        } else {
            Some(format!("`{}` is not a plan change", envelope.kind))
        };
        let outcome = match verdict {
            None => {
                admitted.push(id.clone());
                "yes".to_owned()
            }
            Some(why) => why,
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
    Ok(admitted)
}

/// Keeps what the replay left disputed.
fn keep_conflicts(tx: &Transaction<'_>, conflicts: &[PlanConflict]) -> Result<()> {
    // With a WHERE clause: SQLite's truncation of a whole table would not
    // tell the change tracker, and the window would keep a settled conflict.
    tx.execute("DELETE FROM plan_conflict WHERE true", [])?;
    let mut stmt = tx.prepare("INSERT INTO plan_conflict (position, conflict) VALUES (?1, ?2)")?;
    for (i, conflict) in conflicts.iter().enumerate() {
        let text = serde_json::to_string(conflict)
            .map_err(|e| Error::Corrupt(format!("a plan conflict could not be kept: {e}")))?;
        stmt.execute(params![i as i64, text])?;
    }
    Ok(())
}

/// The conflicts kept, read in `conn`.
pub(in crate::store) fn conflicts(conn: &rusqlite::Connection) -> Result<Vec<PlanConflict>> {
    let mut stmt = conn.prepare("SELECT conflict FROM plan_conflict ORDER BY position")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(
            serde_json::from_str(&row?)
                .map_err(|e| Error::Corrupt(format!("a plan conflict cannot be read: {e}")))?,
        );
    }
    Ok(out)
}

/// The setting that keeps what the last replay of the team's plan could not
/// apply, for the team's status to say until a later replay can.
pub(super) const PLAN_PROBLEMS: &str = "team.plan_problems";

/// Keeps `problems` (none: forgets the last ones).
fn keep_problems(tx: &Transaction<'_>, problems: &[String]) -> Result<()> {
    if problems.is_empty() {
        tx.execute("DELETE FROM setting WHERE key = ?1", [PLAN_PROBLEMS])?;
    } else {
        let text = serde_json::to_string(problems)
            .map_err(|e| Error::Corrupt(format!("the plan's problems could not be kept: {e}")))?;
        tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = ?2",
            [PLAN_PROBLEMS, text.as_str()],
        )?;
    }
    Ok(())
}

/// Writes `to` over `from` as one revision by `author`, inside a savepoint:
/// a merged plan that would break the database's references is not
/// written, and says so. Whether it was written.
fn write_merged(
    tx: &Transaction<'_>,
    from: &Plan,
    to: &Plan,
    summary: &str,
    author: &str,
    now: &str,
) -> Result<std::result::Result<(), String>> {
    // A pinned roster's keys and approvers stand, whatever the thread says.
    let mut imposed;
    let to = match super::roster::in_force(tx)? {
        Some(roster) => {
            imposed = to.clone();
            roster.impose(&mut imposed);
            &imposed
        }
        None => to,
    };
    let changes = elements::diff(from, to, None);
    if changes.is_empty() {
        return Ok(Ok(()));
    }
    // Each laptop's edits were checked where they were made, but two sound
    // edits can merge into an unsound plan (one id added to both teams, a
    // step removed here that a change there refers to). A merge gets the
    // whole check: the editor's quicker check of one save trusts that the
    // stored plan is sound.
    if let Some(why) = unsound(from, to) {
        return Ok(Err(why));
    }
    tx.execute_batch("SAVEPOINT plan_replay")?;
    // A teammate's first snapshot changes everything: written whole, in order.
    let whole = changes.elements.len() > 500;
    let done = PlanChange {
        changes,
        summary: summary.to_owned(),
        whole,
    };
    let written = write_change(tx, to, &done, now, author);
    let broken: bool = match &written {
        Ok(_) => tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_foreign_key_check)",
            [],
            |r| r.get(0),
        )?,
        Err(Error::Storage(_)) => true,
        Err(_) => true,
    };
    if broken {
        tx.execute_batch("ROLLBACK TO plan_replay; RELEASE plan_replay")?;
        return Ok(Err(match written {
            Err(e) => e.to_string(),
            Ok(_) => "the merged plan would refer to elements it does not have".to_owned(),
        }));
    }
    tx.execute_batch("RELEASE plan_replay")?;
    Ok(Ok(()))
}

/// What makes the merged plan `to` unsound that `from` (the plan it would
/// replace) did not already have, said in one line; `None` when nothing.
fn unsound(from: &Plan, to: &Plan) -> Option<String> {
    let found = crate::plan::validate(to);
    if found.is_empty() {
        return None;
    }
    let had: std::collections::HashSet<String> = crate::plan::validate(from)
        .iter()
        .map(ToString::to_string)
        .collect();
    let new: Vec<String> = found
        .iter()
        .map(ToString::to_string)
        .filter(|p| !had.contains(p))
        .collect();
    let (shown, more) = new.split_at(new.len().min(3));
    match shown {
        [] => None,
        _ => Some(format!(
            "the merged plan would not be sound, so it was not written: {}{}",
            shown.join("; "),
            match more.len() {
                0 => String::new(),
                n => format!("; and {n} more"),
            }
        )),
    }
}

/// Takes in the plan thread's new events: admits what may be applied, then
/// replays the thread into the plan, one revision per run of one
/// teammate's events. The plan it leaves, when it changed.
pub(super) fn take_in(
    tx: &Transaction<'_>,
    current: &Plan,
    intake: &mut Intake,
    now: &str,
) -> Result<Option<Plan>> {
    let admitted = admit(tx)?;
    if admitted.is_empty() {
        return Ok(None);
    }
    intake.plan_changes += admitted.len();
    let all = applied_changes(tx)?;
    let names = |id: &crate::plan::Id| current.contact_name(id).unwrap_or(id.as_str()).to_owned();
    // Runs of consecutive new events by one author, in the thread's order:
    // each event's run, `None` for what was applied here before.
    // (author, summary of its latest event, how many events)
    let mut runs: Vec<(String, String, usize)> = Vec::new();
    let mut run_of: Vec<Option<usize>> = Vec::with_capacity(all.len());
    for change in &all {
        if !admitted.contains(&change.id) {
            run_of.push(None);
            continue;
        }
        let author = names(&change.envelope.author);
        match runs.last_mut() {
            Some((who, summary, count)) if *who == author => {
                change.body.summary.clone_into(summary);
                *count += 1;
            }
            _ => runs.push((author, change.body.summary.clone(), 1)),
        }
        run_of.push(Some(runs.len() - 1));
    }
    let roster = super::roster::in_force(tx)?;
    let mut shown = current.clone();
    let mut merged: Option<Merged> = None;
    for (i, (author, summary, count)) in runs.iter().enumerate() {
        // Everything applied before, and the new events up to this run.
        let upto: Vec<Change> = all
            .iter()
            .zip(&run_of)
            .filter(|(_, run)| run.is_none_or(|r| r <= i))
            .map(|(c, _)| c.clone())
            .collect();
        let mut result = plan_ops::replay(upto).materialize(current);
        // A pinned roster's keys and approvers stand, whatever a teammate wrote.
        if let Some(roster) = &roster {
            roster.impose(&mut result.plan);
        }
        let summary = match count {
            1 => format!("{summary} (from {author}'s laptop)"),
            n => format!(
                "{summary}, and {} earlier change{} (from {author}'s laptop)",
                n - 1,
                if *n == 2 { "" } else { "s" }
            ),
        };
        match write_merged(tx, &shown, &result.plan, &summary, author, now)? {
            Ok(()) => shown = result.plan.clone(),
            Err(why) => intake.plan_problems.push(why),
        }
        intake
            .plan_problems
            .extend(result.unreadable.iter().cloned());
        merged = Some(result);
    }
    if let Some(merged) = &merged {
        keep_conflicts(tx, &merged.conflicts)?;
    }
    keep_problems(tx, &intake.plan_problems)?;
    Ok((shown != *current).then_some(shown))
}

impl Store {
    /// What the team's plan leaves disputed, until someone settles it.
    pub fn plan_conflicts(&self) -> Result<Vec<PlanConflict>> {
        conflicts(&self.conn)
    }

    /// Settles a conflict by writing once more the value the event `keep`
    /// wrote (its id, or the start of it), having seen every value in
    /// dispute: for a field, that value; for an element removed on one
    /// laptop and changed on another, keeping it or removing it. The new
    /// write travels like any plan change. (Writing a new value in the
    /// editor settles it too.) The conflicts left.
    pub fn settle_conflict(
        &mut self,
        section: Section,
        key: &str,
        field: &str,
        keep: &str,
        clock: &dyn crate::clock::Clock,
    ) -> Result<Vec<PlanConflict>> {
        let at = clock.now();
        let now = crate::store::timestamp(clock);
        let author = self.author.clone();
        self.with_plan_tx(|tx, plan| {
            if profile(tx)?.is_none() {
                return Err(Error::Refused(
                    "this laptop is not in a team: there is nothing to settle".to_owned(),
                ));
            }
            let known = conflicts(tx)?;
            let Some(conflict) = known
                .iter()
                .find(|c| c.section == section && c.key == key && c.field == field)
            else {
                return Err(Error::NotFound {
                    what: "plan conflict",
                    id: format!("{} `{key}` {field}", section.noun()),
                });
            };
            let chosen: Vec<&plan_ops::ConflictValue> = conflict
                .values
                .iter()
                .filter(|v| !keep.is_empty() && v.event.starts_with(keep))
                .collect();
            let [chosen] = chosen.as_slice() else {
                return Err(Error::Refused(format!(
                    "`{keep}` names none of the values in dispute, or more than one: give the event of the value to keep ({})",
                    conflict
                        .values
                        .iter()
                        .map(|v| v.event.get(..8).unwrap_or(&v.event).to_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            let value = chosen.value.clone();
            let op = if field.is_empty() {
                match value {
                    Value::Bool(false) => PlanOp::Remove {
                        section,
                        key: key.to_owned(),
                    },
                    Value::Bool(true) => PlanOp::Add {
                        section,
                        key: key.to_owned(),
                        value: elements::get(plan, section, key).ok_or_else(|| {
                            Error::Refused(format!("{} `{key}` is not in the plan", section.noun()))
                        })?,
                    },
                    _ => {
                        return Err(Error::Refused(
                            "keep (true) or remove (false) the element".to_owned(),
                        ))
                    }
                }
            } else {
                PlanOp::Set {
                    section,
                    key: key.to_owned(),
                    field: field.to_owned(),
                    value,
                }
            };
            let summary = format!(
                "Settled the conflict on {} “{}”",
                section.noun(),
                conflict.title
            );
            // Written, then replayed: a value that does not fit the element
            // refuses the whole transaction, so nothing is kept.
            publish(tx, &summary, vec![op], at)?;
            let merged = plan_ops::replay(applied_changes(tx)?).materialize(plan);
            if let Some(why) = merged.unreadable.first() {
                return Err(Error::Refused(format!("that value does not fit: {why}")));
            }
            if let Err(why) = write_merged(tx, plan, &merged.plan, &summary, &author, &now)? {
                return Err(Error::Refused(why));
            }
            keep_conflicts(tx, &merged.conflicts)?;
            Ok(merged.conflicts)
        })
    }
}
