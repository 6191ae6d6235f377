//! Incidents in the store: events appended to the hash chain in the same
//! transaction as the incident's summary row, folded back into state on read.
//! Every action is checked against the incident as it stands inside that
//! transaction, so a refusal writes nothing and two windows cannot interleave.

mod validate;

pub(super) use validate::action as validate_action;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{team, Store, SEED_AUTHOR};
use crate::clock::Clock;
use crate::deadline::{self, Agenda, DueItem};
use crate::error::{Error, Result};
use crate::incident::chain::{self, RawEvent, GENESIS};
use crate::incident::model::{
    Declaration, Event, EventBody, Incident, IncidentAction, IncidentId, IncidentSummary, Phase,
    Verification,
};
use crate::incident::postmortem;
use crate::incident::state::{fold, fold_onto};
use crate::incident::view::{self, IncidentView};
use crate::plan::{Audience, Plan, Severity, Timing};
use crate::team::EventId;

/// A stored post-mortem: the team's edited text, or a fresh draft.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PostMortem {
    pub incident: crate::incident::model::IncidentId,
    pub audience: Audience,
    pub text: String,
    /// False while the text is the generated draft, never edited.
    pub edited: bool,
    pub updated_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// From the plan's post-mortem rule for this audience.
    pub due_at: Option<DateTime<Utc>>,
}

pub use crate::incident::model::ACKNOWLEDGED;

/// The author of the reminders Muster itself raised.
const REMINDER_AUTHOR: &str = SEED_AUTHOR;

/// The setting that holds [`Store::overdue_reminder`].
const OVERDUE_REMINDER: &str = "reminders.overdue-every-minutes";
/// The re-notify intervals a laptop may choose, in minutes.
const REMINDER_RANGE: std::ops::RangeInclusive<u32> = 5..=120;

impl Store {
    /// Declares an incident: its first event, with the procedures and
    /// who must be notified upon detection.
    pub fn declare_incident(
        &mut self,
        declaration: &Declaration,
        clock: &dyn Clock,
    ) -> Result<Incident> {
        let now = clock.now();
        let author = self.author.clone();
        self.with_plan_tx(|tx, plan| declare(tx, plan, declaration, now, &author))
    }

    /// Applies one action as one event, or refuses it and changes nothing.
    pub fn act_on_incident(
        &mut self,
        id: &IncidentId,
        action: &IncidentAction,
        clock: &dyn Clock,
    ) -> Result<Incident> {
        let now = clock.now();
        let author = self.author.clone();
        self.with_plan_tx(|tx, plan| {
            let incident = current(tx, id)?;
            let body = validate::action(plan, &incident, action, now)?;
            if let EventBody::PostMortemPublished { audience, text, .. } = &body {
                save_text(tx, id, *audience, text, now)?;
            }
            let closes = matches!(
                body,
                EventBody::PhaseChanged {
                    to: Phase::Closed,
                    ..
                }
            );
            let after = append(tx, id, now, &author, body)?;
            if closes {
                super::decisions::close_pending(tx, plan, id, now, &author)?;
                return current(tx, id);
            }
            Ok(after)
        })
    }

    /// Incident `id`'s state (see [`current`]).
    pub fn incident(&mut self, id: &IncidentId) -> Result<Incident> {
        current(&self.conn, id)
    }

    /// Every incident, newest first.
    pub fn incidents(&mut self) -> Result<Vec<IncidentSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, title, category, severity, phase, exercise, declared_at, last_event_at
             FROM incident ORDER BY number DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title, category, severity, phase, exercise, declared, last) = row?;
            let bad =
                |what: &str| Error::Corrupt(format!("incident {id} has an unreadable {what}"));
            out.push(IncidentSummary {
                title,
                category: crate::plan::Id::parse(&category).map_err(|_| bad("category"))?,
                severity: Severity::parse(&severity).ok_or_else(|| bad("severity"))?,
                phase: Phase::parse(&phase).ok_or_else(|| bad("phase"))?,
                exercise,
                declared_at: time(&declared).ok_or_else(|| bad("declaration time"))?,
                last_event_at: time(&last).ok_or_else(|| bad("last event time"))?,
                id: IncidentId(id),
            });
        }
        Ok(out)
    }

    /// The incidents still worked on or awaiting post-mortems (not closed), folded.
    pub fn active_incidents(&mut self) -> Result<Vec<Incident>> {
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM incident WHERE phase <> 'closed' ORDER BY number")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .map(|id| current(&self.conn, &IncidentId(id)))
            .collect()
    }

    /// The response figures of every real incident, newest first (see
    /// `incident::figures`): Readiness shows them beside the exercises'.
    pub fn incident_figures(&mut self) -> Result<Vec<crate::incident::figures::ResponseFigures>> {
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM incident WHERE exercise = 0 ORDER BY number DESC")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let incident = current(&self.conn, &IncidentId(id))?;
            out.extend(crate::incident::figures::figures(&incident));
        }
        Ok(out)
    }

    /// The stored events of one incident, oldest first.
    pub fn events(&mut self, id: &IncidentId) -> Result<Vec<Event>> {
        load_events(&self.conn, id)
    }

    /// Up to `limit` (at most [`view::TIMELINE_PAGE`] × 4) timeline entries
    /// of incident `id` recorded before event `before`, oldest first, in the
    /// chain's order: the page before the ones the console shows.
    pub fn incident_timeline(
        &mut self,
        id: &IncidentId,
        before: u32,
        limit: u32,
    ) -> Result<Vec<crate::incident::timeline::TimelineEntry>> {
        let snapshot = self.conn.unchecked_transaction()?;
        let incident = current(&snapshot, id)?;
        let limit = limit.clamp(1, view::TIMELINE_PAGE * 4);
        timeline_page(&snapshot, id, &incident, Some(before), limit)
    }

    /// The console's view of one incident at `now`: its state, and the
    /// newest [`view::TIMELINE_PAGE`] events of its timeline (a long
    /// incident's earlier events come a page at a time, see
    /// [`Store::incident_timeline`]).
    pub fn incident_view(
        &mut self,
        id: &IncidentId,
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<IncidentView> {
        let plan = self.current()?;
        let me = self.profile_contact()?;
        // The state and its page from one snapshot: a write between the two
        // reads would show entries the state does not count.
        let snapshot = self.conn.unchecked_transaction()?;
        let incident = current(&snapshot, id)?;
        let timeline = timeline_page(&snapshot, id, &incident, None, view::TIMELINE_PAGE)?;
        drop(snapshot);
        let mut shown = view::view(&plan, &incident, timeline, now, zone);
        shown.called = me.is_some_and(|me| view::calls(&plan, &incident, &me, now));
        Ok(shown)
    }

    /// This laptop's person acknowledges that an escalation of `id` reached
    /// them: they count as notified, and (in a team) every laptop sees who
    /// has it. Refused when nothing calls them.
    pub fn acknowledge(&mut self, id: &IncidentId, clock: &dyn Clock) -> Result<Incident> {
        let now = clock.now();
        let Some(me) = self.profile_contact()? else {
            return Err(Error::Refused(
                "this profile does not say who you are in the plan: set up your signing key (Settings → Signing key) first".to_owned(),
            ));
        };
        let author = self.author.clone();
        self.with_plan_tx(|tx, plan| {
            let incident = current(tx, id)?;
            let name = plan.contact_name(&me).unwrap_or(me.as_str()).to_owned();
            if !view::calls(plan, &incident, &me, now) {
                return Err(Error::Refused(format!(
                    "no escalation of {id} is waiting for {name}: there is nothing to acknowledge"
                )));
            }
            let body = EventBody::ContactNotified {
                contact: me.clone(),
                name,
                channel: ACKNOWLEDGED.to_owned(),
            };
            append(tx, id, now, &author, body)
        })
    }

    /// What is due across the active incidents at `now`, overdue updates
    /// raised again every [`Store::overdue_reminder`].
    pub fn agenda(&mut self, now: DateTime<Utc>, zone: Tz) -> Result<Agenda> {
        let incidents = self.active_incidents()?;
        let every = chrono::Duration::minutes(i64::from(self.overdue_reminder()?));
        Ok(deadline::agenda_every(
            &*self.current()?,
            &incidents,
            now,
            zone,
            every,
        ))
    }

    /// How often, in minutes, an overdue update or a channel still to open is
    /// raised again on this laptop: [`deadline::OVERDUE_REMINDER_MINUTES`]
    /// unless set (an unreadable setting counts as unset).
    pub fn overdue_reminder(&self) -> Result<u32> {
        Ok(self
            .setting(OVERDUE_REMINDER)?
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|m| REMINDER_RANGE.contains(m))
            .unwrap_or(deadline::OVERDUE_REMINDER_MINUTES as u32))
    }

    /// Sets [`Store::overdue_reminder`]; outside 5–120 minutes it is refused,
    /// changing nothing.
    pub fn set_overdue_reminder(&mut self, minutes: u32) -> Result<()> {
        if !REMINDER_RANGE.contains(&minutes) {
            return Err(Error::Refused(format!(
                "remind again every {minutes} minutes? Choose between {} and {} minutes",
                REMINDER_RANGE.start(),
                REMINDER_RANGE.end()
            )));
        }
        self.set_setting(OVERDUE_REMINDER, Some(&minutes.to_string()))
    }

    /// Records that a reminder for `item` was raised (or could only be shown
    /// in the window: `delivered` false with `detail` saying why), as a
    /// `ReminderSent` event. Returns false, changing nothing, when this key
    /// was recorded before: the same due item is never raised twice.
    pub fn record_reminder(
        &mut self,
        item: &DueItem,
        delivered: bool,
        detail: &str,
        clock: &dyn Clock,
    ) -> Result<bool> {
        let now = clock.now();
        self.with_tx(|tx| {
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM reminder WHERE key = ?1)",
                [&item.key],
                |r| r.get(0),
            )?;
            if known {
                return Ok(false);
            }
            current(tx, &item.incident)?;
            tx.execute(
                "INSERT INTO reminder (key, incident, due_at, raised_at, delivered, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    item.key,
                    item.incident.as_str(),
                    chain::timestamp(item.due_at),
                    chain::timestamp(now),
                    delivered,
                    detail
                ],
            )?;
            let body = EventBody::ReminderSent {
                key: item.key.clone(),
                title: item.title.clone(),
                body: item.body.clone(),
                delivered,
                detail: detail.to_owned(),
            };
            append(tx, &item.incident, now, REMINDER_AUTHOR, body)?;
            Ok(true)
        })
    }

    /// Recomputes the chain: `first_bad` names the first event that fails.
    pub fn verify_incident(&mut self, id: &IncidentId) -> Result<Verification> {
        // The chain, its head and the kept state from one snapshot: an
        // event appended meanwhile is not taken for an altered row.
        let snapshot = self.conn.unchecked_transaction()?;
        let (count, head) = chain_head(&snapshot, id)?;
        let mut stmt = snapshot.prepare(
            "SELECT seq, at, author, body, prev_hash, hash FROM incident_event
             WHERE incident = ?1 ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([id.as_str()], |r| {
                Ok(RawEvent {
                    seq: u32::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                    at: raw_text(r.get_ref(1)?),
                    author: raw_text(r.get_ref(2)?),
                    body: raw_text(r.get_ref(3)?),
                    prev_hash: raw_text(r.get_ref(4)?),
                    hash: raw_text(r.get_ref(5)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let times: Vec<(u32, DateTime<Utc>)> = rows
            .iter()
            .filter_map(|r| time(&r.at).map(|at| (r.seq, at)))
            .collect();
        let first_bad = chain::verify(id.as_str(), &rows, count, &head);
        // Only a sound chain's fold says what the state should be.
        let state_differs = first_bad.is_none()
            && match kept_state(&snapshot, id)? {
                Some(kept) => fold(&load_events(&snapshot, id)?).map_or(true, |f| f != kept),
                None => false,
            };
        Ok(Verification {
            incident: id.clone(),
            events: rows.len() as u32,
            first_bad,
            clock_back: crate::incident::model::clock_back(&times),
            state_differs,
        })
    }

    /// The post-mortem for `audience`: the saved text, or a draft from the timeline.
    pub fn post_mortem(
        &mut self,
        id: &IncidentId,
        audience: Audience,
        zone: Tz,
    ) -> Result<PostMortem> {
        let events = self.events(id)?;
        let incident = fold(&events)?;
        let saved: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT text, updated_at FROM post_mortem WHERE incident = ?1 AND audience = ?2",
                params![id.as_str(), audience.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let plan = self.current()?;
        let due_at = post_mortem_due(&plan, &incident, audience, zone);
        let published_at = incident
            .publications
            .iter()
            .filter(|p| p.audience == audience)
            .map(|p| p.at)
            .max();
        let (text, edited, updated_at) = match saved {
            Some((text, updated)) => (text, true, time(&updated)),
            None => {
                // The decisions asked on it, as they stood at its last event
                // (a draft reads the record, not the wall clock).
                let as_of = events
                    .iter()
                    .map(|e| e.at)
                    .max()
                    .unwrap_or(incident.declared_at);
                let requested = self.decisions_for(id, &crate::clock::FixedClock(as_of))?;
                (
                    postmortem::draft(&plan, &incident, &events, &requested, audience, zone),
                    false,
                    None,
                )
            }
        };
        Ok(PostMortem {
            incident: id.clone(),
            audience,
            text,
            edited,
            updated_at,
            published_at,
            due_at,
        })
    }

    /// Saves an edited post-mortem text (not an event; publishing is).
    /// The `due_at` returned counts its days in UTC (no zone comes in here);
    /// [`Store::post_mortem`] counts them in the local calendar.
    pub fn save_post_mortem(
        &mut self,
        id: &IncidentId,
        audience: Audience,
        text: &str,
        zone: Tz,
        clock: &dyn Clock,
    ) -> Result<PostMortem> {
        if text.trim().is_empty() {
            return Err(Error::Refused(format!(
                "the {} of {id} cannot be saved empty: write it, or keep the draft",
                audience.label().to_lowercase()
            )));
        }
        if let Some(message) = crate::plan::text::problem_within("text", text, false) {
            return Err(Error::Invalid {
                what: "post-mortem",
                problems: vec![crate::plan::Problem::at("post-mortem", "", "text", message)],
            });
        }
        let now = clock.now();
        self.with_tx(|tx| {
            chain_head(tx, id)?;
            save_text(tx, id, audience, text, now)
        })?;
        self.post_mortem(id, audience, zone)
    }
}

/// Declares an incident inside `tx`: checks `declaration` against `plan`,
/// numbers the incident and writes its first event and its row. Shared by
/// [`Store::declare_incident`] and a scenario's start in an exercise.
pub(super) fn declare(
    tx: &Transaction<'_>,
    plan: &Plan,
    declaration: &Declaration,
    now: DateTime<Utc>,
    author: &str,
) -> Result<Incident> {
    let body = validate::declaration(plan, declaration, now)?;
    let number = next_number(tx)?;
    // In a team, an id no other laptop makes; alone, the next number.
    let id = match team::profile(tx)? {
        Some(profile) => team::new_incident_id(tx, &profile, now)?,
        None => IncidentId(format!("INC-{number}")),
    };
    start(tx, &id, number, now, author, body, Team::Record)
}

fn next_number(tx: &Transaction<'_>) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM incident",
        [],
        |r| r.get(0),
    )?)
}

/// Writes a new incident's row and its first event, the declaration `body`.
fn start(
    tx: &Transaction<'_>,
    id: &IncidentId,
    number: i64,
    at: DateTime<Utc>,
    author: &str,
    body: EventBody,
    team: Team<'_>,
) -> Result<Incident> {
    let (event, body_text) = new_event(id, 1, GENESIS, at, author, body)?;
    let incident = fold(std::slice::from_ref(&event))?;
    tx.execute(
        "INSERT INTO incident (id, number, title, category, severity, phase, exercise,
                               declared_at, last_event_at, event_count, head_hash)
         VALUES (?1, ?2, '', '', 'S1', 'detected', 0, ?3, ?3, 0, ?4)",
        params![id.as_str(), number, chain::timestamp(at), GENESIS],
    )?;
    insert_event(tx, &event, &body_text, team)?;
    write_summary(tx, &incident, &event.hash)?;
    Ok(incident)
}

/// A teammate's declaration, taken in from the team folder: the incident
/// under the id its laptop gave it.
pub(super) fn declare_taken(
    tx: &Transaction<'_>,
    id: &IncidentId,
    at: DateTime<Utc>,
    author: &str,
    body: EventBody,
    team: Team<'_>,
) -> Result<Incident> {
    let number = next_number(tx)?;
    start(tx, id, number, at, author, body, team)
}

/// When the post-mortem for `audience` is due: the plan's rule for it, days
/// counted in `zone`'s calendar from the latest resolution. None before
/// resolution, without a rule, or when the rule was waived.
fn post_mortem_due(
    plan: &Plan,
    incident: &Incident,
    audience: Audience,
    zone: Tz,
) -> Option<DateTime<Utc>> {
    let rule = validate::post_mortem_rule(plan, incident, audience)?;
    if incident.waivers.iter().any(|w| w.rule == rule.id) {
        return None;
    }
    let Timing::AfterResolutionDays { days } = rule.timing else {
        return None;
    };
    Some(deadline::add_local_days(incident.resolved_at?, days, zone))
}

fn save_text(
    tx: &Transaction<'_>,
    id: &IncidentId,
    audience: Audience,
    text: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO post_mortem (incident, audience, text, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (incident, audience) DO UPDATE SET text = ?3, updated_at = ?4",
        params![id.as_str(), audience.as_str(), text, chain::timestamp(now)],
    )?;
    Ok(())
}

pub(super) fn time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A column as the text it holds, whatever its storage class, so that
/// verification sees exactly what is there (an altered type fails the hash).
fn raw_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => format!("integer {i}"),
        ValueRef::Real(f) => format!("real {f}"),
        ValueRef::Blob(b) => format!("blob of {} bytes", b.len()),
    }
}

/// The event count and head hash the incident's row records.
fn chain_head(conn: &Connection, id: &IncidentId) -> Result<(u32, String)> {
    conn.query_row(
        "SELECT event_count, head_hash FROM incident WHERE id = ?1",
        [id.as_str()],
        |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        what: "incident",
        id: id.to_string(),
    })
}

/// The events of `id`, parsed; `NotFound` for an unknown incident. In the
/// order every laptop of a team shows: the team's events in their causal
/// order (`(lamport, id)`), whatever order they arrived in here; an event
/// that stays on this laptop (a reminder it showed) right after the team
/// event it followed here; events from before the team folder first, by
/// number. (The hash chain keeps the order of arrival: `verify_incident`
/// reads it by number.)
pub(super) fn load_events(conn: &Connection, id: &IncidentId) -> Result<Vec<Event>> {
    chain_head(conn, id)?;
    let mut stmt = conn.prepare(
        "SELECT e.seq, e.at, e.author, e.body, e.prev_hash, e.hash, t.lamport, t.id
         FROM incident_event e LEFT JOIN team_event t ON t.id = e.team_event
         WHERE e.incident = ?1 ORDER BY e.seq",
    )?;
    let rows = stmt.query_map([id.as_str()], |r| {
        Ok((
            StoredEvent::read(r)?,
            r.get::<_, Option<i64>>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut keyed = Vec::new();
    // The team event the last rows followed here: (lamport, id).
    let mut after: (i64, String) = (0, String::new());
    for row in rows {
        let (stored, lamport, team_id) = row?;
        if let (Some(lamport), Some(team_id)) = (lamport, team_id) {
            after = (lamport, team_id);
        }
        let event = stored.event(id)?;
        keyed.push(((after.clone(), event.seq), event));
    }
    // The declaration first, whatever a teammate's clock says.
    keyed.sort_by(|a, b| (a.0 .1 != 1, &a.0).cmp(&(b.0 .1 != 1, &b.0)));
    Ok(keyed.into_iter().map(|(_, e)| e).collect())
}

/// Up to `limit` events of `id` before event `before` (the newest when
/// none), oldest first, in the chain's order (by number), and the time of
/// the event just before them, if any (to see a clock set back at the
/// page's edge). Only the page is read: a long incident's console opens
/// as fast as a short one's.
pub(super) fn load_page(
    conn: &Connection,
    id: &IncidentId,
    before: Option<u32>,
    limit: u32,
) -> Result<(Vec<Event>, Option<DateTime<Utc>>)> {
    chain_head(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, author, body, prev_hash, hash FROM incident_event
         WHERE incident = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(
        params![id.as_str(), before.unwrap_or(u32::MAX), limit + 1],
        StoredEvent::read,
    )?;
    let mut events = Vec::new();
    let mut previous = None;
    for row in rows {
        let stored = row?;
        if events.len() == limit as usize {
            previous = Some(stored.time(id)?);
            break;
        }
        events.push(stored.event(id)?);
    }
    events.reverse();
    Ok((events, previous))
}

/// An `incident_event` row as stored (its first six columns:
/// `seq, at, author, body, prev_hash, hash`), read into an [`Event`] with
/// damage said as such.
struct StoredEvent {
    seq: u32,
    at: String,
    author: String,
    body: String,
    prev_hash: String,
    hash: String,
}

impl StoredEvent {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
        Ok(StoredEvent {
            seq: r.get(0)?,
            at: r.get(1)?,
            author: r.get(2)?,
            body: r.get(3)?,
            prev_hash: r.get(4)?,
            hash: r.get(5)?,
        })
    }

    fn bad(&self, id: &IncidentId, what: String) -> Error {
        Error::Corrupt(format!(
            "event {} of {id} cannot be read ({what}); run `muster incident verify {id}`",
            self.seq
        ))
    }

    fn time(&self, id: &IncidentId) -> Result<DateTime<Utc>> {
        time(&self.at).ok_or_else(|| self.bad(id, format!("time `{}`", self.at)))
    }

    fn event(self, id: &IncidentId) -> Result<Event> {
        let at = self.time(id)?;
        let body = serde_json::from_str(&self.body).map_err(|e| self.bad(id, e.to_string()))?;
        Ok(Event {
            incident: id.clone(),
            seq: self.seq,
            at,
            author: self.author,
            body,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

/// A new event with its hash, and the body text that was hashed.
fn new_event(
    id: &IncidentId,
    seq: u32,
    prev_hash: &str,
    at: DateTime<Utc>,
    author: &str,
    body: EventBody,
) -> Result<(Event, String)> {
    let body_text = serde_json::to_string(&body)
        .map_err(|e| Error::Corrupt(format!("an event of {id} could not be written: {e}")))?;
    // Stored at millisecond precision: the event carries the time as stored.
    let at_text = chain::timestamp(at);
    let at = time(&at_text).unwrap_or(at);
    let hash = chain::hash(id.as_str(), seq, &at_text, author, prev_hash, &body_text);
    let event = Event {
        incident: id.clone(),
        seq,
        at,
        author: author.to_owned(),
        body,
        prev_hash: prev_hash.to_owned(),
        hash,
    };
    Ok((event, body_text))
}

/// Where an incident event stands in the team folder.
#[derive(Debug, Clone, Copy)]
pub(super) enum Team<'a> {
    /// Written here: in a team, it becomes a team event to publish.
    Record,
    /// Taken in from a teammate: it is that team event.
    Taken(&'a EventId),
}

/// Writes `event`; whether it became a team event written here (one to
/// publish).
fn insert_event(
    tx: &Transaction<'_>,
    event: &Event,
    body_text: &str,
    team: Team<'_>,
) -> Result<bool> {
    let (team_event, recorded) = match team {
        Team::Record => {
            let recorded = team::record(tx, event)?;
            let is = recorded.is_some();
            (recorded, is)
        }
        Team::Taken(id) => (Some(id.clone()), false),
    };
    tx.execute(
        "INSERT INTO incident_event (incident, seq, at, author, body, prev_hash, hash, team_event)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            event.incident.as_str(),
            event.seq,
            chain::timestamp(event.at),
            event.author,
            body_text,
            event.prev_hash,
            event.hash,
            team_event.map(|id| id.0)
        ],
    )?;
    Ok(recorded)
}

/// Whether incident `id` is closed here (its summary row says so).
pub(super) fn is_closed(conn: &Connection, id: &IncidentId) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT phase FROM incident WHERE id = ?1",
            [id.as_str()],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .is_some_and(|phase| phase == Phase::Closed.as_str()))
}

/// Appends `body` to incident `id`, chained to the head its row records,
/// and brings the row (and the state kept beside it) up to date.
pub(super) fn append(
    tx: &Transaction<'_>,
    id: &IncidentId,
    now: DateTime<Utc>,
    author: &str,
    body: EventBody,
) -> Result<Incident> {
    append_with(tx, id, now, author, body, Team::Record)
}

/// [`append`], saying where the event stands in the team folder.
///
/// The incident's state before the event is the one kept beside its chain
/// head ([`current`]); the new event is folded onto it when it comes last in
/// the order every laptop shows, which is so for an event written here that
/// becomes a team event (its clock is past every event it has seen) and for
/// any event of an incident that is not a team's. A teammate's event, or a
/// line this laptop keeps for itself in a team's incident, may belong before
/// events that arrived earlier: the timeline is then folded again whole.
pub(super) fn append_with(
    tx: &Transaction<'_>,
    id: &IncidentId,
    now: DateTime<Utc>,
    author: &str,
    body: EventBody,
    team: Team<'_>,
) -> Result<Incident> {
    // Read before the event is written: the state kept is that of the head
    // the event follows.
    let before = match team {
        Team::Record => Some(current(tx, id)?),
        Team::Taken(_) => None,
    };
    let (count, head) = chain_head(tx, id)?;
    let (event, body_text) = new_event(id, count + 1, &head, now, author, body)?;
    let recorded = insert_event(tx, &event, &body_text, team)?;
    let last = recorded || (before.is_some() && !is_team_incident(tx, id)?);
    let incident = match before {
        Some(mut incident) if last => {
            fold_onto(&mut incident, &event)?;
            incident
        }
        _ => fold(&load_events(tx, id)?)?,
    };
    // Every append of the tests checks the state folded onto against the
    // fold of the whole timeline, in whatever order the team's events came.
    #[cfg(test)]
    assert_eq!(
        incident,
        fold(&load_events(tx, id)?)?,
        "the state folded onto differs from the timeline's fold"
    );
    write_summary(tx, &incident, &event.hash)?;
    Ok(incident)
}

/// Whether incident `id`'s declaration is a team event (see `team_incident`).
fn is_team_incident(conn: &Connection, id: &IncidentId) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT team_event IS NOT NULL FROM incident_event WHERE incident = ?1 AND seq = 1",
            [id.as_str()],
            |r| r.get::<_, bool>(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// Incident `id`'s state: the one kept beside its chain head when it was
/// folded at that head — its events are then not read at all —, else the
/// fold of its events. `NotFound` for an unknown incident.
pub(super) fn current(conn: &Connection, id: &IncidentId) -> Result<Incident> {
    let kept = kept_state(conn, id)?;
    match kept {
        Some(incident) => Ok(incident),
        None => fold(&load_events(conn, id)?),
    }
}

/// The state kept beside incident `id`'s chain head, when it was folded at
/// that head and reads back as this incident's; `NotFound` for an unknown
/// incident.
fn kept_state(conn: &Connection, id: &IncidentId) -> Result<Option<Incident>> {
    let (head, folded_head, folded) = conn
        .prepare_cached("SELECT head_hash, folded_head, folded FROM incident WHERE id = ?1")?
        .query_row([id.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "incident",
            id: id.to_string(),
        })?;
    if folded_head.as_deref() != Some(head.as_str()) {
        return Ok(None);
    }
    Ok(folded
        .and_then(|text| serde_json::from_str::<Kept>(&text).ok())
        .filter(|kept| kept.fold == FOLD_VERSION && kept.incident.id == *id)
        .map(|kept| kept.incident))
}

/// The version of the fold (`incident::state`) a kept state was made by:
/// raised whenever the fold changes what it makes of events, so that states
/// kept by an earlier Muster are folded again rather than trusted.
const FOLD_VERSION: u32 = 1;

/// A kept state as stored: the fold's version and the state.
#[derive(serde::Deserialize)]
struct Kept {
    fold: u32,
    incident: Incident,
}

/// [`Kept`] as written, borrowing the state.
#[derive(serde::Serialize)]
struct KeptRef<'a> {
    fold: u32,
    incident: &'a Incident,
}

/// Entries of incident `id`'s timeline before event `before` (the newest
/// when none), at most `limit`, oldest first by number, each marked when
/// timed before the event before it. In a team's incident that is judged
/// in the order every laptop shows (a teammate's event may arrive here
/// late, after events it came before): its timeline is read whole. Alone,
/// the chain's order is that order, and only the page is read.
fn timeline_page(
    conn: &Connection,
    id: &IncidentId,
    incident: &Incident,
    before: Option<u32>,
    limit: u32,
) -> Result<Vec<crate::incident::timeline::TimelineEntry>> {
    use crate::incident::timeline::describe_in;
    if is_team_incident(conn, id)? {
        let events = load_events(conn, id)?;
        let mut entries: Vec<_> = events.iter().map(|e| describe_in(incident, e)).collect();
        view::mark_clock_back(&mut entries, None);
        entries.retain(|e| before.is_none_or(|b| e.seq < b));
        entries.sort_by_key(|e| e.seq);
        let start = entries.len().saturating_sub(limit as usize);
        return Ok(entries.split_off(start));
    }
    let (page, previous) = load_page(conn, id, before, limit)?;
    let mut entries: Vec<_> = page.iter().map(|e| describe_in(incident, e)).collect();
    view::mark_clock_back(&mut entries, previous);
    Ok(entries)
}

/// The incident's row from its folded state and the chain's head.
fn write_summary(tx: &Transaction<'_>, incident: &Incident, head: &str) -> Result<()> {
    let kept = KeptRef {
        fold: FOLD_VERSION,
        incident,
    };
    let folded = serde_json::to_string(&kept).map_err(|e| {
        Error::Corrupt(format!(
            "the state of {} could not be written: {e}",
            incident.id
        ))
    })?;
    tx.prepare_cached(
        "UPDATE incident SET title = ?2, category = ?3, severity = ?4, phase = ?5, exercise = ?6,
                declared_at = ?7, last_event_at = ?8, event_count = ?9, head_hash = ?10,
                folded = ?11, folded_head = ?10
         WHERE id = ?1",
    )?
    .execute(params![
        incident.id.as_str(),
        incident.title,
        incident.category.as_str(),
        incident.severity.as_str(),
        incident.phase.as_str(),
        incident.exercise,
        chain::timestamp(incident.declared_at),
        chain::timestamp(incident.last_event_at),
        incident.event_count,
        head,
        folded
    ])?;
    Ok(())
}
