//! Store tests of what surrounds the timeline: the tamper test, reminders
//! raised once, post-mortem deadlines in the local calendar, the console's
//! view, and the migrations the incident tables sit on.

use rusqlite::Connection;

use super::*;
use crate::deadline::DueKind;
use crate::incident::model::BadEvent;

/// INC-1 with five events and INC-2 with one, in a store at `dir`.
fn five_events(dir: &Path) -> Store {
    let mut store = open(dir);
    ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T10:00:00Z")));
    ok(store.declare_incident(&declaration("gas-price-spike"), &at("2026-03-02T10:01:00Z")));
    act(
        &mut store,
        "Ben Sample",
        "2026-03-02T10:05:00Z",
        transition(Phase::Validated, ""),
    );
    for (minute, text) in [("10", "Markets paused"), ("20", "Fallback feed live")] {
        act(
            &mut store,
            "Ben Sample",
            &format!("2026-03-02T10:{minute}:00Z"),
            IncidentAction::AddNote {
                text: text.to_owned(),
            },
        );
    }
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T11:00:00Z",
        transition(Phase::Resolved, ""),
    );
    store
}

fn raw(dir: &Path) -> Connection {
    Connection::open(dir.join(DB_FILE)).unwrap()
}

#[test]
fn tampering_with_a_stored_event_is_detected_and_named() {
    let bad = |seq: u32, reason: &str| BadEvent {
        seq,
        reason: reason.to_owned(),
    };
    let edited = "its content does not match its hash (edited?)";
    let cases = [
        (
            "a note's text edited",
            "DROP TRIGGER incident_event_no_update;
             UPDATE incident_event SET body = replace(body, 'Markets paused', 'Nothing happened')
             WHERE incident = 'INC-1' AND seq = 3",
            bad(3, edited),
        ),
        (
            "an author changed",
            "DROP TRIGGER incident_event_no_update;
             UPDATE incident_event SET author = 'Someone else' WHERE incident = 'INC-1' AND seq = 2",
            bad(2, edited),
        ),
        (
            "a time moved",
            "DROP TRIGGER incident_event_no_update;
             UPDATE incident_event SET at = '2026-03-02T09:00:00.000Z' WHERE incident = 'INC-1' AND seq = 5",
            bad(5, edited),
        ),
        (
            "a middle event deleted",
            "DROP TRIGGER incident_event_no_delete;
             DELETE FROM incident_event WHERE incident = 'INC-1' AND seq = 3",
            bad(4, "it does not follow event 2 (an event was deleted or reordered?)"),
        ),
        (
            "the last event deleted",
            "DROP TRIGGER incident_event_no_delete;
             DELETE FROM incident_event WHERE incident = 'INC-1' AND seq = 5",
            bad(5, "the timeline ends early: event 5 is missing (deleted?)"),
        ),
        (
            "the last event deleted and the count lowered",
            "DROP TRIGGER incident_event_no_delete;
             DELETE FROM incident_event WHERE incident = 'INC-1' AND seq = 5;
             UPDATE incident SET event_count = 4 WHERE id = 'INC-1'",
            bad(4, "the timeline ends early: event 4 is missing (deleted?)"),
        ),
    ];
    for (name, sql, expected) in cases {
        let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
        let mut store = five_events(dir.path());
        assert_eq!(
            ok(store.verify_incident(&inc(1))).first_bad,
            None,
            "{name}: before"
        );

        raw(dir.path())
            .execute_batch(sql)
            .unwrap_or_else(|e| panic!("{name}: {e}"));

        let got = ok(store.verify_incident(&inc(1)));
        assert_eq!(got.first_bad, Some(expected.clone()), "{name}");
        // A fresh store sees the same; the untouched incident is intact.
        let mut fresh = open(dir.path());
        assert_eq!(
            ok(fresh.verify_incident(&inc(1))).first_bad,
            Some(expected),
            "{name}"
        );
        let other = ok(fresh.verify_incident(&inc(2)));
        assert_eq!((other.events, other.first_bad), (1, None), "{name}");
    }
}

#[test]
fn the_database_refuses_to_change_or_remove_an_event() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = five_events(dir.path());
    let conn = raw(dir.path());
    for sql in [
        "UPDATE incident_event SET body = '{}' WHERE seq = 3",
        "DELETE FROM incident_event WHERE seq = 5",
    ] {
        let error = conn.execute_batch(sql).err().map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|m| m.contains("append-only")),
            "{sql}: {error:?}"
        );
    }
    let intact = ok(store.verify_incident(&inc(1)));
    assert_eq!((intact.events, intact.first_bad), (5, None));
}

#[test]
fn a_reminder_is_recorded_once_as_an_event_by_muster() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = open(dir.path());
    ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T10:00:00Z")));
    let agenda = ok(store.agenda(utc("2026-03-02T10:00:30Z"), Berlin));
    let Some(item) = agenda
        .due
        .iter()
        .find(|d| matches!(d.kind, DueKind::Escalation { .. }))
        .cloned()
    else {
        panic!("the detection escalation is due: {agenda:?}")
    };
    assert_eq!(item.key, "esc:INC-1:1:0");

    let first = ok(store.record_reminder(
        &item,
        false,
        "no notification service",
        &at("2026-03-02T10:00:31Z"),
    ));
    let after_first = chain_state(&store, &inc(1));
    let second = ok(store.record_reminder(&item, true, "", &at("2026-03-02T10:00:40Z")));

    assert_eq!((first, second), (true, false));
    assert_eq!(
        chain_state(&store, &inc(1)),
        after_first,
        "the second changed nothing"
    );
    let incident = ok(store.incident(&inc(1)));
    assert_eq!(incident.reminders, vec![item.key.clone()]);
    let events = ok(store.events(&inc(1)));
    let last = events.last().map(|e| (e.author.as_str(), e.at));
    assert_eq!(last, Some(("Muster", utc("2026-03-02T10:00:31Z"))));
    let row: (String, String, bool, String) = store
        .connection()
        .query_row(
            "SELECT incident, due_at, delivered, detail FROM reminder WHERE key = ?1",
            [&item.key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "INC-1".to_owned(),
            "2026-03-02T10:00:00.000Z".to_owned(),
            false,
            "no notification service".to_owned()
        )
    );
    assert_eq!(ok(store.verify_incident(&inc(1))).first_bad, None);
    let mut stranger = item.clone();
    stranger.key = "esc:INC-7:1:0".to_owned();
    stranger.incident = inc(7);
    let got = store.record_reminder(&stranger, true, "", &at("2026-03-02T10:01:00Z"));
    assert_eq!(
        got.err().map(|e| e.code()),
        Some(crate::ErrorCode::NotFound)
    );
}

#[test]
fn post_mortems_fall_due_in_local_days_and_keep_the_teams_text() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = open(dir.path());
    ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-26T09:00:00Z")));
    let draft = ok(store.post_mortem(&inc(1), Audience::InternalPostMortem, Berlin));
    assert_eq!(
        (draft.due_at, draft.edited),
        (None, false),
        "not resolved yet"
    );
    assert!(
        draft
            .text
            .starts_with("# Post-mortem: INC-1 Oracle failure\n"),
        "{}",
        draft.text
    );
    // Resolved on Friday 27 March at 10:00 in Berlin (CET); summer time starts on the 29th.
    act(
        &mut store,
        "Ada Example",
        "2026-03-27T09:00:00Z",
        transition(Phase::Resolved, ""),
    );
    let cases = [
        // +2 days: Sunday 29 March 10:00 CEST is 08:00 UTC, not 09:00.
        (Audience::InternalPostMortem, Berlin, "2026-03-29T08:00:00Z"),
        (Audience::PublicPostMortem, Berlin, "2026-04-01T08:00:00Z"),
        (
            Audience::InternalPostMortem,
            chrono_tz::UTC,
            "2026-03-29T09:00:00Z",
        ),
    ];
    for (audience, zone, due) in cases {
        let pm = ok(store.post_mortem(&inc(1), audience, zone));
        assert_eq!(pm.due_at, Some(utc(due)), "{audience:?} in {zone}");
    }
    assert!(
        ok(store.post_mortem(&inc(1), Audience::PublicPostMortem, Berlin))
            .text
            .starts_with("# Incident report: Oracle failure\n")
    );

    let saved = ok(store.save_post_mortem(
        &inc(1),
        Audience::InternalPostMortem,
        "# Ours",
        chrono_tz::UTC,
        &at("2026-03-28T10:00:00Z"),
    ));
    assert_eq!(
        (
            saved.text.as_str(),
            saved.edited,
            saved.updated_at,
            saved.published_at
        ),
        ("# Ours", true, Some(utc("2026-03-28T10:00:00Z")), None)
    );
    assert_eq!(
        ok(store.post_mortem(&inc(1), Audience::InternalPostMortem, Berlin)).text,
        "# Ours"
    );
    let blank = store.save_post_mortem(
        &inc(1),
        Audience::InternalPostMortem,
        " \n",
        chrono_tz::UTC,
        &at("2026-03-28T10:00:00Z"),
    );
    assert_eq!(
        blank.err().map(|e| e.to_string()),
        Some(
            "the internal post-mortem of INC-1 cannot be saved empty: write it, or keep the draft"
                .to_owned()
        )
    );
    assert_eq!(chain_state(&store, &inc(1)).2, 2, "saving is not an event");
    // A waived public post-mortem is never due.
    act(
        &mut store,
        "Ada Example",
        "2026-03-28T11:00:00Z",
        IncidentAction::WaiveCommunication {
            rule: id("public-post-mortem"),
            reason: "near miss".to_owned(),
        },
    );
    assert_eq!(
        ok(store.post_mortem(&inc(1), Audience::PublicPostMortem, Berlin)).due_at,
        None
    );
    let missing = store.save_post_mortem(
        &inc(4),
        Audience::InternalPostMortem,
        "x",
        chrono_tz::UTC,
        &at("2026-03-28T10:00:00Z"),
    );
    assert_eq!(
        missing.err().map(|e| e.code()),
        Some(crate::ErrorCode::NotFound)
    );
}

#[test]
fn the_view_describes_every_event_and_lists_what_is_due() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = five_events(dir.path());
    let view = ok(store.incident_view(&inc(1), utc("2026-03-02T11:00:30Z"), Berlin));
    let events = ok(store.events(&inc(1)));
    assert_eq!(view.incident, ok(store.incident(&inc(1))));
    assert_eq!(
        view.timeline
            .iter()
            .map(|t| (t.seq, t.hash.clone()))
            .collect::<Vec<_>>(),
        events
            .iter()
            .map(|e| (e.seq, e.hash.clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(view.timeline[2].text, "Note: Markets paused");
    // Nobody was marked notified: the escalations stay due, for this incident only.
    assert!(!view.due.is_empty());
    assert!(view.due.iter().all(|d| d.incident == inc(1)));
    assert!(view
        .due
        .iter()
        .any(|d| matches!(d.kind, DueKind::Escalation { .. })));
    assert!(!view.cadence.is_empty());
    let missing = store.incident_view(&inc(3), utc("2026-03-02T11:00:30Z"), Berlin);
    assert_eq!(
        missing.err().map(|e| e.code()),
        Some(crate::ErrorCode::NotFound)
    );
}

#[test]
fn a_schema_2_database_keeps_its_rules_categories_through_the_upgrade() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let path = dir.path().join(DB_FILE);
    let plan = starter::plan(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default());
    let links = |conn: &Connection| -> Vec<(String, String, i64)> {
        conn.prepare(
            "SELECT rule_id, category_id, position FROM communication_rule_category
             ORDER BY rule_id, position",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap()
    };
    let before = {
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(MIGRATIONS[0]).unwrap();
        tx.execute_batch(MIGRATIONS[1]).unwrap();
        // As the store writes a whole plan: references settle at commit.
        tx.pragma_update(None, "defer_foreign_keys", true).unwrap();
        // Today's writer also fills what schemas 5, 9 and 14 added (retired
        // keys, the attested flag, paging, alert rules): add it for the
        // write, then take it away.
        tx.execute_batch(MIGRATIONS[4]).unwrap();
        tx.execute_batch(MIGRATIONS[8]).unwrap();
        tx.execute_batch(
            "ALTER TABLE issue ADD COLUMN alerts TEXT NOT NULL DEFAULT '[]';
             ALTER TABLE step ADD COLUMN command TEXT NOT NULL DEFAULT 'null';
             ALTER TABLE step ADD COLUMN automatable INTEGER NOT NULL DEFAULT 0;",
        )
        .unwrap();
        ok(write::write_all(&tx, &plan, "2026-03-01T09:30:00.000Z"));
        tx.execute_batch(
            "DROP TABLE contact_retired_key;
             ALTER TABLE decision_policy DROP COLUMN attested_allowed;
             ALTER TABLE escalation_rule DROP COLUMN page_after_minutes;
             ALTER TABLE issue DROP COLUMN alerts;
             ALTER TABLE step DROP COLUMN command;
             ALTER TABLE step DROP COLUMN automatable;",
        )
        .unwrap();
        tx.pragma_update(None, "user_version", 2).unwrap();
        tx.commit().unwrap();
        links(&conn)
    };
    assert!(
        before
            .iter()
            .any(|(rule, category, _)| rule == "app-banner" && category == "protocol-problem"),
        "{before:?}"
    );

    let mut store = ok(Store::open(&path, &at("2026-03-02T09:00:00Z")));

    let version: i64 = ok(store
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(Error::from));
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(links(store.connection()), before);
    let rules: Vec<_> = ok(store.plan())
        .communications
        .iter()
        .map(|r| (r.id.clone(), r.categories.clone()))
        .collect();
    let expected: Vec<_> = plan
        .communications
        .iter()
        .map(|r| (r.id.clone(), r.categories.clone()))
        .collect();
    assert_eq!(rules, expected);
    // The incident tables are there and work on the upgraded file.
    ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T10:00:00Z")));
    assert_eq!(ok(store.verify_incident(&inc(1))).first_bad, None);
}
