//! Exercises in the store: the set-up (a JSON document while planned), the
//! append-only run log (`exercise_event`, UPDATE/DELETE refused by triggers),
//! ratings, findings (improvement items) and attachments. Starting a scenario
//! declares its exercise-mode incident and logs it in one transaction.

mod act;
mod attach;
mod read;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::params;

use self::act::{Context, Files};
use super::incidents::{load_events, time};
use super::Store;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::exercise::model::{
    Exercise, ExerciseAction, ExerciseId, ExerciseSetup, ExerciseStatus, ExerciseSummary,
    ExerciseView, Finding, IncidentPhase, ParticipantView, ProgrammeReminder, ReadBack, Readiness,
    Scenario,
};
use crate::exercise::readiness::ReadinessInput;
use crate::exercise::validate;
use crate::exercise::{draft, improvement, participant, programme, readback, readiness, report};
use crate::incident::chain::timestamp;
use crate::incident::state::fold;
use crate::plan::check::{self, Gap};
use crate::plan::Id;

/// The folder inside the data folder where an exercise's attached files live:
/// `exercises/EX-n/`.
pub const EXERCISES_DIR: &str = "exercises";

/// The setting recording that a programme reminder was raised:
/// `exercise.reminded:<key>` = `1|0 <time>` (delivered or not).
const REMINDED: &str = "exercise.reminded:";

fn setup_json(setup: &ExerciseSetup) -> Result<String> {
    serde_json::to_string(setup)
        .map_err(|e| Error::Corrupt(format!("the set-up could not be written: {e}")))
}

fn refuse_unless_planned(id: &ExerciseId, status: ExerciseStatus, what: &str) -> Result<()> {
    match status {
        ExerciseStatus::Planned => Ok(()),
        _ => Err(Error::Refused(format!(
            "{id} has started: {what}, because the run is part of the record"
        ))),
    }
}

impl Store {
    /// `<data folder>/exercises/EX-n/`, where the exercise's files are copied.
    pub fn exercise_folder(&self, id: &ExerciseId) -> PathBuf {
        self.path
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(EXERCISES_DIR)
            .join(id.as_str())
    }

    /// Creates a planned exercise after checking the set-up: `EX-n` on a
    /// laptop alone; in a team an id no other laptop makes, the set-up shared.
    pub fn create_exercise(
        &mut self,
        setup: &ExerciseSetup,
        clock: &dyn Clock,
    ) -> Result<Exercise> {
        let at = clock.now();
        let now = timestamp(at);
        validate::setup(&*self.current()?, setup)?;
        let json = setup_json(setup)?;
        let id = self.with_tx(|tx| {
            let number: i64 = tx.query_row(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM exercise",
                [],
                |r| r.get(0),
            )?;
            let team = super::team::profile(tx)?;
            let id = match &team {
                Some(profile) => super::team::exercise::new_exercise_id(tx, profile, at)?,
                None => ExerciseId(format!("EX-{number}")),
            };
            tx.execute(
                "INSERT INTO exercise (id, number, title, date, status, setup, notes,
                                       created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'planned', ?5, '', ?6, ?6)",
                params![
                    id.as_str(),
                    number,
                    setup.title.trim(),
                    setup.date.to_string(),
                    json,
                    now
                ],
            )?;
            super::team::exercise::record_setup(tx, &id, setup, true, at)?;
            Ok(id)
        })?;
        self.exercise(&id)
    }

    /// Replaces the set-up of a planned exercise; refused once started.
    pub fn update_exercise_setup(
        &mut self,
        id: &ExerciseId,
        setup: &ExerciseSetup,
        clock: &dyn Clock,
    ) -> Result<Exercise> {
        let at = clock.now();
        let now = timestamp(at);
        let json = setup_json(setup)?;
        self.with_plan_tx(|tx, plan| {
            let status = read::exercise(tx, id)?.status;
            refuse_unless_planned(id, status, "its set-up is fixed once it runs")?;
            validate::setup(plan, setup)?;
            super::team::exercise::record_setup(tx, id, setup, false, at)?;
            tx.execute(
                "UPDATE exercise SET title = ?2, date = ?3, setup = ?4, updated_at = ?5
                 WHERE id = ?1",
                params![
                    id.as_str(),
                    setup.title.trim(),
                    setup.date.to_string(),
                    json,
                    now
                ],
            )?;
            Ok(())
        })?;
        self.exercise(id)
    }

    /// Deletes a planned exercise; refused once started (its log is kept).
    pub fn delete_exercise(&mut self, id: &ExerciseId) -> Result<()> {
        self.with_tx(|tx| {
            let status = read::exercise(tx, id)?.status;
            refuse_unless_planned(id, status, "it can no longer be deleted")?;
            for table in ["exercise_attachment", "exercise_rating", "finding"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE exercise = ?1"),
                    [id.as_str()],
                )?;
            }
            tx.execute("DELETE FROM exercise WHERE id = ?1", [id.as_str()])?;
            Ok(())
        })?;
        // The copied files go too; the database no longer names them.
        let folder = self.exercise_folder(id);
        if folder.exists() {
            let _ = std::fs::remove_dir_all(folder);
        }
        Ok(())
    }

    /// Every exercise, by date, newest first.
    pub fn exercises(&mut self) -> Result<Vec<ExerciseSummary>> {
        read::summaries(&self.conn)
    }

    pub fn exercise(&mut self, id: &ExerciseId) -> Result<Exercise> {
        read::exercise(&self.conn, id)
    }

    /// Applies one action, or refuses it and changes nothing.
    pub fn act_on_exercise(
        &mut self,
        id: &ExerciseId,
        action: &ExerciseAction,
        clock: &dyn Clock,
    ) -> Result<Exercise> {
        let now = clock.now();
        let plan = self.current()?;
        let author = self.author.clone();
        let folder = self.exercise_folder(id);
        let mut files = Files::default();
        let result = self.with_tx(|tx| {
            let exercise = read::exercise(tx, id)?;
            super::team::exercise::refuse_unless_moderator(
                tx,
                &plan,
                id,
                &exercise.setup.moderator,
            )?;
            let context = Context {
                plan: &plan,
                exercise: &exercise,
                now,
                author: &author,
                folder: &folder,
            };
            act::apply(tx, &context, action, &mut files)
        });
        match result {
            Ok(()) => {
                if let Some(path) = files.remove {
                    let _ = std::fs::remove_file(path);
                }
            }
            Err(e) => {
                // Nothing was recorded, so the copy is taken back too.
                if let Some(path) = files.copied {
                    let _ = std::fs::remove_file(path);
                }
                return Err(e);
            }
        }
        self.exercise(id)
    }

    /// The read-backs of `exercise`'s runs and its incidents' phases at `now`.
    fn read_backs(
        &mut self,
        exercise: &Exercise,
        now: DateTime<Utc>,
    ) -> Result<(Vec<ReadBack>, Vec<IncidentPhase>)> {
        let mut read_backs = Vec::new();
        let mut phases = Vec::new();
        for run in &exercise.runs {
            let events = load_events(&self.conn, &run.incident)?;
            let incident = fold(&events)?;
            phases.push(IncidentPhase {
                incident: run.incident.clone(),
                phase: incident.phase,
            });
            if let Some(s) = exercise
                .setup
                .scenarios
                .iter()
                .find(|s| s.key == run.scenario)
            {
                read_backs.push(readback::read_back(s, run, &events, now));
            }
        }
        Ok((read_backs, phases))
    }

    /// The moderator's console at `now`: the exercise with every run's read-back.
    pub fn exercise_view(&mut self, id: &ExerciseId, now: DateTime<Utc>) -> Result<ExerciseView> {
        let exercise = self.exercise(id)?;
        let (read_backs, phases) = self.read_backs(&exercise, now)?;
        Ok(ExerciseView {
            exercise,
            read_backs,
            phases,
            now,
        })
    }

    pub fn participant_view(
        &mut self,
        id: &ExerciseId,
        now: DateTime<Utc>,
    ) -> Result<ParticipantView> {
        let exercise = self.exercise(id)?;
        Ok(participant::participant_view(&exercise, now))
    }

    /// The after-action report: Markdown, or printable HTML when `html`.
    pub fn exercise_report(
        &mut self,
        id: &ExerciseId,
        html: bool,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let view = self.exercise_view(id, now)?;
        let plan = self.current()?;
        Ok(if html {
            report::html(&plan, &view, now)
        } else {
            report::markdown(&plan, &view, now)
        })
    }

    /// A scenario prefilled from a potential issue of the current plan.
    pub fn draft_scenario(&mut self, issue: &Id, key: &str) -> Result<Scenario> {
        draft::scenario_from_issue(&*self.current()?, issue, key).ok_or_else(|| Error::NotFound {
            what: "potential issue",
            id: issue.to_string(),
        })
    }

    /// Every improvement item, open first (soonest due first), then done.
    pub fn findings(&mut self) -> Result<Vec<Finding>> {
        let mut all = read::findings_where(&self.conn, "", [])?;
        // Numbered in order already; a stable sort keeps that among equals.
        all.sort_by_key(|f| (f.done_at.is_some(), f.due));
        Ok(all)
    }

    /// The day the plan was first saved: where its exercise policy's "while
    /// new" starts.
    fn plan_since(&self) -> Result<NaiveDate> {
        let first: Option<String> =
            self.conn
                .query_row("SELECT MIN(created_at) FROM revision", [], |r| r.get(0))?;
        first
            .as_deref()
            .and_then(time)
            .map(|t| t.date_naive())
            .ok_or_else(|| Error::Corrupt("the plan has no first revision".to_owned()))
    }

    pub fn readiness(&mut self, now: DateTime<Utc>, zone: Tz) -> Result<Readiness> {
        let plan = self.current()?;
        let plan_since = self.plan_since()?;
        let mut exercises = Vec::new();
        for id in read::ids(&self.conn)? {
            let exercise = self.exercise(&id)?;
            let (read_backs, _) = self.read_backs(&exercise, now)?;
            exercises.push((exercise, read_backs));
        }
        let mut incidents = Vec::new();
        for summary in self.incidents()?.into_iter().rev() {
            let events = load_events(&self.conn, &summary.id)?;
            incidents.push((fold(&events)?, events));
        }
        let input = ReadinessInput {
            plan: &plan,
            plan_since,
            exercises: &exercises,
            incidents: &incidents,
        };
        Ok(readiness::readiness(&input, now, zone))
    }

    /// The day the next exercise is due by the policy, counting each ended
    /// exercise on the day it was held in `zone` (see `readiness::held_on`).
    pub fn next_exercise_due(&mut self, zone: Tz) -> Result<NaiveDate> {
        let mut held = Vec::new();
        for summary in self.exercises()? {
            if summary.status == ExerciseStatus::Ended {
                held.push(readiness::held_on(&self.exercise(&summary.id)?, zone));
            }
        }
        let since = self.plan_since()?;
        Ok(programme::next_due(
            &self.current()?.exercise_policy,
            since,
            &held,
        ))
    }

    /// The programme reminders due at `now` that were never raised, and when
    /// the next one comes. Raised keys are recorded with [`Store::record_programme_reminder`].
    ///
    /// In a team, a running exercise that this laptop's person takes part in,
    /// run from the moderator's laptop, is one too (`exercise-running:{id}`):
    /// "you take part", raised once; not for one that has ended.
    pub fn programme_reminders(
        &mut self,
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<(Vec<ProgrammeReminder>, Option<DateTime<Utc>>)> {
        let due = self.next_exercise_due(zone)?;
        let (mut all, next) = programme::reminders(due, zone, now);
        all.extend(self.taking_part()?);
        let mut fresh = Vec::new();
        for reminder in all {
            if self
                .setting(&format!("{REMINDED}{}", reminder.key))?
                .is_none()
            {
                fresh.push(reminder);
            }
        }
        Ok((fresh, next))
    }

    /// The running exercises, run from another laptop, that this laptop's
    /// person takes part in, as reminders to raise.
    fn taking_part(&mut self) -> Result<Vec<ProgrammeReminder>> {
        let Some(me) = self.profile_contact()? else {
            return Ok(Vec::new());
        };
        let plan = self.current()?;
        let mut out = Vec::new();
        for summary in self.exercises()? {
            if summary.status != ExerciseStatus::Running {
                continue;
            }
            let exercise = self.exercise(&summary.id)?;
            let Some(moderator) = &exercise.driven_from else {
                continue;
            };
            if !exercise.setup.participants.contains(&me) {
                continue;
            }
            let name = plan.contact_name(moderator).unwrap_or(moderator.as_str());
            out.push(ProgrammeReminder {
                key: format!("exercise-running:{}", exercise.id.as_str()),
                at: exercise.started_at.unwrap_or(exercise.created_at),
                title: format!(
                    "EXERCISE — {} {} has started: you take part",
                    exercise.id.as_str(),
                    exercise.setup.title
                ),
                body: format!(
                    "{name} moderates it from their laptop. Open Muster for the participants' view; the scenario's incident is marked EXERCISE."
                ),
            });
        }
        Ok(out)
    }

    /// Records that a programme reminder was raised (delivered or not), so it
    /// is never raised again.
    pub fn record_programme_reminder(
        &mut self,
        reminder: &ProgrammeReminder,
        delivered: bool,
        clock: &dyn Clock,
    ) -> Result<()> {
        let value = format!("{} {}", u8::from(delivered), timestamp(clock.now()));
        // The first record stands: a key raised once is never raised again.
        self.conn.execute(
            "INSERT OR IGNORE INTO setting (key, value) VALUES (?1, ?2)",
            params![format!("{REMINDED}{}", reminder.key), value],
        )?;
        Ok(())
    }

    /// The plan check with open improvement items added.
    pub fn plan_check(&mut self, now: DateTime<Utc>) -> Result<Vec<Gap>> {
        let open = read::findings_where(&self.conn, "WHERE done_at IS NULL", [])?;
        let plan = self.current()?;
        let mut gaps = check::check(&plan, now);
        gaps.extend(improvement::gaps(&plan, &open, now.date_naive()));
        gaps.extend(
            super::team::plan::conflicts(&self.conn)?
                .iter()
                .map(|c| crate::team::plan_ops::gap(&plan, c)),
        );
        let targets = self.update_targets()?;
        for rule in &plan.communications {
            if !targets.iter().any(|t| t.rule == rule.id) {
                gaps.push(Gap {
                    kind: crate::plan::check::GapKind::UpdateTargetMissing,
                    level: crate::plan::check::GapLevel::Suggestion,
                    section: crate::plan::Section::Communications,
                    element: rule.id.to_string(),
                    message: format!(
                        "{} sends its updates nowhere from this laptop: say where in Settings → Where updates go (Slack, Discord, Telegram, Matrix or a JSON endpoint), or keep posting them by hand",
                        crate::plan::check::element_name(&plan, crate::plan::Section::Communications, rule.id.as_str()),
                    ),
                });
            }
        }
        // Stable: the check's own order within a section, the items after it.
        gaps.sort_by_key(|g| g.section);
        Ok(gaps)
    }
}
