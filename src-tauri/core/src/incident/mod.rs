//! Incidents: declared from a potential issue, worked through their phases,
//! recorded as an append-only, hash-chained timeline of events. The state of
//! an incident is always the fold of its events.

pub mod chain;
pub mod escalation;
pub mod figures;
pub mod model;
pub mod paging;
pub mod postmortem;
pub mod state;
pub mod timeline;
pub mod view;

pub use figures::ResponseFigures;
pub use model::*;
