//! Editing a large plan: what a person waits for between pressing Save and
//! the app reporting it saved (validated, written with its revision and
//! search rows, and synced to disk with synchronous=FULL), on the same
//! generated plan as the search bench. Also times opening the store and
//! undoing an edit.
//!
//! Run with `cargo bench -p muster-core --bench editor`.

mod common;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use muster_core::clock::SystemClock;
use muster_core::generate;
use muster_core::plan::edit::PlanEdit;
use muster_core::store::Store;

const EDITS: usize = 200;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("editor bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("muster-editor-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let size = common::large();
    let plan = generate::plan(size, 7);

    let started = Instant::now();
    let mut store = Store::open_in(&dir, &SystemClock)?;
    store.replace_plan(&plan, "Imported the generated plan", &SystemClock)?;
    let imported = started.elapsed();
    drop(store);

    let started = Instant::now();
    let mut store = Store::open_in(&dir, &SystemClock)?;
    let _ = store.plan()?;
    let reopened = started.elapsed();

    let mut issue_saves = Vec::with_capacity(EDITS);
    let mut step_saves = Vec::with_capacity(EDITS);
    let mut last = None;
    for n in 0..common::runs(EDITS) {
        let mut issue = plan.issues[(n * 37) % plan.issues.len()].clone();
        issue.title = format!("{} (edit {n})", issue.title);
        let t = Instant::now();
        last = store.apply(
            &PlanEdit::SaveIssue {
                issue,
                position: None,
            },
            &SystemClock,
        )?;
        issue_saves.push(t.elapsed());

        let mut procedure = plan.procedures[(n * 53) % plan.procedures.len()].clone();
        procedure.steps[3].action = format!("{} (edit {n})", procedure.steps[3].action);
        let t = Instant::now();
        store.apply(
            &PlanEdit::SaveProcedure {
                procedure,
                position: None,
            },
            &SystemClock,
        )?;
        step_saves.push(t.elapsed());
    }
    let t = Instant::now();
    if let Some(rev) = last {
        store.undo(rev.id, &SystemClock)?;
    }
    let undo = t.elapsed();

    // Where a save's time goes.
    let t = Instant::now();
    let copy = plan.clone();
    let clone = t.elapsed();
    let t = Instant::now();
    let problems = muster_core::plan::validate(&copy);
    let validate = t.elapsed();
    let t = Instant::now();
    let keys = muster_core::plan::elements::keys(&copy, muster_core::plan::Section::Procedures);
    let keys_time = t.elapsed();
    println!("parts: clone plan {:.1} ms; validate plan {:.1} ms ({} problems); keys of a section {:.1} ms ({})",
        ms(clone), ms(validate), problems.len(), ms(keys_time), keys.len());

    println!(
        "plan: {} issues, {} procedures x {} steps, {} contacts",
        size.issues, size.procedures, size.steps_per_procedure, size.contacts
    );
    println!(
        "import as one revision: {} ms; reopen and load: {} ms; undo one edit: {} ms",
        imported.as_millis(),
        reopened.as_millis(),
        undo.as_millis()
    );
    println!(
        "{:<28}{:>9}{:>9}{:>9}{:>9}{:>8}",
        "", "p50 ms", "p90 ms", "p99 ms", "max ms", "edits"
    );
    for (name, times) in [
        ("save an issue", &mut issue_saves),
        ("save a procedure's step", &mut step_saves),
    ] {
        times.sort();
        let at = |q: f64| ms(times[((times.len() as f64 * q) as usize).min(times.len() - 1)]);
        println!(
            "{name:<28}{:>9.2}{:>9.2}{:>9.2}{:>9.2}{:>8}",
            at(0.5),
            at(0.9),
            at(0.99),
            ms(times[times.len() - 1]),
            times.len()
        );
    }

    // The same store in a team: the first edit also records the plan as it
    // stood (the snapshot every laptop replays from); later edits record
    // only their fields.
    let folder = dir.join("team-folder");
    std::fs::create_dir_all(&folder)?;
    store.set_profile_contact(&plan.core_team[0].id)?;
    store.join_team(&folder, "bench-laptop")?;
    let mut team_saves = issue_saves_timed(&mut store, &plan, EDITS / 4, 41, "team edit")?;
    let first_team_save = team_saves.remove(0);
    team_saves.sort();
    let outbox = store.team_outbox()?.len();
    println!(
        "in a team: first save (with the snapshot, {outbox} events in the outbox) {:.0} ms; later saves p50 {:.2} ms, p90 {:.2} ms",
        ms(first_team_save),
        ms(team_saves[team_saves.len() / 2]),
        ms(team_saves[team_saves.len() * 9 / 10])
    );

    // The same team with a pinned roster of every keyed core member: a save
    // also checks that it leaves the roster's keys and approvers alone.
    let admin = muster_core::decision::sshsig::generate([9; 32]);
    let mut me = store.plan()?.core_team[0].clone();
    me.public_key = Some(muster_core::decision::sshsig::public_line(
        admin.public_key(),
    ));
    store.apply(
        &PlanEdit::SaveCoreMember {
            member: me.clone(),
            position: None,
        },
        &SystemClock,
    )?;
    let t = Instant::now();
    let file = store.start_roster(std::slice::from_ref(&me.id), &admin, &SystemClock)?;
    let started = t.elapsed();
    let mut roster_saves = issue_saves_timed(&mut store, &plan, EDITS / 4, 43, "roster edit")?;
    roster_saves.sort();
    let mut member = store.plan()?.core_team[2].clone();
    member.role = format!("{} (edited)", member.role);
    let t = Instant::now();
    store.apply(
        &PlanEdit::SaveCoreMember {
            member,
            position: None,
        },
        &SystemClock,
    )?;
    let member_save = t.elapsed();
    println!(
        "with a pinned roster of {} keys ({} KiB): started in {:.0} ms; issue saves p50 {:.2} ms, p90 {:.2} ms; a core member's save {:.2} ms",
        file.roster.members.len(),
        file.to_file().len() / 1024,
        ms(started),
        ms(roster_saves[roster_saves.len() / 2]),
        ms(roster_saves[roster_saves.len() * 9 / 10]),
        ms(member_save)
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Saves `count` issues of `plan` (every `stride`th), each retitled with
/// `label`, and times each save, in order.
fn issue_saves_timed(
    store: &mut Store,
    plan: &muster_core::plan::Plan,
    count: usize,
    stride: usize,
    label: &str,
) -> Result<Vec<Duration>, Box<dyn std::error::Error>> {
    let mut times = Vec::with_capacity(count);
    for n in 0..common::runs(count) {
        let mut issue = plan.issues[(n * stride) % plan.issues.len()].clone();
        issue.title = format!("{} ({label} {n})", issue.title);
        let t = Instant::now();
        store.apply(
            &PlanEdit::SaveIssue {
                issue,
                position: None,
            },
            &SystemClock,
        )?;
        times.push(t.elapsed());
    }
    Ok(times)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
