//! Checks a set-up against the plan, and an action against the exercise as it
//! stands. A set-up is checked whole: every problem comes back at once, each
//! located (section, element, field) so the form shows it beside its field —
//! the window has no rules of its own. Every refusal names what is wrong and
//! where.

use std::collections::HashSet;

use super::model::{ElementRef, ExerciseSetup, FindingDraft, Scenario};
use crate::error::{Error, Result};
use crate::plan::{elements, Id, Plan, Problem, Section};

/// The longest a log entry may be, in characters.
pub const LOG_MAX_CHARS: usize = 500;

/// "scenario 2 (“Oracle failure”)", or "scenario 2" while it has no title.
fn scenario_name(index: usize, scenario: &Scenario) -> String {
    let title = scenario.title.trim();
    if title.is_empty() {
        format!("scenario {}", index + 1)
    } else {
        format!("scenario {} (“{title}”)", index + 1)
    }
}

/// The problems found so far, each located in the set-up: `section` is
/// `exercise` (a field of the whole set-up: title, moderator, participants,
/// scenarios), `objectives`, `scenarios`, `injects`, `expected` or `targets`;
/// `element` the key of the objective or scenario, or `scenario/key` for an
/// inject, an expected action or a target; `field` the field.
#[derive(Default)]
struct Found {
    problems: Vec<Problem>,
}

impl Found {
    fn add(&mut self, section: &'static str, element: &str, field: &'static str, message: String) {
        self.problems
            .push(Problem::at(section, element, field, message));
    }

    /// An empty key, or one already used among `seen`.
    fn key<'a>(
        &mut self,
        seen: &mut HashSet<&'a str>,
        key: &'a str,
        at: (&'static str, &str),
        what: impl Fn() -> String,
    ) {
        if key.trim().is_empty() {
            self.add(at.0, at.1, "key", format!("{} has no key", what()));
        } else if !seen.insert(key) {
            self.add(
                at.0,
                at.1,
                "key",
                format!(
                    "{} has the key `{key}`, which is already used: keys must be unique",
                    what()
                ),
            );
        }
    }
}

fn is_contact(plan: &Plan, id: &Id) -> bool {
    plan.contact_name(id).is_some()
}

fn not_a_contact(id: &Id, what: &str) -> String {
    format!("the {what} `{id}` is not a contact in the core or extended team")
}

/// Refuses a set-up with any problem — an empty title, an unknown moderator,
/// participant, issue or category, a scenario with neither issue nor
/// category, duplicate or empty keys, an expected action linked to a step
/// that does not exist, a target of 0 minutes or naming an unknown
/// objective, no scenario at all — with every problem, located.
pub fn setup(plan: &Plan, setup: &ExerciseSetup) -> Result<()> {
    let problems = setup_problems(plan, setup);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: "exercise set-up",
            problems,
        })
    }
}

/// Every problem of `setup` against `plan`, in the order of the form.
pub fn setup_problems(plan: &Plan, setup: &ExerciseSetup) -> Vec<Problem> {
    let mut found = Found::default();
    if setup.title.trim().is_empty() {
        found.add(
            "exercise",
            "",
            "title",
            "the exercise needs a title: say in a few words what is rehearsed".to_owned(),
        );
    }
    if !is_contact(plan, &setup.moderator) {
        let message = if setup.moderator.as_str().is_empty() {
            "the exercise needs a moderator, who runs it and records it: choose one".to_owned()
        } else {
            not_a_contact(&setup.moderator, "moderator")
        };
        found.add("exercise", "", "moderator", message);
    }
    let mut participants = HashSet::new();
    for p in &setup.participants {
        if !is_contact(plan, p) {
            found.add(
                "exercise",
                "",
                "participants",
                not_a_contact(p, "participant"),
            );
        } else if !participants.insert(p) {
            found.add(
                "exercise",
                "",
                "participants",
                format!("the participant `{p}` is listed twice: list each person once"),
            );
        }
    }
    let mut objectives = HashSet::new();
    for (i, o) in setup.objectives.iter().enumerate() {
        let at = ("objectives", o.key.as_str());
        found.key(&mut objectives, &o.key, at, || {
            format!("objective {}", i + 1)
        });
        if o.text.trim().is_empty() {
            found.add(
                at.0,
                at.1,
                "text",
                format!(
                    "objective {} has no text: say what the exercise should show",
                    i + 1
                ),
            );
        }
    }
    if setup.scenarios.is_empty() {
        found.add(
            "exercise",
            "",
            "scenarios",
            "the exercise needs at least one scenario: add one from a potential issue or write one fresh"
                .to_owned(),
        );
    }
    let mut scenarios = HashSet::new();
    for (i, s) in setup.scenarios.iter().enumerate() {
        let name = scenario_name(i, s);
        found.key(&mut scenarios, &s.key, ("scenarios", &s.key), || {
            name.clone()
        });
        scenario(&mut found, plan, s, &name, &objectives);
    }
    found.problems
}

fn scenario(found: &mut Found, plan: &Plan, s: &Scenario, name: &str, objectives: &HashSet<&str>) {
    let sc = s.key.as_str();
    if s.title.trim().is_empty() {
        found.add(
            "scenarios",
            sc,
            "title",
            format!("{name} has no title: give it one"),
        );
    }
    match (&s.issue, &s.category) {
        (Some(issue), _) => {
            if plan.issue(issue).is_none() {
                found.add(
                    "scenarios",
                    sc,
                    "issue",
                    format!("{name} rehearses the potential issue `{issue}`, which the plan does not have"),
                );
            }
        }
        (None, Some(category)) => {
            if plan.category(category).is_none() {
                found.add(
                    "scenarios",
                    sc,
                    "category",
                    format!("{name} is in the category `{category}`, which the plan does not have"),
                );
            }
        }
        (None, None) => found.add(
            "scenarios",
            sc,
            "category",
            format!(
                "{name} has neither a potential issue nor a category: choose the issue it rehearses, or a category for a scenario written fresh"
            ),
        ),
    }
    let mut injects = HashSet::new();
    for (j, inject) in s.injects.iter().enumerate() {
        let element = format!("{sc}/{}", inject.key);
        let at = ("injects", element.as_str());
        found.key(&mut injects, &inject.key, at, || {
            format!("{name}: inject {}", j + 1)
        });
        if inject.title.trim().is_empty() {
            found.add(
                at.0,
                at.1,
                "title",
                format!(
                    "{name}: inject {} has no title: name it for the deck's button",
                    j + 1
                ),
            );
        }
    }
    let mut expected = HashSet::new();
    for (j, e) in s.expected.iter().enumerate() {
        let n = j + 1;
        let element = format!("{sc}/{}", e.key);
        let at = ("expected", element.as_str());
        found.key(&mut expected, &e.key, at, || {
            format!("{name}: expected action {n}")
        });
        if e.text.trim().is_empty() {
            found.add(
                at.0,
                at.1,
                "text",
                format!("{name}: expected action {n} has no text: say what responders should do"),
            );
        }
        let link = match (&e.procedure, &e.step) {
            (None, None) => None,
            (Some(p), Some(st)) => {
                let exists = plan
                    .procedures
                    .iter()
                    .find(|x| &x.id == p)
                    .is_some_and(|x| x.steps.iter().any(|y| &y.id == st));
                (!exists).then(|| format!(
                    "{name}: expected action {n} links to step `{p}/{st}`, which the plan does not have"
                ))
            }
            (Some(p), None) => Some(format!(
                "{name}: expected action {n} links to the procedure `{p}` but to none of its steps: choose the step"
            )),
            (None, Some(st)) => Some(format!(
                "{name}: expected action {n} links to the step `{st}` without its procedure: choose the procedure"
            )),
        };
        if let Some(message) = link {
            found.add(at.0, at.1, "step", message);
        }
    }
    let mut targets = HashSet::new();
    for (j, t) in s.targets.iter().enumerate() {
        let n = j + 1;
        let element = format!("{sc}/{}", t.key);
        let at = ("targets", element.as_str());
        found.key(&mut targets, &t.key, at, || format!("{name}: target {n}"));
        if t.label.trim().is_empty() {
            found.add(
                at.0,
                at.1,
                "label",
                format!("{name}: target {n} has no label: say what it measures, e.g. “Core team notified”"),
            );
        }
        if t.within_minutes == 0 {
            found.add(
                at.0,
                at.1,
                "minutes",
                format!(
                    "{name}: target {n} (“{}”) allows 0 minutes: give it at least one",
                    t.label.trim()
                ),
            );
        }
        if let Some(o) = &t.objective {
            if !objectives.contains(o.as_str()) {
                found.add(
                    at.0,
                    at.1,
                    "objective",
                    format!(
                        "{name}: target {n} (“{}”) evidences the objective `{o}`, which the exercise does not have",
                        t.label.trim()
                    ),
                );
            }
        }
    }
}

/// Whether `element` names an element of `plan`: a key of its section, or
/// `procedure-id/step-id` for a step.
pub fn element_exists(plan: &Plan, element: &ElementRef) -> bool {
    if element.section == Section::Procedures {
        if let Some((p, s)) = element.key.split_once('/') {
            return plan
                .procedures
                .iter()
                .find(|x| x.id.as_str() == p)
                .is_some_and(|x| x.steps.iter().any(|y| y.id.as_str() == s));
        }
    }
    elements::keys(plan, element.section).contains(&element.key)
}

/// A finding's draft, trimmed, after checking it: the issue and corrective
/// action written, the owner a contact on either team, the element (if any)
/// in the current plan, the scenario (if any) in the set-up. Every problem
/// comes back at once, located at the `finding`'s field.
pub fn finding(plan: &Plan, setup: &ExerciseSetup, draft: &FindingDraft) -> Result<FindingDraft> {
    let mut found = Found::default();
    let mut at = |field, message| found.add("finding", "", field, message);
    let issue = draft.issue.trim();
    if issue.is_empty() {
        at(
            "issue",
            "a finding needs the issue: say what went wrong".to_owned(),
        );
    }
    let action = draft.corrective_action.trim();
    if action.is_empty() {
        at(
            "correctiveAction",
            "a finding needs a corrective action: say what to do about it".to_owned(),
        );
    }
    if draft.owner.as_str().trim().is_empty() {
        at(
            "owner",
            "a finding needs an owner: choose who sees the corrective action through".to_owned(),
        );
    } else if !is_contact(plan, &draft.owner) {
        at("owner", not_a_contact(&draft.owner, "owner"));
    }
    if let Some(element) = &draft.element {
        if !element_exists(plan, element) {
            at(
                "element",
                format!(
                    "the finding concerns the {} `{}`, which the plan does not have",
                    if element.key.contains('/') && element.section == Section::Procedures {
                        "step"
                    } else {
                        element.section.noun()
                    },
                    element.key
                ),
            );
        }
    }
    let scenario = match draft.scenario.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(key) => {
            if !setup.scenarios.iter().any(|s| s.key == key) {
                at(
                    "scenario",
                    format!(
                        "the finding names the scenario `{key}`, which this exercise does not have"
                    ),
                );
            }
            Some(key.to_owned())
        }
    };
    if !found.problems.is_empty() {
        return Err(Error::Invalid {
            what: "finding",
            problems: found.problems,
        });
    }
    Ok(FindingDraft {
        scenario,
        issue: issue.to_owned(),
        element: draft.element.clone(),
        corrective_action: action.to_owned(),
        owner: draft.owner.clone(),
        due: draft.due,
    })
}

/// A log entry's text, trimmed: not empty, one line, at most
/// [`LOG_MAX_CHARS`] characters. A problem is located at the `log`'s
/// `text`.
pub fn log_text(text: &str) -> Result<String> {
    let text = text.trim();
    let chars = text.chars().count();
    let problem = if text.is_empty() {
        "a log entry needs text: say what was said or done".to_owned()
    } else if text.contains(['\n', '\r']) {
        "a log entry is one line: log each step as its own entry".to_owned()
    } else if chars > LOG_MAX_CHARS {
        format!(
            "a log entry is at most {LOG_MAX_CHARS} characters (this one has {chars}): shorten it or log it as two"
        )
    } else {
        return Ok(text.to_owned());
    };
    Err(Error::Invalid {
        what: "log entry",
        problems: vec![Problem::at("log", "", "text", problem)],
    })
}

/// A link attachment's address, trimmed: `http://…` or `https://…`.
pub fn link(target: &str) -> Result<String> {
    let target = target.trim();
    let rest = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.contains(char::is_whitespace) => {
            Ok(target.to_owned())
        }
        _ => Err(Error::Invalid {
            what: "attachment",
            problems: vec![Problem::at(
                "attachment",
                "",
                "target",
                format!("`{target}` is not a web address: a link starts with http:// or https://"),
            )],
        }),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::exercise::model::{ExpectedAction, Measure, Objective, Target};
    use crate::plan::id;
    use crate::starter;

    fn plan() -> Plan {
        starter::plan(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default())
    }

    fn base() -> ExerciseSetup {
        ExerciseSetup {
            title: "Spring drill".to_owned(),
            date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap_or_default(),
            moderator: id("ada-example"),
            participants: vec![id("ben-sample")],
            scope: "Detection to decision".to_owned(),
            objectives: vec![Objective {
                key: "obj-1".to_owned(),
                text: "Escalate in time".to_owned(),
            }],
            scenarios: vec![
                Scenario {
                    key: "sc-1".to_owned(),
                    title: "Stolen funds".to_owned(),
                    issue: Some(id("stolen-user-funds")),
                    category: None,
                    situation: String::new(),
                    injects: Vec::new(),
                    expected: Vec::new(),
                    targets: Vec::new(),
                },
                Scenario {
                    key: "sc-2".to_owned(),
                    title: "Oracle failure".to_owned(),
                    issue: Some(id("oracle-failure")),
                    category: None,
                    situation: String::new(),
                    injects: Vec::new(),
                    expected: vec![
                        ExpectedAction {
                            key: "exp-1".to_owned(),
                            text: "Confirm".to_owned(),
                            procedure: Some(id("handle-oracle-failure")),
                            step: Some(id("confirm-bad-price")),
                        },
                        ExpectedAction {
                            key: "exp-2".to_owned(),
                            text: "Tell".to_owned(),
                            procedure: None,
                            step: None,
                        },
                    ],
                    targets: vec![Target {
                        key: "tgt-1".to_owned(),
                        label: "Core team notified".to_owned(),
                        measure: Measure::Escalation,
                        within_minutes: 15,
                        objective: Some("obj-1".to_owned()),
                    }],
                },
            ],
        }
    }

    /// The first problem of a set-up with one mistake (a blanked key may
    /// bring a second: what referred to it no longer resolves).
    fn refusal(s: &ExerciseSetup) -> String {
        match setup(&plan(), s) {
            Err(Error::Invalid { problems, .. }) if !problems.is_empty() => {
                problems[0].message.clone()
            }
            other => panic!("expected a problem, got {other:?}"),
        }
    }

    #[test]
    fn every_mistake_of_a_setup_comes_back_at_once_each_located() {
        let mut s = base();
        s.title = String::new();
        s.objectives[0].text = " ".to_owned();
        s.scenarios[1].targets[0].within_minutes = 0;
        s.scenarios[1].targets[0].objective = Some("obj-9".to_owned());
        let Err(Error::Invalid { what, problems }) = setup(&plan(), &s) else {
            panic!("a set-up with four mistakes passed")
        };
        assert_eq!(what, "exercise set-up");
        let found: Vec<(&str, &str, &str)> = problems
            .iter()
            .map(|p| {
                (
                    p.location.section,
                    p.location.element.as_str(),
                    p.location.field,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("exercise", "", "title"),
                ("objectives", "obj-1", "text"),
                ("targets", "sc-2/tgt-1", "minutes"),
                ("targets", "sc-2/tgt-1", "objective"),
            ]
        );
        assert!(
            problems[0].message.contains("needs a title"),
            "{problems:?}"
        );
        assert_eq!(setup_problems(&plan(), &base()), []);
    }

    #[test]
    fn a_sound_setup_passes() {
        assert!(setup(&plan(), &base()).is_ok());
    }

    #[test]
    fn each_bad_setup_is_refused_naming_the_field() {
        let mut s = base();
        s.scenarios[1].expected.push(ExpectedAction {
            key: "exp-3".to_owned(),
            text: "Do it".to_owned(),
            procedure: Some(id("x")),
            step: Some(id("y")),
        });
        assert_eq!(
            refusal(&s),
            "scenario 2 (“Oracle failure”): expected action 3 links to step `x/y`, which the plan does not have"
        );

        let mut s = base();
        s.title = " ".to_owned();
        assert!(refusal(&s).contains("needs a title"));

        let mut s = base();
        s.moderator = id("nobody");
        assert!(refusal(&s).contains("moderator `nobody`"));

        let mut s = base();
        s.participants.push(id("ghost"));
        assert!(refusal(&s).contains("participant `ghost`"));

        let mut s = base();
        s.scenarios[0].issue = Some(id("no-issue"));
        assert!(refusal(&s)
            .contains("scenario 1 (“Stolen funds”) rehearses the potential issue `no-issue`"));

        let mut s = base();
        s.scenarios[0].issue = None;
        assert!(refusal(&s).contains("neither a potential issue nor a category"));
        s.scenarios[0].category = Some(id("no-category"));
        assert!(refusal(&s).contains("category `no-category`"));

        let mut s = base();
        s.scenarios[1].key = "sc-1".to_owned();
        assert!(refusal(&s).contains("already used"));

        let mut s = base();
        s.objectives[0].key = String::new();
        assert_eq!(refusal(&s), "objective 1 has no key");

        let mut s = base();
        s.scenarios[1].targets[0].within_minutes = 0;
        assert!(refusal(&s).contains("target 1 (“Core team notified”) allows 0 minutes"));

        let mut s = base();
        s.scenarios[1].targets[0].objective = Some("obj-9".to_owned());
        assert!(refusal(&s).contains("objective `obj-9`"));

        let mut s = base();
        s.scenarios.clear();
        assert!(refusal(&s).contains("at least one scenario"));
    }

    /// `(field, message)` of each problem, in order.
    fn located(result: Result<impl std::fmt::Debug>) -> Vec<(&'static str, String)> {
        match result {
            Err(Error::Invalid { problems, .. }) => problems
                .into_iter()
                .map(|p| (p.location.field, p.message))
                .collect(),
            other => panic!("expected located problems, got {other:?}"),
        }
    }

    #[test]
    fn every_mistake_of_a_finding_comes_back_at_once_each_at_its_field() {
        let draft = FindingDraft {
            scenario: Some("sc-9".to_owned()),
            issue: " ".to_owned(),
            element: Some(ElementRef {
                section: Section::Issues,
                key: "no-such-issue".to_owned(),
            }),
            corrective_action: String::new(),
            owner: id("ghost"),
            due: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default(),
        };
        let found = located(finding(&plan(), &base(), &draft));
        let fields: Vec<&str> = found.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            ["issue", "correctiveAction", "owner", "element", "scenario"]
        );
        assert_eq!(
            found[2].1,
            "the owner `ghost` is not a contact in the core or extended team"
        );
        let sound = FindingDraft {
            scenario: Some(" sc-2 ".to_owned()),
            issue: " Stale phone ".to_owned(),
            element: None,
            corrective_action: "Update it".to_owned(),
            owner: id("ada-example"),
            ..draft
        };
        let trimmed = finding(&plan(), &base(), &sound);
        assert_eq!(
            trimmed.map(|d| (d.scenario, d.issue)).ok(),
            Some((Some("sc-2".to_owned()), "Stale phone".to_owned()))
        );
    }

    #[test]
    fn log_text_and_links_are_checked() {
        assert_eq!(
            located(log_text("a\nb")),
            [(
                "text",
                "a log entry is one line: log each step as its own entry".to_owned()
            )]
        );
        assert_eq!(located(link("ftp://x"))[0].0, "target");
        assert_eq!(log_text("  Paused  ").ok().as_deref(), Some("Paused"));
        assert!(log_text(" ").is_err());
        assert!(log_text("a\nb").is_err());
        assert!(log_text(&"x".repeat(500)).is_ok());
        assert!(log_text(&"x".repeat(501)).is_err());
        assert!(link("https://drive.example.com/v").is_ok());
        assert!(link("ftp://x").is_err());
        assert!(link("https://").is_err());
    }
}
