//! Store tests of steps that run: a command that came by an import is not
//! trusted; trusting binds to its hash and one changed byte undoes it; the
//! editor's own save trusts what it wrote and nothing it left unchanged; a
//! run is recorded with the step marked, a dry run without.

use std::path::Path;

use super::*;
use crate::incident::model::{Declaration, EventBody, IncidentId, StepStatus};
use crate::plan::{id, Id, Severity, StepCommand};
use crate::store::{CommandRun, CommandStatus};
use crate::testing::at;

fn ok<T>(result: Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn open(dir: &Path) -> Store {
    let mut store = ok(Store::open_in(dir, &at("2026-03-01T09:30:00Z")));
    ok(store.set_profile_name("Ada Example"));
    store
}

fn command(argv: &[&str]) -> StepCommand {
    StepCommand {
        argv: argv.iter().map(|a| (*a).to_owned()).collect(),
        dir: String::new(),
        timeout_seconds: 30,
        env: vec!["RPC_URL".to_owned()],
    }
}

/// The first step of the oracle procedure, and its procedure's id.
fn oracle_step(store: &mut Store) -> (Id, Id) {
    let plan = ok(store.plan());
    let p = plan
        .procedures
        .iter()
        .find(|p| p.issues.iter().any(|i| i.as_str() == "oracle-failure"))
        .unwrap_or_else(|| panic!("no oracle procedure"));
    (p.id.clone(), p.steps[0].id.clone())
}

/// Imports the plan with `command` on the step, as `plan import` writes a plan.
fn import_with(store: &mut Store, procedure: &Id, step: &Id, c: StepCommand) {
    let mut plan = ok(store.plan());
    for p in plan.procedures.iter_mut().filter(|p| &p.id == procedure) {
        for s in p.steps.iter_mut().filter(|s| &s.id == step) {
            s.command = Some(c.clone());
        }
    }
    ok(store.replace_plan(&plan, "Imported a plan folder", &at("2026-03-01T10:00:00Z")));
}

fn status(store: &mut Store, procedure: &Id, step: &Id) -> CommandStatus {
    ok(store.command_statuses())
        .into_iter()
        .find(|c| &c.procedure == procedure && &c.step == step)
        .unwrap_or_else(|| panic!("no command on {procedure}/{step}"))
}

fn declare(store: &mut Store, exercise: bool) -> IncidentId {
    ok(store.declare_incident(
        &Declaration {
            issue: Some(id("oracle-failure")),
            category: None,
            title: None,
            severity: Severity::S1,
            exercise,
            description: String::new(),
            lead: None,
            scribe: None,
            communications: None,
        },
        &at("2026-03-01T10:05:00Z"),
    ))
    .id
}

#[test]
fn an_imported_command_cannot_run_until_trusted_and_one_changed_byte_undoes_the_trust() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let (procedure, step) = oracle_step(&mut store);
    import_with(
        &mut store,
        &procedure,
        &step,
        command(&["scripts/pause.sh", "--pool", "main"]),
    );
    let incident = declare(&mut store, false);
    let imported = status(&mut store, &procedure, &step);
    assert!(!imported.trusted);
    assert_eq!(imported.shown, "scripts/pause.sh --pool main");
    let refused = store.command_to_run(&incident, &procedure, &step);
    assert!(
        matches!(&refused, Err(Error::Refused(why)) if why.contains("not trusted on this laptop")),
        "{refused:?}"
    );
    // Trusting another command than the plan's (a stale review) is refused.
    let stale = store.trust_command(
        &procedure,
        &step,
        &"0".repeat(64),
        &at("2026-03-01T10:06:00Z"),
    );
    assert!(matches!(stale, Err(Error::Refused(_))), "{stale:?}");
    assert!(!status(&mut store, &procedure, &step).trusted);
    // Reviewed and trusted: it may run.
    let trusted = ok(store.trust_command(
        &procedure,
        &step,
        &imported.sha256,
        &at("2026-03-01T10:06:00Z"),
    ));
    assert!(trusted.trusted);
    assert!(store.command_to_run(&incident, &procedure, &step).is_ok());
    // One byte changed by another import: untrusted again.
    import_with(
        &mut store,
        &procedure,
        &step,
        command(&["scripts/pause.sh", "--pool", "mainx"]),
    );
    assert!(!status(&mut store, &procedure, &step).trusted);
    assert!(store.command_to_run(&incident, &procedure, &step).is_err());
}

#[test]
fn the_editor_trusts_the_command_it_wrote_and_not_one_it_left_unchanged() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let (procedure, step) = oracle_step(&mut store);
    import_with(
        &mut store,
        &procedure,
        &step,
        command(&["scripts/pause.sh"]),
    );
    // A typo fixed elsewhere in the procedure leaves the imported command as it was.
    let mut p = ok(store.plan())
        .procedures
        .into_iter()
        .find(|p| p.id == procedure)
        .unwrap_or_else(|| panic!("no procedure"));
    p.title.push_str(" (checked)");
    ok(store.apply(
        &PlanEdit::SaveProcedure {
            procedure: p.clone(),
            position: None,
        },
        &at("2026-03-01T10:10:00Z"),
    ));
    assert!(!status(&mut store, &procedure, &step).trusted);
    // The person writes the command themselves: theirs, trusted.
    p.steps[0].command = Some(command(&["scripts/pause.sh", "--now"]));
    ok(store.apply(
        &PlanEdit::SaveProcedure {
            procedure: p,
            position: None,
        },
        &at("2026-03-01T10:11:00Z"),
    ));
    assert!(status(&mut store, &procedure, &step).trusted);
}

#[test]
fn a_run_is_recorded_and_marks_its_step_a_dry_run_marks_nothing() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let (procedure, step) = oracle_step(&mut store);
    import_with(&mut store, &procedure, &step, command(&["true"]));
    let incident = declare(&mut store, false);
    let sha = status(&mut store, &procedure, &step).sha256;
    ok(store.trust_command(&procedure, &step, &sha, &at("2026-03-01T10:06:00Z")));
    let (c, _) = ok(store.command_to_run(&incident, &procedure, &step));
    let dry = ok(store.record_command_run(
        &incident,
        &procedure,
        &step,
        &c,
        CommandRun {
            dry_run: true,
            exit_code: None,
            timed_out: false,
            output: String::new(),
            millis: 0,
        },
        &at("2026-03-01T10:07:00Z"),
    ));
    assert!(
        dry.steps.is_empty(),
        "a dry run marks nothing: {:?}",
        dry.steps
    );
    let stopped = ok(store.record_command_run(
        &incident,
        &procedure,
        &step,
        &c,
        CommandRun {
            dry_run: false,
            exit_code: None,
            timed_out: true,
            output: format!("{}\u{1b}[31mred\u{202e}", "x".repeat(20_000)),
            millis: 30_000,
        },
        &at("2026-03-01T10:08:00Z"),
    ));
    assert_eq!(stopped.steps[0].status, StepStatus::Blocked);
    let events = ok(store.events(&incident));
    let ran = events
        .iter()
        .rev()
        .find_map(|e| match &e.body {
            EventBody::CommandRan {
                output, timed_out, ..
            } => Some((output.clone(), *timed_out)),
            _ => None,
        })
        .unwrap_or_default();
    assert!(ran.1);
    assert!(
        ran.0.starts_with("[the first "),
        "the end is kept: {}",
        &ran.0[..40]
    );
    assert!(
        ran.0.ends_with("\u{FFFD}[31mred\u{FFFD}"),
        "control characters shown as U+FFFD"
    );
    assert!(ran.0.len() < crate::incident::model::MAX_COMMAND_OUTPUT + 64);
    let entry = crate::incident::timeline::describe(&events[events.len() - 2]);
    assert_eq!(
        entry.text,
        format!("Command for {procedure}/{step} — stopped at its time limit after 30 s")
    );
    let done = ok(store.record_command_run(
        &incident,
        &procedure,
        &step,
        &c,
        CommandRun {
            dry_run: false,
            exit_code: Some(0),
            timed_out: false,
            output: "ok\n".to_owned(),
            millis: 1200,
        },
        &at("2026-03-01T10:09:00Z"),
    ));
    assert_eq!(done.steps[0].status, StepStatus::Done);
    // A step the incident does not follow has nothing to run.
    assert!(store
        .command_to_run(&incident, &procedure, &id("no-such-step"))
        .is_err());
}

#[test]
fn a_command_is_checked_like_any_field() {
    let mut plan = starter::plan(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default());
    let p = &mut plan.procedures[0];
    let label = format!("procedures `{}/{}`", p.id, p.steps[0].id);
    p.steps[0].command = Some(StepCommand {
        argv: vec![],
        dir: String::new(),
        timeout_seconds: 0,
        env: vec!["1BAD".to_owned()],
    });
    let got: Vec<String> = crate::plan::validate(&plan)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        [
            format!("{label}, command: names no program: write the program, then its arguments"),
            format!("{label}, command: time limit 0 s: give one from 1 to 3600 seconds"),
            format!("{label}, command: \"1BAD\" is not an environment variable name (letters, digits and _, not starting with a digit)"),
        ]
    );
}
