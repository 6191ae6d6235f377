//! The plan document: the seven sections of an emergency response plan and the
//! exercise policy, as plain data. These types are also the IPC contract with the
//! UI (TypeScript types are generated from them with ts-rs), so they carry no
//! behaviour beyond small lookups; checks live in `plan::validate`.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::id::Id;

/// A whole emergency response plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub meta: PlanMeta,
    /// Kinds of emergency (Hacker Attack, Network Problem, ...). Issues,
    /// escalation rules, ownership and communication rules refer to them.
    pub categories: Vec<Category>,
    /// Section 1: potential issues and how each is detected.
    pub issues: Vec<PotentialIssue>,
    /// Section 2: response procedures, mapped many-to-many to issues.
    pub procedures: Vec<Procedure>,
    /// Section 3: per category, when the core and extended teams are told.
    pub escalation: Vec<EscalationRule>,
    /// Section 4: the core response team.
    pub core_team: Vec<CoreMember>,
    /// Section 5: the extended response team (people and organisations).
    pub extended_team: Vec<ExtendedContact>,
    /// Optional weekly on-call rotations, at most one per category, among its core owners.
    pub on_call: Vec<OnCallRotation>,
    /// Section 6: who is told what, how often, where and by whom.
    pub communications: Vec<CommunicationRule>,
    /// Section 7: which decisions need whose approval.
    pub decisions: Vec<DecisionPolicy>,
    /// How often the plan must be rehearsed in live exercises.
    pub exercise_policy: ExercisePolicy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanMeta {
    pub name: String,
    pub organisation: String,
    pub summary: String,
    /// True for the built-in starter plan: its people and numbers are examples.
    pub is_example: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    pub id: Id,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
pub enum Severity {
    /// Critical: funds at risk or a total outage.
    S1,
    /// Major: a core function degraded for many users.
    S2,
    /// Minor: limited impact, a workaround exists.
    S3,
    /// Low: no user impact yet.
    S4,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::S1, Severity::S2, Severity::S3, Severity::S4];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::S1 => "S1",
            Severity::S2 => "S2",
            Severity::S3 => "S3",
            Severity::S4 => "S4",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::S1 => "critical",
            Severity::S2 => "major",
            Severity::S3 => "minor",
            Severity::S4 => "low",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Monitoring {
    /// Someone has to notice it (a report on social media, a user ticket).
    Manual,
    /// A monitor or alert rule raises it.
    Automated,
}

impl Monitoring {
    pub fn as_str(self) -> &'static str {
        match self {
            Monitoring::Manual => "manual",
            Monitoring::Automated => "automated",
        }
    }

    pub fn parse(text: &str) -> Option<Monitoring> {
        [Monitoring::Manual, Monitoring::Automated]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// How a potential issue is noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Detection {
    /// The signal, e.g. "spike in failed transactions".
    pub signal: String,
    pub monitoring: Monitoring,
    /// Where it is watched: a dashboard, an alert rule, a channel.
    pub source: String,
    /// Alerts from the team's monitors that mean this issue. Left out of the
    /// plan's JSON when empty, so a plan without rules serialises (and hashes,
    /// for the decision records that name it) as it always did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<AlertRule>>")]
    pub alerts: Vec<AlertRule>,
}

/// An alert from a monitor (Alertmanager, Grafana, a bot) that means a
/// potential issue: every label named here must be on the alert with exactly
/// this value. Where several rules match, the one naming the most labels
/// wins, then the first in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlertRule {
    pub labels: std::collections::BTreeMap<String, String>,
    /// The severity of an incident this rule opens; the issue's own when unset.
    pub severity: Option<Severity>,
}

/// Section 1: something that can go wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PotentialIssue {
    pub id: Id,
    pub category: Id,
    pub title: String,
    pub description: String,
    pub detection: Detection,
    pub severity: Severity,
}

/// Section 2: an ordered list of steps that answers one or more issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Procedure {
    pub id: Id,
    pub title: String,
    pub summary: String,
    /// The potential issues this procedure answers.
    pub issues: Vec<Id>,
    pub steps: Vec<Step>,
}

/// One step of a procedure. Its id is unique within the procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: Id,
    pub action: String,
    /// How to carry it out.
    pub how: String,
    /// Tools or scripts used.
    pub tools: String,
    /// How to check that it worked.
    pub test: String,
    pub expected_minutes: Option<u32>,
    /// The decision policy whose approval this step needs, if any.
    pub decision: Option<Id>,
    /// A command that performs the step, run from the console after the
    /// person sees it and agrees. Left out of the plan's JSON when there is
    /// none, so a plan without commands serialises as it always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<StepCommand>")]
    pub command: Option<StepCommand>,
    /// The team means to automate this step: the plan check suggests a
    /// command while it has none. Left out of the JSON when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub automatable: bool,
}

/// A command that performs a step: a program with its arguments, run
/// without a shell, with a time limit. A command that came from anywhere but
/// this laptop's own editor (an import, a teammate) runs only once its
/// person has reviewed and trusted it here (see `Store::trust_command`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepCommand {
    /// The program, then its arguments, each as one string.
    pub argv: Vec<String>,
    /// The folder it runs in; empty: the person's home folder.
    pub dir: String,
    /// Seconds it may run before it is stopped, its children too.
    pub timeout_seconds: u32,
    /// Environment variables it needs, by name, passed from Muster's own
    /// environment; no other variable is (but PATH, HOME and LANG).
    pub env: Vec<String>,
}

impl StepCommand {
    /// The command's identity: SHA-256 (hex) over its canonical JSON. Trust
    /// is bound to it; any change to the command changes it.
    pub fn sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&json)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The command as a person reads it: each argument quoted when it must be.
    pub fn shown(&self) -> String {
        self.argv
            .iter()
            .map(|a| {
                if !a.is_empty()
                    && a.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
                {
                    a.clone()
                } else {
                    format!("'{}'", a.replace('\'', "'\\''"))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// When a team is notified about an emergency in a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NotifyWhen {
    UponDetection,
    UponValidation,
    UponResolution,
    Never,
}

impl NotifyWhen {
    pub const ALL: [NotifyWhen; 4] = [
        NotifyWhen::UponDetection,
        NotifyWhen::UponValidation,
        NotifyWhen::UponResolution,
        NotifyWhen::Never,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotifyWhen::UponDetection => "detection",
            NotifyWhen::UponValidation => "validation",
            NotifyWhen::UponResolution => "resolution",
            NotifyWhen::Never => "never",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NotifyWhen::UponDetection => "upon detection",
            NotifyWhen::UponValidation => "upon validation",
            NotifyWhen::UponResolution => "upon resolution",
            NotifyWhen::Never => "not notified",
        }
    }

    pub fn parse(text: &str) -> Option<NotifyWhen> {
        NotifyWhen::ALL.into_iter().find(|n| n.as_str() == text)
    }
}

/// Section 3: escalation for one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EscalationRule {
    pub category: Id,
    pub core: NotifyWhen,
    pub extended: NotifyWhen,
    /// Paging: when the person on call has not acknowledged an escalation
    /// within this many minutes, they are called again; as long as nobody
    /// acknowledges, each further period reaches the next people — the
    /// rotation's backup, then the category's other owners. None: no paging
    /// (the escalation reminders still come every quarter hour).
    #[serde(default)]
    pub page_after_minutes: Option<u32>,
}

/// Ways to reach a person or organisation. Any of them may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reach {
    pub email: Option<String>,
    pub chat: Option<String>,
    pub phone: Option<String>,
}

impl Reach {
    pub fn is_empty(&self) -> bool {
        [&self.email, &self.chat, &self.phone]
            .iter()
            .all(|v| v.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// Section 4: a member of the core response team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoreMember {
    pub id: Id,
    pub name: String,
    /// Job title, e.g. "CEO" or "Protocol engineer".
    pub role: String,
    /// Categories this person owns.
    pub categories: Vec<Id>,
    pub reach: Reach,
    /// OpenSSH public key used to verify this person's signed decisions.
    pub public_key: Option<String>,
    /// Keys this person used before, each refused from the moment it was retired.
    /// (Defaulted: revisions saved before keys could be retired lack it.)
    #[serde(default)]
    pub retired_keys: Vec<RetiredKey>,
    pub last_verified: Option<NaiveDate>,
}

/// A public key a core member no longer signs with: a signature made with it
/// is refused from `retired_from` on (earlier signatures still count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RetiredKey {
    /// OpenSSH public key line, `ssh-ed25519 AAAA… [comment]`.
    pub key: String,
    pub retired_from: DateTime<Utc>,
}

/// Section 5: a person or organisation in the extended response team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExtendedContact {
    pub id: Id,
    /// A person's name or an organisation's.
    pub name: String,
    /// e.g. "Security consultant", "Community liaison", "Law enforcement".
    pub role: String,
    pub reach: Reach,
    pub last_verified: Option<NaiveDate>,
}

/// A day of the week (its own type so it can cross IPC as a plain string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }

    pub fn parse(text: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.as_str() == text)
    }

    /// Days since Monday (0..=6).
    pub fn index(self) -> u32 {
        Weekday::ALL.iter().position(|d| *d == self).unwrap_or(0) as u32
    }
}

/// A weekly on-call rotation for one category among its core owners: the
/// first member takes over at the first hand-over on or after `starts_on`,
/// the next one a week later, and so on round the list. Overrides win.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OnCallRotation {
    pub category: Id,
    /// Core members, in hand-over order.
    pub members: Vec<Id>,
    pub handover_day: Weekday,
    /// Local time of the hand-over in `time_zone`.
    #[ts(type = "string")]
    pub handover_time: NaiveTime,
    /// IANA time zone name, e.g. "Europe/Berlin".
    pub time_zone: String,
    pub starts_on: NaiveDate,
    pub overrides: Vec<OnCallOverride>,
}

/// A one-off change to a rotation: `member` is on call from `from` until `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OnCallOverride {
    pub member: Id,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Audience {
    Responders,
    Internal,
    Users,
    InternalPostMortem,
    PublicPostMortem,
}

impl Audience {
    pub const ALL: [Audience; 5] = [
        Audience::Responders,
        Audience::Internal,
        Audience::Users,
        Audience::InternalPostMortem,
        Audience::PublicPostMortem,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Responders => "responders",
            Audience::Internal => "internal",
            Audience::Users => "users",
            Audience::InternalPostMortem => "internal-post-mortem",
            Audience::PublicPostMortem => "public-post-mortem",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Responders => "Responders",
            Audience::Internal => "Internal",
            Audience::Users => "Users",
            Audience::InternalPostMortem => "Internal post-mortem",
            Audience::PublicPostMortem => "Public post-mortem",
        }
    }

    pub fn parse(text: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// When a communication goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Timing {
    /// Open from declaration until the incident is completed (e.g. a war-room channel).
    UntilCompletion,
    /// Repeated every N hours while the incident is open.
    EveryHours { hours: u32 },
    /// Repeated every N minutes while the incident is open (a tight cadence
    /// for the worst emergencies, or a short exercise).
    EveryMinutes { minutes: u32 },
    /// Once, N days after resolution (post-mortems).
    AfterResolutionDays { days: u32 },
}

impl Timing {
    pub fn describe(self) -> String {
        match self {
            Timing::UntilCompletion => "open until completion".to_owned(),
            Timing::EveryHours { hours: 1 } => "every hour".to_owned(),
            Timing::EveryHours { hours } => format!("every {hours} hours"),
            Timing::EveryMinutes { minutes: 1 } => "every minute".to_owned(),
            Timing::EveryMinutes { minutes } => format!("every {minutes} minutes"),
            Timing::AfterResolutionDays { days: 1 } => "at resolution + 1 day".to_owned(),
            Timing::AfterResolutionDays { days } => format!("at resolution + {days} days"),
        }
    }
}

/// Section 6: one communication duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommunicationRule {
    pub id: Id,
    pub audience: Audience,
    pub timing: Timing,
    /// Where it goes: a private chat channel, the status page, social accounts.
    pub channel: String,
    /// The contact who is responsible for it.
    pub responsible: Option<Id>,
    /// Categories it applies to; empty means every category.
    pub categories: Vec<Id>,
    /// Optional rules are a judgement call (e.g. no public post-mortem for a near-miss).
    pub optional: bool,
    pub notes: String,
}

/// Section 7: who must approve a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DecisionPolicy {
    pub id: Id,
    /// e.g. "Pause contract".
    pub title: String,
    pub description: String,
    /// Every one of these must approve.
    pub required: Vec<Id>,
    /// A pool of further approvers ...
    pub additional: Vec<Id>,
    /// ... of whom this many must also approve.
    pub additional_needed: u32,
    /// Whether approvals recorded as attested (unsigned: a phone call the
    /// scribe witnessed) count toward this policy's quorum. (Defaulted:
    /// revisions saved before attested approvals existed lack it.)
    #[serde(default)]
    pub attested_allowed: bool,
}

/// How often the plan is rehearsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExercisePolicy {
    /// Cadence while the plan is new, in weeks.
    pub while_new_every_weeks: u32,
    /// How long a plan counts as new, in months.
    pub new_for_months: u32,
    /// Cadence once established, in months (at most six in common practice).
    pub established_every_months: u32,
    /// Length of one session, in hours.
    pub session_hours: u32,
}

impl Plan {
    pub fn category(&self, id: &Id) -> Option<&Category> {
        self.categories.iter().find(|c| &c.id == id)
    }

    pub fn issue(&self, id: &Id) -> Option<&PotentialIssue> {
        self.issues.iter().find(|i| &i.id == id)
    }

    pub fn decision(&self, id: &Id) -> Option<&DecisionPolicy> {
        self.decisions.iter().find(|d| &d.id == id)
    }

    /// The display name of a contact in either team.
    pub fn contact_name(&self, id: &Id) -> Option<&str> {
        self.core_team
            .iter()
            .find(|m| &m.id == id)
            .map(|m| m.name.as_str())
            .or_else(|| {
                self.extended_team
                    .iter()
                    .find(|c| &c.id == id)
                    .map(|c| c.name.as_str())
            })
    }

    pub fn procedures_for<'a>(&'a self, issue: &'a Id) -> impl Iterator<Item = &'a Procedure> {
        self.procedures
            .iter()
            .filter(move |p| p.issues.contains(issue))
    }
}
