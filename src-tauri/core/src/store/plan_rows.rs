//! Reads the plan document from its tables (store/write.rs writes them). Lists keep their order
//! through `position`; text enums are parsed strictly, so a row no Muster
//! would write is reported as damage rather than guessed at.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use crate::error::{Error, Result};
use crate::plan::{
    Audience, Category, CommunicationRule, CoreMember, DecisionPolicy, Detection, EscalationRule,
    ExercisePolicy, ExtendedContact, Id, Monitoring, NotifyWhen, OnCallOverride, OnCallRotation,
    Person, Plan, PlanMeta, PlanOutline, PotentialIssue, Procedure, Reach, RetiredKey,
    SectionCounts, Severity, Step, Timing, Weekday,
};

/// Reads the plan's outline (`plan::outline`'s answer) from its tables,
/// without reading the plan: its details and exercise policy, each
/// section's size and the people of both teams by id and name. On a large
/// plan this is a few milliseconds against the whole plan's quarter second.
pub(super) fn outline(conn: &Connection) -> Result<PlanOutline> {
    let counts = conn.query_row(
        "SELECT (SELECT count(*) FROM issue), (SELECT count(*) FROM procedure),
                (SELECT count(*) FROM escalation_rule),
                (SELECT count(*) FROM contact WHERE team = 'core'),
                (SELECT count(*) FROM contact WHERE team <> 'core'),
                (SELECT count(*) FROM communication_rule), (SELECT count(*) FROM decision_policy)",
        [],
        |r| {
            Ok(SectionCounts {
                issues: r.get(0)?,
                procedures: r.get(1)?,
                escalation: r.get(2)?,
                core_team: r.get(3)?,
                extended_team: r.get(4)?,
                communications: r.get(5)?,
                decisions: r.get(6)?,
            })
        },
    )?;
    // Core first, then extended, each in the plan's order (as `load` splits them).
    let mut people = Vec::new();
    let mut extended = Vec::new();
    for (team, person) in rows(
        conn,
        "SELECT team, id, name FROM contact ORDER BY position",
        |r| {
            let person = Person {
                id: id_at(r, 1)?,
                name: r.get(2)?,
            };
            Ok((r.get::<_, String>(0)?, person))
        },
    )? {
        match team.as_str() {
            "core" => people.push(person),
            _ => extended.push(person),
        }
    }
    people.append(&mut extended);
    Ok(PlanOutline {
        meta: meta(conn)?,
        exercise_policy: exercise_policy(conn)?,
        counts,
        people,
    })
}

fn meta(conn: &Connection) -> Result<PlanMeta> {
    Ok(conn.query_row(
        "SELECT name, organisation, summary, is_example FROM plan_meta",
        [],
        |r| {
            Ok(PlanMeta {
                name: r.get(0)?,
                organisation: r.get(1)?,
                summary: r.get(2)?,
                is_example: r.get(3)?,
            })
        },
    )?)
}

fn exercise_policy(conn: &Connection) -> Result<ExercisePolicy> {
    Ok(conn.query_row(
        "SELECT while_new_every_weeks, new_for_months, established_every_months, session_hours
         FROM exercise_policy",
        [],
        |r| {
            Ok(ExercisePolicy {
                while_new_every_weeks: r.get(0)?,
                new_for_months: r.get(1)?,
                established_every_months: r.get(2)?,
                session_hours: r.get(3)?,
            })
        },
    )?)
}

/// Reads the whole plan.
pub(super) fn load(conn: &Connection) -> Result<Plan> {
    let meta = meta(conn)?;

    let categories = rows(
        conn,
        "SELECT id, name, description FROM category ORDER BY position",
        |r| {
            Ok(Category {
                id: id_at(r, 0)?,
                name: r.get(1)?,
                description: r.get(2)?,
            })
        },
    )?;

    let issues = rows(
        conn,
        "SELECT id, category_id, title, description, signal, monitoring, source, severity, alerts
         FROM issue ORDER BY position",
        |r| {
            Ok(PotentialIssue {
                id: id_at(r, 0)?,
                category: id_at(r, 1)?,
                title: r.get(2)?,
                description: r.get(3)?,
                detection: Detection {
                    signal: r.get(4)?,
                    monitoring: parsed(r, 5, Monitoring::parse)?,
                    source: r.get(6)?,
                    alerts: json_at(r, 8)?,
                },
                severity: parsed(r, 7, Severity::parse)?,
            })
        },
    )?;

    let mut procedure_issues = grouped(
        conn,
        "SELECT procedure_id, issue_id FROM procedure_issue ORDER BY procedure_id, position",
    )?;
    let mut steps: HashMap<String, Vec<Step>> = HashMap::new();
    for (procedure, step) in rows(
        conn,
        "SELECT procedure_id, id, action, how, tools, test, expected_minutes, decision_id, command, automatable
         FROM step ORDER BY procedure_id, position",
        |r| {
            let step = Step {
                id: id_at(r, 1)?,
                action: r.get(2)?,
                how: r.get(3)?,
                tools: r.get(4)?,
                test: r.get(5)?,
                expected_minutes: r.get(6)?,
                decision: opt_id_at(r, 7)?,
                command: json_at(r, 8)?,
                automatable: r.get(9)?,
            };
            Ok((r.get::<_, String>(0)?, step))
        },
    )? {
        steps.entry(procedure).or_default().push(step);
    }
    let procedures = rows(
        conn,
        "SELECT id, title, summary FROM procedure ORDER BY position",
        |r| Ok((id_at(r, 0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
    )?
    .into_iter()
    .map(|(id, title, summary)| Procedure {
        issues: procedure_issues.remove(id.as_str()).unwrap_or_default(),
        steps: steps.remove(id.as_str()).unwrap_or_default(),
        id,
        title,
        summary,
    })
    .collect();

    let escalation = rows(
        conn,
        "SELECT category_id, core, extended, page_after_minutes FROM escalation_rule ORDER BY position",
        |r| {
            Ok(EscalationRule {
                category: id_at(r, 0)?,
                core: parsed(r, 1, NotifyWhen::parse)?,
                extended: parsed(r, 2, NotifyWhen::parse)?,
                page_after_minutes: r.get(3)?,
            })
        },
    )?;

    let mut owned = grouped(
        conn,
        "SELECT contact_id, category_id FROM contact_category ORDER BY contact_id, position",
    )?;
    let mut retired: HashMap<String, Vec<RetiredKey>> = HashMap::new();
    for (contact, key) in rows(
        conn,
        "SELECT contact_id, key, retired_from FROM contact_retired_key
         ORDER BY contact_id, position",
        |r| {
            let key = RetiredKey {
                key: r.get(1)?,
                retired_from: r.get(2)?,
            };
            Ok((r.get::<_, String>(0)?, key))
        },
    )? {
        retired.entry(contact).or_default().push(key);
    }
    let mut core_team = Vec::new();
    let mut extended_team = Vec::new();
    for (team, contact) in rows(
        conn,
        "SELECT team, id, name, role, email, chat, phone, public_key, last_verified
         FROM contact ORDER BY position",
        |r| {
            let reach = Reach {
                email: r.get(4)?,
                chat: r.get(5)?,
                phone: r.get(6)?,
            };
            let verified = match r.get::<_, Option<String>>(8)? {
                None => None,
                Some(text) => Some(
                    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                        .map_err(|e| conversion(8, format!("last_verified `{text}`: {e}")))?,
                ),
            };
            let team: String = r.get(0)?;
            Ok((
                team,
                (
                    id_at(r, 1)?,
                    r.get(2)?,
                    r.get(3)?,
                    reach,
                    r.get(7)?,
                    verified,
                ),
            ))
        },
    )? {
        let (id, name, role, reach, public_key, last_verified) = contact;
        match team.as_str() {
            "core" => core_team.push(CoreMember {
                categories: owned.remove(id.as_str()).unwrap_or_default(),
                retired_keys: retired.remove(id.as_str()).unwrap_or_default(),
                id,
                name,
                role,
                reach,
                public_key,
                last_verified,
            }),
            _ => extended_team.push(ExtendedContact {
                id,
                name,
                role,
                reach,
                last_verified,
            }),
        }
    }

    let mut rotation_members = grouped(
        conn,
        "SELECT category_id, contact_id FROM on_call_member ORDER BY category_id, position",
    )?;
    let mut overrides: HashMap<String, Vec<OnCallOverride>> = HashMap::new();
    for (category, o) in rows(
        conn,
        "SELECT category_id, member_id, starts_at, ends_at, note FROM on_call_override
         ORDER BY category_id, position",
        |r| {
            let o = OnCallOverride {
                member: id_at(r, 1)?,
                from: r.get(2)?,
                until: r.get(3)?,
                note: r.get(4)?,
            };
            Ok((r.get::<_, String>(0)?, o))
        },
    )? {
        overrides.entry(category).or_default().push(o);
    }
    let on_call = rows(
        conn,
        "SELECT category_id, handover_day, handover_time, time_zone, starts_on
         FROM on_call_rotation ORDER BY position",
        |r| {
            Ok(OnCallRotation {
                category: id_at(r, 0)?,
                members: Vec::new(),
                handover_day: parsed(r, 1, Weekday::parse)?,
                handover_time: r.get(2)?,
                time_zone: r.get(3)?,
                starts_on: r.get(4)?,
                overrides: Vec::new(),
            })
        },
    )?
    .into_iter()
    .map(|mut rotation| {
        let key = rotation.category.as_str();
        rotation.members = rotation_members.remove(key).unwrap_or_default();
        rotation.overrides = overrides.remove(key).unwrap_or_default();
        rotation
    })
    .collect();

    let mut rule_categories = grouped(
        conn,
        "SELECT rule_id, category_id FROM communication_rule_category ORDER BY rule_id, position",
    )?;
    let communications = rows(
        conn,
        "SELECT id, audience, timing_kind, timing_value, channel, responsible_id, optional, notes
         FROM communication_rule ORDER BY position",
        |r| {
            let kind: String = r.get(2)?;
            let value: Option<u32> = r.get(3)?;
            let timing = match (kind.as_str(), value) {
                ("until-completion", _) => Timing::UntilCompletion,
                ("every-hours", Some(hours)) => Timing::EveryHours { hours },
                ("every-minutes", Some(minutes)) => Timing::EveryMinutes { minutes },
                ("after-resolution-days", Some(days)) => Timing::AfterResolutionDays { days },
                _ => {
                    return Err(conversion(
                        2,
                        format!("timing `{kind}` with value {value:?}"),
                    ))
                }
            };
            Ok(CommunicationRule {
                id: id_at(r, 0)?,
                audience: parsed(r, 1, Audience::parse)?,
                timing,
                channel: r.get(4)?,
                responsible: opt_id_at(r, 5)?,
                categories: Vec::new(),
                optional: r.get(6)?,
                notes: r.get(7)?,
            })
        },
    )?
    .into_iter()
    .map(|mut rule| {
        rule.categories = rule_categories.remove(rule.id.as_str()).unwrap_or_default();
        rule
    })
    .collect();

    let mut required: HashMap<String, Vec<Id>> = HashMap::new();
    let mut additional: HashMap<String, Vec<Id>> = HashMap::new();
    for (decision, kind, contact) in rows(
        conn,
        "SELECT decision_id, kind, contact_id FROM decision_approver ORDER BY decision_id, position",
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, id_at(r, 2)?)),
    )? {
        let pool = if kind == "required" { &mut required } else { &mut additional };
        pool.entry(decision).or_default().push(contact);
    }
    let decisions = rows(
        conn,
        "SELECT id, title, description, additional_needed, attested_allowed
         FROM decision_policy ORDER BY position",
        |r| {
            Ok(DecisionPolicy {
                id: id_at(r, 0)?,
                title: r.get(1)?,
                description: r.get(2)?,
                required: Vec::new(),
                additional: Vec::new(),
                additional_needed: r.get(3)?,
                attested_allowed: r.get(4)?,
            })
        },
    )?
    .into_iter()
    .map(|mut d| {
        d.required = required.remove(d.id.as_str()).unwrap_or_default();
        d.additional = additional.remove(d.id.as_str()).unwrap_or_default();
        d
    })
    .collect();

    let exercise_policy = exercise_policy(conn)?;

    Ok(Plan {
        meta,
        categories,
        issues,
        procedures,
        escalation,
        core_team,
        extended_team,
        on_call,
        communications,
        decisions,
        exercise_policy,
    })
}

fn rows<T>(
    conn: &Connection,
    sql: &str,
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let items = stmt
        .query_map([], map)?
        .collect::<rusqlite::Result<Vec<T>>>()?;
    Ok(items)
}

/// Rows of (owner, id) grouped by owner, order kept.
fn grouped(conn: &Connection, sql: &str) -> Result<HashMap<String, Vec<Id>>> {
    let mut map: HashMap<String, Vec<Id>> = HashMap::new();
    for (owner, id) in rows(conn, sql, |r| Ok((r.get::<_, String>(0)?, id_at(r, 1)?)))? {
        map.entry(owner).or_default().push(id);
    }
    Ok(map)
}

fn id_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Id> {
    let text: String = row.get(index)?;
    Id::parse(&text).map_err(|reason| conversion(index, reason))
}

fn opt_id_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Id>> {
    match row.get::<_, Option<String>>(index)? {
        None => Ok(None),
        Some(text) => Id::parse(&text)
            .map(Some)
            .map_err(|reason| conversion(index, reason)),
    }
}

/// A JSON column read strictly: text no Muster would write is damage.
fn json_at<T: serde::de::DeserializeOwned>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|e| conversion(index, format!("unreadable `{text}`: {e}")))
}

fn parsed<T>(row: &Row<'_>, index: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| conversion(index, format!("unknown value `{text}`")))
}

fn conversion(index: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        Box::new(Error::Corrupt(message)),
    )
}
