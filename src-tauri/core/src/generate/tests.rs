//! Tests of the generate module.
use std::collections::HashSet;

use super::*;
use crate::plan::validate;

const SMALL: Size = Size {
    issues: 12,
    procedures: 15,
    steps_per_procedure: 4,
    contacts: 9,
};

fn problems(plan: &Plan) -> Vec<String> {
    validate(plan).iter().map(ToString::to_string).collect()
}

#[test]
fn a_small_plan_is_valid_and_has_the_size_asked_for() {
    let plan = plan(SMALL, 7);
    assert_eq!(problems(&plan), Vec::<String>::new());
    assert_eq!(plan.issues.len(), 12);
    assert_eq!(plan.procedures.len(), 15);
    assert!(plan.procedures.iter().all(|p| p.steps.len() == 4));
    assert_eq!(plan.core_team.len() + plan.extended_team.len(), 9);
    assert_eq!(plan.core_team.len(), 3);
    assert_eq!(plan.categories.len(), 8);
    assert_eq!(plan.escalation.len(), 8);
    assert_eq!(plan.decisions.len(), 4);
}

#[test]
fn a_large_plan_is_valid() {
    let size = Size {
        issues: 2000,
        procedures: 2000,
        steps_per_procedure: 6,
        contacts: 600,
    };
    let plan = plan(size, 42);
    assert_eq!(problems(&plan), Vec::<String>::new());
    assert_eq!(plan.issues.len(), 2000);
    assert_eq!(plan.issues[41].id.as_str(), "issue-00042");
    assert!(plan.procedures.iter().any(|p| p.issues.len() == 3));
    assert!(plan
        .procedures
        .iter()
        .all(|p| (1..=3).contains(&p.issues.len())));
    let stepped_decisions = plan
        .procedures
        .iter()
        .flat_map(|p| &p.steps)
        .filter(|s| s.decision.is_some())
        .count();
    assert!(stepped_decisions > 0);
}

#[test]
fn every_issue_has_a_procedure_when_there_are_enough() {
    let plan = plan(SMALL, 3);
    let covered: HashSet<&Id> = plan.procedures.iter().flat_map(|p| &p.issues).collect();
    assert!(plan.issues.iter().all(|i| covered.contains(&i.id)));
}

#[test]
fn degenerate_sizes_are_still_valid() {
    for size in [
        Size {
            issues: 0,
            procedures: 0,
            steps_per_procedure: 0,
            contacts: 0,
        },
        Size {
            issues: 0,
            procedures: 3,
            steps_per_procedure: 2,
            contacts: 1,
        },
        Size {
            issues: 5,
            procedures: 1,
            steps_per_procedure: 1,
            contacts: 2,
        },
    ] {
        assert_eq!(problems(&plan(size, 1)), Vec::<String>::new(), "{size:?}");
    }
}

#[test]
fn the_same_seed_gives_the_same_plan_and_another_seed_another() {
    assert_eq!(plan(SMALL, 11), plan(SMALL, 11));
    assert_ne!(plan(SMALL, 11), plan(SMALL, 12));
}

#[test]
fn the_vocabulary_has_about_two_hundred_distinct_words() {
    let distinct: HashSet<&&str> = WORDS.iter().collect();
    assert_eq!(distinct.len(), WORDS.len());
    assert!((180..=220).contains(&WORDS.len()), "{}", WORDS.len());
}

#[test]
fn text_lengths_are_realistic() {
    let plan = plan(SMALL, 5);
    for issue in &plan.issues {
        let title = issue.title.split(' ').count();
        let description = issue.description.split(' ').count();
        assert!((3..=6).contains(&title), "{:?}", issue.title);
        assert!((15..=40).contains(&description), "{:?}", issue.description);
    }
}
