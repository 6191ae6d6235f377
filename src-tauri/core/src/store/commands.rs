//! Steps that run: which of the plan's step commands this laptop's person
//! trusts, and a run recorded on the incident's timeline.
//!
//! Trust is kept by the command's SHA-256 (`StepCommand::sha256`) in
//! `command_trust`, a table of this laptop only. A command saved in this
//! laptop's editor is trusted as it is saved (`Store::apply`); one that came
//! by a plan import or from a teammate is not, until its person reviews it
//! here and trusts exactly that command. Any change to a command changes its
//! hash, so a command changed elsewhere is untrusted again.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::incidents::{append, current};
use super::Store;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::incident::chain;
use crate::incident::model::{
    EventBody, Incident, IncidentAction, IncidentId, StepStatus, MAX_COMMAND_OUTPUT,
};
use crate::plan::edit::PlanEdit;
use crate::plan::{Id, Plan, StepCommand};

/// A step's command as the console shows it before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandStatus {
    pub procedure: Id,
    pub step: Id,
    /// The program and arguments as a person reads them.
    pub shown: String,
    pub command: StepCommand,
    pub sha256: String,
    /// Trusted on this laptop: it may run.
    pub trusted: bool,
}

/// How a run ended, as the runner saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRun {
    pub dry_run: bool,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub output: String,
    pub millis: u64,
}

impl Store {
    /// Every step of the plan that carries a command, with its trust here.
    pub fn command_statuses(&mut self) -> Result<Vec<CommandStatus>> {
        let plan = self.current()?;
        let mut out = Vec::new();
        for p in &plan.procedures {
            for s in &p.steps {
                if let Some(command) = &s.command {
                    let sha256 = command.sha256();
                    out.push(CommandStatus {
                        procedure: p.id.clone(),
                        step: s.id.clone(),
                        shown: command.shown(),
                        trusted: trusted(&self.conn, &sha256)?,
                        command: command.clone(),
                        sha256,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Trusts the command of `procedure`/`step` on this laptop — exactly the
    /// one whose SHA-256 the person reviewed; refused, changing nothing,
    /// when the plan's command is another by now.
    pub fn trust_command(
        &mut self,
        procedure: &Id,
        step: &Id,
        sha256: &str,
        clock: &dyn Clock,
    ) -> Result<CommandStatus> {
        let now = clock.now();
        let author = self.author.clone();
        self.with_plan_tx(|tx, plan| {
            let command = command_of(plan, procedure, step)?;
            if command.sha256() != sha256 {
                return Err(Error::Refused(format!(
                    "the command of {procedure}/{step} changed since you reviewed it: review it again"
                )));
            }
            trust(tx, sha256, now, &author)?;
            Ok(())
        })?;
        self.command_statuses()?
            .into_iter()
            .find(|c| &c.procedure == procedure && &c.step == step)
            .ok_or_else(|| Error::Refused(format!("{procedure}/{step} has no command")))
    }

    /// The command to run for `procedure`/`step` of incident `id`: the
    /// plan's, when the incident follows that procedure and the command is
    /// trusted here; refused otherwise, saying why.
    pub fn command_to_run(
        &mut self,
        id: &IncidentId,
        procedure: &Id,
        step: &Id,
    ) -> Result<(StepCommand, Incident)> {
        let incident = current(&self.conn, id)?;
        let follows = incident
            .procedures
            .iter()
            .any(|p| &p.id == procedure && p.steps.iter().any(|s| &s.id == step));
        if !follows {
            return Err(Error::Refused(format!(
                "{id} has no step {procedure}/{step} to run"
            )));
        }
        let plan = self.current()?;
        let command = command_of(&plan, procedure, step)?.clone();
        if !trusted(&self.conn, &command.sha256())? {
            return Err(Error::Refused(format!(
                "the command of {procedure}/{step} is not trusted on this laptop: it came by an import or from a teammate, or changed since; review it, then trust it"
            )));
        }
        Ok((command, incident))
    }

    /// Records a run of `command` on incident `id`: what ran and how it
    /// ended; unless a dry run, the step is then marked done (exit status 0)
    /// or blocked, with why.
    pub fn record_command_run(
        &mut self,
        id: &IncidentId,
        procedure: &Id,
        step: &Id,
        command: &StepCommand,
        run: CommandRun,
        clock: &dyn Clock,
    ) -> Result<Incident> {
        let now = clock.now();
        let author = self.author.clone();
        self.with_plan_tx(|tx, plan| {
            let body = EventBody::CommandRan {
                procedure: procedure.clone(),
                step: step.clone(),
                command: command.shown(),
                sha256: command.sha256(),
                dry_run: run.dry_run,
                exit_code: run.exit_code,
                timed_out: run.timed_out,
                output: bounded(&run.output),
                millis: run.millis,
            };
            let incident = append(tx, id, now, &author, body)?;
            if run.dry_run {
                return Ok(incident);
            }
            let (status, note) = match (run.timed_out, run.exit_code) {
                (false, Some(0)) => (StepStatus::Done, "its command succeeded".to_owned()),
                (true, _) => (
                    StepStatus::Blocked,
                    "its command was stopped at its time limit".to_owned(),
                ),
                (false, Some(code)) => (
                    StepStatus::Blocked,
                    format!("its command failed with exit status {code}"),
                ),
                (false, None) => (
                    StepStatus::Blocked,
                    "its command did not run to an end".to_owned(),
                ),
            };
            let mark = IncidentAction::MarkStep {
                procedure: procedure.clone(),
                step: step.clone(),
                status,
                note,
            };
            let body = super::incidents::validate_action(plan, &incident, &mark, now)?;
            append(tx, id, now, &author, body)
        })
    }
}

/// The hashes of the commands the procedure `edit` saves had before it.
pub(super) fn commands_before(plan: &Plan, edit: &PlanEdit) -> Vec<String> {
    let PlanEdit::SaveProcedure { procedure, .. } = edit else {
        return Vec::new();
    };
    plan.procedures
        .iter()
        .filter(|p| p.id == procedure.id)
        .flat_map(|p| &p.steps)
        .filter_map(|s| s.command.as_ref().map(StepCommand::sha256))
        .collect()
}

/// Trusts the commands a save in this laptop's editor wrote or changed:
/// one it carries unchanged (`before` holds its hash) keeps whatever trust
/// it had, so saving a procedure to fix a typo trusts no imported command.
pub(super) fn trust_saved(
    conn: &Connection,
    edit: &PlanEdit,
    before: &[String],
    now: DateTime<Utc>,
    by: &str,
) -> Result<()> {
    if let PlanEdit::SaveProcedure { procedure, .. } = edit {
        for command in procedure.steps.iter().filter_map(|s| s.command.as_ref()) {
            let sha256 = command.sha256();
            if !before.contains(&sha256) {
                trust(conn, &sha256, now, by)?;
            }
        }
    }
    Ok(())
}

fn trust(conn: &Connection, sha256: &str, now: DateTime<Utc>, by: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO command_trust (sha256, trusted_at, trusted_by) VALUES (?1, ?2, ?3)
         ON CONFLICT (sha256) DO NOTHING",
        params![sha256, chain::timestamp(now), by],
    )?;
    Ok(())
}

fn trusted(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM command_trust WHERE sha256 = ?1",
            [sha256],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn command_of<'a>(plan: &'a Plan, procedure: &Id, step: &Id) -> Result<&'a StepCommand> {
    plan.procedures
        .iter()
        .find(|p| &p.id == procedure)
        .and_then(|p| p.steps.iter().find(|s| &s.id == step))
        .and_then(|s| s.command.as_ref())
        .ok_or_else(|| {
            Error::Refused(format!(
                "the plan's step {procedure}/{step} has no command to run"
            ))
        })
}

/// At most [`MAX_COMMAND_OUTPUT`] bytes of `output`: its end, on a
/// character boundary, after a line saying what was left out; control and
/// direction characters (a terminal's colour codes) shown as U+FFFD.
fn bounded(output: &str) -> String {
    let output = crate::plan::text::defused(output, true);
    if output.len() <= MAX_COMMAND_OUTPUT {
        return output;
    }
    let mut start = output.len() - MAX_COMMAND_OUTPUT;
    while !output.is_char_boundary(start) {
        start += 1;
    }
    format!(
        "[the first {start} bytes were left out]\n{}",
        &output[start..]
    )
}
