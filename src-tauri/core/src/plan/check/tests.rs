//! Tests of the check module.
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};

use super::*;
use crate::plan::{id, OnCallOverride};
use crate::starter;

fn day() -> NaiveDate {
    let Some(day) = NaiveDate::from_ymd_opt(2026, 1, 15) else {
        panic!("2026-01-15 is a valid date");
    };
    day
}

/// Noon UTC on the starter plan's seed day.
fn now() -> DateTime<Utc> {
    Utc.from_utc_datetime(&day().and_time(NaiveTime::MIN)) + Duration::hours(12)
}

/// The starter plan with a signing key for each core member (the starter
/// has none: its people are examples; a key is set up on its holder's
/// laptop).
fn keyed() -> Plan {
    let mut plan = starter::plan(day());
    for (i, m) in plan.core_team.iter_mut().enumerate() {
        m.public_key = Some(crate::plan::keys::tests::key_line(i as u8 + 1, ""));
    }
    plan
}

/// The gaps in the keyed starter plan after `change`, checked at [`now`].
fn gaps(change: impl FnOnce(&mut Plan)) -> Vec<Gap> {
    let mut plan = keyed();
    change(&mut plan);
    check(&plan, now())
}

fn gap(kind: GapKind, level: GapLevel, section: Section, element: &str, message: &str) -> Gap {
    Gap {
        kind,
        level,
        section,
        element: element.to_owned(),
        message: message.to_owned(),
    }
}

use crate::testing::utc;
use GapKind::*;
use GapLevel::{Problem, Warning};

#[test]
fn the_starter_plan_has_no_gaps_on_its_seed_day_once_its_approvers_have_keys() {
    let found = gaps(|_| {});
    assert!(
        found.iter().all(|g| g.level != Problem),
        "problems: {found:#?}"
    );
    // Nor any warning: its contacts were verified that day and every issue is watched.
    assert_eq!(found, vec![]);
    // As shipped, nobody has a key yet: that, and only that, is said.
    let found = check(&starter::plan(day()), now());
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|g| g.kind == ApproverWithoutKey && g.level == Warning),
        "{found:#?}"
    );
}

#[test]
fn approver_without_key() {
    let name = |p: &Plan, id: &str| {
        p.core_team
            .iter()
            .find(|m| m.id.as_str() == id)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    let plan = keyed();
    let pause = plan
        .decisions
        .iter()
        .find(|d| d.id.as_str() == "pause-contract")
        .cloned()
        .unwrap();
    assert!(!pause.attested_allowed && !pause.required.is_empty());
    let required = pause.required[0].to_string();
    let who = name(&plan, &required);

    // A required approver without a key: the quorum cannot be signed.
    let found = gaps(|p| {
        if let Some(m) = p.core_team.iter_mut().find(|m| m.id.as_str() == required) {
            m.public_key = None;
        }
    });
    let theirs: Vec<&Gap> = found
        .iter()
        .filter(|g| g.kind == ApproverWithoutKey && g.element == "pause-contract")
        .collect();
    assert_eq!(theirs.len(), 1, "{found:#?}");
    assert_eq!(
        theirs[0].message,
        format!("Decision policy “Pause contract” (pause-contract) needs {who}, who has no signing key: the decision cannot be approved until they set up a key (Settings, on their laptop), or the policy allows attested approvals")
    );
    assert_eq!(theirs[0].level, Warning);

    // Where a witnessed call may count, the message says that instead.
    let found = gaps(|p| {
        if let Some(m) = p.core_team.iter_mut().find(|m| m.id.as_str() == required) {
            m.public_key = None;
        }
        for d in &mut p.decisions {
            d.attested_allowed = true;
        }
    });
    assert!(
        found.iter().any(|g| g.kind == ApproverWithoutKey
            && g.element == "pause-contract"
            && g.message
                .ends_with("only an attested approval — a witnessed call — can count")),
        "{found:#?}"
    );

    // A pool that needs two signers and has one with a key.
    let found = gaps(|p| {
        let pool: Vec<Id> = p.core_team.iter().take(3).map(|m| m.id.clone()).collect();
        let d = p
            .decisions
            .iter_mut()
            .find(|d| d.id.as_str() == "pause-contract")
            .unwrap();
        d.required.clear();
        d.additional = pool.clone();
        d.additional_needed = 2;
        for m in &mut p.core_team {
            if pool[1..].contains(&m.id) {
                m.public_key = None;
            }
        }
    });
    let pool: Vec<&Gap> = found
        .iter()
        .filter(|g| g.kind == ApproverWithoutKey && g.element == "pause-contract")
        .collect();
    assert_eq!(pool.len(), 1, "{found:#?}");
    assert!(
        pool[0].message.contains(
            "needs 2 of its further approvers, and only 1 of them has a signing key (none for "
        ),
        "{}",
        pool[0].message
    );
}

#[test]
fn issue_without_procedure() {
    let found = gaps(|p| {
        for proc_ in &mut p.procedures {
            proc_.issues.retain(|i| i.as_str() != "oracle-failure");
        }
    });
    assert_eq!(
        found,
        vec![gap(
            IssueWithoutProcedure,
            Problem,
            Section::Issues,
            "oracle-failure",
            "Issue “Oracle failure” (oracle-failure) has no response procedure: add one or map an existing procedure to it",
        )]
    );
}

#[test]
fn issue_without_detection() {
    let found = gaps(|p| {
        p.issues[0].detection.signal = "  ".into();
        p.issues[3].detection.source.clear();
    });
    assert_eq!(
        found,
        vec![
            gap(
                IssueWithoutDetection,
                Warning,
                Section::Issues,
                "protocol-ddos",
                "Issue “Protocol DDoS” (protocol-ddos) has no detection signal: say what shows it is happening and where that is watched",
            ),
            gap(
                IssueWithoutDetection,
                Warning,
                Section::Issues,
                "gas-price-spike",
                "Issue “Gas price spike” (gas-price-spike) says what to look for but not where it is watched: add the dashboard, alert rule or channel that shows it",
            ),
        ]
    );
}

#[test]
fn an_automated_issue_no_alert_opens_is_a_suggestion() {
    let found = gaps(|p| {
        // Watched by hand: no alert is expected.
        p.issues[1].detection.alerts.clear();
        p.issues[1].detection.monitoring = Monitoring::Manual;
        p.issues[3].detection.alerts.clear();
    });
    assert_eq!(
        found,
        vec![gap(
            AlertRuleMissing,
            GapLevel::Suggestion,
            Section::Issues,
            "gas-price-spike",
            "Issue “Gas price spike” (gas-price-spike) is watched by a monitor, but no alert rule opens it: add the labels of the monitor's alert, so the alert opens the incident",
        )]
    );
}

#[test]
fn a_step_marked_to_be_automated_without_a_command_is_a_suggestion() {
    let found = gaps(|p| {
        p.procedures[0].steps[1].automatable = true;
        p.procedures[0].steps[2].automatable = true;
        p.procedures[0].steps[2].command = Some(crate::plan::StepCommand {
            argv: vec!["true".to_owned()],
            dir: String::new(),
            timeout_seconds: 5,
            env: Vec::new(),
        });
    });
    let plan = starter::plan(day());
    let p = &plan.procedures[0];
    let key = format!("{}/{}", p.id, p.steps[1].id);
    assert_eq!(
        found,
        vec![gap(
            StepNotAutomated,
            GapLevel::Suggestion,
            Section::Procedures,
            &key,
            &format!(
                "Step “{}” ({key}) is marked to be automated but has no command: give it the command that performs it, so it can be run from the console",
                p.steps[1].action
            ),
        )]
    );
}

#[test]
fn category_without_escalation() {
    let found = gaps(|p| {
        p.escalation
            .retain(|r| r.category.as_str() != "network-problem")
    });
    assert_eq!(
        found,
        vec![gap(
            CategoryWithoutEscalation,
            Problem,
            Section::Escalation,
            "network-problem",
            "Category “Network problem” (network-problem) has no escalation rule: say when the core and extended teams are notified",
        )]
    );
}

#[test]
fn category_without_owner() {
    let found = gaps(|p| {
        for m in &mut p.core_team {
            m.categories.retain(|c| c.as_str() != "operational-problem");
        }
    });
    assert_eq!(
        found,
        vec![gap(
            CategoryWithoutOwner,
            Problem,
            Section::Categories,
            "operational-problem",
            "Category “Operational problem” (operational-problem) has no owner: add it to the categories of a core team member",
        )]
    );
}

#[test]
fn rotation_gap() {
    let found = gaps(|p| {
        // Ben owns network and operational problems, not hacker attacks.
        p.on_call[0].members.push(id("ben-sample"));
        // Starts next Monday, with an override covering only the first day.
        let network = &mut p.on_call[1];
        network.starts_on = day() + Duration::days(4);
        network.overrides.push(OnCallOverride {
            member: id("ben-sample"),
            from: utc("2026-01-15T00:00:00Z"),
            until: utc("2026-01-16T09:30:00Z"),
            note: "covering until the rotation starts".into(),
        });
        let mut protocol = network.clone();
        protocol.category = id("protocol-problem");
        protocol.members.clear();
        protocol.overrides.clear();
        let mut operational = protocol.clone();
        operational.category = id("operational-problem");
        operational.members = vec![id("ben-sample")];
        operational.time_zone = "Mars/Olympus".into();
        let mut late = operational.clone();
        late.time_zone = "Europe/London".into();
        late.starts_on = day() + Duration::days(1); // a Friday: first hand-over Monday
        p.on_call.extend([protocol, operational]);
        p.on_call.push(late);
    });
    assert_eq!(
        found,
        vec![
            gap(
                RotationGap,
                Warning,
                Section::OnCall,
                "hacker-attack",
                "On-call rotation for “Hacker attack” (hacker-attack) pages Ben Sample (ben-sample), who does not own this category: add it to their categories or take them off the rotation",
            ),
            gap(
                RotationGap,
                Problem,
                Section::OnCall,
                "network-problem",
                "On-call rotation for “Network problem” (network-problem) leaves nobody on call from 2026-01-16 09:30 UTC until its first hand-over on 2026-01-19 09:00 UTC: move the start date earlier or extend an override",
            ),
            gap(
                RotationGap,
                Problem,
                Section::OnCall,
                "protocol-problem",
                "On-call rotation for “Protocol problem” (protocol-problem) has no members, so nobody is on call: add the core members who own the category",
            ),
            // An empty rotation cannot be stored either; the check says both.
            gap(
                Invalid,
                Problem,
                Section::OnCall,
                "protocol-problem",
                "On-call rotation for “Protocol problem” (protocol-problem), members: has nobody: choose at least one core member",
            ),
            gap(
                RotationGap,
                Problem,
                Section::OnCall,
                "operational-problem",
                "On-call rotation for “Operational problem” (operational-problem) uses `Mars/Olympus`, which is not a known time zone, so nobody is on call: use an IANA name such as Europe/Berlin",
            ),
            // The duplicate rotation for the same category is invalid, and its own gap
            // is still reported, after the first one's.
            gap(
                RotationGap,
                Problem,
                Section::OnCall,
                "operational-problem",
                "On-call rotation for “Operational problem” (operational-problem) leaves nobody on call until its first hand-over on 2026-01-19 09:00 UTC: move the start date earlier or add an override until then",
            ),
            gap(
                Invalid,
                Problem,
                Section::OnCall,
                "operational-problem",
                "On-call rotation for “Operational problem” (operational-problem), category: category `operational-problem` has two on-call rotations",
            ),
        ]
    );
}

#[test]
fn approver_on_no_team() {
    let found = gaps(|p| {
        p.decisions[0].required.push(id("ghost"));
        p.decisions[1].additional.push(id("phantom"));
        p.decisions[1].additional.push(id("phantom"));
    });
    assert_eq!(
        found,
        vec![
            gap(
                ApproverOnNoTeam,
                Problem,
                Section::Decisions,
                "pause-contract",
                "Decision policy “Pause contract” (pause-contract) names `ghost` as required approver, but nobody on the core or extended team has that id: add them to a team or choose another approver",
            ),
            gap(
                ApproverOnNoTeam,
                Problem,
                Section::Decisions,
                "upgrade-contract",
                "Decision policy “Upgrade contract” (upgrade-contract) names `phantom` as additional approver, but nobody on the core or extended team has that id: add them to a team or choose another approver",
            ),
        ]
    );
}

#[test]
fn contact_unreachable() {
    let found = gaps(|p| {
        p.core_team[2].reach = Reach::default();
        p.extended_team[1].reach = Reach {
            email: Some(" ".into()),
            chat: None,
            phone: Some(String::new()),
        };
    });
    assert_eq!(
        found,
        vec![
            gap(
                ContactUnreachable,
                Problem,
                Section::CoreTeam,
                "chloe-demo",
                "Core member “Chloe Demo” (chloe-demo) has no email, chat or phone: add at least one way to reach them",
            ),
            gap(
                ContactUnreachable,
                Problem,
                Section::ExtendedTeam,
                "eli-forum",
                "Extended contact “Eli Forum” (eli-forum) has no email, chat or phone: add at least one way to reach them",
            ),
        ]
    );
}

#[test]
fn step_with_missing_decision() {
    let found = gaps(|p| p.procedures[0].steps[1].decision = Some(id("pause-everything")));
    assert_eq!(
        found,
        vec![gap(
            StepWithMissingDecision,
            Problem,
            Section::Procedures,
            "contain-exploit/pause-pool",
            "Step “Pause the lending pool” (contain-exploit/pause-pool) needs the decision `pause-everything`, but no decision policy has that id: add the policy or choose an existing one",
        )]
    );
}

#[test]
fn communication_without_responsible() {
    let found = gaps(|p| {
        p.communications[0].responsible = None;
        p.communications[2].responsible = Some(id("nobody"));
    });
    assert_eq!(
        found,
        vec![
            gap(
                CommunicationWithoutResponsible,
                Problem,
                Section::Communications,
                "responders-war-room",
                "Communication rule “Responders, open until completion” (responders-war-room) has nobody responsible: name the contact who sends it",
            ),
            gap(
                CommunicationWithoutResponsible,
                Problem,
                Section::Communications,
                "user-updates",
                "Communication rule “Users, every 4 hours” (user-updates) names `nobody` as responsible, but nobody on the core or extended team has that id: add them to a team or name another contact",
            ),
        ]
    );
}

#[test]
fn contact_not_verified() {
    let found = gaps(|p| {
        // Exactly 90 days is still fresh; 91 is not.
        p.core_team[0].last_verified = Some(day() - Duration::days(VERIFY_AFTER_DAYS));
        p.core_team[1].last_verified = None;
        p.extended_team[0].last_verified = Some(day() - Duration::days(91));
        // A date ahead of today (a clock set wrong) is not stale.
        p.extended_team[1].last_verified = Some(day() + Duration::days(3));
    });
    assert_eq!(
        found,
        vec![
            gap(
                ContactNotVerified,
                Warning,
                Section::CoreTeam,
                "ben-sample",
                "Core member “Ben Sample” (ben-sample) has never been verified: confirm their details with them, then choose Mark verified",
            ),
            gap(
                ContactNotVerified,
                Warning,
                Section::ExtendedTeam,
                "brightline-security",
                "Extended contact “Brightline Security (example)” (brightline-security) was last verified on 2025-10-16, 91 days ago: confirm their details with them, then choose Mark verified",
            ),
        ]
    );
}

#[test]
fn invalid() {
    let found = gaps(|p| {
        p.meta.name = " ".into();
        p.issues[1].title.clear();
        p.decisions[0].additional_needed = 3;
        p.communications[1].timing = crate::plan::Timing::EveryHours { hours: 0 };
        p.exercise_policy.session_hours = 0;
    });
    assert_eq!(
        found,
        vec![
            gap(
                Invalid,
                Problem,
                Section::Meta,
                "",
                "Plan details, name: is empty: give the plan a name",
            ),
            gap(
                Invalid,
                Problem,
                Section::Issues,
                "stolen-user-funds",
                "Issue `stolen-user-funds`, title: is empty: give the issue a title",
            ),
            gap(
                Invalid,
                Problem,
                Section::Communications,
                "internal-hourly-update",
                "Communication rule “Internal, every 0 hours” (internal-hourly-update), timing: every 0 hours: use at least 1",
            ),
            gap(
                Invalid,
                Problem,
                Section::Decisions,
                "pause-contract",
                "Decision policy “Pause contract” (pause-contract), additionalNeeded: asks for 3 additional approvers but lists 2",
            ),
            gap(
                Invalid,
                Problem,
                Section::ExercisePolicy,
                "",
                "Exercise policy, sessionHours: 0 is out of range 1 to 24",
            ),
        ]
    );
}

#[test]
fn dangling_references_are_reported_once_and_never_panic() {
    let found = gaps(|p| {
        p.issues[0].category = id("no-such-category");
        p.procedures[0].issues.push(id("ghost-issue"));
        p.escalation[0].category = id("gone");
        p.core_team[0].categories.push(id("gone"));
        p.on_call[0].members.push(id("nobody"));
        p.on_call[0].overrides.push(OnCallOverride {
            member: id("stranger"),
            from: utc("2026-02-01T00:00:00Z"),
            until: utc("2026-02-02T00:00:00Z"),
            note: String::new(),
        });
        p.on_call[1].starts_on = NaiveDate::MAX;
        p.communications[3].categories = vec![id("gone")];
        p.procedures[1].steps[0].decision = Some(id("ghost-decision"));
        p.decisions[2].required.push(id("ghost-approver"));
    });
    let max = NaiveDate::MAX;
    assert_eq!(
        found,
        vec![
            gap(
                Invalid,
                Problem,
                Section::Issues,
                "protocol-ddos",
                "Issue “Protocol DDoS” (protocol-ddos), category: no category has the id `no-such-category`",
            ),
            gap(
                Invalid,
                Problem,
                Section::Procedures,
                "contain-exploit",
                "Procedure “Contain an active exploit” (contain-exploit), issues: no potential issue has the id `ghost-issue`",
            ),
            gap(
                StepWithMissingDecision,
                Problem,
                Section::Procedures,
                "patch-and-upgrade/write-patch",
                "Step “Write the smallest patch that closes the flaw” (patch-and-upgrade/write-patch) needs the decision `ghost-decision`, but no decision policy has that id: add the policy or choose an existing one",
            ),
            gap(
                Invalid,
                Problem,
                Section::Escalation,
                "gone",
                "Escalation rule for `gone`, category: no category has the id `gone`",
            ),
            gap(
                CategoryWithoutEscalation,
                Problem,
                Section::Escalation,
                "hacker-attack",
                "Category “Hacker attack” (hacker-attack) has no escalation rule: say when the core and extended teams are notified",
            ),
            gap(
                Invalid,
                Problem,
                Section::CoreTeam,
                "ada-example",
                "Core member “Ada Example” (ada-example), categories: no category has the id `gone`",
            ),
            gap(
                Invalid,
                Problem,
                Section::OnCall,
                "hacker-attack",
                "On-call rotation for “Hacker attack” (hacker-attack), members: no core member has the id `nobody`",
            ),
            gap(
                Invalid,
                Problem,
                Section::OnCall,
                "hacker-attack",
                "On-call rotation for “Hacker attack” (hacker-attack), overrides: no core member has the id `stranger`",
            ),
            gap(
                RotationGap,
                Problem,
                Section::OnCall,
                "network-problem",
                &format!("On-call rotation for “Network problem” (network-problem) starts on {max}, so nobody is on call until then: move the start date to today or earlier"),
            ),
            gap(
                Invalid,
                Problem,
                Section::Communications,
                "app-banner",
                "Communication rule “Users, every hour” (app-banner), categories: no category has the id `gone`",
            ),
            gap(
                ApproverOnNoTeam,
                Problem,
                Section::Decisions,
                "access-emergency-fund",
                "Decision policy “Access emergency fund” (access-emergency-fund) names `ghost-approver` as required approver, but nobody on the core or extended team has that id: add them to a team or choose another approver",
            ),
        ]
    );
}

#[test]
fn gaps_cross_ipc_in_camel_case() {
    let g = gap(CategoryWithoutOwner, Problem, Section::CoreTeam, "x", "m");
    let json = serde_json::to_value(&g).unwrap_or_else(|e| panic!("serialise: {e}"));
    assert_eq!(
        json,
        serde_json::json!({
            "kind": "categoryWithoutOwner",
            "level": "problem",
            "section": "coreTeam",
            "element": "x",
            "message": "m",
        })
    );
}
