//! Paging: an escalation that the person on call does not acknowledge in
//! time reaches further people, the way an on-call pager does — without a
//! vendor's cloud. Nothing is sent between laptops for it: every laptop works
//! out the same pages from the plan, the incident and the clock, and each
//! raises what is for its own person.
//!
//! For a group of escalations (required together by one phase) whose core
//! recipient is the member on call, under an escalation rule with
//! `page_after_minutes` = N, as long as nobody it called has acknowledged
//! (and the person on call was not marked notified):
//! - at +N the person on call is called again;
//! - at +2N the rotation's backup (the next member in the rotation's order);
//! - at +3N the category's other owners.
//!
//! An acknowledgement by anyone called so far stops it.

use chrono::{DateTime, Duration, Utc};

use super::model::{Escalation, Incident};
use crate::plan::{Id, Plan};

/// One step of paging: who is called, from when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// 1: the person on call again; 2: the backup; 3: the other owners.
    pub stage: u32,
    pub at: DateTime<Utc>,
    pub contacts: Vec<Id>,
    /// The person on call, who has not answered.
    pub unanswered: Id,
}

/// The pages of one escalation group, in order, whether due yet or not;
/// empty when the rule pages nobody, nobody in the group is on call, or the
/// call was answered. A stage that would call nobody new is left out.
pub fn pages(plan: &Plan, incident: &Incident, group: &[&Escalation]) -> Vec<Page> {
    let Some(first) = group.first() else {
        return Vec::new();
    };
    let Some(minutes) = plan
        .escalation
        .iter()
        .find(|r| r.category == incident.category)
        .and_then(|r| r.page_after_minutes)
        .filter(|m| *m > 0)
    else {
        return Vec::new();
    };
    let Some(on_call) = group.iter().find(|e| e.recipient.on_call) else {
        return Vec::new();
    };
    if on_call.notified.is_some() {
        return Vec::new();
    }
    let person = &on_call.recipient.contact;
    let backup = backup(plan, &incident.category, person);
    let mut called: Vec<&Id> = vec![person];
    called.extend(backup.iter());
    let others: Vec<Id> = plan
        .core_team
        .iter()
        .filter(|m| m.categories.contains(&incident.category) && !called.contains(&&m.id))
        .map(|m| m.id.clone())
        .collect();
    let every = Duration::minutes(i64::from(minutes));
    let stages = [
        vec![person.clone()],
        backup.clone().into_iter().collect(),
        others,
    ];
    let mut out = Vec::new();
    let mut step = 0;
    for (n, contacts) in (1u32..).zip(stages) {
        if contacts.is_empty() {
            continue;
        }
        step += 1;
        out.push(Page {
            stage: n,
            at: first.at + every * step,
            contacts,
            unanswered: person.clone(),
        });
    }
    // Answered by anyone called by then: paging is over.
    let answered = incident.acknowledgements.iter().any(|a| {
        a.at >= first.at
            && (a.contact == *person
                || out
                    .iter()
                    .any(|p| p.at <= a.at && p.contacts.contains(&a.contact)))
    });
    if answered {
        return Vec::new();
    }
    out
}

/// The member after `person` in the category's rotation, in its order; the
/// rotation's first other member when `person` is not in it (an override).
fn backup(plan: &Plan, category: &Id, person: &Id) -> Option<Id> {
    let rotation = plan.on_call.iter().find(|r| &r.category == category)?;
    let members = &rotation.members;
    let next = match members.iter().position(|m| m == person) {
        Some(at) => (1..members.len())
            .map(|k| &members[(at + k) % members.len()])
            .find(|m| *m != person),
        None => members.iter().find(|m| *m != person),
    };
    next.cloned()
}

/// Everyone paging has reached by `now` for any escalation of `incident`
/// that nobody has answered: they may acknowledge it.
pub fn paged(plan: &Plan, incident: &Incident, now: DateTime<Utc>) -> Vec<Id> {
    let mut out: Vec<Id> = Vec::new();
    for group in crate::deadline::escalation_groups(incident) {
        for page in pages(plan, incident, &group) {
            if page.at <= now {
                for c in page.contacts {
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
