//! What a write changed, as SQLite itself reports it. The writing connection
//! carries an update hook that notes the table of every row inserted,
//! updated or deleted, a commit hook that keeps what committed and a rollback
//! hook that forgets what did not. So no write can forget to say what it
//! changed: whoever holds the store takes the set with
//! [`Store::take_changes`](super::Store::take_changes) and publishes it once
//! (the shell turns it into UI events, a scheduler wake and the tray).
//!
//! Architecture invariant: every table of the schema belongs to one topic
//! (`every_table_has_a_topic` keeps it); a table this module does not know
//! counts as a change to everything, never to nothing.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use rusqlite::Connection;

/// A set of topics a write changed. Cheap to copy; empty when nothing changed.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Changes(u8);

impl Changes {
    pub const NONE: Changes = Changes(0);
    /// The plan, its revisions and its search index.
    pub const PLAN: Changes = Changes(1);
    /// Incidents: their events, reminders and post-mortems.
    pub const INCIDENTS: Changes = Changes(1 << 1);
    /// Decision requests, signatures and attestations.
    pub const DECISIONS: Changes = Changes(1 << 2);
    /// Exercises: set-ups, run logs, ratings, findings, attachments.
    pub const EXERCISES: Changes = Changes(1 << 3);
    /// Local settings (profile, linked folder, reminders asked).
    pub const SETTINGS: Changes = Changes(1 << 4);
    /// The team folder's events: written here (to sign and publish) or
    /// taken in from teammates.
    pub const TEAM: Changes = Changes(1 << 5);
    /// Every topic: what another process may have changed.
    pub const ALL: Changes = Changes(0b11_1111);

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every topic of `other` is in `self`.
    pub fn contains(self, other: Changes) -> bool {
        self.0 & other.0 == other.0 && !other.is_empty()
    }

    pub fn plan(self) -> bool {
        self.contains(Changes::PLAN)
    }

    pub fn incidents(self) -> bool {
        self.contains(Changes::INCIDENTS)
    }

    pub fn decisions(self) -> bool {
        self.contains(Changes::DECISIONS)
    }

    pub fn exercises(self) -> bool {
        self.contains(Changes::EXERCISES)
    }

    pub fn settings(self) -> bool {
        self.contains(Changes::SETTINGS)
    }

    pub fn team(self) -> bool {
        self.contains(Changes::TEAM)
    }

    /// The topic a row of `table` belongs to.
    pub fn of_table(table: &str) -> Changes {
        match table {
            "plan_meta"
            | "category"
            | "issue"
            | "contact"
            | "contact_category"
            | "contact_retired_key"
            | "decision_policy"
            | "decision_approver"
            | "procedure"
            | "procedure_issue"
            | "step"
            | "escalation_rule"
            | "communication_rule"
            | "communication_rule_category"
            | "exercise_policy"
            | "on_call_rotation"
            | "on_call_member"
            | "on_call_override"
            | "revision"
            | "plan_conflict" => Changes::PLAN,
            t if t.starts_with("search_index") => Changes::PLAN,
            "incident" | "incident_event" | "reminder" | "post_mortem" | "alert_delivery" => {
                Changes::INCIDENTS
            }
            "decision" | "decision_signature" | "decision_attestation" | "decision_closed" => {
                Changes::DECISIONS
            }
            "exercise"
            | "exercise_event"
            | "exercise_rating"
            | "finding"
            | "exercise_attachment" => Changes::EXERCISES,
            "setting" | "command_trust" => Changes::SETTINGS,
            "team_event" | "roster_entry" | "roster_pin" | "roster_taken" => Changes::TEAM,
            _ => Changes::ALL,
        }
    }
}

impl std::ops::BitOr for Changes {
    type Output = Changes;
    fn bitor(self, rhs: Changes) -> Changes {
        Changes(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Changes {
    fn bitor_assign(&mut self, rhs: Changes) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (Changes::PLAN, "plan"),
            (Changes::INCIDENTS, "incidents"),
            (Changes::DECISIONS, "decisions"),
            (Changes::EXERCISES, "exercises"),
            (Changes::SETTINGS, "settings"),
            (Changes::TEAM, "team"),
        ];
        let set: Vec<&str> = names
            .iter()
            .filter(|(c, _)| self.contains(*c))
            .map(|(_, n)| *n)
            .collect();
        write!(f, "Changes{{{}}}", set.join(", "))
    }
}

/// The hooks' shared state: topics written in the open transaction, and
/// topics committed and not yet taken.
#[derive(Debug, Default)]
pub(super) struct Tracker {
    pending: Arc<AtomicU8>,
    committed: Arc<AtomicU8>,
}

impl Tracker {
    /// Puts the hooks on `conn` (the writing connection).
    pub(super) fn install(conn: &Connection) -> Tracker {
        let tracker = Tracker::default();
        let pending = tracker.pending.clone();
        conn.update_hook(Some(
            move |_: rusqlite::hooks::Action, schema: &str, table: &str, _: i64| {
                // The search index's file holds only what the plan's rows say.
                let topic = if schema == crate::search::file::SCHEMA {
                    Changes::PLAN
                } else {
                    Changes::of_table(table)
                };
                pending.fetch_or(topic.0, Ordering::SeqCst);
            },
        ));
        let (pending, committed) = (tracker.pending.clone(), tracker.committed.clone());
        conn.commit_hook(Some(move || {
            committed.fetch_or(pending.swap(0, Ordering::SeqCst), Ordering::SeqCst);
            false // never turn the commit into a rollback
        }));
        let pending = tracker.pending.clone();
        conn.rollback_hook(Some(move || {
            pending.store(0, Ordering::SeqCst);
        }));
        tracker
    }

    /// What committed since the last call.
    pub(super) fn take(&self) -> Changes {
        Changes(self.committed.swap(0, Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> (Connection, Tracker) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE issue (id TEXT); CREATE TABLE incident (id TEXT);")
            .unwrap();
        let tracker = Tracker::install(&conn);
        (conn, tracker)
    }

    #[test]
    fn a_committed_write_is_reported_once_by_topic() {
        let (conn, tracker) = conn();
        conn.execute("INSERT INTO issue VALUES ('a')", []).unwrap();
        assert_eq!(tracker.take(), Changes::PLAN);
        assert_eq!(tracker.take(), Changes::NONE, "taken once");
        conn.execute_batch(
            "BEGIN; INSERT INTO issue VALUES ('b'); UPDATE incident SET id = 'x'; INSERT INTO incident VALUES ('c'); COMMIT;",
        )
        .unwrap();
        assert_eq!(tracker.take(), Changes::PLAN | Changes::INCIDENTS);
    }

    #[test]
    fn a_rolled_back_write_changes_nothing() {
        let (conn, tracker) = conn();
        conn.execute_batch("BEGIN; INSERT INTO issue VALUES ('a'); ROLLBACK;")
            .unwrap();
        assert_eq!(tracker.take(), Changes::NONE);
        conn.execute_batch("BEGIN; INSERT INTO incident VALUES ('a'); COMMIT;")
            .unwrap();
        assert_eq!(tracker.take(), Changes::INCIDENTS, "nothing left over");
    }

    #[test]
    fn an_unknown_table_counts_as_everything() {
        assert_eq!(Changes::of_table("something_new"), Changes::ALL);
        assert!(Changes::ALL.plan() && Changes::ALL.settings());
        assert!(!Changes::NONE.plan());
        assert_eq!(
            format!("{:?}", Changes::PLAN | Changes::DECISIONS),
            "Changes{plan, decisions}"
        );
    }
}
