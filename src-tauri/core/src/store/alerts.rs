//! Alerts taken in: each alert of a delivery opens an incident for the issue
//! it means, joins the one already open for that issue, or notes its
//! resolution — all of a delivery in one IMMEDIATE transaction, so two
//! deliveries of the same alert at once (a retry racing the first, two
//! processes) open one incident. Which deliveries were taken is kept in
//! `alert_delivery`: the newest row of a fingerprint says where that alert
//! stands, and a delivery that says the same again is a repeat.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use super::incidents::{append, current, declare, is_closed};
use super::Store;
use crate::alert::{route, Alert, AlertStatus, Delivery, Taken};
use crate::clock::Clock;
use crate::error::Result;
use crate::incident::chain;
use crate::incident::model::{Declaration, EventBody, IncidentId, Phase};
use crate::plan::{Id, Plan};

impl Store {
    /// Takes in every alert of `delivery` (see the module's account), or
    /// none of them on an error.
    pub fn take_alerts(&mut self, delivery: &Delivery, clock: &dyn Clock) -> Result<Vec<Taken>> {
        let now = clock.now();
        let author = self.author.clone();
        self.with_plan_tx(|tx, plan| {
            delivery
                .alerts
                .iter()
                .map(|alert| take(tx, plan, &delivery.source, alert, now, &author))
                .collect()
        })
    }
}

/// The newest delivery taken of an alert.
struct Last {
    status: String,
    starts_at: String,
    incident: Option<String>,
}

fn take(
    tx: &Transaction<'_>,
    plan: &Plan,
    source: &str,
    alert: &Alert,
    now: DateTime<Utc>,
    author: &str,
) -> Result<Taken> {
    let last = tx
        .query_row(
            "SELECT status, starts_at, incident FROM alert_delivery
             WHERE fingerprint = ?1 ORDER BY id DESC LIMIT 1",
            [&alert.fingerprint],
            |r| {
                Ok(Last {
                    status: r.get(0)?,
                    starts_at: r.get(1)?,
                    incident: r.get(2)?,
                })
            },
        )
        .optional()?;
    if last
        .as_ref()
        .is_some_and(|l| l.status == alert.status.as_str() && l.starts_at == alert.starts_at)
    {
        return Ok(Taken::Repeat);
    }
    let body = EventBody::AlertReceived {
        source: source.to_owned(),
        status: alert.status,
        summary: alert.summary.clone(),
        description: alert.description.clone(),
        labels: alert.labels.clone(),
        links: alert.links.clone(),
        fingerprint: alert.fingerprint.clone(),
    };
    match alert.status {
        AlertStatus::Firing => {
            let route = match route(plan, alert) {
                Ok(route) => route,
                Err(reason) => return Ok(Taken::Unrouted { reason }),
            };
            let issue = route.issue.id.clone();
            let (incident, opened) = match open_for(tx, &issue)? {
                Some(incident) => (incident, false),
                None => {
                    let declaration = Declaration {
                        issue: Some(issue.clone()),
                        category: None,
                        title: None,
                        severity: route.severity,
                        exercise: false,
                        description: alert.summary.clone(),
                        lead: None,
                        scribe: None,
                        communications: None,
                    };
                    let incident = declare(tx, plan, &declaration, now, author)?.id;
                    (incident, true)
                }
            };
            append(tx, &incident, now, author, body)?;
            remember(tx, alert, Some(&issue), Some(&incident), now)?;
            Ok(if opened {
                Taken::Opened { incident, issue }
            } else {
                Taken::Joined { incident, issue }
            })
        }
        AlertStatus::Resolved => {
            // The incident its firing went to, else the one open for its issue.
            let mut incident = match last.and_then(|l| l.incident).map(IncidentId) {
                Some(id) if !is_closed(tx, &id)? => Some(id),
                _ => None,
            };
            let routed = route(plan, alert).ok().map(|r| r.issue.id.clone());
            if incident.is_none() {
                if let Some(issue) = &routed {
                    incident = open_for(tx, issue)?;
                }
            }
            remember(tx, alert, routed.as_ref(), incident.as_ref(), now)?;
            match incident {
                Some(incident) => {
                    append(tx, &incident, now, author, body)?;
                    Ok(Taken::Resolved { incident })
                }
                None => Ok(Taken::Unrouted {
                    reason: "resolved, and no open incident had taken it: nothing to note it on"
                        .to_owned(),
                }),
            }
        }
    }
}

/// The real incident open (not yet resolved) for `issue`, the oldest first
/// (each read as the state kept beside its chain head).
fn open_for(tx: &Transaction<'_>, issue: &Id) -> Result<Option<IncidentId>> {
    let ids: Vec<String> = tx
        .prepare_cached(
            "SELECT id FROM incident
             WHERE exercise = 0 AND phase NOT IN (?1, ?2) ORDER BY number",
        )?
        .query_map(
            params![Phase::Resolved.as_str(), Phase::Closed.as_str()],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        let id = IncidentId(id);
        if current(tx, &id)?.issue.as_ref() == Some(issue) {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

fn remember(
    tx: &Transaction<'_>,
    alert: &Alert,
    issue: Option<&Id>,
    incident: Option<&IncidentId>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO alert_delivery (fingerprint, starts_at, status, issue, incident, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            alert.fingerprint,
            alert.starts_at,
            alert.status.as_str(),
            issue.map(Id::as_str).unwrap_or(""),
            incident.map(IncidentId::as_str),
            chain::timestamp(now)
        ],
    )?;
    Ok(())
}

/// The setting that turns the alert receiver on ("1"), else off.
const RECEIVER_ON: &str = "alerts.receiver.on";
/// The setting of the receiver's port.
const RECEIVER_PORT: &str = "alerts.receiver.port";
/// The setting of the SHA-256 (hex) of the receiver's token: the token
/// itself is shown once and kept nowhere.
const RECEIVER_TOKEN: &str = "alerts.receiver.token-sha256";

/// The alert receiver's settings on this laptop (never in the plan, never
/// in the team folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiverSettings {
    pub on: bool,
    /// `None`: the default port.
    pub port: Option<u16>,
    /// The SHA-256 of the token, when one was made.
    pub token_sha256: Option<[u8; 32]>,
}

impl Store {
    /// The alert receiver's settings; an unreadable value counts as unset.
    pub fn receiver_settings(&self) -> Result<ReceiverSettings> {
        let token = self.setting(RECEIVER_TOKEN)?.and_then(|hex| {
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .filter_map(|i| {
                    hex.get(i..i + 2)
                        .and_then(|b| u8::from_str_radix(b, 16).ok())
                })
                .collect();
            <[u8; 32]>::try_from(bytes).ok()
        });
        Ok(ReceiverSettings {
            on: self.setting(RECEIVER_ON)?.as_deref() == Some("1"),
            port: self
                .setting(RECEIVER_PORT)?
                .and_then(|p| p.parse::<u16>().ok())
                .filter(|p| *p >= 1024),
            token_sha256: token,
        })
    }

    /// Sets whether the receiver is on and its port (1024–65535, else
    /// refused, changing nothing), and, when given, a new token's hash.
    pub fn set_receiver_settings(
        &mut self,
        on: bool,
        port: u16,
        token_sha256: Option<[u8; 32]>,
    ) -> Result<()> {
        if port < 1024 {
            return Err(crate::error::Error::Refused(format!(
                "port {port}? Choose one from 1024 to 65535: lower ones need administrator rights"
            )));
        }
        self.set_setting(RECEIVER_ON, on.then_some("1"))?;
        self.set_setting(RECEIVER_PORT, Some(&port.to_string()))?;
        if let Some(hash) = token_sha256 {
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            self.set_setting(RECEIVER_TOKEN, Some(&hex))?;
        }
        Ok(())
    }
}
