//! The iCalendar export read back by an independent parser, Python's
//! `icalendar` (Debian's python3-icalendar, which `.ci/run` and `scripts/dev.sh`
//! install): every event of the starter plan, escaped and folded text, and
//! planned exercises. The test fails, saying what to install, without it.

use std::io::Write as _;
use std::process::{Command, Stdio};

use chrono::{Duration, NaiveDate};
use muster_core::exercise::{ExerciseId, ExerciseStatus, ExerciseSummary};
use muster_core::export::ical::{calendar, calendar_with};
use muster_core::fixtures::plans::{day, now, starter_plan, tiny_plan};
use muster_core::plan::id;
use serde_json::{json, Value};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
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
        json!([
            "VCALENDAR",
            "2.0",
            muster_core::export::ical::PRODID,
            "GREGORIAN"
        ]),
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
fn an_independent_parser_reads_planned_exercises_between_the_schedule_and_the_deadlines() {
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
    let ics = calendar_with(&plan, day(), now(), &exercises);
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
