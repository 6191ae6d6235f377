//! Generated plans of any size, for benchmarks and property tests.
//!
//! The starter plan is small and hand-written; search, storage and the UI also
//! have to hold up under a plan with thousands of issues and contacts. This
//! module builds such a plan: structurally valid (it passes
//! [`crate::plan::validate`]), the same for the same seed, and worded from a
//! vocabulary of incident-response words so that full-text search has
//! realistic text to chew on. It has its own tiny PRNG (SplitMix64) so the
//! output never depends on an outside crate's algorithm.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use sha2::{Digest, Sha256};
use ssh_key::public::{Ed25519PublicKey, KeyData};

use crate::plan::{
    AlertRule, Audience, Category, CommunicationRule, CoreMember, DecisionPolicy, Detection,
    EscalationRule, ExercisePolicy, ExtendedContact, Id, Monitoring, NotifyWhen, OnCallRotation,
    Plan, PlanMeta, PotentialIssue, Procedure, Reach, RetiredKey, Severity, Step, Timing, Weekday,
};

/// How many elements a generated plan has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub issues: usize,
    pub procedures: usize,
    pub steps_per_procedure: usize,
    /// Core and extended team together; about a third are core members.
    pub contacts: usize,
}

/// The words generated text is made of (lowercase ASCII), exposed so that
/// benchmarks and tests can type queries a user of such a plan would type.
pub const WORDS: &[&str] = &[
    "access",
    "account",
    "acknowledge",
    "action",
    "address",
    "admin",
    "alert",
    "allowance",
    "analysis",
    "announce",
    "api",
    "approval",
    "approve",
    "archive",
    "attack",
    "attacker",
    "audit",
    "backup",
    "balance",
    "bandwidth",
    "block",
    "borrow",
    "bounty",
    "bridge",
    "bug",
    "cache",
    "call",
    "certificate",
    "chain",
    "channel",
    "check",
    "cluster",
    "collateral",
    "compromise",
    "confirm",
    "consensus",
    "contain",
    "contract",
    "credential",
    "critical",
    "customer",
    "dashboard",
    "database",
    "deadline",
    "declare",
    "delay",
    "deploy",
    "deposit",
    "detect",
    "disable",
    "disclose",
    "disk",
    "dns",
    "domain",
    "drain",
    "endpoint",
    "engineer",
    "escalate",
    "evidence",
    "exchange",
    "exploit",
    "exposure",
    "failover",
    "failure",
    "feed",
    "firewall",
    "flood",
    "forensic",
    "fraud",
    "freeze",
    "fund",
    "gas",
    "gateway",
    "governance",
    "guardian",
    "handover",
    "hash",
    "health",
    "hotfix",
    "incident",
    "indexer",
    "inbox",
    "infrastructure",
    "integrity",
    "interest",
    "investigate",
    "isolate",
    "key",
    "keeper",
    "latency",
    "ledger",
    "liquidation",
    "liquidity",
    "log",
    "lookup",
    "maintenance",
    "malware",
    "manual",
    "market",
    "mempool",
    "metric",
    "migrate",
    "mitigate",
    "monitor",
    "multisig",
    "node",
    "notify",
    "oracle",
    "outage",
    "owner",
    "packet",
    "page",
    "parameter",
    "partner",
    "patch",
    "pause",
    "payload",
    "phishing",
    "playbook",
    "pool",
    "postmortem",
    "price",
    "priority",
    "private",
    "protocol",
    "provider",
    "proxy",
    "public",
    "quorum",
    "queue",
    "rate",
    "recover",
    "redeploy",
    "regulator",
    "release",
    "reorg",
    "replica",
    "report",
    "repay",
    "resolve",
    "responder",
    "restore",
    "revert",
    "review",
    "revoke",
    "risk",
    "role",
    "rollback",
    "rotate",
    "router",
    "runbook",
    "safe",
    "scan",
    "script",
    "secret",
    "security",
    "sequencer",
    "server",
    "service",
    "severity",
    "signal",
    "signature",
    "signer",
    "snapshot",
    "spike",
    "stale",
    "status",
    "storage",
    "subnet",
    "support",
    "suspend",
    "swap",
    "sweep",
    "takeover",
    "telemetry",
    "threshold",
    "ticket",
    "timelock",
    "timeline",
    "token",
    "traffic",
    "transaction",
    "treasury",
    "triage",
    "upgrade",
    "uptime",
    "user",
    "validate",
    "validator",
    "vault",
    "vendor",
    "verify",
    "wallet",
    "warroom",
    "watcher",
    "webhook",
    "withdraw",
    "workaround",
    "zone",
];

/// Small linking words mixed into sentences so text reads less like a list.
const GLUE: &[&str] = &[
    "the", "a", "and", "or", "then", "before", "after", "with", "for", "if", "until", "on",
];

const CATEGORIES: &[(&str, &str)] = &[
    (
        "Hacker attack",
        "Someone deliberately attacks the protocol, its users or the team",
    ),
    (
        "Network problem",
        "The chain or the infrastructure we reach it through misbehaves",
    ),
    (
        "Protocol problem",
        "Our contracts or the services they depend on misbehave",
    ),
    (
        "Operational problem",
        "Something around the contracts goes wrong",
    ),
    ("Data loss", "Records, backups or logs are lost or damaged"),
    (
        "Third-party outage",
        "A vendor or provider we depend on is down",
    ),
    (
        "Key compromise",
        "A signing key or credential is in someone else's hands",
    ),
    (
        "Compliance incident",
        "A legal or regulatory duty is at stake",
    ),
];

const FIRST_NAMES: &[&str] = &[
    "Ada", "Ben", "Chloe", "Dara", "Eli", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kemal", "Lea",
    "Mira", "Nico", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Vik", "Wren", "Yara",
];

const LAST_NAMES: &[&str] = &[
    "Example",
    "Sample",
    "Demo",
    "Mock",
    "Placeholder",
    "Fixture",
    "Specimen",
    "Dummy",
    "Stub",
    "Trial",
    "Pilot",
    "Proto",
];

const CORE_ROLES: &[&str] = &[
    "CEO",
    "COO",
    "CFO",
    "Protocol engineer",
    "Security lead",
    "Infrastructure engineer",
    "Community manager",
    "Legal counsel",
];

const EXTENDED_ROLES: &[&str] = &[
    "Security consultant",
    "Community liaison",
    "Law enforcement",
    "Exchange security desk",
    "Auditor",
    "Incident response group",
    "RPC provider support",
    "Oracle operator",
];

const ORGANISATION_KINDS: &[&str] = &["Security", "Labs", "Response Group", "Partners", "Desk"];

const TOOLS: &[&str] = &[
    "Grafana dashboard",
    "PagerDuty",
    "Safe multisig UI",
    "Tenderly",
    "Forta alert bot",
    "OpenZeppelin Defender",
    "scripts/pause.ts",
    "scripts/failover.sh",
    "cast",
    "Etherscan",
    "status page",
    "Signal group",
    "incident timeline",
    "Terraform",
    "kubectl",
];

const DECISIONS: &[(&str, &str)] = &[
    (
        "Pause contract",
        "Pause the pool contracts through the guardian multisig",
    ),
    (
        "Upgrade contract",
        "Queue and execute a contract upgrade through the timelock",
    ),
    (
        "Access emergency fund",
        "Spend from the emergency treasury to cover user losses",
    ),
    (
        "Notify law enforcement",
        "Report the incident to the police and share evidence",
    ),
];

/// A plan of the given size, valid and the same for the same seed.
pub fn plan(size: Size, seed: u64) -> Plan {
    let mut rng = Rng::new(seed);
    let categories = categories(&mut rng);
    let issues = issues(&mut rng, size.issues, categories.len());
    let (core_team, extended_team) = contacts(&mut rng, size.contacts, categories.len());
    let contact_ids: Vec<Id> = core_team
        .iter()
        .map(|m| m.id.clone())
        .chain(extended_team.iter().map(|c| c.id.clone()))
        .collect();
    let decisions = decisions(&mut rng, &core_team, &contact_ids);
    let procedures = procedures(&mut rng, size, &decisions);
    let escalation = categories
        .iter()
        .map(|c| EscalationRule {
            category: c.id.clone(),
            core: *rng.pick(&[NotifyWhen::UponDetection, NotifyWhen::UponValidation]),
            extended: *rng.pick(&NotifyWhen::ALL),
            page_after_minutes: *rng.pick(&[None, Some(5), Some(15)]),
        })
        .collect();
    let on_call = on_call(&mut rng, &categories, &core_team);
    let communications = communications(&mut rng, &categories, &contact_ids);
    Plan {
        meta: PlanMeta {
            name: format!("Generated plan {seed}"),
            organisation: format!("{} {}", title_case(&rng.words(2)), "Protocol"),
            summary: rng.sentence(20, 40),
            is_example: false,
        },
        categories,
        issues,
        procedures,
        escalation,
        core_team,
        extended_team,
        on_call,
        communications,
        decisions,
        exercise_policy: ExercisePolicy {
            while_new_every_weeks: 4,
            new_for_months: 6,
            established_every_months: 6,
            session_hours: 2,
        },
    }
}

/// `prefix-00042`: ids are numbered from 1 and sort in creation order.
fn numbered(prefix: &str, n: usize) -> Id {
    crate::plan::id(&format!("{prefix}-{n:05}"))
}

fn categories(rng: &mut Rng) -> Vec<Category> {
    CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, (name, lead))| Category {
            id: numbered("category", i + 1),
            name: (*name).to_owned(),
            description: format!("{lead}: {}", rng.sentence(10, 20)),
        })
        .collect()
}

fn issues(rng: &mut Rng, count: usize, categories: usize) -> Vec<PotentialIssue> {
    (0..count)
        .map(|i| {
            let id = numbered("issue", i + 1);
            let category = numbered("category", rng.below(categories) + 1);
            let title = rng.title();
            let description = rng.sentence(15, 40);
            let signal = rng.sentence(8, 20);
            let monitoring = *rng.pick(&[Monitoring::Automated, Monitoring::Manual]);
            // An automated issue is raised by an alert named after it.
            let alerts = match monitoring {
                Monitoring::Automated => vec![AlertRule {
                    labels: [("alertname".to_owned(), format!("Issue{}", i + 1))].into(),
                    severity: None,
                }],
                Monitoring::Manual => Vec::new(),
            };
            PotentialIssue {
                id,
                category,
                title,
                description,
                detection: Detection {
                    signal,
                    monitoring,
                    source: format!("{} '{}'", rng.pick(TOOLS), title_case(&rng.words(2))),
                    alerts,
                },
                severity: *rng.pick(&Severity::ALL),
            }
        })
        .collect()
}

fn procedures(rng: &mut Rng, size: Size, decisions: &[DecisionPolicy]) -> Vec<Procedure> {
    (0..size.procedures)
        .map(|i| {
            // Procedure i answers issue i (round the list), so every issue is
            // covered once there are at least as many procedures, plus up to two more.
            let mut issues = Vec::new();
            if size.issues > 0 {
                issues.push(numbered("issue", i % size.issues + 1));
                for _ in 0..rng.below(3) {
                    let extra = numbered("issue", rng.below(size.issues) + 1);
                    if !issues.contains(&extra) {
                        issues.push(extra);
                    }
                }
            }
            let steps = (0..size.steps_per_procedure)
                .map(|s| step(rng, s, decisions))
                .collect();
            Procedure {
                id: numbered("procedure", i + 1),
                title: rng.title(),
                summary: rng.sentence(15, 40),
                issues,
                steps,
            }
        })
        .collect()
}

fn step(rng: &mut Rng, index: usize, decisions: &[DecisionPolicy]) -> Step {
    let tools = (0..rng.range(1, 3))
        .map(|_| *rng.pick(TOOLS))
        .collect::<Vec<_>>()
        .join(", ");
    let decision = if !decisions.is_empty() && rng.below(6) == 0 {
        Some(rng.pick(decisions).id.clone())
    } else {
        None
    };
    Step {
        id: numbered("step", index + 1),
        action: rng.title(),
        how: rng.sentence(15, 40),
        tools: format!("{tools}, {}", rng.words(1)),
        test: rng.sentence(8, 20),
        expected_minutes: Some(rng.range(1, 12) as u32 * 5),
        decision,
        command: None,
        automatable: false,
    }
}

fn reach(first: &str, last: &str, n: usize) -> Reach {
    let handle = format!("{}.{}{n}", first.to_lowercase(), last.to_lowercase());
    Reach {
        email: Some(format!("{handle}@example.com")),
        chat: Some(format!("@{handle}")),
        phone: Some(format!("+1 202 555 01{:02}", n % 100)),
    }
}

fn verified(rng: &mut Rng) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default();
    Some(base - Duration::days(rng.below(365) as i64))
}

/// A made-up ed25519 public key line, the `k`th key of contact `n`: unique
/// for each pair, and drawn without the PRNG so the rest of a plan does not
/// depend on it.
fn signing_key(n: usize, k: usize) -> String {
    let bytes: [u8; 32] = Sha256::digest(format!("muster generated key {n}/{k}")).into();
    let key = ssh_key::PublicKey::new(
        KeyData::Ed25519(Ed25519PublicKey(bytes)),
        format!("contact-{n}"),
    );
    key.to_openssh().unwrap_or_default()
}

/// Every other core member has a signing key, and every fourth has rotated
/// one before.
fn signing_keys(n: usize) -> (Option<String>, Vec<RetiredKey>) {
    if !n.is_multiple_of(2) {
        return (None, Vec::new());
    }
    let retired = if n.is_multiple_of(4) {
        let base: DateTime<Utc> = Utc
            .with_ymd_and_hms(2025, 6, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        vec![RetiredKey {
            key: signing_key(n, 0),
            retired_from: base + Duration::hours(n as i64),
        }]
    } else {
        Vec::new()
    };
    (Some(signing_key(n, 1)), retired)
}

fn contacts(
    rng: &mut Rng,
    count: usize,
    categories: usize,
) -> (Vec<CoreMember>, Vec<ExtendedContact>) {
    let core_count = count.div_ceil(3);
    let core = (0..core_count)
        .map(|i| {
            let (first, last) = (*rng.pick(FIRST_NAMES), *rng.pick(LAST_NAMES));
            // Member i owns category i (round the list), so every category has
            // an owner once there are enough members, and maybe one more.
            let mut owned = vec![numbered("category", i % categories + 1)];
            let extra = numbered("category", rng.below(categories) + 1);
            if rng.below(3) == 0 && !owned.contains(&extra) {
                owned.push(extra);
            }
            let (public_key, retired_keys) = signing_keys(i + 1);
            CoreMember {
                id: numbered("contact", i + 1),
                name: format!("{first} {last}"),
                role: (*rng.pick(CORE_ROLES)).to_owned(),
                categories: owned,
                reach: reach(first, last, i + 1),
                public_key,
                retired_keys,
                last_verified: verified(rng),
            }
        })
        .collect();
    let extended = (core_count..count)
        .map(|i| {
            let (first, last) = (*rng.pick(FIRST_NAMES), *rng.pick(LAST_NAMES));
            let name = if rng.below(2) == 0 {
                format!("{first} {last}")
            } else {
                format!("{last} {}", rng.pick(ORGANISATION_KINDS))
            };
            ExtendedContact {
                id: numbered("contact", i + 1),
                name,
                role: (*rng.pick(EXTENDED_ROLES)).to_owned(),
                reach: reach(first, last, i + 1),
                last_verified: verified(rng),
            }
        })
        .collect();
    (core, extended)
}

/// The four usual decision policies: one required approver from the core
/// team and, where there are enough people, one of two more. None without contacts.
fn decisions(rng: &mut Rng, core: &[CoreMember], contacts: &[Id]) -> Vec<DecisionPolicy> {
    if core.is_empty() {
        return Vec::new();
    }
    DECISIONS
        .iter()
        .enumerate()
        .map(|(i, (title, lead))| {
            let required = core[rng.below(core.len())].id.clone();
            let mut additional: Vec<Id> = Vec::new();
            for _ in 0..2 {
                let other = rng.pick(contacts).clone();
                if other != required && !additional.contains(&other) {
                    additional.push(other);
                }
            }
            let additional_needed = u32::from(!additional.is_empty());
            DecisionPolicy {
                id: numbered("decision", i + 1),
                title: (*title).to_owned(),
                description: format!("{lead}. {}", rng.sentence(10, 25)),
                required: vec![required],
                additional,
                additional_needed,
                // The last one (notifying outsiders) may go ahead on a phone call.
                attested_allowed: i + 1 == DECISIONS.len(),
            }
        })
        .collect()
}

/// Up to three weekly rotations among each category's core owners.
fn on_call(rng: &mut Rng, categories: &[Category], core: &[CoreMember]) -> Vec<OnCallRotation> {
    let wanted = rng.below(4);
    categories
        .iter()
        .filter_map(|c| {
            let members: Vec<Id> = core
                .iter()
                .filter(|m| m.categories.contains(&c.id))
                .take(4)
                .map(|m| m.id.clone())
                .collect();
            (!members.is_empty()).then(|| OnCallRotation {
                category: c.id.clone(),
                members,
                handover_day: *rng.pick(&Weekday::ALL),
                handover_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
                time_zone: "UTC".to_owned(),
                starts_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
                overrides: Vec::new(),
            })
        })
        .take(wanted)
        .collect()
}

fn communications(
    rng: &mut Rng,
    categories: &[Category],
    contacts: &[Id],
) -> Vec<CommunicationRule> {
    let rules = [
        (
            Audience::Responders,
            Timing::UntilCompletion,
            "Private war-room group",
            false,
        ),
        (
            Audience::Internal,
            Timing::EveryHours { hours: 1 },
            "#incident channel",
            false,
        ),
        (
            Audience::Users,
            Timing::EveryHours { hours: 2 },
            "Status page and X account",
            false,
        ),
        (
            Audience::InternalPostMortem,
            Timing::AfterResolutionDays { days: 3 },
            "Team wiki",
            false,
        ),
        (
            Audience::PublicPostMortem,
            Timing::AfterResolutionDays { days: 7 },
            "Blog",
            true,
        ),
    ];
    rules
        .into_iter()
        .enumerate()
        .map(|(i, (audience, timing, channel, optional))| {
            let responsible = (!contacts.is_empty()).then(|| rng.pick(contacts).clone());
            let categories = if rng.below(2) == 0 {
                Vec::new()
            } else {
                vec![rng.pick(categories).id.clone()]
            };
            CommunicationRule {
                id: numbered("communication", i + 1),
                audience,
                timing,
                channel: channel.to_owned(),
                responsible,
                categories,
                optional,
                notes: rng.sentence(8, 20),
            }
        })
        .collect()
}

fn title_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// SplitMix64: tiny, fast, and good enough to scatter test data.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; 0 when `n` is 0.
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// An element of a non-empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `n` vocabulary words separated by spaces.
    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| *self.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A title of 3 to 6 vocabulary words, capitalised.
    fn title(&mut self) -> String {
        let n = self.range(3, 6);
        title_case(&self.words(n))
    }

    /// A sentence of `min..=max` words, mostly vocabulary with some glue
    /// words and the odd comma, capitalised and ending in a full stop.
    fn sentence(&mut self, min: usize, max: usize) -> String {
        let n = self.range(min, max);
        let mut text = String::new();
        for i in 0..n {
            if i > 0 {
                text.push_str(if self.below(9) == 0 { ", " } else { " " });
            }
            let word = if i > 0 && self.below(4) == 0 {
                *self.pick(GLUE)
            } else {
                *self.pick(WORDS)
            };
            text.push_str(word);
        }
        text.push('.');
        title_case(&text)
    }
}

#[cfg(test)]
mod tests;
