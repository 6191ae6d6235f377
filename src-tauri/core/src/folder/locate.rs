//! Where things are in a plan folder's files. While reading, each element's
//! table is recorded as a small tree of spans (keys, values, string items);
//! afterwards a validation problem (section, element, field) or a plan-check
//! gap (section, element) is mapped back to the file, line and column of the
//! value at fault — down to the item of a list when the message names it.
//!
//! Problems that only follow from a file or element that failed to load (a
//! reference into a section that is not all there, a gap in a section that
//! could not be read) are dropped here: the read error already says what to fix.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use toml::de::DeValue;
use toml::Spanned;

use super::read::Loaded;
use super::{Diagnostic, Level, PLAN_FILE, PROCEDURES_DIR, SECTION_FILES};
use crate::plan::check::{Gap, GapKind, GapLevel};
use crate::plan::{edit, Plan, Problem, Section};

pub(super) type Span = Range<usize>;

/// One file's text, kept to turn byte offsets into lines and columns.
#[derive(Debug)]
pub(super) struct Source {
    pub path: String,
    text: String,
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(path: &str, text: String) -> Source {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            path: path.to_owned(),
            text,
            line_starts,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count())
            + 1;
        (line, column)
    }

    pub fn diagnostic(&self, offset: usize, level: Level, message: String) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic {
            level,
            file: self.path.clone(),
            line,
            column,
            message,
        }
    }
}

/// A table (or any value) of a file, as spans.
#[derive(Debug, Default)]
pub(super) struct Node {
    /// The table's header (`[[issue]]`), or the value.
    pub at: Span,
    pub fields: Vec<Field>,
}

/// One key of a table: where the key and its value are, the strings in the
/// value (itself, or a list's items) and the tables in it.
#[derive(Debug)]
pub(super) struct Field {
    pub name: String,
    pub key: Span,
    pub value: Span,
    pub strings: Vec<(String, Span)>,
    pub tables: Vec<Node>,
}

impl Node {
    pub fn of(value: &Spanned<DeValue<'_>>) -> Node {
        let fields = match value.get_ref() {
            DeValue::Table(table) => table
                .iter()
                .map(|(k, v)| Field {
                    name: k.get_ref().to_string(),
                    key: k.span(),
                    value: v.span(),
                    strings: strings(v),
                    tables: tables(v),
                })
                .collect(),
            _ => Vec::new(),
        };
        Node {
            at: value.span(),
            fields,
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The string value of `name`, if it is one.
    pub fn string(&self, name: &str) -> Option<&str> {
        self.field(name)
            .and_then(|f| f.strings.first())
            .map(|(s, _)| s.as_str())
    }

    /// Where the element starts: its header, else its key field's key.
    fn anchor(&self, key_field: &str) -> usize {
        if !self.at.is_empty() {
            return self.at.start;
        }
        self.field(key_field).map_or(0, |f| f.key.start)
    }
}

fn strings(v: &Spanned<DeValue<'_>>) -> Vec<(String, Span)> {
    match v.get_ref() {
        DeValue::String(s) => vec![(s.to_string(), v.span())],
        DeValue::Array(items) => items
            .iter()
            .filter_map(|i| i.get_ref().as_str().map(|s| (s.to_owned(), i.span())))
            .collect(),
        _ => Vec::new(),
    }
}

fn tables(v: &Spanned<DeValue<'_>>) -> Vec<Node> {
    match v.get_ref() {
        DeValue::Table(_) => vec![Node::of(v)],
        DeValue::Array(items) => items
            .iter()
            .filter(|i| i.get_ref().is_table())
            .map(Node::of)
            .collect(),
        _ => Vec::new(),
    }
}

/// Every string in a field, its nested tables' included.
fn all_strings(field: &Field) -> Vec<&(String, Span)> {
    let mut out: Vec<&(String, Span)> = field.strings.iter().collect();
    for t in &field.tables {
        for f in &t.fields {
            out.extend(all_strings(f));
        }
    }
    out
}

/// The spans of what was read, by source.
#[derive(Debug, Default)]
pub(super) struct Index {
    pub sources: Vec<Source>,
    /// `plan.toml`'s root table.
    pub plan: Option<(usize, Node)>,
    /// The elements of each list section that made it into the plan, in plan
    /// order; for procedures, each procedure file's root table.
    pub elements: BTreeMap<Section, Vec<(usize, Node)>>,
    /// The source of each section file that was read.
    pub files: BTreeMap<Section, usize>,
    /// Where in `elements` each key is, by section (see [`Index::finish`]).
    keys: HashMap<Section, HashMap<String, Vec<usize>>>,
}

impl Index {
    /// Indexes the elements by key, once everything is read.
    pub fn finish(&mut self) {
        self.keys.clear();
        for (section, list) in &self.elements {
            let by_key = self.keys.entry(*section).or_default();
            for (i, (_, node)) in list.iter().enumerate() {
                if let Some(key) = node.string(key_field(*section)) {
                    by_key.entry(key.to_owned()).or_default().push(i);
                }
            }
        }
    }
}

/// Which sections did not load whole.
#[derive(Debug, Default)]
pub(super) struct Damage {
    /// Not read at all (missing or unreadable file).
    pub unloaded: BTreeSet<Section>,
    /// Read, but some elements were left out.
    pub partial: BTreeSet<Section>,
}

impl Damage {
    fn hit(&self, section: Section) -> bool {
        self.unloaded.contains(&section) || self.partial.contains(&section)
    }
}

/// The structural problems of a folder's plan, located, as errors.
pub(super) fn problems(loaded: &Loaded, problems: &[Problem]) -> Vec<Diagnostic> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for p in problems {
        let nth = occurrence(&mut seen, p);
        if keep_problem(&loaded.damage, p) {
            out.push(problem(loaded, p, nth, Level::Error));
        }
    }
    out
}

/// The plan check's gaps, located: the structural ones as [`problems`] puts
/// them, the others at the element (or the value its message names).
pub(super) fn gaps(loaded: &Loaded, problems: &[Problem], gaps: Vec<Gap>) -> Vec<Diagnostic> {
    let mut seen = HashMap::new();
    let nths: Vec<usize> = problems.iter().map(|p| occurrence(&mut seen, p)).collect();
    let mut used = vec![false; problems.len()];
    // Each element's problems, so a gap finds its own among them, not
    // among every problem of the plan.
    let mut of_element: HashMap<(Section, &str), Vec<usize>> = HashMap::new();
    for (i, p) in problems.iter().enumerate() {
        of_element
            .entry((section_of(p.location.section), p.location.element.as_str()))
            .or_default()
            .push(i);
    }
    let mut out = Vec::new();
    for gap in gaps {
        let level = match gap.level {
            GapLevel::Problem => Level::Error,
            GapLevel::Warning => Level::Warning,
            GapLevel::Suggestion => Level::Suggestion,
        };
        if gap.kind == GapKind::Invalid {
            // The check words structural problems as "<element>, <field>: <message>".
            let found = of_element
                .get(&(gap.section, gap.element.as_str()))
                .into_iter()
                .flatten()
                .copied()
                .find(|&i| {
                    let p = &problems[i];
                    !used[i]
                        && gap
                            .message
                            .ends_with(&format!(", {}: {}", p.location.field, p.message))
                });
            if let Some(i) = found {
                used[i] = true;
                if keep_problem(&loaded.damage, &problems[i]) {
                    out.push(problem(loaded, &problems[i], nths[i], level));
                }
                continue;
            }
        }
        if keep_gap(&loaded.damage, &gap) {
            let at = locate_gap(&loaded.index, &gap);
            let index = &loaded.index;
            out.push(place(
                index,
                at,
                gap.section,
                &gap.element,
                level,
                gap.message,
            ));
        }
    }
    out
}

type ProblemKey<'a> = (&'a str, &'a str, &'a str, &'a str);

/// How many identical problems came before this one: the second "is used
/// twice" for an id belongs to the third element with it, and so on.
fn occurrence<'a>(seen: &mut HashMap<ProblemKey<'a>, usize>, p: &'a Problem) -> usize {
    let l = &p.location;
    let n = seen
        .entry((l.section, &l.element, l.field, &p.message))
        .or_insert(0);
    *n += 1;
    *n - 1
}

fn problem(loaded: &Loaded, p: &Problem, nth: usize, level: Level) -> Diagnostic {
    let l = &p.location;
    let section = section_of(l.section);
    let key = field_key(section, l.field);
    let what = describe(&loaded.plan, section, &l.element);
    let message = format!("{what}, {key}: {}", p.message);
    let twice = p.message.contains("twice");
    let nth = if l.field == "id" && twice {
        nth + 1
    } else {
        nth
    };
    let at = element(&loaded.index, section, &l.element, nth)
        .map(|(source, node)| (source, spot(node, section, &key, &p.message, twice)));
    place(&loaded.index, at, section, &l.element, level, message)
}

/// A diagnostic at byte `offset` of source `at`; at the top of the file the
/// element belongs in when it is in no file.
fn place(
    index: &Index,
    at: Option<(usize, usize)>,
    section: Section,
    key: &str,
    level: Level,
    message: String,
) -> Diagnostic {
    match at.and_then(|(s, offset)| index.sources.get(s).map(|source| (source, offset))) {
        Some((source, offset)) => source.diagnostic(offset, level, message),
        None => Diagnostic {
            level,
            file: home(section, key),
            line: 1,
            column: 1,
            message,
        },
    }
}

/// The file an element of `section` keyed `key` belongs in.
fn home(section: Section, key: &str) -> String {
    if section == Section::Procedures {
        let procedure = key.split('/').next().unwrap_or_default();
        return format!("{PROCEDURES_DIR}/{procedure}.toml");
    }
    SECTION_FILES
        .iter()
        .find(|f| f.1 == section)
        .map_or(PLAN_FILE, |f| f.0)
        .to_owned()
}

/// Where in `node` the value of `key` is; the list item the message names,
/// if it names one (the last such item for something listed twice).
fn spot(node: &Node, section: Section, key: &str, message: &str, twice: bool) -> usize {
    let Some(field) = node.field(key) else {
        return node.anchor(key_field(section));
    };
    let tokens = quoted(message);
    let hits: Vec<&(String, Span)> = all_strings(field)
        .into_iter()
        .filter(|(s, _)| tokens.contains(&s.as_str()))
        .collect();
    let hit = if twice { hits.last() } else { hits.first() };
    hit.map_or(field.value.start, |(_, span)| span.start)
}

/// Where a gap is: at the value its message names, or a value that says
/// more about it, or else the element itself.
fn locate_gap(index: &Index, gap: &Gap) -> Option<(usize, usize)> {
    let (source, node) = element(index, gap.section, &gap.element, 0)?;
    let own_key = key_field(gap.section);
    let tokens = quoted(&gap.message);
    let named = node
        .fields
        .iter()
        .filter(|f| f.name != own_key)
        .flat_map(all_strings)
        .find(|(s, _)| tokens.contains(&s.as_str()));
    if let Some((_, span)) = named {
        return Some((source, span.start));
    }
    let hint: &[&str] = match gap.kind {
        GapKind::IssueWithoutDetection => &["signal", "source"],
        GapKind::ContactNotVerified => &["last-verified"],
        GapKind::CommunicationWithoutResponsible => &["responsible"],
        GapKind::RotationGap => &["starts-on", "members"],
        _ => &[],
    };
    let offset = hint
        .iter()
        .find_map(|k| node.field(k))
        .map_or_else(|| node.anchor(own_key), |f| f.value.start);
    Some((source, offset))
}

/// The words a message quotes: in backticks, or an id in parentheses.
fn quoted(message: &str) -> Vec<&str> {
    let ticks = message.split('`').skip(1).step_by(2);
    let parens = message
        .split('(')
        .skip(1)
        .filter_map(|s| s.split_once(')').map(|(inner, _)| inner));
    ticks.chain(parens).collect()
}

/// The `nth` element of `section` keyed `key` (the last, when there are fewer).
fn element<'a>(
    index: &'a Index,
    section: Section,
    key: &str,
    nth: usize,
) -> Option<(usize, &'a Node)> {
    let pick = |found: Vec<(usize, &'a Node)>| {
        let last = found.len().checked_sub(1)?;
        found.get(nth.min(last)).copied()
    };
    match section {
        Section::Meta => index.plan.as_ref().map(|(s, n)| (*s, n)),
        Section::ExercisePolicy => {
            let (s, root) = index.plan.as_ref()?;
            let table = root.field("exercise-policy")?.tables.first()?;
            Some((*s, table))
        }
        Section::Procedures if key.contains('/') => {
            let (p, step) = key.split_once('/')?;
            let (s, procedure) = element(index, section, p, 0)?;
            let steps = procedure.field("step")?.tables.iter();
            pick(
                steps
                    .filter(|n| n.string("id") == Some(step))
                    .map(|n| (s, n))
                    .collect(),
            )
        }
        _ => {
            let all = index.elements.get(&section)?;
            let at = index.keys.get(&section)?.get(key)?;
            pick(
                at.iter()
                    .filter_map(|i| all.get(*i))
                    .map(|(s, n)| (*s, n))
                    .collect(),
            )
        }
    }
}

/// Whether a problem stands on its own, rather than following from a file
/// or element that did not load.
fn keep_problem(damage: &Damage, p: &Problem) -> bool {
    let section = section_of(p.location.section);
    if damage.unloaded.contains(&section) {
        return false;
    }
    let what = p
        .message
        .strip_prefix("no ")
        .and_then(|m| m.split_once(" has the id `"))
        .map(|(what, _)| what);
    let targets: &[Section] = match what {
        Some("category") => &[Section::Categories],
        Some("potential issue") => &[Section::Issues],
        Some("core member") => &[Section::CoreTeam],
        Some("contact") => &[Section::CoreTeam, Section::ExtendedTeam],
        Some("decision policy") => &[Section::Decisions],
        _ => &[],
    };
    !targets.iter().any(|s| damage.hit(*s))
}

fn keep_gap(damage: &Damage, gap: &Gap) -> bool {
    let teams = [Section::CoreTeam, Section::ExtendedTeam];
    let depends: &[Section] = match gap.kind {
        GapKind::IssueWithoutProcedure => &[Section::Procedures],
        GapKind::CategoryWithoutEscalation => &[Section::Escalation],
        GapKind::CategoryWithoutOwner => &[Section::CoreTeam],
        GapKind::RotationGap if gap.level == GapLevel::Warning => &[Section::CoreTeam],
        GapKind::ApproverOnNoTeam
        | GapKind::ApproverWithoutKey
        | GapKind::CommunicationWithoutResponsible => &teams,
        GapKind::StepWithMissingDecision => &[Section::Decisions],
        _ => &[],
    };
    !damage.unloaded.contains(&gap.section) && !depends.iter().any(|s| damage.hit(*s))
}

/// The section a validation problem's location names.
fn section_of(text: &str) -> Section {
    match text {
        "plan" => Section::Meta,
        "exercise policy" => Section::ExercisePolicy,
        other => Section::parse(&other.replace(' ', "-")).unwrap_or(Section::Meta),
    }
}

/// The key that names an element of `section` in its file.
pub(super) fn key_field(section: Section) -> &'static str {
    match section {
        Section::Escalation | Section::OnCall => "category",
        _ => "id",
    }
}

/// The file key for a model field (`timeZone` → `time-zone`).
fn field_key(section: Section, field: &str) -> String {
    if section == Section::OnCall && field == "overrides" {
        return "override".to_owned();
    }
    let mut out = String::with_capacity(field.len() + 4);
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Names an element for a message: `Issue “Oracle failure” (oracle-failure)`.
fn describe(plan: &Plan, section: Section, key: &str) -> String {
    let noun = section.noun();
    let mut chars = noun.chars();
    let noun: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    match section {
        Section::Meta => "Plan details".to_owned(),
        Section::ExercisePolicy => "Exercise policy".to_owned(),
        Section::Escalation | Section::OnCall => {
            let name = plan
                .categories
                .iter()
                .find(|c| c.id.as_str() == key)
                .map(|c| c.name.as_str());
            format!("{noun} for {}", named(name, key))
        }
        Section::Procedures if key.contains('/') => {
            let (p, s) = key.split_once('/').unwrap_or((key, ""));
            let action = plan
                .procedures
                .iter()
                .find(|x| x.id.as_str() == p)
                .and_then(|x| x.steps.iter().find(|y| y.id.as_str() == s))
                .map(|y| y.action.as_str());
            format!("Step {}", named(action, key))
        }
        _ => {
            let title = edit::title_of(plan, section, key);
            format!("{noun} {}", named(Some(&title), key))
        }
    }
}

/// `“Title” (id)`, or `` `id` `` when there is no title to show.
fn named(title: Option<&str>, key: &str) -> String {
    match title.map(str::trim) {
        Some(t) if !t.is_empty() && t != key => format!("“{t}” ({key})"),
        _ => format!("`{key}`"),
    }
}

/// A diagnostic for a whole file that has no text to point into.
pub(super) fn at_top(path: &str, message: String) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        file: path.to_owned(),
        line: 1,
        column: 1,
        message,
    }
}
