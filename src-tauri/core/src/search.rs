//! Full-text search over the plan.
//!
//! In an emergency nobody should have to remember which of seven sections
//! holds "the thing about the oracle": a responder types a few letters and
//! gets the issues, procedures, people and policies that mention them. This
//! module keeps the SQLite FTS5 table `search_index` — in a file of its own
//! beside the database, attached as `search` (see [`file`]) — in step with
//! the plan, and turns what a person types, letter by letter, into a query
//! that can never be an FTS5 syntax error.
//!
//! One index row per plan element, with a `title` (what lists show) and a
//! `body` (the rest of its text, including the names of the elements it
//! points at, so "Ada" finds the decision policies she approves). Escalation
//! rules, on-call rotations and the exercise policy are not indexed: they hold
//! no text of their own, only references and numbers, and their categories
//! and people are found under their own names.
//!
//! Ranking is BM25 with the title weighing ten times the body, in tiers:
//! elements whose title holds every typed word, then those whose title holds
//! some of them, then the rest, each tier read only while there is room. This
//! puts what is named after the words first, and keeps a one-letter query on
//! a plan of tens of thousands of elements within one frame (see
//! `benches/search.rs`): BM25 costs time for every matching row.
//!
//! Each row's rowid is derived from its section and key (see `home_rowid`),
//! so re-indexing one element is a rowid lookup, not a scan of the whole
//! table. The derivation is part of the stored format: changing it needs a
//! full [`rebuild`].

pub mod file;

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::plan::{
    Category, CommunicationRule, CoreMember, DecisionPolicy, ExtendedContact, Id, Plan,
    PotentialIssue, Procedure, Reach, Section,
};

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub section: Section,
    /// The element's key (its id; for a step's text, the procedure's id).
    pub element: String,
    /// The element's title or name as lists show it.
    pub title: String,
    /// A short excerpt of the element's body around the match, in plain and
    /// highlighted parts (the UI renders text, never HTML). When only the title
    /// matched, the start of the body, or nothing if it has none.
    pub snippet: Vec<SnippetPart>,
}

/// A run of snippet text, highlighted when it is part of the match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// The most of the typed text looked at, in characters.
const MAX_TYPED_CHARS: usize = 200;
/// The most words a query holds; later ones are ignored.
const MAX_TERMS: usize = 12;
/// Tokens in a snippet.
const SNIPPET_TOKENS: i32 = 16;
/// Marks the start and end of a match in `snippet()` output. Control
/// characters that plan text cannot hold: they are stripped when indexing.
const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';
/// Separates the fields joined into a body.
const FIELD_SEPARATOR: &str = " · ";
/// How many rowids after an element's home rowid it may take when an
/// earlier one is held by another element (a hash collision).
const PROBES: i64 = 16;

/// Writes index rows for every element of `plan`, deleting what was there.
pub fn rebuild(conn: &Connection, plan: &Plan) -> Result<()> {
    conn.execute("DELETE FROM search_index", [])?;
    for doc in documents(plan) {
        insert(conn, &doc)?;
    }
    // Merge the index into one b-tree: queries read fewer segments.
    conn.execute(
        "INSERT INTO search_index (search_index) VALUES ('optimize')",
        [],
    )?;
    Ok(())
}

/// Re-indexes one element after it changed: deletes its row and, if `plan`
/// still has it, inserts it again. Elements whose text quotes this one's name
/// are re-indexed too (a category's issues and owners; a contact's
/// communication rules and decision policies), so a rename is found at once.
/// For escalation, on-call and exercise policy, which are not indexed, it
/// does nothing.
pub fn reindex(conn: &Connection, plan: &Plan, section: Section, key: &str) -> Result<()> {
    fn names<'a>(mut ids: impl Iterator<Item = &'a Id>, key: &str) -> bool {
        ids.any(|id| id.as_str() == key)
    }
    replace(conn, section, key, document(plan, section, key))?;
    match section {
        Section::Categories => {
            for i in plan.issues.iter().filter(|i| i.category.as_str() == key) {
                replace(conn, Section::Issues, i.id.as_str(), Some(issue(plan, i)))?;
            }
            for m in plan
                .core_team
                .iter()
                .filter(|m| names(m.categories.iter(), key))
            {
                let doc = Some(core_member(plan, m));
                replace(conn, Section::CoreTeam, m.id.as_str(), doc)?;
            }
        }
        Section::CoreTeam | Section::ExtendedTeam => {
            for r in plan
                .communications
                .iter()
                .filter(|r| names(r.responsible.iter(), key))
            {
                let doc = Some(communication(plan, r));
                replace(conn, Section::Communications, r.id.as_str(), doc)?;
            }
            for d in plan
                .decisions
                .iter()
                .filter(|d| names(d.required.iter().chain(&d.additional), key))
            {
                replace(
                    conn,
                    Section::Decisions,
                    d.id.as_str(),
                    Some(decision(plan, d)),
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether the index is empty. (The store no longer asks: its stamp says
/// whether the index reflects the plan; see [`file`].)
#[cfg(test)]
fn is_empty(conn: &Connection) -> Result<bool> {
    let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM search_index)", [], |r| {
        r.get(0)
    })?;
    Ok(!any)
}

/// Finds up to `limit` elements matching what the user typed, best first.
///
/// Every word typed must occur, as the start of a word, in the title or the
/// body, so results narrow as the person types. Elements whose title holds
/// every word come first; then, while there is room, those whose title holds
/// some of the words (one of more than one letter), ranked by BM25 on the
/// title words, so more and rarer ones rank higher; then the rest, by BM25
/// with the title weighing ten times the body. Equal scores keep a fixed
/// order (by rowid). Input with no letters or digits finds nothing, and no
/// input is an error.
pub fn search(conn: &Connection, typed: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let Some(expression) = match_expression(typed) else {
        return Ok(Vec::new());
    };
    if limit == 0 {
        return Ok(Vec::new());
    }
    // Ranking reads only rowids; text and snippets are read for the rows
    // shown. BM25 costs time per matching row and per match in it, so the
    // small title tiers come first and a tier runs only while there is room.
    let terms = terms(typed);
    let any = |terms: &[&Term]| -> String {
        let quoted: Vec<&str> = terms.iter().map(|t| t.quoted.as_str()).collect();
        quoted.join(" OR ")
    };
    let all: Vec<&Term> = terms.iter().collect();
    // A single letter is too vague to put a title in the second tier on its
    // own (it would also make the tier most of a large plan); it still
    // counts in the rank of the titles another word put there.
    let promoting: Vec<&Term> = terms.iter().filter(|t| t.letters > 1).collect();
    let some = if promoting.is_empty() || promoting.len() == terms.len() {
        format!("{{title}} : ({})", any(&all))
    } else {
        format!("{{title}} : (({}) AND ({}))", any(&promoting), any(&all))
    };
    let mut tiers = vec![(format!("{{title}} : ({expression})"), None)];
    if terms.len() > 1 {
        tiers.push((some, Some(expression.as_str())));
    }
    tiers.push((expression.clone(), None));

    let mut rowids: Vec<i64> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    for (ranking, within) in tiers {
        if rowids.len() >= limit {
            break;
        }
        // Earlier tiers' rows match here too; at most `rowids.len()` of them
        // are among the first `limit`, so enough new ones remain.
        for rowid in ranked(conn, &ranking, within, limit)? {
            if rowids.len() < limit && seen.insert(rowid) {
                rowids.push(rowid);
            }
        }
    }
    shown(conn, &expression, &rowids)
}

/// The best `limit` rowids by BM25 for the FTS5 expression `ranking`, among
/// the rows that also match `within` if given.
fn ranked(
    conn: &Connection,
    ranking: &str,
    within: Option<&str>,
    limit: usize,
) -> Result<Vec<i64>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rowids = match within {
        None => conn
            .prepare_cached(
                "SELECT rowid FROM search_index WHERE search_index MATCH ?1
                 ORDER BY bm25(search_index, 0.0, 0.0, 10.0, 1.0), rowid LIMIT ?2",
            )?
            .query_map(params![ranking, limit], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?,
        // The subquery's rowids are collected once; `+rowid` keeps the IN out
        // of the FTS5 plan, which would otherwise look each one up anew.
        Some(within) => conn
            .prepare_cached(
                "SELECT rowid FROM search_index WHERE search_index MATCH ?1
                   AND +rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH ?2)
                 ORDER BY bm25(search_index, 0.0, 0.0, 10.0, 1.0), rowid LIMIT ?3",
            )?
            .query_map(params![ranking, within, limit], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?,
    };
    Ok(rowids)
}

/// Text and snippets for the rows in `rowids`, in that order. One pass over
/// the matches: looking rows up one by one would rebuild the match list of
/// every long prefix (which has no prefix index) once per row.
fn shown(conn: &Connection, expression: &str, rowids: &[i64]) -> Result<Vec<SearchHit>> {
    let (Some(low), Some(high)) = (rowids.iter().min(), rowids.iter().max()) else {
        return Ok(Vec::new());
    };
    let wanted = format!(
        "[{}]",
        rowids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    // `+rowid` keeps the IN out of the FTS5 plan, so it filters the one pass.
    let mut statement = conn.prepare_cached(&format!(
        "SELECT rowid, section, element, title,
                snippet(search_index, 3, char({}), char({}), '…', {SNIPPET_TOKENS})
         FROM search_index
         WHERE search_index MATCH ?1 AND rowid BETWEEN ?2 AND ?3
           AND +rowid IN (SELECT value FROM json_each(?4))",
        HIT_START as u32, HIT_END as u32,
    ))?;
    let mut found: HashMap<i64, SearchHit> = HashMap::with_capacity(rowids.len());
    let mut rows = statement.query(params![expression, low, high, wanted])?;
    while let Some(r) = rows.next()? {
        let section: String = r.get(1)?;
        let section = Section::parse(&section).ok_or_else(|| {
            Error::Corrupt(format!(
                "the search index names an unknown section `{section}`"
            ))
        })?;
        let snippet: Option<String> = r.get(4)?;
        found.insert(
            r.get(0)?,
            SearchHit {
                section,
                element: r.get(2)?,
                title: r.get(3)?,
                snippet: snippet_parts(snippet.as_deref().unwrap_or_default()),
            },
        );
    }
    Ok(rowids.iter().filter_map(|r| found.remove(r)).collect())
}

/// The FTS5 query for what a person typed: each word (a run of letters and
/// digits, in any script) as a quoted prefix term, all of them required.
/// Quoting makes `AND`, `NOT`, `*`, `-`, `(`, `:` and `"` plain text. `None`
/// when there is no word. Public so benchmarks can run the same query raw.
pub fn match_expression(typed: &str) -> Option<String> {
    let terms = terms(typed);
    let quoted: Vec<&str> = terms.iter().map(|t| t.quoted.as_str()).collect();
    (!quoted.is_empty()).then(|| quoted.join(" AND "))
}

/// One typed word.
#[derive(Debug)]
struct Term {
    /// As an FTS5 prefix term: `"word"*`.
    quoted: String,
    /// How many characters the word has.
    letters: usize,
}

/// The typed words: runs of letters and digits, at most [`MAX_TERMS`] from
/// the first [`MAX_TYPED_CHARS`] characters.
fn terms(typed: &str) -> Vec<Term> {
    let head: String = typed.chars().take(MAX_TYPED_CHARS).collect();
    head.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(|w| Term {
            quoted: format!("\"{}\"*", w.replace('"', "\"\"")),
            letters: w.chars().count(),
        })
        .collect()
}

/// Splits `snippet()` output at the hit markers.
fn snippet_parts(marked: &str) -> Vec<SnippetPart> {
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut text = String::new();
    let mut hit = false;
    let mut flush = |text: &mut String, hit: bool| {
        if text.is_empty() {
            return;
        }
        match parts.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(text),
            _ => parts.push(SnippetPart {
                text: text.clone(),
                hit,
            }),
        }
        text.clear();
    };
    for c in marked.chars() {
        match c {
            HIT_START => {
                flush(&mut text, hit);
                hit = true;
            }
            HIT_END => {
                flush(&mut text, hit);
                hit = false;
            }
            _ => text.push(c),
        }
    }
    flush(&mut text, hit);
    parts
}

/// The text of one element as it is indexed.
#[derive(Debug)]
struct Document {
    section: Section,
    key: String,
    title: String,
    body: String,
}

impl Document {
    fn new(section: Section, key: &str, title: &str, body: &[&str]) -> Document {
        let body: Vec<&str> = body
            .iter()
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
            .collect();
        Document {
            section,
            key: key.to_owned(),
            title: clean(title),
            body: clean(&body.join(FIELD_SEPARATOR)),
        }
    }
}

/// Drops the snippet markers, should a pasted text hold them.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| *c != HIT_START && *c != HIT_END)
        .collect()
}

/// One document per indexed element of `plan`.
fn documents(plan: &Plan) -> Vec<Document> {
    let mut docs = vec![meta(plan)];
    docs.extend(plan.categories.iter().map(category));
    docs.extend(plan.issues.iter().map(|i| issue(plan, i)));
    docs.extend(plan.procedures.iter().map(procedure));
    docs.extend(plan.core_team.iter().map(|m| core_member(plan, m)));
    docs.extend(plan.extended_team.iter().map(extended_contact));
    docs.extend(plan.communications.iter().map(|r| communication(plan, r)));
    docs.extend(plan.decisions.iter().map(|d| decision(plan, d)));
    docs
}

/// The document for the element `key` of `section`, if the plan has it and
/// the section is indexed.
fn document(plan: &Plan, section: Section, key: &str) -> Option<Document> {
    let is = |id: &Id| id.as_str() == key;
    match section {
        Section::Meta => key.is_empty().then(|| meta(plan)),
        Section::Categories => plan.categories.iter().find(|c| is(&c.id)).map(category),
        Section::Issues => plan
            .issues
            .iter()
            .find(|i| is(&i.id))
            .map(|i| issue(plan, i)),
        Section::Procedures => plan.procedures.iter().find(|p| is(&p.id)).map(procedure),
        Section::CoreTeam => plan
            .core_team
            .iter()
            .find(|m| is(&m.id))
            .map(|m| core_member(plan, m)),
        Section::ExtendedTeam => plan
            .extended_team
            .iter()
            .find(|c| is(&c.id))
            .map(extended_contact),
        Section::Communications => plan
            .communications
            .iter()
            .find(|r| is(&r.id))
            .map(|r| communication(plan, r)),
        Section::Decisions => plan
            .decisions
            .iter()
            .find(|d| is(&d.id))
            .map(|d| decision(plan, d)),
        Section::Escalation | Section::OnCall | Section::ExercisePolicy => None,
    }
}

fn category_name<'a>(plan: &'a Plan, id: &Id) -> &'a str {
    plan.category(id)
        .map(|c| c.name.as_str())
        .unwrap_or_default()
}

fn meta(plan: &Plan) -> Document {
    let m = &plan.meta;
    Document::new(Section::Meta, "", &m.name, &[&m.organisation, &m.summary])
}

fn category(c: &Category) -> Document {
    Document::new(
        Section::Categories,
        c.id.as_str(),
        &c.name,
        &[&c.description],
    )
}

fn issue(plan: &Plan, i: &PotentialIssue) -> Document {
    let body = [
        i.description.as_str(),
        &i.detection.signal,
        &i.detection.source,
        category_name(plan, &i.category),
        i.severity.label(),
    ];
    Document::new(Section::Issues, i.id.as_str(), &i.title, &body)
}

fn procedure(p: &Procedure) -> Document {
    let mut body = vec![p.summary.as_str()];
    for s in &p.steps {
        body.extend([s.action.as_str(), &s.how, &s.tools, &s.test]);
    }
    Document::new(Section::Procedures, p.id.as_str(), &p.title, &body)
}

fn core_member(plan: &Plan, m: &CoreMember) -> Document {
    let mut body = vec![m.role.as_str()];
    body.extend(reach(&m.reach));
    body.extend(m.categories.iter().map(|c| category_name(plan, c)));
    Document::new(Section::CoreTeam, m.id.as_str(), &m.name, &body)
}

fn extended_contact(c: &ExtendedContact) -> Document {
    let mut body = vec![c.role.as_str()];
    body.extend(reach(&c.reach));
    Document::new(Section::ExtendedTeam, c.id.as_str(), &c.name, &body)
}

fn communication(plan: &Plan, r: &CommunicationRule) -> Document {
    let title = format!("{} — {}", r.audience.label(), r.channel);
    let timing = r.timing.describe();
    let responsible = r
        .responsible
        .as_ref()
        .and_then(|c| plan.contact_name(c))
        .unwrap_or_default();
    let body = [timing.as_str(), &r.notes, responsible];
    Document::new(Section::Communications, r.id.as_str(), &title, &body)
}

fn decision(plan: &Plan, d: &DecisionPolicy) -> Document {
    let mut body = vec![d.description.as_str()];
    body.extend(
        d.required
            .iter()
            .chain(&d.additional)
            .filter_map(|c| plan.contact_name(c)),
    );
    Document::new(Section::Decisions, d.id.as_str(), &d.title, &body)
}

fn reach(reach: &Reach) -> impl Iterator<Item = &str> {
    [&reach.email, &reach.chat, &reach.phone]
        .into_iter()
        .filter_map(|v| v.as_deref())
}

/// Deletes the row of `section`/`key` and writes `doc` (its new text) if any.
fn replace(conn: &Connection, section: Section, key: &str, doc: Option<Document>) -> Result<()> {
    let home = home_rowid(section, key);
    conn.prepare_cached(
        "DELETE FROM search_index
         WHERE rowid BETWEEN ?1 AND ?2 AND section = ?3 AND element = ?4",
    )?
    .execute(params![home, home + PROBES - 1, section.as_str(), key])?;
    match doc {
        Some(doc) => insert(conn, &doc),
        None => Ok(()),
    }
}

/// Inserts `doc` at the first free rowid from its home rowid on.
fn insert(conn: &Connection, doc: &Document) -> Result<()> {
    let home = home_rowid(doc.section, &doc.key);
    let mut taken =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM search_index WHERE rowid = ?1)")?;
    for rowid in home..home + PROBES {
        if taken.query_row([rowid], |r| r.get::<_, bool>(0))? {
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO search_index (rowid, section, element, title, body)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            rowid,
            doc.section.as_str(),
            doc.key,
            doc.title,
            doc.body
        ])?;
        return Ok(());
    }
    Err(Error::Corrupt(format!(
        "the search index has no free row for {} `{}`",
        doc.section.noun(),
        doc.key
    )))
}

/// An element's preferred rowid: a 64-bit FNV-1a hash of its section and key,
/// kept to 62 bits so that probing after it never overflows. Stable across
/// builds and platforms (unlike `std`'s hasher), since rows outlive the process.
fn home_rowid(section: Section, key: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in section.as_str().bytes().chain([0]).chain(key.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (hash >> 2) as i64
}

#[cfg(test)]
mod tests;
