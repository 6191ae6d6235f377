//! Writes plan elements to their tables, one element at a time, so an edit
//! touches only the rows it changes. A main row is upserted (never deleted
//! and re-inserted, which would cascade to rows that point at it); its child
//! rows are rewritten. The caller owns the transaction and defers foreign-key
//! checks to commit, so rows may be written in any order.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::plan::elements::{ElementChange, Finder};
use crate::plan::{Id, Plan, Section, Timing};

/// The table holding each list section's main rows, and its key column.
fn table(section: Section) -> Option<(&'static str, &'static str)> {
    Some(match section {
        Section::Categories => ("category", "id"),
        Section::Issues => ("issue", "id"),
        Section::Procedures => ("procedure", "id"),
        Section::Escalation => ("escalation_rule", "category_id"),
        Section::CoreTeam | Section::ExtendedTeam => ("contact", "id"),
        Section::OnCall => ("on_call_rotation", "category_id"),
        Section::Communications => ("communication_rule", "id"),
        Section::Decisions => ("decision_policy", "id"),
        Section::Meta | Section::ExercisePolicy => return None,
    })
}

/// Deletes every plan row (before writing a whole new plan).
pub(super) fn clear(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM on_call_override; DELETE FROM on_call_member; DELETE FROM on_call_rotation;
         DELETE FROM communication_rule_category; DELETE FROM communication_rule;
         DELETE FROM decision_approver; DELETE FROM step; DELETE FROM procedure_issue;
         DELETE FROM procedure; DELETE FROM decision_policy; DELETE FROM contact_category;
         DELETE FROM contact_retired_key; DELETE FROM contact; DELETE FROM escalation_rule; DELETE FROM issue;
         DELETE FROM category; DELETE FROM exercise_policy;",
    )?;
    Ok(())
}

/// Writes every element of `plan` (after [`clear`]).
pub(super) fn write_all(conn: &Connection, plan: &Plan, now: &str) -> Result<()> {
    for section in Section::ALL {
        for (at, key) in crate::plan::elements::keys(plan, section)
            .iter()
            .enumerate()
        {
            // In order: the hint is the element's place in its list.
            write_element_at(conn, plan, section, key, Hint::At(at), now)?;
        }
    }
    Ok(())
}

/// Rewrites the `position` of every element of a list section from `plan`.
pub(super) fn write_positions(conn: &Connection, plan: &Plan, section: Section) -> Result<()> {
    let Some((table, key_column)) = table(section) else {
        return Ok(());
    };
    let mut stmt = conn.prepare_cached(&format!(
        "UPDATE {table} SET position = ?1 WHERE {key_column} = ?2"
    ))?;
    let offset = if section == Section::ExtendedTeam {
        plan.core_team.len()
    } else {
        0
    };
    for (pos, key) in crate::plan::elements::keys(plan, section)
        .iter()
        .enumerate()
    {
        stmt.execute(params![offset + pos, key])?;
    }
    Ok(())
}

/// Where the element keyed `key` is in `list`: at `hint` when it is there
/// (writing a whole plan goes in order: no search per element), else found.
fn locate<T>(list: &[T], key: &str, hint: Hint, key_of: impl Fn(&T) -> &str) -> Option<usize> {
    match hint {
        Hint::At(i) if list.get(i).is_some_and(|e| key_of(e) == key) => Some(i),
        Hint::Absent => None,
        _ => list.iter().position(|e| key_of(e) == key),
    }
}

/// What is known of where an element is in its list before it is written.
#[derive(Debug, Clone, Copy)]
enum Hint {
    /// Nothing: search the list.
    Search,
    /// Probably here (checked, then searched if not).
    At(usize),
    /// Certainly not in the list (an index said so): its rows go.
    Absent,
}

/// Writes every element `changes` names as it is in `plan` (or deletes its
/// rows when `plan` no longer has it); a
/// section with many changes finds them through one index, not a search
/// each (a large import stays linear).
pub(super) fn write_elements(
    conn: &Connection,
    plan: &Plan,
    changes: &[ElementChange],
    now: &str,
) -> Result<()> {
    let mut per_section: HashMap<Section, usize> = HashMap::new();
    for c in changes {
        *per_section.entry(c.section).or_default() += 1;
    }
    let finders: HashMap<Section, Finder<'_>> = per_section
        .into_iter()
        .map(|(section, n)| (section, Finder::new(plan, section, n)))
        .collect();
    for c in changes {
        let hint = match finders.get(&c.section).and_then(|f| f.position(&c.key)) {
            None => Hint::Search,
            Some(Some(at)) => Hint::At(at),
            Some(None) => Hint::Absent,
        };
        write_element_at(conn, plan, c.section, &c.key, hint, now)?;
    }
    Ok(())
}

/// [`write_element`], told where in its list the element probably is.
fn write_element_at(
    conn: &Connection,
    plan: &Plan,
    section: Section,
    key: &str,
    hint: Hint,
    now: &str,
) -> Result<()> {
    delete_children(conn, section, key)?;
    let written = match section {
        Section::Meta => {
            let m = &plan.meta;
            conn.prepare_cached(
                "INSERT INTO plan_meta (singleton, name, organisation, summary, is_example, created_at, updated_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT (singleton) DO UPDATE SET name = ?1, organisation = ?2, summary = ?3,
                     is_example = ?4, updated_at = ?5",
            )?
            .execute(params![m.name, m.organisation, m.summary, m.is_example, now])?;
            true
        }
        Section::ExercisePolicy => {
            let x = &plan.exercise_policy;
            conn.prepare_cached(
                "INSERT INTO exercise_policy
                     (singleton, while_new_every_weeks, new_for_months, established_every_months, session_hours)
                 VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT (singleton) DO UPDATE SET while_new_every_weeks = ?1, new_for_months = ?2,
                     established_every_months = ?3, session_hours = ?4",
            )?
            .execute(params![x.while_new_every_weeks, x.new_for_months, x.established_every_months, x.session_hours])?;
            true
        }
        Section::Categories => match locate(&plan.categories, key, hint, |c| c.id.as_str()) {
            None => false,
            Some(pos) => {
                let c = &plan.categories[pos];
                conn.prepare_cached(
                    "INSERT INTO category (id, position, name, description) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (id) DO UPDATE SET position = ?2, name = ?3, description = ?4",
                )?
                .execute(params![key, pos, c.name, c.description])?;
                true
            }
        },
        Section::Issues => match locate(&plan.issues, key, hint, |i| i.id.as_str()) {
            None => false,
            Some(pos) => {
                let i = &plan.issues[pos];
                let d = &i.detection;
                conn.prepare_cached(
                    "INSERT INTO issue (id, position, category_id, title, description, signal, monitoring, source, severity, alerts)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT (id) DO UPDATE SET position = ?2, category_id = ?3, title = ?4, description = ?5,
                         signal = ?6, monitoring = ?7, source = ?8, severity = ?9, alerts = ?10",
                )?
                .execute(params![
                    key,
                    pos,
                    i.category.as_str(),
                    i.title,
                    i.description,
                    d.signal,
                    d.monitoring.as_str(),
                    d.source,
                    i.severity.as_str(),
                    serde_json::to_string(&d.alerts).map_err(|e| Error::Corrupt(e.to_string()))?
                ])?;
                true
            }
        },
        Section::Procedures => match locate(&plan.procedures, key, hint, |p| p.id.as_str()) {
            None => false,
            Some(pos) => {
                let p = &plan.procedures[pos];
                conn.prepare_cached(
                    "INSERT INTO procedure (id, position, title, summary) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (id) DO UPDATE SET position = ?2, title = ?3, summary = ?4",
                )?
                .execute(params![key, pos, p.title, p.summary])?;
                let mut answers = conn.prepare_cached(
                    "INSERT INTO procedure_issue (procedure_id, issue_id, position) VALUES (?1, ?2, ?3)",
                )?;
                for (n, issue) in p.issues.iter().enumerate() {
                    answers.execute(params![key, issue.as_str(), n])?;
                }
                let mut step = conn.prepare_cached(
                    "INSERT INTO step (procedure_id, id, position, action, how, tools, test, expected_minutes, decision_id, command, automatable)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?;
                for (n, s) in p.steps.iter().enumerate() {
                    step.execute(params![
                        key,
                        s.id.as_str(),
                        n,
                        s.action,
                        s.how,
                        s.tools,
                        s.test,
                        s.expected_minutes,
                        s.decision.as_ref().map(Id::as_str),
                        serde_json::to_string(&s.command)
                            .map_err(|e| Error::Corrupt(e.to_string()))?,
                        s.automatable
                    ])?;
                }
                true
            }
        },
        Section::Escalation => match locate(&plan.escalation, key, hint, |r| r.category.as_str()) {
            None => false,
            Some(pos) => {
                let r = &plan.escalation[pos];
                conn.prepare_cached(
                    "INSERT INTO escalation_rule (category_id, position, core, extended, page_after_minutes)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (category_id) DO UPDATE
                     SET position = ?2, core = ?3, extended = ?4, page_after_minutes = ?5",
                )?
                .execute(params![
                    key,
                    pos,
                    r.core.as_str(),
                    r.extended.as_str(),
                    r.page_after_minutes
                ])?;
                true
            }
        },
        Section::CoreTeam => match locate(&plan.core_team, key, hint, |m| m.id.as_str()) {
            None => false,
            Some(pos) => {
                let m = &plan.core_team[pos];
                upsert_contact(
                    conn,
                    key,
                    "core",
                    pos,
                    &m.name,
                    &m.role,
                    &m.reach,
                    m.public_key.as_deref(),
                    m.last_verified,
                )?;
                let mut owns = conn.prepare_cached(
                    "INSERT INTO contact_category (contact_id, category_id, position) VALUES (?1, ?2, ?3)",
                )?;
                for (n, c) in m.categories.iter().enumerate() {
                    owns.execute(params![key, c.as_str(), n])?;
                }
                let mut retired = conn.prepare_cached(
                    "INSERT INTO contact_retired_key (contact_id, position, key, retired_from)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (n, r) in m.retired_keys.iter().enumerate() {
                    retired.execute(params![key, n, r.key, r.retired_from])?;
                }
                true
            }
        },
        Section::ExtendedTeam => match locate(&plan.extended_team, key, hint, |c| c.id.as_str()) {
            None => false,
            Some(pos) => {
                let c = &plan.extended_team[pos];
                let pos = plan.core_team.len() + pos;
                upsert_contact(
                    conn,
                    key,
                    "extended",
                    pos,
                    &c.name,
                    &c.role,
                    &c.reach,
                    None,
                    c.last_verified,
                )?;
                true
            }
        },
        Section::OnCall => match locate(&plan.on_call, key, hint, |r| r.category.as_str()) {
            None => false,
            Some(pos) => {
                let r = &plan.on_call[pos];
                conn.prepare_cached(
                    "INSERT INTO on_call_rotation (category_id, position, handover_day, handover_time, time_zone, starts_on)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (category_id) DO UPDATE SET position = ?2, handover_day = ?3, handover_time = ?4,
                         time_zone = ?5, starts_on = ?6",
                )?
                .execute(params![key, pos, r.handover_day.as_str(), r.handover_time, r.time_zone, r.starts_on])?;
                let mut member = conn.prepare_cached(
                    "INSERT INTO on_call_member (category_id, contact_id, position) VALUES (?1, ?2, ?3)",
                )?;
                for (n, m) in r.members.iter().enumerate() {
                    member.execute(params![key, m.as_str(), n])?;
                }
                let mut exception = conn.prepare_cached(
                    "INSERT INTO on_call_override (category_id, position, member_id, starts_at, ends_at, note)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for (n, o) in r.overrides.iter().enumerate() {
                    exception.execute(params![
                        key,
                        n,
                        o.member.as_str(),
                        o.from,
                        o.until,
                        o.note
                    ])?;
                }
                true
            }
        },
        Section::Communications => match locate(&plan.communications, key, hint, |r| r.id.as_str())
        {
            None => false,
            Some(pos) => {
                let r = &plan.communications[pos];
                let (kind, value) = match r.timing {
                    Timing::UntilCompletion => ("until-completion", None),
                    Timing::EveryHours { hours } => ("every-hours", Some(hours)),
                    Timing::EveryMinutes { minutes } => ("every-minutes", Some(minutes)),
                    Timing::AfterResolutionDays { days } => ("after-resolution-days", Some(days)),
                };
                conn.prepare_cached(
                    "INSERT INTO communication_rule
                         (id, position, audience, timing_kind, timing_value, channel, responsible_id, optional, notes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (id) DO UPDATE SET position = ?2, audience = ?3, timing_kind = ?4,
                         timing_value = ?5, channel = ?6, responsible_id = ?7, optional = ?8, notes = ?9",
                )?
                .execute(params![
                    key,
                    pos,
                    r.audience.as_str(),
                    kind,
                    value,
                    r.channel,
                    r.responsible.as_ref().map(Id::as_str),
                    r.optional,
                    r.notes
                ])?;
                let mut applies = conn.prepare_cached(
                    "INSERT INTO communication_rule_category (rule_id, category_id, position) VALUES (?1, ?2, ?3)",
                )?;
                for (n, c) in r.categories.iter().enumerate() {
                    applies.execute(params![key, c.as_str(), n])?;
                }
                true
            }
        },
        Section::Decisions => match locate(&plan.decisions, key, hint, |d| d.id.as_str()) {
            None => false,
            Some(pos) => {
                let d = &plan.decisions[pos];
                conn.prepare_cached(
                    "INSERT INTO decision_policy (id, position, title, description, additional_needed, attested_allowed)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (id) DO UPDATE SET position = ?2, title = ?3, description = ?4,
                         additional_needed = ?5, attested_allowed = ?6",
                )?
                .execute(params![
                    key,
                    pos,
                    d.title,
                    d.description,
                    d.additional_needed,
                    d.attested_allowed
                ])?;
                let mut approver = conn.prepare_cached(
                    "INSERT INTO decision_approver (decision_id, contact_id, kind, position) VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (kind, list) in [("required", &d.required), ("additional", &d.additional)] {
                    for (n, who) in list.iter().enumerate() {
                        approver.execute(params![key, who.as_str(), kind, n])?;
                    }
                }
                true
            }
        },
    };
    if !written {
        if let Some((table, key_column)) = table(section) {
            conn.prepare_cached(&format!("DELETE FROM {table} WHERE {key_column} = ?1"))?
                .execute([key])?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn upsert_contact(
    conn: &Connection,
    key: &str,
    team: &str,
    pos: usize,
    name: &str,
    role: &str,
    reach: &crate::plan::Reach,
    public_key: Option<&str>,
    verified: Option<chrono::NaiveDate>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO contact (id, team, position, name, role, email, chat, phone, public_key, last_verified)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (id) DO UPDATE SET team = ?2, position = ?3, name = ?4, role = ?5, email = ?6,
             chat = ?7, phone = ?8, public_key = ?9, last_verified = ?10",
    )?
    .execute(params![
        key,
        team,
        pos,
        name,
        role,
        reach.email,
        reach.chat,
        reach.phone,
        public_key,
        verified.map(|d| d.to_string())
    ])?;
    Ok(())
}

/// Deletes the rows that hang off an element (rewritten by `write_element`).
fn delete_children(conn: &Connection, section: Section, key: &str) -> Result<()> {
    let sql: &[&str] = match section {
        Section::Procedures => &[
            "DELETE FROM procedure_issue WHERE procedure_id = ?1",
            "DELETE FROM step WHERE procedure_id = ?1",
        ],
        Section::CoreTeam | Section::ExtendedTeam => &[
            "DELETE FROM contact_category WHERE contact_id = ?1",
            "DELETE FROM contact_retired_key WHERE contact_id = ?1",
        ],
        Section::OnCall => &[
            "DELETE FROM on_call_member WHERE category_id = ?1",
            "DELETE FROM on_call_override WHERE category_id = ?1",
        ],
        Section::Communications => &["DELETE FROM communication_rule_category WHERE rule_id = ?1"],
        Section::Decisions => &["DELETE FROM decision_approver WHERE decision_id = ?1"],
        _ => &[],
    };
    for statement in sql {
        conn.prepare_cached(statement)?.execute([key])?;
    }
    Ok(())
}
