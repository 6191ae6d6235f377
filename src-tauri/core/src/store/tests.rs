//! Store tests: opening, migrations, the newer-schema refusal, damage, and the
//! plan's round trip through its tables.

use std::path::Path;

use chrono::{TimeZone, Utc};
use rusqlite::Connection;

use super::*;
use crate::clock::FixedClock;
use crate::plan::{id, Timing};

fn clock() -> FixedClock {
    FixedClock(
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0)
            .single()
            .unwrap_or_default(),
    )
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_new_database_is_seeded_with_the_starter_plan() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut store = Store::open_in(dir.path(), &clock())?;
    let today = clock().now().date_naive();
    assert_eq!(store.plan()?, starter::plan(today));
    Ok(())
}

#[test]
fn every_connection_uses_wal_full_sync_and_foreign_keys() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let store = Store::open_in(dir.path(), &clock())?;
    let c = &store.conn;
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
    let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    assert_eq!(
        (mode.as_str(), sync, fk, version),
        ("wal", 2, 1, SCHEMA_VERSION)
    );
    Ok(())
}

#[test]
fn reopening_keeps_the_stored_plan_and_does_not_reseed() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut plan = {
        let mut store = Store::open_in(dir.path(), &clock())?;
        store.plan()?
    };
    plan.meta.name = "Renamed plan".to_owned();
    plan.issues.truncate(2);
    plan.procedures
        .iter_mut()
        .for_each(|p| p.issues.retain(|i| plan.issues.iter().any(|x| &x.id == i)));
    {
        let mut store = Store::open_in(dir.path(), &clock())?;
        store.replace_plan(&plan, "test", &clock())?;
    }
    let mut store = Store::open_in(dir.path(), &clock())?;
    assert_eq!(store.plan()?, plan);
    Ok(())
}

#[test]
fn a_database_from_a_newer_schema_is_refused_and_left_byte_for_byte_untouched() -> Result<()> {
    for journal in ["DELETE", "WAL"] {
        let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
        let path = dir.path().join(DB_FILE);
        {
            let conn = Connection::open(&path)?;
            conn.pragma_update(None, "journal_mode", journal)?;
            conn.execute_batch("CREATE TABLE from_the_future (x TEXT); INSERT INTO from_the_future VALUES ('keep me');")?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 7)?;
        }
        let before = snapshot(dir.path());

        let error = Store::open(&path, &clock()).err();

        let message = error.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(
            matches!(error, Some(Error::DatabaseTooNew { found, supported, .. })
                if found == SCHEMA_VERSION + 7 && supported == SCHEMA_VERSION),
            "journal {journal}: {message}"
        );
        assert!(message.contains("newer Muster") && message.contains(&path.display().to_string()));
        assert_eq!(
            error.map(|e| e.code()),
            Some(crate::ErrorCode::DatabaseTooNew)
        );
        assert_eq!(
            snapshot(dir.path()),
            before,
            "journal {journal}: files changed"
        );
    }
    Ok(())
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_damaged_and_kept() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let path = dir.path().join(DB_FILE);
    let junk = b"these are my notes, not a database; ".repeat(10);
    std::fs::write(&path, &junk).map_err(|e| Error::Corrupt(e.to_string()))?;

    let error = Store::open(&path, &clock()).err();

    assert!(
        matches!(error, Some(Error::DatabaseDamaged { .. })),
        "{error:?}"
    );
    assert_eq!(std::fs::read(&path).ok(), Some(junk));
    Ok(())
}

#[test]
fn migrations_apply_all_or_nothing() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    let broken = [MIGRATIONS[0], "CREATE TABLE extra (x); THIS IS NOT SQL;"];

    let error = migrate(&mut conn, Path::new(":memory:"), &broken).err();

    assert!(
        matches!(&error, Some(Error::Corrupt(m)) if m.starts_with("migration 2 failed")),
        "{error:?}"
    );
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    assert_eq!((version, tables), (0, 0));
    Ok(())
}

#[test]
fn an_invalid_plan_is_refused_and_the_stored_one_kept() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut store = Store::open_in(dir.path(), &clock())?;
    let before = store.plan()?;
    let mut bad = before.clone();
    bad.issues[0].category = id("no-such-category");
    bad.communications[0].timing = Timing::EveryHours { hours: 0 };

    let error = store.replace_plan(&bad, "test", &clock()).err();

    let Some(Error::InvalidPlan(problems)) = error else {
        panic!("expected InvalidPlan, got {error:?}")
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(store.plan()?, before);
    Ok(())
}

#[test]
fn foreign_keys_stop_a_dangling_row_even_past_validation() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut store = Store::open_in(dir.path(), &clock())?;
    let result = store.with_tx(|tx| {
        tx.execute(
            "INSERT INTO issue (id, position, category_id, title, description, signal, monitoring, source, severity)
             VALUES ('x', 99, 'missing', 't', '', '', 'manual', '', 'S1')",
            [],
        )?;
        Ok(())
    });
    assert!(matches!(result, Err(Error::Storage(_))), "{result:?}");
    Ok(())
}

// ---- edits and history ------------------------------------------------------

use crate::plan::edit::PlanEdit;
use crate::plan::Section;

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
