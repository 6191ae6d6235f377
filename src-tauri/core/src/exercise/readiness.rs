//! Readiness: the exercise programme against the policy, issues not
//! rehearsed, open improvement items and the trend of measured times. Real
//! incident figures sit beside them and never include exercises.
//!
//! "Today" is the day at `now` in the given zone; "the last 12 months" are
//! the days after the same day a year ago, up to and including today.

use chrono::{DateTime, Months, NaiveDate, Utc};
use chrono_tz::Tz;

use super::measure::{measure, seconds};
use super::model::{
    Exercise, ExerciseStatus, ExerciseSummary, Finding, IncidentFigures, IssueExercised, Measure,
    ReadBack, Readiness, TrendPoint,
};
use super::programme::next_due;
use crate::incident::{Event, Incident, Phase};
use crate::plan::{Id, Plan};

/// Everything the dashboard needs, gathered by the store.
#[derive(Debug, Clone)]
pub struct ReadinessInput<'a> {
    pub plan: &'a Plan,
    /// The day the plan was first saved (its policy's "while new" starts there).
    pub plan_since: NaiveDate,
    /// Every exercise, each with the read-backs of its scenarios.
    pub exercises: &'a [(Exercise, Vec<ReadBack>)],
    /// Every incident (real and exercise) with its events.
    pub incidents: &'a [(Incident, Vec<Event>)],
}

pub fn readiness(input: &ReadinessInput<'_>, now: DateTime<Utc>, zone: Tz) -> Readiness {
    let plan = input.plan;
    let today = now.with_timezone(&zone).date_naive();
    let year_ago = today
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);

    let mut ended: Vec<&(Exercise, Vec<ReadBack>)> = input
        .exercises
        .iter()
        .filter(|(x, _)| x.status == ExerciseStatus::Ended)
        .collect();
    ended.sort_by_key(|(x, _)| (held_on(x, zone), number(x.id.as_str())));
    let held: Vec<NaiveDate> = ended.iter().map(|(x, _)| held_on(x, zone)).collect();
    let exercises_last_12_months = held
        .iter()
        .filter(|d| **d > year_ago && **d <= today)
        .count() as u32;

    let policy = &plan.exercise_policy;
    let every = policy.established_every_months.max(1);
    let required_per_year = 12u32.div_ceil(every).max(2);
    let next_due = next_due(policy, input.plan_since, &held);

    let next_planned = input
        .exercises
        .iter()
        .map(|(x, _)| x)
        .filter(|x| x.status == ExerciseStatus::Planned && x.setup.date >= today)
        .min_by_key(|x| (x.setup.date, number(x.id.as_str())))
        .map(summary);

    let (never_exercised, stale) = rehearsed(plan, &ended, year_ago, zone);

    let mut open_items: Vec<Finding> = input
        .exercises
        .iter()
        .flat_map(|(x, _)| x.findings.iter())
        .filter(|f| f.done_at.is_none())
        .cloned()
        .collect();
    open_items.sort_by_key(|f| (f.due, number(f.id.as_str())));
    let overdue_items = open_items.iter().filter(|f| f.due < today).count() as u32;

    let trend = ended
        .iter()
        .flat_map(|(x, read_backs)| {
            Measure::ALL.into_iter().filter_map(move |m| {
                let values: Vec<i64> = read_backs
                    .iter()
                    .filter_map(|r| seconds(&r.measured, m))
                    .collect();
                median(values).map(|seconds| TrendPoint {
                    exercise: x.id.clone(),
                    date: held_on(x, zone),
                    measure: m,
                    seconds,
                })
            })
        })
        .collect();

    Readiness {
        as_of: now,
        exercises_last_12_months,
        required_per_year,
        last_exercise: held.iter().copied().max(),
        next_due,
        days_until_due: (next_due - today).num_days(),
        next_planned,
        never_exercised,
        stale,
        open_items,
        overdue_items,
        trend,
        real_incidents: incident_figures(input.incidents, now),
    }
}

/// Figures over real incidents only.
pub fn incident_figures(
    incidents: &[(Incident, Vec<Event>)],
    now: DateTime<Utc>,
) -> IncidentFigures {
    let year_ago = now
        .checked_sub_months(Months::new(12))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let real = || incidents.iter().filter(|(i, _)| !i.exercise);
    let recent: Vec<&(Incident, Vec<Event>)> = real()
        .filter(|(i, _)| i.declared_at > year_ago && i.declared_at <= now)
        .collect();
    let escalations = recent
        .iter()
        .filter_map(|(_, events)| seconds(&measure(events), Measure::Escalation))
        .collect();
    IncidentFigures {
        last_12_months: recent.len() as u32,
        open: real().filter(|(i, _)| i.phase != Phase::Closed).count() as u32,
        median_escalation_seconds: median(escalations),
    }
}

/// The day an exercise was held: the local day it started (a team may run
/// it before or after the day it was planned for), else its planned day.
pub fn held_on(x: &Exercise, zone: Tz) -> NaiveDate {
    x.started_at
        .map(|t| t.with_timezone(&zone).date_naive())
        .unwrap_or(x.setup.date)
}

/// A row of the exercise list for `x`.
pub fn summary(x: &Exercise) -> ExerciseSummary {
    ExerciseSummary {
        id: x.id.clone(),
        title: x.setup.title.clone(),
        date: x.setup.date,
        status: x.status,
        scenarios: x.setup.scenarios.len() as u32,
        moderator: x.setup.moderator.clone(),
        open_findings: x.findings.iter().filter(|f| f.done_at.is_none()).count() as u32,
    }
}

/// The plan's potential issues no ended exercise ran a scenario of, and those
/// last run on or before `year_ago`, each in plan order.
fn rehearsed(
    plan: &Plan,
    ended: &[&(Exercise, Vec<ReadBack>)],
    year_ago: NaiveDate,
    zone: Tz,
) -> (Vec<IssueExercised>, Vec<IssueExercised>) {
    let last = |issue: &Id| {
        ended
            .iter()
            .filter(|(x, _)| {
                x.runs.iter().any(|run| {
                    x.setup
                        .scenarios
                        .iter()
                        .any(|s| s.key == run.scenario && s.issue.as_ref() == Some(issue))
                })
            })
            .map(|(x, _)| held_on(x, zone))
            .max()
    };
    let mut never = Vec::new();
    let mut stale = Vec::new();
    for issue in &plan.issues {
        let row = IssueExercised {
            issue: issue.id.clone(),
            title: issue.title.clone(),
            last: last(&issue.id),
        };
        match row.last {
            None => never.push(row),
            Some(day) if day <= year_ago => stale.push(row),
            Some(_) => {}
        }
    }
    (never, stale)
}

/// The median (of an even count, the mean of the two middle values rounded
/// down); none for no values.
pub(crate) fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]).div_euclid(2)),
    }
}

/// `7` of `EX-7` or `IMP-7`, to sort ids by number; 0 when there is none.
fn number(id: &str) -> u64 {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
