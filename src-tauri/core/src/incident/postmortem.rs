//! Post-mortem drafts, prefilled from the timeline, so the team starts from
//! the facts and spends its time on causes and actions. Drafts are blameless:
//! they say what happened and when, never who is to blame. The public draft
//! is shorter and leaves out names, internal channels and notes.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::model::{Event, EventBody, Incident, StepStatus};
use super::timeline::{describe_in, local, md, md_entry, status_word};
use crate::decision::{DecisionStatus, QuorumState};
use crate::plan::{Audience, Plan};

/// What marks a line the team must write.
pub const TO_FILL: &str = "**To fill:**";

/// The draft post-mortem for `audience`: the public one for
/// `PublicPostMortem` (and `Users`), the internal one otherwise.
pub fn draft(
    plan: &Plan,
    incident: &Incident,
    events: &[Event],
    requested: &[DecisionStatus],
    audience: Audience,
    zone: Tz,
) -> String {
    if matches!(audience, Audience::PublicPostMortem | Audience::Users) {
        public(plan, incident, zone)
    } else {
        internal(plan, incident, events, requested, zone)
    }
}

fn exercise(incident: &Incident) -> &'static str {
    if incident.exercise {
        "EXERCISE — "
    } else {
        ""
    }
}

/// "1 h 5 min", "2 days 3 h", "40 min".
fn duration(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(if days == 1 {
            "1 day".to_owned()
        } else {
            format!("{days} days")
        });
    }
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if mins > 0 || parts.is_empty() {
        parts.push(format!("{mins} min"));
    }
    parts.join(" ")
}

fn category_name(plan: &Plan, incident: &Incident) -> String {
    plan.category(&incident.category)
        .map_or_else(|| incident.category.to_string(), |c| c.name.clone())
}

/// "resolved on 2026-03-01 12:05 CET, 1 h 5 min after it was declared", or
/// that it is not resolved yet.
fn resolution(incident: &Incident, zone: Tz) -> String {
    match incident.resolved_at {
        Some(at) => format!(
            "It was resolved on {}, {} after it was declared.",
            local(at, zone),
            duration(at - incident.declared_at)
        ),
        None => format!(
            "It is not resolved yet (phase: {}).",
            incident.phase.label().to_lowercase()
        ),
    }
}

fn to_fill(out: &mut String, lines: &[&str]) {
    for line in lines {
        out.push_str(&format!("- {TO_FILL} {line}\n"));
    }
    out.push('\n');
}

fn internal(
    plan: &Plan,
    incident: &Incident,
    events: &[Event],
    requested: &[DecisionStatus],
    zone: Tz,
) -> String {
    let mut out = format!(
        "# {}Post-mortem: {} {}\n\n",
        exercise(incident),
        incident.id,
        md(&incident.title)
    );
    out.push_str(&format!(
        "> Draft prefilled by Muster from the timeline of {}. Blameless: describe what happened \
         and why, not who is to blame. Replace every line marked {TO_FILL}, then delete this note.\n\n",
        incident.id
    ));
    if incident.exercise {
        out.push_str("**EXERCISE**: this incident was declared in exercise mode.\n\n");
    }

    out.push_str("## Summary\n\n");
    let issue = match incident.issue.as_ref() {
        Some(id) => match plan.issue(id) {
            Some(issue) => format!("for the potential issue {} (`{id}`)", md(&issue.title)),
            None => format!("for the potential issue `{id}`"),
        },
        None => "as an unplanned incident (no potential issue in the plan matched)".to_owned(),
    };
    out.push_str(&format!(
        "{} was declared on {} by {} as {} ({}), in the category {}, {issue}. {}\n\n",
        incident.id,
        local(incident.declared_at, zone),
        md(&incident.declared_by),
        incident.severity.as_str(),
        incident.severity.label(),
        md(&category_name(plan, incident)),
        resolution(incident, zone)
    ));
    if !incident.description.trim().is_empty() {
        out.push_str(&format!("{}\n\n", md(&incident.description)));
    }
    out.push_str("| Phase | Reached | By |\n|---|---|---|\n");
    for p in &incident.phases {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            p.phase.label(),
            local(p.at, zone),
            md(&p.by)
        ));
    }
    out.push('\n');
    if !incident.roles.is_empty() {
        let roles: Vec<String> = incident
            .roles
            .iter()
            .map(|r| format!("{}: {}", r.role.label(), md(&r.name)))
            .collect();
        out.push_str(&format!("Roles: {}.\n\n", roles.join("; ")));
    }

    out.push_str("## Impact\n\n");
    to_fill(
        &mut out,
        &[
            "who was affected, and how many",
            "funds or data at risk, and lost",
            "how long users were affected, and what they could not do",
        ],
    );

    out.push_str(&format!("## Timeline ({zone})\n\n"));
    out.push_str(
        "Reminders Muster raised are left out; the full record is in the timeline export.\n\n",
    );
    out.push_str("| Time | Who | What |\n|---|---|---|\n");
    for event in events
        .iter()
        .filter(|e| !matches!(e.body, EventBody::ReminderSent { .. }))
    {
        let entry = describe_in(incident, event);
        let what = if matches!(
            event.body,
            EventBody::UpdatePosted { .. } | EventBody::Note { .. }
        ) {
            md_entry(&entry)
        } else {
            md(&entry.text)
        };
        out.push_str(&format!(
            "| {} | {} | {what} |\n",
            local(entry.at, zone),
            md(&entry.author)
        ));
    }
    out.push('\n');

    out.push_str("## Escalations\n\n");
    if incident.escalations.is_empty() {
        out.push_str("Nobody had to be notified under the escalation matrix.\n\n");
    } else {
        out.push_str("| Who | Team | Required when | Notified |\n|---|---|---|---|\n");
        for e in &incident.escalations {
            let notified = e.notified.as_ref().map_or_else(
                || "**not recorded**".to_owned(),
                |n| {
                    format!(
                        "{} by {} ({})",
                        local(n.at, zone),
                        md(&n.by),
                        md(&n.channel)
                    )
                },
            );
            out.push_str(&format!(
                "| {} | {} | {} at {} | {notified} |\n",
                md(&e.recipient.name),
                e.recipient.team.as_str(),
                e.phase.label().to_lowercase(),
                local(e.at, zone)
            ));
        }
        out.push('\n');
    }

    decisions(&mut out, plan, incident, requested, zone);

    out.push_str("## Root cause and contributing factors\n\n");
    to_fill(
        &mut out,
        &["the root cause", "what made it worse or slower to fix"],
    );
    out.push_str("## What went well\n\n");
    to_fill(&mut out, &["what helped"]);
    out.push_str("## What went badly\n\n");
    to_fill(
        &mut out,
        &["what got in the way (processes and tools, not people)"],
    );
    action_items(&mut out, true);
    out
}

/// The steps that needed a decision, with how far each got, and where the
/// decision itself stands: a step marked done whose decision is still
/// pending says "pending", never only "done".
fn decisions(
    out: &mut String,
    plan: &Plan,
    incident: &Incident,
    requested: &[DecisionStatus],
    zone: Tz,
) {
    out.push_str("## Decisions\n\n");
    let mut rows = Vec::new();
    for procedure in &incident.procedures {
        for step in &procedure.steps {
            let Some(decision) = &step.decision else {
                continue;
            };
            let title = plan
                .decision(decision)
                .map_or_else(|| format!("`{decision}`"), |d| md(&d.title));
            // The latest request under this policy on this incident.
            let standing = requested
                .iter()
                .rev()
                .find(|d| &d.request.policy == decision)
                .map_or_else(
                    || "not requested".to_owned(),
                    |d| {
                        let word = match d.quorum.state {
                            QuorumState::Pending => "**pending** (not approved)",
                            QuorumState::Approved => "approved",
                            QuorumState::Rejected => "rejected",
                            QuorumState::Expired => "expired unapproved",
                            QuorumState::Closed => {
                                "**pending** when the incident closed: closed unapproved"
                            }
                        };
                        format!("{word}, {}", d.request.id)
                    },
                );
            let policy = format!("{title}: {standing}");
            let record = incident
                .steps
                .iter()
                .find(|s| s.procedure == procedure.id && s.step == step.id);
            let (status, note) = match record {
                Some(r) if r.status != StepStatus::Open => (
                    format!(
                        "{} ({}, {})",
                        status_word(r.status),
                        md(&r.by),
                        local(r.at, zone)
                    ),
                    md(&r.note),
                ),
                _ => ("not done".to_owned(), String::new()),
            };
            rows.push(format!(
                "| {} | {} | {policy} | {status} | {} |\n",
                md(&procedure.title),
                md(&step.action),
                if note.is_empty() { "—" } else { &note }
            ));
        }
    }
    if rows.is_empty() {
        out.push_str("No step of the procedures followed needed a decision.\n\n");
        return;
    }
    out.push_str("Steps that needed a decision:\n\n");
    out.push_str("| Procedure | Step | Decision | Status | Note |\n|---|---|---|---|---|\n");
    rows.iter().for_each(|r| out.push_str(r));
    out.push_str(&format!(
        "\n- {TO_FILL} who approved each decision, and whether it was the right call\n\n"
    ));
}

fn action_items(out: &mut String, with_owner: bool) {
    out.push_str("## Action items\n\n");
    if with_owner {
        out.push_str("| Action | Owner | Due |\n|---|---|---|\n");
        out.push_str(&format!("| {TO_FILL} | {TO_FILL} | {TO_FILL} |\n"));
    } else {
        out.push_str("| What we are changing | By when |\n|---|---|\n");
        out.push_str(&format!("| {TO_FILL} | {TO_FILL} |\n"));
    }
}

/// The short public version: no names, channels, notes or description.
fn public(plan: &Plan, incident: &Incident, zone: Tz) -> String {
    let mut out = format!(
        "# {}Incident report: {}\n\n",
        exercise(incident),
        md(&incident.title)
    );
    out.push_str(&format!(
        "> Draft public post-mortem prefilled by Muster. It leaves out names, internal channels \
         and notes on purpose. Check every line before publishing, replace those marked \
         {TO_FILL}, then delete this note.\n\n"
    ));
    if incident.exercise {
        out.push_str("**EXERCISE**: this incident was declared in exercise mode.\n\n");
    }
    out.push_str("## Summary\n\n");
    let what = match incident.issue.as_ref().and_then(|id| plan.issue(id)) {
        Some(issue) => format!(
            "{}: {}",
            md(&category_name(plan, incident)),
            md(&issue.title)
        ),
        None => md(&category_name(plan, incident)),
    };
    out.push_str(&format!(
        "On {} we detected a {} incident ({what}). {}\n\n",
        local(incident.declared_at, zone),
        incident.severity.label(),
        resolution(incident, zone)
    ));
    to_fill(&mut out, &["what happened, in plain words"]);
    out.push_str("## Impact\n\n");
    to_fill(
        &mut out,
        &[
            "what users experienced, and for how long",
            "funds affected, and how users will be made whole",
            "what users should do now, if anything",
        ],
    );
    out.push_str(&format!(
        "## Timeline ({zone})\n\n| Time | What |\n|---|---|\n"
    ));
    let mut rows: Vec<(DateTime<Utc>, String)> = incident
        .phases
        .iter()
        .map(|p| (p.at, p.phase.label().to_owned()))
        .collect();
    rows.extend(
        incident
            .updates
            .iter()
            .filter(|u| u.audience == Audience::Users)
            .map(|u| (u.at, "Update to users".to_owned())),
    );
    rows.sort_by_key(|(at, _)| *at);
    for (at, what) in rows {
        out.push_str(&format!("| {} | {what} |\n", local(at, zone)));
    }
    out.push('\n');
    action_items(&mut out, false);
    out
}

#[cfg(test)]
mod tests;
