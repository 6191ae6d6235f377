//! Measured times of an exercise incident, from its events: detection →
//! escalation → decision quorum → action (and mitigated, resolved).
//!
//! Detection is the declaration (the first event). Each measure is the time
//! of the first event that reaches it:
//! - escalation: the `ContactNotified` that completed the set of contacts the
//!   declaration said to tell upon detection (none when that set is empty);
//! - decision quorum: the first `DecisionResolved` that was approved;
//! - action: the first step needing a decision marked done at or after that
//!   quorum;
//! - mitigated / resolved: the first `PhaseChanged` into that phase or a
//!   later one (a skip counts).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use super::model::{Measure, MeasuredTarget, MeasuredTime, Target};
use crate::decision::model::QuorumState;
use crate::incident::{Event, EventBody, Phase, StepStatus};

/// Every [`super::Measure`] in order, seconds from the declaration; `None`
/// where it did not happen (yet).
pub fn measure(events: &[Event]) -> Vec<MeasuredTime> {
    let times = Times::of(events);
    Measure::ALL
        .into_iter()
        .map(|measure| MeasuredTime {
            measure,
            seconds: times.get(measure),
        })
        .collect()
}

/// Seconds from detection of one measure in `measured`, if it happened.
pub fn seconds(measured: &[MeasuredTime], measure: Measure) -> Option<i64> {
    measured
        .iter()
        .find(|m| m.measure == measure)
        .and_then(|m| m.seconds)
}

/// Each target beside its measure. `ended` says whether the scenario is over:
/// an unmet target is `met: Some(false)` once over, or once the time allowed
/// has passed at `now`; `None` while it may still be met.
pub fn against_targets(
    targets: &[Target],
    measured: &[MeasuredTime],
    started_at: DateTime<Utc>,
    ended: bool,
    now: DateTime<Utc>,
) -> Vec<MeasuredTarget> {
    targets
        .iter()
        .map(|t| {
            let allowed = i64::from(t.within_minutes) * 60;
            let measured_seconds = seconds(measured, t.measure);
            let met = match measured_seconds {
                Some(s) => Some(s <= allowed),
                None if ended || now >= started_at + Duration::seconds(allowed) => Some(false),
                None => None,
            };
            MeasuredTarget {
                target: t.key.clone(),
                label: t.label.clone(),
                measure: t.measure,
                within_minutes: t.within_minutes,
                measured_seconds,
                met,
            }
        })
        .collect()
}

/// When each measure was reached, and the declaration they count from.
struct Times {
    declared: Option<DateTime<Utc>>,
    escalation: Option<DateTime<Utc>>,
    quorum: Option<DateTime<Utc>>,
    action: Option<DateTime<Utc>>,
    mitigated: Option<DateTime<Utc>>,
    resolved: Option<DateTime<Utc>>,
}

impl Times {
    fn of(events: &[Event]) -> Times {
        let mut times = Times {
            declared: None,
            escalation: None,
            quorum: None,
            action: None,
            mitigated: None,
            resolved: None,
        };
        let Some(EventBody::Declared {
            procedures,
            escalate,
            ..
        }) = events.first().map(|e| &e.body)
        else {
            return times;
        };
        times.declared = events.first().map(|e| e.at);
        let mut untold: BTreeSet<&str> = escalate.iter().map(|r| r.contact.as_str()).collect();
        let someone_to_tell = !untold.is_empty();
        let needs_decision: BTreeSet<(&str, &str)> = procedures
            .iter()
            .flat_map(|p| {
                p.steps
                    .iter()
                    .filter(|s| s.decision.is_some())
                    .map(move |s| (p.id.as_str(), s.id.as_str()))
            })
            .collect();
        for event in &events[1..] {
            match &event.body {
                EventBody::ContactNotified { contact, .. } => {
                    untold.remove(contact.as_str());
                    if someone_to_tell && untold.is_empty() {
                        times.escalation = times.escalation.or(Some(event.at));
                    }
                }
                EventBody::DecisionResolved {
                    state: QuorumState::Approved,
                    ..
                } => {
                    times.quorum = times.quorum.or(Some(event.at));
                }
                EventBody::StepMarked {
                    procedure,
                    step,
                    status: StepStatus::Done,
                    ..
                } => {
                    let after_quorum = times.quorum.is_some_and(|q| event.at >= q);
                    if times.action.is_none()
                        && after_quorum
                        && needs_decision.contains(&(procedure.as_str(), step.as_str()))
                    {
                        times.action = Some(event.at);
                    }
                }
                EventBody::PhaseChanged { to, .. } => {
                    if *to >= Phase::Mitigated {
                        times.mitigated = times.mitigated.or(Some(event.at));
                    }
                    if *to >= Phase::Resolved {
                        times.resolved = times.resolved.or(Some(event.at));
                    }
                }
                _ => {}
            }
        }
        times
    }

    fn get(&self, measure: Measure) -> Option<i64> {
        let at = match measure {
            Measure::Escalation => self.escalation,
            Measure::DecisionQuorum => self.quorum,
            Measure::Action => self.action,
            Measure::Mitigated => self.mitigated,
            Measure::Resolved => self.resolved,
        }?;
        Some((at - self.declared?).num_seconds())
    }
}
