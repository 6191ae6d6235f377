//! The plan's dates as an iCalendar file (RFC 5545) for any calendar app:
//! the live exercises the exercise policy asks for, over the next
//! [`HORIZON_MONTHS`], and the open deadlines — for now, each contact's
//! re-verification (incidents' deadlines join when incidents exist).
//!
//! Choices (see `docs/exports.md`):
//! - An exercise is a VEVENT from 10:00 to 10:00 + the session length in
//!   *floating* local time (no time zone): it shows at 10:00 wherever the
//!   reader is, and the team moves it to the hour that suits them.
//! - A deadline is an all-day VEVENT, not a VTODO: most calendar apps
//!   (Google Calendar among them) ignore VTODOs in an imported file. An
//!   overdue or never-verified contact's deadline falls on today.
//! - An exercise actually planned in Muster (status planned) is a VEVENT of
//!   its own, on its day at the same 10:00 floating, for the session length:
//!   "EXERCISE: <title>", UID `exercise-EX-n@muster.invalid`.
//! - UIDs are stable (`exercise-<date>@muster.invalid`,
//!   `exercise-EX-n@muster.invalid`, `verify-<contact id>@muster.invalid`),
//!   so importing a newer file updates the events instead of adding them twice.

use chrono::{DateTime, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::lines::Lines;
use crate::exercise::{ExerciseStatus, ExerciseSummary};
use crate::plan::check::VERIFY_AFTER_DAYS;
use crate::plan::{ExercisePolicy, Plan};

/// How far ahead exercises are planned.
pub const HORIZON_MONTHS: u32 = 24;

/// The domain of every UID: reserved, so it can never belong to anyone.
pub const UID_DOMAIN: &str = "muster.invalid";

/// `PRODID` of every file this Muster writes.
pub const PRODID: &str = concat!("-//Muster//Muster ", env!("CARGO_PKG_VERSION"), "//EN");

/// The local time exercises start at.
pub fn exercise_start() -> NaiveTime {
    NaiveTime::from_hms_opt(10, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// A day written as `YYYY-MM-DD` (the command line's `--from`).
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2026-03-02"))
}

/// The days of the exercises from `from` (the first) until [`HORIZON_MONTHS`]
/// later: every `while_new_every_weeks` weeks during the first
/// `new_for_months`, then every `established_every_months` months counted
/// from the last of those.
pub fn exercise_dates(policy: &ExercisePolicy, from: NaiveDate) -> Vec<NaiveDate> {
    let months = |day: NaiveDate, n: u32| day.checked_add_months(Months::new(n));
    let Some(end) = months(from, HORIZON_MONTHS) else {
        return Vec::new();
    };
    let new_until = months(from, policy.new_for_months).unwrap_or(end).min(end);
    let step = Duration::weeks(i64::from(policy.while_new_every_weeks.max(1)));
    let mut dates = Vec::new();
    let mut day = from;
    while day < new_until {
        dates.push(day);
        day += step;
    }
    // Established: counted from the last exercise while new (or from `from`),
    // multiplying rather than adding so that month ends do not drift.
    let (anchor, first) = match dates.last() {
        Some(last) => (*last, 1),
        None => (from, 0),
    };
    let every = policy.established_every_months.max(1);
    for k in first.. {
        match months(anchor, k * every) {
            Some(day) if day < end => dates.push(day),
            _ => break,
        }
    }
    dates
}

/// "Every 4 weeks while the plan is new (its first 6 months), then every 6
/// months; sessions of 2 hours".
pub fn policy_text(p: &ExercisePolicy) -> String {
    let every = |n: u32, unit: &str| {
        if n == 1 {
            format!("every {unit}")
        } else {
            format!("every {n} {unit}s")
        }
    };
    let first = if p.new_for_months == 1 {
        "month".to_owned()
    } else {
        format!("{} months", p.new_for_months)
    };
    let hours = if p.session_hours == 1 {
        "1 hour".to_owned()
    } else {
        format!("{} hours", p.session_hours)
    };
    let new = every(p.while_new_every_weeks, "week");
    let mut text = new[..1].to_uppercase() + &new[1..];
    text.push_str(&format!(
        " while the plan is new (its first {first}), then {}; sessions of {hours}",
        every(p.established_every_months, "month")
    ));
    text
}

/// A contact's open re-verification: when it is due, and whether it already was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// The day it shows in the calendar: the due day, or `today` when that has passed.
    pub day: NaiveDate,
    pub last_verified: Option<NaiveDate>,
    pub overdue_since: Option<NaiveDate>,
}

/// Every contact's next re-verification, core team first, as of `today`: due
/// [`VERIFY_AFTER_DAYS`] after the last one, or today when never verified or overdue.
pub fn verifications(plan: &Plan, today: NaiveDate) -> Vec<Verification<'_>> {
    let core = plan
        .core_team
        .iter()
        .map(|m| (m.id.as_str(), m.name.as_str(), m.last_verified));
    let extended = plan
        .extended_team
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str(), c.last_verified));
    core.chain(extended)
        .map(|(id, name, last_verified)| {
            let due = last_verified.map(|d| d + Duration::days(VERIFY_AFTER_DAYS));
            let overdue_since = due.filter(|d| *d < today);
            Verification {
                id,
                name,
                day: due.filter(|d| *d >= today).unwrap_or(today),
                last_verified,
                overdue_since,
            }
        })
        .collect()
}

/// The calendar: exercises from `from`, deadlines as of `now` (UTC), each
/// event stamped with `now`. Deterministic for equal arguments.
pub fn calendar(plan: &Plan, from: NaiveDate, now: DateTime<Utc>) -> String {
    calendar_with(plan, from, now, &[])
}

/// [`calendar`] with the exercises planned in Muster: each of `planned` whose
/// status is planned becomes an event on its day (in the order given, after
/// the policy's schedule).
pub fn calendar_with(
    plan: &Plan,
    from: NaiveDate,
    now: DateTime<Utc>,
    planned: &[ExerciseSummary],
) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let who = if plan.meta.organisation.trim().is_empty() {
        plan.meta.name.trim()
    } else {
        plan.meta.organisation.trim()
    };
    let mut out = Lines::default();
    out.raw("BEGIN", "VCALENDAR");
    out.raw("VERSION", "2.0");
    out.raw("PRODID", PRODID);
    out.raw("CALSCALE", "GREGORIAN");
    out.raw("METHOD", "PUBLISH");
    out.text(
        "X-WR-CALNAME",
        &format!("Muster: {}", plan.meta.name.trim()),
    );

    let policy = &plan.exercise_policy;
    let description = format!(
        "Live exercise of “{}”: rehearse one scenario from the plan, end to end, with the core team.\nExercise policy: {}.",
        plan.meta.name.trim(),
        policy_text(policy)
    );
    for day in exercise_dates(policy, from) {
        let start = day.and_time(exercise_start());
        let end = start + Duration::hours(i64::from(policy.session_hours.max(1)));
        out.raw("BEGIN", "VEVENT");
        out.raw("UID", &format!("exercise-{}@{UID_DOMAIN}", compact(day)));
        out.raw("DTSTAMP", &stamp);
        out.raw("DTSTART", &local(start));
        out.raw("DTEND", &local(end));
        out.text("SUMMARY", &format!("Muster exercise ({who})"));
        out.text("DESCRIPTION", &description);
        out.raw("CATEGORIES", "EXERCISE");
        out.raw("END", "VEVENT");
    }

    let hours = Duration::hours(i64::from(policy.session_hours.max(1)));
    for x in planned
        .iter()
        .filter(|x| x.status == ExerciseStatus::Planned)
    {
        let start = x.date.and_time(exercise_start());
        let who = plan
            .contact_name(&x.moderator)
            .unwrap_or(x.moderator.as_str())
            .trim();
        out.raw("BEGIN", "VEVENT");
        out.raw("UID", &format!("exercise-{}@{UID_DOMAIN}", x.id));
        out.raw("DTSTAMP", &stamp);
        out.raw("DTSTART", &local(start));
        out.raw("DTEND", &local(start + hours));
        out.text("SUMMARY", &format!("EXERCISE: {}", x.title.trim()));
        out.text(
            "DESCRIPTION",
            &format!(
                "Live exercise {} of “{}”, moderated by {who}: {} scenario{}. This is an exercise, not a real incident.",
                x.id,
                plan.meta.name.trim(),
                x.scenarios,
                if x.scenarios == 1 { "" } else { "s" }
            ),
        );
        out.raw("CATEGORIES", "EXERCISE");
        out.raw("END", "VEVENT");
    }

    let today = now.date_naive();
    for v in verifications(plan, today) {
        let name = v.name.trim();
        let (summary, state) = match (v.last_verified, v.overdue_since) {
            (None, _) => (
                format!("Verify contact details: {name} (never verified)"),
                format!("{name} has never been verified."),
            ),
            (Some(last), Some(since)) => (
                format!("Verify contact details: {name} (overdue since {since})"),
                format!("{name} was last verified on {last}; that was due again on {since}."),
            ),
            (Some(last), None) => (
                format!("Verify contact details: {name}"),
                format!("{name} was last verified on {last}."),
            ),
        };
        let description = format!(
            "{state}\nConfirm their email, chat and phone with them, then choose Mark verified in Muster. Contact details are verified every {VERIFY_AFTER_DAYS} days."
        );
        out.raw("BEGIN", "VEVENT");
        out.raw("UID", &format!("verify-{}@{UID_DOMAIN}", v.id));
        out.raw("DTSTAMP", &stamp);
        out.raw("DTSTART;VALUE=DATE", &compact(v.day));
        out.raw("DTEND;VALUE=DATE", &compact(v.day + Duration::days(1)));
        out.text("SUMMARY", &summary);
        out.text("DESCRIPTION", &description);
        out.raw("CATEGORIES", "DEADLINE");
        out.raw("TRANSP", "TRANSPARENT");
        out.raw("END", "VEVENT");
    }
    out.raw("END", "VCALENDAR");
    out.finish()
}

/// `20260115`, a DATE value.
fn compact(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// `20260115T100000`, a floating DATE-TIME value.
fn local(at: NaiveDateTime) -> String {
    at.format("%Y%m%dT%H%M%S").to_string()
}
