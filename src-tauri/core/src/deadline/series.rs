//! One series of reminders: a first occurrence and, for cadences and
//! escalations, a period; and how each occurrence reads as a [`DueItem`].
//! Keeping the arithmetic here, once, is what makes "only the latest
//! occurrence is due" hold for every kind of deadline alike.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::Tz;

use super::local::{clock_time, day_and_time, since_text};
use super::{DueItem, DueKind};
use crate::incident::model::{Incident, Phase, Recipient};
use crate::plan::{Audience, CommunicationRule, Plan};

/// What a series reminds of.
#[derive(Debug)]
pub(super) enum Subject<'a> {
    /// Escalation group `number` (1-based, see [`super::escalation_groups`]),
    /// with the recipients still not notified.
    Escalation {
        number: usize,
        phase: Phase,
        pending: Vec<&'a Recipient>,
    },
    /// A recurring update (`everyHours`, `everyMinutes`).
    Update(&'a CommunicationRule),
    /// A channel to open (`untilCompletion`).
    Channel(&'a CommunicationRule),
    /// A post-mortem (`afterResolutionDays`).
    PostMortem(&'a CommunicationRule),
}

/// Occurrences at `first + n·period` (n ≥ 0), or `first` alone without a period.
#[derive(Debug)]
pub(super) struct Series<'a> {
    pub plan: &'a Plan,
    pub incident: &'a Incident,
    pub zone: Tz,
    pub first: DateTime<Utc>,
    pub period: Option<Duration>,
    /// The deadlines' own period, when it differs from the reminders'
    /// (an hourly update reminded every 15 minutes once overdue): what
    /// counts the deadlines missed. `None`: one deadline, `first`.
    pub cadence: Option<Duration>,
    pub subject: Subject<'a>,
}

impl Series<'_> {
    /// The latest occurrence at or before `now` and the first after it.
    pub fn around(&self, now: DateTime<Utc>) -> (Option<DueItem>, Option<DueItem>) {
        if now < self.first {
            return (None, Some(self.item(0)));
        }
        match self.period {
            None => (Some(self.item(0)), None),
            Some(period) => {
                let step = period.num_milliseconds().max(1);
                let n = (now - self.first).num_milliseconds() / step;
                (Some(self.item(n)), Some(self.item(n + 1)))
            }
        }
    }

    fn at(&self, n: i64) -> DateTime<Utc> {
        let Some(period) = self.period else {
            return self.first;
        };
        Duration::try_milliseconds(period.num_milliseconds().saturating_mul(n))
            .and_then(|d| self.first.checked_add_signed(d))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// Occurrence `n` (0 = the first), overdue since the first.
    fn item(&self, n: i64) -> DueItem {
        let incident = self.incident;
        let due_at = self.at(n);
        let id = incident.id.as_str();
        let (key, kind, what, people, channel) = match &self.subject {
            Subject::Escalation {
                number,
                phase,
                pending,
            } => (
                format!("esc:{id}:{number}:{n}"),
                DueKind::Escalation {
                    phase: *phase,
                    contacts: pending.iter().map(|r| r.contact.clone()).collect(),
                },
                format!(
                    "notify {} now ({})",
                    people_count(pending.len()),
                    phase_entry(*phase)
                ),
                pending
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                "",
            ),
            Subject::Update(rule) => (
                format!(
                    "upd:{id}:{}:{}",
                    rule.id,
                    due_at.to_rfc3339_opts(SecondsFormat::Secs, true)
                ),
                update_kind(rule),
                if self.first < due_at {
                    format!("{} update overdue", audience_words(rule.audience))
                } else {
                    format!("{} update due", audience_words(rule.audience))
                },
                responsible(self.plan, rule),
                rule.channel.as_str(),
            ),
            // The first reminder keeps the key it always had; each later
            // one is new, so the desktop raises it again.
            Subject::Channel(rule) => (
                if n == 0 {
                    format!("chan:{id}:{}", rule.id)
                } else {
                    format!("chan:{id}:{}:{n}", rule.id)
                },
                update_kind(rule),
                format!("open the {} channel", audience_words(rule.audience)),
                responsible(self.plan, rule),
                rule.channel.as_str(),
            ),
            Subject::PostMortem(rule) => (
                format!("pm:{id}:{}", rule.id),
                DueKind::PostMortem {
                    rule: rule.id.clone(),
                    audience: rule.audience,
                },
                format!("{} due", audience_words(rule.audience)),
                responsible(self.plan, rule),
                rule.channel.as_str(),
            ),
        };
        // The latest deadline at or before this reminder, and how many
        // deadlines it is past.
        let (deadline, missed) = match self.cadence {
            Some(cadence) if cadence > Duration::zero() => {
                let k = (due_at - self.first).num_milliseconds() / cadence.num_milliseconds();
                let deadline =
                    Duration::try_milliseconds(cadence.num_milliseconds().saturating_mul(k))
                        .and_then(|d| self.first.checked_add_signed(d))
                        .unwrap_or(due_at);
                (deadline, Some(k + 1))
            }
            _ => (self.first, None),
        };
        let when = match self.subject {
            Subject::PostMortem(_) => day_and_time(deadline, self.zone),
            _ => clock_time(deadline, self.zone),
        };
        let mut body = format!("Due {when}");
        if !channel.trim().is_empty() {
            body.push_str(&format!(" in {}", channel.trim()));
        }
        if !people.is_empty() {
            body.push_str(&format!(" — {people}"));
        }
        if self.first < due_at {
            match missed {
                Some(missed) => body.push_str(&format!(
                    ". Overdue since {} ({missed} missed)",
                    since_text(self.first, due_at, self.zone),
                )),
                None => body.push_str(&format!(
                    ". Still not done at {}",
                    clock_time(due_at, self.zone)
                )),
            }
        }
        let exercise = if incident.exercise {
            "EXERCISE — "
        } else {
            ""
        };
        DueItem {
            key,
            incident: incident.id.clone(),
            incident_title: incident.title.clone(),
            exercise: incident.exercise,
            kind,
            due_at,
            overdue_since: self.first,
            title: format!("{exercise}{id} {}: {what}", incident.title),
            body,
            critical: matches!(self.subject, Subject::Escalation { .. }),
        }
    }
}

fn update_kind(rule: &CommunicationRule) -> DueKind {
    DueKind::Update {
        rule: rule.id.clone(),
        audience: rule.audience,
    }
}

/// The responsible contact's name, or their id when the plan no longer has
/// them; empty when nobody is.
fn responsible(plan: &Plan, rule: &CommunicationRule) -> String {
    super::responsible_name(plan, rule).unwrap_or_default()
}

fn people_count(n: usize) -> String {
    match n {
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    }
}

/// "detection", as in "notify 2 people now (detection)".
fn phase_entry(phase: Phase) -> &'static str {
    match phase {
        Phase::Detected => "detection",
        Phase::Validated => "validation",
        Phase::Mitigated => "mitigation",
        Phase::Resolved => "resolution",
        Phase::Closed => "closure",
    }
}

/// The audience inside a sentence: "internal", "public post-mortem".
fn audience_words(audience: Audience) -> &'static str {
    match audience {
        Audience::Responders => "responders",
        Audience::Internal => "internal",
        Audience::Users => "users",
        Audience::InternalPostMortem => "internal post-mortem",
        Audience::PublicPostMortem => "public post-mortem",
    }
}
