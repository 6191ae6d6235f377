//! The revision history: every save is a revision (who, when, what changed),
//! stored as a change set precise enough to rebuild the plan as it was at any
//! revision, to show a readable diff between two, to restore one as a new
//! revision, and to undo a recent one.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::plan::elements::{self, ChangeSet};
use crate::plan::{edit, Plan, Section};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionInfo {
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub author: String,
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DiffKind {
    Added,
    Removed,
    Changed,
    Moved,
}

/// One field of an element, before and after, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldDiff {
    /// Dotted path, e.g. `detection.signal` or `steps.pause-contract.action`.
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One element that differs between two versions of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffEntry {
    pub section: Section,
    pub key: String,
    pub title: String,
    pub kind: DiffKind,
    pub fields: Vec<FieldDiff>,
}

pub(super) fn record(
    conn: &Connection,
    now: &str,
    author: &str,
    summary: &str,
    changes: &ChangeSet,
) -> Result<RevisionInfo> {
    let json = serde_json::to_string(changes).map_err(|e| Error::Corrupt(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO revision (created_at, author, summary, changes) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![now, author, summary, json])?;
    Ok(RevisionInfo {
        id: conn.last_insert_rowid(),
        created_at: now.to_owned(),
        author: author.to_owned(),
        summary: summary.to_owned(),
    })
}

pub(super) fn list(conn: &Connection, limit: usize) -> Result<Vec<RevisionInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, created_at, author, summary FROM revision ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit as i64], |r| {
            Ok(RevisionInfo {
                id: r.get(0)?,
                created_at: r.get(1)?,
                author: r.get(2)?,
                summary: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn info(conn: &Connection, id: i64) -> Result<RevisionInfo> {
    conn.query_row(
        "SELECT id, created_at, author, summary FROM revision WHERE id = ?1",
        [id],
        |r| {
            Ok(RevisionInfo {
                id: r.get(0)?,
                created_at: r.get(1)?,
                author: r.get(2)?,
                summary: r.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound {
        what: "revision",
        id: id.to_string(),
    })
}

pub(super) fn changes(conn: &Connection, id: i64) -> Result<ChangeSet> {
    let json: String = conn
        .query_row("SELECT changes FROM revision WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(Error::NotFound {
            what: "revision",
            id: id.to_string(),
        })?;
    let mut changes: ChangeSet = serde_json::from_str(&json)
        .map_err(|e| Error::Corrupt(format!("revision {id} is unreadable: {e}")))?;
    // Revisions saved by an older build lack fields added since (retired
    // keys, attested approvals); read them as today's elements, so that undo
    // and diffs see no change where there was none.
    for c in &mut changes.elements {
        for value in [&mut c.before, &mut c.after] {
            if let Some(v) = value.take() {
                *value = Some(elements::upgraded(c.section, &c.key, v)?);
            }
        }
    }
    Ok(changes)
}

/// The plan as it was right after revision `id`: `current` with every later
/// revision applied backward.
pub(super) fn plan_at(conn: &Connection, current: &Plan, id: i64) -> Result<Plan> {
    info(conn, id)?;
    let mut plan = current.clone();
    let mut stmt = conn.prepare_cached("SELECT id FROM revision WHERE id > ?1 ORDER BY id DESC")?;
    let later = stmt
        .query_map([id], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for rev in later {
        changes(conn, rev)?.apply(&mut plan, false)?;
    }
    Ok(plan)
}

/// Checks that nothing changed the elements of `changes` since it was made,
/// so applying it backward undoes exactly that revision.
pub(super) fn undoable(current: &Plan, changes: &ChangeSet) -> Result<()> {
    for c in &changes.elements {
        if elements::get(current, c.section, &c.key) != c.after {
            let title = edit::title_of(current, c.section, &c.key);
            return Err(Error::Refused(format!(
                "cannot undo: {} “{title}” has changed since; edit it directly or restore an older revision",
                c.section.noun()
            )));
        }
    }
    for o in &changes.orders {
        if elements::keys(current, o.section) != o.after {
            return Err(Error::Refused(format!(
                "cannot undo: the order of {} has changed since",
                o.section.as_str()
            )));
        }
    }
    Ok(())
}

/// A readable diff from `old` to `new`.
pub fn readable_diff(old: &Plan, new: &Plan) -> Vec<DiffEntry> {
    let changes = elements::diff(old, new, None);
    let mut out: Vec<DiffEntry> = changes
        .elements
        .iter()
        .map(|c| {
            let (kind, title) = match (&c.before, &c.after) {
                (None, _) => (DiffKind::Added, edit::title_of(new, c.section, &c.key)),
                (_, None) => (DiffKind::Removed, edit::title_of(old, c.section, &c.key)),
                _ => (DiffKind::Changed, edit::title_of(new, c.section, &c.key)),
            };
            let mut fields = Vec::new();
            let mut before = BTreeMap::new();
            let mut after = BTreeMap::new();
            flatten("", c.before.as_ref().unwrap_or(&Value::Null), &mut before);
            flatten("", c.after.as_ref().unwrap_or(&Value::Null), &mut after);
            let mut paths: Vec<&String> = before.keys().chain(after.keys()).collect();
            paths.sort();
            paths.dedup();
            for path in paths {
                let b = before.get(path).cloned().unwrap_or_default();
                let a = after.get(path).cloned().unwrap_or_default();
                if b != a {
                    fields.push(FieldDiff {
                        field: path.clone(),
                        before: b,
                        after: a,
                    });
                }
            }
            DiffEntry {
                section: c.section,
                key: c.key.clone(),
                title,
                kind,
                fields,
            }
        })
        .collect();
    for o in &changes.orders {
        let before: Vec<&String> = o.before.iter().filter(|k| o.after.contains(k)).collect();
        let after: Vec<&String> = o.after.iter().filter(|k| o.before.contains(k)).collect();
        if before != after {
            out.push(DiffEntry {
                section: o.section,
                key: String::new(),
                title: format!("Order of {}", o.section.as_str()),
                kind: DiffKind::Moved,
                fields: vec![FieldDiff {
                    field: "order".to_owned(),
                    before: o.before.join(", "),
                    after: o.after.join(", "),
                }],
            });
        }
    }
    out
}

/// Flattens a JSON value into dotted paths → text. Arrays of objects with
/// an `id` are keyed by it (so a changed step shows as `steps.<id>.action`).
fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&join(k), v, out);
            }
        }
        Value::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.get("id").is_some_and(Value::is_string)) =>
        {
            for item in items {
                let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
                flatten(&join(id), item, out);
            }
        }
        Value::Array(items) => {
            let text: Vec<String> = items.iter().map(scalar).collect();
            // Objects (retired keys, overrides) read `a: 1, b: 2`: separate them more.
            let separator = if items.iter().any(Value::is_object) {
                "; "
            } else {
                ", "
            };
            out.insert(prefix.to_owned(), text.join(separator));
        }
        Value::Null if prefix.is_empty() => {}
        other => {
            out.insert(prefix.to_owned(), scalar(other));
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::String(s) => s.clone(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", scalar(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}
