//! Whom a due item is for on a team's laptops: the lead tells people, each
//! person called hears "you are called", an update goes to whoever is
//! responsible for it; without a lead, everyone hears the escalation.

use super::*;
use crate::deadline::concern::for_person;
use crate::incident::model::{Role, RoleAssignment};

fn led_by(incident: Incident, lead: &str) -> Incident {
    incident.with(|i| {
        i.roles.push(RoleAssignment {
            role: Role::Lead,
            contact: id(lead),
            name: lead.to_owned(),
        })
    })
}

#[test]
fn each_person_gets_what_they_must_act_on_worded_for_them() {
    // Everyone here has a key, so each runs Muster on a laptop.
    let mut plan = crate::fixtures::with_keys(hourly(), None);
    plan.communications[0].responsible = None;
    let incident = led_by(escalated(), "chloe-demo");
    let agenda = agenda(
        &plan,
        std::slice::from_ref(&incident),
        utc("2026-03-02T12:00:30Z"),
        Berlin,
    );
    let escalation = agenda
        .due
        .iter()
        .find(|d| matches!(d.kind, DueKind::Escalation { .. }))
        .unwrap();
    // The lead tells people: the item as it is.
    assert_eq!(
        for_person(escalation, &incident, &plan, &id("chloe-demo")).as_ref(),
        Some(escalation)
    );
    // Ben is called: his own item, under its own key.
    let called = for_person(escalation, &incident, &plan, &id("ben-sample")).unwrap();
    assert_eq!(
        called.title,
        "INC-1 Oracle failure: you are called (detected)"
    );
    assert!(called.body.starts_with("S2 "), "{}", called.body);
    assert!(called.key.ends_with(":called:ben-sample"));
    assert!(called.critical);
    // Dara is neither the lead nor called: nothing for her.
    assert_eq!(
        for_person(escalation, &incident, &plan, &id("dara-mock")),
        None
    );
    // Without a lead, everyone hears it: somebody must take it.
    let unled = escalated();
    assert!(for_person(escalation, &unled, &plan, &id("dara-mock")).is_some());

    // An update with nobody responsible goes to the lead only.
    let update = agenda
        .due
        .iter()
        .chain(&agenda.upcoming)
        .find(|d| matches!(d.kind, DueKind::Update { .. }))
        .unwrap();
    assert!(for_person(update, &incident, &plan, &id("chloe-demo")).is_some());
    assert_eq!(
        for_person(update, &incident, &plan, &id("ben-sample")),
        None
    );
    // The rule's responsible person takes it over from the lead.
    let mut owned = plan.clone();
    owned.communications[0].responsible = Some(id("ben-sample"));
    assert!(for_person(update, &incident, &owned, &id("ben-sample")).is_some());
    assert_eq!(
        for_person(update, &incident, &owned, &id("chloe-demo")),
        None
    );

    // A lead who runs no Muster (no key) cannot be the one asked: everyone is.
    let keyless = hourly();
    assert_eq!(
        for_person(escalation, &incident, &keyless, &id("dara-mock")).as_ref(),
        Some(escalation)
    );
}
