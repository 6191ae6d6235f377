//! Tests of escalation: the starter plan's matrix phase by phase, then small
//! plans for the rotation, owner and no-rule cases and a DST hand-over.

use chrono::{NaiveDate, NaiveTime};

use super::*;
use crate::plan::{id, Category, EscalationRule, ExtendedContact, OnCallRotation, Reach, Weekday};
use crate::starter;
use crate::testing::utc;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is a date"))
}

/// Each recipient as `team:id`, with ` (on call)` when chosen by the rotation.
fn show(recipients: &[Recipient]) -> Vec<String> {
    recipients
        .iter()
        .map(|r| {
            let on_call = if r.on_call { " (on call)" } else { "" };
            format!("{}:{}{on_call}", r.team.as_str(), r.contact)
        })
        .collect()
}

const EXTENDED: &[&str] = &[
    "extended:brightline-security",
    "extended:eli-forum",
    "extended:metro-cyber-crime-unit",
    "extended:example-security-response-group",
    "extended:example-exchange-security",
];

#[test]
fn the_starter_plan_escalates_by_its_matrix_owners_and_rotations() {
    // Seeded on Thursday 2026-01-15; its rotations started on 2026-01-01 and
    // hand over on Mondays at 09:00 London time: from 2026-01-12 the second
    // member of each is on call.
    let plan = starter::plan(date(2026, 1, 15));
    let at = utc("2026-01-15T12:00:00Z");
    use Phase::*;
    let cases: &[(&str, Phase, &[&str])] = &[
        // Hacker attack: core upon detection (rotation: Dara, then Ada), extended upon validation.
        ("hacker-attack", Detected, &["core:ada-example (on call)"]),
        ("hacker-attack", Validated, EXTENDED),
        ("hacker-attack", Mitigated, &[]),
        ("hacker-attack", Resolved, &[]),
        ("hacker-attack", Closed, &[]),
        // Network problem: core upon detection (rotation: Dara, then Ben), extended upon resolution.
        ("network-problem", Detected, &["core:ben-sample (on call)"]),
        ("network-problem", Validated, &[]),
        ("network-problem", Mitigated, &[]),
        ("network-problem", Resolved, EXTENDED),
        ("network-problem", Closed, &[]),
        // Protocol problem: no rotation, so its owners Ada and Dara; extended upon validation.
        (
            "protocol-problem",
            Detected,
            &["core:ada-example", "core:dara-mock"],
        ),
        ("protocol-problem", Validated, EXTENDED),
        ("protocol-problem", Mitigated, &[]),
        ("protocol-problem", Resolved, &[]),
        ("protocol-problem", Closed, &[]),
        // Operational problem: owners Ben and Chloe; extended upon validation.
        (
            "operational-problem",
            Detected,
            &["core:ben-sample", "core:chloe-demo"],
        ),
        ("operational-problem", Validated, EXTENDED),
        ("operational-problem", Mitigated, &[]),
        ("operational-problem", Resolved, &[]),
        ("operational-problem", Closed, &[]),
    ];
    assert_eq!(
        cases.len(),
        plan.categories.len() * Phase::ALL.len(),
        "every category × phase"
    );
    for (category, phase, expected) in cases {
        let got = recipients(&plan, &id(category), *phase, at);
        assert_eq!(show(&got), *expected, "{category} {phase:?}");
    }
}

#[test]
fn recipients_carry_the_contacts_details_from_the_plan() {
    let plan = starter::plan(date(2026, 1, 15));
    let got = recipients(
        &plan,
        &id("protocol-problem"),
        Phase::Detected,
        utc("2026-01-15T12:00:00Z"),
    );
    let ada = &plan.core_team[0];
    assert_eq!(
        got.first(),
        Some(&Recipient {
            contact: ada.id.clone(),
            name: ada.name.clone(),
            team: Team::Core,
            role: ada.role.clone(),
            reach: ada.reach.clone(),
            on_call: false,
        })
    );
}

fn member(id_: &str, owns: &[&str]) -> CoreMember {
    CoreMember {
        id: id(id_),
        name: id_.to_uppercase(),
        role: "Responder".to_owned(),
        categories: owns.iter().copied().map(id).collect(),
        reach: Reach::default(),
        public_key: None,
        retired_keys: Vec::new(),
        last_verified: None,
    }
}

fn outsider(id_: &str) -> ExtendedContact {
    ExtendedContact {
        id: id(id_),
        name: id_.to_uppercase(),
        role: "Helper".to_owned(),
        reach: Reach::default(),
        last_verified: None,
    }
}

/// Category `c` escalated to core upon detection and extended upon
/// validation; Ada and Ben rotate on Sundays at 09:00 Berlin time from
/// 2026-03-01; Chloe owns `c`; Dara owns nothing.
fn small_plan() -> Plan {
    let mut plan = Plan::empty();
    plan.categories.push(Category {
        id: id("c"),
        name: "C".to_owned(),
        description: String::new(),
    });
    plan.escalation.push(EscalationRule {
        category: id("c"),
        core: NotifyWhen::UponDetection,
        extended: NotifyWhen::UponValidation,
        page_after_minutes: None,
    });
    plan.core_team = vec![
        member("ada", &[]),
        member("ben", &[]),
        member("chloe", &["c"]),
        member("dara", &[]),
    ];
    plan.extended_team = vec![outsider("xena"), outsider("yves")];
    plan.on_call.push(OnCallRotation {
        category: id("c"),
        members: vec![id("ada"), id("ben")],
        handover_day: Weekday::Sunday,
        handover_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        time_zone: "Europe/Berlin".to_owned(),
        starts_on: date(2026, 3, 1),
        overrides: Vec::new(),
    });
    plan
}

fn check(plan: &Plan, phase: Phase, cases: &[(&str, &[&str])]) {
    for (at, expected) in cases {
        let got = recipients(plan, &id("c"), phase, utc(at));
        assert_eq!(show(&got), *expected, "{phase:?} at {at}");
    }
}

#[test]
fn the_rotation_names_only_the_member_on_call() {
    check(
        &small_plan(),
        Phase::Detected,
        &[
            ("2026-03-01T08:00:00Z", &["core:ada (on call)"]),
            ("2026-03-08T08:00:00Z", &["core:ben (on call)"]),
        ],
    );
}

#[test]
fn with_nobody_on_call_the_owners_are_told() {
    let mut unknown_member = small_plan();
    unknown_member.on_call[0].members = vec![id("someone-gone")];
    check(
        &small_plan(),
        Phase::Detected,
        &[("2026-02-01T00:00:00Z", &["core:chloe"])], // before the first hand-over
    );
    check(
        &unknown_member,
        Phase::Detected,
        &[("2026-03-02T00:00:00Z", &["core:chloe"])],
    );
}

#[test]
fn with_no_rotation_and_no_owner_the_whole_core_team_is_told() {
    let mut plan = small_plan();
    plan.on_call.clear();
    plan.core_team[2].categories.clear();
    check(
        &plan,
        Phase::Detected,
        &[(
            "2026-03-02T00:00:00Z",
            &["core:ada", "core:ben", "core:chloe", "core:dara"],
        )],
    );
}

#[test]
fn the_extended_team_is_told_when_its_rule_says_so_after_the_core() {
    let mut plan = small_plan();
    check(
        &plan,
        Phase::Validated,
        &[("2026-03-02T00:00:00Z", &["extended:xena", "extended:yves"])],
    );
    plan.escalation[0].extended = NotifyWhen::UponDetection;
    check(
        &plan,
        Phase::Detected,
        &[(
            "2026-03-02T00:00:00Z",
            &["core:ada (on call)", "extended:xena", "extended:yves"],
        )],
    );
    plan.escalation[0].extended = NotifyWhen::Never;
    check(&plan, Phase::Validated, &[("2026-03-02T00:00:00Z", &[])]);
}

#[test]
fn mitigation_closure_and_a_category_without_a_rule_notify_nobody() {
    let plan = small_plan();
    let at = utc("2026-03-02T00:00:00Z");
    let mut all_phases = small_plan();
    all_phases.escalation[0].core = NotifyWhen::UponResolution;
    for phase in [Phase::Mitigated, Phase::Closed] {
        assert_eq!(recipients(&all_phases, &id("c"), phase, at), vec![]);
    }
    for phase in Phase::ALL {
        assert_eq!(
            recipients(&plan, &id("other"), phase, at),
            vec![],
            "{phase:?}"
        );
    }
    assert_eq!(
        show(&recipients(&all_phases, &id("c"), Phase::Resolved, at)),
        ["core:ada (on call)"]
    );
}

#[test]
fn a_dst_handover_picks_the_right_member_just_before_and_after() {
    // Hand-overs on Sundays at 09:00 Berlin time: Ada from 1 March, Ben from 8
    // March, ... Ada again from 29 March, the day summer time starts (09:00
    // CEST = 07:00 UTC), and Ada again from 25 October, the day it ends
    // (09:00 CET = 08:00 UTC).
    check(
        &small_plan(),
        Phase::Detected,
        &[
            ("2026-03-29T06:59:59Z", &["core:ben (on call)"]),
            ("2026-03-29T07:00:00Z", &["core:ada (on call)"]),
            ("2026-03-29T07:30:00Z", &["core:ada (on call)"]),
            ("2026-10-25T07:30:00Z", &["core:ben (on call)"]),
            ("2026-10-25T07:59:59Z", &["core:ben (on call)"]),
            ("2026-10-25T08:00:00Z", &["core:ada (on call)"]),
        ],
    );
}

#[test]
fn entering_several_phases_requires_each_ones_escalation_once() {
    let mut plan = small_plan();
    plan.escalation[0].core = NotifyWhen::UponResolution;
    // Ben is in both teams under the same id: told once, as first seen (the
    // extended team's validation comes before the core's resolution).
    plan.extended_team.insert(0, outsider("ben"));
    let at = utc("2026-03-08T08:00:00Z"); // Ben's week
    let cases: &[(Phase, Phase, &[&str])] = &[
        (
            Phase::Detected,
            Phase::Resolved,
            &["extended:ben", "extended:xena", "extended:yves"],
        ),
        (Phase::Validated, Phase::Resolved, &["core:ben (on call)"]),
        (
            Phase::Detected,
            Phase::Mitigated,
            &["extended:ben", "extended:xena", "extended:yves"],
        ),
        (Phase::Resolved, Phase::Closed, &[]),
        // A reopen enters Validated again.
        (
            Phase::Closed,
            Phase::Validated,
            &["extended:ben", "extended:xena", "extended:yves"],
        ),
    ];
    for (from, to, expected) in cases {
        let got = entering(&plan, &id("c"), *from, *to, at);
        assert_eq!(show(&got), *expected, "{from:?} → {to:?}");
    }
}
