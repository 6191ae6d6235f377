//! The timeline for people: one line per event, and the Markdown and JSON exports.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{Event, EventBody, Incident, Recipient, StepStatus};
use crate::decision::model::Verdict;

/// One event described for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub seq: u32,
    pub at: DateTime<Utc>,
    pub author: String,
    /// The event type, as in the stored JSON (`declared`, `phaseChanged`, ...).
    pub kind: String,
    /// One readable line, e.g. "Validated → Mitigated: pause confirmed".
    pub text: String,
    /// Longer text the event carries (an update's or a note's text), if any.
    pub detail: String,
    pub hash: String,
    /// Timed earlier than the entry before it: the recording clock was
    /// stepped back. The timeline keeps the chain's order and says so.
    pub clock_back: bool,
}

/// The event type as the stored JSON names it.
pub fn kind(body: &EventBody) -> &'static str {
    match body {
        EventBody::Declared { .. } => "declared",
        EventBody::PhaseChanged { .. } => "phaseChanged",
        EventBody::SeverityChanged { .. } => "severityChanged",
        EventBody::RoleAssigned { .. } => "roleAssigned",
        EventBody::StepMarked { .. } => "stepMarked",
        EventBody::ContactNotified { .. } => "contactNotified",
        EventBody::UpdatePosted { .. } => "updatePosted",
        EventBody::CommunicationWaived { .. } => "communicationWaived",
        EventBody::ReminderSent { .. } => "reminderSent",
        EventBody::PostMortemPublished { .. } => "postMortemPublished",
        EventBody::Note { .. } => "note",
        EventBody::DecisionRequested { .. } => "decisionRequested",
        EventBody::DecisionSigned { .. } => "decisionSigned",
        EventBody::DecisionAttested { .. } => "decisionAttested",
        EventBody::DecisionResolved { .. } => "decisionResolved",
        EventBody::AlertReceived { .. } => "alertReceived",
        EventBody::CommandRan { .. } => "commandRan",
        EventBody::UpdateSent { .. } => "updateSent",
    }
}

/// "1.2 s", "45 s".
fn seconds(millis: u64) -> String {
    if millis < 10_000 {
        format!("{:.1} s", millis as f64 / 1000.0)
    } else {
        format!("{} s", millis / 1000)
    }
}

/// `head`, then `: note` when there is a note.
fn with_note(head: String, note: &str) -> String {
    let note = note.trim();
    if note.is_empty() {
        head
    } else {
        format!("{head}: {}", first_line(note))
    }
}

fn first_line(text: &str) -> &str {
    text.trim().lines().next().unwrap_or("").trim()
}

/// "Ada Example, Dara Mock".
pub(crate) fn names(recipients: &[Recipient]) -> String {
    recipients
        .iter()
        .map(|r| r.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn status_word(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Open => "reopened",
        StepStatus::Done => "done",
        StepStatus::Skipped => "skipped",
        StepStatus::Blocked => "blocked",
    }
}

/// One event as a line (and its longer text) for people. Needs no plan: the
/// events carry the names they refer to.
pub fn describe(event: &Event) -> TimelineEntry {
    let (text, detail) = match &event.body {
        EventBody::Declared {
            title,
            severity,
            category,
            exercise,
            description,
            roles,
            escalate,
            ..
        } => {
            let exercise = if *exercise {
                "Exercise declared"
            } else {
                "Declared"
            };
            let mut detail = vec![description.trim().to_owned()];
            detail.extend(
                roles
                    .iter()
                    .map(|r| format!("{}: {}", r.role.label(), r.name)),
            );
            if !escalate.is_empty() {
                detail.push(format!("To notify upon detection: {}", names(escalate)));
            }
            detail.retain(|l| !l.is_empty());
            (
                format!(
                    "{exercise} {} ({}) in {category}: {title}",
                    severity.as_str(),
                    severity.label()
                ),
                detail.join("\n"),
            )
        }
        EventBody::PhaseChanged {
            from,
            to,
            note,
            escalate,
        } => {
            let head = if to < from {
                format!("Reopened: {} → {}", from.label(), to.label())
            } else {
                format!("{} → {}", from.label(), to.label())
            };
            let mut detail = Vec::new();
            if note.trim().lines().count() > 1 {
                detail.push(note.trim().to_owned());
            }
            if !escalate.is_empty() {
                detail.push(format!("To notify: {}", names(escalate)));
            }
            (with_note(head, note), detail.join("\n"))
        }
        EventBody::SeverityChanged { from, to, note } => (
            with_note(
                format!(
                    "Severity {} → {} ({})",
                    from.as_str(),
                    to.as_str(),
                    to.label()
                ),
                note,
            ),
            String::new(),
        ),
        EventBody::RoleAssigned { assignment } => (
            format!("{}: {}", assignment.role.label(), assignment.name),
            String::new(),
        ),
        EventBody::StepMarked {
            procedure,
            step,
            status,
            note,
        } => (
            with_note(
                format!("Step {step} of {procedure} {}", status_word(*status)),
                note,
            ),
            if note.trim().lines().count() > 1 {
                note.trim().to_owned()
            } else {
                String::new()
            },
        ),
        EventBody::ContactNotified { name, channel, .. } => {
            let by = if channel.trim().is_empty() {
                String::new()
            } else {
                format!(" by {}", channel.trim())
            };
            (format!("Notified {name}{by}"), String::new())
        }
        EventBody::UpdatePosted {
            audience,
            channel,
            text,
            ..
        } => {
            let to = if channel.trim().is_empty() {
                String::new()
            } else {
                format!(" in {}", first_line(channel))
            };
            (
                format!("Update to {}{to}", audience.label().to_lowercase()),
                text.trim().to_owned(),
            )
        }
        EventBody::CommunicationWaived { rule, reason } => {
            (with_note(format!("Waived {rule}"), reason), String::new())
        }
        EventBody::ReminderSent {
            title,
            body,
            delivered,
            detail,
            ..
        } => {
            let head = if *delivered {
                format!("Reminder: {title}")
            } else {
                with_note(
                    format!("Reminder shown in the window only: {title}"),
                    detail,
                )
            };
            (head, body.trim().to_owned())
        }
        EventBody::PostMortemPublished { audience, text, .. } => (
            format!("{} published", audience.label()),
            text.trim().to_owned(),
        ),
        EventBody::Note { text } => (
            format!("Note: {}", first_line(text)),
            text.trim().to_owned(),
        ),
        EventBody::AlertReceived {
            source,
            status,
            summary,
            description,
            labels,
            links,
            ..
        } => {
            let head = match status {
                crate::alert::AlertStatus::Firing => format!("Alert firing ({source}): {summary}"),
                crate::alert::AlertStatus::Resolved => {
                    format!("Alert resolved ({source}): {summary}")
                }
            };
            let mut detail = Vec::new();
            if !description.trim().is_empty() {
                detail.push(description.trim().to_owned());
            }
            if !labels.is_empty() {
                let shown: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                detail.push(format!("Labels: {}", shown.join(", ")));
            }
            detail.extend(links.iter().cloned());
            (head, detail.join("\n"))
        }
        EventBody::UpdateSent {
            rule,
            target,
            destination,
            ok,
            detail,
        } => (
            if *ok {
                format!(
                    "Update for {rule} sent to {} ({destination})",
                    target.label()
                )
            } else {
                format!(
                    "Update for {rule} NOT sent to {} ({destination})",
                    target.label()
                )
            },
            detail.clone(),
        ),
        EventBody::CommandRan {
            procedure,
            step,
            command,
            dry_run,
            exit_code,
            timed_out,
            output,
            millis,
            ..
        } => {
            let how = if *dry_run {
                "dry run, not run".to_owned()
            } else if *timed_out {
                format!("stopped at its time limit after {}", seconds(*millis))
            } else {
                match exit_code {
                    Some(0) => format!("succeeded in {}", seconds(*millis)),
                    Some(code) => {
                        format!("failed with exit status {code} after {}", seconds(*millis))
                    }
                    None => "did not run to an end".to_owned(),
                }
            };
            (
                format!("Command for {procedure}/{step} — {how}"),
                format!("$ {command}\n{}", output.trim_end())
                    .trim_end()
                    .to_owned(),
            )
        }
        EventBody::DecisionRequested {
            decision,
            policy,
            statement,
            expires,
            record_sha256,
        } => (
            format!("Approval requested under {policy} ({decision}): {statement}"),
            format!(
                "Expires {}; record SHA-256 {record_sha256}",
                crate::decision::record::time_text(*expires)
            ),
        ),
        EventBody::DecisionSigned {
            decision,
            name,
            verdict,
            reason,
            fingerprint,
            ..
        } => {
            let did = match verdict {
                Verdict::Approve => "approved",
                Verdict::Reject => "rejected",
            };
            (
                with_note(format!("{name} {did} {decision} (signed)"), reason),
                format!("Key {fingerprint}"),
            )
        }
        EventBody::DecisionAttested {
            decision,
            name,
            channel,
            approved_at,
            witness_name,
            ..
        } => (
            format!(
                "{name} approved {decision} by {}: UNSIGNED, attested (witness: {witness_name})",
                first_line(channel)
            ),
            format!(
                "Approved at {}; recorded without a signature",
                crate::decision::record::time_text(*approved_at)
            ),
        ),
        EventBody::DecisionResolved {
            decision, summary, ..
        } => (format!("Decision {decision}: {summary}"), String::new()),
    };
    TimelineEntry {
        seq: event.seq,
        at: event.at,
        author: event.author.clone(),
        kind: kind(&event.body).to_owned(),
        text,
        detail,
        hash: event.hash.clone(),
        clock_back: false,
    }
}

/// [`describe`], with a step named by its action and procedure title from
/// the incident's snapshot of its procedures.
pub fn describe_in(incident: &Incident, event: &Event) -> TimelineEntry {
    let mut entry = describe(event);
    if let EventBody::StepMarked {
        procedure,
        step,
        status,
        note,
    } = &event.body
    {
        let found = incident
            .procedures
            .iter()
            .find(|p| &p.id == procedure)
            .and_then(|p| p.steps.iter().find(|s| &s.id == step).map(|s| (p, s)));
        if let Some((p, s)) = found {
            entry.text = with_note(
                format!(
                    "Step “{}” ({}) {}",
                    first_line(&s.action),
                    first_line(&p.title),
                    status_word(*status)
                ),
                note,
            );
        }
    }
    entry
}

/// The entry's text and, when it adds anything, its detail, on one line of Markdown.
pub(crate) fn md_entry(entry: &TimelineEntry) -> String {
    let mut what = md(&entry.text);
    let detail = entry.detail.trim();
    if !detail.is_empty() && !entry.text.ends_with(detail) {
        what.push_str("<br>");
        what.push_str(&md(detail));
    }
    what
}

/// A time in `zone`, e.g. "2026-03-01 11:00 CET".
pub(crate) fn local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// User text on one line of Markdown: characters with a meaning escaped,
/// line breaks as `<br>` (so it fits a table cell or a list item).
pub(crate) fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.trim().lines().enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        for c in line.trim().chars() {
            if "\\`*_[]<>&|~#$!".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The incident's timeline as a Markdown document, times in `zone`: a
/// header, every event, and the hash chain so a reader can cross-check it
/// against `muster incident verify`.
pub fn markdown(incident: &Incident, events: &[Event], zone: Tz) -> String {
    let mut out = String::new();
    let exercise = if incident.exercise {
        "EXERCISE — "
    } else {
        ""
    };
    out.push_str(&format!(
        "# {exercise}{}: {}\n\n",
        incident.id,
        md(&incident.title)
    ));
    if incident.exercise {
        out.push_str("**EXERCISE**: this incident was declared in exercise mode; nothing in it happened for real.\n\n");
    }
    let issue = incident
        .issue
        .as_ref()
        .map_or_else(|| "none (unplanned)".to_owned(), |i| format!("`{i}`"));
    let resolved = incident
        .resolved_at
        .map_or_else(|| "—".to_owned(), |t| local(t, zone));
    let lines = [
        (
            "Severity",
            format!(
                "{} ({})",
                incident.severity.as_str(),
                incident.severity.label()
            ),
        ),
        ("Phase", incident.phase.label().to_owned()),
        ("Category", format!("`{}`", incident.category)),
        ("Potential issue", issue),
        (
            "Declared",
            format!(
                "{} by {}",
                local(incident.declared_at, zone),
                md(&incident.declared_by)
            ),
        ),
        ("Resolved", resolved),
    ];
    for (name, value) in lines {
        out.push_str(&format!("- **{name}:** {value}\n"));
    }
    for role in &incident.roles {
        out.push_str(&format!(
            "- **{}:** {}\n",
            role.role.label(),
            md(&role.name)
        ));
    }
    if !incident.description.trim().is_empty() {
        out.push_str(&format!("\n{}\n", md(&incident.description)));
    }
    out.push_str(&format!("\n## Timeline ({zone})\n\n"));
    out.push_str("| # | Time | Author | Event |\n|---|---|---|---|\n");
    for event in events {
        let entry = describe_in(incident, event);
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            entry.seq,
            local(entry.at, zone),
            md(&entry.author),
            md_entry(&entry)
        ));
    }
    out.push_str("\n## Hash chain\n\n");
    out.push_str(
        "Each event's hash covers its stored fields and the previous event's hash; \
         `muster incident verify` recomputes them.\n\n",
    );
    out.push_str("| # | Time (UTC) | Previous hash | Hash |\n|---|---|---|---|\n");
    for event in events {
        out.push_str(&format!(
            "| {} | {} | `{}` | `{}` |\n",
            event.seq,
            super::chain::timestamp(event.at),
            event.prev_hash,
            event.hash
        ));
    }
    out
}

/// The incident and its stored events (with their hashes) as pretty JSON.
pub fn json(incident: &Incident, events: &[Event]) -> String {
    #[derive(Serialize)]
    struct Export<'a> {
        incident: &'a Incident,
        events: &'a [Event],
    }
    serde_json::to_string_pretty(&Export { incident, events })
        .unwrap_or_else(|e| format!("{{\"error\": \"{}\"}}", e.to_string().replace('"', "'")))
}

#[cfg(test)]
mod tests;
