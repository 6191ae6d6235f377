//! Text a person typed, checked the same way wherever it is kept: no
//! control characters (a terminal escape, a NUL) and no bidirectional
//! overrides or isolates (U+202A–U+202E, U+2066–U+2069), which would reverse
//! the app's own text shown after them; and a length a window can show —
//! short for what is shown as a heading or in a list (titles, names, roles,
//! channels), long for what is read as prose. Line breaks and tabs are
//! allowed only where prose is.

use std::fmt::{self, Write as _};

use serde::ser::{self, Serialize, Serializer};

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
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text from outside (a monitor's alert, a command's output) made safe to
/// show rather than refused: control and direction characters become
/// U+FFFD; with `lines`, line breaks and tabs stay (carriage returns go).
pub fn defused(text: &str, lines: bool) -> String {
    text.chars()
        .filter(|c| !(lines && *c == '\r'))
        .map(|c| {
            let kept = lines && matches!(c, '\n' | '\t');
            if (c.is_control() && !kept) || is_bidi_control(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
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
    walk(value, &mut String::new(), "", true, &mut out);
    out
}

/// As [`problems`], lengths unchecked (a post-mortem's text).
pub fn problems_unbounded(value: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    walk(value, &mut String::new(), "", false, &mut out);
    out
}

/// The located problems of the text in `value`, for a refusal of `what`.
pub fn located(what: &'static str, value: &Value, bounded: bool) -> Vec<super::Problem> {
    let mut out = Vec::new();
    walk(value, &mut String::new(), "", bounded, &mut out);
    out.into_iter()
        .map(|(_, field, message)| super::Problem::at(what, "", field_name(&field), message))
        .collect()
}

/// Checks every string under `value`; `at` is its JSON pointer, grown and
/// cut back in place (a plan has millions of values and few problems: a
/// pointer is copied only for a problem).
fn walk(
    value: &Value,
    at: &mut String,
    field: &str,
    bounded: bool,
    out: &mut Vec<(String, String, String)>,
) {
    match value {
        Value::String(text) => {
            if let Some(message) = problem_within(field, text, bounded) {
                out.push((at.clone(), field.to_owned(), message));
            }
        }
        Value::Array(items) => {
            let len = at.len();
            for (i, item) in items.iter().enumerate() {
                let _ = write!(at, "/{i}");
                walk(item, at, field, bounded, out);
                at.truncate(len);
            }
        }
        Value::Object(map) => {
            let len = at.len();
            for (name, inner) in map {
                at.push('/');
                at.push_str(name);
                walk(inner, at, name, bounded, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether [`problems`] would find anything in `value` turned into JSON,
/// found without building the JSON: a large plan's check reads millions of
/// strings and finds few problems, so the JSON (and the problem's place) is
/// made only for an element this says `true` of. Each string is checked as
/// kept in the field whose name is the last key on its way, as `problems`
/// does; anything this cannot follow says `true` (look closer).
pub fn any_problem<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(Finder { field: "" }).is_err()
}

/// Stops the walk: a problem found, or something to look at closer.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text problem")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

/// Serializes nothing: checks each string as [`walk`] would, in the field
/// `field`.
#[derive(Clone, Copy)]
struct Finder<'f> {
    field: &'f str,
}

impl Finder<'_> {
    fn text(self, text: &str) -> Result<(), Stop> {
        match problem_within(self.field, text, true) {
            Some(_) => Err(Stop),
            None => Ok(()),
        }
    }
}

impl<'f> Serializer for Finder<'f> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Entries;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, _: bool) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_char(self, c: char) -> Result<(), Stop> {
        self.text(c.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, text: &str) -> Result<(), Stop> {
        self.text(text)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    // JSON: the variant's name as a string.
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Stop> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    // JSON: `{variant: value}`.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(Finder { field: variant })
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    // JSON: `{variant: [items]}`.
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Stop> {
        Ok(Finder { field: variant })
    }
    // JSON: an object; each value checked in the field its key names.
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Ok(Entries { key: String::new() })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    // JSON: `{variant: {fields}}`: each field by its own name.
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Stop> {
        Ok(self)
    }
}

/// A sequence's items, a tuple's and a tuple variant's fields: each checked
/// in the field the sequence is in (JSON: an array).
macro_rules! items_in_their_field {
    ($($kind:ident :: $method:ident),* $(,)?) => {$(
        impl ser::$kind for Finder<'_> {
            type Ok = ();
            type Error = Stop;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
                value.serialize(*self)
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        }
    )*};
}

items_in_their_field!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

/// A struct's and a struct variant's fields: each checked in its own name.
macro_rules! fields_by_name {
    ($($kind:ident),* $(,)?) => {$(
        impl ser::$kind for Finder<'_> {
            type Ok = ();
            type Error = Stop;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Stop> {
                value.serialize(Finder { field: key })
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        }
    )*};
}

fields_by_name!(SerializeStruct, SerializeStructVariant);

/// A map's entries (an alert rule's labels): each value checked in the
/// field its key names, as the JSON walk does; a key that is not text
/// (which JSON could not write as a key) says look closer.
struct Entries {
    key: String,
}

impl ser::SerializeMap for Entries {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        match serde_json::to_value(key) {
            Ok(Value::String(text)) => {
                self.key = text;
                Ok(())
            }
            _ => Err(Stop),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        value.serialize(Finder { field: &self.key })
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
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

    /// Every string of `value`'s JSON, by pointer.
    fn strings(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::String(_) => out.push(at),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    strings(item, format!("{at}/{i}"), out);
                }
            }
            Value::Object(map) => {
                for (name, inner) in map {
                    strings(inner, format!("{at}/{name}"), out);
                }
            }
            _ => {}
        }
    }

    /// `any_problem` says what `problems` of the JSON says, for `value` and
    /// for each copy of it with one string made hostile in each way.
    fn agrees<T: Serialize + serde::de::DeserializeOwned>(value: &T) -> usize {
        let hostile = [
            "Oracle \u{202E}eruliaf".to_owned(),
            "nul\u{0}byte".to_owned(),
            "two\nlines".to_owned(),
            "tab\there".to_owned(),
            "x".repeat(MAX_SHORT + 1),
            "y".repeat(MAX_LONG + 1),
        ];
        let json = serde_json::to_value(value).unwrap_or_default();
        assert_eq!(any_problem(value), !problems(&json).is_empty(), "{json}");
        let mut at = Vec::new();
        strings(&json, String::new(), &mut at);
        let mut tried = 0;
        for pointer in at {
            for text in &hostile {
                let mut changed = json.clone();
                if let Some(slot) = changed.pointer_mut(&pointer) {
                    *slot = Value::String(text.clone());
                }
                // A string that names an enum's variant reads back as nothing.
                let Ok(typed) = serde_json::from_value::<T>(changed.clone()) else {
                    continue;
                };
                let again = serde_json::to_value(&typed).unwrap_or_default();
                assert_eq!(
                    any_problem(&typed),
                    !problems(&again).is_empty(),
                    "{pointer} = {text:?}"
                );
                tried += 1;
            }
        }
        tried
    }

    #[test]
    fn the_quick_look_finds_a_problem_exactly_when_the_json_walk_does() {
        let mut plan =
            crate::starter::plan(chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default());
        let member = plan.on_call[0].members[0].clone();
        plan.on_call[0].overrides.push(crate::plan::OnCallOverride {
            member,
            from: chrono::DateTime::UNIX_EPOCH,
            until: chrono::DateTime::UNIX_EPOCH,
            note: "covering".to_owned(),
        });
        let mut tried = agrees(&plan.meta) + agrees(&plan.exercise_policy);
        tried += plan.categories.iter().map(agrees).sum::<usize>();
        tried += plan.issues.iter().map(agrees).sum::<usize>();
        tried += plan.procedures.iter().map(agrees).sum::<usize>();
        tried += plan.escalation.iter().map(agrees).sum::<usize>();
        tried += plan.core_team.iter().map(agrees).sum::<usize>();
        tried += plan.extended_team.iter().map(agrees).sum::<usize>();
        tried += plan.on_call.iter().map(agrees).sum::<usize>();
        tried += plan.communications.iter().map(agrees).sum::<usize>();
        tried += plan.decisions.iter().map(agrees).sum::<usize>();
        // Every section's every kind of string was tried.
        assert!(tried > 2_000, "{tried}");
        // And a whole plan's check finds each, and only those.
        let mut plan =
            crate::starter::plan(chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default());
        plan.issues[3].detection.source = "beep\u{7}".to_owned();
        plan.procedures[1].steps[2].tools = "x".repeat(MAX_LONG + 1);
        let found = crate::plan::validate(&plan);
        assert_eq!(found.len(), 2, "{found:?}");
    }
}
