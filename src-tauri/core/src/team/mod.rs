//! The team on many laptops, with no server: what one responder does is an
//! event signed with their key and written once into a shared **team
//! folder** (synced by Syncthing, carried by git, or on a network share);
//! every laptop takes in what the others wrote. Nothing in the folder is
//! ever changed, so merging is a set union and there is nothing for the
//! sync engine to merge.
//!
//! - [`event`]: the envelope, its canonical bytes, id and signature.
//! - [`folder`]: the layout, write-once writing, and the intake that checks
//!   every file against the plan's keys and quarantines the rest, with why.
//! - [`order`]: a thread's events in causal order, the same on every
//!   laptop; gaps, refusals and forks said, never guessed.
//! - [`plan_ops`]: the plan's changes as field-level operations, replayed
//!   into one plan on every laptop, with concurrent writes kept as conflicts.
//!
//! Who signs: each person's decision-signing key (the one in their contact
//! entry, held in their OS keychain) signs their team events too, under its
//! own namespace, so that a team event can never pass for an approval.

pub mod event;
pub mod folder;
pub mod order;
pub mod plan_ops;
pub mod roster;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

pub use event::{Envelope, EventId, SignedEvent, NAMESPACE};
pub use order::{order, Ordered};

use crate::plan::Id;

/// The heads an event names as parents: all of them, or the latest
/// [`event::MAX_PARENTS`] when a thread has more (its other heads are then
/// named by a later event), sorted.
fn capped_heads(seen: &Ordered) -> Vec<EventId> {
    let mut heads = seen.heads.clone();
    if heads.len() > event::MAX_PARENTS {
        let position = |id: &EventId| seen.order.iter().position(|o| o == id);
        heads.sort_by_key(|id| std::cmp::Reverse(position(id)));
        heads.truncate(event::MAX_PARENTS);
        heads.sort();
    }
    heads
}

/// Who writes, from where, and how many events they wrote there before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub person: Id,
    pub device: String,
    /// The sequence number of the writer's last event (0 before the first).
    pub last_seq: u64,
}

impl Writer {
    /// The next envelope of `thread`, after what `seen` places of it: its
    /// heads as parents and a clock after them.
    pub fn next(
        &mut self,
        seen: &Ordered,
        thread: &str,
        kind: &str,
        body: serde_json::Value,
        at: DateTime<Utc>,
    ) -> Envelope {
        self.last_seq += 1;
        Envelope {
            author: self.person.clone(),
            device: self.device.clone(),
            seq: self.last_seq,
            lamport: seen.lamport + 1,
            at,
            thread: thread.to_owned(),
            parents: capped_heads(seen),
            kind: kind.to_owned(),
            body,
        }
    }
}
