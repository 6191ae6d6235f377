//! Store tests of edits and the revision history: edits persist element by
//! element, bad edits change nothing, and history rebuilds, diffs, restores
//! and undoes.

use std::path::Path;

use super::*;
use crate::plan::edit::PlanEdit;
use crate::plan::id;
use crate::plan::Section;
use crate::plan::Timing;

fn open(dir: &Path) -> Store {
    Store::open_in(dir, &clock()).unwrap_or_else(|e| panic!("open: {e}"))
}

fn apply(store: &mut Store, edit: PlanEdit) -> RevisionInfo {
    match store.apply(&edit, &clock()) {
        Ok(Some(rev)) => rev,
        other => panic!("{edit:?}: {other:?}"),
    }
}

/// What a fresh connection reads must equal what the store believes it wrote.
fn assert_reloads_identically(dir: &Path, store: &mut Store) {
    let believed = store.plan().unwrap_or_else(|e| panic!("{e}"));
    let reloaded = open(dir).plan().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reloaded, believed);
}

#[test]
fn edits_persist_element_by_element_and_reload_identically() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut store = open(dir.path());
    let plan = store.plan().unwrap_or_else(|e| panic!("{e}"));

    let mut issue = plan.issues[0].clone();
    issue.title = "Protocol DDoS (edited)".into();
    issue.detection.signal = "edited signal".into();
    apply(
        &mut store,
        PlanEdit::SaveIssue {
            issue,
            position: Some(4),
        },
    );

    let mut procedure = plan.procedures[1].clone();
    procedure.steps[0].action = "Edited step".into();
    procedure.steps.swap(1, 2);
    apply(
        &mut store,
        PlanEdit::SaveProcedure {
            procedure,
            position: None,
        },
    );

    let mut member = plan.core_team[0].clone();
    member.name = "Ada Renamed".into(); // referenced by decisions, rotations: must not cascade
    apply(
        &mut store,
        PlanEdit::SaveCoreMember {
            member,
            position: None,
        },
    );

    let mut category = plan.categories[0].clone();
    category.name = "Attacks".into(); // owns an escalation rule and a rotation: must not cascade
    apply(
        &mut store,
        PlanEdit::SaveCategory {
            category,
            position: None,
        },
    );

    apply(
        &mut store,
        PlanEdit::Move {
            section: Section::ExtendedTeam,
            key: "eli-forum".into(),
            to: 0,
        },
    );
    apply(
        &mut store,
        PlanEdit::Delete {
            section: Section::Communications,
            key: "app-banner".into(),
        },
    );

    assert_reloads_identically(dir.path(), &mut store);
    let after = store.plan().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after.issues[4].title, "Protocol DDoS (edited)");
    assert_eq!(after.escalation.len(), plan.escalation.len());
    assert_eq!(after.on_call.len(), plan.on_call.len());
    assert_eq!(after.extended_team[0].id.as_str(), "eli-forum");
}

#[test]
fn every_save_is_a_revision_with_author_time_and_summary() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut store = open(dir.path());
    store
        .set_profile_name("Dara Mock")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut decision = store.plan().unwrap_or_else(|e| panic!("{e}")).decisions[0].clone();
    decision.description = "Edited".into();
    apply(
        &mut store,
        PlanEdit::SaveDecision {
            decision,
            position: None,
        },
    );

    let revisions = store.revisions(10).unwrap_or_else(|e| panic!("{e}"));
    let summaries: Vec<(&str, &str)> = revisions
        .iter()
        .map(|r| (r.summary.as_str(), r.author.as_str()))
        .collect();
    assert_eq!(
        summaries,
        vec![
            ("Edited decision policy “Pause contract”", "Dara Mock"),
            ("Started from the built-in starter plan", SEED_AUTHOR),
        ]
    );
    assert_eq!(revisions[0].created_at, "2026-03-01T09:30:00.000Z");
    // The profile name survives a restart.
    assert_eq!(open(dir.path()).author(), "Dara Mock");
}

#[test]
fn saving_without_a_change_makes_no_revision() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut store = open(dir.path());
    let issue = store.plan().unwrap_or_else(|e| panic!("{e}")).issues[0].clone();
    let result = store.apply(
        &PlanEdit::SaveIssue {
            issue,
            position: None,
        },
        &clock(),
    );
    assert!(matches!(result, Ok(None)), "{result:?}");
    assert_eq!(store.revisions(10).map(|r| r.len()).ok(), Some(1));
}

#[test]
fn every_bad_edit_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut store = open(dir.path());
    let plan = store.plan().unwrap_or_else(|e| panic!("{e}"));
    let revisions = store.revisions(100).unwrap_or_else(|e| panic!("{e}"));

    let mut cases: Vec<(&str, PlanEdit, crate::ErrorCode)> = Vec::new();
    let mut issue = plan.issues[0].clone();
    issue.title = "  ".into();
    cases.push((
        "empty title",
        PlanEdit::SaveIssue {
            issue,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut issue = plan.issues[0].clone();
    issue.category = id("nowhere");
    cases.push((
        "dangling category",
        PlanEdit::SaveIssue {
            issue,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut issue = plan.issues[0].clone();
    issue.id = crate::plan::Id::parse("x")
        .map(|_| id("Not An Id"))
        .unwrap_or_else(|e| panic!("{e}"));
    cases.push((
        "malformed id",
        PlanEdit::SaveIssue {
            issue,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut contact = plan.extended_team[0].clone();
    contact.id = plan.core_team[0].id.clone();
    cases.push((
        "id used twice",
        PlanEdit::SaveExtendedContact {
            contact,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut procedure = plan.procedures[0].clone();
    procedure.steps[0].decision = Some(id("no-such-decision"));
    cases.push((
        "step to missing decision",
        PlanEdit::SaveProcedure {
            procedure,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut procedure = plan.procedures[0].clone();
    let again = procedure.steps[0].clone();
    procedure.steps.push(again);
    cases.push((
        "duplicate step id",
        PlanEdit::SaveProcedure {
            procedure,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut decision = plan.decisions[0].clone();
    decision.additional_needed = 9;
    cases.push((
        "unreachable quorum",
        PlanEdit::SaveDecision {
            decision,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut decision = plan.decisions[0].clone();
    decision.required.clear();
    decision.additional_needed = 0;
    cases.push((
        "no approver",
        PlanEdit::SaveDecision {
            decision,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut rule = plan.communications[0].clone();
    rule.timing = Timing::EveryHours { hours: 0 };
    cases.push((
        "every 0 hours",
        PlanEdit::SaveCommunication {
            rule,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut rule = plan.communications[0].clone();
    rule.responsible = Some(id("ghost"));
    cases.push((
        "responsible on no team",
        PlanEdit::SaveCommunication {
            rule,
            position: None,
        },
        crate::ErrorCode::InvalidInput,
    ));
    let mut rule = plan.escalation[0].clone();
    rule.category = id("nowhere");
    cases.push((
        "escalation for no category",
        PlanEdit::SaveEscalation { rule },
        crate::ErrorCode::InvalidInput,
    ));
    let mut rotation = plan.on_call[0].clone();
    rotation.time_zone = "Atlantis/Lost".into();
    cases.push((
        "unknown time zone",
        PlanEdit::SaveRotation { rotation },
        crate::ErrorCode::InvalidInput,
    ));
    let mut rotation = plan.on_call[0].clone();
    rotation.members.push(plan.extended_team[0].id.clone());
    cases.push((
        "rotation member not core",
        PlanEdit::SaveRotation { rotation },
        crate::ErrorCode::InvalidInput,
    ));
    let mut policy = plan.exercise_policy.clone();
    policy.session_hours = 0;
    cases.push((
        "zero-hour sessions",
        PlanEdit::SaveExercisePolicy { policy },
        crate::ErrorCode::InvalidInput,
    ));
    let mut meta = plan.meta.clone();
    meta.name.clear();
    cases.push((
        "nameless plan",
        PlanEdit::SaveMeta { meta },
        crate::ErrorCode::InvalidInput,
    ));
    cases.push((
        "delete referenced contact",
        PlanEdit::Delete {
            section: Section::CoreTeam,
            key: "ada-example".into(),
        },
        crate::ErrorCode::Refused,
    ));
    cases.push((
        "delete missing element",
        PlanEdit::Delete {
            section: Section::Issues,
            key: "no-such-issue".into(),
        },
        crate::ErrorCode::NotFound,
    ));
    cases.push((
        "move missing element",
        PlanEdit::Move {
            section: Section::Issues,
            key: "no-such-issue".into(),
            to: 0,
        },
        crate::ErrorCode::NotFound,
    ));

    for (name, edit, code) in cases {
        let result = store.apply(&edit, &clock());
        assert_eq!(
            result.as_ref().err().map(Error::code),
            Some(code),
            "{name}: {result:?}"
        );
        assert_eq!(
            store.plan().ok().as_ref(),
            Some(&plan),
            "{name} changed the plan"
        );
    }
    assert_eq!(store.revisions(100).ok(), Some(revisions));
    assert_reloads_identically(dir.path(), &mut store);
}

#[test]
fn history_rebuilds_diffs_restores_and_undoes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut store = open(dir.path());
    let original = store.plan().unwrap_or_else(|e| panic!("{e}"));
    let first = store.revisions(1).unwrap_or_else(|e| panic!("{e}"))[0].id;

    let mut issue = original.issues[1].clone();
    issue.title = "Stolen funds".into();
    let edited = apply(
        &mut store,
        PlanEdit::SaveIssue {
            issue,
            position: None,
        },
    );
    let mut contact = original.extended_team[1].clone();
    contact.reach.phone = Some("+1 555 0199".into());
    let second = apply(
        &mut store,
        PlanEdit::SaveExtendedContact {
            contact,
            position: None,
        },
    );

    // The plan as it was at each revision.
    assert_eq!(store.plan_at(first).ok().as_ref(), Some(&original));
    let at_edit = store.plan_at(edited.id).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at_edit.issues[1].title, "Stolen funds");
    assert_eq!(at_edit.extended_team[1], original.extended_team[1]);

    // A readable diff between two revisions.
    let diff = store
        .diff_revisions(first, second.id)
        .unwrap_or_else(|e| panic!("{e}"));
    let described: Vec<String> = diff
        .iter()
        .flat_map(|d| {
            d.fields
                .iter()
                .map(move |f| format!("{} {}: {} → {}", d.title, f.field, f.before, f.after))
        })
        .collect();
    assert_eq!(
        described,
        vec![
            format!(
                "Stolen funds title: {} → Stolen funds",
                original.issues[1].title
            ),
            format!(
                "{} reach.phone: {} → +1 555 0199",
                original.extended_team[1].name,
                original.extended_team[1]
                    .reach
                    .phone
                    .clone()
                    .unwrap_or_default()
            ),
        ]
    );

    // Undo the first edit: the later one stays.
    let undone = store
        .undo(edited.id, &clock())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(undone.summary, "Undid: Edited issue “Stolen funds”");
    let now = store.plan().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(now.issues[1], original.issues[1]);
    assert_eq!(
        now.extended_team[1].reach.phone.as_deref(),
        Some("+1 555 0199")
    );

    // Undoing it again is refused: the issue has changed since.
    let again = store.undo(edited.id, &clock());
    assert!(
        matches!(&again, Err(Error::Refused(m)) if m.starts_with("cannot undo: issue")),
        "{again:?}"
    );

    // Restore the starter plan as a new revision.
    let restored = store
        .restore(first, &clock())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(restored.is_some_and(|r| r.summary.starts_with(&format!("Restored revision {first}"))));
    assert_eq!(store.plan().ok().as_ref(), Some(&original));
    assert_reloads_identically(dir.path(), &mut store);
    assert_eq!(store.revisions(100).map(|r| r.len()).ok(), Some(5));
}

#[test]
fn another_process_writing_is_seen_by_an_open_store() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut app = open(dir.path());
    let mut cli = open(dir.path());
    let mut meta = app.plan().unwrap_or_else(|e| panic!("{e}")).meta;
    meta.name = "Renamed elsewhere".into();
    apply(&mut cli, PlanEdit::SaveMeta { meta });
    assert_eq!(
        app.plan().map(|p| p.meta.name).ok().as_deref(),
        Some("Renamed elsewhere")
    );
}
