//! Content lines, the shared syntax of iCalendar (RFC 5545 §3.1) and vCard
//! (RFC 6350 §3.2): `NAME;PARAM=value:VALUE`, ended by CRLF, folded so that no
//! line is longer than 75 octets, and TEXT values escaped. Written for the
//! exports; read (unfolded, split and unescaped) for the vCard import.

/// The longest line, in octets, not counting the CRLF.
const MAX_OCTETS: usize = 75;

/// Builds a file of content lines, each folded and ended with CRLF.
#[derive(Debug, Default)]
pub struct Lines {
    out: String,
}

impl Lines {
    /// Adds `NAME:value` (or `NAME;params:value`): `name` is written as given,
    /// `value` must already be escaped for its type.
    pub fn raw(&mut self, name: &str, value: &str) {
        let mut line = String::with_capacity(name.len() + value.len() + 1);
        line.push_str(name);
        line.push(':');
        line.push_str(value);
        fold(&line, &mut self.out);
    }

    /// Adds a TEXT property, escaping `value`.
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape(value));
    }

    /// Adds a property holding a list of TEXT values, each escaped, joined by commas.
    pub fn list(&mut self, name: &str, values: &[String]) {
        let joined: Vec<String> = values.iter().map(|v| escape(v)).collect();
        self.raw(name, &joined.join(","));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Escapes a TEXT value: backslash, semicolon and comma get a backslash, a
/// line break becomes `\n`; other control characters (not allowed in TEXT)
/// are dropped.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `line` with CRLF, folded: at most 75 octets on the first physical
/// line, then a space and at most 74 octets on each continuation, never
/// splitting a UTF-8 character.
pub fn fold(line: &str, out: &mut String) {
    let mut room = MAX_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > room {
            out.push_str("\r\n ");
            room = MAX_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

/// One logical line of a file: unfolded, with the physical line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfolded {
    pub line: usize,
    pub text: String,
}

/// Joins folded lines: a line that starts with a space or a tab continues the
/// one before (that first character removed). Accepts CRLF or LF; skips empty lines.
pub fn unfold(text: &str) -> Vec<Unfolded> {
    let mut lines: Vec<Unfolded> = Vec::new();
    for (n, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        if let Some(rest) = physical
            .strip_prefix(' ')
            .or_else(|| physical.strip_prefix('\t'))
        {
            if let Some(last) = lines.last_mut() {
                last.text.push_str(rest);
                continue;
            }
        }
        if physical.is_empty() {
            continue;
        }
        lines.push(Unfolded {
            line: n + 1,
            text: physical.to_owned(),
        });
    }
    lines
}

/// A content line taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Uppercase, without a group prefix (`item1.EMAIL` → `EMAIL`).
    pub name: String,
    /// Parameters, names uppercase, values unquoted (`TYPE=work,voice` is one value).
    pub params: Vec<(String, String)>,
    /// The raw value, still escaped.
    pub value: String,
}

impl Property {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Splits `NAME;P=v;Q="x:y":value`. The error says what is wrong, for a message.
pub fn parse(line: &str) -> Result<Property, String> {
    let mut params = Vec::new();
    let mut quoted = false;
    let mut head_end = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => {
                head_end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(end) = head_end else {
        return Err(
            "this line has no `:` between a property name and its value: check that the file is a vCard file and that long lines are folded with a leading space"
                .to_owned(),
        );
    };
    let head = &line[..end];
    let value = line[end + 1..].to_owned();
    let mut parts = split_outside_quotes(head, ';').into_iter();
    let full_name = parts.next().unwrap_or_default();
    let name = full_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!(
            "`{full_name}` is not a property name: a line starts with a name such as FN or EMAIL, then `:` and the value"
        ));
    }
    for p in parts {
        let (k, v) = p.split_once('=').unwrap_or(("TYPE", p.as_str()));
        let v: String = v.chars().filter(|c| *c != '"').collect();
        params.push((k.to_ascii_uppercase(), v));
    }
    Ok(Property {
        name,
        params,
        value,
    })
}

fn split_outside_quotes(text: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == sep && !quoted {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

/// Splits an escaped value at each unescaped `sep` and unescapes every part
/// (`Doe;Jane\, Dr.` → `["Doe", "Jane, Dr."]` for `;`).
pub fn split_value(value: &str, sep: char) -> Vec<String> {
    split(value, Some(sep))
}

/// Unescapes a whole TEXT value.
pub fn unescape(value: &str) -> String {
    split(value, None).concat()
}

fn split(value: &str, sep: Option<char>) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        let Some(last) = parts.last_mut() else {
            break;
        };
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => last.push('\n'),
                Some(other) => last.push(other),
                None => last.push('\\'),
            },
            c if Some(c) == sep => parts.push(String::new()),
            c => last.push(c),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_folds_at_75_octets_without_splitting_characters() {
        assert_eq!(escape("a\\b;c,d\ne\r\nf\u{7}g"), "a\\\\b\\;c\\,d\\ne\\nfg");
        let mut out = String::new();
        // 73 ASCII octets, then 'é' (2 octets) fits exactly at 75; the next one does not.
        fold(&format!("{}éé", "x".repeat(73)), &mut out);
        assert_eq!(out, format!("{}é\r\n é\r\n", "x".repeat(73)));
        let mut out = String::new();
        fold(&"€".repeat(60), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let back = unfold(&out);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].text, "€".repeat(60));
    }

    #[test]
    fn parses_properties_with_groups_quoted_parameters_and_escapes() {
        let p = parse("item1.EMAIL;TYPE=\"work,x:y\";PREF=1:a@example.com").unwrap_or_else(|e| {
            panic!("{e}");
        });
        assert_eq!(p.name, "EMAIL");
        assert_eq!(p.param("TYPE"), Some("work,x:y"));
        assert_eq!(p.param("PREF"), Some("1"));
        assert_eq!(p.value, "a@example.com");
        assert_eq!(
            split_value("Doe;Jane\\, Dr.;;", ';'),
            ["Doe", "Jane, Dr.", "", ""]
        );
        assert_eq!(unescape("a\\nb\\;c\\\\d"), "a\nb;c\\d");
        assert!(parse("no colon here").is_err());
        assert!(parse("BAD NAME:x").is_err());
    }
}
