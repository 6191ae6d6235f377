//! Live exercises: a moderator runs scenarios from the plan as exercise-mode
//! incidents, logs what responders say and do, reads it back against what the
//! plan expects, rates each objective (P/S/M/U), and turns findings into
//! improvement items that the plan check shows until they are done.
//!
//! Everything here is pure: the store (`store::exercises`) keeps the set-up,
//! the append-only run log, ratings, findings and attachments, and calls these
//! functions with the exercise incidents' events and an injected `now`.

pub mod draft;
pub mod fold;
pub mod improvement;
pub mod measure;
pub mod model;
pub mod participant;
pub mod programme;
pub mod readback;
pub mod readiness;
pub mod report;
pub mod validate;

#[cfg(test)]
mod tests;

pub use model::*;
