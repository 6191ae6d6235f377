//! `muster exercise list|report` and `muster readiness`, run as a moderator
//! would run them. Exercises are set up and run in the app; here they are
//! seeded through the store on the data folder before the binary runs.

use std::path::Path;

use muster_core::clock::SystemClock;
use muster_core::exercise::{
    AttachmentKind, ExerciseAction, ExerciseId, ExerciseSetup, FindingDraft, LogKind, Rating,
};
use muster_core::plan;
use muster_core::store::Store;
use serde_json::{json, Value};

use super::super::{text, today};
use super::{muster_utc as muster, ok, store, temp};

const SCENARIO_TITLE: &str = "Funds drained from the pool";

fn setup(title: &str) -> ExerciseSetup {
    serde_json::from_value(json!({
        "title": title,
        "date": today(),
        "moderator": "ada-example",
        "participants": ["dara-mock"],
        "scope": "From the outflow alert to containment",
        "objectives": [{"key": "obj-1", "text": "Escalate a stolen-funds alert"}],
        "scenarios": [{
            "key": "sc-1",
            "title": SCENARIO_TITLE,
            "issue": "stolen-user-funds",
            "category": null,
            "situation": "The outflow alert fires at 03:10",
            "injects": [{"key": "inj-1", "title": "Funds move", "text": "The attacker moves funds"}],
            "expected": [
                {"key": "exp-1", "text": "Open the war room", "procedure": null, "step": null},
                {"key": "exp-2", "text": "Pause the pool", "procedure": null, "step": null},
            ],
            "targets": [{"key": "tgt-1", "label": "Core team notified", "measure": "escalation", "withinMinutes": 15, "objective": "obj-1"}],
        }],
    }))
    .unwrap_or_else(|e| panic!("set-up: {e}"))
}

fn act(store: &mut Store, id: &ExerciseId, action: ExerciseAction) {
    store
        .act_on_exercise(id, &action, &SystemClock)
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
}

/// Seeds a planned exercise (EX-1) and an ended one (EX-2) held today, run,
/// rated, with an improvement item and a recording attached.
fn seed(data: &Path, recording: &Path) -> ExerciseId {
    let mut store = store(data);
    store
        .create_exercise(&setup("Night shift drill"), &SystemClock)
        .unwrap();
    let id = store
        .create_exercise(&setup("Stolen funds drill"), &SystemClock)
        .unwrap()
        .id;
    let scenario = || "sc-1".to_owned();
    for action in [
        ExerciseAction::Start,
        ExerciseAction::StartScenario {
            scenario: scenario(),
        },
        ExerciseAction::RevealSituation {
            scenario: scenario(),
        },
        ExerciseAction::Log {
            scenario: scenario(),
            kind: LogKind::Did,
            text: "Opened the war room | on the bridge".to_owned(),
            expected: Some("exp-1".to_owned()),
        },
        ExerciseAction::EndScenario {
            scenario: scenario(),
        },
        ExerciseAction::End,
        ExerciseAction::Rate {
            objective: "obj-1".to_owned(),
            rating: Rating::S,
            observations: "The alert was escalated late".to_owned(),
            strengths: "The war room opened at once".to_owned(),
            areas_for_improvement: "Nobody paused the pool".to_owned(),
        },
        ExerciseAction::AddFinding {
            draft: FindingDraft {
                scenario: Some(scenario()),
                issue: "Nobody knew who may pause the pool".to_owned(),
                element: None,
                corrective_action: "Name who pauses the pool".to_owned(),
                owner: plan::id("dara-mock"),
                due: today() - chrono::Duration::days(1),
            },
        },
        ExerciseAction::Attach {
            kind: AttachmentKind::File,
            label: "Recording of the call".to_owned(),
            target: recording.display().to_string(),
        },
        ExerciseAction::SaveNotes {
            text: "Run it again in the spring".to_owned(),
        },
    ] {
        act(&mut store, &id, action);
    }
    id
}

fn recording(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("call.txt");
    std::fs::write(&path, "what was said").unwrap();
    path
}

#[test]
fn exercise_list_shows_every_exercise_with_its_status() {
    let root = temp();
    let data = root.path().join("data");
    assert_eq!(
        ok(&data, &["exercise", "list"]),
        "No exercises (set one up in the app: Exercises → New exercise)\n"
    );
    seed(&data, &recording(root.path()));

    let out = ok(&data, &["exercise", "list"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("ID"), "{out}");
    let row = |id: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{id} ")))
            .copied()
            .unwrap_or_else(|| panic!("no {id}:\n{out}"))
    };
    assert!(row("EX-1").contains("planned"), "{out}");
    assert!(row("EX-1").ends_with("Night shift drill"), "{out}");
    assert!(row("EX-2").contains("ended"), "{out}");
    assert!(row("EX-2").contains(&today().to_string()), "{out}");
    assert!(row("EX-2").ends_with("Stolen funds drill"), "{out}");
}

/// The report's headings, without their `#`s.
fn headings(report: &str) -> Vec<String> {
    report
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim().to_owned())
        .collect()
}

#[test]
fn exercise_report_writes_every_section_and_copies_the_attached_files_beside_it() {
    let root = temp();
    let data = root.path().join("data");
    seed(&data, &recording(root.path()));
    let out_dir = root.path().join("reports");
    std::fs::create_dir(&out_dir).unwrap();
    let md = out_dir.join("drill.md");
    let md_arg = md.display().to_string();

    let printed = ok(&data, &["exercise", "report", "EX-2", "--out", &md_arg]);
    assert_eq!(printed, format!("{md_arg}\n"));
    let report = std::fs::read_to_string(&md).unwrap();
    let found = headings(&report);
    assert_eq!(
        found.first().map(String::as_str),
        Some("After-action report: Stolen funds drill"),
        "{report}"
    );
    for heading in [
        "Overview",
        "Ratings by objective",
        "Strengths",
        "Areas for improvement",
        "Improvement plan",
        &format!("Read-back: {SCENARIO_TITLE}"),
        "Recordings and notes",
    ] {
        assert!(
            found.iter().any(|h| h == heading),
            "no heading {heading:?} in {found:?}"
        );
    }
    assert!(report.contains("EXERCISE"), "{report}");
    assert!(report.contains("attachments/call.txt"), "{report}");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("attachments").join("call.txt")).ok(),
        Some("what was said".to_owned())
    );

    // HTML by the extension, Markdown when asked for in an .html file.
    let html = out_dir.join("drill.html");
    let html_arg = html.display().to_string();
    ok(&data, &["exercise", "report", "ex-2", "--out", &html_arg]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.to_lowercase().starts_with("<!doctype html>"),
        "{}",
        &page[..page.len().min(200)]
    );
    assert!(!page.contains("<script"), "no scripts");
    ok(
        &data,
        &[
            "exercise", "report", "EX-2", "--out", &html_arg, "--format", "markdown",
        ],
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("# After-action report: "), "{page}");
}

#[test]
fn readiness_prints_the_dashboards_figures_as_text_or_json() {
    let root = temp();
    let data = root.path().join("data");
    let fresh = ok(&data, &["readiness"]);
    assert!(
        fresh.contains("Exercises held in the last 12 months: 0 of "),
        "{fresh}"
    );
    assert!(fresh.contains("Last exercise: never"), "{fresh}");
    seed(&data, &recording(root.path()));
    let incidents_before = store(&data).incidents().unwrap().len();

    let out = ok(&data, &["readiness"]);
    let json_text = ok(&data, &["readiness", "--json"]);
    let figures: Value =
        serde_json::from_str(&json_text).unwrap_or_else(|e| panic!("{e}: {json_text}"));
    let required = figures["requiredPerYear"].as_u64().unwrap_or(0);
    assert!(required >= 2, "{figures}");
    assert_eq!(figures["exercisesLast12Months"], json!(1), "{figures}");
    assert_eq!(figures["lastExercise"], json!(today()), "{figures}");
    assert_eq!(figures["overdueItems"], json!(1), "{figures}");
    assert_eq!(
        figures["realIncidents"]["last12Months"],
        json!(0),
        "exercise incidents never count: {figures}"
    );

    for line in [
        format!("Exercises held in the last 12 months: 1 of {required} required"),
        format!("Last exercise: {}", today()),
        format!(
            "Next due: {}",
            figures["nextDue"].as_str().unwrap_or_default()
        ),
        format!("Next planned: EX-1 on {} — Night shift drill", today()),
        "Open improvement items: 1 (1 overdue)".to_owned(),
        "IMP-1 due".to_owned(),
        "OVERDUE — Name who pauses the pool (owner: ".to_owned(),
        "Real incidents (exercises never count): 0 in the last 12 months, 0 open".to_owned(),
    ] {
        assert!(out.contains(&line), "no {line:?} in:\n{out}");
    }
    assert!(out.contains("Never exercised: "), "{out}");
    assert!(
        !out.contains("  stolen-user-funds — "),
        "the exercised issue is not listed as never exercised:\n{out}"
    );
    // Read-only: nothing was declared or changed.
    assert_eq!(store(&data).incidents().unwrap().len(), incidents_before);
}

#[test]
fn exercise_report_errors_are_clear_and_write_nothing() {
    let root = temp();
    let data = root.path().join("data");
    seed(&data, &recording(root.path()));
    let out_dir = root.path().join("reports");
    std::fs::create_dir(&out_dir).unwrap();

    let target = out_dir.join("r.md").display().to_string();
    let out = muster(&data, &["exercise", "report", "EX-9", "--out", &target]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no exercise has the id `EX-9`"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());

    let nowhere = root.path().join("missing").join("r.html");
    let nowhere_arg = nowhere.display().to_string();
    let out = muster(
        &data,
        &["exercise", "report", "EX-2", "--out", &nowhere_arg],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(&nowhere_arg),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(!root.path().join("missing").exists());

    let out = muster(&data, &["exercise", "report", "EX-2"]);
    assert_eq!(out.status.code(), Some(2), "--out is required");
    let out = muster(
        &data,
        &[
            "exercise", "report", "EX-2", "--out", &target, "--format", "pdf",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));

    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing written: {left:?}");
}
