//! The fold: an incident's state from its events, in order. Nothing else
//! holds an incident's state, so what the console shows is always what the
//! timeline says.

use super::model::{
    Acknowledgement, Escalation, Event, EventBody, Incident, Notified, Phase, PhaseTime,
    Publication, StepRecord, UpdateRecord, Waiver, ACKNOWLEDGED,
};
use crate::error::{Error, Result};

/// The incident `events` describe. The first event must be its declaration.
pub fn fold(events: &[Event]) -> Result<Incident> {
    let Some((first, rest)) = events.split_first() else {
        return Err(Error::Corrupt(
            "an incident without events cannot be read".to_owned(),
        ));
    };
    let mut incident = declared(first)?;
    for event in rest {
        apply(&mut incident, event)?;
    }
    Ok(incident)
}

fn declared(event: &Event) -> Result<Incident> {
    let EventBody::Declared {
        title,
        issue,
        category,
        severity,
        exercise,
        description,
        procedures,
        roles,
        escalate,
    } = &event.body
    else {
        return Err(Error::Corrupt(format!(
            "the first event of {} is not its declaration",
            event.incident
        )));
    };
    Ok(Incident {
        id: event.incident.clone(),
        title: title.clone(),
        issue: issue.clone(),
        category: category.clone(),
        severity: *severity,
        exercise: *exercise,
        description: description.clone(),
        phase: Phase::Detected,
        declared_at: event.at,
        declared_by: event.author.clone(),
        phases: vec![PhaseTime {
            phase: Phase::Detected,
            at: event.at,
            by: event.author.clone(),
        }],
        opened_at: event.at,
        resolved_at: None,
        roles: roles.clone(),
        procedures: procedures.clone(),
        steps: Vec::new(),
        escalations: escalate
            .iter()
            .map(|recipient| Escalation {
                phase: Phase::Detected,
                at: event.at,
                recipient: recipient.clone(),
                notified: None,
            })
            .collect(),
        acknowledgements: Vec::new(),
        updates: Vec::new(),
        waivers: Vec::new(),
        publications: Vec::new(),
        reminders: Vec::new(),
        event_count: 1,
        last_event_at: event.at,
    })
}

/// `incident` with `event` folded in after everything it holds: what
/// [`fold`] gives for the events it was folded from followed by `event`.
pub fn fold_onto(incident: &mut Incident, event: &Event) -> Result<()> {
    apply(incident, event)
}

fn apply(incident: &mut Incident, event: &Event) -> Result<()> {
    let at = event.at;
    let by = &event.author;
    match &event.body {
        EventBody::Declared { .. } => {
            return Err(Error::Corrupt(format!(
                "{} is declared a second time in event {}",
                event.incident, event.seq
            )));
        }
        EventBody::PhaseChanged {
            from, to, escalate, ..
        } => {
            incident.phase = *to;
            incident.phases.push(PhaseTime {
                phase: *to,
                at,
                by: by.clone(),
            });
            if *to == Phase::Resolved {
                incident.resolved_at = Some(at);
            }
            if !from.is_open() && to.is_open() {
                // A reopen: cadences start again, post-mortems wait for the next resolution.
                incident.opened_at = at;
                incident.resolved_at = None;
            }
            incident
                .escalations
                .extend(escalate.iter().map(|recipient| Escalation {
                    phase: *to,
                    at,
                    recipient: recipient.clone(),
                    notified: None,
                }));
        }
        EventBody::SeverityChanged { to, .. } => incident.severity = *to,
        EventBody::RoleAssigned { assignment } => {
            match incident
                .roles
                .iter_mut()
                .find(|r| r.role == assignment.role)
            {
                Some(held) => *held = assignment.clone(),
                None => incident.roles.push(assignment.clone()),
            }
        }
        EventBody::StepMarked {
            procedure,
            step,
            status,
            note,
        } => {
            let record = StepRecord {
                procedure: procedure.clone(),
                step: step.clone(),
                status: *status,
                note: note.clone(),
                by: by.clone(),
                at,
            };
            match incident
                .steps
                .iter_mut()
                .find(|s| &s.procedure == procedure && &s.step == step)
            {
                Some(latest) => *latest = record,
                None => incident.steps.push(record),
            }
        }
        EventBody::ContactNotified {
            contact, channel, ..
        } => {
            if channel == ACKNOWLEDGED {
                incident.acknowledgements.push(Acknowledgement {
                    contact: contact.clone(),
                    at,
                });
            }
            for e in incident
                .escalations
                .iter_mut()
                .filter(|e| &e.recipient.contact == contact && e.notified.is_none())
            {
                e.notified = Some(Notified {
                    at,
                    by: by.clone(),
                    channel: channel.clone(),
                });
            }
        }
        EventBody::UpdatePosted {
            rule,
            audience,
            channel,
            text,
        } => incident.updates.push(UpdateRecord {
            rule: rule.clone(),
            audience: *audience,
            channel: channel.clone(),
            text: text.clone(),
            at,
            by: by.clone(),
        }),
        EventBody::CommunicationWaived { rule, reason } => incident.waivers.push(Waiver {
            rule: rule.clone(),
            reason: reason.clone(),
            at,
            by: by.clone(),
        }),
        EventBody::ReminderSent { key, .. } => incident.reminders.push(key.clone()),
        EventBody::PostMortemPublished { audience, rule, .. } => {
            incident.publications.push(Publication {
                audience: *audience,
                rule: rule.clone(),
                at,
                by: by.clone(),
            });
        }
        // Decisions are folded from their own tables (`store::decisions`);
        // their events are the timeline's account of them.
        EventBody::Note { .. }
        | EventBody::AlertReceived { .. }
        | EventBody::CommandRan { .. }
        | EventBody::UpdateSent { .. }
        | EventBody::DecisionRequested { .. }
        | EventBody::DecisionSigned { .. }
        | EventBody::DecisionAttested { .. }
        | EventBody::DecisionResolved { .. } => {}
    }
    incident.event_count += 1;
    incident.last_event_at = at;
    Ok(())
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;
