//! A scenario prefilled from a potential issue: the moderator starts from the
//! plan's own procedures instead of a blank page.

use super::model::{ExpectedAction, Measure, Scenario, Target};
use crate::plan::{Id, Plan};

/// A scenario for `issue` keyed `key`: the title and situation from the issue
/// and its detection signals, one expected action per step of its procedures
/// (linked to the step, in order), no injects, and the usual targets: core
/// team notified within 15 minutes, and — when a step needs a decision —
/// decision quorum within 30 minutes and the action within 45. `None` when
/// the plan has no such issue.
pub fn scenario_from_issue(plan: &Plan, issue: &Id, key: &str) -> Option<Scenario> {
    let found = plan.issue(issue)?;
    let mut situation = found.description.trim().to_owned();
    let signal = found.detection.signal.trim();
    if !signal.is_empty() {
        if !situation.is_empty() {
            situation.push_str("\n\n");
        }
        situation.push_str("What you see: ");
        situation.push_str(signal);
        let source = found.detection.source.trim();
        if !source.is_empty() {
            situation.push_str(&format!(" (from {source})"));
        }
    }
    let mut expected = Vec::new();
    let mut needs_decision = false;
    for procedure in plan.procedures_for(issue) {
        for step in &procedure.steps {
            needs_decision |= step.decision.is_some();
            expected.push(ExpectedAction {
                key: format!("exp-{}", expected.len() + 1),
                text: step.action.clone(),
                procedure: Some(procedure.id.clone()),
                step: Some(step.id.clone()),
            });
        }
    }
    Some(Scenario {
        key: key.to_owned(),
        title: found.title.clone(),
        issue: Some(issue.clone()),
        category: None,
        situation,
        injects: Vec::new(),
        expected,
        targets: default_targets(needs_decision),
    })
}

/// The default targets of a scenario (see [`scenario_from_issue`]).
pub fn default_targets(needs_decision: bool) -> Vec<Target> {
    let target = |n: u32, label: &str, measure: Measure, within_minutes: u32| Target {
        key: format!("tgt-{n}"),
        label: label.to_owned(),
        measure,
        within_minutes,
        objective: None,
    };
    let mut targets = vec![target(1, "Core team notified", Measure::Escalation, 15)];
    if needs_decision {
        targets.push(target(
            2,
            "Decision quorum reached",
            Measure::DecisionQuorum,
            30,
        ));
        targets.push(target(3, "Action taken", Measure::Action, 45));
    }
    targets
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::exercise::model::{ExerciseSetup, Objective};
    use crate::exercise::validate;
    use crate::plan::id;
    use crate::starter;

    #[test]
    fn a_drafted_scenario_follows_the_issue_and_passes_the_checks() {
        let plan = starter::plan(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default());
        let s = scenario_from_issue(&plan, &id("oracle-failure"), "sc-1")
            .unwrap_or_else(|| panic!("no scenario"));
        assert_eq!(s.title, "Oracle failure");
        assert!(s.situation.contains("What you see: "));
        let steps: Vec<(Option<Id>, Option<Id>)> = plan
            .procedures_for(&id("oracle-failure"))
            .flat_map(|p| {
                p.steps
                    .iter()
                    .map(|st| (Some(p.id.clone()), Some(st.id.clone())))
            })
            .collect();
        let linked: Vec<(Option<Id>, Option<Id>)> = s
            .expected
            .iter()
            .map(|e| (e.procedure.clone(), e.step.clone()))
            .collect();
        assert_eq!(linked, steps);
        assert!(s
            .expected
            .iter()
            .any(|e| e.step == Some(id("confirm-bad-price"))));
        assert_eq!(s.expected[0].key, "exp-1");
        assert_eq!(
            s.targets
                .iter()
                .map(|t| t.within_minutes)
                .collect::<Vec<_>>(),
            [15, 30, 45]
        );
        let setup = ExerciseSetup {
            title: "Drill".to_owned(),
            date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap_or_default(),
            moderator: id("ada-example"),
            participants: Vec::new(),
            scope: String::new(),
            objectives: vec![Objective {
                key: "obj-1".to_owned(),
                text: "Pause in time".to_owned(),
            }],
            scenarios: vec![s],
        };
        assert!(validate::setup(&plan, &setup).is_ok());
        assert!(scenario_from_issue(&plan, &id("nope"), "sc-1").is_none());
        assert_eq!(default_targets(false).len(), 1);
    }
}
