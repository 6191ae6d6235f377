//! The hash chain of a timeline: each event's hash covers its stored fields
//! and the previous event's hash, so an edit or deletion is detected.
