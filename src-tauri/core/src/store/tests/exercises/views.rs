//! Store tests of what an exercise shows: the participant view that never
//! shows the script, improvement items in the plan check, and programme
//! reminders recorded once.

use chrono_tz::Europe::Berlin;

use super::*;
use crate::exercise::model::FindingId;
use crate::plan::check::{GapKind, GapLevel};

#[test]
fn the_participant_view_never_shows_the_script() {
    let dir = tempdir();
    let mut store = open(dir.path());
    running(&mut store);
    let secret = setup(&mut store);
    let json = |store: &mut Store| {
        let view = ok(store.participant_view(&ex1(), utc("2026-05-04T10:10:00Z")));
        serde_json::to_string(&view).unwrap()
    };
    let hidden = |text: &str| {
        let mut strings = vec![HIDDEN_INJECT.to_owned(), "Press call".to_owned()];
        for s in &secret.scenarios {
            strings.extend(s.expected.iter().map(|e| e.text.clone()));
            strings.extend(s.targets.iter().map(|t| t.label.clone()));
        }
        strings.extend(secret.objectives.iter().map(|o| o.text.clone()));
        strings.push(secret.scope.clone());
        for s in strings {
            assert!(
                !text.contains(&s),
                "the participant view shows {s:?}: {text}"
            );
        }
    };

    let before = json(&mut store);
    assert!(!before.contains("SECRET"), "{before}");
    hidden(&before);
    assert!(before.contains("\"number\":1,\"of\":2"), "{before}");

    act(
        &mut store,
        "2026-05-04T10:02:00Z",
        ExerciseAction::RevealSituation {
            scenario: "sc-1".to_owned(),
        },
    );
    act(&mut store, "2026-05-04T10:05:00Z", inject("sc-1", "inj-1"));
    let after = json(&mut store);
    assert!(
        after.contains(SITUATION) && after.contains(INJECT_TEXT),
        "{after}"
    );
    hidden(&after);
    let view = ok(store.participant_view(&ex1(), utc("2026-05-04T10:10:00Z")));
    let scenario = view.scenario.unwrap_or_else(|| panic!("no scenario"));
    assert_eq!(scenario.injects.len(), 1);
    assert_eq!(scenario.injects[0].at, utc("2026-05-04T10:05:00Z"));
}

#[test]
fn the_plan_check_shows_an_open_item_until_it_is_done() {
    let dir = tempdir();
    let mut store = open(dir.path());
    running(&mut store);
    let open_items = |store: &mut Store, now: &str| {
        ok(store.plan_check(utc(now)))
            .into_iter()
            .filter(|g| g.kind == GapKind::ImprovementOpen)
            .collect::<Vec<_>>()
    };
    assert!(open_items(&mut store, "2026-05-04T12:00:00Z").is_empty());
    act(
        &mut store,
        "2026-05-04T10:30:00Z",
        ExerciseAction::AddFinding {
            draft: finding(
                "ben-sample",
                Some((Section::CoreTeam, "ben-sample")),
                "2026-06-01",
            ),
        },
    );
    let gaps = open_items(&mut store, "2026-05-04T12:00:00Z");
    assert_eq!(gaps.len(), 1);
    let gap = &gaps[0];
    assert_eq!(
        (gap.level, gap.section, gap.element.as_str()),
        (GapLevel::Warning, Section::CoreTeam, "ben-sample")
    );
    assert!(gap.message.contains("IMP-1") && gap.message.contains("Ben Sample"));
    // In its section's place, after the check's own gaps there.
    let all = ok(store.plan_check(utc("2026-05-04T12:00:00Z")));
    let sections: Vec<Section> = all.iter().map(|g| g.section).collect();
    let mut sorted = sections.clone();
    sorted.sort();
    assert_eq!(sections, sorted);

    // Past its due day it is a problem.
    let late = open_items(&mut store, "2026-06-02T08:00:00Z");
    assert_eq!(late[0].level, GapLevel::Problem);
    assert!(late[0].message.contains("overdue since 2026-06-01"));

    act(
        &mut store,
        "2026-05-20T10:00:00Z",
        ExerciseAction::CompleteFinding {
            id: FindingId("IMP-1".to_owned()),
            done: true,
        },
    );
    assert!(open_items(&mut store, "2026-06-02T08:00:00Z").is_empty());
    // Open again, it shows again.
    act(
        &mut store,
        "2026-05-21T10:00:00Z",
        ExerciseAction::CompleteFinding {
            id: FindingId("IMP-1".to_owned()),
            done: false,
        },
    );
    assert_eq!(open_items(&mut store, "2026-05-22T08:00:00Z").len(), 1);
}

#[test]
fn programme_reminders_are_raised_once() {
    let dir = tempdir();
    let mut store = open(dir.path());
    let due = ok(store.next_exercise_due(chrono_tz::UTC));
    // Seeded 2026-03-01: while new, every 4 weeks.
    assert!(due > day("2026-03-01"), "{due}");
    let late = due.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc() + chrono::Duration::days(3);
    let (due_now, _) = ok(store.programme_reminders(late, Berlin));
    assert!(!due_now.is_empty());
    let keys: Vec<String> = due_now.iter().map(|r| r.key.clone()).collect();
    assert!(keys.iter().any(|k| k.ends_with(":overdue")), "{keys:?}");
    for r in &due_now {
        ok(store.record_programme_reminder(r, true, &FixedClock(late)));
        ok(store.record_programme_reminder(r, false, &FixedClock(late)));
    }
    let (again, _) = ok(store.programme_reminders(late, Berlin));
    assert!(again.is_empty(), "{again:?}");
    let stored = ok(store.setting(&format!("exercise.reminded:{}", keys[0])));
    assert!(stored.is_some_and(|v| v.starts_with("1 ")));

    // An ended exercise moves the due day on.
    let mut s = setup(&mut store);
    s.date = due;
    ok(store.create_exercise(&s, &at("2026-03-02T10:00:00Z")));
    ok(store.act_on_exercise(&ex1(), &ExerciseAction::Start, &at("2026-03-03T10:00:00Z")));
    ok(store.act_on_exercise(&ex1(), &ExerciseAction::End, &at("2026-03-03T11:00:00Z")));
    assert!(ok(store.next_exercise_due(chrono_tz::UTC)) > due);
}
