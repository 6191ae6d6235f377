//! What a declaration or an action becomes: the one event it records, or a
//! refusal that says what is wrong and what to do. Pure: the store calls it
//! inside the write transaction, with the plan and the incident as they are.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::incident::escalation;
use crate::incident::model::{
    Declaration, EventBody, Incident, IncidentAction, Phase, ProcedureSnapshot, Role,
    RoleAssignment, StepSnapshot, StepStatus,
};
use crate::plan::{Audience, CommunicationRule, Id, Plan, Problem, Timing};

fn refused(message: String) -> Error {
    Error::Refused(message)
}

/// The located problems of one action's input, gathered so that every
/// mistake is reported at once (`section` names the action for the form).
struct Checks {
    section: &'static str,
    problems: Vec<Problem>,
}

impl Checks {
    fn new(section: &'static str) -> Checks {
        Checks {
            section,
            problems: Vec::new(),
        }
    }

    fn push(&mut self, field: &'static str, message: String) {
        self.problems
            .push(Problem::at(self.section, "", field, message));
    }

    /// `text` trimmed; a problem at `field` when it is blank.
    fn required(
        &mut self,
        field: &'static str,
        text: &str,
        message: impl FnOnce() -> String,
    ) -> String {
        let text = text.trim();
        if text.is_empty() {
            self.push(field, message());
        }
        text.to_owned()
    }

    /// `value` when nothing was found, else every problem as `Invalid`.
    fn done<T>(self, value: T) -> Result<T> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid {
                what: self.section,
                problems: self.problems,
            })
        }
    }
}

fn contact(plan: &Plan, role: Role, contact: &Id) -> Result<RoleAssignment> {
    let name = plan.contact_name(contact).ok_or_else(|| Error::NotFound {
        what: "contact in the core or extended team",
        id: contact.to_string(),
    })?;
    Ok(RoleAssignment {
        role,
        contact: contact.clone(),
        name: name.to_owned(),
    })
}

/// Where in a declaration a problem is.
fn at(field: &'static str, message: String) -> Problem {
    Problem::at("declaration", "", field, message)
}

/// The issue's procedures as they stand, for the incident's checklists.
fn snapshots(plan: &Plan, issue: &Id) -> Vec<ProcedureSnapshot> {
    plan.procedures_for(issue)
        .map(|p| ProcedureSnapshot {
            id: p.id.clone(),
            title: p.title.clone(),
            steps: p
                .steps
                .iter()
                .map(|s| StepSnapshot {
                    id: s.id.clone(),
                    action: s.action.clone(),
                    how: s.how.clone(),
                    tools: s.tools.clone(),
                    test: s.test.clone(),
                    expected_minutes: s.expected_minutes,
                    decision: s.decision.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The `Declared` event for `declaration` at `now`, or every problem of
/// the declaration at once, each located by its field (`issue`,
/// `category`, `title`, `lead`, `scribe`, `communications`).
/// Refuses `input` when text in it is not what a person could type, with
/// each field's problem.
fn texts(what: &'static str, input: &impl serde::Serialize, bounded: bool) -> Result<()> {
    let value = serde_json::to_value(input).unwrap_or_default();
    let problems = crate::plan::text::located(what, &value, bounded);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid { what, problems })
    }
}

pub fn declaration(
    plan: &Plan,
    declaration: &Declaration,
    now: DateTime<Utc>,
) -> Result<EventBody> {
    texts("declaration", declaration, true)?;
    let mut problems = Vec::new();
    let title = declaration.title.as_deref().map(str::trim).unwrap_or("");
    let chosen = |id: &Option<Id>| id.clone().filter(|i| !i.as_str().trim().is_empty());
    let (issue, category, title, procedures) = match &declaration.issue {
        Some(issue_id) if issue_id.as_str().trim().is_empty() => {
            problems.push(at(
                "issue",
                "choose the potential issue, or declare an unplanned incident".to_owned(),
            ));
            (None, None, title.to_owned(), Vec::new())
        }
        Some(issue_id) => match plan.issue(issue_id) {
            Some(issue) => {
                let title = if title.is_empty() {
                    issue.title.clone()
                } else {
                    title.to_owned()
                };
                (
                    Some(issue_id.clone()),
                    Some(issue.category.clone()),
                    title,
                    snapshots(plan, issue_id),
                )
            }
            None => {
                problems.push(at(
                    "issue",
                    format!("no potential issue has the id `{issue_id}`"),
                ));
                (None, None, title.to_owned(), Vec::new())
            }
        },
        None => {
            let category = match &chosen(&declaration.category) {
                None => {
                    let known: Vec<&str> = plan.categories.iter().map(|c| c.id.as_str()).collect();
                    problems.push(at(
                        "category",
                        format!(
                            "an unplanned incident needs a category: choose one of {}",
                            known.join(", ")
                        ),
                    ));
                    None
                }
                Some(category) if plan.category(category).is_none() => {
                    problems.push(at(
                        "category",
                        format!("no category has the id `{category}`"),
                    ));
                    None
                }
                Some(category) => Some(category.clone()),
            };
            if title.is_empty() {
                problems.push(at(
                    "title",
                    "an unplanned incident needs a title: say in a few words what is happening"
                        .to_owned(),
                ));
            }
            (None, category, title.to_owned(), Vec::new())
        }
    };
    let mut roles = Vec::new();
    for (role, field, id) in [
        (Role::Lead, "lead", &declaration.lead),
        (Role::Scribe, "scribe", &declaration.scribe),
        (
            Role::Communications,
            "communications",
            &declaration.communications,
        ),
    ] {
        if let Some(id) = id {
            match plan.contact_name(id) {
                Some(name) => roles.push(RoleAssignment {
                    role,
                    contact: id.clone(),
                    name: name.to_owned(),
                }),
                None => problems.push(at(
                    field,
                    format!(
                        "the {} `{id}` is not a contact in the core or extended team",
                        role.label().to_lowercase()
                    ),
                )),
            }
        }
    }
    let Some(category) = category.filter(|_| problems.is_empty()) else {
        return Err(Error::Invalid {
            what: "declaration",
            problems,
        });
    };
    let escalate = escalation::recipients(plan, &category, Phase::Detected, now);
    Ok(EventBody::Declared {
        title,
        issue,
        category,
        severity: declaration.severity,
        exercise: declaration.exercise,
        description: declaration.description.trim().to_owned(),
        procedures,
        roles,
        escalate,
    })
}

/// The communication rule `id`, if it applies to `incident`; otherwise a
/// problem at `checks`' `rule` field.
fn applicable_rule<'a>(
    plan: &'a Plan,
    incident: &Incident,
    id: &Id,
    checks: &mut Checks,
) -> Option<&'a CommunicationRule> {
    let Some(rule) = plan.communications.iter().find(|r| &r.id == id) else {
        checks.push("rule", format!("no communication rule has the id `{id}`"));
        return None;
    };
    if !applies(rule, incident) {
        let covers: Vec<&str> = rule.categories.iter().map(Id::as_str).collect();
        checks.push(
            "rule",
            format!(
                "the communication rule `{id}` does not apply to {}: it covers {}, and {} is a `{}` incident",
                incident.id,
                covers.join(", "),
                incident.id,
                incident.category
            ),
        );
        return None;
    }
    Some(rule)
}

/// Whether `rule` covers `incident`'s category.
pub fn applies(rule: &CommunicationRule, incident: &Incident) -> bool {
    rule.categories.is_empty() || rule.categories.contains(&incident.category)
}

/// The plan's post-mortem rule for `audience` that covers `incident`, if any.
pub fn post_mortem_rule<'a>(
    plan: &'a Plan,
    incident: &Incident,
    audience: Audience,
) -> Option<&'a CommunicationRule> {
    plan.communications.iter().find(|r| {
        r.audience == audience
            && matches!(r.timing, Timing::AfterResolutionDays { .. })
            && applies(r, incident)
    })
}

/// The event `action` records on `incident` at `now`.
pub fn action(
    plan: &Plan,
    incident: &Incident,
    action: &IncidentAction,
    now: DateTime<Utc>,
) -> Result<EventBody> {
    // Text no person could mean (a direction override, a control
    // character, a page-long note) is refused before anything else.
    let bounded = !matches!(action, IncidentAction::PublishPostMortem { .. });
    texts("incident", action, bounded)?;
    let id = &incident.id;
    let phase = incident.phase;
    match action {
        IncidentAction::Transition { to, note } => {
            if *to <= phase {
                return Err(refused(format!(
                    "{id} is already {}: a transition only moves forward (to go back from resolved or closed, reopen it)",
                    phase.as_str()
                )));
            }
            if *to == Phase::Closed && phase != Phase::Resolved {
                return Err(refused(format!(
                    "{id} is not resolved yet ({}): resolve it before closing it",
                    phase.as_str()
                )));
            }
            Ok(EventBody::PhaseChanged {
                from: phase,
                to: *to,
                note: note.trim().to_owned(),
                escalate: escalation::entering(plan, &incident.category, phase, *to, now),
            })
        }
        IncidentAction::Reopen { reason } => {
            if phase.is_open() {
                return Err(refused(format!(
                    "{id} is still open ({}): only a resolved or closed incident can be reopened",
                    phase.as_str()
                )));
            }
            let mut checks = Checks::new("reopen");
            let reason = checks.required("reason", reason, || {
                format!("reopening {id} needs a reason: say why it is not over")
            });
            checks.done(())?;
            Ok(EventBody::PhaseChanged {
                from: phase,
                to: Phase::Validated,
                note: reason,
                escalate: escalation::entering(
                    plan,
                    &incident.category,
                    phase,
                    Phase::Validated,
                    now,
                ),
            })
        }
        IncidentAction::SetSeverity { severity, note } => {
            if *severity == incident.severity {
                return Err(refused(format!(
                    "{id} is already {} ({}): choose another severity",
                    severity.as_str(),
                    severity.label()
                )));
            }
            Ok(EventBody::SeverityChanged {
                from: incident.severity,
                to: *severity,
                note: note.trim().to_owned(),
            })
        }
        IncidentAction::AssignRole { role, contact: who } => {
            let assignment = contact(plan, *role, who)?;
            if incident.roles.iter().any(|r| r == &assignment) {
                return Err(refused(format!(
                    "{} is already the {} of {id}",
                    assignment.name,
                    role.label().to_lowercase()
                )));
            }
            Ok(EventBody::RoleAssigned { assignment })
        }
        IncidentAction::MarkStep {
            procedure,
            step,
            status,
            note,
        } => mark_step(incident, procedure, step, *status, note),
        IncidentAction::MarkNotified { contact, channel } => {
            let pending = incident
                .escalations
                .iter()
                .find(|e| &e.recipient.contact == contact && e.notified.is_none());
            let Some(pending) = pending else {
                let name = plan.contact_name(contact).unwrap_or(contact.as_str());
                return Err(refused(format!(
                    "no escalation to {name} is pending on {id}: there is nobody to mark as notified"
                )));
            };
            Ok(EventBody::ContactNotified {
                contact: contact.clone(),
                name: pending.recipient.name.clone(),
                channel: channel.trim().to_owned(),
            })
        }
        IncidentAction::PostUpdate {
            rule,
            audience,
            channel,
            text,
        } => {
            let mut checks = Checks::new("update");
            let text = checks.required("text", text, || {
                format!(
                    "an update needs its text: write what you told the {} audience",
                    audience.label().to_lowercase()
                )
            });
            let mut channel = channel.trim().to_owned();
            if let Some(rule_id) = rule {
                if let Some(r) = applicable_rule(plan, incident, rule_id, &mut checks) {
                    if r.audience != *audience {
                        checks.push(
                            "audience",
                            format!(
                                "the communication rule `{rule_id}` is for {}, not {}: post it to that audience or choose another rule",
                                r.audience.label().to_lowercase(),
                                audience.label().to_lowercase()
                            ),
                        );
                    }
                    if channel.is_empty() {
                        channel = r.channel.trim().to_owned();
                    }
                }
            }
            if channel.is_empty() && checks.problems.iter().all(|p| p.location.field != "rule") {
                checks.push(
                    "channel",
                    "say where the update was posted (a channel, a page, a list)".to_owned(),
                );
            }
            checks.done(EventBody::UpdatePosted {
                rule: rule.clone(),
                audience: *audience,
                channel,
                text,
            })
        }
        IncidentAction::WaiveCommunication { rule, reason } => {
            let mut checks = Checks::new("waiver");
            if let Some(r) = applicable_rule(plan, incident, rule, &mut checks) {
                if !r.optional {
                    checks.push(
                        "rule",
                        format!(
                            "the communication rule `{rule}` is not optional, so it cannot be waived on {id}: post the {} it asks for",
                            r.audience.label().to_lowercase()
                        ),
                    );
                } else if incident.waivers.iter().any(|w| &w.rule == rule) {
                    checks.push(
                        "rule",
                        format!("the communication rule `{rule}` is already waived on {id}"),
                    );
                }
            }
            let reason = checks.required("reason", reason, || {
                format!("waiving `{rule}` needs a reason: say why it is not needed for {id}")
            });
            checks.done(EventBody::CommunicationWaived {
                rule: rule.clone(),
                reason,
            })
        }
        IncidentAction::PublishPostMortem { audience, text } => {
            if incident.resolved_at.is_none() {
                return Err(refused(format!(
                    "{id} is not resolved ({}): post-mortems are published after resolution",
                    phase.as_str()
                )));
            }
            let mut checks = Checks::new("postMortem");
            if !matches!(
                audience,
                Audience::InternalPostMortem | Audience::PublicPostMortem
            ) {
                checks.push(
                    "audience",
                    format!(
                        "{} is not a post-mortem audience: publish to the internal or public post-mortem, or post an update",
                        audience.label()
                    ),
                );
            }
            let text = checks.required("text", text, || {
                format!(
                    "the {} of {id} is empty: write it before publishing",
                    audience.label().to_lowercase()
                )
            });
            checks.done(EventBody::PostMortemPublished {
                audience: *audience,
                rule: post_mortem_rule(plan, incident, *audience).map(|r| r.id.clone()),
                text,
            })
        }
        IncidentAction::AddNote { text } => {
            let mut checks = Checks::new("note");
            let text = checks.required("text", text, || "a note needs some text".to_owned());
            checks.done(EventBody::Note { text })
        }
    }
}

fn mark_step(
    incident: &Incident,
    procedure: &Id,
    step: &Id,
    status: StepStatus,
    note: &str,
) -> Result<EventBody> {
    let id = &incident.id;
    let Some(p) = incident.procedures.iter().find(|p| &p.id == procedure) else {
        let known: Vec<&str> = incident.procedures.iter().map(|p| p.id.as_str()).collect();
        let known = if known.is_empty() {
            "it has none".to_owned()
        } else {
            format!("its procedures are {}", known.join(", "))
        };
        return Err(refused(format!(
            "{id} does not follow the procedure `{procedure}`: {known}"
        )));
    };
    if !p.steps.iter().any(|s| &s.id == step) {
        let known: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
        return Err(refused(format!(
            "the procedure `{procedure}` of {id} has no step `{step}`: its steps are {}",
            known.join(", ")
        )));
    }
    let current = incident
        .steps
        .iter()
        .find(|s| &s.procedure == procedure && &s.step == step)
        .map_or(StepStatus::Open, |s| s.status);
    let note = note.trim().to_owned();
    if current == status && note.is_empty() {
        return Err(refused(format!(
            "the step `{step}` of {id} is already {}: add a note to record something new",
            match status {
                StepStatus::Open => "open",
                StepStatus::Done => "done",
                StepStatus::Skipped => "skipped",
                StepStatus::Blocked => "blocked",
            }
        )));
    }
    Ok(EventBody::StepMarked {
        procedure: procedure.clone(),
        step: step.clone(),
        status,
        note,
    })
}
