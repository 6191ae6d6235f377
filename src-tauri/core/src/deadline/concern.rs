//! Whom a due item is for, when the team works on many laptops: each laptop
//! pops up only what its person must act on, worded for them.
//!
//! - An escalation is for the incident lead (who tells people), and for each
//!   person it calls — who gets "you are called" instead of "notify N
//!   people". Without a lead, it is for everyone in the core team: somebody
//!   must take it.
//! - A page (an escalation the person on call did not acknowledge in time,
//!   see `incident::paging`) is for the lead and for each person it calls,
//!   who gets "you are paged"; never for the rest of the team.
//! - An update or a post-mortem is for the rule's responsible person, else
//!   the incident's communications manager, else its lead, else everyone.
//!
//! Someone who runs no Muster (an extended-team contact, a core member
//! without a signing key) cannot be the one asked: what would be theirs is
//! raised for everyone. A laptop alone (no team) raises everything, as before.

use super::{DueItem, DueKind};
use crate::incident::model::{Incident, Role};
use crate::plan::{Id, Plan};

fn holder(incident: &Incident, role: Role) -> Option<&Id> {
    incident
        .roles
        .iter()
        .rev()
        .find(|r| r.role == role)
        .map(|r| &r.contact)
}

/// Whether `id` can be told by a laptop of the team: a core member with a
/// signing key. Someone else (an extended-team contact, a member without a
/// key) runs no Muster, so what is theirs is everyone's.
fn has_laptop(plan: &Plan, id: &Id) -> bool {
    plan.core_team
        .iter()
        .any(|m| &m.id == id && m.public_key.is_some())
}

/// Whether `item` calls its reader (an escalation worded by [`for_person`]
/// for someone it calls), so that its pop-up offers "Acknowledge".
pub fn is_call(item: &DueItem) -> bool {
    matches!(item.kind, DueKind::Escalation { .. }) && item.key.contains(":called:")
}

/// `item` as `person` should see it, or none when it is not theirs to act on.
pub fn for_person(
    item: &DueItem,
    incident: &Incident,
    plan: &Plan,
    person: &Id,
) -> Option<DueItem> {
    let lead = holder(incident, Role::Lead).filter(|l| has_laptop(plan, l));
    match &item.kind {
        DueKind::Escalation { phase, contacts } => {
            // A page is for the people it calls and the lead; nobody else.
            let page = item.key.starts_with("page:");
            if lead == Some(person) || (lead.is_none() && !page) {
                return Some(item.clone());
            }
            if !contacts.contains(person) {
                return None;
            }
            let mut called = item.clone();
            called.key = format!("{}:called:{person}", item.key);
            let exercise = if item.exercise { "EXERCISE — " } else { "" };
            if page {
                // Paged: the item's body already says who did not answer.
                called.title = format!(
                    "{exercise}{} {}: you are paged ({})",
                    item.incident,
                    item.incident_title,
                    phase.as_str()
                );
                return Some(called);
            }
            called.title = format!(
                "{exercise}{} {}: you are called ({})",
                item.incident,
                item.incident_title,
                phase.as_str()
            );
            let by = lead
                .and_then(|l| plan.contact_name(l))
                .map_or(String::new(), |name| format!("; {name} leads it"));
            called.body = format!(
                "{} {}{by}. Open the incident to see what is known and what to do.",
                incident.severity.as_str(),
                incident.severity.label()
            );
            Some(called)
        }
        DueKind::Update { rule, .. } | DueKind::PostMortem { rule, .. } => {
            let responsible = plan
                .communications
                .iter()
                .find(|r| &r.id == rule)
                .and_then(|r| r.responsible.as_ref())
                .or_else(|| holder(incident, Role::Communications))
                .or(lead)
                .filter(|who| has_laptop(plan, who));
            match responsible {
                Some(who) if who != person => None,
                _ => Some(item.clone()),
            }
        }
    }
}
