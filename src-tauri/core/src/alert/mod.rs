//! Alerts from the monitors a team already runs. Muster watches nothing
//! itself: Prometheus Alertmanager (its webhook, version 4), a Grafana
//! contact point, a Forta bot or `curl` deliver alerts, and the plan's alert
//! rules (on each potential issue, [`crate::plan::AlertRule`]) say which
//! issue an alert means. The store takes a delivery in
//! (`Store::take_alerts`): a firing alert opens an incident in "detected",
//! or joins the one already open for its issue; a resolved alert is noted,
//! never closing anything; a repeat changes nothing.
//!
//! This module is the pure part: reading a delivery ([`payload`]) and
//! choosing the issue ([`route`]).

pub mod payload;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::incident::model::IncidentId;
use crate::plan::{Id, Plan, PotentialIssue, Severity};

pub use payload::{parse, Delivery};

/// The longest label name taken.
pub const MAX_LABEL_NAME: usize = 100;

/// Whether `name` is a label name as Prometheus writes them:
/// `[a-zA-Z_][a-zA-Z0-9_]*`, not too long.
pub fn is_label_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && name.len() <= MAX_LABEL_NAME
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AlertStatus {
    Firing,
    Resolved,
}

impl AlertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Firing => "firing",
            AlertStatus::Resolved => "resolved",
        }
    }
}

/// One alert of a delivery, its text made safe to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub status: AlertStatus,
    pub labels: BTreeMap<String, String>,
    /// One line for people: the alert's summary annotation, else its name.
    pub summary: String,
    /// Longer text the monitor sent (the description annotation), if any.
    pub description: String,
    /// Web links the monitor gave (its graph, a runbook, a dashboard).
    pub links: Vec<String>,
    /// The monitor's identity for this alert (Alertmanager's fingerprint),
    /// or one made from its labels.
    pub fingerprint: String,
    /// When the alert started, as the monitor said (RFC 3339), or empty.
    /// With the fingerprint, it tells a repeat from the same alert firing
    /// again later.
    pub starts_at: String,
    /// The issue, when the sender named it (the simple format, `muster alert`).
    pub issue: Option<Id>,
    /// The severity, when the sender named it.
    pub severity: Option<Severity>,
}

/// The issue an alert means, and the severity an incident it opens gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route<'a> {
    pub issue: &'a PotentialIssue,
    pub severity: Severity,
}

/// Which issue `alert` means: the one it names, else the issue whose rule
/// names the most of its labels (all matching), the first in the plan on a
/// tie; `Err` says why none.
pub fn route<'a>(plan: &'a Plan, alert: &Alert) -> Result<Route<'a>, String> {
    if let Some(id) = &alert.issue {
        let issue = plan
            .issues
            .iter()
            .find(|i| &i.id == id)
            .ok_or_else(|| format!("the plan has no potential issue `{id}`"))?;
        return Ok(Route {
            issue,
            severity: alert.severity.unwrap_or(issue.severity),
        });
    }
    let mut best: Option<(usize, Route<'a>)> = None;
    for issue in &plan.issues {
        for rule in &issue.detection.alerts {
            let matches = !rule.labels.is_empty()
                && rule
                    .labels
                    .iter()
                    .all(|(name, value)| alert.labels.get(name) == Some(value));
            if matches && best.as_ref().is_none_or(|(n, _)| rule.labels.len() > *n) {
                let severity = alert.severity.or(rule.severity).unwrap_or(issue.severity);
                best = Some((rule.labels.len(), Route { issue, severity }));
            }
        }
    }
    best.map(|(_, route)| route).ok_or_else(|| {
        let shown: Vec<String> = alert
            .labels
            .iter()
            .take(6)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!(
            "no alert rule in the plan matches {{{}}}: add one to the potential issue it means",
            shown.join(", ")
        )
    })
}

/// What became of one alert of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "outcome",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Taken {
    /// A new incident, in "detected".
    Opened { incident: IncidentId, issue: Id },
    /// Added to the incident already open for its issue.
    Joined { incident: IncidentId, issue: Id },
    /// Its resolution, noted on the incident it had opened or joined.
    Resolved { incident: IncidentId },
    /// Delivered before: nothing changed.
    Repeat,
    /// No issue of the plan: nothing stored.
    Unrouted { reason: String },
}

#[cfg(test)]
pub(crate) mod tests;
