//! The iCalendar export: the whole file for a tiny plan, the exercise
//! schedule, folding, escaping, line ends and determinism. (The file read
//! back by an independent parser is the app's `interop::icalendar` test.)

use super::*;
use crate::exercise::{ExerciseId, ExerciseStatus, ExerciseSummary};
use crate::export::ical::{calendar, calendar_with, exercise_dates, HORIZON_MONTHS};
use crate::export::lines::unfold;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Checks `ics` is CRLF throughout and equals `expected` (written with LF).
fn check(ics: &str, expected: &str) {
    assert!(ics.ends_with("\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains(['\r', '\n']),
        "a bare CR or LF in:\n{ics}"
    );
    assert_eq!(ics.replace("\r\n", "\n"), expected);
}

#[test]
fn the_tiny_plan_calendar_is_exactly_this() {
    check(
        &calendar(&tiny_plan(), day(), now()),
        r#"BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Muster//Muster 0.1.0//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:Muster: Tiny | plan\, v2\; <b>*bold*</b>
BEGIN:VEVENT
UID:exercise-20260115@muster.invalid
DTSTAMP:20260115T120000Z
DTSTART:20260115T100000
DTEND:20260115T120000
SUMMARY:Muster exercise (Tiny & Co)
DESCRIPTION:Live exercise of “Tiny | plan\, v2\; <b>*bold*</b>”: rehear
 se one scenario from the plan\, end to end\, with the core team.\nExercise
  policy: Every 4 weeks while the plan is new (its first month)\, then ever
 y 12 months\; sessions of 2 hours.
CATEGORIES:EXERCISE
END:VEVENT
BEGIN:VEVENT
UID:exercise-20260212@muster.invalid
DTSTAMP:20260115T120000Z
DTSTART:20260212T100000
DTEND:20260212T120000
SUMMARY:Muster exercise (Tiny & Co)
DESCRIPTION:Live exercise of “Tiny | plan\, v2\; <b>*bold*</b>”: rehear
 se one scenario from the plan\, end to end\, with the core team.\nExercise
  policy: Every 4 weeks while the plan is new (its first month)\, then ever
 y 12 months\; sessions of 2 hours.
CATEGORIES:EXERCISE
END:VEVENT
BEGIN:VEVENT
UID:exercise-20270212@muster.invalid
DTSTAMP:20260115T120000Z
DTSTART:20270212T100000
DTEND:20270212T120000
SUMMARY:Muster exercise (Tiny & Co)
DESCRIPTION:Live exercise of “Tiny | plan\, v2\; <b>*bold*</b>”: rehear
 se one scenario from the plan\, end to end\, with the core team.\nExercise
  policy: Every 4 weeks while the plan is new (its first month)\, then ever
 y 12 months\; sessions of 2 hours.
CATEGORIES:EXERCISE
END:VEVENT
BEGIN:VEVENT
UID:verify-kim@muster.invalid
DTSTAMP:20260115T120000Z
DTSTART;VALUE=DATE:20260115
DTEND;VALUE=DATE:20260116
SUMMARY:Verify contact details: Kim "KK" Lee\, Jr. (overdue since 2025-11-3
 0)
DESCRIPTION:Kim "KK" Lee\, Jr. was last verified on 2025-09-01\; that was d
 ue again on 2025-11-30.\nConfirm their email\, chat and phone with them\, 
 then choose Mark verified in Muster. Contact details are verified every 90
  days.
CATEGORIES:DEADLINE
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:verify-isp@muster.invalid
DTSTAMP:20260115T120000Z
DTSTART;VALUE=DATE:20260115
DTEND;VALUE=DATE:20260116
SUMMARY:Verify contact details: Zoë's ISP\; Ltd\\ (never verified)
DESCRIPTION:Zoë's ISP\; Ltd\\ has never been verified.\nConfirm their emai
 l\, chat and phone with them\, then choose Mark verified in Muster. Contac
 t details are verified every 90 days.
CATEGORIES:DEADLINE
TRANSP:TRANSPARENT
END:VEVENT
END:VCALENDAR
"#,
    );
}

#[test]
fn exercises_follow_the_policy_for_two_years() {
    // Every 4 weeks for the first 6 months, then every 6 months from the last of those.
    let policy = starter_plan().exercise_policy;
    let from = day();
    let mut expected: Vec<NaiveDate> = (0..7).map(|n| from + Duration::weeks(4 * n)).collect();
    expected.extend([date(2027, 1, 2), date(2027, 7, 2), date(2028, 1, 2)]);
    assert_eq!(expected[6], date(2026, 7, 2));
    assert_eq!(exercise_dates(&policy, from), expected);

    // Month ends do not drift: Jan 31 + 1, 2, 3 months.
    let monthly = ExercisePolicy {
        while_new_every_weeks: 52,
        new_for_months: 1,
        established_every_months: 1,
        session_hours: 1,
    };
    let dates = exercise_dates(&monthly, date(2026, 1, 31));
    assert_eq!(
        dates[..4],
        [
            date(2026, 1, 31),
            date(2026, 2, 28),
            date(2026, 3, 31),
            date(2026, 4, 30)
        ]
    );
    assert_eq!(dates.len(), HORIZON_MONTHS as usize);
}

#[test]
fn long_unicode_text_is_folded_at_75_octets_and_escaped() {
    let mut plan = tiny_plan();
    let long: String = "Zoë's plan, with ; and \\ — ☂ 🚒 中文 "
        .chars()
        .cycle()
        .take(300)
        .collect();
    plan.meta.name = format!("{long}\nline two");
    plan.meta.organisation = long.clone();
    let ics = calendar(&plan, day(), now());
    for line in ics.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let logical = unfold(&ics);
    let summary = format!(
        "SUMMARY:Muster exercise ({})",
        long.trim()
            .replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
    );
    assert!(logical.iter().any(|l| l.text == summary), "no {summary:?}");
    let name = logical
        .iter()
        .find(|l| l.text.starts_with("X-WR-CALNAME:"))
        .map(|l| l.text.clone())
        .unwrap_or_default();
    assert!(name.ends_with("\\nline two"), "{name}");
    assert!(ics.lines().filter(|l| l.starts_with("SUMMARY:")).count() > 0);
    // Continuation lines start with exactly one space.
    assert!(ics.contains("\r\n "));
}

#[test]
fn the_same_plan_gives_the_same_file_and_uids_stay_put() {
    let plan = starter_plan();
    let a = calendar(&plan, day(), now());
    assert_eq!(a, calendar(&plan, day(), now()));
    let later = calendar(&plan, day(), now() + Duration::days(1));
    let uids = |ics: &str| -> Vec<String> {
        ics.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(uids(&a), uids(&later));
    assert!(later.contains("DTSTAMP:20260116T120000Z"));
    let stamped = |ics: &str| {
        ics.lines()
            .filter(|l| !l.starts_with("DTSTAMP:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(stamped(&a), stamped(&later));
}

fn planned(n: u32, date: NaiveDate, title: &str, status: ExerciseStatus) -> ExerciseSummary {
    ExerciseSummary {
        id: ExerciseId(format!("EX-{n}")),
        title: title.to_owned(),
        date,
        status,
        scenarios: n,
        moderator: id("kim"),
        open_findings: 0,
    }
}

#[test]
fn planned_exercises_are_events_of_their_own() {
    let plan = tiny_plan();
    let exercises = [
        planned(
            2,
            date(2026, 2, 3),
            "Oracle | drill, v2; <b>",
            ExerciseStatus::Planned,
        ),
        planned(1, date(2026, 1, 20), "Held already", ExerciseStatus::Ended),
        planned(3, date(2026, 1, 22), "Under way", ExerciseStatus::Running),
        planned(4, date(2026, 3, 1), "Next", ExerciseStatus::Planned),
    ];
    // Without planned exercises, the calendar is as before.
    assert_eq!(
        calendar_with(&plan, day(), now(), &[]),
        calendar(&plan, day(), now())
    );
    let ics = calendar_with(&plan, day(), now(), &exercises);
    let plain = ics.replace("\r\n ", "").replace("\r\n", "\n");
    assert!(
        plain.contains(
            "BEGIN:VEVENT\n\
             UID:exercise-EX-2@muster.invalid\n\
             DTSTAMP:20260115T120000Z\n\
             DTSTART:20260203T100000\n\
             DTEND:20260203T120000\n\
             SUMMARY:EXERCISE: Oracle | drill\\, v2\\; <b>\n\
             DESCRIPTION:Live exercise EX-2 of “Tiny | plan\\, v2\\; <b>*bold*</b>”\\, moderated by Kim \"KK\" Lee\\, Jr.: 2 scenarios. This is an exercise\\, not a real incident.\n\
             CATEGORIES:EXERCISE\n\
             END:VEVENT\n"
        ),
        "{plain}"
    );
    assert!(plain.contains("UID:exercise-EX-4@muster.invalid\nDTSTAMP:20260115T120000Z\nDTSTART:20260301T100000\nDTEND:20260301T120000\n"));
    assert!(!plain.contains("exercise-EX-1@") && !plain.contains("exercise-EX-3@"));
    assert_eq!(ics, calendar_with(&plan, day(), now(), &exercises));
}
