//! Structural validation: what must hold for a plan to be stored at all —
//! well-formed unique ids, references that resolve, required text present,
//! numbers in range. A plan that fails here is refused whole. (Gaps in a valid
//! plan, such as an issue with no procedure, are the plan check's business.)

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::elements::{self, ChangeSet};
use super::id::Id;
use super::keys;
use super::model::{AlertRule, Plan, Timing};

/// The longest a step's command may run, in seconds (an hour).
pub const MAX_COMMAND_SECONDS: u32 = 3600;
/// The most arguments a step's command may have.
const MAX_ARGS: usize = 64;

/// What is wrong with a step's command: a program to run, a time limit in
/// range, environment variable names.
fn command_problems(c: &crate::plan::StepCommand) -> Vec<String> {
    let mut out = Vec::new();
    match c.argv.first() {
        None => out.push("names no program: write the program, then its arguments".to_owned()),
        Some(program) if program.trim().is_empty() => {
            out.push("the program is empty: write its name or path".to_owned());
        }
        Some(_) => {}
    }
    if c.argv.len() > MAX_ARGS {
        out.push(format!(
            "has {} arguments: at most {MAX_ARGS}",
            c.argv.len()
        ));
    }
    if c.argv.iter().any(|a| a.contains('\0')) {
        out.push("an argument holds a NUL character: remove it".to_owned());
    }
    if !(1..=MAX_COMMAND_SECONDS).contains(&c.timeout_seconds) {
        out.push(format!(
            "time limit {} s: give one from 1 to {MAX_COMMAND_SECONDS} seconds",
            c.timeout_seconds
        ));
    }
    for name in &c.env {
        let mut bytes = name.bytes();
        let ok = matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
            && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && name.len() <= 100;
        if !ok {
            out.push(format!(
                "{:?} is not an environment variable name (letters, digits and _, not starting with a digit)",
                name.chars().take(40).collect::<String>()
            ));
        }
    }
    out
}

/// The most alert rules one issue may have.
pub const MAX_ALERT_RULES: usize = 20;
/// The most labels one alert rule may name.
pub const MAX_ALERT_LABELS: usize = 16;
use super::Section;

/// Where in the plan a problem is: a section, an element and a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub section: &'static str,
    /// The element's id (for steps, `procedure/step`); empty for whole-section fields.
    pub element: String,
    pub field: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub location: Location,
    pub message: String,
}

impl Problem {
    /// A problem at `field` of `element` in `section` (an empty element for
    /// a field of the whole).
    pub fn at(
        section: &'static str,
        element: &str,
        field: &'static str,
        message: String,
    ) -> Problem {
        Problem {
            location: Location {
                section,
                element: element.to_owned(),
                field,
            },
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.location;
        if l.element.is_empty() {
            write!(f, "{}.{}: {}", l.section, l.field, self.message)
        } else {
            write!(
                f,
                "{} `{}`, {}: {}",
                l.section, l.element, l.field, self.message
            )
        }
    }
}

/// Every structural problem in `plan`, in section order, and every text
/// problem; empty when it is sound.
pub fn validate(plan: &Plan) -> Vec<Problem> {
    let mut v = Validator::default();
    v.texts(plan);
    v.check(plan);
    v.problems
}

/// What [`validate`] finds in a plan that was sound before `changes`: the
/// structure checked whole (references reach across elements), the text
/// only of the elements that changed — an editor's save need not read
/// every procedure's every step again.
///
/// When nothing was removed (no element gone, no id renamed), what was sound
/// stays sound: an element that did not change can only be hurt through an
/// id it refers to going away, or an id it holds taken again. So the large
/// sections' elements that did not change are not checked one by one again —
/// their ids are still gathered, each id's uniqueness still checked — and a
/// save on a plan of 10,000 issues does not walk every issue and step.
pub fn validate_change(plan: &Plan, changes: &ChangeSet) -> Vec<Problem> {
    let mut v = Validator::default();
    for c in &changes.elements {
        if let Some(after) = &c.after {
            v.texts_of(c.section, &c.key, after);
        }
    }
    // Beyond a few dozen changed elements, scanning for each costs more
    // than one hashed pass.
    if changes.elements.len() <= SCOPED_UP_TO && changes.elements.iter().all(|c| c.after.is_some())
    {
        let mut scope: Vec<(&'static str, Vec<String>)> = Vec::new();
        for c in &changes.elements {
            let section = section_name(c.section);
            match scope.iter_mut().find(|(s, _)| *s == section) {
                Some((_, keys)) => keys.push(c.key.clone()),
                None => scope.push((section, vec![c.key.clone()])),
            }
        }
        v.scope = Some(scope);
    }
    v.check(plan);
    v.problems
}

/// Up to how many changed elements [`validate_change`] checks only them.
const SCOPED_UP_TO: usize = 64;

/// The name a problem gives a section.
fn section_name(section: Section) -> &'static str {
    match section {
        Section::Meta => "plan",
        Section::Categories => "categories",
        Section::Issues => "issues",
        Section::Procedures => "procedures",
        Section::Escalation => "escalation",
        Section::CoreTeam => "core team",
        Section::ExtendedTeam => "extended team",
        Section::OnCall => "on-call",
        Section::Communications => "communications",
        Section::Decisions => "decisions",
        Section::ExercisePolicy => "exercise policy",
    }
}

/// Why `email` is not one plain address (`name@example.com`), or `None`.
/// Refused: spaces, several addresses, and URL syntax (`?`, `&`, `%`) that
/// would let a `mailto:` link add recipients, a subject or a body.
pub fn email_problem(email: &str) -> Option<String> {
    const LOCAL_EXTRA: &str = ".!#$'*+/=^_`{|}~-";
    let shown: String = email.chars().take(80).collect();
    let plain = || format!("`{shown}` is not one plain email address such as name@example.com");
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return Some(format!(
            "`{shown}` has no @: write an address such as name@example.com"
        ));
    };
    if email.len() > 254 || local.is_empty() || local.len() > 64 {
        return Some(plain());
    }
    if let Some(bad) = email
        .chars()
        .find(|c| matches!(c, '?' | '&' | '%' | ',' | ';' | ' ' | '<' | '>'))
    {
        let what = if bad == ' ' {
            "a space".to_owned()
        } else {
            format!("`{bad}`")
        };
        return Some(format!(
            "`{shown}` has {what}: write one address only, such as name@example.com"
        ));
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || LOCAL_EXTRA.contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    (!local_ok || !domain_ok).then(plain)
}

/// A section's ids (or two sections', for contacts), to look references up
/// in and to find an id used twice. Hashed for a whole check; for a check of
/// a few changed elements, listed as they stand and scanned — hashing every
/// id of a large plan costs more than a few scans, on every save.
enum Known<'a> {
    Hashed(HashSet<&'a Id>),
    /// Each id with the section that holds it.
    Listed(Vec<(&'static str, &'a Id)>),
}

impl Known<'_> {
    fn contains(&self, id: &Id) -> bool {
        match self {
            Known::Hashed(set) => set.contains(id),
            Known::Listed(list) => list.iter().any(|(_, known)| *known == id),
        }
    }
}

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
    /// The elements to check one by one, by section name and key; `None`:
    /// every element (see [`validate_change`]).
    /// (A handful of sections and keys: scanned, not hashed, as it is asked
    /// about every element of the plan.)
    scope: Option<Vec<(&'static str, Vec<String>)>>,
}

impl Validator {
    /// Whether some element of `section` changed (always, in a whole check).
    fn in_scope(&self, section: &'static str) -> bool {
        self.scope
            .as_ref()
            .is_none_or(|scope| scope.iter().any(|(s, _)| *s == section))
    }

    /// Whether `element` of `section` gets its own checks (its id's form,
    /// its text, its references).
    fn local(&self, section: &'static str, element: &str) -> bool {
        self.scope.as_ref().is_none_or(|scope| {
            scope
                .iter()
                .any(|(s, keys)| *s == section && keys.iter().any(|k| k == element))
        })
    }

    fn push(&mut self, section: &'static str, element: &str, field: &'static str, message: String) {
        self.problems
            .push(Problem::at(section, element, field, message));
    }

    /// A problem at `field` when `value` is blank; `ask` says what to write.
    fn text(
        &mut self,
        section: &'static str,
        element: &str,
        field: &'static str,
        value: &str,
        ask: &str,
    ) {
        if value.trim().is_empty() {
            self.push(section, element, field, format!("is empty: {ask}"));
        }
    }

    /// An empty set of ids, of the kind this check uses.
    fn known<'a>(&self) -> Known<'a> {
        match self.scope {
            None => Known::Hashed(HashSet::new()),
            Some(_) => Known::Listed(Vec::new()),
        }
    }

    /// Checks each id is well formed and unique within `seen` (a listed
    /// `seen` is checked for ids used twice by [`Validator::used_twice`],
    /// once every section sharing it is in).
    fn ids<'a>(
        &mut self,
        section: &'static str,
        ids: impl IntoIterator<Item = &'a Id>,
        seen: &mut Known<'a>,
    ) {
        let ids = ids.into_iter();
        if let Known::Listed(list) = seen {
            list.reserve(ids.size_hint().0);
        }
        for id in ids {
            if let Some(reason) = self
                .local(section, id.as_str())
                .then(|| id.problem())
                .flatten()
            {
                self.push(section, id.as_str(), "id", reason);
                continue;
            }
            match seen {
                Known::Hashed(set) => {
                    if !set.insert(id) {
                        self.push(section, id.as_str(), "id", format!("`{id}` is used twice"));
                    }
                }
                Known::Listed(list) => list.push((section, id)),
            }
        }
    }

    /// For a listed `seen`: an id of a changed element held more than once
    /// is "used twice" at every holder after the first, as the hashed check
    /// says it. (Ids no changed element holds were unique before.)
    /// An issue's alert rules: each names at least one label, by a name
    /// Prometheus allows, with a value.
    fn alert_rules(&mut self, issue: &str, rules: &[AlertRule]) {
        if rules.len() > MAX_ALERT_RULES {
            self.push(
                "issues",
                issue,
                "alerts",
                format!(
                    "has {} alert rules: at most {MAX_ALERT_RULES} per issue",
                    rules.len()
                ),
            );
        }
        for (n, rule) in rules.iter().enumerate().take(MAX_ALERT_RULES) {
            let n = n + 1;
            if rule.labels.is_empty() {
                self.push(
                    "issues",
                    issue,
                    "alerts",
                    format!(
                        "alert rule {n} names no label, so it would match every alert: name at least one, e.g. alertname"
                    ),
                );
            }
            if rule.labels.len() > MAX_ALERT_LABELS {
                self.push(
                    "issues",
                    issue,
                    "alerts",
                    format!(
                        "alert rule {n} names {} labels: at most {MAX_ALERT_LABELS}",
                        rule.labels.len()
                    ),
                );
            }
            for (name, value) in rule.labels.iter().take(MAX_ALERT_LABELS) {
                if !crate::alert::is_label_name(name) {
                    self.push(
                        "issues",
                        issue,
                        "alerts",
                        format!(
                            "alert rule {n}: {:?} is not a label name (letters, digits and _, not starting with a digit, at most {} characters)",
                            name.chars().take(40).collect::<String>(),
                            crate::alert::MAX_LABEL_NAME
                        ),
                    );
                } else if value.contains(['\n', '\r', '\t']) {
                    self.push(
                        "issues",
                        issue,
                        "alerts",
                        format!("alert rule {n}: label `{name}` is one line: remove the line break or tab"),
                    );
                } else if value.trim().is_empty() {
                    self.push(
                        "issues",
                        issue,
                        "alerts",
                        format!("alert rule {n}: label `{name}` has no value: write the value the alert carries"),
                    );
                }
            }
        }
    }

    /// The same labels on two issues would send an alert to the first only.
    fn alert_rules_once(&mut self, plan: &Plan) {
        let mut seen: HashMap<&std::collections::BTreeMap<String, String>, &Id> = HashMap::new();
        for i in &plan.issues {
            for rule in &i.detection.alerts {
                if rule.labels.is_empty() {
                    continue;
                }
                match seen.get(&rule.labels) {
                    Some(first) if *first != &i.id => {
                        if self.local("issues", i.id.as_str())
                            || self.local("issues", first.as_str())
                        {
                            self.push(
                                "issues",
                                i.id.as_str(),
                                "alerts",
                                format!(
                                    "an alert rule with the same labels is on `{first}`, so such an alert would open `{first}` only: make one of them name another label"
                                ),
                            );
                        }
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(&rule.labels, &i.id);
                    }
                }
            }
        }
    }

    fn used_twice(&mut self, seen: &Known<'_>) {
        let (Known::Listed(list), Some(scope)) = (seen, &self.scope) else {
            return;
        };
        let mut twice: Vec<&Id> = Vec::new();
        for (section, keys) in scope {
            for key in keys {
                let mut held = list.iter().filter(|(_, id)| id.as_str() == key);
                let Some((_, id)) = held.clone().find(|(s, _)| s == section) else {
                    continue; // not an id of this list's sections
                };
                if held.nth(1).is_some() && !twice.contains(id) {
                    twice.push(id);
                }
            }
        }
        for id in twice {
            for (section, _) in list.iter().filter(|(_, other)| *other == id).skip(1) {
                self.push(section, id.as_str(), "id", format!("`{id}` is used twice"));
            }
        }
    }

    fn refs<'a>(
        &mut self,
        section: &'static str,
        element: &str,
        field: &'static str,
        refs: impl IntoIterator<Item = &'a Id>,
        known: &Known<'_>,
        what: &str,
    ) {
        // Lists are short: a scan of what came before beats a hash set.
        let mut listed: Vec<&Id> = Vec::new();
        for r in refs {
            if r.as_str().is_empty() {
                self.push(
                    section,
                    element,
                    field,
                    format!("is empty: choose a {what}"),
                );
            } else if !known.contains(r) {
                self.push(
                    section,
                    element,
                    field,
                    format!("no {what} has the id `{r}`"),
                );
            } else if listed.contains(&r) {
                self.push(section, element, field, format!("`{r}` is listed twice"));
            } else {
                listed.push(r);
            }
        }
    }

    /// A contact's email, when given, is one plain address: a mail link
    /// built from it must reach that one recipient and nobody else.
    fn email(&mut self, section: &'static str, element: &str, email: Option<&str>) {
        let Some(email) = email.filter(|e| !e.trim().is_empty()) else {
            return;
        };
        if let Some(reason) = email_problem(email) {
            self.push(section, element, "email", reason);
        }
    }

    /// Every current and retired key is an OpenSSH ed25519 public key line,
    /// and names one person: a signature must say whose it is.
    fn signing_keys(&mut self, plan: &Plan) {
        let mut owners: HashMap<[u8; 32], &Id> = HashMap::new();
        for m in &plan.core_team {
            let e = m.id.as_str();
            let current = m.public_key.iter().map(|k| ("publicKey", k.as_str()));
            let retired = m
                .retired_keys
                .iter()
                .map(|r| ("retiredKeys", r.key.as_str()));
            for (field, line) in current.chain(retired) {
                let key = match keys::parse(line) {
                    Ok(key) => key,
                    Err(reason) => {
                        self.push("core team", e, field, reason);
                        continue;
                    }
                };
                let Some(bytes) = key.key_data().ed25519().map(|k| k.0) else {
                    continue;
                };
                let print = key.fingerprint(ssh_key::HashAlg::Sha256);
                match owners.get(&bytes) {
                    None => {
                        owners.insert(bytes, &m.id);
                    }
                    Some(&owner) if owner == &m.id => {
                        let msg = format!("the key {print} is listed twice for this person");
                        self.push("core team", e, field, msg);
                    }
                    Some(owner) => {
                        let msg = format!(
                            "the key {print} is also `{owner}`'s: a key belongs to one person"
                        );
                        self.push("core team", e, field, msg);
                    }
                }
            }
        }
    }

    /// Every text field of every element: no control or direction
    /// characters, and a length a window can show (`text`).
    fn texts(&mut self, plan: &Plan) {
        // Only the elements whose text may be at fault are turned into
        // JSON and walked for where: on a large plan, few or none.
        for section in Section::ALL {
            for (key, value) in elements::in_doubt(plan, section) {
                self.texts_of(section, &key, &value);
            }
        }
    }

    /// The text problems of one element, given as JSON.
    fn texts_of(&mut self, section: Section, key: &str, value: &Value) {
        let name = section_name(section);
        for (pointer, field, message) in super::text::problems(value) {
            // A step's problem names the step, as the editor shows it.
            let element = match (section, pointer.strip_prefix("/steps/")) {
                (Section::Procedures, Some(rest)) => {
                    let n: usize = rest
                        .split('/')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    let step = value
                        .pointer(&format!("/steps/{n}/id"))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    format!("{key}/{step}")
                }
                _ => key.to_owned(),
            };
            self.push(name, &element, super::text::field_name(&field), message);
        }
    }

    fn check(&mut self, plan: &Plan) {
        self.text("plan", "", "name", &plan.meta.name, "give the plan a name");

        let mut categories = self.known();
        self.ids(
            "categories",
            plan.categories.iter().map(|c| &c.id),
            &mut categories,
        );
        self.used_twice(&categories);
        for c in &plan.categories {
            if !self.local("categories", c.id.as_str()) {
                continue;
            }
            self.text(
                "categories",
                c.id.as_str(),
                "name",
                &c.name,
                "give the category a name",
            );
        }

        let mut issues = self.known();
        self.ids("issues", plan.issues.iter().map(|i| &i.id), &mut issues);
        self.used_twice(&issues);
        for i in &plan.issues {
            let e = i.id.as_str();
            if !self.local("issues", e) {
                continue;
            }
            self.text("issues", e, "title", &i.title, "give the issue a title");
            self.refs(
                "issues",
                e,
                "category",
                [&i.category],
                &categories,
                "category",
            );
            self.alert_rules(e, &i.detection.alerts);
        }
        if self.in_scope("issues") {
            self.alert_rules_once(plan);
        }

        let mut contacts = self.known();
        self.ids(
            "core team",
            plan.core_team.iter().map(|m| &m.id),
            &mut contacts,
        );
        self.ids(
            "extended team",
            plan.extended_team.iter().map(|c| &c.id),
            &mut contacts,
        );
        self.used_twice(&contacts);
        for m in &plan.core_team {
            if !self.local("core team", m.id.as_str()) {
                continue;
            }
            self.text(
                "core team",
                m.id.as_str(),
                "name",
                &m.name,
                "write the person's name",
            );
            let e = m.id.as_str();
            self.email("core team", e, m.reach.email.as_deref());
            self.refs(
                "core team",
                e,
                "categories",
                &m.categories,
                &categories,
                "category",
            );
        }
        for c in &plan.extended_team {
            if !self.local("extended team", c.id.as_str()) {
                continue;
            }
            self.text(
                "extended team",
                c.id.as_str(),
                "name",
                &c.name,
                "write the contact's name",
            );
            self.email("extended team", c.id.as_str(), c.reach.email.as_deref());
        }
        // Keys change only with a core member; a check of other changes
        // need not parse every key again.
        if self.in_scope("core team") {
            self.signing_keys(plan);
        }

        let core = Known::Hashed(plan.core_team.iter().map(|m| &m.id).collect());
        let mut rotated = HashSet::new();
        for r in &plan.on_call {
            let e = r.category.as_str();
            self.refs(
                "on-call",
                e,
                "category",
                [&r.category],
                &categories,
                "category",
            );
            if !rotated.insert(&r.category) {
                let msg = format!("category `{}` has two on-call rotations", r.category);
                self.push("on-call", e, "category", msg);
            }
            if r.members.is_empty() {
                let msg = "has nobody: choose at least one core member".to_owned();
                self.push("on-call", e, "members", msg);
            }
            self.refs("on-call", e, "members", &r.members, &core, "core member");
            if super::oncall::time_zone(&r.time_zone).is_none() {
                let msg = format!(
                    "`{}` is not a known time zone; use an IANA name such as Europe/Berlin",
                    r.time_zone
                );
                self.push("on-call", e, "timeZone", msg);
            }
            for o in &r.overrides {
                self.refs("on-call", e, "overrides", [&o.member], &core, "core member");
                if o.from >= o.until {
                    let msg = format!("an override for `{}` ends before it starts", o.member);
                    self.push("on-call", e, "overrides", msg);
                }
            }
        }

        let mut decisions = self.known();
        self.ids(
            "decisions",
            plan.decisions.iter().map(|d| &d.id),
            &mut decisions,
        );
        self.used_twice(&decisions);
        for d in &plan.decisions {
            let e = d.id.as_str();
            self.text(
                "decisions",
                e,
                "title",
                &d.title,
                "say what is decided, e.g. “Pause contract”",
            );
            self.refs(
                "decisions",
                e,
                "required",
                &d.required,
                &contacts,
                "contact",
            );
            self.refs(
                "decisions",
                e,
                "additional",
                &d.additional,
                &contacts,
                "contact",
            );
            if let Some(both) = d.required.iter().find(|r| d.additional.contains(r)) {
                let name = plan
                    .core_team
                    .iter()
                    .map(|m| (&m.id, &m.name))
                    .chain(plan.extended_team.iter().map(|c| (&c.id, &c.name)))
                    .find(|(id, _)| *id == both)
                    .map_or_else(String::new, |(_, name)| format!("{name} "));
                let msg = format!(
                    "{name}(`{both}`) is both a required and an additional approver: keep one"
                );
                self.push("decisions", e, "additional", msg);
            }
            if d.required.is_empty() && d.additional_needed == 0 {
                let msg = "needs at least one approver: add a required approver or ask for additional ones".to_owned();
                self.push("decisions", e, "required", msg);
            }
            if d.additional_needed as usize > d.additional.len() {
                let msg = format!(
                    "asks for {} additional approvers but lists {}",
                    d.additional_needed,
                    d.additional.len()
                );
                self.push("decisions", e, "additionalNeeded", msg);
            }
        }

        let mut procedures = self.known();
        self.ids(
            "procedures",
            plan.procedures.iter().map(|p| &p.id),
            &mut procedures,
        );
        self.used_twice(&procedures);
        for p in &plan.procedures {
            let e = p.id.as_str();
            if !self.local("procedures", e) {
                continue;
            }
            self.text(
                "procedures",
                e,
                "title",
                &p.title,
                "give the procedure a title",
            );
            self.refs(
                "procedures",
                e,
                "issues",
                &p.issues,
                &issues,
                "potential issue",
            );
            for (n, s) in p.steps.iter().enumerate() {
                // Only a step with a problem needs its `procedure/step` label.
                let label = || format!("{}/{}", p.id, s.id);
                if let Some(reason) = s.id.problem() {
                    self.push("procedures", &label(), "id", reason);
                } else if p.steps[..n].iter().any(|earlier| earlier.id == s.id) {
                    let msg = format!("step id `{}` is used twice in this procedure", s.id);
                    self.push("procedures", &label(), "id", msg);
                }
                if s.action.trim().is_empty() {
                    self.push(
                        "procedures",
                        &label(),
                        "action",
                        "is empty: say what to do in this step".to_owned(),
                    );
                }
                if let Some(d) = &s.decision {
                    if !decisions.contains(d) {
                        let msg = format!("no decision policy has the id `{d}`");
                        self.push("procedures", &label(), "decision", msg);
                    }
                }
                if let Some(c) = &s.command {
                    for msg in command_problems(c) {
                        self.push("procedures", &label(), "command", msg);
                    }
                }
            }
        }

        let mut ruled = HashSet::new();
        for r in &plan.escalation {
            let e = r.category.as_str();
            self.refs(
                "escalation",
                e,
                "category",
                [&r.category],
                &categories,
                "category",
            );
            if !ruled.insert(&r.category) {
                let msg = format!("category `{}` has two escalation rules", r.category);
                self.push("escalation", e, "category", msg);
            }
            match r.page_after_minutes {
                Some(0) => self.push(
                    "escalation",
                    e,
                    "pageAfterMinutes",
                    "is 0 minutes: give at least 1, or leave it empty for no paging".to_owned(),
                ),
                Some(m) if m > 24 * 60 => self.push(
                    "escalation",
                    e,
                    "pageAfterMinutes",
                    format!("{m} minutes is more than a day: nobody waits that long to be paged"),
                ),
                _ => {}
            }
        }

        let mut rules = self.known();
        self.ids(
            "communications",
            plan.communications.iter().map(|r| &r.id),
            &mut rules,
        );
        self.used_twice(&rules);
        for r in &plan.communications {
            let e = r.id.as_str();
            self.text(
                "communications",
                e,
                "channel",
                &r.channel,
                "say where it goes, e.g. “Status page”",
            );
            if let Some(who) = &r.responsible {
                self.refs(
                    "communications",
                    e,
                    "responsible",
                    [who],
                    &contacts,
                    "contact",
                );
            }
            let cats = &r.categories;
            self.refs(
                "communications",
                e,
                "categories",
                cats,
                &categories,
                "category",
            );
            match r.timing {
                Timing::EveryHours { hours: 0 } => self.push(
                    "communications",
                    e,
                    "timing",
                    "every 0 hours: use at least 1".to_owned(),
                ),
                Timing::EveryHours { hours } if hours > 24 * 14 => self.push(
                    "communications",
                    e,
                    "timing",
                    format!("every {hours} hours is more than two weeks"),
                ),
                Timing::EveryMinutes { minutes: 0 } => self.push(
                    "communications",
                    e,
                    "timing",
                    "every 0 minutes: use at least 1".to_owned(),
                ),
                Timing::EveryMinutes { minutes } if minutes > 60 * 24 * 14 => self.push(
                    "communications",
                    e,
                    "timing",
                    format!("every {minutes} minutes is more than two weeks"),
                ),
                Timing::AfterResolutionDays { days } if days > 365 => self.push(
                    "communications",
                    e,
                    "timing",
                    format!("{days} days after resolution is more than a year"),
                ),
                _ => {}
            }
        }

        let x = &plan.exercise_policy;
        for (field, value, max) in [
            ("whileNewEveryWeeks", x.while_new_every_weeks, 52),
            ("newForMonths", x.new_for_months, 60),
            ("establishedEveryMonths", x.established_every_months, 24),
            ("sessionHours", x.session_hours, 24),
        ] {
            if value == 0 || value > max {
                self.push(
                    "exercise policy",
                    "",
                    field,
                    format!("{value} is out of range 1 to {max}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::plan::id;
    use crate::starter;

    fn starter_plan() -> Plan {
        starter::plan(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default())
    }

    #[test]
    fn hostile_or_oversized_text_anywhere_is_refused_where_it_is() {
        let mut plan = starter_plan();
        plan.issues[0].title = "Oracle \u{202E}eruliaf and the rest of the line".to_owned();
        plan.issues[1].title = "x".repeat(300);
        plan.procedures[0].steps[1].how = "Press \u{1b}[2J to clear".to_owned();
        plan.extended_team[0].name = "Two\nlines".to_owned();
        plan.communications[0].notes = "y".repeat(super::super::text::MAX_LONG + 1);
        let found: Vec<(String, String, String)> = validate(&plan)
            .into_iter()
            .map(|p| {
                (
                    p.location.section.to_owned(),
                    p.location.element,
                    p.location.field.to_owned(),
                )
            })
            .collect();
        let step = format!(
            "{}/{}",
            plan.procedures[0].id, plan.procedures[0].steps[1].id
        );
        for expected in [
            ("issues", plan.issues[0].id.to_string(), "title"),
            ("issues", plan.issues[1].id.to_string(), "title"),
            ("procedures", step, "how"),
            (
                "extended team",
                plan.extended_team[0].id.to_string(),
                "name",
            ),
            (
                "communications",
                plan.communications[0].id.to_string(),
                "notes",
            ),
        ] {
            let expected = (expected.0.to_owned(), expected.1, expected.2.to_owned());
            assert!(found.contains(&expected), "{expected:?} not in {found:?}");
        }
        assert_eq!(found.len(), 5, "{found:?}");
    }

    /// Applies `change` to the starter plan and expects exactly `expected`.
    fn check(change: impl FnOnce(&mut Plan), expected: &[&str]) {
        let mut plan = starter_plan();
        change(&mut plan);
        let got: Vec<String> = validate(&plan).iter().map(ToString::to_string).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn the_starter_plan_is_sound() {
        check(|_| {}, &[]);
    }

    #[test]
    fn malformed_and_duplicate_ids() {
        check(
            |p| p.categories[0].id = id("Bad Id"),
            &[
                "categories `Bad Id`, id: id `Bad Id` has `B`; use lowercase letters, digits and hyphens",
                // Everything that pointed at the old id now dangles, and says so.
                "issues `protocol-ddos`, category: no category has the id `hacker-attack`",
                "issues `stolen-user-funds`, category: no category has the id `hacker-attack`",
                "issues `stolen-admin-credentials`, category: no category has the id `hacker-attack`",
                "core team `ada-example`, categories: no category has the id `hacker-attack`",
                "core team `dara-mock`, categories: no category has the id `hacker-attack`",
                "on-call `hacker-attack`, category: no category has the id `hacker-attack`",
                "escalation `hacker-attack`, category: no category has the id `hacker-attack`",
                "communications `app-banner`, categories: no category has the id `hacker-attack`",
            ],
        );
        check(
            |p| p.issues[1].id = p.issues[0].id.clone(),
            &[
                "issues `protocol-ddos`, id: `protocol-ddos` is used twice",
                "procedures `contain-exploit`, issues: no potential issue has the id `stolen-user-funds`",
                "procedures `patch-and-upgrade`, issues: no potential issue has the id `stolen-user-funds`",
                "procedures `recover-and-reimburse`, issues: no potential issue has the id `stolen-user-funds`",
            ],
        );
    }

    #[test]
    fn contacts_share_one_id_space_across_both_teams() {
        check(
            |p| p.extended_team[0].id = p.core_team[0].id.clone(),
            &["extended team `ada-example`, id: `ada-example` is used twice"],
        );
    }

    #[test]
    fn required_text_must_be_present() {
        check(
            |p| {
                p.meta.name = " ".into();
                p.issues[0].title.clear();
                p.procedures[0].steps[0].action.clear();
            },
            &[
                "plan.name: is empty: give the plan a name",
                "issues `protocol-ddos`, title: is empty: give the issue a title",
                "procedures `contain-exploit/open-war-room`, action: is empty: say what to do in this step",
            ],
        );
    }

    #[test]
    fn alert_rules_name_prometheus_labels_with_values_and_mean_one_issue() {
        use crate::plan::AlertRule;
        let rule = |pairs: &[(&str, &str)]| AlertRule {
            labels: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            severity: None,
        };
        check(
            |p| {
                let oracle = p.issues.iter_mut().find(|i| i.id.as_str() == "oracle-failure");
                if let Some(i) = oracle {
                    i.detection.alerts = vec![
                        rule(&[]),
                        rule(&[("bad-name", "x"), ("env", "")]),
                        rule(&[("9lives", "x"), ("team", "a\nb")]),
                    ];
                }
                let dns = p.issues.iter_mut().find(|i| i.id.as_str() == "dns-hijack");
                if let Some(i) = dns {
                    // The same labels as the RPC outage's rule.
                    i.detection.alerts = vec![rule(&[("alertname", "RpcProviderDown")])];
                }
            },
            &[
                "issues `oracle-failure`, alerts: alert rule 1 names no label, so it would match every alert: name at least one, e.g. alertname",
                "issues `oracle-failure`, alerts: alert rule 2: \"bad-name\" is not a label name (letters, digits and _, not starting with a digit, at most 100 characters)",
                "issues `oracle-failure`, alerts: alert rule 2: label `env` has no value: write the value the alert carries",
                "issues `oracle-failure`, alerts: alert rule 3: \"9lives\" is not a label name (letters, digits and _, not starting with a digit, at most 100 characters)",
                "issues `oracle-failure`, alerts: alert rule 3: label `team` is one line: remove the line break or tab",
                "issues `dns-hijack`, alerts: an alert rule with the same labels is on `rpc-provider-outage`, so such an alert would open `rpc-provider-outage` only: make one of them name another label",
            ],
        );
        check(
            |p| p.issues[0].detection.alerts = vec![rule(&[("a", "b")]); MAX_ALERT_RULES + 1],
            &["issues `protocol-ddos`, alerts: has 21 alert rules: at most 20 per issue"],
        );
    }

    #[test]
    fn references_must_resolve() {
        check(
            |p| {
                p.procedures[0].steps[0].decision = Some(id("no-such-decision"));
                p.communications[0].responsible = Some(id("nobody"));
                p.decisions[0].required.push(id("ghost"));
            },
            &[
                "decisions `pause-contract`, required: no contact has the id `ghost`",
                "procedures `contain-exploit/open-war-room`, decision: no decision policy has the id `no-such-decision`",
                "communications `responders-war-room`, responsible: no contact has the id `nobody`",
            ],
        );
    }

    #[test]
    fn a_list_names_each_element_once() {
        check(
            |p| {
                let first = p.procedures[0].issues[0].clone();
                p.procedures[0].issues.push(first);
            },
            &["procedures `contain-exploit`, issues: `stolen-user-funds` is listed twice"],
        );
    }

    #[test]
    fn one_escalation_rule_per_category() {
        check(
            |p| {
                let again = p.escalation[0].clone();
                p.escalation.push(again);
            },
            &["escalation `hacker-attack`, category: category `hacker-attack` has two escalation rules"],
        );
    }

    #[test]
    fn decision_quorum_must_be_reachable() {
        check(
            |p| {
                let d = &mut p.decisions[0];
                d.additional_needed = d.additional.len() as u32 + 1;
            },
            &["decisions `pause-contract`, additionalNeeded: asks for 3 additional approvers but lists 2"],
        );
        check(
            |p| {
                let d = &mut p.decisions[0];
                let both = d.required[0].clone();
                d.additional.push(both);
            },
            &["decisions `pause-contract`, additional: Ada Example (`ada-example`) is both a required and an additional approver: keep one"],
        );
        check(
            |p| {
                let d = &mut p.decisions[0];
                d.required.clear();
                d.additional_needed = 0;
            },
            &["decisions `pause-contract`, required: needs at least one approver: add a required approver or ask for additional ones"],
        );
    }

    #[test]
    fn signing_keys_are_openssh_ed25519_lines_each_of_one_person() {
        use crate::plan::keys::tests::key_line;
        use crate::plan::RetiredKey;
        let retired = |line: String| RetiredKey {
            key: line,
            retired_from: chrono::DateTime::UNIX_EPOCH,
        };
        check(
            |p| {
                p.core_team[0].public_key = Some(key_line(1, "ada laptop"));
                p.core_team[0].retired_keys = vec![retired(key_line(2, "ada old laptop"))];
                p.core_team[1].public_key = Some(key_line(3, ""));
            },
            &[],
        );
        check(
            |p| {
                p.core_team[0].public_key = Some("ssh-ed25519 AAAA".into());
                p.core_team[0].retired_keys = vec![retired(String::new())];
            },
            &[
                "core team `ada-example`, publicKey: is not an OpenSSH ed25519 public key line, `ssh-ed25519 AAAA… [comment]` (it does not parse)",
                "core team `ada-example`, retiredKeys: is blank: remove it or give an OpenSSH ed25519 public key line, `ssh-ed25519 AAAA… [comment]`",
            ],
        );
        let print = keys::fingerprint(&key_line(1, "")).unwrap_or_default();
        check(
            |p| {
                p.core_team[0].public_key = Some(key_line(1, "ada"));
                p.core_team[0].retired_keys = vec![retired(key_line(1, "ada, again"))];
                p.core_team[2].retired_keys = vec![retired(key_line(1, "not chloe's"))];
            },
            &[
                &format!("core team `ada-example`, retiredKeys: the key {print} is listed twice for this person"),
                &format!("core team `chloe-demo`, retiredKeys: the key {print} is also `ada-example`'s: a key belongs to one person"),
            ],
        );
    }

    #[test]
    fn timings_and_cadences_must_be_in_range() {
        check(
            |p| {
                p.communications[1].timing = Timing::EveryHours { hours: 0 };
                p.communications[2].timing = Timing::AfterResolutionDays { days: 400 };
                p.exercise_policy.established_every_months = 0;
            },
            &[
                "communications `internal-hourly-update`, timing: every 0 hours: use at least 1",
                "communications `user-updates`, timing: 400 days after resolution is more than a year",
                "exercise policy.establishedEveryMonths: 0 is out of range 1 to 24",
            ],
        );
    }

    #[test]
    fn an_email_is_one_plain_address() {
        for good in [
            "ada@example.com",
            "ada.o'brien+ir@mail.example.co.uk",
            " ben@x.io ",
        ] {
            assert_eq!(email_problem(good), None, "{good}");
        }
        for bad in [
            "ada",
            "ada@example",
            "@example.com",
            "ada@-example.com",
            "ada@exa_mple.com",
            "ada@@example.com",
            "ada@example..com",
            "ädä@example.com",
            "ada@example.com?bcc=eve@evil.example",
            "ada@example.com&body=hi",
            "ada%40example.com@x.io",
            "ada@example.com, eve@evil.example",
            "ada@example.com;eve@evil.example",
            "Ada <ada@example.com>",
            "ada example@example.com",
        ] {
            assert!(email_problem(bad).is_some(), "{bad} was let through");
        }
        check(
            |p| {
                p.core_team[0].reach.email = Some("ada@example.com?bcc=eve@evil.example".into());
                p.extended_team[0].reach.email = Some("nobody".into());
                p.core_team[1].reach.email = Some("  ".into());
            },
            &[
                "core team `ada-example`, email: `ada@example.com?bcc=eve@evil.example` has `?`: write one address only, such as name@example.com",
                "extended team `brightline-security`, email: `nobody` has no @: write an address such as name@example.com",
            ],
        );
    }

    #[test]
    fn empty_choices_ask_for_one() {
        check(
            |p| {
                p.issues[0].category = id("");
                p.on_call[0].members.clear();
            },
            &[
                "issues `protocol-ddos`, category: is empty: choose a category",
                "on-call `hacker-attack`, members: has nobody: choose at least one core member",
            ],
        );
    }

    /// A save checks only what it changed, and finds exactly what the whole
    /// check finds, for every kind of change: an element's own fields and
    /// references, a new element's id, and — through a full check — what a
    /// removal or a renamed id leaves dangling anywhere.
    #[test]
    fn a_save_checked_by_what_it_changed_finds_what_the_whole_check_finds() {
        type Change = fn(&mut Plan);
        let cases: Vec<(&str, Change)> = vec![
            ("nothing wrong", |p| {
                p.issues[0].title = "Oracle stale".into()
            }),
            ("an empty title", |p| p.issues[2].title = " ".into()),
            ("a missing category", |p| p.issues[3].category = id("gone")),
            ("a new issue with a bad id", |p| {
                let mut i = p.issues[0].clone();
                i.id = id("Bad Id");
                p.issues.push(i);
            }),
            ("a bad email", |p| {
                p.core_team[1].reach.email = Some("x@example.com?bcc=y@example.com".into())
            }),
            ("an unnamed contact", |p| {
                p.extended_team[0].name = String::new()
            }),
            ("a step's unknown decision and empty action", |p| {
                let steps = &mut p.procedures[1].steps;
                steps[0].decision = Some(id("no-such-policy"));
                steps[1].action = String::new();
                let twice = steps[0].id.clone();
                steps[2].id = twice;
            }),
            ("a procedure for an unknown issue", |p| {
                p.procedures[0].issues.push(id("unknown-issue"))
            }),
            ("a new contact with a core member's id", |p| {
                let mut c = p.extended_team[0].clone();
                c.id = p.core_team[0].id.clone();
                p.extended_team.push(c);
            }),
            ("a core member's key that is another's", |p| {
                let line = crate::plan::keys::tests::key_line(7, "shared");
                p.core_team[0].public_key = Some(line.clone());
                p.core_team[1].public_key = Some(line);
            }),
            ("a decision's unknown approver", |p| {
                p.decisions[0].required.push(id("nobody-here"))
            }),
            ("a rule for an unknown category", |p| {
                p.communications[0].categories.push(id("nowhere"))
            }),
            ("a rotation with nobody", |p| p.on_call[0].members.clear()),
            ("a category removed", |p| {
                p.categories.remove(0);
            }),
            ("an issue renamed", |p| p.issues[1].id = id("renamed-issue")),
            ("a contact removed", |p| {
                p.core_team.remove(1);
            }),
        ];
        for (what, change) in cases {
            let before = starter_plan();
            let mut after = before.clone();
            change(&mut after);
            let changes = super::super::elements::diff(&before, &after, None);
            assert!(!changes.is_empty(), "{what}: a change");
            let shown = |problems: Vec<Problem>| -> Vec<String> {
                let mut all: Vec<String> = problems.iter().map(ToString::to_string).collect();
                all.sort();
                all
            };
            let whole = shown(validate(&after));
            assert_eq!(
                whole.is_empty(),
                what == "nothing wrong",
                "{what}: {whole:?}"
            );
            assert_eq!(shown(validate_change(&after, &changes)), whole, "{what}");
        }
    }
}
