//! The plan check: gaps in a plan that a team should fix before it needs the plan.
//!
//! Structural validation (`plan::validate`) decides whether a plan can be stored at all.
//! A plan can pass it and still fail the team on the day: an issue nobody wrote a
//! procedure for, a category nobody owns, an approver who is on no team, a contact
//! with no way to reach them, a rotation that leaves nobody on call, contact details
//! nobody has confirmed for months. The check finds those gaps so the app can list
//! them (a panel with a link to each element and a count badge) and the command line
//! can print them.
//!
//! It runs on any [`Plan`] value, including one parsed from hand-edited files that was
//! never validated or stored, so it looks every reference up and never indexes or
//! unwraps: a dangling reference becomes a gap, never a panic. Structural problems are
//! reported too, as [`GapKind::Invalid`], except those that a more specific kind
//! already names (an unknown approver, decision, responsible contact or time zone), so
//! nothing is reported twice.
//!
//! Time comes in as an argument (`now`), so the result is deterministic: gaps are
//! ordered by section (as in [`Section::ALL`]), then by the element's place in the
//! plan, then by kind.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::lookup::Lookup;
use super::model::{Monitoring, OnCallRotation, Plan, Reach};
use super::section::Section;
use super::validate::{validate, Problem};
use super::{oncall, Id};

/// Contact details older than this many days (before `now`'s UTC date) are reported
/// as [`GapKind::ContactNotVerified`]; exactly this many days old is still fine.
pub const VERIFY_AFTER_DAYS: i64 = 90;

/// What kind of gap a [`Gap`] is. The order of the variants is the order in which
/// gaps on one element are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum GapKind {
    /// An issue that no procedure lists: the team would improvise (problem).
    IssueWithoutProcedure,
    /// An issue with no detection signal, or a signal with no source where it is
    /// watched: nobody may notice it in time (warning; a response still works once
    /// someone does).
    IssueWithoutDetection,
    /// A category with no escalation rule: nobody knows when to tell whom (problem).
    CategoryWithoutEscalation,
    /// A category no core member owns (problem).
    CategoryWithoutOwner,
    /// An on-call rotation that leaves a stretch with nobody on call — no members,
    /// an unknown time zone, or a first hand-over still ahead (problem) — or that
    /// pages a member who does not own its category (warning).
    RotationGap,
    /// A decision policy naming an approver who is on neither team (problem).
    ApproverOnNoTeam,
    /// A decision policy whose quorum needs someone with no signing key: a
    /// required approver, or more of the pool than have keys (warning: keys
    /// are set up on each holder's laptop; the message says whether only a
    /// witnessed call can then count, or nothing can).
    ApproverWithoutKey,
    /// A core member or extended contact with no email, chat or phone (problem).
    ContactUnreachable,
    /// A step that needs a decision no policy defines (problem).
    StepWithMissingDecision,
    /// A step marked to be automated with no command yet (suggestion).
    StepNotAutomated,
    /// A communication rule with nobody responsible, or a responsible id on no team
    /// (problem).
    CommunicationWithoutResponsible,
    /// A contact never verified, or last verified more than [`VERIFY_AFTER_DAYS`]
    /// days ago (warning; "Mark verified" clears it).
    ContactNotVerified,
    /// An issue whose detection is automated but that no alert rule opens: the
    /// monitor's alert reaches Muster and opens nothing (suggestion).
    AlertRuleMissing,
    /// A communication rule whose updates go to no target from this laptop:
    /// they are posted by hand (suggestion). Added by `Store::plan_check`.
    UpdateTargetMissing,
    /// Any other structural problem that `plan::validate` finds (problem).
    Invalid,
    /// An improvement item from an exercise, not yet done (warning; a problem
    /// once past its due day). Added by `Store::plan_check`, not by [`check`].
    ImprovementOpen,
    /// A field two laptops of the team changed without seeing each other's
    /// change, or an element removed on one and changed on another (problem
    /// until someone keeps one value). Added by `Store::plan_check`.
    Conflict,
}

/// How much a gap matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum GapLevel {
    /// Breaks a response: a step that cannot be taken, someone who cannot be found,
    /// a decision nobody can sign, a plan that does not hold together.
    Problem,
    /// Weakens a response without breaking it: stale contact details, an issue that
    /// may be noticed late, a rotation that pages someone outside their category.
    Warning,
    /// Would make a response quicker, breaking nothing: an issue watched by a
    /// monitor whose alert cannot open its incident.
    Suggestion,
}

/// One gap, pointing at the element that has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Gap {
    pub kind: GapKind,
    pub level: GapLevel,
    /// The section where the element lives (or, for a missing escalation rule, where
    /// it belongs), for the link.
    pub section: Section,
    /// The element's key: its id; `procedure-id/step-id` for a step; the category id
    /// for an escalation rule or on-call rotation; empty for the plan details and the
    /// exercise policy.
    pub element: String,
    /// What is wrong and what to do, naming the element by title and id; no
    /// trailing period.
    pub message: String,
}

/// Every gap in `plan` as of `now`, ordered by section (as in [`Section::ALL`]),
/// then by the element's place in the plan, then by kind. Empty when there is
/// nothing to fix.
pub fn check(plan: &Plan, now: DateTime<Utc>) -> Vec<Gap> {
    check_validated(plan, now, &validate(plan))
}

/// As [`check`], given what `plan::validate` found in `plan` (a caller that
/// has the structural problems already need not walk a large plan twice).
pub fn check_validated(plan: &Plan, now: DateTime<Utc>, problems: &[Problem]) -> Vec<Gap> {
    let mut c = Checker {
        plan,
        look: Lookup::new(plan),
        gaps: Vec::new(),
    };
    c.issues();
    c.categories();
    c.on_call(now);
    c.decisions();
    c.contacts(now.date_naive());
    c.steps();
    c.communications();
    c.invalid(problems);

    let gaps = std::mem::take(&mut c.gaps);
    let mut keyed: Vec<((Section, Rank, GapKind), Gap)> = gaps
        .into_iter()
        .map(|g| ((g.section, rank(&c.look, g.section, &g.element), g.kind), g))
        .collect();
    // A stable sort: gaps with equal keys keep the order they were found in.
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, g)| g).collect()
}

struct Checker<'a> {
    plan: &'a Plan,
    look: Lookup<'a>,
    gaps: Vec<Gap>,
}

impl Checker<'_> {
    fn push(
        &mut self,
        kind: GapKind,
        level: GapLevel,
        section: Section,
        element: &str,
        message: String,
    ) {
        self.gaps.push(Gap {
            kind,
            level,
            section,
            element: element.to_owned(),
            message,
        });
    }

    fn issues(&mut self) {
        let plan = self.plan;
        for issue in &plan.issues {
            let key = issue.id.as_str();
            let what = describe(&self.look, Section::Issues, key);
            if !self.look.answered(key) {
                let msg = format!(
                    "{what} has no response procedure: add one or map an existing procedure to it"
                );
                self.push(
                    GapKind::IssueWithoutProcedure,
                    GapLevel::Problem,
                    Section::Issues,
                    key,
                    msg,
                );
            }
            // No signal means nobody knows what to look for; a signal with no source
            // means nobody knows where to look. Either way it may be noticed late.
            let d = &issue.detection;
            let msg = if d.signal.trim().is_empty() {
                Some(format!(
                    "{what} has no detection signal: say what shows it is happening and where that is watched"
                ))
            } else if d.source.trim().is_empty() {
                Some(format!(
                    "{what} says what to look for but not where it is watched: add the dashboard, alert rule or channel that shows it"
                ))
            } else {
                None
            };
            if let Some(msg) = msg {
                self.push(
                    GapKind::IssueWithoutDetection,
                    GapLevel::Warning,
                    Section::Issues,
                    key,
                    msg,
                );
            }
            if d.monitoring == Monitoring::Automated && d.alerts.is_empty() {
                self.push(
                    GapKind::AlertRuleMissing,
                    GapLevel::Suggestion,
                    Section::Issues,
                    key,
                    format!(
                        "{what} is watched by a monitor, but no alert rule opens it: add the labels of the monitor's alert, so the alert opens the incident"
                    ),
                );
            }
        }
    }

    fn categories(&mut self) {
        let plan = self.plan;
        for category in &plan.categories {
            let key = category.id.as_str();
            let what = describe(&self.look, Section::Categories, key);
            if self.look.position(Section::Escalation, key).is_none() {
                let msg = format!(
                    "{what} has no escalation rule: say when the core and extended teams are notified"
                );
                // Escalation rules are keyed by category: the link opens the place
                // where the missing rule belongs.
                self.push(
                    GapKind::CategoryWithoutEscalation,
                    GapLevel::Problem,
                    Section::Escalation,
                    key,
                    msg,
                );
            }
            if !self.look.owned(key) {
                let msg =
                    format!("{what} has no owner: add it to the categories of a core team member");
                self.push(
                    GapKind::CategoryWithoutOwner,
                    GapLevel::Problem,
                    Section::Categories,
                    key,
                    msg,
                );
            }
        }
    }

    fn on_call(&mut self, now: DateTime<Utc>) {
        let plan = self.plan;
        let look = &self.look;
        for r in &plan.on_call {
            let key = r.category.as_str();
            let what = describe(&self.look, Section::OnCall, key);
            let mut gap = |level, msg| {
                self.gaps.push(Gap {
                    kind: GapKind::RotationGap,
                    level,
                    section: Section::OnCall,
                    element: key.to_owned(),
                    message: msg,
                });
            };
            if oncall::time_zone(&r.time_zone).is_none() {
                gap(
                    GapLevel::Problem,
                    format!(
                        "{what} uses `{}`, which is not a known time zone, so nobody is on call: use an IANA name such as Europe/Berlin",
                        r.time_zone
                    ),
                );
            } else if r.members.is_empty() {
                gap(
                    GapLevel::Problem,
                    format!(
                        "{what} has no members, so nobody is on call: add the core members who own the category"
                    ),
                );
            } else if let Some(msg) = uncovered_start(r, now) {
                gap(GapLevel::Problem, format!("{what} {msg}"));
            }
            for member in &r.members {
                // A member on no team is a dangling reference, reported as invalid.
                let Some(m) = look
                    .position(Section::CoreTeam, member.as_str())
                    .and_then(|i| plan.core_team.get(i))
                else {
                    continue;
                };
                if !m.categories.contains(&r.category) {
                    gap(
                        GapLevel::Warning,
                        format!(
                            "{what} pages {} ({}), who does not own this category: add it to their categories or take them off the rotation",
                            m.name, m.id
                        ),
                    );
                }
            }
        }
    }

    fn decisions(&mut self) {
        let plan = self.plan;
        // Each contact's name and whether they can sign (a core member with
        // a key; the extended team has none), once for the whole pass.
        let mut keys: HashMap<&str, (&str, bool)> = HashMap::new();
        for m in &plan.core_team {
            let signs = m
                .public_key
                .as_deref()
                .is_some_and(|k| !k.trim().is_empty());
            keys.entry(m.id.as_str())
                .or_insert((m.name.as_str(), signs));
        }
        for c in &plan.extended_team {
            keys.entry(c.id.as_str())
                .or_insert((c.name.as_str(), false));
        }
        for d in &plan.decisions {
            let key = d.id.as_str();
            let what = describe(&self.look, Section::Decisions, key);
            for (role, list) in [("required", &d.required), ("additional", &d.additional)] {
                let mut seen: Vec<&Id> = Vec::new();
                for who in list {
                    if self.look.is_contact(who.as_str()) || seen.contains(&who) {
                        continue;
                    }
                    seen.push(who);
                    let msg = format!(
                        "{what} names `{who}` as {role} approver, but nobody on the core or extended team has that id: add them to a team or choose another approver"
                    );
                    self.push(
                        GapKind::ApproverOnNoTeam,
                        GapLevel::Problem,
                        Section::Decisions,
                        key,
                        msg,
                    );
                }
            }
            self.approvers_without_keys(d, &what, &keys);
        }
    }

    /// Whether `d`'s quorum can be signed: each required approver, and
    /// enough of the pool, has a signing key. Found now, not mid-incident.
    fn approvers_without_keys(
        &mut self,
        d: &crate::plan::DecisionPolicy,
        what: &str,
        keys: &HashMap<&str, (&str, bool)>,
    ) {
        let after = if d.attested_allowed {
            "until they set up a key (Settings, on their laptop), only an attested approval — a witnessed call — can count"
        } else {
            "the decision cannot be approved until they set up a key (Settings, on their laptop), or the policy allows attested approvals"
        };
        let mut said: Vec<String> = Vec::new();
        let mut seen: Vec<&Id> = Vec::new();
        for who in &d.required {
            if seen.contains(&who) {
                continue;
            }
            seen.push(who);
            // An approver on no team is said above.
            if let Some((name, false)) = keys.get(who.as_str()) {
                said.push(format!(
                    "{what} needs {name}, who has no signing key: {after}"
                ));
            }
        }
        let mut pool: Vec<&Id> = Vec::new();
        for who in &d.additional {
            if !pool.contains(&who) && !d.required.contains(who) {
                pool.push(who);
            }
        }
        let needed = d.additional_needed as usize;
        let signers = pool
            .iter()
            .filter(|who| keys.get(who.as_str()).is_some_and(|(_, key)| *key))
            .count();
        if needed > 0 && signers < needed && needed <= pool.len() {
            let without: Vec<&str> = pool
                .iter()
                .filter_map(|who| match keys.get(who.as_str()) {
                    Some((name, false)) => Some(*name),
                    _ => None,
                })
                .collect();
            said.push(format!(
                "{what} needs {needed} of its further approvers, and only {signers} of them {has} a signing key (none for {}): {after}",
                without.join(", "),
                has = if signers == 1 { "has" } else { "have" },
            ));
        }
        // A key is set up on its holder's laptop, not written in the plan:
        // a matter of readiness (a warning), as a contact not verified is.
        for msg in said {
            self.push(
                GapKind::ApproverWithoutKey,
                GapLevel::Warning,
                Section::Decisions,
                d.id.as_str(),
                msg,
            );
        }
    }

    fn contacts(&mut self, today: NaiveDate) {
        let plan = self.plan;
        let core = plan
            .core_team
            .iter()
            .map(|m| (Section::CoreTeam, &m.id, &m.reach, m.last_verified));
        let extended = plan
            .extended_team
            .iter()
            .map(|c| (Section::ExtendedTeam, &c.id, &c.reach, c.last_verified));
        for (section, id, reach, last_verified) in core.chain(extended) {
            self.contact(section, id.as_str(), reach, last_verified, today);
        }
    }

    fn contact(
        &mut self,
        section: Section,
        key: &str,
        reach: &Reach,
        last_verified: Option<NaiveDate>,
        today: NaiveDate,
    ) {
        let what = describe(&self.look, section, key);
        if reach.is_empty() {
            let msg =
                format!("{what} has no email, chat or phone: add at least one way to reach them");
            self.push(
                GapKind::ContactUnreachable,
                GapLevel::Problem,
                section,
                key,
                msg,
            );
        }
        let stale = match last_verified {
            None => Some(format!(
                "{what} has never been verified: confirm their details with them, then choose Mark verified"
            )),
            Some(day) => {
                let days = today.signed_duration_since(day).num_days();
                (days > VERIFY_AFTER_DAYS).then(|| {
                    format!(
                        "{what} was last verified on {day}, {days} days ago: confirm their details with them, then choose Mark verified"
                    )
                })
            }
        };
        if let Some(msg) = stale {
            self.push(
                GapKind::ContactNotVerified,
                GapLevel::Warning,
                section,
                key,
                msg,
            );
        }
    }

    fn steps(&mut self) {
        let plan = self.plan;
        for p in &plan.procedures {
            for s in &p.steps {
                if s.automatable && s.command.is_none() {
                    let key = format!("{}/{}", p.id, s.id);
                    let what = describe(&self.look, Section::Procedures, &key);
                    self.push(
                        GapKind::StepNotAutomated,
                        GapLevel::Suggestion,
                        Section::Procedures,
                        &key,
                        format!(
                            "{what} is marked to be automated but has no command: give it the command that performs it, so it can be run from the console"
                        ),
                    );
                }
                let Some(decision) = &s.decision else {
                    continue;
                };
                if plan.decision(decision).is_some() {
                    continue;
                }
                let key = format!("{}/{}", p.id, s.id);
                let what = describe(&self.look, Section::Procedures, &key);
                let msg = format!(
                    "{what} needs the decision `{decision}`, but no decision policy has that id: add the policy or choose an existing one"
                );
                self.push(
                    GapKind::StepWithMissingDecision,
                    GapLevel::Problem,
                    Section::Procedures,
                    &key,
                    msg,
                );
            }
        }
    }

    fn communications(&mut self) {
        let plan = self.plan;
        for r in &plan.communications {
            let key = r.id.as_str();
            let what = describe(&self.look, Section::Communications, key);
            let msg = match &r.responsible {
                None => format!("{what} has nobody responsible: name the contact who sends it"),
                Some(who) if !self.look.is_contact(who.as_str()) => format!(
                    "{what} names `{who}` as responsible, but nobody on the core or extended team has that id: add them to a team or name another contact"
                ),
                Some(_) => continue,
            };
            self.push(
                GapKind::CommunicationWithoutResponsible,
                GapLevel::Problem,
                Section::Communications,
                key,
                msg,
            );
        }
    }

    /// Structural problems, except those a specific kind above already reports.
    fn invalid(&mut self, problems: &[Problem]) {
        for problem in problems {
            if self.already_reported(problem) {
                continue;
            }
            let l = &problem.location;
            let section = section_of(l.section);
            let what = describe(&self.look, section, &l.element);
            let msg = format!("{what}, {}: {}", l.field, problem.message);
            self.push(
                GapKind::Invalid,
                GapLevel::Problem,
                section,
                &l.element,
                msg,
            );
        }
    }

    /// Whether `problem` is one of the dangling references (or the unknown time
    /// zone) that a specific kind reports. Matched on the exact message validation
    /// gives for it, so any other problem on the same field still comes through.
    fn already_reported(&self, problem: &Problem) -> bool {
        let plan = self.plan;
        let l = &problem.location;
        let dangling =
            |what: &str, who: &Id| problem.message == format!("no {what} has the id `{who}`");
        let look = &self.look;
        match (l.section, l.field) {
            ("decisions", "required" | "additional") => look
                .position(Section::Decisions, &l.element)
                .and_then(|i| plan.decisions.get(i))
                .into_iter()
                .flat_map(|d| d.required.iter().chain(&d.additional))
                .any(|who| !look.is_contact(who.as_str()) && dangling("contact", who)),
            ("procedures", "decision") => look
                .step(&l.element)
                .and_then(|(i, j)| plan.procedures.get(i)?.steps.get(j))
                .and_then(|s| s.decision.as_ref())
                .is_some_and(|d| dangling("decision policy", d)),
            ("communications", "responsible") => look
                .position(Section::Communications, &l.element)
                .and_then(|i| plan.communications.get(i))
                .and_then(|r| r.responsible.as_ref())
                .is_some_and(|who| dangling("contact", who)),
            ("on-call", "timeZone") => true,
            _ => false,
        }
    }
}

/// When a rotation's first hand-over is still ahead of `now`: the stretch from
/// `now` (or from the end of the overrides that cover it) until that hand-over,
/// in which nobody is on call, as the rest of a message.
fn uncovered_start(r: &OnCallRotation, now: DateTime<Utc>) -> Option<String> {
    // Keep clear of the calendar's end, where date arithmetic would overflow.
    let far = NaiveDate::MAX - chrono::Days::new(14);
    if r.starts_on > far {
        return Some(format!(
            "starts on {}, so nobody is on call until then: move the start date to today or earlier",
            r.starts_on
        ));
    }
    let first = oncall::handover(r, 0)?;
    // Overrides may cover the beginning of the stretch; follow them as far as they go.
    let mut from = now;
    while let Some(until) = r
        .overrides
        .iter()
        .filter(|o| o.from <= from && from < o.until)
        .map(|o| o.until)
        .max()
    {
        from = until;
    }
    if from >= first {
        return None;
    }
    let first = utc_minute(first);
    Some(if from == now {
        format!(
            "leaves nobody on call until its first hand-over on {first}: move the start date earlier or add an override until then"
        )
    } else {
        format!(
            "leaves nobody on call from {} until its first hand-over on {first}: move the start date earlier or extend an override",
            utc_minute(from)
        )
    })
}

fn utc_minute(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The section a validation problem's location names.
fn section_of(text: &str) -> Section {
    if text == "plan" {
        return Section::Meta;
    }
    // Validation writes "core team" where a section key says "core-team".
    Section::parse(&text.replace(' ', "-")).unwrap_or(Section::Meta)
}

/// An element's place within its section, for ordering: its index (and, for a
/// step, the step's index after the procedure itself). Escalation rules that do
/// not exist yet come after those that do, in category order; keys found nowhere
/// come last.
type Rank = (usize, usize);

fn rank(look: &Lookup<'_>, section: Section, key: &str) -> Rank {
    const LAST: Rank = (usize::MAX, 0);
    let found = match section {
        Section::Procedures => match key.split_once('/') {
            Some(_) => look.step(key).map(|(i, j)| (i, j + 1)).or_else(|| {
                let p = key.split_once('/').map_or(key, |(p, _)| p);
                look.position(section, p).map(|i| (i, 0))
            }),
            None => look.position(section, key).map(|i| (i, 0)),
        },
        Section::Escalation => look
            .position(section, key)
            .or_else(|| {
                look.position(Section::Categories, key)
                    .map(|i| look.plan().escalation.len().saturating_add(i))
            })
            .map(|i| (i, 0)),
        _ => look.position(section, key).map(|i| (i, 0)),
    };
    found.unwrap_or(LAST)
}

/// Names an element of `plan` for a message, as the check does.
pub fn element_name(plan: &Plan, section: Section, key: &str) -> String {
    describe(&Lookup::new(plan), section, key)
}

/// Names an element for a message: `Issue “Oracle failure” (oracle-failure)`, or
/// with the bare id in backticks when it has no title or cannot be found.
fn describe(look: &Lookup<'_>, section: Section, key: &str) -> String {
    let plan = look.plan();
    let at = |section| look.position(section, key);
    let (noun, title): (&str, Option<String>) = match section {
        Section::Meta => return "Plan details".to_owned(),
        Section::ExercisePolicy => return "Exercise policy".to_owned(),
        Section::Escalation | Section::OnCall => {
            let noun = if section == Section::OnCall {
                "On-call rotation for"
            } else {
                "Escalation rule for"
            };
            return format!("{noun} {}", named(look.category_name(key), key));
        }
        Section::Procedures => match key.split_once('/') {
            Some(_) => (
                "Step",
                look.step(key)
                    .and_then(|(i, j)| plan.procedures.get(i)?.steps.get(j))
                    .map(|y| y.action.clone()),
            ),
            None => (
                "Procedure",
                at(section)
                    .and_then(|i| plan.procedures.get(i))
                    .map(|x| x.title.clone()),
            ),
        },
        Section::Categories => ("Category", look.category_name(key).map(str::to_owned)),
        Section::Issues => (
            "Issue",
            at(section)
                .and_then(|i| plan.issues.get(i))
                .map(|x| x.title.clone()),
        ),
        Section::CoreTeam => (
            "Core member",
            at(section)
                .and_then(|i| plan.core_team.get(i))
                .map(|x| x.name.clone()),
        ),
        Section::ExtendedTeam => (
            "Extended contact",
            at(section)
                .and_then(|i| plan.extended_team.get(i))
                .map(|x| x.name.clone()),
        ),
        Section::Communications => (
            "Communication rule",
            at(section)
                .and_then(|i| plan.communications.get(i))
                .map(|x| format!("{}, {}", x.audience.label(), x.timing.describe())),
        ),
        Section::Decisions => (
            "Decision policy",
            at(section)
                .and_then(|i| plan.decisions.get(i))
                .map(|x| x.title.clone()),
        ),
    };
    format!("{noun} {}", named(title.as_deref(), key))
}

/// `“Title” (id)`, or `` `id` `` when there is no title to show.
fn named(title: Option<&str>, key: &str) -> String {
    match title.map(str::trim) {
        Some(t) if !t.is_empty() => format!("“{t}” ({key})"),
        _ => format!("`{key}`"),
    }
}

#[cfg(test)]
mod tests;
