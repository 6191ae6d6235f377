//! Paging worked out from the plan, the incident and the clock: who is
//! called when, what stops it, and that nobody else is bothered.

use chrono::{Duration, NaiveDate};

use super::*;
use crate::deadline::{self, concern};
use crate::incident::escalation;
use crate::incident::model::{
    Acknowledgement, IncidentId, Notified, Phase, PhaseTime, ACKNOWLEDGED,
};
use crate::incident::view;
use crate::plan::{id, OnCallOverride, Severity};
use crate::starter;
use crate::testing::utc;

const DECLARED: &str = "2026-03-04T10:00:00Z";

/// The starter plan, where a hacker attack pages after 5 minutes; Dara is
/// on call (an override), Ada is the rotation's backup, and Chloe also owns
/// the category.
fn plan() -> Plan {
    let mut plan = starter::plan(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default());
    let rotation = plan
        .on_call
        .iter_mut()
        .find(|r| r.category.as_str() == "hacker-attack")
        .unwrap_or_else(|| panic!("the starter plan has a hacker-attack rotation"));
    rotation.members = vec![id("dara-mock"), id("ada-example")];
    rotation.overrides = vec![OnCallOverride {
        member: id("dara-mock"),
        from: utc("2026-03-04T00:00:00Z"),
        until: utc("2026-03-05T00:00:00Z"),
        note: String::new(),
    }];
    if let Some(chloe) = plan
        .core_team
        .iter_mut()
        .find(|m| m.id.as_str() == "chloe-demo")
    {
        chloe.categories.push(id("hacker-attack"));
    }
    plan
}

/// A hacker attack declared at DECLARED, escalated as the plan says.
fn incident(plan: &Plan) -> Incident {
    let at = utc(DECLARED);
    let escalations = escalation::recipients(plan, &id("hacker-attack"), Phase::Detected, at)
        .into_iter()
        .map(|recipient| Escalation {
            phase: Phase::Detected,
            at,
            recipient,
            notified: None,
        })
        .collect();
    Incident {
        id: IncidentId("INC-7K2QF".to_owned()),
        title: "Drained pool".to_owned(),
        issue: None,
        category: id("hacker-attack"),
        severity: Severity::S1,
        exercise: false,
        description: String::new(),
        phase: Phase::Detected,
        declared_at: at,
        declared_by: "Ben Sample".to_owned(),
        phases: vec![PhaseTime {
            phase: Phase::Detected,
            at,
            by: "Ben Sample".to_owned(),
        }],
        opened_at: at,
        resolved_at: None,
        roles: vec![],
        procedures: vec![],
        steps: vec![],
        escalations,
        acknowledgements: vec![],
        updates: vec![],
        waivers: vec![],
        publications: vec![],
        reminders: vec![],
        event_count: 1,
        last_event_at: at,
    }
}

fn after(minutes: i64) -> DateTime<Utc> {
    utc(DECLARED) + Duration::minutes(minutes)
}

fn pages_of(plan: &Plan, incident: &Incident) -> Vec<(u32, i64, Vec<String>)> {
    let groups = deadline::escalation_groups(incident);
    let group = groups.first().cloned().unwrap_or_default();
    pages(plan, incident, &group)
        .into_iter()
        .map(|p| {
            let minutes = (p.at - utc(DECLARED)).num_minutes();
            let who = p.contacts.iter().map(ToString::to_string).collect();
            (p.stage, minutes, who)
        })
        .collect()
}

fn acknowledged(incident: &mut Incident, who: &str, minutes: i64) {
    incident.acknowledgements.push(Acknowledgement {
        contact: id(who),
        at: after(minutes),
    });
}

#[test]
fn an_unanswered_call_goes_again_then_to_the_backup_then_to_the_other_owners() {
    let plan = plan();
    let incident = incident(&plan);
    let called: Vec<&str> = incident
        .escalations
        .iter()
        .map(|e| e.recipient.contact.as_str())
        .collect();
    assert_eq!(called, ["dara-mock"], "the person on call is called first");
    assert_eq!(
        pages_of(&plan, &incident),
        [
            (1, 5, vec!["dara-mock".to_owned()]),
            (2, 10, vec!["ada-example".to_owned()]),
            (3, 15, vec!["chloe-demo".to_owned()]),
        ]
    );
    let berlin = chrono_tz::Europe::Berlin;

    let early = deadline::agenda(&plan, std::slice::from_ref(&incident), after(4), berlin);
    assert!(early.due.iter().all(|d| !d.key.starts_with("page:")));
    assert_eq!(
        early.next_at,
        Some(after(5)),
        "the scheduler wakes for the first page"
    );

    let later = deadline::agenda(&plan, std::slice::from_ref(&incident), after(11), berlin);
    let pages: Vec<&deadline::DueItem> = later
        .due
        .iter()
        .filter(|d| d.key.starts_with("page:"))
        .collect();
    let keys: Vec<&str> = pages.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["page:INC-7K2QF:1:1", "page:INC-7K2QF:1:2"]);
    assert!(pages.iter().all(|d| d.critical));
    assert_eq!(
        pages[1].title,
        "INC-7K2QF Drained pool: Dara Mock has not acknowledged — paging Ada Example"
    );
    assert!(
        pages[1].body.contains("Dara Mock was called at 11:00"),
        "{}",
        pages[1].body
    );

    // Each page pops up for the people it calls — "you are paged", with
    // Acknowledge — and for nobody else while nobody leads.
    let ada = concern::for_person(pages[1], &incident, &plan, &id("ada-example"))
        .unwrap_or_else(|| panic!("the backup is paged"));
    assert_eq!(
        ada.title,
        "INC-7K2QF Drained pool: you are paged (detected)"
    );
    assert!(concern::is_call(&ada));
    for nobody in ["chloe-demo", "ben-sample", "dara-mock"] {
        assert_eq!(
            concern::for_person(pages[1], &incident, &plan, &id(nobody)),
            None,
            "{nobody} was bothered by Ada's page"
        );
    }

    // Whom paging has reached may acknowledge; the others not yet.
    assert!(view::calls(&plan, &incident, &id("ada-example"), after(11)));
    assert!(!view::calls(&plan, &incident, &id("chloe-demo"), after(11)));
    assert!(view::calls(&plan, &incident, &id("chloe-demo"), after(16)));
    assert!(!view::calls(&plan, &incident, &id("ben-sample"), after(60)));
}

#[test]
fn an_acknowledgement_by_anyone_called_stops_paging() {
    let plan = plan();

    let mut by_backup = incident(&plan);
    acknowledged(&mut by_backup, "ada-example", 12);
    assert_eq!(pages_of(&plan, &by_backup), []);
    let agenda = deadline::agenda(
        &plan,
        std::slice::from_ref(&by_backup),
        after(20),
        chrono_tz::UTC,
    );
    assert!(agenda
        .due
        .iter()
        .chain(&agenda.upcoming)
        .all(|d| !d.key.starts_with("page:")));
    for person in ["ada-example", "chloe-demo"] {
        assert!(!view::calls(&plan, &by_backup, &id(person), after(20)));
    }

    // The person on call answering (the fold marks them notified too).
    let mut by_on_call = incident(&plan);
    acknowledged(&mut by_on_call, "dara-mock", 3);
    assert_eq!(pages_of(&plan, &by_on_call), []);
    let mut marked = incident(&plan);
    if let Some(e) = marked.escalations.first_mut() {
        e.notified = Some(Notified {
            at: after(2),
            by: "Ben Sample".to_owned(),
            channel: "phone".to_owned(),
        });
    }
    assert_eq!(pages_of(&plan, &marked), [], "marked notified by the lead");

    // An acknowledgement from someone not called yet is no answer.
    let mut early = incident(&plan);
    acknowledged(&mut early, "chloe-demo", 6);
    assert_eq!(pages_of(&plan, &early).len(), 3);
    assert_eq!(ACKNOWLEDGED, "acknowledged in Muster");
}

#[test]
fn no_paging_without_a_time_or_a_rotation() {
    let mut plan = plan();
    let incident = incident(&plan);
    for rule in &mut plan.escalation {
        rule.page_after_minutes = None;
    }
    assert_eq!(pages_of(&plan, &incident), []);

    // Without a rotation every owner is called at once: nobody to page.
    let mut plan = self::plan();
    plan.on_call
        .retain(|r| r.category.as_str() != "hacker-attack");
    let everyone = self::incident(&plan);
    assert!(everyone.escalations.iter().all(|e| !e.recipient.on_call));
    assert_eq!(pages_of(&plan, &everyone), []);
}
