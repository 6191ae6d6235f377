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
    let believed = store.plan().unwrap();
    let reloaded = open(dir).plan().unwrap();
    assert_eq!(reloaded, believed);
}

#[test]
fn edits_persist_element_by_element_and_reload_identically() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let plan = store.plan().unwrap();

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
    let after = store.plan().unwrap();
    assert_eq!(after.issues[4].title, "Protocol DDoS (edited)");
    assert_eq!(after.escalation.len(), plan.escalation.len());
    assert_eq!(after.on_call.len(), plan.on_call.len());
    assert_eq!(after.extended_team[0].id.as_str(), "eli-forum");
}

#[test]
fn every_save_is_a_revision_with_author_time_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    store.set_profile_name("Dara Mock").unwrap();
    let mut decision = store.plan().unwrap().decisions[0].clone();
    decision.description = "Edited".into();
    apply(
        &mut store,
        PlanEdit::SaveDecision {
            decision,
            position: None,
        },
    );

    let revisions = store.revisions(10).unwrap();
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
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let issue = store.plan().unwrap().issues[0].clone();
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
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let plan = store.plan().unwrap();
    let revisions = store.revisions(100).unwrap();

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
        .unwrap();
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
        // Checked first, as a form does while the user types: the same
        // problems as on a copy of the plan, and the plan left as it was.
        let checked = store.check_edit(&edit);
        match crate::plan::edit::check(&plan, &edit) {
            Ok(problems) => {
                assert_eq!(checked.as_ref().ok(), Some(&problems), "{name}");
                let refused = code == crate::ErrorCode::InvalidInput;
                assert_eq!(!problems.is_empty(), refused, "{name}: {problems:?}");
            }
            Err(e) => assert_eq!(
                checked.as_ref().err().map(Error::code),
                Some(e.code()),
                "{name}"
            ),
        }
        assert_eq!(store.plan().ok().as_ref(), Some(&plan), "{name}: checked");
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
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let original = store.plan().unwrap();
    let first = store.revisions(1).unwrap()[0].id;

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
    let at_edit = store.plan_at(edited.id).unwrap();
    assert_eq!(at_edit.issues[1].title, "Stolen funds");
    assert_eq!(at_edit.extended_team[1], original.extended_team[1]);

    // A readable diff between two revisions.
    let diff = store.diff_revisions(first, second.id).unwrap();
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
    let undone = store.undo(edited.id, &clock()).unwrap();
    assert_eq!(undone.summary, "Undid: Edited issue “Stolen funds”");
    let now = store.plan().unwrap();
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
    let restored = store.restore(first, &clock()).unwrap();
    assert!(restored.is_some_and(|r| r.summary.starts_with(&format!("Restored revision {first}"))));
    assert_eq!(store.plan().ok().as_ref(), Some(&original));
    assert_reloads_identically(dir.path(), &mut store);
    assert_eq!(store.revisions(100).map(|r| r.len()).ok(), Some(5));
}

#[test]
fn another_process_writing_is_seen_by_an_open_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path());
    let mut cli = open(dir.path());
    let mut meta = app.plan().unwrap().meta;
    meta.name = "Renamed elsewhere".into();
    apply(&mut cli, PlanEdit::SaveMeta { meta });
    assert_eq!(
        app.plan().map(|p| p.meta.name).ok().as_deref(),
        Some("Renamed elsewhere")
    );
}

#[test]
fn signing_keys_and_the_attested_flag_are_stored_element_by_element() {
    use crate::plan::keys::tests::key_line;
    use crate::plan::RetiredKey;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let plan = store.plan().unwrap();
    let retired_rows = |store: &Store| -> i64 {
        store
            .connection()
            .query_row("SELECT count(*) FROM contact_retired_key", [], |r| r.get(0))
            .unwrap()
    };
    let at = |text: &str| text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));

    let mut ada = plan.core_team[0].clone();
    ada.public_key = Some(key_line(1, "ada@laptop"));
    ada.retired_keys = vec![
        RetiredKey {
            key: key_line(2, "ada@old-laptop"),
            retired_from: at("2026-02-01T08:00:00Z"),
        },
        RetiredKey {
            key: key_line(3, ""),
            retired_from: at("2025-11-30T23:59:59.5Z"),
        },
    ];
    apply(
        &mut store,
        PlanEdit::SaveCoreMember {
            member: ada.clone(),
            position: None,
        },
    );
    assert_reloads_identically(dir.path(), &mut store);
    assert_eq!(retired_rows(&store), 2);
    let keyed = store.revisions(1).unwrap()[0].id;
    let diff = store.diff_revisions(keyed - 1, keyed).unwrap();
    let retired = diff
        .iter()
        .flat_map(|d| d.fields.iter())
        .find(|f| f.field == "retiredKeys")
        .map(|f| (f.before.clone(), f.after.clone()));
    assert_eq!(
        retired,
        Some((
            String::new(),
            format!(
                "key: {}, retiredFrom: 2026-02-01T08:00:00Z; key: {}, retiredFrom: 2025-11-30T23:59:59.500Z",
                key_line(2, "ada@old-laptop"),
                key_line(3, "")
            )
        ))
    );

    // Editing the member rewrites its keys and nothing that points at it.
    ada.name = "Ada Renamed".into();
    ada.retired_keys.remove(1);
    apply(
        &mut store,
        PlanEdit::SaveCoreMember {
            member: ada.clone(),
            position: None,
        },
    );
    assert_reloads_identically(dir.path(), &mut store);
    let after = store.plan().unwrap();
    assert_eq!(after.core_team[0], ada);
    assert_eq!(after.decisions, plan.decisions);
    assert_eq!(after.on_call, plan.on_call);
    assert_eq!(retired_rows(&store), 1);

    // A new member with keys, then deleted: their keys go with them.
    let mut eve = plan.core_team[3].clone();
    eve.id = id("eve-new");
    eve.public_key = Some(key_line(4, "eve"));
    eve.retired_keys = vec![RetiredKey {
        key: key_line(5, "eve old"),
        retired_from: at("2026-01-01T00:00:00Z"),
    }];
    apply(
        &mut store,
        PlanEdit::SaveCoreMember {
            member: eve,
            position: None,
        },
    );
    assert_eq!(retired_rows(&store), 2);
    apply(
        &mut store,
        PlanEdit::Delete {
            section: Section::CoreTeam,
            key: "eve-new".into(),
        },
    );
    assert_eq!(retired_rows(&store), 1);

    // The attested flag is one column of the policy; its diff reads as yes/no.
    let mut pause = plan.decisions[0].clone();
    assert!(!pause.attested_allowed);
    pause.attested_allowed = true;
    let flagged = apply(
        &mut store,
        PlanEdit::SaveDecision {
            decision: pause,
            position: None,
        },
    );
    assert_reloads_identically(dir.path(), &mut store);
    let diff = store.diff_revisions(flagged.id - 1, flagged.id).unwrap();
    let fields: Vec<(&str, &str, &str)> = diff
        .iter()
        .flat_map(|d| d.fields.iter())
        .map(|f| (f.field.as_str(), f.before.as_str(), f.after.as_str()))
        .collect();
    assert_eq!(fields, vec![("attestedAllowed", "no", "yes")]);
    store.undo(flagged.id, &clock()).unwrap();
    assert_eq!(
        store.plan().map(|p| p.decisions[0].attested_allowed).ok(),
        Some(false)
    );
}

#[test]
fn revisions_saved_before_signing_keys_still_rebuild_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let plan = store.plan().unwrap();
    let mut decision = plan.decisions[1].clone();
    decision.description = "Edited by an older Muster".into();
    let edited = apply(
        &mut store,
        PlanEdit::SaveDecision {
            decision,
            position: None,
        },
    );
    let mut member = plan.core_team[1].clone();
    member.role = "Edited by an older Muster".into();
    let second = apply(
        &mut store,
        PlanEdit::SaveCoreMember {
            member,
            position: None,
        },
    );
    // Rewrite both edits as a build before schema 5 saved them: no
    // `attestedAllowed` on policies, no `retiredKeys` on members.
    let conn = store.connection();
    let old: Vec<(i64, String)> = conn
        .prepare("SELECT id, changes FROM revision WHERE id >= ?1")
        .and_then(|mut s| {
            s.query_map([edited.id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap();
    for (rev, json) in old {
        let stripped = json
            .replace(",\"attestedAllowed\":false", "")
            .replace(",\"retiredKeys\":[]", "");
        assert!(!stripped.contains("attestedAllowed") && !stripped.contains("retiredKeys"));
        conn.execute(
            "UPDATE revision SET changes = ?1 WHERE id = ?2",
            rusqlite::params![stripped, rev],
        )
        .unwrap();
    }

    assert_eq!(store.plan_at(edited.id - 1).ok().as_ref(), Some(&plan));
    let diff = store.diff_revisions(edited.id - 1, second.id).unwrap();
    let fields: Vec<&str> = diff
        .iter()
        .flat_map(|d| d.fields.iter())
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, vec!["role", "description"]);
    store.undo(second.id, &clock()).unwrap();
    store.undo(edited.id, &clock()).unwrap();
    assert_eq!(store.plan().ok().as_ref(), Some(&plan));
}
