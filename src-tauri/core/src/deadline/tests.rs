//! Tests of the deadline engine: update cadences, channels, post-mortems
//! across daylight-saving changes, escalation reminders, and catch-up after a
//! clock jump. Incidents are built as values here (not folded from events),
//! so these tests pin the engine alone.

use chrono::NaiveDate;
use chrono_tz::America::New_York;
use chrono_tz::Europe::Berlin;

use super::*;
use crate::export::Team;
use crate::incident::model::{Notified, PhaseTime, Publication, Recipient, UpdateRecord, Waiver};
use crate::plan::{id, Reach, Severity};
use crate::starter;
use crate::testing::utc;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
}

/// A rule for every category, in `#war-room`, Ben Sample responsible.
fn rule(id_: &str, audience: Audience, timing: Timing) -> CommunicationRule {
    CommunicationRule {
        id: id(id_),
        audience,
        timing,
        channel: "#war-room".to_owned(),
        responsible: Some(id("ben-sample")),
        categories: vec![],
        optional: false,
        notes: String::new(),
    }
}

/// The starter plan's people with only `rules` for communications.
fn plan_with(rules: Vec<CommunicationRule>) -> Plan {
    let mut plan = starter::plan(day());
    plan.communications = rules;
    plan
}

/// Internal post-mortem at +2 days, public at +5.
fn post_mortems() -> Plan {
    plan_with(vec![
        rule(
            "internal-pm",
            Audience::InternalPostMortem,
            Timing::AfterResolutionDays { days: 2 },
        ),
        rule(
            "public-pm",
            Audience::PublicPostMortem,
            Timing::AfterResolutionDays { days: 5 },
        ),
    ])
}

/// INC-1 "Oracle failure", a network problem detected at `opened`, nothing
/// else recorded.
fn incident(opened: &str) -> Incident {
    let at = utc(opened);
    Incident {
        id: IncidentId("INC-1".to_owned()),
        title: "Oracle failure".to_owned(),
        issue: None,
        category: id("network-problem"),
        severity: Severity::S2,
        exercise: false,
        description: String::new(),
        phase: Phase::Detected,
        declared_at: at,
        declared_by: "Ada Example".to_owned(),
        phases: vec![PhaseTime {
            phase: Phase::Detected,
            at,
            by: "Ada Example".to_owned(),
        }],
        opened_at: at,
        resolved_at: None,
        roles: vec![],
        procedures: vec![],
        steps: vec![],
        escalations: vec![],
        acknowledgements: vec![],
        updates: vec![],
        waivers: vec![],
        publications: vec![],
        reminders: vec![],
        event_count: 1,
        last_event_at: at,
    }
}

/// What the fold would record, as chainable edits of an incident.
trait Record: Sized {
    fn with(self, change: impl FnOnce(&mut Incident)) -> Self;

    fn posted(self, rule: Option<&str>, at: &str) -> Self {
        self.with(|i| {
            i.updates.push(UpdateRecord {
                rule: rule.map(id),
                audience: Audience::Internal,
                channel: "#war-room".to_owned(),
                text: "Still on it".to_owned(),
                at: utc(at),
                by: "Ben Sample".to_owned(),
            })
        })
    }

    /// A transition to `phase` at `at`; resolving sets `resolved_at`.
    fn entered(self, phase: Phase, at: &str) -> Self {
        self.with(|i| {
            i.phase = phase;
            if phase == Phase::Resolved {
                i.resolved_at = Some(utc(at));
            }
        })
    }

    /// Back to validated at `at`, as a reopen does.
    fn reopened(self, at: &str) -> Self {
        self.with(|i| {
            i.phase = Phase::Validated;
            i.opened_at = utc(at);
            i.resolved_at = None;
        })
    }

    fn waived(self, rule: &str) -> Self {
        self.with(|i| {
            i.waivers.push(Waiver {
                rule: id(rule),
                reason: "near-miss".to_owned(),
                at: i.opened_at,
                by: "Ada Example".to_owned(),
            })
        })
    }

    fn published(self, audience: Audience, at: &str) -> Self {
        self.with(|i| {
            i.publications.push(Publication {
                audience,
                rule: None,
                at: utc(at),
                by: "Ada Example".to_owned(),
            })
        })
    }

    /// `contacts` (starter ids) must be told because of `phase`, entered at `at`.
    fn escalated(self, phase: Phase, at: &str, contacts: &[&str]) -> Self {
        let plan = starter::plan(day());
        self.with(|i| {
            for contact in contacts {
                i.escalations.push(Escalation {
                    phase,
                    at: utc(at),
                    recipient: Recipient {
                        contact: id(contact),
                        name: plan.contact_name(&id(contact)).unwrap_or("?").to_owned(),
                        team: Team::Core,
                        role: String::new(),
                        reach: Reach::default(),
                        on_call: false,
                    },
                    notified: None,
                });
            }
        })
    }

    /// `contact` told at `at`: every pending escalation of theirs.
    fn notified(self, contact: &str, at: &str) -> Self {
        self.with(|i| {
            for e in &mut i.escalations {
                if e.recipient.contact.as_str() == contact && e.notified.is_none() {
                    e.notified = Some(Notified {
                        at: utc(at),
                        by: "Ada Example".to_owned(),
                        channel: "phone".to_owned(),
                    });
                }
            }
        })
    }
}

impl Record for Incident {
    fn with(mut self, change: impl FnOnce(&mut Incident)) -> Self {
        change(&mut self);
        self
    }
}

/// The agenda as lines: each due item, then each upcoming one, then `next_at`,
/// times in UTC as "day hh:mm".
fn render(agenda: &Agenda) -> String {
    let t = |t: DateTime<Utc>| t.format("%d %H:%M").to_string();
    let item = |what: &str, d: &DueItem| {
        format!(
            "{what} {} (since {}) {}",
            t(d.due_at),
            t(d.overdue_since),
            d.key
        )
    };
    let mut lines: Vec<String> = agenda.due.iter().map(|d| item("due ", d)).collect();
    lines.extend(agenda.upcoming.iter().map(|d| item("next", d)));
    lines.push(format!(
        "next_at {}",
        agenda.next_at.map_or("none".to_owned(), t)
    ));
    lines.join("\n")
}

/// Trims each line of an inline expectation and drops blank ones.
fn lines(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each case: its name, the incident, `now`, and the agenda expected in
/// Berlin under `plan`.
fn check(plan: &Plan, cases: &[(&str, Incident, &str, &str)]) {
    for (name, incident, now, expected) in cases {
        let got = agenda(plan, std::slice::from_ref(incident), utc(now), Berlin);
        assert_eq!(render(&got), lines(expected), "{name} (at {now})");
    }
}

/// Detected at 12:00 UTC (13:00 CET); Ada and Ben must be told.
fn escalated() -> Incident {
    incident("2026-03-02T12:00:00Z").escalated(
        Phase::Detected,
        "2026-03-02T12:00:00Z",
        &["ada-example", "ben-sample"],
    )
}

/// (key, title, body) of every due and upcoming item.
fn texts(agenda: &Agenda) -> Vec<(String, String, String)> {
    agenda
        .due
        .iter()
        .chain(&agenda.upcoming)
        .map(|d| (d.key.clone(), d.title.clone(), d.body.clone()))
        .collect()
}

fn hourly() -> Plan {
    plan_with(vec![rule(
        "internal",
        Audience::Internal,
        Timing::EveryHours { hours: 1 },
    )])
}

mod cadence;
mod concern;
mod post_mortem;
mod reminders;
