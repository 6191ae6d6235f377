//! Stable, human-readable element ids (`stolen-user-funds`). An id never changes
//! when a title does, so references, history and plan files stay valid.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// An element id: lowercase ASCII letters, digits and single hyphens, starting
/// with a letter or digit, at most [`MAX_ID_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// Checks `text` and wraps it. The error says what is wrong, for a message.
    pub fn parse(text: &str) -> Result<Id, String> {
        check(text)?;
        Ok(Id(text.to_owned()))
    }

    /// Whether the wrapped text is well formed. Ids built by serde skip
    /// [`Id::parse`], so validation calls this.
    pub fn is_valid(&self) -> bool {
        check(&self.0).is_ok()
    }

    /// Why the wrapped text is not a well-formed id, if it is not.
    pub fn problem(&self) -> Option<String> {
        check(&self.0).err()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks that `text` is a well-formed id, without allocating when it is.
fn check(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("an id cannot be empty".to_owned());
    }
    if text.len() > MAX_ID_LEN {
        return Err(format!(
            "id `{text}` is longer than {MAX_ID_LEN} characters"
        ));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "id `{text}` has `{bad}`; use lowercase letters, digits and hyphens"
        ));
    }
    if text.starts_with('-') || text.ends_with('-') || text.contains("--") {
        return Err(format!(
            "id `{text}` must not start or end with a hyphen or hold two in a row"
        ));
    }
    Ok(())
}

/// Builds an id from a literal known to be valid; for the starter plan and tests.
/// An invalid literal is caught by the starter plan's validation test.
pub fn id(text: &str) -> Id {
    Id(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kebab_case() {
        for ok in ["a", "stolen-user-funds", "s1", "2fa-reset"] {
            assert_eq!(Id::parse(ok).map(|i| i.to_string()), Ok(ok.to_owned()));
        }
    }

    #[test]
    fn rejects_malformed_ids_with_a_reason() {
        let cases = [
            ("", "an id cannot be empty"),
            (
                "Stolen",
                "id `Stolen` has `S`; use lowercase letters, digits and hyphens",
            ),
            (
                "a b",
                "id `a b` has ` `; use lowercase letters, digits and hyphens",
            ),
            (
                "-a",
                "id `-a` must not start or end with a hyphen or hold two in a row",
            ),
            (
                "a--b",
                "id `a--b` must not start or end with a hyphen or hold two in a row",
            ),
        ];
        for (input, message) in cases {
            assert_eq!(Id::parse(input), Err(message.to_owned()), "input {input:?}");
        }
        let long = "a".repeat(MAX_ID_LEN + 1);
        assert!(Id::parse(&long).is_err());
    }
}
