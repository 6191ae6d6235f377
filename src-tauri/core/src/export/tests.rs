//! Tests of the exports and of the contacts import, one file per format:
//! inline expected output for a tiny plan whose text is full of characters
//! that mean something in Markdown, CSV and content lines, and properties
//! over the starter plan. The iCalendar output is also read back by an
//! independent parser (Python's `icalendar`).

mod contacts;
mod ical;
mod markdown;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::plan::*;
use crate::starter;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default()
}

/// Noon UTC on [`day`].
fn now() -> DateTime<Utc> {
    Utc.from_utc_datetime(&day().and_time(NaiveTime::MIN)) + Duration::hours(12)
}

fn starter_plan() -> Plan {
    starter::plan(day())
}

/// A small plan whose user text holds the characters each format must escape.
fn tiny_plan() -> Plan {
    Plan {
        meta: PlanMeta {
            name: "Tiny | plan, v2; <b>*bold*</b>".into(),
            organisation: "Tiny & Co".into(),
            summary:
                "# Not a heading\n- not a list\n1. not numbered\n\nSecond paragraph with `code`."
                    .into(),
            is_example: false,
        },
        categories: vec![Category {
            id: id("network"),
            name: "Net_work".into(),
            description: "Links | routes".into(),
        }],
        issues: vec![PotentialIssue {
            id: id("rpc-down"),
            category: id("network"),
            title: "RPC *down* <script>alert(1)</script>".into(),
            description: "Calls fail.\nAll of them.".into(),
            detection: Detection {
                signal: "health check | fails".into(),
                monitoring: Monitoring::Automated,
                source: "[uptime](http://example.com)".into(),
            },
            severity: Severity::S2,
        }],
        procedures: vec![Procedure {
            id: id("fail-over"),
            title: "Fail over".into(),
            summary: String::new(),
            issues: vec![id("rpc-down")],
            steps: vec![Step {
                id: id("switch"),
                action: "Switch provider ~now~".into(),
                how: "Edit `rpc.toml`".into(),
                tools: String::new(),
                test: "A call works".into(),
                expected_minutes: Some(75),
                decision: Some(id("switch-provider")),
            }],
        }],
        escalation: vec![EscalationRule {
            category: id("network"),
            core: NotifyWhen::UponDetection,
            extended: NotifyWhen::Never,
        }],
        core_team: vec![CoreMember {
            id: id("kim"),
            name: "Kim \"KK\" Lee, Jr.".into(),
            role: "=Engineer".into(),
            categories: vec![id("network")],
            reach: Reach {
                email: Some("kim@example.com".into()),
                chat: Some("@kim|ops".into()),
                phone: Some("+1 555 0100".into()),
            },
            public_key: None,
            retired_keys: Vec::new(),
            last_verified: Some(NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default()),
        }],
        extended_team: vec![ExtendedContact {
            id: id("isp"),
            name: "Zoë's ISP; Ltd\\".into(),
            role: "Provider\nUpstream".into(),
            reach: Reach {
                email: None,
                chat: Some("xmpp:noc@isp.example".into()),
                phone: Some("0800 555 0199".into()),
            },
            last_verified: None,
        }],
        on_call: vec![],
        communications: vec![CommunicationRule {
            id: id("status"),
            audience: Audience::Users,
            timing: Timing::EveryHours { hours: 4 },
            channel: "status page".into(),
            responsible: Some(id("kim")),
            categories: vec![],
            optional: true,
            notes: String::new(),
        }],
        decisions: vec![DecisionPolicy {
            id: id("switch-provider"),
            title: "Switch provider".into(),
            description: String::new(),
            required: vec![id("kim")],
            additional: vec![id("isp")],
            additional_needed: 1,
            attested_allowed: false,
        }],
        exercise_policy: ExercisePolicy {
            while_new_every_weeks: 4,
            new_for_months: 1,
            established_every_months: 12,
            session_hours: 2,
        },
    }
}

#[test]
fn the_tiny_plan_is_sound() {
    assert_eq!(validate(&tiny_plan()), []);
}
