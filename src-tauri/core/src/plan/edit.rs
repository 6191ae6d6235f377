//! Edits to a plan, as the editor sends them: save an element (insert or
//! replace), delete one, move one, mark a contact verified. Applying an edit
//! changes the in-memory plan in place and returns exactly what changed, which
//! is also how to take it back; the store validates the result and persists
//! it as one revision, or rolls it back.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use serde_json::Value;

use super::elements::{self, ChangeSet, ElementChange, OrderChange};
use super::model::*;
use super::{Id, Problem, Section};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PlanEdit {
    SaveMeta {
        meta: PlanMeta,
    },
    SaveExercisePolicy {
        policy: ExercisePolicy,
    },
    /// Insert (at `position`, or at the end) or replace (in place) by id.
    SaveCategory {
        category: Category,
        position: Option<u32>,
    },
    SaveIssue {
        issue: PotentialIssue,
        position: Option<u32>,
    },
    SaveProcedure {
        procedure: Procedure,
        position: Option<u32>,
    },
    SaveEscalation {
        rule: EscalationRule,
    },
    SaveCoreMember {
        member: CoreMember,
        position: Option<u32>,
    },
    SaveExtendedContact {
        contact: ExtendedContact,
        position: Option<u32>,
    },
    SaveRotation {
        rotation: OnCallRotation,
    },
    SaveCommunication {
        rule: CommunicationRule,
        position: Option<u32>,
    },
    SaveDecision {
        decision: DecisionPolicy,
        position: Option<u32>,
    },
    Delete {
        section: Section,
        key: String,
    },
    Move {
        section: Section,
        key: String,
        to: u32,
    },
    MarkVerified {
        contact: Id,
        on: NaiveDate,
    },
}

/// What an edit did: exactly what changed, and one line for the history
/// (e.g. "Edited issue “Oracle failure”").
#[derive(Debug)]
pub struct Applied {
    pub changes: ChangeSet,
    pub summary: String,
}

/// Applies `edit` to `plan` in place and returns what changed. Deleting an
/// element that others refer to is refused with the list of what refers to
/// it. On any error `plan` is left as it was.
pub fn apply(plan: &mut Plan, edit: &PlanEdit) -> Result<Applied> {
    let touched = touched_by(edit);
    let before: Vec<Option<Value>> = touched
        .iter()
        .map(|(s, k)| elements::get(plan, *s, k))
        .collect();
    // An element saved over itself, with no position, keeps every order:
    // its section's keys (10,000 on a large plan) need not be copied twice
    // to find that out.
    let in_place = keeps_places(edit) && before.iter().all(Option::is_some);
    let mut sections: Vec<Section> = touched.iter().map(|(s, _)| *s).collect();
    sections.sort();
    sections.dedup();
    let orders: Vec<(Section, Vec<String>)> = sections
        .into_iter()
        .filter(|_| !in_place)
        .map(|s| (s, elements::keys(plan, s)))
        .collect();

    let outcome = mutate(plan, edit);
    let changes = changes_since(plan, &touched, before, orders);
    match outcome {
        Ok(summary) => Ok(Applied { changes, summary }),
        Err(error) => {
            // Put back whatever the edit had already changed.
            changes.apply(plan, false)?;
            Err(error)
        }
    }
}

/// What saving `edit` would be refused for, leaving `plan` as it is: every
/// located problem of the plan the edit would make (empty when it would be
/// stored). For forms to show core's own words while the user types. An
/// edit refused outright (a move or delete of what is not there) is that error.
pub fn check(plan: &Plan, edit: &PlanEdit) -> Result<Vec<Problem>> {
    let mut draft = plan.clone();
    let applied = apply(&mut draft, edit)?;
    Ok(crate::plan::validate_change(&draft, &applied.changes))
}

/// Every element an edit may change (a category's deletion takes its own
/// escalation rule and rotation; a contact may be in either team).
/// Whether `edit`, applied to elements that exist, replaces them where they
/// are (a save without a position); an insert, a move or a delete does not.
fn keeps_places(edit: &PlanEdit) -> bool {
    match edit {
        PlanEdit::SaveMeta { .. }
        | PlanEdit::SaveExercisePolicy { .. }
        | PlanEdit::SaveEscalation { .. }
        | PlanEdit::SaveRotation { .. } => true,
        PlanEdit::SaveCategory { position, .. }
        | PlanEdit::SaveIssue { position, .. }
        | PlanEdit::SaveProcedure { position, .. }
        | PlanEdit::SaveCoreMember { position, .. }
        | PlanEdit::SaveExtendedContact { position, .. }
        | PlanEdit::SaveCommunication { position, .. }
        | PlanEdit::SaveDecision { position, .. } => position.is_none(),
        PlanEdit::Delete { .. } | PlanEdit::Move { .. } | PlanEdit::MarkVerified { .. } => false,
    }
}

fn touched_by(edit: &PlanEdit) -> Vec<(Section, String)> {
    let one = |section: Section, key: &Id| vec![(section, key.to_string())];
    match edit {
        PlanEdit::SaveMeta { .. } => vec![(Section::Meta, String::new())],
        PlanEdit::SaveExercisePolicy { .. } => vec![(Section::ExercisePolicy, String::new())],
        PlanEdit::SaveCategory { category, .. } => one(Section::Categories, &category.id),
        PlanEdit::SaveIssue { issue, .. } => one(Section::Issues, &issue.id),
        PlanEdit::SaveProcedure { procedure, .. } => one(Section::Procedures, &procedure.id),
        PlanEdit::SaveEscalation { rule } => one(Section::Escalation, &rule.category),
        PlanEdit::SaveCoreMember { member, .. } => one(Section::CoreTeam, &member.id),
        PlanEdit::SaveExtendedContact { contact, .. } => one(Section::ExtendedTeam, &contact.id),
        PlanEdit::SaveRotation { rotation } => one(Section::OnCall, &rotation.category),
        PlanEdit::SaveCommunication { rule, .. } => one(Section::Communications, &rule.id),
        PlanEdit::SaveDecision { decision, .. } => one(Section::Decisions, &decision.id),
        PlanEdit::Delete {
            section: Section::Categories,
            key,
        } => vec![
            (Section::Escalation, key.clone()),
            (Section::OnCall, key.clone()),
            (Section::Categories, key.clone()),
        ],
        PlanEdit::Delete { section, key } | PlanEdit::Move { section, key, .. } => {
            vec![(*section, key.clone())]
        }
        PlanEdit::MarkVerified { contact, .. } => vec![
            (Section::CoreTeam, contact.to_string()),
            (Section::ExtendedTeam, contact.to_string()),
        ],
    }
}

/// The change set from the `before` values and section `orders` captured
/// ahead of an edit to `plan` as it is now.
fn changes_since(
    plan: &Plan,
    touched: &[(Section, String)],
    before: Vec<Option<Value>>,
    orders: Vec<(Section, Vec<String>)>,
) -> ChangeSet {
    let mut changes = ChangeSet::default();
    for ((section, key), before) in touched.iter().zip(before) {
        let after = elements::get(plan, *section, key);
        if before != after {
            changes.elements.push(ElementChange {
                section: *section,
                key: key.clone(),
                before,
                after,
            });
        }
    }
    for (section, old) in orders {
        let new = elements::keys(plan, section);
        if !elements::follows_from(&old, &new) {
            changes.orders.push(OrderChange {
                section,
                before: old,
                after: new,
            });
        }
    }
    changes
}

/// Makes the change; returns the history line.
fn mutate(plan: &mut Plan, edit: &PlanEdit) -> Result<String> {
    Ok(match edit {
        PlanEdit::SaveMeta { meta } => {
            plan.meta = meta.clone();
            "Edited the plan details".to_owned()
        }
        PlanEdit::SaveExercisePolicy { policy } => {
            plan.exercise_policy = policy.clone();
            "Edited the exercise policy".to_owned()
        }
        PlanEdit::SaveCategory { category, position } => save(
            plan,
            Section::Categories,
            category.id.as_str(),
            category,
            *position,
            &category.name,
        )?,
        PlanEdit::SaveIssue { issue, position } => save(
            plan,
            Section::Issues,
            issue.id.as_str(),
            issue,
            *position,
            &issue.title,
        )?,
        PlanEdit::SaveProcedure {
            procedure,
            position,
        } => {
            let (key, title) = (procedure.id.as_str(), &procedure.title);
            save(plan, Section::Procedures, key, procedure, *position, title)?
        }
        PlanEdit::SaveEscalation { rule } => {
            let name = category_name(plan, &rule.category);
            save(
                plan,
                Section::Escalation,
                rule.category.as_str(),
                rule,
                None,
                &name,
            )?
        }
        PlanEdit::SaveCoreMember { member, position } => save(
            plan,
            Section::CoreTeam,
            member.id.as_str(),
            member,
            *position,
            &member.name,
        )?,
        PlanEdit::SaveExtendedContact { contact, position } => {
            let (key, name) = (contact.id.as_str(), &contact.name);
            save(plan, Section::ExtendedTeam, key, contact, *position, name)?
        }
        PlanEdit::SaveRotation { rotation } => {
            let name = category_name(plan, &rotation.category);
            save(
                plan,
                Section::OnCall,
                rotation.category.as_str(),
                rotation,
                None,
                &name,
            )?
        }
        PlanEdit::SaveCommunication { rule, position } => {
            let title = format!("{} via {}", rule.audience.label(), rule.channel);
            save(
                plan,
                Section::Communications,
                rule.id.as_str(),
                rule,
                *position,
                &title,
            )?
        }
        PlanEdit::SaveDecision { decision, position } => {
            let (key, title) = (decision.id.as_str(), &decision.title);
            save(plan, Section::Decisions, key, decision, *position, title)?
        }
        PlanEdit::Delete { section, key } => delete(plan, *section, key)?,
        PlanEdit::Move { section, key, to } => {
            let title = title_of(plan, *section, key);
            let mut order = elements::keys(plan, *section);
            let from = order
                .iter()
                .position(|k| k == key)
                .ok_or_else(|| not_found(*section, key))?;
            let moved = order.remove(from);
            order.insert((*to as usize).min(order.len()), moved);
            elements::reorder(plan, *section, &order);
            format!("Moved {} “{title}”", section.noun())
        }
        PlanEdit::MarkVerified { contact, on } => {
            let name = if let Some(m) = plan.core_team.iter_mut().find(|m| &m.id == contact) {
                m.last_verified = Some(*on);
                m.name.clone()
            } else if let Some(c) = plan.extended_team.iter_mut().find(|c| &c.id == contact) {
                c.last_verified = Some(*on);
                c.name.clone()
            } else {
                return Err(Error::NotFound {
                    what: "contact",
                    id: contact.to_string(),
                });
            };
            format!("Marked “{name}” verified on {on}")
        }
    })
}

fn not_found(section: Section, key: &str) -> Error {
    Error::NotFound {
        what: section.noun(),
        id: key.to_owned(),
    }
}

fn category_name(plan: &Plan, id: &Id) -> String {
    plan.category(id)
        .map_or_else(|| id.to_string(), |c| c.name.clone())
}

/// The human name of an element, for summaries and messages.
pub fn title_of(plan: &Plan, section: Section, key: &str) -> String {
    let value = elements::get(plan, section, key);
    let field = |name: &str| {
        value
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    match section {
        Section::Escalation | Section::OnCall => plan
            .categories
            .iter()
            .find(|c| c.id.as_str() == key)
            .map_or_else(|| key.to_owned(), |c| c.name.clone()),
        Section::Communications => field("channel").unwrap_or_else(|| key.to_owned()),
        _ => field("title")
            .or_else(|| field("name"))
            .unwrap_or_else(|| key.to_owned()),
    }
}

fn save<T: Serialize>(
    plan: &mut Plan,
    section: Section,
    key: &str,
    element: &T,
    position: Option<u32>,
    title: &str,
) -> Result<String> {
    let existed = elements::get(plan, section, key).is_some();
    let value = serde_json::to_value(element).map_err(|e| Error::Corrupt(e.to_string()))?;
    elements::put(plan, section, key, Some(value))?;
    if let Some(to) = position {
        let mut order = elements::keys(plan, section);
        if let Some(from) = order.iter().position(|k| k == key) {
            let k = order.remove(from);
            order.insert((to as usize).min(order.len()), k);
            elements::reorder(plan, section, &order);
        }
    }
    let verb = if existed { "Edited" } else { "Added" };
    Ok(format!("{verb} {} “{title}”", section.noun()))
}

/// Deletes an element; a category takes its own escalation rule and rotation
/// with it. Refused, naming every referrer, when anything else refers to it.
fn delete(plan: &mut Plan, section: Section, key: &str) -> Result<String> {
    if section.is_singleton() {
        return Err(Error::Refused(format!(
            "the {} cannot be deleted",
            section.noun()
        )));
    }
    if elements::get(plan, section, key).is_none() {
        return Err(not_found(section, key));
    }
    let title = title_of(plan, section, key);
    let referrers = references(plan, section, key);
    if !referrers.is_empty() {
        return Err(Error::Refused(format!(
            "cannot delete {} “{title}”: {}. Change {} first",
            section.noun(),
            referrers.join("; "),
            if referrers.len() == 1 {
                "that"
            } else {
                "those"
            },
        )));
    }
    if section == Section::Categories {
        for owned in [Section::Escalation, Section::OnCall] {
            if elements::get(plan, owned, key).is_some() {
                elements::put(plan, owned, key, None)?;
            }
        }
    }
    elements::put(plan, section, key, None)?;
    Ok(format!("Deleted {} “{title}”", section.noun()))
}

/// Everything in `plan` that refers to the element, described for a person.
pub fn references(plan: &Plan, section: Section, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let is = |id: &Id| id.as_str() == key;
    match section {
        Section::Categories => {
            for i in plan.issues.iter().filter(|i| is(&i.category)) {
                out.push(format!("issue “{}” is in it", i.title));
            }
            for m in plan
                .core_team
                .iter()
                .filter(|m| m.categories.iter().any(is))
            {
                out.push(format!("core member “{}” owns it", m.name));
            }
            for r in plan
                .communications
                .iter()
                .filter(|r| r.categories.iter().any(is))
            {
                out.push(format!("communication rule “{}” applies to it", r.channel));
            }
        }
        Section::Issues => {
            for p in plan.procedures.iter().filter(|p| p.issues.iter().any(is)) {
                out.push(format!("procedure “{}” answers it", p.title));
            }
        }
        Section::CoreTeam | Section::ExtendedTeam => {
            for d in &plan.decisions {
                if d.required.iter().any(is) {
                    out.push(format!("decision “{}” requires their approval", d.title));
                } else if d.additional.iter().any(is) {
                    out.push(format!(
                        "decision “{}” lists them as an additional approver",
                        d.title
                    ));
                }
            }
            for r in plan
                .communications
                .iter()
                .filter(|r| r.responsible.as_ref().is_some_and(is))
            {
                out.push(format!(
                    "communication rule “{}” makes them responsible",
                    r.channel
                ));
            }
            for r in &plan.on_call {
                if r.members.iter().any(is) || r.overrides.iter().any(|o| is(&o.member)) {
                    out.push(format!(
                        "the on-call rotation for “{}” includes them",
                        category_name(plan, &r.category)
                    ));
                }
            }
        }
        Section::Decisions => {
            for p in &plan.procedures {
                for s in p
                    .steps
                    .iter()
                    .filter(|s| s.decision.as_ref().is_some_and(is))
                {
                    out.push(format!(
                        "step “{}” of procedure “{}” needs it",
                        s.action, p.title
                    ));
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests;
