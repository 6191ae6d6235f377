//! The order of a thread's events, the same on every laptop: causal (every
//! event after its parents), ties broken by `(lamport, id)`. Since an
//! event's Lamport clock is greater than each parent's, sorting the events
//! whose ancestry is complete by `(lamport, id)` is such an order; nothing
//! depends on when or in what order the files arrived.
//!
//! What cannot be placed is said, never guessed: an event whose parent has
//! not arrived waits for it (named, with its author when known), an event
//! whose clock is not after its parents' or whose parent belongs to another
//! thread is refused, and two events of one author and laptop with one
//! sequence number are a provable fork — both kept, flagged.

use std::collections::{BTreeMap, BTreeSet};

use super::event::{Envelope, EventId};
use crate::plan::Id;

/// A thread's events, placed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ordered {
    /// Every placeable event, in the order every laptop shows.
    pub order: Vec<EventId>,
    /// The events no other placed event names as a parent: what a new event
    /// of this thread names as its parents.
    pub heads: Vec<EventId>,
    /// The highest Lamport clock placed (0 for none).
    pub lamport: u64,
    /// Events waiting for parents that have not arrived: the event and the
    /// missing ids.
    pub waiting: Vec<(EventId, Vec<EventId>)>,
    /// Events that can never be placed, and why.
    pub refused: Vec<(EventId, String)>,
    /// One author and laptop writing two events with one sequence number:
    /// `(author, device, seq, the events)`.
    pub forks: Vec<Fork>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fork {
    pub author: Id,
    pub device: String,
    pub seq: u64,
    pub events: Vec<EventId>,
}

/// Places the events of one thread (`events` may hold other threads'
/// events too: only `thread`'s are placed).
pub fn order(thread: &str, events: &BTreeMap<EventId, Envelope>) -> Ordered {
    let mine: BTreeMap<&EventId, &Envelope> =
        events.iter().filter(|(_, e)| e.thread == thread).collect();
    let mut out = Ordered::default();
    // Whether each event can be placed: its parents all placeable, in this
    // thread, and earlier on the clock. Decided parents first (by clock), so
    // one pass suffices; a parent with a clock not below the child's is a
    // refusal anyway.
    let mut by_clock: Vec<(&EventId, &Envelope)> = mine.iter().map(|(i, e)| (*i, *e)).collect();
    by_clock.sort_by(|a, b| (a.1.lamport, a.0).cmp(&(b.1.lamport, b.0)));
    let mut placed: BTreeSet<&EventId> = BTreeSet::new();
    let mut blocked: BTreeMap<&EventId, Vec<EventId>> = BTreeMap::new();
    for (id, e) in &by_clock {
        let mut missing = Vec::new();
        let mut problem = None;
        for parent in &e.parents {
            match mine.get(parent) {
                Some(p) if p.lamport >= e.lamport => {
                    problem = Some(format!(
                        "its clock ({}) is not after its parent {}'s ({})",
                        e.lamport,
                        parent.short(),
                        p.lamport
                    ));
                }
                Some(_) if placed.contains(parent) => {}
                Some(_) => match blocked.get(parent) {
                    // Waiting on what the parent waits on.
                    Some(theirs) => missing.extend(theirs.iter().cloned()),
                    None => problem = Some(format!("its parent {} is refused", parent.short())),
                },
                None if events.contains_key(parent) => {
                    problem = Some(format!(
                        "its parent {} belongs to another thread",
                        parent.short()
                    ));
                }
                None => missing.push(parent.clone()),
            }
        }
        if let Some(problem) = problem {
            out.refused.push(((*id).clone(), problem));
        } else if missing.is_empty() {
            placed.insert(id);
        } else {
            missing.sort();
            missing.dedup();
            blocked.insert(id, missing);
        }
    }
    out.order = by_clock
        .iter()
        .filter(|(id, _)| placed.contains(id))
        .map(|(id, _)| (*id).clone())
        .collect();
    out.lamport = by_clock
        .iter()
        .filter(|(id, _)| placed.contains(id))
        .map(|(_, e)| e.lamport)
        .max()
        .unwrap_or(0);
    let named: BTreeSet<&EventId> = by_clock
        .iter()
        .filter(|(id, _)| placed.contains(id))
        .flat_map(|(_, e)| e.parents.iter())
        .collect();
    out.heads = out
        .order
        .iter()
        .filter(|id| !named.contains(id))
        .cloned()
        .collect();
    out.heads.sort();
    out.waiting = blocked
        .into_iter()
        .map(|(id, missing)| (id.clone(), missing))
        .collect();
    // Forks: one (author, device, seq), several events.
    let mut slots: BTreeMap<(&Id, &str, u64), Vec<EventId>> = BTreeMap::new();
    for (id, e) in &mine {
        slots
            .entry((&e.author, e.device.as_str(), e.seq))
            .or_default()
            .push((*id).clone());
    }
    out.forks = slots
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|((author, device, seq), events)| Fork {
            author: author.clone(),
            device: device.to_owned(),
            seq,
            events,
        })
        .collect();
    out
}
