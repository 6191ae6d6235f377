//! The plan as the whole team edits it: every change made on a laptop in a
//! team travels as field-level operations ("set field F of element X to V",
//! "add element", "remove element", "order a section") in signed events of
//! one thread, [`PLAN_THREAD`]. Every laptop replays the thread in its
//! shared causal order into the same plan, whatever order the files arrived
//! in.
//!
//! Each field (and each element's being there, and each section's order) is
//! a register that keeps every write no later write has seen: a write
//! replaces what its author had seen, and two writes neither of which saw
//! the other both stay. The plan shows the later of them (by Lamport clock,
//! then id: the same choice on every laptop) and the pair is a
//! [`PlanConflict`] — both values, who wrote each and when — until someone
//! writes the field again having seen both. Writes to different fields of
//! one element never collide, and an element removed on one laptop while
//! another changed it stays, as a conflict, so no edit is lost.
//!
//! Signing keys are not plan fields here: a person's public key (and the
//! keys they retired) cannot travel as an ordinary plan change, since the
//! plan's keys are what every signature is checked against. An event that
//! tries is refused on every laptop, with why ([`trust_problem`]); each
//! laptop keeps the keys its own person imported.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use super::event::{Envelope, EventId};
use crate::plan::elements::{self, ChangeSet};
use crate::plan::{Id, Plan, Section};

/// The thread of the plan's changes.
pub const PLAN_THREAD: &str = "plan";
/// The kind of an event that carries plan operations.
pub const PLAN_CHANGE: &str = "plan.change";
/// The largest serialised operations one event carries, in bytes, as the
/// event file writes them: a change bigger than this (the first snapshot of
/// a large plan) travels as several events, each under the folder's file
/// limit.
pub const EVENT_BUDGET: usize = 60 * 1024;
/// What each line of an operation gains in an event file: the indentation
/// of where it sits (envelope, event, body, the list of operations), with a
/// margin. Measured on the starter plan's snapshot: 8.6 bytes a line.
const OP_INDENT: usize = 10;
/// The longest summary an event may carry, in characters.
pub const MAX_SUMMARY: usize = 300;

/// One operation on the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", deny_unknown_fields)]
pub enum PlanOp {
    /// A new element, whole (or a removed one brought back).
    Add {
        section: Section,
        key: String,
        value: Value,
    },
    /// One field of an element: `field` is a JSON pointer (`/detection/signal`).
    Set {
        section: Section,
        key: String,
        field: String,
        value: Value,
    },
    /// The element is gone.
    Remove { section: Section, key: String },
    /// The section's elements are in this order.
    Order { section: Section, keys: Vec<String> },
}

impl PlanOp {
    fn section(&self) -> Section {
        match self {
            PlanOp::Add { section, .. }
            | PlanOp::Set { section, .. }
            | PlanOp::Remove { section, .. }
            | PlanOp::Order { section, .. } => *section,
        }
    }
}

/// What a plan event says: a line for the history, and its operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanChangeBody {
    pub summary: String,
    pub ops: Vec<PlanOp>,
}

/// The fields a plan change may not carry: who signs with which key.
const TRUST_FIELDS: [(Section, &str); 2] = [
    (Section::CoreTeam, "publicKey"),
    (Section::CoreTeam, "retiredKeys"),
];

fn is_trust_field(section: Section, pointer: &str) -> bool {
    let first = pointer
        .strip_prefix('/')
        .and_then(|p| p.split('/').next())
        .unwrap_or_default();
    TRUST_FIELDS
        .iter()
        .any(|(s, name)| *s == section && *name == first)
}

/// An element's value without its trust fields (they stay on this laptop).
fn without_trust(section: Section, mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        for (s, name) in TRUST_FIELDS {
            if s == section {
                map.remove(name);
            }
        }
    }
    value
}

/// Why a teammate's plan event must not be applied, if it must not: it
/// names a key, or is not a plan change at all.
pub fn trust_problem(body: &PlanChangeBody) -> Option<String> {
    if body.summary.chars().count() > MAX_SUMMARY || body.summary.chars().any(char::is_control) {
        return Some(format!(
            "its summary is longer than {MAX_SUMMARY} characters or holds a control character"
        ));
    }
    for op in &body.ops {
        let (section, key, touches) = match op {
            PlanOp::Add {
                section,
                key,
                value,
            } => (
                *section,
                key,
                TRUST_FIELDS.iter().any(|(s, name)| {
                    *s == *section
                        && value.get(name).is_some_and(|v| {
                            !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty())
                        })
                }),
            ),
            PlanOp::Set {
                section,
                key,
                field,
                ..
            } => (*section, key, is_trust_field(*section, field)),
            PlanOp::Remove { .. } | PlanOp::Order { .. } => continue,
        };
        if touches {
            return Some(format!(
                "it changes the signing key of {} `{key}`: keys never travel as plan changes \
                 (each laptop takes a teammate's key only from a plan its own person imports)",
                section.noun()
            ));
        }
    }
    // Text a person could not have typed here (a direction override, a
    // control character, a page-long title) is not taken from a teammate.
    for op in &body.ops {
        let found = match op {
            PlanOp::Add { value, .. } => crate::plan::text::problems(value),
            PlanOp::Set { field, value, .. } => {
                let name = field.rsplit('/').next().unwrap_or_default();
                crate::plan::text::problems(&serde_json::json!({ name: value }))
            }
            PlanOp::Remove { .. } | PlanOp::Order { .. } => Vec::new(),
        };
        if let Some((_, field, message)) = found.first() {
            return Some(format!("its {field} {message}"));
        }
    }
    for op in &body.ops {
        let key = match op {
            PlanOp::Add { key, .. } | PlanOp::Set { key, .. } | PlanOp::Remove { key, .. } => key,
            PlanOp::Order { keys, .. } => {
                if keys.len() > 100_000 {
                    return Some("it orders more than 100000 elements".to_owned());
                }
                continue;
            }
        };
        let singleton = matches!(op.section(), Section::Meta | Section::ExercisePolicy);
        if singleton != key.is_empty() || key.chars().count() > 200 {
            return Some(format!(
                "it names `{key}` in the {}, which is not a key there",
                op.section().noun()
            ));
        }
        if singleton && matches!(op, PlanOp::Remove { .. }) {
            return Some(format!("it removes the {}", op.section().noun()));
        }
    }
    None
}

/// The operations that make `changes` (one revision made on this laptop),
/// trust fields left out.
pub fn ops_from(changes: &ChangeSet) -> Vec<PlanOp> {
    let mut ops = Vec::new();
    for c in &changes.elements {
        match (&c.before, &c.after) {
            (None, Some(after)) => ops.push(PlanOp::Add {
                section: c.section,
                key: c.key.clone(),
                value: without_trust(c.section, after.clone()),
            }),
            (Some(_), None) => ops.push(PlanOp::Remove {
                section: c.section,
                key: c.key.clone(),
            }),
            (Some(before), Some(after)) => {
                let mut fields = Vec::new();
                leaf_diff(before, after, String::new(), &mut fields);
                for (field, value) in fields {
                    if !is_trust_field(c.section, &field) {
                        ops.push(PlanOp::Set {
                            section: c.section,
                            key: c.key.clone(),
                            field,
                            value,
                        });
                    }
                }
            }
            (None, None) => {}
        }
    }
    for o in &changes.orders {
        ops.push(PlanOp::Order {
            section: o.section,
            keys: o.after.clone(),
        });
    }
    ops
}

/// Whether `value` is one field (a leaf) rather than a record of fields: a
/// list, a scalar, an empty record, or a tagged choice (a record with a
/// `kind`, whose fields only make sense together).
fn is_leaf(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.is_empty() || map.contains_key("kind"),
        _ => true,
    }
}

/// Every leaf of `value` with its pointer.
fn leaves(value: &Value, at: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !is_leaf(value) => {
            for (name, inner) in map {
                leaves(inner, format!("{at}/{}", escape(name)), out);
            }
        }
        _ => out.push((at, value.clone())),
    }
}

/// The leaves that differ between `before` and `after`, with their new values.
fn leaf_diff(before: &Value, after: &Value, at: String, out: &mut Vec<(String, Value)>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) if !is_leaf(before) && !is_leaf(after) => {
            for (name, inner) in a {
                let here = format!("{at}/{}", escape(name));
                match b.get(name) {
                    Some(old) => leaf_diff(old, inner, here, out),
                    None => leaves(inner, here, out),
                }
            }
        }
        _ if before == after => {}
        _ => leaves(after, at, out),
    }
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Puts `value` at `pointer` in `root`, making the records on the way.
fn put_at(root: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *root = value;
        return;
    }
    let mut here = root;
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (i, part) in parts.iter().enumerate() {
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        let Value::Object(map) = here else {
            return;
        };
        if i + 1 == parts.len() {
            map.insert(part.clone(), value);
            return;
        }
        here = map.entry(part.clone()).or_insert(Value::Object(Map::new()));
    }
}

/// One plan event, ready to replay.
#[derive(Debug, Clone)]
pub struct Change {
    pub id: EventId,
    pub envelope: Envelope,
    pub body: PlanChangeBody,
}

/// A write kept in a register: which event (its place in the replay) wrote what.
#[derive(Debug, Clone)]
struct Write {
    event: usize,
    value: Value,
}

/// The writes to one register that no later write has seen.
#[derive(Debug, Clone, Default)]
struct Register(Vec<Write>);

impl Register {
    fn write(&mut self, write: Write, seen: &Ancestry) {
        self.0
            .retain(|w| w.event != write.event && !seen.is_ancestor(w.event, write.event));
        self.0.push(write);
    }

    /// The value shown: the latest write's (the replay's order is the
    /// shared `(lamport, id)` order, so the highest place is latest).
    fn winner(&self) -> Option<&Write> {
        self.0.iter().max_by_key(|w| w.event)
    }

    /// Whether the kept writes disagree.
    fn disputed(&self) -> bool {
        self.0.iter().any(|w| w.value != self.0[0].value)
    }
}

/// Which events each event had seen.
struct Ancestry(Vec<Vec<u64>>);

impl Ancestry {
    fn is_ancestor(&self, older: usize, of: usize) -> bool {
        self.0[of]
            .get(older / 64)
            .is_some_and(|word| word & (1 << (older % 64)) != 0)
    }
}

#[derive(Debug, Clone, Default)]
struct ElementState {
    exists: Register,
    fields: BTreeMap<String, Register>,
    /// The first operation that wrote it (event, operation): where it goes
    /// when no order names it.
    first: (usize, usize),
}

/// The plan thread replayed: every register as its writes leave it.
#[derive(Debug)]
pub struct Replayed {
    changes: Vec<Change>,
    elements: BTreeMap<(Section, String), ElementState>,
    orders: BTreeMap<Section, Register>,
}

/// Replays `changes`, which must be in the thread's shared causal order
/// (parents first); a parent not among them is taken as unknown.
pub fn replay(changes: Vec<Change>) -> Replayed {
    let place: BTreeMap<&EventId, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.id, i))
        .collect();
    let words = changes.len().div_ceil(64);
    let mut seen: Vec<Vec<u64>> = Vec::with_capacity(changes.len());
    for (i, change) in changes.iter().enumerate() {
        let mut mine = vec![0u64; words];
        for parent in &change.envelope.parents {
            if let Some(&p) = place.get(parent) {
                if p < i {
                    mine[p / 64] |= 1 << (p % 64);
                    for (word, theirs) in mine.iter_mut().zip(&seen[p]) {
                        *word |= theirs;
                    }
                }
            }
        }
        seen.push(mine);
    }
    let ancestry = Ancestry(seen);
    let mut elements: BTreeMap<(Section, String), ElementState> = BTreeMap::new();
    let mut orders: BTreeMap<Section, Register> = BTreeMap::new();
    for (event, change) in changes.iter().enumerate() {
        for (n, op) in change.body.ops.iter().enumerate() {
            let write = |value: Value| Write { event, value };
            match op {
                PlanOp::Add {
                    section,
                    key,
                    value,
                } => {
                    let state =
                        elements
                            .entry((*section, key.clone()))
                            .or_insert_with(|| ElementState {
                                first: (event, n),
                                ..ElementState::default()
                            });
                    state.exists.write(write(Value::Bool(true)), &ancestry);
                    let mut fields = Vec::new();
                    leaves(
                        &without_trust(*section, value.clone()),
                        String::new(),
                        &mut fields,
                    );
                    let named: BTreeSet<String> = fields.iter().map(|(f, _)| f.clone()).collect();
                    for (field, value) in fields {
                        state
                            .fields
                            .entry(field)
                            .or_default()
                            .write(write(value), &ancestry);
                    }
                    // A field the element had and the new value lacks is gone.
                    for (field, register) in &mut state.fields {
                        if !named.contains(field) {
                            register.write(write(Value::Null), &ancestry);
                        }
                    }
                }
                PlanOp::Set {
                    section,
                    key,
                    field,
                    value,
                } => {
                    let state =
                        elements
                            .entry((*section, key.clone()))
                            .or_insert_with(|| ElementState {
                                first: (event, n),
                                ..ElementState::default()
                            });
                    state.exists.write(write(Value::Bool(true)), &ancestry);
                    let mut fields = Vec::new();
                    leaves(value, field.clone(), &mut fields);
                    for (field, value) in fields {
                        if !is_trust_field(*section, &field) {
                            state
                                .fields
                                .entry(field)
                                .or_default()
                                .write(write(value), &ancestry);
                        }
                    }
                }
                PlanOp::Remove { section, key } => {
                    if let Some(state) = elements.get_mut(&(*section, key.clone())) {
                        state.exists.write(write(Value::Bool(false)), &ancestry);
                    }
                }
                PlanOp::Order { section, keys } => {
                    orders
                        .entry(*section)
                        .or_default()
                        .write(write(serde_json::json!(keys)), &ancestry);
                }
            }
        }
    }
    Replayed {
        changes,
        elements,
        orders,
    }
}

/// Two or more values written to one field by laptops that had not seen
/// each other's write: the plan shows the first of `values` until someone
/// writes the field again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanConflict {
    pub section: Section,
    pub key: String,
    /// The field (a JSON pointer such as `/detection/signal`); empty when
    /// the element was removed on one laptop and changed, or still used, on
    /// another.
    pub field: String,
    /// The element's title or name, for people.
    pub title: String,
    /// Each value with who wrote it, the one shown first.
    pub values: Vec<ConflictValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConflictValue {
    /// The value written; for an element's being there, `true` (kept or
    /// changed) or `false` (removed).
    #[ts(type = "unknown")]
    pub value: Value,
    /// The value as a person reads it.
    pub shown: String,
    pub author: Id,
    pub at: DateTime<Utc>,
    pub event: String,
}

/// The plan the thread makes, and what in it is disputed.
#[derive(Debug, Clone)]
pub struct Merged {
    pub plan: Plan,
    pub conflicts: Vec<PlanConflict>,
    /// Elements that could not be made from what was written (kept out),
    /// with why.
    pub unreadable: Vec<String>,
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "(empty)".to_owned(),
        other => other.to_string(),
    }
}

impl Replayed {
    fn values(&self, register: &Register, element: bool) -> Vec<ConflictValue> {
        let mut writes = register.0.clone();
        writes.sort_by_key(|w| std::cmp::Reverse(w.event));
        writes
            .iter()
            .map(|w| {
                let change = &self.changes[w.event];
                ConflictValue {
                    value: w.value.clone(),
                    shown: if element {
                        if w.value == Value::Bool(false) {
                            "removed".to_owned()
                        } else {
                            "kept, or changed".to_owned()
                        }
                    } else {
                        shown(&w.value)
                    },
                    author: change.envelope.author.clone(),
                    at: change.envelope.at,
                    event: change.id.0.clone(),
                }
            })
            .collect()
    }

    /// The plan these changes make. `local` gives what never travels: each
    /// core member's keys as this laptop's person imported them, and the
    /// singletons when the thread has not set them.
    pub fn materialize(&self, local: &Plan) -> Merged {
        let mut plan = Plan::empty();
        plan.meta = local.meta.clone();
        plan.exercise_policy = local.exercise_policy.clone();
        let mut conflicts = Vec::new();
        let mut unreadable = Vec::new();
        let mut removed: Vec<(Section, String, Value)> = Vec::new();
        // Elements in the order they were first added (the order registers sort them after).
        let mut states: Vec<(&(Section, String), &ElementState)> = self.elements.iter().collect();
        states.sort_by_key(|(_, s)| s.first);
        for ((section, key), state) in states {
            let mut value = Value::Object(Map::new());
            for (field, register) in &state.fields {
                if let Some(w) = register.winner() {
                    put_at(&mut value, field, w.value.clone());
                }
                if register.disputed() {
                    conflicts.push(PlanConflict {
                        section: *section,
                        key: key.clone(),
                        field: field.clone(),
                        title: String::new(),
                        values: self.values(register, false),
                    });
                }
            }
            if *section == Section::CoreTeam {
                let kept = elements::get(local, *section, key);
                if let Value::Object(map) = &mut value {
                    for (_, name) in TRUST_FIELDS {
                        let here = kept.as_ref().and_then(|k| k.get(name).cloned()).unwrap_or(
                            if name == "retiredKeys" {
                                Value::Array(Vec::new())
                            } else {
                                Value::Null
                            },
                        );
                        map.insert(name.to_owned(), here);
                    }
                }
            }
            let present = state.exists.0.iter().any(|w| w.value == Value::Bool(true));
            if state.exists.disputed() {
                conflicts.push(PlanConflict {
                    section: *section,
                    key: key.clone(),
                    field: String::new(),
                    title: String::new(),
                    values: self.values(&state.exists, true),
                });
            }
            if !present {
                removed.push((*section, key.clone(), value));
                continue;
            }
            if let Err(e) = elements::put(&mut plan, *section, key, Some(value)) {
                unreadable.push(e.to_string());
            }
        }
        // A removed element that something kept still uses stays, as a conflict.
        loop {
            let mut brought_back = false;
            for (section, key, value) in &removed {
                if elements::get(&plan, *section, key).is_some()
                    || crate::plan::edit::references(&plan, *section, key).is_empty()
                {
                    continue;
                }
                if elements::put(&mut plan, *section, key, Some(value.clone())).is_ok() {
                    brought_back = true;
                    if !conflicts
                        .iter()
                        .any(|c| c.section == *section && c.key == *key && c.field.is_empty())
                    {
                        let state = &self.elements[&(*section, key.clone())];
                        conflicts.push(PlanConflict {
                            section: *section,
                            key: key.clone(),
                            field: String::new(),
                            title: String::new(),
                            values: self.values(&state.exists, true),
                        });
                    }
                }
            }
            if !brought_back {
                break;
            }
        }
        for (section, register) in &self.orders {
            if let Some(keys) = register
                .winner()
                .and_then(|w| serde_json::from_value::<Vec<String>>(w.value.clone()).ok())
            {
                elements::reorder(&mut plan, *section, &keys);
            }
        }
        for conflict in &mut conflicts {
            conflict.title = title(&plan, conflict.section, &conflict.key);
        }
        conflicts.sort_by(|a, b| (a.section, &a.key, &a.field).cmp(&(b.section, &b.key, &b.field)));
        Merged {
            plan,
            conflicts,
            unreadable,
        }
    }
}

/// An element's title or name, or its key.
fn title(plan: &Plan, section: Section, key: &str) -> String {
    let value = elements::get(plan, section, key);
    value
        .as_ref()
        .and_then(|v| {
            ["title", "name", "channel"]
                .iter()
                .find_map(|f| v.get(*f).and_then(Value::as_str))
        })
        .map_or_else(|| key.to_owned(), str::to_owned)
}

/// A field's pointer as a person reads it: `/detection/signal` is
/// "detection signal", `/pageAfterMinutes` "page after minutes".
pub fn field_label(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in part.chars() {
            if c.is_uppercase() {
                out.push(' ');
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// A conflict as a gap of the plan check, naming who wrote what.
pub fn gap(plan: &Plan, conflict: &PlanConflict) -> crate::plan::check::Gap {
    use crate::plan::check::{Gap, GapKind, GapLevel};
    let name = |id: &Id| plan.contact_name(id).unwrap_or(id.as_str()).to_owned();
    let what = format!(
        "{} “{}” ({})",
        conflict.section.noun(),
        conflict.title,
        conflict.key
    );
    let message = if conflict.field.is_empty() {
        let removed: Vec<String> = conflict
            .values
            .iter()
            .filter(|v| v.value == Value::Bool(false))
            .map(|v| name(&v.author))
            .collect();
        let kept: Vec<String> = conflict
            .values
            .iter()
            .filter(|v| v.value != Value::Bool(false))
            .map(|v| name(&v.author))
            .collect();
        if kept.is_empty() {
            format!(
                "{what} was removed by {} but the plan still uses it: keep it or remove what uses it",
                removed.join(" and ")
            )
        } else {
            format!(
                "{what} was removed by {} while {} changed it: keep it or remove it",
                removed.join(" and "),
                kept.join(" and ")
            )
        }
    } else {
        let values: Vec<String> = conflict
            .values
            .iter()
            .map(|v| format!("{} wrote “{}”", name(&v.author), v.shown))
            .collect();
        format!(
            "{what}: its {} was changed on two laptops at once ({}): keep one",
            field_label(&conflict.field),
            values.join("; ")
        )
    };
    Gap {
        kind: GapKind::Conflict,
        level: GapLevel::Problem,
        section: conflict.section,
        element: conflict.key.clone(),
        message,
    }
}

/// Splits `ops` into bodies each under [`EVENT_BUDGET`] once serialised.
/// Each operation is measured as the file writes it (pretty-printed, each
/// line indented where it sits): measured compact, a deeply nested element
/// (an issue's alert rules) grows past the budget's margin in the file.
pub fn bodies(summary: &str, ops: Vec<PlanOp>) -> Vec<PlanChangeBody> {
    let summary: String = summary
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_SUMMARY - 20)
        .collect();
    let mut parts: Vec<Vec<PlanOp>> = vec![Vec::new()];
    let mut size = 0;
    for op in ops {
        let len = serde_json::to_vec_pretty(&op).map_or(0, |v| {
            let lines = v.iter().filter(|b| **b == b'\n').count() + 1;
            v.len() + lines * OP_INDENT
        });
        if size + len > EVENT_BUDGET && !parts.last().is_some_and(Vec::is_empty) {
            parts.push(Vec::new());
            size = 0;
        }
        size += len;
        if let Some(last) = parts.last_mut() {
            last.push(op);
        }
    }
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, ops)| PlanChangeBody {
            summary: if count == 1 {
                summary.clone()
            } else {
                format!("{summary} (part {} of {count})", i + 1)
            },
            ops,
        })
        .collect()
}

#[cfg(test)]
mod tests;
