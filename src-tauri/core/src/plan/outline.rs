//! What the window's frame and its first page show of a plan, without the
//! plan: its details, its exercise policy, each section's size and who is on
//! its teams. A large plan is tens of megabytes as JSON; its outline is the
//! people's names and a few numbers, so the Overview is drawn without moving
//! and parsing the rest (a section's page asks for the plan when opened).

use serde::Serialize;
use ts_rs::TS;

use super::model::{ExercisePolicy, Plan, PlanMeta};
use super::Id;

/// What the frame and the Overview show of a plan: its details, its
/// exercise policy, each section's size and its people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanOutline {
    pub meta: PlanMeta,
    pub exercise_policy: ExercisePolicy,
    pub counts: SectionCounts,
    /// Everyone on the core team, then the extended team, in the plan's order.
    pub people: Vec<Person>,
}

/// How many entries each of the seven sections holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SectionCounts {
    pub issues: u32,
    pub procedures: u32,
    pub escalation: u32,
    pub core_team: u32,
    pub extended_team: u32,
    pub communications: u32,
    pub decisions: u32,
}

/// A contact of either team, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: Id,
    pub name: String,
}

/// `plan`'s outline.
pub fn outline(plan: &Plan) -> PlanOutline {
    // A section holds far fewer than 4 billion entries (the store refuses
    // plans that large long before); saturate rather than wrap if not.
    let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
    let people = plan
        .core_team
        .iter()
        .map(|m| (&m.id, &m.name))
        .chain(plan.extended_team.iter().map(|c| (&c.id, &c.name)))
        .map(|(id, name)| Person {
            id: id.clone(),
            name: name.clone(),
        })
        .collect();
    PlanOutline {
        meta: plan.meta.clone(),
        exercise_policy: plan.exercise_policy.clone(),
        counts: SectionCounts {
            issues: n(plan.issues.len()),
            procedures: n(plan.procedures.len()),
            escalation: n(plan.escalation.len()),
            core_team: n(plan.core_team.len()),
            extended_team: n(plan.extended_team.len()),
            communications: n(plan.communications.len()),
            decisions: n(plan.decisions.len()),
        },
        people,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, Size};
    use crate::starter;

    #[test]
    fn the_outline_counts_every_section_and_names_both_teams_in_order() {
        let plan = starter::plan(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default());
        let o = outline(&plan);
        assert_eq!(o.meta, plan.meta);
        assert_eq!(o.exercise_policy, plan.exercise_policy);
        assert_eq!(o.counts.issues as usize, plan.issues.len());
        assert_eq!(o.counts.procedures as usize, plan.procedures.len());
        assert_eq!(o.counts.escalation as usize, plan.escalation.len());
        assert_eq!(o.counts.core_team as usize, plan.core_team.len());
        assert_eq!(o.counts.extended_team as usize, plan.extended_team.len());
        assert_eq!(o.counts.communications as usize, plan.communications.len());
        assert_eq!(o.counts.decisions as usize, plan.decisions.len());
        let ids: Vec<&Id> = o.people.iter().map(|p| &p.id).collect();
        let expected: Vec<&Id> = plan
            .core_team
            .iter()
            .map(|m| &m.id)
            .chain(plan.extended_team.iter().map(|c| &c.id))
            .collect();
        assert_eq!(ids, expected);
        assert!(o.people.iter().all(|p| !p.name.is_empty()));
    }

    #[test]
    fn a_large_plans_outline_is_a_sliver_of_the_plan() {
        let plan = generate::plan(
            Size {
                issues: 2000,
                procedures: 2000,
                steps_per_procedure: 8,
                contacts: 1000,
            },
            7,
        );
        let whole = serde_json::to_vec(&plan).map(|v| v.len()).unwrap_or(0);
        let part = serde_json::to_vec(&outline(&plan))
            .map(|v| v.len())
            .unwrap_or(usize::MAX);
        assert_eq!(outline(&plan).counts.issues, 2000);
        assert!(
            part * 20 < whole,
            "outline {part} bytes of a {whole}-byte plan"
        );
    }
}
