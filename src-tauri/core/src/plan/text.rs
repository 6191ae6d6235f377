//! Text a person typed, checked the same way wherever it is kept: no
//! control characters (a terminal escape, a NUL) and no bidirectional
//! overrides or isolates (U+202A–U+202E, U+2066–U+2069), which would reverse
//! the app's own text shown after them; and a length a window can show —
//! short for what is shown as a heading or in a list (titles, names, roles,
//! channels), long for what is read as prose. Line breaks and tabs are
//! allowed only where prose is.

use serde_json::Value;

/// The longest title, name, role or channel, in characters.
pub const MAX_SHORT: usize = 200;
/// The longest prose (a description, a step's how-to, notes), in characters.
pub const MAX_LONG: usize = 20_000;

/// The fields shown as one line: a heading, a list entry.
pub const SHORT_FIELDS: [&str; 7] = [
    "title",
    "name",
    "channel",
    "organisation",
    "action",
    "phone",
    "chat",
];

/// Every field name the plan's text lives in, for located problems (the
/// validator names fields with static strings).
const FIELDS: [&str; 25] = [
    "title",
    "name",
    "role",
    "channel",
    "organisation",
    "action",
    "tools",
    "phone",
    "chat",
    "email",
    "summary",
    "description",
    "signal",
    "source",
    "how",
    "test",
    "notes",
    "timeZone",
    "publicKey",
    "key",
    "handoverTime",
    "text",
    "note",
    "reason",
    "statement",
];

/// The static name of field `name`, or "text".
pub fn field_name(name: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|f| **f == name)
        .copied()
        .unwrap_or("text")
}

/// Whether `c` reorders the text around it.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What is wrong with `text` kept in a field named `field`, or `None`.
pub fn problem(field: &str, text: &str) -> Option<String> {
    problem_within(field, text, true)
}

/// As [`problem`]; without a length limit when `bounded` is false (a
/// post-mortem is as long as it must be).
pub fn problem_within(field: &str, text: &str, bounded: bool) -> Option<String> {
    let short = SHORT_FIELDS.contains(&field);
    if let Some(c) = text.chars().find(|c| is_bidi_control(*c)) {
        return Some(format!(
            "holds an invisible direction control (U+{:04X}) that would turn the text after it backwards: remove it",
            u32::from(c)
        ));
    }
    let allowed = |c: char| !short && matches!(c, '\n' | '\t' | '\r');
    if let Some(c) = text.chars().find(|c| c.is_control() && !allowed(*c)) {
        return Some(if matches!(c, '\n' | '\r' | '\t') {
            "is one line: remove the line break or tab".to_owned()
        } else {
            format!(
                "holds a control character (U+{:04X}): remove it",
                u32::from(c)
            )
        });
    }
    let max = if short { MAX_SHORT } else { MAX_LONG };
    let length = text.chars().count();
    if bounded && length > max {
        return Some(format!(
            "is {length} characters long; the most is {max}: shorten it"
        ));
    }
    None
}

/// Every problem with the text in `value` (an element, an action), as
/// `(JSON pointer, field name, message)`: each string checked as kept in
/// the field whose name is the last object key on its way.
pub fn problems(value: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    walk(value, String::new(), "", true, &mut out);
    out
}

/// As [`problems`], lengths unchecked (a post-mortem's text).
pub fn problems_unbounded(value: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    walk(value, String::new(), "", false, &mut out);
    out
}

/// The located problems of the text in `value`, for a refusal of `what`.
pub fn located(what: &'static str, value: &Value, bounded: bool) -> Vec<super::Problem> {
    let mut out = Vec::new();
    walk(value, String::new(), "", bounded, &mut out);
    out.into_iter()
        .map(|(_, field, message)| super::Problem::at(what, "", field_name(&field), message))
        .collect()
}

fn walk(
    value: &Value,
    at: String,
    field: &str,
    bounded: bool,
    out: &mut Vec<(String, String, String)>,
) {
    match value {
        Value::String(text) => {
            if let Some(message) = problem_within(field, text, bounded) {
                out.push((at, field.to_owned(), message));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{at}/{i}"), field, bounded, out);
            }
        }
        Value::Object(map) => {
            for (name, inner) in map {
                walk(inner, format!("{at}/{name}"), name, bounded, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn hostile_and_oversized_text_is_named_with_its_field() {
        let found = problems(&json!({
            "title": "Oracle \u{202E}eruliaf",
            "description": "line one\nline two\ttabbed",
            "detection": { "signal": "beep\u{7}" },
            "steps": [{ "action": "x".repeat(MAX_SHORT + 1), "how": "y".repeat(MAX_LONG) }],
            "name": "two\nlines",
        }));
        let at: Vec<(&str, &str)> = found
            .iter()
            .map(|(p, f, _)| (p.as_str(), f.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                ("/detection/signal", "signal"),
                ("/name", "name"),
                ("/steps/0/action", "action"),
                ("/title", "title"),
            ]
        );
        assert!(found[0].2.contains("U+0007"), "{}", found[0].2);
        assert!(found[1].2.contains("one line"), "{}", found[1].2);
        assert!(
            found[2].2.contains("201 characters long; the most is 200"),
            "{}",
            found[2].2
        );
        assert!(found[3].2.contains("U+202E"), "{}", found[3].2);
    }

    #[test]
    fn ordinary_text_in_any_script_passes() {
        for text in [
            "Pause the pool",
            "Пауза",
            "إيقاف العقد مؤقتا",
            "暂停合约",
            "Zoë 🙂",
        ] {
            assert_eq!(problem("title", text), None, "{text}");
        }
        assert_eq!(problem("notes", "a\r\nb\tc"), None);
    }
}
