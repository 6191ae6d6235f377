//! The iCalendar export: the whole file for a tiny plan, the exercise
//! schedule, folding, escaping, line ends and determinism — and the file read
//! back by an independent parser, Python's `icalendar` (Debian's
//! python3-icalendar), which must be installed: the test fails without it.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

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

/// Reads `ics` with Python's `icalendar` package and prints, as JSON lines,
/// the calendar's properties, the count of VEVENTs and VTODOs, then each
/// one's kind, UID, start, end, summary and description, then any errors.
const PARSER: &str = r#"
import json, sys
try:
    import icalendar
except ImportError as e:
    print("MISSING", e)
    sys.exit(3)
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
print(json.dumps(["VCALENDAR", str(cal.get("version")), str(cal.get("prodid")), str(cal.get("calscale"))]))
items = [c for c in cal.walk() if c.name in ("VEVENT", "VTODO")]
print(json.dumps(["COUNT", sum(c.name == "VEVENT" for c in items), sum(c.name == "VTODO" for c in items)]))
for c in items:
    print(json.dumps([c.name, str(c.get("uid")), c.decoded("dtstart").isoformat(), c.decoded("dtend").isoformat(), str(c.get("summary")), str(c.get("description"))], ensure_ascii=False))
print(json.dumps(["ERRORS", [[c.name, [list(map(str, e)) for e in c.errors]] for c in cal.walk() if getattr(c, "errors", None)]]))
"#;

const INSTALL: &str = "install Debian's python3-icalendar (`sudo apt-get install python3-icalendar`; `bash scripts/dev.sh test` installs it) so that /usr/bin/python3 can import icalendar";

fn parse_with_python(ics: &str) -> Vec<Value> {
    let mut child = Command::new("/usr/bin/python3")
        .args(["-c", PARSER])
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run /usr/bin/python3 ({e}): {INSTALL}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(ics.as_bytes())
            .unwrap_or_else(|e| panic!("cannot write to python3: {e}"));
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("python3 failed: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        panic!(
            "/usr/bin/python3 has no icalendar module ({}): {INSTALL}",
            stdout.trim()
        );
    }
    assert!(
        out.status.success(),
        "the parser refused the file: {stderr}\n{ics}"
    );
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn an_independent_parser_reads_every_event_of_the_starter_plan() {
    let plan = starter_plan();
    let ics = calendar(&plan, day(), now());
    let got = parse_with_python(&ics);

    let org = &plan.meta.organisation;
    let mut expected = vec![
        json!(["VCALENDAR", "2.0", crate::export::ical::PRODID, "GREGORIAN"]),
        json!([
            "COUNT",
            10 + plan.core_team.len() + plan.extended_team.len(),
            0
        ]),
    ];
    let mut days: Vec<NaiveDate> = (0..7).map(|n| day() + Duration::weeks(4 * n)).collect();
    days.extend([date(2027, 1, 2), date(2027, 7, 2), date(2028, 1, 2)]);
    for d in days {
        expected.push(json!([
            "VEVENT",
            format!("exercise-{}@muster.invalid", d.format("%Y%m%d")),
            format!("{d}T10:00:00"),
            format!("{d}T12:00:00"),
            format!("Muster exercise ({org})"),
        ]));
    }
    // Every starter contact was verified on `day()`: due again 90 days later.
    let names = plan
        .core_team
        .iter()
        .map(|m| (&m.id, &m.name))
        .chain(plan.extended_team.iter().map(|c| (&c.id, &c.name)));
    for (id, name) in names {
        expected.push(json!([
            "VEVENT",
            format!("verify-{id}@muster.invalid"),
            "2026-04-15",
            "2026-04-16",
            format!("Verify contact details: {name}"),
        ]));
    }
    expected.push(json!(["ERRORS", []]));
    // The descriptions are checked in the next test; here, drop them.
    let got: Vec<Value> = got
        .into_iter()
        .map(|v| match v {
            Value::Array(mut a) if a.len() == 6 => {
                a.pop();
                Value::Array(a)
            }
            v => v,
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn an_independent_parser_reads_escaped_and_folded_text_back_exactly() {
    let mut plan = tiny_plan();
    let long: String = "Zoë's plan, with ; and \\ — ☂ 🚒 中文 "
        .chars()
        .cycle()
        .take(300)
        .collect();
    plan.meta.organisation = long.trim().to_owned();
    plan.meta.name = "Two\nlines, a \\ and a ;".into();
    let ics = calendar(&plan, day(), now());
    let got = parse_with_python(&ics);
    let first = got
        .iter()
        .find(|v| v[0] == "VEVENT")
        .cloned()
        .unwrap_or_default();
    assert_eq!(first[4], format!("Muster exercise ({})", long.trim()));
    let description = first[5].as_str().unwrap_or_default();
    assert!(
        description.starts_with("Live exercise of “Two\nlines, a \\ and a ;”: rehearse"),
        "{description}"
    );
    assert_eq!(got.last(), Some(&json!(["ERRORS", []])));
    let kim = got
        .iter()
        .find(|v| v[1] == "verify-kim@muster.invalid")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        kim[4],
        "Verify contact details: Kim \"KK\" Lee, Jr. (overdue since 2025-11-30)"
    );
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

    // An independent parser reads them, between the schedule and the deadlines.
    let got = parse_with_python(&ics);
    let events: Vec<(String, String, String, String)> = got
        .iter()
        .filter(|v| v[0] == "VEVENT" && v[1].as_str().is_some_and(|u| u.contains("-EX-")))
        .map(|v| {
            let s = |i: usize| v[i].as_str().unwrap_or_default().to_owned();
            (s(1), s(2), s(3), s(4))
        })
        .collect();
    assert_eq!(
        events,
        [
            (
                "exercise-EX-2@muster.invalid".to_owned(),
                "2026-02-03T10:00:00".to_owned(),
                "2026-02-03T12:00:00".to_owned(),
                "EXERCISE: Oracle | drill, v2; <b>".to_owned()
            ),
            (
                "exercise-EX-4@muster.invalid".to_owned(),
                "2026-03-01T10:00:00".to_owned(),
                "2026-03-01T12:00:00".to_owned(),
                "EXERCISE: Next".to_owned()
            ),
        ]
    );
    assert_eq!(got[1], json!(["COUNT", 3 + 2 + 2, 0]));
    assert_eq!(got.last(), Some(&json!(["ERRORS", []])));
}
