//! A readable plain-text summary of a plan: the seven sections with every entry
//! and its id. `muster plan show` prints it.

use std::fmt::Write as _;

use chrono::SecondsFormat;

use super::model::{Plan, Reach};
use super::Id;

/// The seven section titles, in order, as the practice names them.
pub const SECTION_TITLES: [&str; 7] = [
    "Potential issues",
    "Response procedures",
    "Escalation process",
    "Core response team",
    "Extended response team",
    "Communications process",
    "Decision process",
];

/// Renders `plan` as text, one section after another.
pub fn summary(plan: &Plan) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let o = &mut out;
    let _ = writeln!(o, "{}", plan.meta.name);
    if !plan.meta.organisation.is_empty() {
        let _ = writeln!(o, "Organisation: {}", plan.meta.organisation);
    }
    if plan.meta.is_example {
        let _ = writeln!(
            o,
            "This is the built-in starter plan: its people, addresses and numbers are examples."
        );
    }

    heading(o, 0, plan.issues.len());
    for category in &plan.categories {
        let _ = writeln!(o, "  {} [{}]", category.name, category.id);
        for issue in plan.issues.iter().filter(|i| i.category == category.id) {
            let _ = writeln!(
                o,
                "    - {} [{}] — {} {}",
                issue.title,
                issue.id,
                issue.severity.as_str(),
                issue.severity.label()
            );
            let d = &issue.detection;
            let _ = writeln!(
                o,
                "        detected by: {} ({}; {})",
                d.signal,
                d.monitoring.as_str(),
                d.source
            );
        }
    }

    heading(o, 1, plan.procedures.len());
    for procedure in &plan.procedures {
        let _ = writeln!(
            o,
            "  - {} [{}] — answers: {}",
            procedure.title,
            procedure.id,
            ids(&procedure.issues)
        );
        for (n, step) in procedure.steps.iter().enumerate() {
            let _ = write!(o, "      {}. {} [{}]", n + 1, step.action, step.id);
            if let Some(decision) = &step.decision {
                let _ = write!(o, " — needs decision: {decision}");
            }
            let _ = writeln!(o);
        }
    }

    heading(o, 2, plan.escalation.len());
    for rule in &plan.escalation {
        let name = plan
            .category(&rule.category)
            .map_or("?", |c| c.name.as_str());
        let _ = writeln!(
            o,
            "  - {} [{}]: core team {}, extended team {}",
            name,
            rule.category,
            rule.core.label(),
            rule.extended.label()
        );
    }

    heading(o, 3, plan.core_team.len());
    for m in &plan.core_team {
        let _ = writeln!(
            o,
            "  - {} [{}] — {}; owns: {}; {}",
            m.name,
            m.id,
            m.role,
            ids(&m.categories),
            reach(&m.reach)
        );
        if let Some(key) = &m.public_key {
            let _ = writeln!(o, "      signing key: {}", fingerprint(key));
        }
        for r in &m.retired_keys {
            let _ = writeln!(
                o,
                "      retired key: {}, refused from {}",
                fingerprint(&r.key),
                r.retired_from.to_rfc3339_opts(SecondsFormat::AutoSi, true)
            );
        }
    }

    heading(o, 4, plan.extended_team.len());
    for c in &plan.extended_team {
        let _ = writeln!(
            o,
            "  - {} [{}] — {}; {}",
            c.name,
            c.id,
            c.role,
            reach(&c.reach)
        );
    }

    heading(o, 5, plan.communications.len());
    for r in &plan.communications {
        let who = r
            .responsible
            .as_ref()
            .map_or("nobody".to_owned(), Id::to_string);
        let scope = if r.categories.is_empty() {
            "all categories".to_owned()
        } else {
            ids(&r.categories)
        };
        let optional = if r.optional { " (optional)" } else { "" };
        let _ = writeln!(
            o,
            "  - {} [{}]: {} via {} — responsible: {}; {}{}",
            r.audience.label(),
            r.id,
            r.timing.describe(),
            r.channel,
            who,
            scope,
            optional
        );
    }

    heading(o, 6, plan.decisions.len());
    for d in &plan.decisions {
        let _ = write!(
            o,
            "  - {} [{}]: required: {}",
            d.title,
            d.id,
            ids(&d.required)
        );
        if d.additional_needed > 0 {
            let _ = write!(
                o,
                "; plus {} of: {}",
                d.additional_needed,
                ids(&d.additional)
            );
        }
        if d.attested_allowed {
            let _ = write!(o, "; attested (unsigned) approvals count");
        }
        let _ = writeln!(o);
    }

    let x = &plan.exercise_policy;
    let _ = writeln!(
        o,
        "\nExercise policy: every {} weeks while the plan is new (first {} months), then every {} months; sessions of {} hours",
        x.while_new_every_weeks, x.new_for_months, x.established_every_months, x.session_hours
    );
    out
}

fn heading(o: &mut String, index: usize, count: usize) {
    let _ = writeln!(o, "\n{}. {} ({count})", index + 1, SECTION_TITLES[index]);
}

fn ids(list: &[Id]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter().map(Id::as_str).collect::<Vec<_>>().join(", ")
}

/// A key by its fingerprint (`SHA256:…`), as OpenSSH prints it.
fn fingerprint(line: &str) -> String {
    super::keys::fingerprint(line).unwrap_or_else(|| "(not a readable ed25519 key)".to_owned())
}

fn reach(r: &Reach) -> String {
    let parts: Vec<&str> = [&r.email, &r.chat, &r.phone]
        .into_iter()
        .filter_map(|v| v.as_deref())
        .filter(|s| !s.trim().is_empty())
        .collect();
    if parts.is_empty() {
        "no way to reach".to_owned()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::*;

    fn tiny_plan() -> Plan {
        let reach = |email: &str| Reach {
            email: Some(email.into()),
            chat: None,
            phone: None,
        };
        Plan {
            meta: PlanMeta {
                name: "Tiny plan".into(),
                organisation: "Tiny Co".into(),
                summary: String::new(),
                is_example: false,
            },
            categories: vec![Category {
                id: id("network"),
                name: "Network".into(),
                description: String::new(),
            }],
            issues: vec![PotentialIssue {
                id: id("rpc-down"),
                category: id("network"),
                title: "RPC down".into(),
                description: String::new(),
                detection: Detection {
                    signal: "health check fails".into(),
                    monitoring: Monitoring::Automated,
                    source: "uptime monitor".into(),
                    alerts: Vec::new(),
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
                    action: "Switch provider".into(),
                    how: String::new(),
                    tools: String::new(),
                    test: String::new(),
                    expected_minutes: Some(5),
                    decision: Some(id("switch-provider")),
                    command: None,
                    automatable: false,
                }],
            }],
            escalation: vec![EscalationRule {
                category: id("network"),
                core: NotifyWhen::UponDetection,
                extended: NotifyWhen::Never,
                page_after_minutes: None,
            }],
            core_team: vec![CoreMember {
                id: id("kim"),
                name: "Kim".into(),
                role: "Engineer".into(),
                categories: vec![id("network")],
                reach: reach("kim@example.com"),
                public_key: Some(crate::plan::keys::tests::key_line(1, "kim@laptop")),
                retired_keys: vec![RetiredKey {
                    key: crate::plan::keys::tests::key_line(2, "kim@old"),
                    retired_from: chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(20_500),
                }],
                last_verified: None,
            }],
            extended_team: vec![ExtendedContact {
                id: id("isp"),
                name: "Upstream ISP".into(),
                role: "Provider".into(),
                reach: Reach::default(),
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
                attested_allowed: true,
            }],
            exercise_policy: ExercisePolicy {
                while_new_every_weeks: 4,
                new_for_months: 6,
                established_every_months: 6,
                session_hours: 2,
            },
        }
    }

    #[test]
    fn renders_every_section_with_ids() {
        let expected = "\
Tiny plan
Organisation: Tiny Co

1. Potential issues (1)
  Network [network]
    - RPC down [rpc-down] — S2 major
        detected by: health check fails (automated; uptime monitor)

2. Response procedures (1)
  - Fail over [fail-over] — answers: rpc-down
      1. Switch provider [switch] — needs decision: switch-provider

3. Escalation process (1)
  - Network [network]: core team upon detection, extended team not notified

4. Core response team (1)
  - Kim [kim] — Engineer; owns: network; kim@example.com
      signing key: {KIM}
      retired key: {KIM_OLD}, refused from 2026-02-16T00:00:00Z

5. Extended response team (1)
  - Upstream ISP [isp] — Provider; no way to reach

6. Communications process (1)
  - Users [status]: every 4 hours via status page — responsible: kim; all categories (optional)

7. Decision process (1)
  - Switch provider [switch-provider]: required: kim; plus 1 of: isp; attested (unsigned) approvals count

Exercise policy: every 4 weeks while the plan is new (first 6 months), then every 6 months; sessions of 2 hours
";
        let print = |seed| {
            crate::plan::keys::fingerprint(&crate::plan::keys::tests::key_line(seed, ""))
                .unwrap_or_default()
        };
        let expected = expected
            .replace("{KIM}", &print(1))
            .replace("{KIM_OLD}", &print(2));
        assert_eq!(summary(&tiny_plan()), expected);
    }
}
