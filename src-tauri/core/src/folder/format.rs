//! The plan folder's files as serde types: what each file may hold, with which
//! keys, which are required and what each value may be. Reading is serde with
//! `deny_unknown_fields`, so a misspelt key is an error located at the key;
//! values that TOML cannot say directly (enums, timings, dates that may be
//! written as text) have small visitors here whose errors say what is allowed.
//! Writing is by hand (`write.rs`), with the same key names; the round-trip
//! tests keep the two in step.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::de::{self, value::MapAccessDeserializer, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::value::{Datetime, Offset};
use toml::Spanned;

use crate::plan::{
    AlertRule, Audience, Category, CommunicationRule, CoreMember, DecisionPolicy, Detection,
    EscalationRule, ExtendedContact, Id, Monitoring, NotifyWhen, OnCallOverride, OnCallRotation,
    PotentialIssue, Reach, RetiredKey, Severity, Step, StepCommand, Timing, Weekday,
};

/// `plan.toml`: the plan's details, the order of procedures, the exercise policy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct PlanFile {
    pub format: Spanned<u32>,
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub example: bool,
    #[serde(default)]
    pub procedures: Vec<Spanned<Id>>,
    pub exercise_policy: ExercisePolicyTable,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct ExercisePolicyTable {
    pub while_new_every_weeks: u32,
    pub new_for_months: u32,
    pub established_every_months: u32,
    pub session_hours: u32,
}

/// `[[category]]` in `categories.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct CategoryTable {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// `[[issue]]` in `issues.toml`; the detection fields are flattened into it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct IssueTable {
    pub id: Id,
    pub title: String,
    pub category: Id,
    pub severity: Choice<Severity>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub signal: String,
    pub monitoring: Choice<Monitoring>,
    #[serde(default)]
    pub source: String,
    /// `[[issue.alert]]`: the alert rules that mean this issue.
    #[serde(default)]
    pub alert: Vec<AlertTable>,
}

/// `[[issue.alert]]`: labels an alert must carry, and the severity it opens with.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct AlertTable {
    pub labels: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub severity: Option<Choice<Severity>>,
}

impl From<AlertTable> for AlertRule {
    fn from(t: AlertTable) -> AlertRule {
        AlertRule {
            labels: t.labels,
            severity: t.severity.map(|s| s.0),
        }
    }
}

/// The top of `procedures/<id>.toml`; its `[[step]]` tables are read one by one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct ProcedureHead {
    pub id: Spanned<Id>,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub issues: Vec<Id>,
}

/// `[[step]]` in a procedure file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct StepTable {
    pub id: Id,
    pub action: String,
    #[serde(default)]
    pub how: String,
    #[serde(default)]
    pub tools: String,
    #[serde(default)]
    pub test: String,
    pub expected_minutes: Option<u32>,
    pub decision: Option<Id>,
    /// `[step.command]`: the command that performs the step.
    pub command: Option<CommandTable>,
    #[serde(default)]
    pub automatable: bool,
}

/// `[step.command]`: the program and its arguments, where it runs, its time
/// limit and the environment variables it needs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct CommandTable {
    pub argv: Vec<String>,
    #[serde(default)]
    pub dir: String,
    pub timeout_seconds: u32,
    #[serde(default)]
    pub env: Vec<String>,
}

/// `[[rule]]` in `escalation.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct EscalationTable {
    pub category: Id,
    pub core: Choice<NotifyWhen>,
    pub extended: Choice<NotifyWhen>,
    pub page_after_minutes: Option<u32>,
}

/// `[[member]]` in `core-team.toml`; the ways to reach them are flattened into it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct MemberTable {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub categories: Vec<Id>,
    pub email: Option<String>,
    pub chat: Option<String>,
    pub phone: Option<String>,
    pub public_key: Option<String>,
    #[serde(default)]
    pub retired_keys: Vec<RetiredKeyTable>,
    pub last_verified: Option<DateValue>,
}

/// One of a member's `retired-keys`: `{ key = "ssh-ed25519 …", retired-from = 2026-03-01T09:00:00Z }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RetiredKeyTable {
    pub key: String,
    pub retired_from: DateTimeValue,
}

/// `[[contact]]` in `extended-team.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct ContactTable {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub role: String,
    pub email: Option<String>,
    pub chat: Option<String>,
    pub phone: Option<String>,
    pub last_verified: Option<DateValue>,
}

/// `[[rotation]]` in `on-call.toml`, with its `[[rotation.override]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RotationTable {
    pub category: Id,
    #[serde(default)]
    pub members: Vec<Id>,
    pub handover_day: Choice<Weekday>,
    pub handover_time: TimeValue,
    pub time_zone: String,
    pub starts_on: DateValue,
    #[serde(default, rename = "override")]
    pub overrides: Vec<OverrideTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct OverrideTable {
    pub member: Id,
    pub from: DateTimeValue,
    pub until: DateTimeValue,
    #[serde(default)]
    pub note: String,
}

/// `[[rule]]` in `communications.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct CommunicationTable {
    pub id: Id,
    pub audience: Choice<Audience>,
    pub timing: TimingValue,
    pub channel: String,
    pub responsible: Option<Id>,
    #[serde(default)]
    pub categories: Vec<Id>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub notes: String,
}

/// `[[decision]]` in `decisions.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct DecisionTable {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub required: Vec<Id>,
    #[serde(default)]
    pub additional: Vec<Id>,
    #[serde(default)]
    pub additional_needed: u32,
    #[serde(default)]
    pub attested_allowed: bool,
}

/// An enum of the model written as the string its `as_str` gives.
pub(super) trait Named: Copy + 'static {
    /// What one value is called in a message ("severity").
    const WHAT: &'static str;
    fn all() -> &'static [Self];
    fn name(self) -> &'static str;
}

macro_rules! named {
    ($($t:ty => $what:literal),* $(,)?) => {
        $(impl Named for $t {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                &<$t>::ALL
            }
            fn name(self) -> &'static str {
                self.as_str()
            }
        })*
    };
}

named! {
    Severity => "severity", NotifyWhen => "notification time", Audience => "audience",
    Weekday => "weekday",
}

const MONITORING: [Monitoring; 2] = [Monitoring::Manual, Monitoring::Automated];

impl Named for Monitoring {
    const WHAT: &'static str = "monitoring";
    fn all() -> &'static [Self] {
        &MONITORING
    }
    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// The allowed names of `T`, for a message: `` `a`, `b` or `c` ``.
fn choices<T: Named>() -> String {
    let names: Vec<String> = T::all().iter().map(|v| format!("`{}`", v.name())).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// A value of an enum of the model, read from its name.
#[derive(Debug, Clone, Copy)]
pub(super) struct Choice<T>(pub T);

impl<'de, T: Named> Deserialize<'de> for Choice<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<T: Named> Visitor<'_> for V<T> {
            type Value = Choice<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a {}: {}", T::WHAT, choices::<T>())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::all()
                    .iter()
                    .find(|c| c.name() == v)
                    .map(|c| Choice(*c))
                    .ok_or_else(|| {
                        E::custom(format!("unknown {} `{v}`: use {}", T::WHAT, choices::<T>()))
                    })
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

const TIMING_FORMS: &str =
    "use \"until-completion\", { every-hours = N }, { every-minutes = N } or { after-resolution-days = N }";

/// A communication's timing: `"until-completion"`, `{ every-hours = 4 }` or
/// `{ after-resolution-days = 5 }`.
#[derive(Debug, Clone, Copy)]
pub(super) struct TimingValue(pub Timing);

impl<'de> Deserialize<'de> for TimingValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TimingValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a timing: {TIMING_FORMS}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v == "until-completion" {
                    Ok(TimingValue(Timing::UntilCompletion))
                } else {
                    Err(E::custom(format!("unknown timing `{v}`: {TIMING_FORMS}")))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(format!("empty timing: {TIMING_FORMS}")));
                };
                let n: u32 = map.next_value()?;
                let timing = match key.as_str() {
                    "every-hours" => Timing::EveryHours { hours: n },
                    "every-minutes" => Timing::EveryMinutes { minutes: n },
                    "after-resolution-days" => Timing::AfterResolutionDays { days: n },
                    other => {
                        return Err(de::Error::custom(format!(
                            "unknown timing `{other}`: {TIMING_FORMS}"
                        )))
                    }
                };
                if map.next_key::<String>()?.is_some() {
                    return Err(de::Error::custom(format!(
                        "a timing has one key: {TIMING_FORMS}"
                    )));
                }
                Ok(TimingValue(timing))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a TOML date-time value or a string, and turns either into `T`.
fn date_like<'de, D, T>(
    d: D,
    what: &'static str,
    native: fn(&Datetime) -> Option<T>,
    text: fn(&str) -> Option<T>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<T> {
        what: &'static str,
        native: fn(&Datetime) -> Option<T>,
        text: fn(&str) -> Option<T>,
    }
    impl<'de, T> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.what)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.text)(v).ok_or_else(|| E::custom(format!("`{v}` is not {}", self.what)))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let value = Datetime::deserialize(MapAccessDeserializer::new(map))?;
            (self.native)(&value)
                .ok_or_else(|| de::Error::custom(format!("`{value}` is not {}", self.what)))
        }
    }
    d.deserialize_any(V { what, native, text })
}

fn naive_date(value: &Datetime) -> Option<NaiveDate> {
    match value {
        Datetime {
            date: Some(d),
            time: None,
            offset: None,
        } => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
        _ => None,
    }
}

fn naive_time(t: &toml::value::Time) -> Option<NaiveTime> {
    NaiveTime::from_hms_nano_opt(
        u32::from(t.hour),
        u32::from(t.minute),
        u32::from(t.second.unwrap_or(0)),
        t.nanosecond.unwrap_or(0),
    )
}

/// A date: a TOML date (`2026-01-15`), or a string for years TOML cannot write.
#[derive(Debug, Clone, Copy)]
pub(super) struct DateValue(pub NaiveDate);

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        date_like(d, "a date like 2026-01-15", naive_date, |s| {
            s.parse::<NaiveDate>().ok()
        })
        .map(DateValue)
    }
}

/// A local time of day: `"09:00"` (or `"09:00:30"`), or a TOML local time.
#[derive(Debug, Clone, Copy)]
pub(super) struct TimeValue(pub NaiveTime);

impl<'de> Deserialize<'de> for TimeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let native = |v: &Datetime| match v {
            Datetime {
                date: None,
                time: Some(t),
                offset: None,
            } => naive_time(t),
            _ => None,
        };
        let text = |s: &str| {
            NaiveTime::parse_from_str(s, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S%.f"))
                .ok()
        };
        date_like(d, "a time of day like \"09:00\"", native, text).map(TimeValue)
    }
}

/// An instant: a TOML offset date-time (`2026-01-20T09:00:00Z`), or an RFC 3339 string.
#[derive(Debug, Clone, Copy)]
pub(super) struct DateTimeValue(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for DateTimeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let native = |v: &Datetime| {
            let (Some(date), Some(time), Some(offset)) = (v.date, v.time, v.offset) else {
                return None;
            };
            let local = naive_date(&Datetime {
                date: Some(date),
                time: None,
                offset: None,
            })?
            .and_time(naive_time(&time)?);
            let minutes = match offset {
                Offset::Z => 0,
                Offset::Custom { minutes } => i64::from(minutes),
            };
            let utc = local.checked_sub_signed(chrono::Duration::minutes(minutes))?;
            Some(Utc.from_utc_datetime(&utc))
        };
        let text = |s: &str| s.parse::<DateTime<Utc>>().ok();
        date_like(
            d,
            "a date and time with an offset, like 2026-01-20T09:00:00Z",
            native,
            text,
        )
        .map(DateTimeValue)
    }
}

// Conversions into the model. Structural checks (ids, references, ranges)
// are left to `plan::validate`, so that they are reported with the rest.

impl From<CategoryTable> for Category {
    fn from(t: CategoryTable) -> Category {
        Category {
            id: t.id,
            name: t.name,
            description: t.description,
        }
    }
}

impl From<IssueTable> for PotentialIssue {
    fn from(t: IssueTable) -> PotentialIssue {
        PotentialIssue {
            id: t.id,
            category: t.category,
            title: t.title,
            description: t.description,
            detection: Detection {
                signal: t.signal,
                monitoring: t.monitoring.0,
                source: t.source,
                alerts: t.alert.into_iter().map(Into::into).collect(),
            },
            severity: t.severity.0,
        }
    }
}

impl From<StepTable> for Step {
    fn from(t: StepTable) -> Step {
        Step {
            id: t.id,
            action: t.action,
            how: t.how,
            tools: t.tools,
            test: t.test,
            expected_minutes: t.expected_minutes,
            decision: t.decision,
            command: t.command.map(|c| StepCommand {
                argv: c.argv,
                dir: c.dir,
                timeout_seconds: c.timeout_seconds,
                env: c.env,
            }),
            automatable: t.automatable,
        }
    }
}

impl From<EscalationTable> for EscalationRule {
    fn from(t: EscalationTable) -> EscalationRule {
        EscalationRule {
            category: t.category,
            core: t.core.0,
            extended: t.extended.0,
            page_after_minutes: t.page_after_minutes,
        }
    }
}

impl From<MemberTable> for CoreMember {
    fn from(t: MemberTable) -> CoreMember {
        CoreMember {
            id: t.id,
            name: t.name,
            role: t.role,
            categories: t.categories,
            reach: Reach {
                email: t.email,
                chat: t.chat,
                phone: t.phone,
            },
            public_key: t.public_key,
            retired_keys: t
                .retired_keys
                .into_iter()
                .map(|r| RetiredKey {
                    key: r.key,
                    retired_from: r.retired_from.0,
                })
                .collect(),
            last_verified: t.last_verified.map(|d| d.0),
        }
    }
}

impl From<ContactTable> for ExtendedContact {
    fn from(t: ContactTable) -> ExtendedContact {
        ExtendedContact {
            id: t.id,
            name: t.name,
            role: t.role,
            reach: Reach {
                email: t.email,
                chat: t.chat,
                phone: t.phone,
            },
            last_verified: t.last_verified.map(|d| d.0),
        }
    }
}

impl From<RotationTable> for OnCallRotation {
    fn from(t: RotationTable) -> OnCallRotation {
        OnCallRotation {
            category: t.category,
            members: t.members,
            handover_day: t.handover_day.0,
            handover_time: t.handover_time.0,
            time_zone: t.time_zone,
            starts_on: t.starts_on.0,
            overrides: t
                .overrides
                .into_iter()
                .map(|o| OnCallOverride {
                    member: o.member,
                    from: o.from.0,
                    until: o.until.0,
                    note: o.note,
                })
                .collect(),
        }
    }
}

impl From<CommunicationTable> for CommunicationRule {
    fn from(t: CommunicationTable) -> CommunicationRule {
        CommunicationRule {
            id: t.id,
            audience: t.audience.0,
            timing: t.timing.0,
            channel: t.channel,
            responsible: t.responsible,
            categories: t.categories,
            optional: t.optional,
            notes: t.notes,
        }
    }
}

impl From<DecisionTable> for DecisionPolicy {
    fn from(t: DecisionTable) -> DecisionPolicy {
        DecisionPolicy {
            id: t.id,
            title: t.title,
            description: t.description,
            required: t.required,
            additional: t.additional,
            additional_needed: t.additional_needed,
            attested_allowed: t.attested_allowed,
        }
    }
}
