//! CSV records (RFC 4180), read with the line and column of every field so
//! that a problem can be shown where it is, and written with quoting where a
//! field needs it and CRLF line ends.
//!
//! Reading is lenient where spreadsheets differ and strict where the data
//! would be wrong: LF or CRLF line ends, a `;` or tab separator when the
//! header uses it instead of `,`, blank (or all-space) lines skipped, a `"` inside an
//! unquoted field taken as written; but a quoted field that never closes, or
//! text after a closing quote, is an error.

use super::Located;

/// One field: its text (unquoted, `""` undone) and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// One record: the line it starts on and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<Field>,
}

/// The separator the file uses: the one of `,` `;` tab found most often,
/// outside quotes, in its first line (`,` on a tie or when none is).
pub fn separator(text: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            c if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(s, _)| *s == c) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    let best = counts.iter().max_by_key(|(_, n)| *n).copied();
    match best {
        Some((sep, n)) if n > counts[0].1 => sep,
        _ => ',',
    }
}

/// Every record of `text`, or every problem found (the reader goes on after
/// a bad field, so one stray quote does not hide the next).
pub fn read(text: &str, sep: char) -> Result<Vec<Record>, Vec<Located>> {
    let mut reader = Reader {
        chars: text.chars().peekable(),
        line: 1,
        column: 1,
        sep,
        problems: Vec::new(),
    };
    let mut records = Vec::new();
    while let Some(record) = reader.record() {
        let blank = record.fields.len() == 1 && record.fields[0].text.trim().is_empty();
        if !blank {
            records.push(record);
        }
    }
    if reader.problems.is_empty() {
        Ok(records)
    } else {
        Err(reader.problems)
    }
}

struct Reader<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    column: usize,
    sep: char,
    problems: Vec<Located>,
}

impl Reader<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else if c != '\r' {
            self.column += 1;
        }
        Some(c)
    }

    /// Consumes a line end (`\n`, `\r\n` or a lone `\r`) if one is next.
    fn line_end(&mut self) -> bool {
        match self.chars.peek() {
            Some('\n') => {
                self.next();
                true
            }
            Some('\r') => {
                self.next();
                if self.chars.peek() == Some(&'\n') {
                    self.next();
                } else {
                    // A lone CR ends a line too.
                    self.line += 1;
                    self.column = 1;
                }
                true
            }
            _ => false,
        }
    }

    fn record(&mut self) -> Option<Record> {
        self.chars.peek()?;
        let line = self.line;
        let mut fields = Vec::new();
        loop {
            fields.push(self.field());
            if self.chars.peek() == Some(&self.sep) {
                self.next();
                continue;
            }
            // End of line or of file.
            self.line_end();
            return Some(Record { line, fields });
        }
    }

    fn field(&mut self) -> Field {
        let (line, column) = (self.line, self.column);
        let mut text = String::new();
        if self.chars.peek() != Some(&'"') {
            while let Some(&c) = self.chars.peek() {
                if c == self.sep || c == '\n' || c == '\r' {
                    break;
                }
                text.push(c);
                self.next();
            }
            return Field { text, line, column };
        }
        self.next();
        loop {
            match self.next() {
                None => {
                    self.problems.push(Located::new(
                        line,
                        column,
                        "this quoted field never ends: add the closing `\"`, and write a quote inside a quoted field as `\"\"`",
                    ));
                    return Field { text, line, column };
                }
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.next();
                    text.push('"');
                }
                Some('"') => break,
                Some('\r') => {
                    if self.chars.peek() == Some(&'\n') {
                        self.next();
                    } else {
                        self.line += 1;
                        self.column = 1;
                    }
                    text.push('\n');
                }
                Some(c) => text.push(c),
            }
        }
        // After the closing quote: a separator, a line end or the end.
        let (at_line, at_column) = (self.line, self.column);
        let mut stray = false;
        while let Some(&c) = self.chars.peek() {
            if c == self.sep || c == '\n' || c == '\r' {
                break;
            }
            stray = true;
            self.next();
        }
        if stray {
            self.problems.push(Located::new(
                at_line,
                at_column,
                "text after the closing quote of a field: put the whole field in quotes, and write a quote inside it as `\"\"`",
            ));
        }
        Field { text, line, column }
    }
}

/// Writes records with `,`, quoting a field that holds a comma, a quote or a
/// line break, each record ended by CRLF.
pub fn write(records: &[Vec<String>]) -> String {
    let mut out = String::new();
    for record in records {
        for (i, field) in record.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if field.contains([',', '"', '\r', '\n']) {
                out.push('"');
                out.push_str(&field.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(field);
            }
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<(String, usize, usize)>> {
        read(text, separator(text))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .into_iter()
            .map(|r| {
                r.fields
                    .into_iter()
                    .map(|f| (f.text, f.line, f.column))
                    .collect()
            })
            .collect()
    }

    fn s(text: &str, line: usize, column: usize) -> (String, usize, usize) {
        (text.to_owned(), line, column)
    }

    #[test]
    fn reads_quoted_fields_with_commas_quotes_and_line_breaks() {
        let text = "a,b\r\n\"Doe, Jane\",\"say \"\"hi\"\"\nthere\"\r\n\r\nx,\n";
        assert_eq!(
            fields(text),
            [
                vec![s("a", 1, 1), s("b", 1, 3)],
                vec![s("Doe, Jane", 2, 1), s("say \"hi\"\nthere", 2, 13)],
                vec![s("x", 5, 1), s("", 5, 3)],
            ]
        );
    }

    #[test]
    fn detects_semicolons_and_tabs() {
        assert_eq!(separator("Name;E-mail;Phone\n"), ';');
        assert_eq!(separator("Name\tE-mail\n"), '\t');
        assert_eq!(separator("\"a;b\",c\n"), ',');
        assert_eq!(separator("Name\n"), ',');
        assert_eq!(fields("a;\"b;c\"\n"), [vec![s("a", 1, 1), s("b;c", 1, 3)]]);
    }

    #[test]
    fn reports_unclosed_quotes_and_text_after_a_closing_quote() {
        let Err(problems) = read("a,b\n\"x\"y,z\nq,\"open\n", ',') else {
            panic!("bad CSV was read");
        };
        let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "2:4: text after the closing quote of a field: put the whole field in quotes, and write a quote inside it as `\"\"`",
                "3:3: this quoted field never ends: add the closing `\"`, and write a quote inside a quoted field as `\"\"`",
            ]
        );
    }

    #[test]
    fn writes_rfc_4180_and_reads_it_back() {
        let records = vec![
            vec!["plain".to_owned(), "with, comma".to_owned()],
            vec!["say \"hi\"".to_owned(), "two\nlines".to_owned()],
        ];
        let text = write(&records);
        assert_eq!(
            text,
            "plain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
        let back: Vec<Vec<String>> = fields(&text)
            .into_iter()
            .map(|r| r.into_iter().map(|f| f.0).collect())
            .collect();
        assert_eq!(back, records);
    }
}
