//! Who must be notified when an incident enters a phase, from the plan's
//! escalation matrix, the category's owners and its on-call rotation.

use chrono::{DateTime, Utc};

use super::model::{Phase, Recipient};
use crate::export::Team;
use crate::plan::{oncall, CoreMember, Id, NotifyWhen, Plan};

/// The escalation moment a phase stands for; `None` for phases that trigger nothing.
pub fn trigger(phase: Phase) -> Option<NotifyWhen> {
    match phase {
        Phase::Detected => Some(NotifyWhen::UponDetection),
        Phase::Validated => Some(NotifyWhen::UponValidation),
        Phase::Resolved => Some(NotifyWhen::UponResolution),
        Phase::Mitigated | Phase::Closed => None,
    }
}

/// Who must be told because an incident of `category` entered `phase` at `at`.
///
/// Core team (when the category's rule says so for this phase): the member on
/// call in the category's rotation, else every core member owning the
/// category, else the whole core team. Extended team (when its rule says so):
/// every contact. Core first, each team in plan order, nobody twice.
pub fn recipients(plan: &Plan, category: &Id, phase: Phase, at: DateTime<Utc>) -> Vec<Recipient> {
    let Some(when) = trigger(phase) else {
        return Vec::new();
    };
    let Some(rule) = plan.escalation.iter().find(|r| &r.category == category) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if rule.core == when {
        out.extend(core_recipients(plan, category, at));
    }
    if rule.extended == when {
        out.extend(plan.extended_team.iter().map(|c| Recipient {
            contact: c.id.clone(),
            name: c.name.clone(),
            team: Team::Extended,
            role: c.role.clone(),
            reach: c.reach.clone(),
            on_call: false,
        }));
    }
    dedup(out)
}

/// Who must be told because an incident moved from `from` to `to` at `at`:
/// the recipients of every phase entered on the way (`to` and any skipped
/// over), nobody twice. A reopen (back to `Validated`) enters `Validated` again.
pub fn entering(
    plan: &Plan,
    category: &Id,
    from: Phase,
    to: Phase,
    at: DateTime<Utc>,
) -> Vec<Recipient> {
    let entered: Vec<Phase> = if to > from {
        Phase::ALL
            .into_iter()
            .filter(|p| *p > from && *p <= to)
            .collect()
    } else {
        vec![to]
    };
    for_phases(plan, category, &entered, at)
}

/// Who must be told because an incident of `category` entered each of
/// `phases` (in order) at `at`, nobody twice: what [`recipients`] says for
/// each, the first phase to name someone keeping them. The dialogs' preview
/// asks this for the phases a declaration or a transition would enter.
pub fn for_phases(
    plan: &Plan,
    category: &Id,
    phases: &[Phase],
    at: DateTime<Utc>,
) -> Vec<Recipient> {
    dedup(
        phases
            .iter()
            .flat_map(|p| recipients(plan, category, *p, at))
            .collect(),
    )
}

fn core_recipients(plan: &Plan, category: &Id, at: DateTime<Utc>) -> Vec<Recipient> {
    let on_call = plan
        .on_call
        .iter()
        .find(|r| &r.category == category)
        .and_then(|r| oncall::on_call_at(r, at))
        .and_then(|member| plan.core_team.iter().find(|m| m.id == member));
    if let Some(member) = on_call {
        return vec![core(member, true)];
    }
    let owners: Vec<Recipient> = plan
        .core_team
        .iter()
        .filter(|m| m.categories.contains(category))
        .map(|m| core(m, false))
        .collect();
    if owners.is_empty() {
        plan.core_team.iter().map(|m| core(m, false)).collect()
    } else {
        owners
    }
}

fn core(member: &CoreMember, on_call: bool) -> Recipient {
    Recipient {
        contact: member.id.clone(),
        name: member.name.clone(),
        team: Team::Core,
        role: member.role.clone(),
        reach: member.reach.clone(),
        on_call,
    }
}

/// Keeps the first appearance of each contact.
pub fn dedup(recipients: Vec<Recipient>) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = Vec::with_capacity(recipients.len());
    for r in recipients {
        if !out.iter().any(|o| o.contact == r.contact) {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests;
