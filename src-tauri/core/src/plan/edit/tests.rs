//! Edits on an in-memory plan: what each changes, and what is refused.

use chrono::NaiveDate;

use super::*;
use crate::plan::{elements, id, validate};
use crate::starter;

fn plan() -> Plan {
    starter::plan(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default())
}

/// Applies `edit` to a copy of `plan`; the copy and what changed.
fn applied(plan: &Plan, edit: PlanEdit) -> (Plan, Applied) {
    let mut copy = plan.clone();
    let applied = apply(&mut copy, &edit).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    (copy, applied)
}

/// The refusal message; the plan must come back untouched.
fn refused(plan: &Plan, edit: PlanEdit) -> String {
    let mut copy = plan.clone();
    let result = apply(&mut copy, &edit);
    assert_eq!(&copy, plan, "a refused edit changed the plan");
    match result {
        Err(Error::Refused(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn saving_an_existing_element_replaces_it_in_place() {
    let old = plan();
    let mut issue = old.issues[3].clone();
    issue.title = "Gas spike (edited)".into();
    let (new, applied) = applied(
        &old,
        PlanEdit::SaveIssue {
            issue: issue.clone(),
            position: None,
        },
    );
    assert_eq!(new.issues[3], issue);
    assert_eq!(new.issues.len(), old.issues.len());
    let changed: Vec<(Section, &str)> = applied
        .changes
        .elements
        .iter()
        .map(|c| (c.section, c.key.as_str()))
        .collect();
    assert_eq!(changed, vec![(Section::Issues, issue.id.as_str())]);
    assert!(applied.changes.orders.is_empty());
    assert_eq!(applied.summary, "Edited issue “Gas spike (edited)”");
}

#[test]
fn saving_a_new_element_inserts_it_where_asked() {
    let old = plan();
    let mut category = old.categories[0].clone();
    category.id = id("governance");
    category.name = "Governance".into();
    let (new, applied) = applied(
        &old,
        PlanEdit::SaveCategory {
            category,
            position: Some(1),
        },
    );
    let keys = elements::keys(&new, Section::Categories);
    assert_eq!(keys[1], "governance");
    assert_eq!(applied.summary, "Added category “Governance”");
}

#[test]
fn deleting_a_referenced_contact_is_refused_naming_every_referrer() {
    let message = refused(
        &plan(),
        PlanEdit::Delete {
            section: Section::CoreTeam,
            key: "ada-example".into(),
        },
    );
    assert!(message.starts_with("cannot delete core member “Ada Example”: decision “Pause contract” requires their approval"), "{message}");
    assert!(
        message.contains("the on-call rotation for “Hacker attack” includes them"),
        "{message}"
    );
    assert!(message.ends_with("Change those first"), "{message}");
}

#[test]
fn deleting_a_decision_a_step_needs_is_refused() {
    let message = refused(
        &plan(),
        PlanEdit::Delete {
            section: Section::Decisions,
            key: "pause-contract".into(),
        },
    );
    assert!(
        message.starts_with("cannot delete decision policy “Pause contract”: step “Pause the lending pool” of procedure “Contain an active exploit” needs it; "),
        "{message}"
    );
}

#[test]
fn deleting_an_issue_a_procedure_answers_is_refused() {
    let message = refused(
        &plan(),
        PlanEdit::Delete {
            section: Section::Issues,
            key: "oracle-failure".into(),
        },
    );
    assert!(message.contains("answers it"), "{message}");
}

#[test]
fn deleting_a_category_takes_its_escalation_rule_and_rotation_along() {
    let mut p = plan();
    // Empty the category first: nothing else may refer to it.
    let cat = id("hacker-attack");
    let issues: Vec<Id> = p
        .issues
        .iter()
        .filter(|i| i.category == cat)
        .map(|i| i.id.clone())
        .collect();
    p.issues.retain(|i| i.category != cat);
    p.procedures
        .iter_mut()
        .for_each(|pr| pr.issues.retain(|i| !issues.contains(i)));
    p.core_team
        .iter_mut()
        .for_each(|m| m.categories.retain(|c| c != &cat));
    p.communications
        .iter_mut()
        .for_each(|r| r.categories.retain(|c| c != &cat));
    assert_eq!(validate(&p), vec![]);

    let (new, applied) = applied(
        &p,
        PlanEdit::Delete {
            section: Section::Categories,
            key: cat.to_string(),
        },
    );

    assert!(new.escalation.iter().all(|r| r.category != cat));
    assert!(new.on_call.iter().all(|r| r.category != cat));
    assert_eq!(validate(&new), vec![]);
    assert_eq!(applied.changes.elements.len(), 3);
}

#[test]
fn the_singletons_cannot_be_deleted() {
    let message = refused(
        &plan(),
        PlanEdit::Delete {
            section: Section::Meta,
            key: String::new(),
        },
    );
    assert_eq!(message, "the plan details cannot be deleted");
}

#[test]
fn moving_reorders_the_section() {
    let old = plan();
    let last = old.issues.len() as u32 - 1;
    let (new, applied) = applied(
        &old,
        PlanEdit::Move {
            section: Section::Issues,
            key: "protocol-ddos".into(),
            to: last,
        },
    );
    assert_eq!(
        new.issues.last().map(|i| i.id.as_str()),
        Some("protocol-ddos")
    );
    assert_eq!(new.issues[0].id.as_str(), old.issues[1].id.as_str());
    // A move changes no element, only the section's order.
    assert!(applied.changes.elements.is_empty());
    assert_eq!(applied.changes.orders.len(), 1);
    assert_eq!(
        applied.summary,
        format!("Moved issue “{}”", old.issues[0].title)
    );
}

#[test]
fn mark_verified_sets_the_date_on_either_team() {
    let on = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    let (new, applied) = applied(
        &plan(),
        PlanEdit::MarkVerified {
            contact: id("eli-forum"),
            on,
        },
    );
    assert_eq!(applied.changes.elements.len(), 1);
    let eli = new
        .extended_team
        .iter()
        .find(|c| c.id.as_str() == "eli-forum");
    assert_eq!(eli.and_then(|c| c.last_verified), Some(on));
    let missing = apply(
        &mut plan(),
        &PlanEdit::MarkVerified {
            contact: id("nobody"),
            on,
        },
    );
    assert!(matches!(missing, Err(Error::NotFound { .. })));
}

#[test]
fn a_change_set_applies_forward_and_backward_exactly() {
    let old = plan();
    let mut new = old.clone();
    new.issues.remove(2);
    new.issues.swap(0, 3);
    new.categories[1].name = "Renamed".into();
    let mut added = new.decisions[0].clone();
    added.id = id("new-decision");
    new.decisions.insert(1, added);
    new.meta.summary = "changed".into();

    let changes = elements::diff(&old, &new, None);

    let mut forward = old.clone();
    changes.apply(&mut forward, true).unwrap();
    assert_eq!(forward, new);
    let mut backward = new.clone();
    changes.apply(&mut backward, false).unwrap();
    assert_eq!(backward, old);
    let mut inverted = new;
    changes.inverted().apply(&mut inverted, true).unwrap();
    assert_eq!(inverted, old);
}

#[test]
fn checking_an_edit_names_every_problem_and_changes_nothing() {
    let old = plan();
    let mut member = old.core_team[0].clone();
    member.name = " ".into();
    member.reach.email = Some("ada@example.com?bcc=eve@evil.example".into());
    member.categories.push(id("no-such-category"));
    let edit = PlanEdit::SaveCoreMember {
        member,
        position: None,
    };
    let copy = old.clone();
    let problems = check(&copy, &edit).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(copy, old, "a check changed the plan");
    let fields: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.location.element.as_str(), p.location.field))
        .collect();
    assert_eq!(
        fields,
        [
            ("ada-example", "name"),
            ("ada-example", "email"),
            ("ada-example", "categories")
        ]
    );
    let sound = PlanEdit::SaveCoreMember {
        member: old.core_team[0].clone(),
        position: None,
    };
    assert_eq!(check(&old, &sound).ok(), Some(vec![]));
    let missing = PlanEdit::Delete {
        section: Section::Issues,
        key: "no-such-issue".into(),
    };
    assert!(check(&old, &missing).is_err());
}
