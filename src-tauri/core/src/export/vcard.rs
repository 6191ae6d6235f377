//! Contacts as vCard 4.0 (RFC 6350), for address books and phones: the
//! export writes one card per contact of both teams; the import reads the
//! cards of a `.vcf` file (vCard 3.0 or 4.0, as address books export them).

use chrono::NaiveDate;

use super::lines::{self, Lines, Property};
use super::{decode, duplicate_names, ImportedContact, Located};
use crate::plan::{Id, Plan, Reach};

/// The URI prefix of a contact's stable UID: `urn:muster:contact:<id>`.
pub const UID_PREFIX: &str = "urn:muster:contact:";

/// Every contact of both teams as a vCard 4.0 card, core team first: CRLF
/// line ends, lines folded at 75 octets, text escaped.
pub fn write(plan: &Plan) -> String {
    let mut out = Lines::default();
    for m in &plan.core_team {
        let owns: Vec<&str> = m
            .categories
            .iter()
            .map(|c| plan.category(c).map_or(c.as_str(), |c| c.name.as_str()))
            .collect();
        let mut note = vec!["Muster: core response team".to_owned()];
        if !owns.is_empty() {
            note.push(format!("Owns: {}", owns.join(", ")));
        }
        let person = Person {
            id: &m.id,
            name: &m.name,
            role: &m.role,
            reach: &m.reach,
            verified: m.last_verified,
            team: "Core team",
        };
        card(&mut out, &person, note);
    }
    for c in &plan.extended_team {
        let person = Person {
            id: &c.id,
            name: &c.name,
            role: &c.role,
            reach: &c.reach,
            verified: c.last_verified,
            team: "Extended team",
        };
        card(
            &mut out,
            &person,
            vec!["Muster: extended response team".to_owned()],
        );
    }
    out.finish()
}

/// What a card shows of a contact of either team.
struct Person<'a> {
    id: &'a Id,
    name: &'a str,
    role: &'a str,
    reach: &'a Reach,
    verified: Option<NaiveDate>,
    team: &'a str,
}

/// Writes one card; `note` is the start of its NOTE, one line each.
fn card(out: &mut Lines, p: &Person<'_>, mut note: Vec<String>) {
    let (id, name, role, reach) = (p.id, p.name, p.role, p.reach);
    out.raw("BEGIN", "VCARD");
    out.raw("VERSION", "4.0");
    out.raw("UID", &format!("{UID_PREFIX}{id}"));
    out.text("FN", name);
    if !role.trim().is_empty() {
        out.text("TITLE", role);
    }
    if let Some(email) = set(&reach.email) {
        out.text("EMAIL", email);
    }
    if let Some(phone) = set(&reach.phone) {
        match tel_uri(phone) {
            Some(uri) => out.raw("TEL;VALUE=uri", &uri),
            None => out.text("TEL;VALUE=text", phone),
        }
    }
    if let Some(chat) = set(&reach.chat) {
        if is_uri(chat) {
            out.raw("IMPP", chat);
        } else {
            out.text("X-MUSTER-CHAT", chat);
        }
        note.push(format!("Chat: {chat}"));
    }
    match p.verified {
        Some(day) => note.push(format!("Last verified: {day}")),
        None => note.push("Not verified yet".to_owned()),
    }
    out.text("NOTE", &note.join("\n"));
    out.list("CATEGORIES", &["Muster".to_owned(), p.team.to_owned()]);
    out.raw("END", "VCARD");
}

/// A reach value that is set and not blank.
fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// `+1 555 0100` → `tel:+1-555-0100`: a global number with visual separators
/// as hyphens. `None` for anything else (a local number, an extension in
/// words), which is written as text.
fn tel_uri(phone: &str) -> Option<String> {
    let rest = phone.strip_prefix('+')?;
    if !rest.chars().any(|c| c.is_ascii_digit())
        || !rest
            .chars()
            .all(|c| c.is_ascii_digit() || " -.()".contains(c))
    {
        return None;
    }
    let mut out = String::from("tel:+");
    let mut gap = false;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            if gap && !out.ends_with('+') {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    Some(out)
}

/// Whether `text` looks like a URI (`xmpp:ada@example.org`), not a handle.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !text.contains(char::is_whitespace)
}

/// Every card of a `.vcf` file, or every problem found: lines that are not
/// properties, cards that do not end, cards with no name, names twice.
pub fn read(bytes: &[u8]) -> Result<Vec<ImportedContact>, Vec<Located>> {
    let text = decode(bytes).map_err(|e| vec![e])?;
    let mut problems = Vec::new();
    let mut contacts = Vec::new();
    let mut open: Option<Card> = None;
    for l in lines::unfold(text) {
        let p = match lines::parse(&l.text) {
            Ok(p) => p,
            Err(message) => {
                problems.push(Located::new(l.line, 1, message));
                continue;
            }
        };
        let begin = p.name == "BEGIN" && p.value.eq_ignore_ascii_case("VCARD");
        let end = p.name == "END" && p.value.eq_ignore_ascii_case("VCARD");
        match (open.as_mut(), begin, end) {
            (None, true, _) => open = Some(Card::new(l.line)),
            (None, false, _) => problems.push(Located::new(
                l.line,
                1,
                format!(
                    "`{}` is outside a card: every property belongs between BEGIN:VCARD and END:VCARD",
                    p.name
                ),
            )),
            (Some(card), true, _) => problems.push(Located::new(
                l.line,
                1,
                format!(
                    "a new card begins before the card from line {} ends: add END:VCARD before it",
                    card.line
                ),
            )),
            (Some(_), false, true) => {
                if let Some(card) = open.take() {
                    match card.finish(l.line) {
                        Ok(c) => contacts.push(c),
                        Err(e) => problems.push(e),
                    }
                }
            }
            (Some(card), false, false) => {
                if let Err(e) = card.add(&p, l.line) {
                    problems.push(e);
                }
            }
        }
    }
    if let Some(card) = open {
        problems.push(Located::new(
            card.line,
            1,
            "this card never ends: add END:VCARD after its last line",
        ));
    }
    if contacts.is_empty() && problems.is_empty() {
        problems.push(Located::new(
            1,
            1,
            "the file holds no cards: a vCard file has BEGIN:VCARD … END:VCARD for each contact",
        ));
    }
    problems.extend(duplicate_names(&contacts));
    if problems.is_empty() {
        Ok(contacts)
    } else {
        problems.sort_by_key(|p| (p.line, p.column));
        Err(problems)
    }
}

/// A card being read: the values kept so far, the best (lowest PREF) of each kind.
#[derive(Debug)]
struct Card {
    line: usize,
    full_name: Option<String>,
    name_parts: Option<String>,
    role: Option<String>,
    organisation: Option<String>,
    email: Option<(u32, String)>,
    phone: Option<(u32, String)>,
    chat: Option<(u32, String)>,
}

impl Card {
    fn new(line: usize) -> Card {
        Card {
            line,
            full_name: None,
            name_parts: None,
            role: None,
            organisation: None,
            email: None,
            phone: None,
            chat: None,
        }
    }

    fn add(&mut self, p: &Property, line: usize) -> Result<(), Located> {
        let text = || lines::unescape(&p.value).trim().to_owned();
        let pref = p
            .param("PREF")
            .and_then(|v| v.parse().ok())
            .or_else(|| {
                // vCard 3.0 marks the preferred value as TYPE=pref.
                p.param("TYPE")
                    .filter(|t| t.split(',').any(|t| t.eq_ignore_ascii_case("pref")))
                    .map(|_| 1)
            })
            .unwrap_or(100);
        let keep = |slot: &mut Option<(u32, String)>, value: String| {
            if !value.is_empty() && slot.as_ref().is_none_or(|(best, _)| pref < *best) {
                *slot = Some((pref, value));
            }
        };
        match p.name.as_str() {
            "VERSION" if !matches!(p.value.trim(), "3.0" | "4.0") => {
                return Err(Located::new(
                    line,
                    1,
                    format!(
                        "vCard version {} is not supported: export the contacts as vCard 3.0 or 4.0",
                        p.value.trim()
                    ),
                ));
            }
            _ if p
                .param("ENCODING")
                .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE")) =>
            {
                return Err(Located::new(
                    line,
                    1,
                    "quoted-printable values (vCard 2.1) are not supported: export the contacts as vCard 3.0 or 4.0",
                ));
            }
            "FN" => self.full_name = Some(text()).filter(|n| !n.is_empty()),
            "N" => {
                // Family; Given; Additional; Prefixes; Suffixes.
                let parts = lines::split_value(&p.value, ';');
                let get = |i: usize| parts.get(i).map_or("", |s| s.trim());
                let name = [get(3), get(1), get(2), get(0), get(4)]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                self.name_parts = Some(name.replace(',', " ")).filter(|n| !n.is_empty());
            }
            "TITLE" => self.role = Some(text()),
            "ROLE" if self.role.is_none() => self.role = Some(text()),
            "ORG" => {
                let units: Vec<String> = lines::split_value(&p.value, ';')
                    .into_iter()
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty())
                    .collect();
                self.organisation = Some(units.join(", "));
            }
            "EMAIL" => keep(&mut self.email, text()),
            "TEL" => {
                let value = text();
                let value = match value.strip_prefix("tel:") {
                    // Visual separators in a tel: URI are hyphens; show them as spaces.
                    Some(number) => number.split(';').next().unwrap_or("").replace('-', " "),
                    None => value,
                };
                keep(&mut self.phone, value);
            }
            "IMPP" | "X-MUSTER-CHAT" => keep(&mut self.chat, text()),
            _ => {}
        }
        Ok(())
    }

    fn finish(self, end: usize) -> Result<ImportedContact, Located> {
        let Some(name) = self.full_name.or(self.name_parts) else {
            return Err(Located::new(
                self.line,
                1,
                format!(
                    "the card on lines {}–{end} has no name (FN or N): add FN:<full name> to it",
                    self.line
                ),
            ));
        };
        let value = |v: Option<(u32, String)>| v.map(|(_, v)| v);
        Ok(ImportedContact {
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
            role: self.role.unwrap_or_default(),
            organisation: self.organisation.unwrap_or_default(),
            reach: Reach {
                email: value(self.email),
                chat: value(self.chat),
                phone: value(self.phone),
            },
            line: self.line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_uris_when_they_are_global() {
        assert_eq!(tel_uri("+1 555 0100").as_deref(), Some("tel:+1-555-0100"));
        assert_eq!(
            tel_uri("+44 (20) 7946.0018").as_deref(),
            Some("tel:+44-20-7946-0018")
        );
        assert_eq!(tel_uri("555 0100"), None);
        assert_eq!(tel_uri("+1 555 0100 ext 12"), None);
        assert!(is_uri("xmpp:ada@example.org"));
        assert!(!is_uri("@ada (Signal)"));
        assert!(!is_uri("Signal: @ada"));
    }
}
