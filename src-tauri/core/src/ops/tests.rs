//! Operations tests: each workflow reports what it changed through the
//! store, refuses bad input with every problem located and nothing changed,
//! and two writers racing on one database never lose each other's work.

use std::path::Path;
use std::sync::{Arc, Barrier};

use chrono::{TimeZone, Utc};

use super::*;
use crate::clock::{Clock, FixedClock};
use crate::export::{ImportedContact, Team};
use crate::plan::{Plan, Reach};
use crate::store::{Changes, Store};
use crate::{starter, Error};

fn clock() -> FixedClock {
    FixedClock(Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap())
}

fn open(dir: &Path) -> Store {
    Store::open_in(dir, &clock()).unwrap()
}

fn person(name: &str) -> ImportedContact {
    ImportedContact {
        name: name.to_owned(),
        role: "Responder".to_owned(),
        organisation: String::new(),
        reach: Reach {
            email: Some(format!(
                "{}@example.com",
                name.to_lowercase().replace(' ', ".")
            )),
            ..Reach::default()
        },
        line: 1,
    }
}

fn names(plan: &Plan) -> Vec<String> {
    plan.extended_team.iter().map(|c| c.name.clone()).collect()
}

#[test]
fn opening_reports_no_change_and_each_write_reports_its_topics() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    assert_eq!(
        store.take_changes(),
        Changes::NONE,
        "opening is not a change"
    );

    let file = dir.path().join("people.vcf");
    contacts::import(
        &mut store,
        &file,
        &[person("Dana Voss")],
        Team::Extended,
        false,
        &clock(),
    )
    .unwrap();
    assert_eq!(store.take_changes(), Changes::PLAN);

    // A dry run and a refusal write nothing, so they report nothing.
    contacts::import(
        &mut store,
        &file,
        &[person("Eli Park")],
        Team::Extended,
        true,
        &clock(),
    )
    .unwrap();
    let refused = contacts::import(
        &mut store,
        &file,
        &[person("Dana Voss")],
        Team::Extended,
        false,
        &clock(),
    );
    assert!(
        matches!(refused, Err(Error::Rejected { .. })),
        "{refused:?}"
    );
    assert_eq!(store.take_changes(), Changes::NONE);

    store.set_profile_name("Ada Example").unwrap();
    assert_eq!(store.take_changes(), Changes::SETTINGS);
}

#[test]
fn every_table_has_a_topic() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut stmt = store
        .connection()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap();
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() > 30, "{tables:?}");
    for table in tables {
        assert_ne!(
            Changes::of_table(&table),
            Changes::ALL,
            "{table} has no topic"
        );
    }
}

/// Two processes import on one data folder at once, each a contact at a
/// time: every import of both survives (none reverts another), and the
/// history stays a chain that rebuilds the starter plan at its start.
#[test]
fn racing_imports_never_lose_each_others_contacts() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(dir.path()));
    let rounds = 12;
    let start = Arc::new(Barrier::new(2));
    let racers: Vec<_> = ["Alpha", "Bravo"]
        .into_iter()
        .map(|who| {
            let (data, start) = (dir.path().to_owned(), start.clone());
            std::thread::spawn(move || {
                let mut store = open(&data);
                // Each holds the plan as it was before the other's imports.
                let _ = store.current().unwrap();
                start.wait();
                for n in 0..rounds {
                    let file = data.join(format!("{who}.vcf"));
                    let one = [person(&format!("{who} Person {n}"))];
                    contacts::import(&mut store, &file, &one, Team::Extended, false, &clock())
                        .unwrap();
                }
            })
        })
        .collect();
    for racer in racers {
        racer.join().unwrap();
    }
    let mut store = open(dir.path());
    let plan = store.plan().unwrap();
    let added: Vec<String> = names(&plan)
        .into_iter()
        .filter(|n| n.contains(" Person "))
        .collect();
    assert_eq!(added.len(), 2 * rounds, "lost updates: {added:?}");

    let revisions = store.revisions(1000).unwrap();
    assert_eq!(revisions.len(), 1 + 2 * rounds);
    let first = revisions.last().unwrap().id;
    let today = clock().now().date_naive();
    assert_eq!(
        store.plan_at(first).unwrap(),
        starter::plan(today),
        "the history is a chain: rebuilt backward it reaches the starter plan"
    );
}

#[test]
fn a_plan_folder_import_keeps_what_another_process_committed_since_it_was_opened() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut app = open(&data);
    let mut cli = open(&data);
    let folder = dir.path().join("plan");
    folder::export(&app.current().unwrap(), &folder).unwrap();

    // The app has the plan in memory; another process adds a contact.
    let _ = app.current().unwrap();
    contacts::import(
        &mut cli,
        &folder,
        &[person("Kim Lane")],
        Team::Extended,
        false,
        &clock(),
    )
    .unwrap();
    // The folder (without Kim) is imported by the app: the diff it reports
    // and the revision it writes are against the plan as it stands now.
    let imported = folder::import(&mut app, &folder, false, &clock()).unwrap();
    assert!(
        imported.changes.iter().any(|c| c.title == "Kim Lane"),
        "{:?}",
        imported.changes
    );
    assert!(imported.revision.is_some());
    let revisions = app.revisions(10).unwrap();
    let today = clock().now().date_naive();
    assert_eq!(
        app.plan_at(revisions.last().unwrap().id).unwrap(),
        starter::plan(today)
    );
}

#[test]
fn a_folder_with_problems_is_rejected_with_each_one_located_and_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("data"));
    let folder = dir.path().join("plan");
    folder::export(&store.current().unwrap(), &folder).unwrap();
    let meta = folder.join("plan.toml");
    let text = std::fs::read_to_string(&meta).unwrap();
    std::fs::write(&meta, text.replacen("name = ", "nme = ", 1)).unwrap();
    let before = store.plan().unwrap();
    match folder::import(&mut store, &folder, false, &clock()) {
        Err(Error::Rejected { summary, problems }) => {
            assert!(summary.ends_with("nothing was imported, the stored plan is unchanged"));
            assert!(!problems.is_empty());
            assert!(
                problems.iter().all(|p| p.contains("plan.toml:")),
                "{problems:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.plan().unwrap(), before);
    assert_eq!(store.take_changes(), Changes::NONE);
}

#[test]
fn a_reader_reads_while_the_writer_holds_its_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = open(dir.path());
    let mut reader = writer.reader().unwrap();
    let name = writer.plan().unwrap().meta.name;
    writer
        .with_tx(|tx| {
            tx.execute("UPDATE plan_meta SET name = 'half-written'", [])?;
            // Mid-transaction, the reader sees the last committed plan at once.
            assert_eq!(reader.plan()?.meta.name, name);
            assert!(!crate::search::search(reader.connection(), "oracle", 5)?.is_empty());
            Ok(())
        })
        .unwrap();
    // Writing through a reader is refused; nothing changes.
    assert!(reader.set_profile_name("Nobody").is_err());
}

#[test]
fn every_export_is_written_whole_to_the_chosen_file() {
    use exports::ExportKind;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("data"));
    for (kind, starts) in [
        (
            ExportKind::Binder,
            "# Harbor Protocol emergency response plan (example)",
        ),
        (ExportKind::Calendar, "BEGIN:VCALENDAR\r\n"),
        (
            ExportKind::ContactsCsv,
            "team,id,name,role,email,chat,phone,categories,last_verified\r\n",
        ),
        (ExportKind::ContactsVcard, "BEGIN:VCARD\r\nVERSION:4.0\r\n"),
    ] {
        let path = dir.path().join(kind.file().0);
        let said = exports::save(&mut store, kind, &path, clock().now()).unwrap();
        assert_eq!(said, format!("Saved {}", path.display()));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(starts),
            "{kind:?}: {}",
            &text[..text.len().min(120)]
        );
    }
    // Only the four files: no temporary file is left behind.
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        5,
        "four exports and the data folder"
    );
    assert_eq!(
        store.take_changes(),
        Changes::NONE,
        "an export writes nothing to the store"
    );
}

#[test]
fn the_calendar_export_holds_the_exercises_planned_in_muster() {
    use crate::exercise::{ExerciseAction, ExerciseId, ExerciseSetup};
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("data"));
    let setup = |title: &str| -> ExerciseSetup {
        serde_json::from_value(serde_json::json!({
            "title": title,
            "date": "2031-05-06",
            "moderator": "ada-example",
            "participants": [],
            "scope": "",
            "objectives": [],
            "scenarios": [{
                "key": "sc-1", "title": "Funds drained", "issue": "stolen-user-funds",
                "category": null, "situation": "", "injects": [], "expected": [], "targets": [],
            }],
        }))
        .unwrap()
    };
    for title in ["Spring drill", "Started drill"] {
        store.create_exercise(&setup(title), &clock()).unwrap();
    }
    assert_eq!(store.take_changes(), Changes::EXERCISES);
    let started = ExerciseId("EX-2".to_owned());
    store
        .act_on_exercise(&started, &ExerciseAction::Start, &clock())
        .unwrap();
    let path = dir.path().join("muster-exercises.ics");
    exports::save(
        &mut store,
        exports::ExportKind::Calendar,
        &path,
        clock().now(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("UID:exercise-EX-1@muster.invalid"), "{text}");
    assert!(text.contains("SUMMARY:EXERCISE: Spring drill"), "{text}");
    assert!(!text.contains("Started drill"), "only planned ones: {text}");
}
