//! Operations: the workflows that more than one door runs — the window's IPC
//! commands, the command line, and (next) the team folder's intake. Each is
//! one function taking plain arguments (a store, paths, a clock), doing the
//! whole workflow in the store's transactions, and returning its result; the
//! doors only translate (a dialog and an error code for the window, parsing
//! and printing for the command line).
//!
//! What a write changed is not returned by hand: the store's hooks record it
//! ([`crate::store::Changes`]), and the door that holds the store takes it
//! once and publishes it.
//!
//! Architecture invariant: no workflow exists twice. A door that needs a
//! variant of an operation (a dry run, a preview) gets a parameter or a
//! sibling function here, never a copy of its own.

pub mod contacts;
pub mod decision_file;
pub mod exports;
pub mod folder;
pub mod report;
pub mod send;

/// `1 contact`, `3 contacts`: counted nouns in messages.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests;
