//! The deadline engine: a pure function of (plan, incidents, now, time zone)
//! to what is due now and when the next thing falls due. The shell's
//! scheduler sleeps until `Agenda::next_at` and raises what `to_notify`
//! returns; nothing here reads a clock or sends anything.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::incident::model::{Escalation, Incident, IncidentId, Phase};
use crate::incident::paging;
use crate::plan::{Audience, CommunicationRule, Id, Plan, Timing};

pub mod concern;
mod local;
mod series;
#[cfg(test)]
mod tests;

pub use local::add_local_days;
use series::{Series, Subject};

/// How long after an escalation falls due, while someone on it has not been
/// marked notified, the next reminder comes.
pub const ESCALATION_REMINDER_MINUTES: i64 = 15;

/// How often an overdue update (or a channel still to open) is raised
/// again until it is posted: every cadence period, or this often when the
/// period is longer (an hourly update missed at 13:00 comes back at 13:15,
/// 13:30…, not first at 14:00).
pub const OVERDUE_REMINDER_MINUTES: i64 = 15;

/// What a due item is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum DueKind {
    /// People who must be told because the incident entered `phase`.
    Escalation { phase: Phase, contacts: Vec<Id> },
    /// A recurring update to an audience (rule timing `everyHours` or
    /// `everyMinutes`), or the channel a rule with timing `untilCompletion`
    /// asks to open.
    Update { rule: Id, audience: Audience },
    /// A post-mortem due some days after resolution.
    PostMortem { rule: Id, audience: Audience },
}

/// One thing due at one moment. `key` names this occurrence: the scheduler
/// raises each key at most once, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DueItem {
    pub key: String,
    pub incident: IncidentId,
    pub incident_title: String,
    pub exercise: bool,
    pub kind: DueKind,
    /// This occurrence's due time.
    pub due_at: DateTime<Utc>,
    /// The first missed occurrence of the same series: overdue since then.
    pub overdue_since: DateTime<Utc>,
    /// One line for a notification's summary, e.g. "INC-3 Oracle failure: internal update due".
    /// Starts with "EXERCISE — " for exercise incidents.
    pub title: String,
    /// Who or which audience, the channel, the deadline in local time.
    pub body: String,
    /// Escalations are critical; the rest normal.
    pub critical: bool,
}

/// What is due now and what comes next, across all incidents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Agenda {
    /// Due at or before `now`: only the latest occurrence of each series.
    pub due: Vec<DueItem>,
    /// The next occurrence of each series after `now`, soonest first.
    pub upcoming: Vec<DueItem>,
    /// The soonest `due_at` in `upcoming`: when the scheduler must wake.
    pub next_at: Option<DateTime<Utc>>,
}

/// The state of one communication rule for one incident, for the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CadenceLine {
    pub rule: Id,
    pub audience: Audience,
    /// e.g. "every hour", "at resolution + 2 days".
    pub timing: String,
    pub channel: String,
    pub responsible: Option<String>,
    pub optional: bool,
    pub state: CadenceState,
    pub last_update_at: Option<DateTime<Utc>>,
    /// When the next update (or the post-mortem) is due; none when done,
    /// waived or not yet running.
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CadenceState {
    /// Running; the next update is not due yet.
    OnTrack,
    /// Due now or past due.
    Overdue,
    /// Waits for resolution (post-mortems) or does not run in this phase.
    NotYet,
    /// Post-mortem published, or the incident is over for this rule.
    Done,
    Waived,
}

/// What is due for `incidents` at `now`. Post-mortem days count in `zone`'s
/// calendar (so "+2 days" keeps the local time across a DST change).
///
/// Every incident that is not closed runs these series:
/// - one per escalation group (see [`escalation_groups`]) while someone in it
///   is not marked notified: due when the group became required, then every
///   [`ESCALATION_REMINDER_MINUTES`]; key `esc:{incident}:{group}:{k}`;
/// - one per applicable communication rule that is not waived, as long as
///   [`cadence`] shows it running (on track or overdue); once overdue, an
///   update or a channel still to open is raised again every
///   [`OVERDUE_REMINDER_MINUTES`] (or every period, when shorter).
///
/// `due` holds the latest occurrence at or before `now` of each series — a
/// long sleep or a clock jump raises one reminder per series, not one per
/// missed occurrence — escalations first, then the longest overdue.
/// `upcoming` holds the next occurrence after `now` of each series, soonest
/// first, already worded as it will be when due.
pub fn agenda(plan: &Plan, incidents: &[Incident], now: DateTime<Utc>, zone: Tz) -> Agenda {
    agenda_every(
        plan,
        incidents,
        now,
        zone,
        Duration::minutes(OVERDUE_REMINDER_MINUTES),
    )
}

/// [`agenda`], with overdue updates and channels raised again every
/// `reminder` (a laptop's setting, see `Store::overdue_reminder`).
pub fn agenda_every(
    plan: &Plan,
    incidents: &[Incident],
    now: DateTime<Utc>,
    zone: Tz,
    reminder: Duration,
) -> Agenda {
    let mut agenda = Agenda::default();
    for incident in incidents.iter().filter(|i| i.phase != Phase::Closed) {
        let escalations = escalation_groups(incident)
            .into_iter()
            .enumerate()
            .filter_map(|(i, group)| {
                let pending: Vec<_> = group
                    .iter()
                    .filter(|e| e.notified.is_none())
                    .map(|e| &e.recipient)
                    .collect();
                let first = group.first()?;
                (!pending.is_empty()).then(|| Series {
                    plan,
                    incident,
                    zone,
                    first: first.at,
                    period: Some(Duration::minutes(ESCALATION_REMINDER_MINUTES)),
                    cadence: Some(Duration::minutes(ESCALATION_REMINDER_MINUTES)),
                    subject: Subject::Escalation {
                        number: i + 1,
                        phase: first.phase,
                        pending,
                    },
                })
            });
        let communications = applicable_rules(plan, incident).filter_map(|rule| {
            let Schedule::Runs { first, period } = schedule(incident, rule, zone) else {
                return None;
            };
            let subject = match rule.timing {
                Timing::UntilCompletion => Subject::Channel(rule),
                Timing::AfterResolutionDays { .. } => Subject::PostMortem(rule),
                Timing::EveryHours { .. } | Timing::EveryMinutes { .. } => Subject::Update(rule),
            };
            // Overdue, it comes back every reminder interval (or every
            // period, when shorter) until done.
            let (period, cadence) = match subject {
                Subject::Update(_) => (period.map(|p| p.min(reminder)), period),
                Subject::Channel(_) => (Some(reminder), None),
                _ => (period, period),
            };
            Some(Series {
                plan,
                incident,
                zone,
                first,
                period,
                cadence,
                subject,
            })
        });
        for series in escalations.chain(communications) {
            let (due, next) = series.around(now);
            agenda.due.extend(due);
            agenda.upcoming.extend(next);
        }
        for (i, group) in escalation_groups(incident).iter().enumerate() {
            for page in paging::pages(plan, incident, group) {
                let item = page_item(plan, incident, i + 1, group, &page, zone);
                if page.at <= now {
                    agenda.due.push(item);
                } else {
                    agenda.upcoming.push(item);
                }
            }
        }
    }
    agenda.due.sort_by(|a, b| {
        (!a.critical, a.overdue_since, &a.key).cmp(&(!b.critical, b.overdue_since, &b.key))
    });
    agenda
        .upcoming
        .sort_by(|a, b| (a.due_at, &a.key).cmp(&(b.due_at, &b.key)));
    agenda.next_at = agenda.upcoming.first().map(|d| d.due_at);
    agenda
}

/// One page (see [`paging`]) as a due item: key `page:{incident}:{group}:{stage}`,
/// raised once; for the lead, it says who has not answered and who is called
/// now; [`concern::for_person`] words it for each person it calls.
fn page_item(
    plan: &Plan,
    incident: &Incident,
    group_number: usize,
    group: &[&Escalation],
    page: &paging::Page,
    zone: Tz,
) -> DueItem {
    let name = |id: &Id| plan.contact_name(id).unwrap_or(id.as_str()).to_owned();
    let phase = group.first().map_or(Phase::Detected, |e| e.phase);
    let unanswered = name(&page.unanswered);
    let called: Vec<String> = page.contacts.iter().map(name).collect();
    let what = if page.stage == 1 {
        format!("{unanswered} has not acknowledged — calling again")
    } else {
        format!(
            "{unanswered} has not acknowledged — paging {}",
            called.join(", ")
        )
    };
    let since = group.first().map_or(page.at, |e| e.at);
    let exercise = if incident.exercise {
        "EXERCISE — "
    } else {
        ""
    };
    DueItem {
        key: format!("page:{}:{group_number}:{}", incident.id, page.stage),
        incident: incident.id.clone(),
        incident_title: incident.title.clone(),
        exercise: incident.exercise,
        kind: DueKind::Escalation {
            phase,
            contacts: page.contacts.clone(),
        },
        due_at: page.at,
        overdue_since: since,
        title: format!("{exercise}{} {}: {what}", incident.id, incident.title),
        body: format!(
            "{} {}: {unanswered} was called at {} and has not answered. Acknowledge in Muster when you have it.",
            incident.severity.as_str(),
            incident.severity.label(),
            local::clock_time(since, zone),
        ),
        critical: true,
    }
}

/// The communication rules that apply to `incident`, each with its state.
///
/// - `everyHours` / `everyMinutes`: run while the incident is open; the next
///   update is due one period after the latest update posted for the rule
///   since the incident (re)opened, or after it opened; periods are UTC
///   durations. `due_at` is that moment even when several periods have passed
///   (overdue since then).
/// - `untilCompletion`: the channel is due to be opened when the incident
///   opens, and done once any update is posted for the rule.
/// - `afterResolutionDays`: not yet until resolved; then due at the same
///   local time that many calendar days after resolution in `zone`; done once
///   a post-mortem for its audience (or an update for the rule) is published.
/// - A waived rule is waived; on a closed incident everything else is done.
pub fn cadence(plan: &Plan, incident: &Incident, now: DateTime<Utc>, zone: Tz) -> Vec<CadenceLine> {
    applicable_rules(plan, incident)
        .map(|rule| {
            let (state, due_at) = match schedule(incident, rule, zone) {
                Schedule::Waived => (CadenceState::Waived, None),
                Schedule::NotYet => (CadenceState::NotYet, None),
                Schedule::Done => (CadenceState::Done, None),
                Schedule::Runs { first, .. } if first <= now => {
                    (CadenceState::Overdue, Some(first))
                }
                Schedule::Runs { first, .. } => (CadenceState::OnTrack, Some(first)),
            };
            CadenceLine {
                rule: rule.id.clone(),
                audience: rule.audience,
                timing: rule.timing.describe(),
                channel: rule.channel.clone(),
                responsible: responsible_name(plan, rule),
                optional: rule.optional,
                state,
                last_update_at: last_update_at(incident, rule),
                due_at,
            }
        })
        .collect()
}

/// The due items not raised before: one per series even after a long sleep
/// or a clock jump (only the latest occurrence is in `agenda.due`).
pub fn to_notify<'a>(agenda: &'a Agenda, sent: &HashSet<String>) -> Vec<&'a DueItem> {
    agenda
        .due
        .iter()
        .filter(|d| !sent.contains(&d.key))
        .collect()
}

/// The escalations of `incident` grouped by the phase entry that required
/// them: those with the same phase and the same `at`, in order of first
/// appearance. A group's 1-based position is its number in reminder keys
/// (`esc:{incident}:{number}:{k}`): `Escalation` carries no event seq, and
/// escalations are only ever appended in event order, so the position of a
/// group never changes once it exists.
pub fn escalation_groups(incident: &Incident) -> Vec<Vec<&Escalation>> {
    let mut groups: Vec<Vec<&Escalation>> = Vec::new();
    for escalation in &incident.escalations {
        let same = |g: &&mut Vec<&Escalation>| {
            g.first()
                .is_some_and(|f| f.phase == escalation.phase && f.at == escalation.at)
        };
        match groups.iter_mut().find(same) {
            Some(group) => group.push(escalation),
            None => groups.push(vec![escalation]),
        }
    }
    groups
}

/// Where one communication rule stands for one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schedule {
    Waived,
    /// Waits for resolution, or its period is zero (a plan the check flags).
    NotYet,
    Done,
    /// Due at `first`, then every `period` if it repeats.
    Runs {
        first: DateTime<Utc>,
        period: Option<Duration>,
    },
}

fn schedule(incident: &Incident, rule: &CommunicationRule, zone: Tz) -> Schedule {
    if incident.waivers.iter().any(|w| w.rule == rule.id) {
        return Schedule::Waived;
    }
    if incident.phase == Phase::Closed {
        return Schedule::Done;
    }
    let posted_for_rule = |since: Option<DateTime<Utc>>| {
        incident
            .updates
            .iter()
            .filter(|u| u.rule.as_ref() == Some(&rule.id))
            .filter(|u| since.is_none_or(|s| u.at >= s))
            .map(|u| u.at)
            .max()
    };
    match rule.timing {
        Timing::EveryHours { hours } => {
            periodic(incident, Duration::hours(i64::from(hours)), posted_for_rule)
        }
        Timing::EveryMinutes { minutes } => periodic(
            incident,
            Duration::minutes(i64::from(minutes)),
            posted_for_rule,
        ),
        Timing::UntilCompletion => {
            if !incident.phase.is_open() || posted_for_rule(None).is_some() {
                Schedule::Done
            } else {
                Schedule::Runs {
                    first: incident.opened_at,
                    period: None,
                }
            }
        }
        Timing::AfterResolutionDays { days } => {
            let published = incident
                .publications
                .iter()
                .any(|p| p.audience == rule.audience || p.rule.as_ref() == Some(&rule.id));
            match incident.resolved_at {
                _ if published || posted_for_rule(None).is_some() => Schedule::Done,
                None => Schedule::NotYet,
                Some(resolved) => Schedule::Runs {
                    first: add_local_days(resolved, days, zone),
                    period: None,
                },
            }
        }
    }
}

/// An update cadence: one `period` after the latest update for the rule
/// since the incident (re)opened, or after it opened; only while open.
fn periodic(
    incident: &Incident,
    period: Duration,
    posted_for_rule: impl Fn(Option<DateTime<Utc>>) -> Option<DateTime<Utc>>,
) -> Schedule {
    if period <= Duration::zero() {
        return Schedule::NotYet;
    }
    if !incident.phase.is_open() {
        return Schedule::Done;
    }
    let base = posted_for_rule(Some(incident.opened_at)).unwrap_or(incident.opened_at);
    Schedule::Runs {
        first: base + period,
        period: Some(period),
    }
}

/// Rules with no categories apply to every incident; the others to theirs.
fn applicable_rules<'a>(
    plan: &'a Plan,
    incident: &'a Incident,
) -> impl Iterator<Item = &'a CommunicationRule> {
    plan.communications
        .iter()
        .filter(|r| r.categories.is_empty() || r.categories.contains(&incident.category))
}

/// The latest update posted for the rule; for a post-mortem rule also the
/// latest post-mortem published for its audience.
fn last_update_at(incident: &Incident, rule: &CommunicationRule) -> Option<DateTime<Utc>> {
    let updates = incident
        .updates
        .iter()
        .filter(|u| u.rule.as_ref() == Some(&rule.id))
        .map(|u| u.at);
    let publications = incident
        .publications
        .iter()
        .filter(|p| {
            matches!(rule.timing, Timing::AfterResolutionDays { .. })
                && (p.audience == rule.audience || p.rule.as_ref() == Some(&rule.id))
        })
        .map(|p| p.at);
    updates.chain(publications).max()
}

/// The responsible contact's name; their id when the plan has no such
/// contact any more, so the duty stays attributed.
fn responsible_name(plan: &Plan, rule: &CommunicationRule) -> Option<String> {
    let id = rule.responsible.as_ref()?;
    Some(
        plan.contact_name(id)
            .map_or_else(|| id.to_string(), str::to_owned),
    )
}
