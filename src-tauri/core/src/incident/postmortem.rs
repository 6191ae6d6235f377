//! Post-mortem drafts, prefilled from the timeline.
