//! Reading an alert delivery: the Prometheus Alertmanager webhook (version 4),
//! Grafana's webhook contact point (the same shape, version 1), or Muster's
//! small JSON format (docs/alerts.md). A delivery is taken whole
//! or refused whole with a reason: nothing of a malformed one is stored.
//!
//! What a monitor sends is shown to responders, so its text is made safe
//! here (control and direction characters replaced, lengths bounded) rather
//! than refused: an alert is never lost over a stray character in its
//! description. Labels decide routing, so a bad label is refused instead.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{is_label_name, Alert, AlertStatus};
use crate::plan::text::{defused, is_bidi_control as is_bidi};
use crate::plan::{Id, Severity};

/// The most alerts one delivery may carry.
pub const MAX_ALERTS: usize = 500;
/// The most labels one alert may carry.
pub const MAX_LABELS: usize = 64;
/// The longest label value taken.
pub const MAX_LABEL_VALUE: usize = 1024;
/// The longest summary kept (longer ones are cut, marked with "…").
const MAX_SUMMARY: usize = 300;
/// The longest description kept.
const MAX_DESCRIPTION: usize = 4000;
/// The most links kept of one alert, and the longest link.
const MAX_LINKS: usize = 8;
const MAX_LINK: usize = 2000;

/// A delivery: where it came from and its alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// "Alertmanager" or "JSON": shown on the timeline.
    pub source: String,
    pub alerts: Vec<Alert>,
}

/// Reads a delivery from a request body, or says what is wrong with it.
pub fn parse(body: &[u8]) -> Result<Delivery, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let Value::Object(object) = &value else {
        return Err("the body must be a JSON object".to_owned());
    };
    if object.contains_key("alerts") || object.contains_key("version") {
        alertmanager(value)
    } else {
        simple(value)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Webhook {
    version: String,
    alerts: Vec<WebhookAlert>,
    #[serde(default, rename = "externalURL")]
    external_url: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebhookAlert {
    status: String,
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    starts_at: String,
    #[serde(default, rename = "generatorURL")]
    generator_url: String,
    #[serde(default)]
    fingerprint: String,
}

fn alertmanager(value: Value) -> Result<Delivery, String> {
    let hook: Webhook = serde_json::from_value(value)
        .map_err(|e| format!("not an Alertmanager webhook (version 4): {e}"))?;
    let source = match hook.version.as_str() {
        "4" => "Alertmanager",
        "1" => "Grafana",
        other => {
            return Err(format!(
                "webhook version {:?}: Alertmanager's \"4\" or Grafana's \"1\" is read",
                cut(other, 20)
            ))
        }
    };
    if hook.alerts.is_empty() {
        return Err("the webhook holds no alerts".to_owned());
    }
    if hook.alerts.len() > MAX_ALERTS {
        return Err(format!(
            "the webhook holds {} alerts: at most {MAX_ALERTS} a delivery",
            hook.alerts.len()
        ));
    }
    let alerts = hook
        .alerts
        .into_iter()
        .enumerate()
        .map(|(n, a)| {
            let at = |e: String| format!("alert {}: {e}", n + 1);
            let status = status(&a.status).map_err(at)?;
            let labels = labels(a.labels).map_err(at)?;
            let mut links = vec![a.generator_url];
            links.extend(
                a.annotations
                    .iter()
                    .filter(|(k, _)| k.ends_with("_url") || k.as_str() == "url")
                    .map(|(_, v)| v.clone()),
            );
            links.push(hook.external_url.clone());
            Ok(finish(Alert {
                status,
                summary: a.annotations.get("summary").cloned().unwrap_or_default(),
                description: a
                    .annotations
                    .get("description")
                    .cloned()
                    .unwrap_or_default(),
                labels,
                links,
                fingerprint: a.fingerprint,
                starts_at: a.starts_at,
                issue: None,
                severity: None,
            }))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Delivery {
        source: source.to_owned(),
        alerts,
    })
}

/// Muster's own format: one alert.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Simple {
    #[serde(default)]
    issue: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    links: Vec<String>,
    /// The sender's identity for this alert; made from the labels (or the
    /// issue) when left out.
    #[serde(default)]
    key: String,
    #[serde(default)]
    starts_at: String,
}

fn simple(value: Value) -> Result<Delivery, String> {
    let s: Simple = serde_json::from_value(value).map_err(|e| {
        format!("not an alert: {e} (fields: issue, labels, summary, description, status, severity, links, key, startsAt)")
    })?;
    let issue = s
        .issue
        .map(|text| Id::parse(&text).map_err(|e| format!("issue: {e}")))
        .transpose()?;
    if issue.is_none() && s.labels.is_empty() {
        return Err(
            "name the issue (\"issue\") or give the alert's labels (\"labels\")".to_owned(),
        );
    }
    let severity = s
        .severity
        .map(|text| {
            Severity::parse(&text)
                .ok_or_else(|| format!("severity {:?}: one of S1, S2, S3, S4", cut(&text, 20)))
        })
        .transpose()?;
    let status = match s.status {
        Some(text) => status(&text)?,
        None => AlertStatus::Firing,
    };
    let labels = labels(s.labels)?;
    let fingerprint = if s.key.is_empty() {
        let mut made = labels.clone();
        if let Some(id) = &issue {
            made.insert("\u{0}issue".to_owned(), id.to_string());
        }
        made_fingerprint(&made)
    } else {
        s.key
    };
    Ok(Delivery {
        source: "JSON".to_owned(),
        alerts: vec![finish(Alert {
            status,
            labels,
            summary: s.summary,
            description: s.description,
            links: s.links,
            fingerprint,
            starts_at: s.starts_at,
            issue,
            severity,
        })],
    })
}

/// The alert as read, its text made safe to show and store.
fn finish(p: Alert) -> Alert {
    let mut summary = one_line(&p.summary, MAX_SUMMARY);
    if summary.is_empty() {
        summary = match (p.labels.get("alertname"), &p.issue) {
            (Some(name), _) => name.clone(),
            (None, Some(issue)) => format!("Alert on {issue}"),
            (None, None) => "Alert".to_owned(),
        };
    }
    let mut links: Vec<String> = Vec::new();
    for link in p.links {
        let link = link.trim();
        let web = link.starts_with("https://") || link.starts_with("http://");
        if web
            && link.len() <= MAX_LINK
            && !link
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || is_bidi(c))
            && !links.iter().any(|l| l == link)
            && links.len() < MAX_LINKS
        {
            links.push(link.to_owned());
        }
    }
    let fingerprint = {
        let f = p.fingerprint.trim();
        if f.is_empty() || f.len() > 128 || f.chars().any(|c| c.is_control() || is_bidi(c)) {
            made_fingerprint(&p.labels)
        } else {
            f.to_owned()
        }
    };
    let starts_at = match chrono::DateTime::parse_from_rfc3339(p.starts_at.trim()) {
        Ok(at) if p.starts_at.len() <= 64 => at.with_timezone(&chrono::Utc).to_rfc3339(),
        _ => String::new(),
    };
    Alert {
        status: p.status,
        labels: p.labels,
        summary,
        description: safe(&p.description, MAX_DESCRIPTION, true),
        links,
        fingerprint,
        starts_at,
        issue: p.issue,
        severity: p.severity,
    }
}

fn status(text: &str) -> Result<AlertStatus, String> {
    match text {
        "firing" => Ok(AlertStatus::Firing),
        "resolved" => Ok(AlertStatus::Resolved),
        other => Err(format!(
            "status {:?}: \"firing\" or \"resolved\"",
            cut(other, 20)
        )),
    }
}

/// Labels as routing needs them: Prometheus names, one-line values.
fn labels(labels: BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    if labels.len() > MAX_LABELS {
        return Err(format!(
            "{} labels: at most {MAX_LABELS} an alert",
            labels.len()
        ));
    }
    for (name, value) in &labels {
        if !is_label_name(name) {
            return Err(format!(
                "label {:?} is not a label name (letters, digits and _, not starting with a digit)",
                cut(name, 40)
            ));
        }
        if value.chars().count() > MAX_LABEL_VALUE {
            return Err(format!(
                "label `{name}` is longer than {MAX_LABEL_VALUE} characters"
            ));
        }
        if value.chars().any(|c| c.is_control() || is_bidi(c)) {
            return Err(format!(
                "label `{name}` holds a control or direction character"
            ));
        }
    }
    // An empty value is no label at all, as Prometheus has it.
    Ok(labels.into_iter().filter(|(_, v)| !v.is_empty()).collect())
}

/// A fingerprint for an alert its sender did not name: its labels' hash.
fn made_fingerprint(labels: &BTreeMap<String, String>) -> String {
    let mut hash = Sha256::new();
    for (k, v) in labels {
        hash.update(k.as_bytes());
        hash.update([0]);
        hash.update(v.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `text` made safe to show (`plan::text::defused`), trimmed, at most `max`
/// characters.
fn safe(text: &str, max: usize, lines: bool) -> String {
    cut(&defused(text.trim(), lines), max)
}

fn one_line(text: &str, max: usize) -> String {
    let first = text.trim().lines().next().unwrap_or("");
    safe(first, max, false)
}

/// At most `max` characters of `text`, "…" marking a cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
