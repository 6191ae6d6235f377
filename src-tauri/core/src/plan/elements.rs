//! A plan seen as addressable elements — (section, key) → JSON value, plus the
//! order of each section — so that edits, the revision history, diffs,
//! restore and undo all work the same way for every section.
//!
//! A [`ChangeSet`] records each changed element before and after, and each
//! reordered section before and after. Applying it forward turns the old plan
//! into the new one exactly; applying it backward turns it back.

use std::collections::{HashMap, HashSet};

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::Value;

use super::model::*;
use super::Section;
use crate::error::{Error, Result};

/// One element before and after (`None`: it did not exist).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementChange {
    pub section: Section,
    pub key: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The order of a section's keys before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderChange {
    pub section: Section,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeSet {
    pub elements: Vec<ElementChange>,
    pub orders: Vec<OrderChange>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty() && self.orders.is_empty()
    }

    /// Applies the change to `plan`: forward (old → new) or backward (new → old).
    pub fn apply(&self, plan: &mut Plan, forward: bool) -> Result<()> {
        if forward {
            for c in &self.elements {
                put(plan, c.section, &c.key, c.after.clone())?;
            }
            for o in &self.orders {
                reorder(plan, o.section, &o.after);
            }
        } else {
            for c in self.elements.iter().rev() {
                put(plan, c.section, &c.key, c.before.clone())?;
            }
            for o in self.orders.iter().rev() {
                reorder(plan, o.section, &o.before);
            }
        }
        Ok(())
    }

    /// The inverse change set: applying it forward undoes this one.
    pub fn inverted(&self) -> ChangeSet {
        ChangeSet {
            elements: self
                .elements
                .iter()
                .rev()
                .map(|c| ElementChange {
                    section: c.section,
                    key: c.key.clone(),
                    before: c.after.clone(),
                    after: c.before.clone(),
                })
                .collect(),
            orders: self
                .orders
                .iter()
                .rev()
                .map(|o| OrderChange {
                    section: o.section,
                    before: o.after.clone(),
                    after: o.before.clone(),
                })
                .collect(),
        }
    }
}

/// Elements of list sections know their key.
trait Keyed: Serialize + DeserializeOwned {
    fn key(&self) -> &str;
}

macro_rules! keyed {
    ($($t:ty => $field:ident),* $(,)?) => {
        $(impl Keyed for $t {
            fn key(&self) -> &str {
                self.$field.as_str()
            }
        })*
    };
}

keyed! {
    Category => id, PotentialIssue => id, Procedure => id, EscalationRule => category,
    CoreMember => id, ExtendedContact => id, OnCallRotation => category,
    CommunicationRule => id, DecisionPolicy => id,
}

/// Runs `$body` with `$list` bound to the section's Vec, or `$single` for singletons.
macro_rules! on_section {
    ($plan:expr, $section:expr, |$list:ident| $body:expr, $single:expr) => {
        match $section {
            Section::Categories => {
                let $list = &mut $plan.categories;
                $body
            }
            Section::Issues => {
                let $list = &mut $plan.issues;
                $body
            }
            Section::Procedures => {
                let $list = &mut $plan.procedures;
                $body
            }
            Section::Escalation => {
                let $list = &mut $plan.escalation;
                $body
            }
            Section::CoreTeam => {
                let $list = &mut $plan.core_team;
                $body
            }
            Section::ExtendedTeam => {
                let $list = &mut $plan.extended_team;
                $body
            }
            Section::OnCall => {
                let $list = &mut $plan.on_call;
                $body
            }
            Section::Communications => {
                let $list = &mut $plan.communications;
                $body
            }
            Section::Decisions => {
                let $list = &mut $plan.decisions;
                $body
            }
            Section::Meta | Section::ExercisePolicy => $single,
        }
    };
}

fn to_value<T: Serialize>(value: &T) -> Value {
    // Plan types serialize to JSON infallibly (no maps with non-string keys).
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn from_value<T: DeserializeOwned>(section: Section, key: &str, value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| {
        Error::Corrupt(format!(
            "stored {} `{key}` is unreadable: {e}",
            section.noun()
        ))
    })
}

/// An element's JSON as this build writes it: read through its type and
/// written back, so that a value stored by an older build (without fields
/// added since, which default) compares equal to the same element today.
pub fn upgraded(section: Section, key: &str, value: Value) -> Result<Value> {
    fn via<T: Serialize + DeserializeOwned>(
        section: Section,
        key: &str,
        value: Value,
    ) -> Result<Value> {
        Ok(to_value(&from_value::<T>(section, key, value)?))
    }
    match section {
        Section::Meta => via::<PlanMeta>(section, key, value),
        Section::ExercisePolicy => via::<ExercisePolicy>(section, key, value),
        Section::Categories => via::<Category>(section, key, value),
        Section::Issues => via::<PotentialIssue>(section, key, value),
        Section::Procedures => via::<Procedure>(section, key, value),
        Section::Escalation => via::<EscalationRule>(section, key, value),
        Section::CoreTeam => via::<CoreMember>(section, key, value),
        Section::ExtendedTeam => via::<ExtendedContact>(section, key, value),
        Section::OnCall => via::<OnCallRotation>(section, key, value),
        Section::Communications => via::<CommunicationRule>(section, key, value),
        Section::Decisions => via::<DecisionPolicy>(section, key, value),
    }
}

/// The keys of a section, in order.
pub fn keys(plan: &Plan, section: Section) -> Vec<String> {
    fn of<T: Keyed>(list: &[T]) -> Vec<String> {
        list.iter().map(|e| e.key().to_owned()).collect()
    }
    match section {
        Section::Meta | Section::ExercisePolicy => vec![String::new()],
        Section::Categories => of(&plan.categories),
        Section::Issues => of(&plan.issues),
        Section::Procedures => of(&plan.procedures),
        Section::Escalation => of(&plan.escalation),
        Section::CoreTeam => of(&plan.core_team),
        Section::ExtendedTeam => of(&plan.extended_team),
        Section::OnCall => of(&plan.on_call),
        Section::Communications => of(&plan.communications),
        Section::Decisions => of(&plan.decisions),
    }
}

/// The elements of a section whose text may have a problem (see
/// [`super::text::any_problem`]), as JSON with their keys, in order; the
/// others are found sound without their JSON (one pass, where [`get`] per
/// key would search the list each time).
pub fn in_doubt(plan: &Plan, section: Section) -> Vec<(String, Value)> {
    fn of<T: Keyed>(list: &[T]) -> Vec<(String, Value)> {
        list.iter()
            .filter(|e| super::text::any_problem(*e))
            .map(|e| (e.key().to_owned(), to_value(e)))
            .collect()
    }
    fn one<T: Serialize>(whole: &T) -> Vec<(String, Value)> {
        match super::text::any_problem(whole) {
            true => vec![(String::new(), to_value(whole))],
            false => Vec::new(),
        }
    }
    match section {
        Section::Meta => one(&plan.meta),
        Section::ExercisePolicy => one(&plan.exercise_policy),
        Section::Categories => of(&plan.categories),
        Section::Issues => of(&plan.issues),
        Section::Procedures => of(&plan.procedures),
        Section::Escalation => of(&plan.escalation),
        Section::CoreTeam => of(&plan.core_team),
        Section::ExtendedTeam => of(&plan.extended_team),
        Section::OnCall => of(&plan.on_call),
        Section::Communications => of(&plan.communications),
        Section::Decisions => of(&plan.decisions),
    }
}

/// Where each element of `section` is in its list, by key (the first with a
/// key, as [`get`] finds it): for a pass over many keys, where [`get`] per
/// key would search the list each time.
pub fn positions(plan: &Plan, section: Section) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, key) in keys(plan, section).into_iter().enumerate() {
        map.entry(key).or_insert(i);
    }
    map
}

/// The element at position `i` of `section`'s list, as JSON.
pub fn value_at(plan: &Plan, section: Section, i: usize) -> Option<Value> {
    fn of<T: Keyed>(list: &[T], i: usize) -> Option<Value> {
        list.get(i).map(to_value)
    }
    match section {
        Section::Meta => (i == 0).then(|| to_value(&plan.meta)),
        Section::ExercisePolicy => (i == 0).then(|| to_value(&plan.exercise_policy)),
        Section::Categories => of(&plan.categories, i),
        Section::Issues => of(&plan.issues, i),
        Section::Procedures => of(&plan.procedures, i),
        Section::Escalation => of(&plan.escalation, i),
        Section::CoreTeam => of(&plan.core_team, i),
        Section::ExtendedTeam => of(&plan.extended_team, i),
        Section::OnCall => of(&plan.on_call, i),
        Section::Communications => of(&plan.communications, i),
        Section::Decisions => of(&plan.decisions, i),
    }
}

/// Looks elements up by key: by search for a few, by an index built once
/// for many (a whole plan compared, a large import written).
#[derive(Debug)]
pub struct Finder<'a> {
    plan: &'a Plan,
    section: Section,
    index: Option<HashMap<String, usize>>,
}

/// From how many lookups in one section an index pays for itself.
const INDEX_FROM: usize = 32;

impl<'a> Finder<'a> {
    /// A finder for `lookups` keys of `section` in `plan`.
    pub fn new(plan: &'a Plan, section: Section, lookups: usize) -> Finder<'a> {
        let index = (lookups >= INDEX_FROM).then(|| positions(plan, section));
        Finder {
            plan,
            section,
            index,
        }
    }

    /// Where the element keyed `key` is: `Some(None)` when it is certainly
    /// absent, `None` when only a search would tell (no index).
    pub fn position(&self, key: &str) -> Option<Option<usize>> {
        self.index.as_ref().map(|m| m.get(key).copied())
    }

    /// The element keyed `key` as JSON, if it exists.
    pub fn get(&self, key: &str) -> Option<Value> {
        match self.position(key) {
            Some(at) => at.and_then(|i| value_at(self.plan, self.section, i)),
            None => get(self.plan, self.section, key),
        }
    }
}

/// One element as JSON, if it exists.
pub fn get(plan: &Plan, section: Section, key: &str) -> Option<Value> {
    fn of<T: Keyed>(list: &[T], key: &str) -> Option<Value> {
        list.iter().find(|e| e.key() == key).map(to_value)
    }
    match section {
        Section::Meta => Some(to_value(&plan.meta)),
        Section::ExercisePolicy => Some(to_value(&plan.exercise_policy)),
        Section::Categories => of(&plan.categories, key),
        Section::Issues => of(&plan.issues, key),
        Section::Procedures => of(&plan.procedures, key),
        Section::Escalation => of(&plan.escalation, key),
        Section::CoreTeam => of(&plan.core_team, key),
        Section::ExtendedTeam => of(&plan.extended_team, key),
        Section::OnCall => of(&plan.on_call, key),
        Section::Communications => of(&plan.communications, key),
        Section::Decisions => of(&plan.decisions, key),
    }
}

/// Sets one element: replaces it in place, appends it when new, or removes
/// it when `value` is `None`. Singletons cannot be removed.
pub fn put(plan: &mut Plan, section: Section, key: &str, value: Option<Value>) -> Result<()> {
    fn set<T: Keyed>(
        list: &mut Vec<T>,
        section: Section,
        key: &str,
        value: Option<Value>,
    ) -> Result<()> {
        let at = list.iter().position(|e| e.key() == key);
        match (value, at) {
            (Some(v), Some(i)) => list[i] = from_value(section, key, v)?,
            (Some(v), None) => list.push(from_value(section, key, v)?),
            (None, Some(i)) => {
                list.remove(i);
            }
            (None, None) => {}
        }
        Ok(())
    }
    match (section, value) {
        (Section::Meta, Some(v)) => plan.meta = from_value(section, key, v)?,
        (Section::ExercisePolicy, Some(v)) => plan.exercise_policy = from_value(section, key, v)?,
        (Section::Meta | Section::ExercisePolicy, None) => {
            return Err(Error::Corrupt(format!(
                "the {} cannot be removed",
                section.noun()
            )));
        }
        (section, value) => on_section!(plan, section, |list| set(list, section, key, value)?, ()),
    }
    Ok(())
}

/// Reorders a section: the keys in `order` first, in that order, then any
/// others in their current order.
pub fn reorder(plan: &mut Plan, section: Section, order: &[String]) {
    fn sort<T: Keyed>(list: &mut [T], order: &[String]) {
        let rank: HashMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        // Stable sort: unlisted keys keep their relative order, after the listed ones.
        list.sort_by_key(|e| rank.get(e.key()).copied().unwrap_or(usize::MAX));
    }
    on_section!(plan, section, |list| sort(list, order), ())
}

/// What turns `old` into `new`, looking only at the elements in `touched`
/// (and the order of their sections); or at everything when `touched` is `None`.
pub fn diff(old: &Plan, new: &Plan, touched: Option<&[(Section, String)]>) -> ChangeSet {
    let mut changes = ChangeSet::default();
    let sections: Vec<Section> = match touched {
        Some(t) => {
            let mut s: Vec<Section> = t.iter().map(|(s, _)| *s).collect();
            s.sort();
            s.dedup();
            s
        }
        None => Section::ALL.to_vec(),
    };
    for section in sections {
        let old_keys = keys(old, section);
        let new_keys = keys(new, section);
        let candidates: Vec<String> = match touched {
            Some(t) => t
                .iter()
                .filter(|(s, _)| *s == section)
                .map(|(_, k)| k.clone())
                .collect(),
            None => {
                let mut all = old_keys.clone();
                let known: HashSet<&String> = old_keys.iter().collect();
                all.extend(new_keys.iter().filter(|k| !known.contains(k)).cloned());
                all
            }
        };
        let (in_old, in_new) = (
            Finder::new(old, section, candidates.len()),
            Finder::new(new, section, candidates.len()),
        );
        let mut seen = HashSet::new();
        for key in candidates {
            if !seen.insert(key.clone()) {
                continue;
            }
            let before = in_old.get(&key);
            let after = in_new.get(&key);
            if before != after {
                changes.elements.push(ElementChange {
                    section,
                    key,
                    before,
                    after,
                });
            }
        }
        if !follows_from(&old_keys, &new_keys) {
            changes.orders.push(OrderChange {
                section,
                before: old_keys,
                after: new_keys,
            });
        }
    }
    changes
}

/// Whether a section's order `new` is what element changes alone make of
/// `old` (removed keys dropped, new keys appended), so no order change is needed.
pub fn follows_from(old: &[String], new: &[String]) -> bool {
    let present: HashSet<&String> = new.iter().collect();
    let had: HashSet<&String> = old.iter().collect();
    old.iter()
        .filter(|k| present.contains(k))
        .chain(new.iter().filter(|k| !had.contains(k)))
        .eq(new.iter())
}

impl Plan {
    /// A plan with nothing in it: what the history starts from.
    pub fn empty() -> Plan {
        Plan {
            meta: PlanMeta {
                name: String::new(),
                organisation: String::new(),
                summary: String::new(),
                is_example: false,
            },
            categories: vec![],
            issues: vec![],
            procedures: vec![],
            escalation: vec![],
            core_team: vec![],
            extended_team: vec![],
            on_call: vec![],
            communications: vec![],
            decisions: vec![],
            exercise_policy: ExercisePolicy {
                while_new_every_weeks: 4,
                new_for_months: 6,
                established_every_months: 6,
                session_hours: 2,
            },
        }
    }
}
