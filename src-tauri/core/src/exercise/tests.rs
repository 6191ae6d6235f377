//! Tests of the pure exercise functions: read-back matching, measured times
//! and targets, the programme's due days and reminders, readiness (with a
//! pinned clock and zone) and the after-action report. Exercises, runs and
//! incident timelines are built directly by the fixture, without a store.

mod fixture;
mod measure;
mod programme;
mod readback;
mod readiness;
mod report;
