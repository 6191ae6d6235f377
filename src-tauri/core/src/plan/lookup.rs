//! Each section's elements by id, built once for a pass over the whole plan
//! (the plan check, locating a folder's problems), so that naming, ranking or
//! finding an element is a hash lookup, never a search of its list: a pass
//! stays linear on a plan of 100,000 issues.

use std::collections::{HashMap, HashSet};

use super::model::Plan;
use super::section::Section;

/// Positions by id, per section, and what is referenced from where.
#[derive(Debug)]
pub(crate) struct Lookup<'a> {
    plan: &'a Plan,
    categories: HashMap<&'a str, usize>,
    issues: HashMap<&'a str, usize>,
    procedures: HashMap<&'a str, usize>,
    escalation: HashMap<&'a str, usize>,
    core_team: HashMap<&'a str, usize>,
    extended_team: HashMap<&'a str, usize>,
    on_call: HashMap<&'a str, usize>,
    communications: HashMap<&'a str, usize>,
    decisions: HashMap<&'a str, usize>,
    /// Issues some procedure answers.
    answered: HashSet<&'a str>,
    /// Categories some core member owns.
    owned: HashSet<&'a str>,
}

/// The first position of each id (as a list search would find it).
fn by_id<'a, T>(list: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, usize> {
    let mut map = HashMap::with_capacity(list.len());
    for (i, x) in list.iter().enumerate() {
        map.entry(id(x)).or_insert(i);
    }
    map
}

impl<'a> Lookup<'a> {
    pub fn new(plan: &'a Plan) -> Lookup<'a> {
        Lookup {
            plan,
            categories: by_id(&plan.categories, |c| c.id.as_str()),
            issues: by_id(&plan.issues, |i| i.id.as_str()),
            procedures: by_id(&plan.procedures, |p| p.id.as_str()),
            escalation: by_id(&plan.escalation, |r| r.category.as_str()),
            core_team: by_id(&plan.core_team, |m| m.id.as_str()),
            extended_team: by_id(&plan.extended_team, |c| c.id.as_str()),
            on_call: by_id(&plan.on_call, |r| r.category.as_str()),
            communications: by_id(&plan.communications, |r| r.id.as_str()),
            decisions: by_id(&plan.decisions, |d| d.id.as_str()),
            answered: plan
                .procedures
                .iter()
                .flat_map(|p| p.issues.iter().map(|i| i.as_str()))
                .collect(),
            owned: plan
                .core_team
                .iter()
                .flat_map(|m| m.categories.iter().map(|c| c.as_str()))
                .collect(),
        }
    }

    pub fn plan(&self) -> &'a Plan {
        self.plan
    }

    /// Where the element of `section` keyed `key` is in its list (escalation
    /// rules and rotations by their category). Not for a step's key.
    pub fn position(&self, section: Section, key: &str) -> Option<usize> {
        let map = match section {
            Section::Meta | Section::ExercisePolicy => return Some(0),
            Section::Categories => &self.categories,
            Section::Issues => &self.issues,
            Section::Procedures => &self.procedures,
            Section::Escalation => &self.escalation,
            Section::CoreTeam => &self.core_team,
            Section::ExtendedTeam => &self.extended_team,
            Section::OnCall => &self.on_call,
            Section::Communications => &self.communications,
            Section::Decisions => &self.decisions,
        };
        map.get(key).copied()
    }

    /// The step keyed `procedure/step`: its procedure's position and its own.
    pub fn step(&self, key: &str) -> Option<(usize, usize)> {
        let (p, s) = key.split_once('/')?;
        let i = self.procedures.get(p).copied()?;
        let j = self
            .plan
            .procedures
            .get(i)?
            .steps
            .iter()
            .position(|y| y.id.as_str() == s)?;
        Some((i, j))
    }

    /// The name of the category `id`.
    pub fn category_name(&self, id: &str) -> Option<&'a str> {
        let i = self.categories.get(id).copied()?;
        self.plan.categories.get(i).map(|c| c.name.as_str())
    }

    /// Whether `id` is a contact of either team.
    pub fn is_contact(&self, id: &str) -> bool {
        self.core_team.contains_key(id) || self.extended_team.contains_key(id)
    }

    /// Whether some procedure answers the issue `id`.
    pub fn answered(&self, id: &str) -> bool {
        self.answered.contains(id)
    }

    /// Whether some core member owns the category `id`.
    pub fn owned(&self, id: &str) -> bool {
        self.owned.contains(id)
    }
}
