//! The exercise programme: when the next exercise is due by the plan's
//! exercise policy, and the reminders before and after that day.
//!
//! The cadence follows the calendar export (`export::ical::exercise_dates`):
//! an exercise is due every `while_new_every_weeks` weeks while that lands
//! inside the plan's first `new_for_months`, and every
//! `established_every_months` months after the last one held otherwise.

use chrono::{DateTime, Duration, LocalResult, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::model::ProgrammeReminder;
use crate::plan::ExercisePolicy;

/// Days before the due day that the "due soon" reminder is raised.
pub const REMIND_DAYS_BEFORE: i64 = 7;

/// The local hour reminders are raised at.
pub const REMIND_HOUR: u32 = 9;

/// Where the reminders send people.
pub const PLAN_ONE: &str = "Plan one in Muster → Exercises.";

/// The due day of the next exercise: while the plan is new (the
/// `new_for_months` after `plan_since`) every `while_new_every_weeks` weeks
/// after the last exercise held, afterwards every `established_every_months`
/// months; with none held yet, one while-new period after `plan_since`.
/// `held` are the days of ended exercises, in any order.
///
/// "While new" is judged at the due day, as the calendar export does: when
/// a while-new period after the last exercise falls past the plan's first
/// `new_for_months`, the established cadence applies.
pub fn next_due(policy: &ExercisePolicy, plan_since: NaiveDate, held: &[NaiveDate]) -> NaiveDate {
    let last = held.iter().copied().max().unwrap_or(plan_since);
    let new_until = plan_since
        .checked_add_months(Months::new(policy.new_for_months))
        .unwrap_or(NaiveDate::MAX);
    let weeks = last + Duration::weeks(i64::from(policy.while_new_every_weeks.max(1)));
    if weeks < new_until {
        return weeks;
    }
    last.checked_add_months(Months::new(policy.established_every_months.max(1)))
        .unwrap_or(NaiveDate::MAX)
}

/// The reminders for `due`: "due soon" at 09:00 local time
/// [`REMIND_DAYS_BEFORE`] days before, "overdue" at 09:00 the day after.
/// Returns those whose time has come at `now` (latest only matters: both may
/// be returned; the caller raises each key once) and when the next one comes.
pub fn reminders(
    due: NaiveDate,
    zone: Tz,
    now: DateTime<Utc>,
) -> (Vec<ProgrammeReminder>, Option<DateTime<Utc>>) {
    let body = |state: &str| {
        format!(
            "The plan's exercise policy asks for regular live exercises; the next one {state} {due}. {PLAN_ONE}"
        )
    };
    let all = [
        ProgrammeReminder {
            key: format!("exercise-due:{due}:soon"),
            at: at_nine(due - Duration::days(REMIND_DAYS_BEFORE), zone),
            title: format!("Live exercise due in {REMIND_DAYS_BEFORE} days ({due})"),
            body: body("is due on"),
        },
        ProgrammeReminder {
            key: format!("exercise-due:{due}:overdue"),
            at: at_nine(due + Duration::days(1), zone),
            title: format!("Live exercise overdue since {due}"),
            body: body("was due on"),
        },
    ];
    let next = all.iter().map(|r| r.at).find(|at| *at > now);
    let due_now = all.into_iter().filter(|r| r.at <= now).collect();
    (due_now, next)
}

/// 09:00 on `day` in `zone`, as UTC; the first valid moment after it when a
/// clock change skips that hour.
fn at_nine(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let nine = day.and_time(NaiveTime::from_hms_opt(REMIND_HOUR, 0, 0).unwrap_or(NaiveTime::MIN));
    for hours in 0..=3 {
        match zone.from_local_datetime(&(nine + Duration::hours(hours))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                return t.with_timezone(&Utc);
            }
            LocalResult::None => {}
        }
    }
    Utc.from_utc_datetime(&nine)
}
