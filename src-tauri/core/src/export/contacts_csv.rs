//! Contacts as CSV: the export (both teams, one row per contact), and the
//! import from a spreadsheet or address book, whose columns are mapped to
//! contact fields. [`preview`] reads the header and the first rows and
//! suggests a mapping from the header names; the app shows it for the user to
//! correct, and [`read`] then reads every row with the mapping chosen.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{csv, decode, duplicate_names, ImportedContact, Located};
use crate::plan::{Plan, Reach};

/// The export's header; `categories` are the ids a core member owns, `;`-separated.
pub const HEADER: [&str; 9] = [
    "team",
    "id",
    "name",
    "role",
    "email",
    "chat",
    "phone",
    "categories",
    "last_verified",
];

/// How many data rows a preview shows.
pub const PREVIEW_ROWS: usize = 5;

/// The contacts of both teams as CSV (RFC 4180, CRLF), core team first.
pub fn write(plan: &Plan) -> String {
    let mut rows = vec![HEADER.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    let row = |team: &str, id: &str, name: &str, role: &str, reach: &Reach, cats: String, day| {
        let opt = |v: &Option<String>| v.as_deref().map(safe).unwrap_or_default();
        vec![
            team.to_owned(),
            id.to_owned(),
            safe(name),
            safe(role),
            opt(&reach.email),
            opt(&reach.chat),
            opt(&reach.phone),
            cats,
            day,
        ]
    };
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for m in &plan.core_team {
        let cats: Vec<&str> = m.categories.iter().map(|c| c.as_str()).collect();
        rows.push(row(
            "core",
            m.id.as_str(),
            &m.name,
            &m.role,
            &m.reach,
            cats.join(";"),
            day(m.last_verified),
        ));
    }
    for c in &plan.extended_team {
        rows.push(row(
            "extended",
            c.id.as_str(),
            &c.name,
            &c.role,
            &c.reach,
            String::new(),
            day(c.last_verified),
        ));
    }
    csv::write(&rows)
}

/// Keeps a spreadsheet from running a field as a formula: text that starts
/// with `=`, `@`, or `+`/`-` not followed by a phone number, gets a leading
/// `'` (which [`read`] takes off again).
fn safe(text: &str) -> String {
    let phone = |rest: &str| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || " ()-./".contains(c))
    };
    match text.chars().next() {
        Some('=' | '@' | '\t' | '\r') => format!("'{text}"),
        Some('+' | '-') if !phone(&text[1..]) => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A contact field a CSV column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// The full name; required unless given and family name are mapped.
    Name,
    GivenName,
    FamilyName,
    Role,
    Organisation,
    Email,
    Chat,
    Phone,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Name,
        Field::GivenName,
        Field::FamilyName,
        Field::Role,
        Field::Organisation,
        Field::Email,
        Field::Chat,
        Field::Phone,
    ];

    /// The name used on the command line (`--map "Mobile=phone"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::GivenName => "given-name",
            Field::FamilyName => "family-name",
            Field::Role => "role",
            Field::Organisation => "organisation",
            Field::Email => "email",
            Field::Chat => "chat",
            Field::Phone => "phone",
        }
    }

    pub fn parse(text: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// One column mapped to a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MappedColumn {
    /// The header as the file spells it (matched without case and surrounding space).
    pub header: String,
    pub field: Field,
}

/// Which column fills which field; columns not listed are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMapping {
    pub columns: Vec<MappedColumn>,
}

impl ColumnMapping {
    /// The field `header` is mapped to, if any.
    pub fn field(&self, header: &str) -> Option<Field> {
        self.columns
            .iter()
            .find(|c| same_header(&c.header, header))
            .map(|c| c.field)
    }

    /// Maps `header` to `field` (or, with `None`, ignores it), replacing what
    /// the mapping said for that header or that field before.
    pub fn set(&mut self, header: &str, field: Option<Field>) {
        self.columns
            .retain(|c| !same_header(&c.header, header) && Some(c.field) != field);
        if let Some(field) = field {
            self.columns.push(MappedColumn {
                header: header.trim().to_owned(),
                field,
            });
        }
    }
}

fn same_header(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// What the app shows before an import: the columns, the first rows and a
/// suggested mapping to correct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CsvPreview {
    pub headers: Vec<String>,
    /// Up to [`PREVIEW_ROWS`] data rows, as the file has them.
    pub first_rows: Vec<Vec<String>>,
    /// How many data rows (contacts) the file has.
    pub rows: usize,
    pub suggested: ColumnMapping,
}

/// Reads the file far enough to show it: every problem with its syntax, or
/// its header, first rows and a suggested mapping.
pub fn preview(bytes: &[u8]) -> Result<CsvPreview, Vec<Located>> {
    let records = records(bytes)?;
    let (header, rows) = split_header(&records)?;
    let headers: Vec<String> = header.fields.iter().map(|f| f.text.clone()).collect();
    Ok(CsvPreview {
        suggested: suggest(&headers),
        first_rows: rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| r.fields.iter().map(|f| f.text.clone()).collect())
            .collect(),
        rows: rows.len(),
        headers,
    })
}

/// Guesses each field's column from the header names ("Full name", "E-mail",
/// "Mobile", "Slack", "Job title", ...): each field gets the first column
/// that fits it, and each column at most one field.
pub fn suggest(headers: &[String]) -> ColumnMapping {
    // Per field, the header names that fit it, best first, compared without
    // case, spaces and punctuation; `*x` means "contains x".
    const RULES: [(Field, &[&str]); 8] = [
        (
            Field::Name,
            &[
                "name",
                "fullname",
                "displayname",
                "contactname",
                "contact",
                "person",
                "fn",
            ],
        ),
        (
            Field::GivenName,
            &["firstname", "givenname", "first", "forename"],
        ),
        (
            Field::FamilyName,
            &["lastname", "familyname", "surname", "last"],
        ),
        (Field::Email, &["email", "*email", "mail"]),
        (
            Field::Phone,
            &["*mobile", "cell", "*cellphone", "*phone", "tel"],
        ),
        (
            Field::Chat,
            &[
                "chat",
                "*chat",
                "*slack",
                "*signal",
                "*matrix",
                "*telegram",
                "*discord",
                "*whatsapp",
                "*xmpp",
                "*impp",
                "im",
                "handle",
            ],
        ),
        (
            Field::Role,
            &[
                "role",
                "*jobtitle",
                "*role",
                "position",
                "title",
                "function",
                "*title",
            ],
        ),
        (
            Field::Organisation,
            &[
                "*organisation",
                "*organization",
                "company",
                "*company",
                "org",
                "employer",
            ],
        ),
    ];
    let keys: Vec<String> = headers
        .iter()
        .map(|h| {
            h.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    // "Phone 1 - Type" describes the next column; it is never the value.
    let mut used: Vec<bool> = keys
        .iter()
        .map(|k| k.ends_with("type") || k.ends_with("label"))
        .collect();
    let mut mapping = ColumnMapping::default();
    for (field, patterns) in RULES {
        let found = patterns.iter().find_map(|p| {
            (0..keys.len()).find(|&i| {
                !used[i]
                    && match p.strip_prefix('*') {
                        Some(part) => keys[i].contains(part),
                        None => keys[i] == *p,
                    }
            })
        });
        if let Some(i) = found {
            used[i] = true;
            mapping.columns.push(MappedColumn {
                header: headers[i].clone(),
                field,
            });
        }
    }
    mapping
}

/// Reads every contact with `mapping`, or every problem in the file: its
/// syntax, the mapping against the header, rows with the wrong number of
/// fields, rows with no name, names that appear twice.
pub fn read(bytes: &[u8], mapping: &ColumnMapping) -> Result<Vec<ImportedContact>, Vec<Located>> {
    let records = records(bytes)?;
    let (header, rows) = split_header(&records)?;
    let columns = resolve(header, mapping)?;
    let mut problems = Vec::new();
    let mut contacts = Vec::with_capacity(rows.len());
    let width = header.fields.len();
    for row in rows {
        if row.fields.len() != width {
            let column = row.fields.get(width).map_or(1, |f| f.column);
            problems.push(Located::new(
                row.line,
                column,
                format!(
                    "this row has {} but the header has {width}: put a field that holds a comma in quotes (\"Doe, Jane\"), or fix the row",
                    fields(row.fields.len())
                ),
            ));
            continue;
        }
        let get = |field: Field| {
            columns
                .iter()
                .find(|(_, f)| *f == field)
                .map(|(i, _)| unquote(row.fields[*i].text.trim()).to_owned())
                .unwrap_or_default()
        };
        let mut name = get(Field::Name);
        if name.is_empty() {
            let parts = [get(Field::GivenName), get(Field::FamilyName)];
            name = parts
                .iter()
                .filter(|p| !p.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
        }
        if name.is_empty() {
            let column = columns
                .iter()
                .find(|(_, f)| matches!(f, Field::Name | Field::GivenName | Field::FamilyName))
                .map_or(1, |(i, _)| row.fields[*i].column);
            problems.push(Located::new(
                row.line,
                column,
                "this contact has no name: fill it in, or delete the row",
            ));
            continue;
        }
        let some = |v: String| (!v.is_empty()).then_some(v);
        contacts.push(ImportedContact {
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
            role: get(Field::Role),
            organisation: get(Field::Organisation),
            reach: Reach {
                email: some(get(Field::Email)),
                chat: some(get(Field::Chat)),
                phone: some(get(Field::Phone)),
            },
            line: row.line,
        });
    }
    problems.extend(duplicate_names(&contacts));
    if problems.is_empty() {
        Ok(contacts)
    } else {
        problems.sort_by_key(|p| (p.line, p.column));
        Err(problems)
    }
}

/// Takes off the `'` that [`write`] puts before formula-like text.
fn unquote(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '@', '+', '-']) => rest,
        _ => text,
    }
}

fn records(bytes: &[u8]) -> Result<Vec<csv::Record>, Vec<Located>> {
    let text = decode(bytes).map_err(|e| vec![e])?;
    csv::read(text, csv::separator(text))
}

fn split_header(records: &[csv::Record]) -> Result<(&csv::Record, &[csv::Record]), Vec<Located>> {
    let Some((header, rows)) = records.split_first() else {
        return Err(vec![Located::new(
            1,
            1,
            "the file is empty: a contacts CSV has a header row naming its columns, then one row per contact",
        )]);
    };
    let mut problems = Vec::new();
    for (i, f) in header.fields.iter().enumerate() {
        let earlier = header.fields[..i]
            .iter()
            .any(|e| same_header(&e.text, &f.text) && !f.text.trim().is_empty());
        if earlier {
            problems.push(Located::new(
                f.line,
                f.column,
                format!(
                    "the header has the column `{}` twice: rename one so each column can be told apart",
                    f.text.trim()
                ),
            ));
        }
    }
    if rows.is_empty() {
        problems.push(Located::new(
            header.line,
            1,
            "the file has a header row but no contacts: add one row per contact below it",
        ));
    }
    if problems.is_empty() {
        Ok((header, rows))
    } else {
        Err(problems)
    }
}

/// The mapping as column indexes, checked against the header.
fn resolve(
    header: &csv::Record,
    mapping: &ColumnMapping,
) -> Result<Vec<(usize, Field)>, Vec<Located>> {
    let mut problems = Vec::new();
    let mut columns: Vec<(usize, Field)> = Vec::new();
    let names: Vec<&str> = header.fields.iter().map(|f| f.text.trim()).collect();
    for c in &mapping.columns {
        let Some(i) = names.iter().position(|n| same_header(n, &c.header)) else {
            problems.push(Located::new(
                header.line,
                1,
                format!(
                    "the mapping reads the column `{}` as {}, but the header has no such column (it has {}): map a column the file has",
                    c.header,
                    c.field.as_str(),
                    quoted_list(&names)
                ),
            ));
            continue;
        };
        if let Some((j, _)) = columns.iter().find(|(_, f)| *f == c.field) {
            problems.push(Located::new(
                header.line,
                header.fields[i].column,
                format!(
                    "both `{}` and `{}` are mapped to {}: map one column to each field",
                    names[*j],
                    names[i],
                    c.field.as_str()
                ),
            ));
            continue;
        }
        columns.push((i, c.field));
    }
    let named = columns
        .iter()
        .any(|(_, f)| matches!(f, Field::Name | Field::GivenName | Field::FamilyName));
    if !named && problems.is_empty() {
        problems.push(Located::new(
            header.line,
            1,
            format!(
                "no column is mapped to name: map the column that holds the names (columns: {})",
                quoted_list(&names)
            ),
        ));
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// "1 field", "3 fields".
fn fields(n: usize) -> String {
    if n == 1 {
        "1 field".to_owned()
    } else {
        format!("{n} fields")
    }
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
