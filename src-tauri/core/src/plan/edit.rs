//! Edits to a plan, as the editor sends them: save an element (insert or
//! replace), delete one, move one, mark a contact verified. Applying an edit
//! works on an in-memory plan and says which elements it touched; the store
//! validates the result and persists it as one revision.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::elements;
use super::model::*;
use super::{Id, Section};
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

/// The outcome of applying an edit in memory.
#[derive(Debug)]
pub struct Applied {
    pub plan: Plan,
    pub touched: Vec<(Section, String)>,
    /// One line for the history, e.g. "Edited issue “Oracle failure”".
    pub summary: String,
}

/// Applies `edit` to a copy of `plan`. Deleting an element that others refer
/// to is refused with the list of what refers to it.
pub fn apply(plan: &Plan, edit: &PlanEdit) -> Result<Applied> {
    let mut new = plan.clone();
    let mut touched = Vec::new();
    let summary = match edit {
        PlanEdit::SaveMeta { meta } => {
            new.meta = meta.clone();
            touched.push((Section::Meta, String::new()));
            "Edited the plan details".to_owned()
        }
        PlanEdit::SaveExercisePolicy { policy } => {
            new.exercise_policy = policy.clone();
            touched.push((Section::ExercisePolicy, String::new()));
            "Edited the exercise policy".to_owned()
        }
        PlanEdit::SaveCategory { category, position } => save(
            &mut new,
            Section::Categories,
            category.id.as_str(),
            category,
            *position,
            &mut touched,
            &category.name,
        )?,
        PlanEdit::SaveIssue { issue, position } => save(
            &mut new,
            Section::Issues,
            issue.id.as_str(),
            issue,
            *position,
            &mut touched,
            &issue.title,
        )?,
        PlanEdit::SaveProcedure {
            procedure,
            position,
        } => save(
            &mut new,
            Section::Procedures,
            procedure.id.as_str(),
            procedure,
            *position,
            &mut touched,
            &procedure.title,
        )?,
        PlanEdit::SaveEscalation { rule } => {
            let name = category_name(plan, &rule.category);
            save(
                &mut new,
                Section::Escalation,
                rule.category.as_str(),
                rule,
                None,
                &mut touched,
                &name,
            )?
        }
        PlanEdit::SaveCoreMember { member, position } => save(
            &mut new,
            Section::CoreTeam,
            member.id.as_str(),
            member,
            *position,
            &mut touched,
            &member.name,
        )?,
        PlanEdit::SaveExtendedContact { contact, position } => save(
            &mut new,
            Section::ExtendedTeam,
            contact.id.as_str(),
            contact,
            *position,
            &mut touched,
            &contact.name,
        )?,
        PlanEdit::SaveRotation { rotation } => {
            let name = category_name(plan, &rotation.category);
            save(
                &mut new,
                Section::OnCall,
                rotation.category.as_str(),
                rotation,
                None,
                &mut touched,
                &name,
            )?
        }
        PlanEdit::SaveCommunication { rule, position } => {
            let title = format!("{} via {}", rule.audience.label(), rule.channel);
            save(
                &mut new,
                Section::Communications,
                rule.id.as_str(),
                rule,
                *position,
                &mut touched,
                &title,
            )?
        }
        PlanEdit::SaveDecision { decision, position } => save(
            &mut new,
            Section::Decisions,
            decision.id.as_str(),
            decision,
            *position,
            &mut touched,
            &decision.title,
        )?,
        PlanEdit::Delete { section, key } => delete(&mut new, *section, key, &mut touched)?,
        PlanEdit::Move { section, key, to } => {
            let mut order = elements::keys(&new, *section);
            let from = order
                .iter()
                .position(|k| k == key)
                .ok_or_else(|| not_found(*section, key))?;
            let moved = order.remove(from);
            order.insert((*to as usize).min(order.len()), moved);
            elements::reorder(&mut new, *section, &order);
            touched.push((*section, key.clone()));
            format!(
                "Moved {} “{}”",
                section.noun(),
                title_of(plan, *section, key)
            )
        }
        PlanEdit::MarkVerified { contact, on } => {
            let (section, name) =
                if let Some(m) = new.core_team.iter_mut().find(|m| &m.id == contact) {
                    m.last_verified = Some(*on);
                    (Section::CoreTeam, m.name.clone())
                } else if let Some(c) = new.extended_team.iter_mut().find(|c| &c.id == contact) {
                    c.last_verified = Some(*on);
                    (Section::ExtendedTeam, c.name.clone())
                } else {
                    return Err(Error::NotFound {
                        what: "contact",
                        id: contact.to_string(),
                    });
                };
            touched.push((section, contact.to_string()));
            format!("Marked “{name}” verified on {on}")
        }
    };
    Ok(Applied {
        plan: new,
        touched,
        summary,
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
    touched: &mut Vec<(Section, String)>,
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
    touched.push((section, key.to_owned()));
    let verb = if existed { "Edited" } else { "Added" };
    Ok(format!("{verb} {} “{title}”", section.noun()))
}

/// Deletes an element; a category takes its own escalation rule and rotation
/// with it. Refused, naming every referrer, when anything else refers to it.
fn delete(
    plan: &mut Plan,
    section: Section,
    key: &str,
    touched: &mut Vec<(Section, String)>,
) -> Result<String> {
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
                touched.push((owned, key.to_owned()));
            }
        }
    }
    elements::put(plan, section, key, None)?;
    touched.push((section, key.to_owned()));
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
