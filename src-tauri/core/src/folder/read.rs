//! Reads a plan folder into a plan, collecting every problem on the way
//! instead of stopping at the first: a file that is missing, too big, not
//! UTF-8 or not TOML is reported and skipped; in a section file each element
//! is read on its own, so one bad table does not hide the next. What could
//! not be read is recorded as [`Damage`], so that later checks leave out the
//! problems that only follow from it.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::format::{
    CategoryTable, CommunicationTable, ContactTable, DecisionTable, EscalationTable, IssueTable,
    MemberTable, PlanFile, ProcedureHead, RotationTable, StepTable,
};
use super::locate::{at_top, Damage, Index, Node, Source};
use super::{
    Diagnostic, Level, Unreadable, FORMAT_VERSION, MAX_FILE_BYTES, PLAN_FILE, PROCEDURES_DIR,
    SECTION_FILES,
};
use crate::plan::{ExercisePolicy, Id, Plan, PlanMeta, Procedure, Section};

/// A folder as read: the plan (missing what could not be read), the read
/// problems, where everything is, and what did not load.
#[derive(Debug)]
pub(super) struct Loaded {
    pub plan: Plan,
    pub diagnostics: Vec<Diagnostic>,
    pub index: Index,
    pub damage: Damage,
}

pub(super) fn load(dir: &Path) -> Result<Loaded, Unreadable> {
    let unreadable = |reason: String| Unreadable {
        path: dir.to_owned(),
        reason,
    };
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(unreadable("it is not a folder".to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(unreadable("it does not exist".to_owned()))
        }
        Err(e) => return Err(unreadable(e.to_string())),
    }
    let names = list(dir).map_err(|e| unreadable(e.to_string()))?;
    let mut r = Reader {
        dir,
        diagnostics: Vec::new(),
        index: Index::default(),
        damage: Damage::default(),
    };
    r.strays(&names);
    let mut plan = Plan::empty();
    let head = r.plan_file();
    if let Some(h) = &head {
        plan.meta = PlanMeta {
            name: h.name.clone(),
            organisation: h.organisation.clone(),
            summary: h.summary.clone(),
            is_example: h.example,
        };
        let x = &h.exercise_policy;
        plan.exercise_policy = ExercisePolicy {
            while_new_every_weeks: x.while_new_every_weeks,
            new_for_months: x.new_for_months,
            established_every_months: x.established_every_months,
            session_hours: x.session_hours,
        };
    }
    plan.categories = r.section::<CategoryTable, _>(Section::Categories);
    plan.issues = r.section::<IssueTable, _>(Section::Issues);
    plan.procedures = r.procedures(head.as_ref().map(|h| h.procedures.as_slice()));
    plan.escalation = r.section::<EscalationTable, _>(Section::Escalation);
    plan.core_team = r.section::<MemberTable, _>(Section::CoreTeam);
    plan.extended_team = r.section::<ContactTable, _>(Section::ExtendedTeam);
    plan.on_call = r.section::<RotationTable, _>(Section::OnCall);
    plan.communications = r.section::<CommunicationTable, _>(Section::Communications);
    plan.decisions = r.section::<DecisionTable, _>(Section::Decisions);
    r.index.finish();
    Ok(Loaded {
        plan,
        diagnostics: r.diagnostics,
        index: r.index,
        damage: r.damage,
    })
}

/// The names in a folder, sorted.
fn list(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// A file's text, if it could be read.
enum Text {
    Read(String),
    /// Absent, and allowed to be.
    Absent,
    /// Reported.
    Failed,
}

struct Reader<'a> {
    dir: &'a Path,
    diagnostics: Vec<Diagnostic>,
    index: Index,
    damage: Damage,
}

impl Reader<'_> {
    /// `.toml` files at the top that are no plan file (a typo would otherwise
    /// be silently ignored). Other files, such as a README, are left alone.
    fn strays(&mut self, names: &[String]) {
        for name in names {
            let known = name == PLAN_FILE
                || SECTION_FILES
                    .iter()
                    .any(|(file, ..)| *file == name.as_str());
            if name.ends_with(".toml") && !name.starts_with('.') && !known {
                let files: Vec<&str> = SECTION_FILES.iter().map(|(f, ..)| *f).collect();
                self.diagnostics.push(at_top(
                    name,
                    format!(
                        "`{name}` is not a plan file: rename it to plan.toml, {}, or move it out of the folder",
                        files.join(", ")
                    ),
                ));
            }
        }
    }

    /// Reads `path` (inside the folder), reporting why when it cannot.
    fn text(&mut self, path: &str, optional: bool, what: &str) -> Text {
        match read_text(self.dir, path, optional, what) {
            Ok(Some(text)) => Text::Read(text),
            Ok(None) => Text::Absent,
            Err(d) => {
                self.diagnostics.push(d);
                Text::Failed
            }
        }
    }

    /// Keeps a file's text for locating problems later; its index.
    fn keep(&mut self, path: &str, text: String) -> usize {
        self.index.sources.push(Source::new(path, text));
        self.index.sources.len() - 1
    }

    fn plan_file(&mut self) -> Option<PlanFile> {
        let loaded = [Section::Meta, Section::ExercisePolicy];
        let Text::Read(text) = self.text(PLAN_FILE, false, "the plan's details") else {
            self.damage.unloaded.extend(loaded);
            return None;
        };
        let at = self.keep(PLAN_FILE, text);
        let source = &self.index.sources[at];
        let (head, node, mut diagnostics) = parse_plan(source);
        if let (Some(h), Some(_)) = (&head, &node) {
            let version = *h.format.get_ref();
            if version != FORMAT_VERSION {
                let message = if version > FORMAT_VERSION {
                    format!("this folder is in plan format {version}, newer than this Muster reads ({FORMAT_VERSION}): update Muster")
                } else {
                    format!("unknown plan format {version}: this Muster reads format {FORMAT_VERSION}; set format = {FORMAT_VERSION}")
                };
                diagnostics.push(source.diagnostic(h.format.span().start, Level::Error, message));
            }
        }
        self.diagnostics.extend(diagnostics);
        match node {
            Some(n) if head.is_some() => self.index.plan = Some((at, n)),
            _ => self.damage.unloaded.extend(loaded),
        }
        head
    }

    /// The elements of a section file, each read on its own.
    fn section<T, M>(&mut self, section: Section) -> Vec<M>
    where
        T: DeserializeOwned,
        M: From<T>,
    {
        let Some((file, _, table, optional)) = SECTION_FILES.iter().find(|f| f.1 == section) else {
            return Vec::new();
        };
        let text = match self.text(file, *optional, &describe(section)) {
            Text::Read(text) => text,
            Text::Absent => return Vec::new(),
            Text::Failed => {
                self.damage.unloaded.insert(section);
                return Vec::new();
            }
        };
        let at = self.keep(file, text);
        let source = &self.index.sources[at];
        let parsed = parse_elements::<T>(source, table);
        self.diagnostics.extend(parsed.diagnostics);
        if parsed.unreadable {
            self.damage.unloaded.insert(section);
        } else if parsed.partial {
            self.damage.partial.insert(section);
        }
        self.index.files.insert(section, at);
        let (items, nodes): (Vec<M>, Vec<(usize, Node)>) = parsed
            .items
            .into_iter()
            .map(|(item, node)| (M::from(item), (at, node)))
            .unzip();
        self.index.elements.insert(section, nodes);
        items
    }

    /// The procedures, in the order `plan.toml` lists them (or by file name
    /// when it could not be read), each from its own file.
    fn procedures(&mut self, order: Option<&[Spanned<Id>]>) -> Vec<Procedure> {
        let mut found: BTreeMap<String, Option<(Procedure, usize, Node)>> = BTreeMap::new();
        let mut files = Vec::new();
        for name in self.procedure_files() {
            let stem = name.trim_end_matches(".toml").to_owned();
            let path = format!("{PROCEDURES_DIR}/{name}");
            if let Err(reason) = Id::parse(&stem) {
                self.diagnostics.push(at_top(
                    &path,
                    format!(
                        "the file name must be the procedure's id, but {reason}: rename the file"
                    ),
                ));
                self.damage.partial.insert(Section::Procedures);
                continue;
            }
            files.push((stem, path));
        }
        let reads = read_procedures(self.dir, &files);
        for ((stem, _), read) in files.into_iter().zip(reads) {
            self.diagnostics.extend(read.diagnostics);
            let kept = read.source.and_then(|source| {
                self.index.sources.push(source);
                let at = self.index.sources.len() - 1;
                Some((read.procedure?, at, read.node?))
            });
            if kept.is_none() {
                self.damage.partial.insert(Section::Procedures);
            }
            found.insert(stem, kept);
        }
        let mut ordered = Vec::new();
        match order {
            Some(list) => {
                self.follow(list, &mut found, &mut ordered);
                for stem in found.keys() {
                    self.diagnostics.push(at_top(
                        &format!("{PROCEDURES_DIR}/{stem}.toml"),
                        format!("procedure `{stem}` is not listed in plan.toml's `procedures`: add it to the list where it belongs, or delete this file"),
                    ));
                    self.damage.partial.insert(Section::Procedures);
                }
            }
            None => ordered.extend(found.into_values().flatten()),
        }
        let (procedures, nodes) = ordered
            .into_iter()
            .map(|(p, at, node)| (p, (at, node)))
            .unzip();
        self.index.elements.insert(Section::Procedures, nodes);
        procedures
    }

    /// Takes the procedures `list` names out of `found`, in its order, and
    /// reports the list's items that name no file.
    fn follow(
        &mut self,
        list: &[Spanned<Id>],
        found: &mut BTreeMap<String, Option<(Procedure, usize, Node)>>,
        ordered: &mut Vec<(Procedure, usize, Node)>,
    ) {
        let Some(at) = self.index.plan.as_ref().map(|(at, _)| *at) else {
            return;
        };
        let source = &self.index.sources[at];
        let mut listed = HashSet::new();
        for item in list {
            let id = item.get_ref().as_str();
            let offset = item.span().start;
            let problem = if let Some(reason) = item.get_ref().problem() {
                Some(format!("{reason}: list procedures by their ids"))
            } else if !listed.insert(id) {
                Some(format!("procedure `{id}` is listed twice: remove one"))
            } else {
                match found.remove(id) {
                    Some(read) => {
                        ordered.extend(read);
                        None
                    }
                    None => Some(format!("procedure `{id}` is listed, but there is no {PROCEDURES_DIR}/{id}.toml: add the file or take `{id}` off the list")),
                }
            };
            if let Some(message) = problem {
                self.diagnostics
                    .push(source.diagnostic(offset, Level::Error, message));
                self.damage.partial.insert(Section::Procedures);
            }
        }
    }

    /// The `.toml` files in the procedures folder, sorted; none when it is absent.
    fn procedure_files(&mut self) -> Vec<String> {
        let dir = self.dir.join(PROCEDURES_DIR);
        if !dir.exists() {
            return Vec::new();
        }
        match list(&dir) {
            Ok(names) => names
                .into_iter()
                .filter(|n| n.ends_with(".toml") && !n.starts_with('.'))
                .collect(),
            Err(e) => {
                self.diagnostics.push(at_top(
                    PROCEDURES_DIR,
                    format!("cannot list the procedures folder: {e}"),
                ));
                self.damage.unloaded.insert(Section::Procedures);
                Vec::new()
            }
        }
    }
}

/// What reading and parsing one procedure file gave.
struct ProcedureRead {
    /// The file's text; `None` when it could not be read.
    source: Option<Source>,
    procedure: Option<Procedure>,
    node: Option<Node>,
    diagnostics: Vec<Diagnostic>,
}

fn read_procedure(dir: &Path, path: &str, stem: &str) -> ProcedureRead {
    let unread = |diagnostics| ProcedureRead {
        source: None,
        procedure: None,
        node: None,
        diagnostics,
    };
    match read_text(dir, path, false, "a procedure") {
        Ok(Some(text)) => {
            let source = Source::new(path, text);
            let (procedure, node, diagnostics) = parse_procedure(&source, stem);
            ProcedureRead {
                source: Some(source),
                procedure,
                node,
                diagnostics,
            }
        }
        // A procedure file is never optional: its absence is reported.
        Ok(None) => unread(Vec::new()),
        Err(d) => unread(vec![d]),
    }
}

/// Reads and parses the procedure `files` (stem, path), in their order, on
/// every core: a plan of 100,000 procedures is as many files.
fn read_procedures(dir: &Path, files: &[(String, String)]) -> Vec<ProcedureRead> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let one_by_one = |part: &[(String, String)]| -> Vec<ProcedureRead> {
        part.iter()
            .map(|(stem, path)| read_procedure(dir, path, stem))
            .collect()
    };
    if workers < 2 || files.len() < 256 {
        return one_by_one(files);
    }
    std::thread::scope(|scope| {
        let parts: Vec<_> = files
            .chunks(files.len().div_ceil(workers))
            .map(|part| scope.spawn(move || one_by_one(part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The text of `path` (inside `dir`): `None` when it is absent and may be,
/// or why it cannot be read.
fn read_text(
    dir: &Path,
    path: &str,
    optional: bool,
    what: &str,
) -> Result<Option<String>, Diagnostic> {
    let full = dir.join(path);
    let report = |message: String| Err(at_top(path, message));
    let file = match fs::File::open(&full) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if optional {
                return Ok(None);
            }
            return report(if path == PLAN_FILE {
                format!("missing file: a plan folder needs {PLAN_FILE}, with the plan's name, the order of its procedures and its exercise policy; `muster plan export` writes one")
            } else {
                format!("missing file: a plan folder needs {path} ({what}); create it, with no tables if the section is empty")
            });
        }
        Err(e) => return report(format!("cannot open the file: {e}")),
    };
    match file.metadata() {
        Ok(m) if m.is_dir() => {
            return report(format!("{path} is a folder, where the plan needs a file"))
        }
        Ok(m) if m.len() > MAX_FILE_BYTES => return report(too_big(m.len())),
        Ok(_) => {}
        Err(e) => return report(format!("cannot read the file: {e}")),
    }
    let mut bytes = Vec::new();
    // The file may grow after the size check: never read more than the limit.
    if let Err(e) = file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
        return report(format!("cannot read the file: {e}"));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return report(too_big(bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
            let bad = bytes.get(valid).copied().unwrap_or_default();
            let source = Source::new(path, prefix.into_owned());
            Err(source.diagnostic(
                valid,
                Level::Error,
                format!("the file is not valid UTF-8 (byte 0x{bad:02X} here): save it as UTF-8"),
            ))
        }
    }
}

fn too_big(len: u64) -> String {
    format!(
        "the file is {len} bytes, more than the {} MiB a plan file may have: check that it is the right file",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// What a section file holds, for messages.
fn describe(section: Section) -> String {
    match section {
        Section::Categories => "the categories".to_owned(),
        Section::Issues => "section 1, potential issues".to_owned(),
        Section::Escalation => "section 3, escalation".to_owned(),
        Section::CoreTeam => "section 4, the core team".to_owned(),
        Section::ExtendedTeam => "section 5, the extended team".to_owned(),
        Section::OnCall => "the on-call rotations".to_owned(),
        Section::Communications => "section 6, communications".to_owned(),
        Section::Decisions => "section 7, decisions".to_owned(),
        other => other.as_str().to_owned(),
    }
}

fn toml_error(source: &Source, e: &toml::de::Error, syntax: bool) -> Diagnostic {
    let offset = e.span().map_or(0, |s| s.start);
    let message = e.message().trim_end();
    let message = if syntax {
        format!("invalid TOML: {message}")
    } else {
        message.to_owned()
    };
    source.diagnostic(offset, Level::Error, message)
}

/// Parses a whole file as a spanned table.
fn parse(source: &Source) -> Result<Spanned<DeValue<'_>>, Diagnostic> {
    DeTable::parse(source.text())
        .map(|t| {
            let span = t.span();
            Spanned::new(span, DeValue::Table(t.into_inner()))
        })
        .map_err(|e| toml_error(source, &e, true))
}

fn deserialize<'i, T: Deserialize<'i>>(value: Spanned<DeValue<'i>>) -> Result<T, toml::de::Error> {
    T::deserialize(ValueDeserializer::from(value))
}

fn parse_plan(source: &Source) -> (Option<PlanFile>, Option<Node>, Vec<Diagnostic>) {
    let root = match parse(source) {
        Ok(root) => root,
        Err(d) => return (None, None, vec![d]),
    };
    let node = Node::of(&root);
    match deserialize::<PlanFile>(root) {
        Ok(head) => (Some(head), Some(node), Vec::new()),
        Err(e) => (None, Some(node), vec![toml_error(source, &e, false)]),
    }
}

struct Elements<T> {
    items: Vec<(T, Node)>,
    diagnostics: Vec<Diagnostic>,
    /// The file as a whole could not be read.
    unreadable: bool,
    /// Some elements were left out.
    partial: bool,
}

/// A section file's `[[table]]` elements, each read on its own.
fn parse_elements<T: DeserializeOwned>(source: &Source, table: &str) -> Elements<T> {
    let mut out = Elements {
        items: Vec::new(),
        diagnostics: Vec::new(),
        unreadable: false,
        partial: false,
    };
    let root = match parse(source) {
        Ok(root) => root,
        Err(d) => {
            out.diagnostics.push(d);
            out.unreadable = true;
            return out;
        }
    };
    let DeValue::Table(root) = root.into_inner() else {
        return out;
    };
    for (key, value) in root.iter() {
        if key.get_ref() != table {
            out.diagnostics.push(source.diagnostic(
                key.span().start,
                Level::Error,
                format!(
                    "unexpected `{}`: {} holds only [[{table}]] tables",
                    key.get_ref(),
                    source.path
                ),
            ));
            out.partial = true;
            continue;
        }
        let items = match value.get_ref() {
            DeValue::Array(items) if items.iter().all(|i| i.get_ref().is_table()) => items,
            _ => {
                out.diagnostics.push(source.diagnostic(
                    value.span().start,
                    Level::Error,
                    format!("`{table}` must be a list of tables, each written [[{table}]]"),
                ));
                out.partial = true;
                continue;
            }
        };
        for item in items.iter() {
            let node = Node::of(item);
            match deserialize::<T>(item.clone()) {
                Ok(t) => out.items.push((t, node)),
                Err(e) => {
                    out.diagnostics.push(toml_error(source, &e, false));
                    out.partial = true;
                }
            }
        }
    }
    out
}

/// A procedure file: its head, then each `[[step]]` on its own. The
/// procedure is left out if any part of it is wrong.
fn parse_procedure(
    source: &Source,
    stem: &str,
) -> (Option<Procedure>, Option<Node>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let root = match parse(source) {
        Ok(root) => root,
        Err(d) => return (None, None, vec![d]),
    };
    let node = Node::of(&root);
    let span = root.span();
    let DeValue::Table(table) = root.into_inner() else {
        return (None, Some(node), diagnostics);
    };
    let mut head = DeTable::new();
    let mut steps = Vec::new();
    for (key, value) in table {
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("step", DeValue::Array(items)) if items.iter().all(|i| i.get_ref().is_table()) => {
                steps.extend(items.iter().cloned());
            }
            ("step", _) => diagnostics.push(source.diagnostic(
                value.span().start,
                Level::Error,
                "`step` must be a list of tables, each written [[step]]".to_owned(),
            )),
            _ => {
                head.insert(key, value);
            }
        }
    }
    let head = match deserialize::<ProcedureHead>(Spanned::new(span, DeValue::Table(head))) {
        Ok(head) => Some(head),
        Err(e) => {
            diagnostics.push(toml_error(source, &e, false));
            None
        }
    };
    let steps: Vec<Option<StepTable>> = steps
        .into_iter()
        .map(|s| {
            deserialize::<StepTable>(s)
                .map_err(|e| diagnostics.push(toml_error(source, &e, false)))
                .ok()
        })
        .collect();
    let head = head.filter(|h| {
        let id = h.id.get_ref().as_str();
        let matches = id == stem;
        if !matches {
            diagnostics.push(source.diagnostic(
                h.id.span().start,
                Level::Error,
                format!("id `{id}` does not match the file name {}: rename the file to {PROCEDURES_DIR}/{id}.toml or set id = \"{stem}\"", source.path),
            ));
        }
        matches
    });
    let procedure = match (head, steps.into_iter().collect::<Option<Vec<_>>>()) {
        (Some(h), Some(steps)) if diagnostics.is_empty() => Some(Procedure {
            id: h.id.into_inner(),
            title: h.title,
            summary: h.summary,
            issues: h.issues,
            steps: steps.into_iter().map(Into::into).collect(),
        }),
        _ => None,
    };
    (procedure, Some(node), diagnostics)
}
