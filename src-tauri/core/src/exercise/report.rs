//! The after-action report and improvement plan, as Markdown and as a
//! printable, self-contained HTML page (no script, inline CSS only in a
//! <style> element, print rules for A4).
//!
//! Sections, in order: Overview (name, date, scope, moderator, participants,
//! objectives, scenarios), Ratings by objective, Strengths, Areas for
//! improvement, Improvement plan (issue, corrective action, owner, due,
//! status), one Read-back per scenario (expected vs taken, measured times vs
//! targets), Recordings and notes.
//!
//! Both formats render one document built here, so they always say the same.
//! User text is escaped for each (it can never become markup); names come
//! from the plan; times are UTC; equal input gives identical output. The
//! report is marked EXERCISE at its head (and, printed, on every page).
//!
//! Attachments: a link is written as a link (only `http(s)://` addresses
//! become links); a file as the relative link `attachments/<name>`
//! ([`ATTACHMENTS_DIR`]): whoever saves the report copies the exercise's
//! files into an `attachments/` folder beside it.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{
    AttachmentKind, ElementRef, Exercise, ExerciseStatus, ExerciseView, ExpectedStatus, LogKind,
    Measure, MeasuredTarget, ObjectiveRating, ReadBack, TakenSource, TakenStatus,
};
use crate::plan::{Id, Plan, Section};

mod html;
mod markdown;

/// The folder, beside the saved report, that its file links point into.
pub const ATTACHMENTS_DIR: &str = "attachments";

/// The line that marks the report as an exercise.
pub const EXERCISE_NOTICE: &str = "This was an exercise; nothing here happened for real.";

pub fn markdown(plan: &Plan, view: &ExerciseView, now: DateTime<Utc>) -> String {
    markdown::render(&document(plan, view, now))
}

pub fn html(plan: &Plan, view: &ExerciseView, now: DateTime<Utc>) -> String {
    html::render(&document(plan, view, now))
}

/// The relative link of an attached file: `attachments/<name>`, the name
/// percent-encoded.
pub fn file_href(name: &str) -> String {
    format!(
        "{ATTACHMENTS_DIR}/{}",
        percent(name, |c| c.is_ascii_alphanumeric() || "-._~".contains(c))
    )
}

// ---- the document -------------------------------------------------------------

/// A piece of text on a line: user text is always a `Text` or a label.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Span {
    Text(String),
    Strong(String),
    /// Label and an address already made safe (see [`web_href`], [`file_href`]).
    Link(String, String),
}

type Line = Vec<Span>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    /// `##`.
    Section(String),
    /// `###`.
    Sub(String),
    /// One paragraph of Muster's own words (and names).
    Para(Line),
    /// User text: paragraphs separated by blank lines.
    Prose(String),
    Fields(Vec<(&'static str, Line)>),
    Numbered(Vec<Line>),
    Bullets(Vec<Line>),
    Table(Vec<&'static str>, Vec<Vec<Line>>),
}

#[derive(Debug)]
struct Document {
    title: String,
    /// Under the title: the exercise's id, status and when the report was made.
    meta: String,
    blocks: Vec<Block>,
}

fn text(s: impl Into<String>) -> Line {
    vec![Span::Text(s.into())]
}

fn document(plan: &Plan, view: &ExerciseView, now: DateTime<Utc>) -> Document {
    let x = &view.exercise;
    let names = Names { plan };
    let mut b = Vec::new();
    overview(&mut b, &names, x, view);
    ratings(&mut b, x);
    said(&mut b, x, "Strengths", |r| &r.strengths);
    said(&mut b, x, "Areas for improvement", |r| {
        &r.areas_for_improvement
    });
    improvement_plan(&mut b, &names, x, now.date_naive());
    for r in &view.read_backs {
        read_back(&mut b, r);
    }
    recordings(&mut b, x);
    Document {
        title: format!("After-action report: {}", x.setup.title.trim()),
        meta: format!(
            "Exercise {} · {} · held {} · report of {}",
            x.id,
            status(x.status),
            x.setup.date,
            time(now)
        ),
        blocks: b,
    }
}

fn overview(b: &mut Vec<Block>, names: &Names<'_>, x: &Exercise, view: &ExerciseView) {
    let s = &x.setup;
    b.push(Block::Section("Overview".to_owned()));
    let participants = s
        .participants
        .iter()
        .map(|p| names.contact(p))
        .collect::<Vec<_>>()
        .join(", ");
    b.push(Block::Fields(vec![
        ("Name", text(s.title.trim())),
        ("Date", text(s.date.to_string())),
        ("Scope", text(s.scope.trim())),
        ("Moderator", text(names.contact(&s.moderator))),
        ("Participants", text(or_none(participants))),
    ]));
    b.push(Block::Sub("Objectives".to_owned()));
    if s.objectives.is_empty() {
        b.push(Block::Para(text("None set.")));
    } else {
        b.push(Block::Numbered(
            s.objectives.iter().map(|o| text(o.text.trim())).collect(),
        ));
    }
    b.push(Block::Sub("Scenarios".to_owned()));
    let items = s
        .scenarios
        .iter()
        .map(|sc| {
            let from = match (&sc.issue, &sc.category) {
                (Some(issue), _) => format!("rehearses {}", names.issue(issue)),
                (None, Some(category)) => format!("written fresh, in {}", names.category(category)),
                (None, None) => "written fresh".to_owned(),
            };
            let ran = match view.read_backs.iter().find(|r| r.scenario == sc.key) {
                Some(r) => format!(
                    "; run as {} from {} {}",
                    r.incident,
                    time(r.started_at),
                    r.ended_at.map_or_else(
                        || "(still running)".to_owned(),
                        |e| format!("to {}", time(e))
                    )
                ),
                None => "; not run".to_owned(),
            };
            vec![
                Span::Strong(sc.title.trim().to_owned()),
                Span::Text(format!(" — {from}{ran}")),
            ]
        })
        .collect();
    b.push(Block::Numbered(items));
}

fn ratings(b: &mut Vec<Block>, x: &Exercise) {
    b.push(Block::Section("Ratings by objective".to_owned()));
    if x.setup.objectives.is_empty() {
        b.push(Block::Para(text("No objectives were set.")));
        return;
    }
    let rows = x
        .setup
        .objectives
        .iter()
        .map(|o| {
            let rating = x.ratings.iter().find(|r| r.objective == o.key);
            vec![
                text(o.text.trim()),
                rating.map_or_else(
                    || text("Not rated"),
                    |r| {
                        vec![
                            Span::Strong(r.rating.as_str().to_owned()),
                            Span::Text(format!(" — {}", r.rating.label())),
                        ]
                    },
                ),
                text(rating.map_or("", |r| r.observations.trim())),
            ]
        })
        .collect();
    b.push(Block::Table(
        vec!["Objective", "Rating", "Observations"],
        rows,
    ));
}

/// A section of what the ratings said under `heading`, one sub-heading per
/// objective that has something.
fn said(b: &mut Vec<Block>, x: &Exercise, heading: &str, pick: fn(&ObjectiveRating) -> &String) {
    b.push(Block::Section(heading.to_owned()));
    let mut any = false;
    for o in &x.setup.objectives {
        let text = x
            .ratings
            .iter()
            .find(|r| r.objective == o.key)
            .map(|r| pick(r).trim())
            .unwrap_or_default();
        if !text.is_empty() {
            any = true;
            b.push(Block::Sub(o.text.trim().to_owned()));
            b.push(Block::Prose(text.to_owned()));
        }
    }
    if !any {
        b.push(Block::Para(text("None recorded.")));
    }
}

fn improvement_plan(b: &mut Vec<Block>, names: &Names<'_>, x: &Exercise, today: NaiveDate) {
    b.push(Block::Section("Improvement plan".to_owned()));
    if x.findings.is_empty() {
        b.push(Block::Para(text("No findings.")));
        return;
    }
    let rows = x
        .findings
        .iter()
        .map(|f| {
            let mut issue = vec![
                Span::Strong(f.id.to_string()),
                Span::Text(format!(" {}", f.issue.trim())),
            ];
            if let Some(sc) = &f.scenario {
                let title = x
                    .setup
                    .scenarios
                    .iter()
                    .find(|s| &s.key == sc)
                    .map_or(sc.as_str(), |s| s.title.trim());
                issue.push(Span::Text(format!("\nScenario: {title}")));
            }
            if let Some(e) = &f.element {
                issue.push(Span::Text(format!("\nConcerns {}", names.element(e))));
            }
            let state = match f.done_at {
                Some(at) => format!("Done {}", at.date_naive()),
                None if f.due < today => "Open, overdue".to_owned(),
                None => "Open".to_owned(),
            };
            vec![
                issue,
                text(f.corrective_action.trim()),
                text(names.contact(&f.owner)),
                text(f.due.to_string()),
                text(state),
            ]
        })
        .collect();
    b.push(Block::Table(
        vec!["Issue", "Corrective action", "Owner", "Due", "Status"],
        rows,
    ));
}

fn read_back(b: &mut Vec<Block>, r: &ReadBack) {
    b.push(Block::Section(format!("Read-back: {}", r.title.trim())));
    let ended = r.ended_at.map_or_else(
        || "still running".to_owned(),
        |e| format!("ended {}", time(e)),
    );
    b.push(Block::Para(text(format!(
        "Exercise incident {}, started {}, {ended}. Missed: {} · Out of order: {} · Extra: {}",
        r.incident,
        time(r.started_at),
        r.missed,
        r.out_of_order,
        r.extra
    ))));

    let number = |key: &str| r.expected.iter().position(|x| x.key == key).map(|i| i + 1);
    b.push(Block::Sub("Expected actions".to_owned()));
    if r.expected.is_empty() {
        b.push(Block::Para(text("No expected actions were set.")));
    } else {
        let rows = r
            .expected
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let state = match x.status {
                    ExpectedStatus::Done => "Done",
                    ExpectedStatus::OutOfOrder => "Out of order",
                    ExpectedStatus::Missed => "Missed",
                };
                vec![
                    text((i + 1).to_string()),
                    text(x.text.trim()),
                    text(state),
                    text(x.offset_seconds.map(offset).unwrap_or_default()),
                ]
            })
            .collect();
        b.push(Block::Table(
            vec!["#", "Expected action", "Status", "Taken at"],
            rows,
        ));
    }
    b.push(Block::Sub("Steps taken".to_owned()));
    if r.taken.is_empty() {
        b.push(Block::Para(text("No steps were taken.")));
    } else {
        let rows = r
            .taken
            .iter()
            .map(|t| {
                let kind = match (t.source, t.kind) {
                    (TakenSource::Checklist, _) => "Did (checklist)",
                    (_, LogKind::Said) => "Said",
                    (_, LogKind::Did) => "Did",
                    (_, LogKind::Note) => "Note",
                };
                let counts = t
                    .expected
                    .as_deref()
                    .and_then(number)
                    .map(|n| format!("#{n}"))
                    .unwrap_or_default();
                let state = match t.status {
                    TakenStatus::InOrder => "In order",
                    TakenStatus::OutOfOrder => "Out of order",
                    TakenStatus::Extra => "Extra",
                };
                vec![
                    text(offset(t.offset_seconds)),
                    text(t.text.trim()),
                    text(kind),
                    text(counts),
                    text(state),
                ]
            })
            .collect();
        b.push(Block::Table(
            vec!["At", "Step", "Kind", "Counts as", "Status"],
            rows,
        ));
    }

    b.push(Block::Sub("Measured times".to_owned()));
    let rows = Measure::ALL
        .into_iter()
        .map(|m| {
            let seconds = r
                .measured
                .iter()
                .find(|t| t.measure == m)
                .and_then(|t| t.seconds);
            vec![
                text(m.label()),
                text(seconds.map_or_else(|| "not reached".to_owned(), duration)),
            ]
        })
        .collect();
    b.push(Block::Table(vec!["Measure", "Time from detection"], rows));
    b.push(Block::Sub("Capability targets".to_owned()));
    if r.targets.is_empty() {
        b.push(Block::Para(text("No capability targets were set.")));
    } else {
        b.push(Block::Table(
            vec!["Target", "Measure", "Within", "Measured", "Met"],
            r.targets.iter().map(target_row).collect(),
        ));
    }
}

fn target_row(t: &MeasuredTarget) -> Vec<Line> {
    vec![
        text(t.label.trim()),
        text(t.measure.label()),
        text(duration(i64::from(t.within_minutes) * 60)),
        text(
            t.measured_seconds
                .map_or_else(|| "not reached".to_owned(), duration),
        ),
        text(match t.met {
            Some(true) => "Met",
            Some(false) => "Not met",
            None => "Pending",
        }),
    ]
}

fn recordings(b: &mut Vec<Block>, x: &Exercise) {
    b.push(Block::Section("Recordings and notes".to_owned()));
    if x.attachments.is_empty() {
        b.push(Block::Para(text("No recordings or files are attached.")));
    } else {
        let items = x
            .attachments
            .iter()
            .map(|a| {
                let label = if a.label.trim().is_empty() {
                    a.target.trim().to_owned()
                } else {
                    a.label.trim().to_owned()
                };
                match a.kind {
                    AttachmentKind::Link => match web_href(&a.target) {
                        Some(href) => vec![Span::Link(label, href)],
                        None => text(format!("{label} ({})", a.target.trim())),
                    },
                    AttachmentKind::File => vec![
                        Span::Link(label, file_href(&a.target)),
                        Span::Text(format!(" (file {})", a.target)),
                    ],
                }
            })
            .collect();
        b.push(Block::Bullets(items));
    }
    b.push(Block::Sub("Notes".to_owned()));
    if x.notes.trim().is_empty() {
        b.push(Block::Para(text("No notes.")));
    } else {
        b.push(Block::Prose(x.notes.clone()));
    }
}

/// Plan names for ids, or the id when the plan no longer has it.
struct Names<'a> {
    plan: &'a Plan,
}

impl Names<'_> {
    fn contact(&self, id: &Id) -> String {
        self.plan.contact_name(id).map_or_else(
            || format!("{id} (not in the plan)"),
            |n| n.trim().to_owned(),
        )
    }

    fn issue(&self, id: &Id) -> String {
        self.plan
            .issue(id)
            .map_or_else(|| id.to_string(), |i| i.title.trim().to_owned())
    }

    fn category(&self, id: &Id) -> String {
        self.plan
            .category(id)
            .map_or_else(|| id.to_string(), |c| c.name.trim().to_owned())
    }

    /// "the core member Ben Sample", "the procedure step Pause the pool".
    fn element(&self, e: &ElementRef) -> String {
        let plan = self.plan;
        let key = e.key.as_str();
        let name = match e.section {
            Section::CoreTeam | Section::ExtendedTeam => {
                plan.contact_name(&crate::plan::id(key)).map(str::to_owned)
            }
            Section::Issues => plan
                .issues
                .iter()
                .find(|i| i.id.as_str() == key)
                .map(|i| i.title.clone()),
            Section::Categories => plan
                .categories
                .iter()
                .find(|c| c.id.as_str() == key)
                .map(|c| c.name.clone()),
            Section::Decisions => plan
                .decisions
                .iter()
                .find(|d| d.id.as_str() == key)
                .map(|d| d.title.clone()),
            Section::Procedures => {
                let (procedure, step) = key.split_once('/').unwrap_or((key, ""));
                plan.procedures
                    .iter()
                    .find(|p| p.id.as_str() == procedure)
                    .and_then(|p| {
                        if step.is_empty() {
                            Some(p.title.clone())
                        } else {
                            p.steps
                                .iter()
                                .find(|s| s.id.as_str() == step)
                                .map(|s| format!("{} (in {})", s.action.trim(), p.title.trim()))
                        }
                    })
            }
            _ => None,
        };
        let noun = if e.section == Section::Procedures && key.contains('/') {
            "procedure step"
        } else {
            e.section.noun()
        };
        match name {
            Some(name) => format!("the {noun} {}", name.trim()),
            None if key.is_empty() => format!("the {noun}"),
            None => format!("the {noun} {key}"),
        }
    }
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "none".to_owned()
    } else {
        s
    }
}

fn status(s: ExerciseStatus) -> &'static str {
    match s {
        ExerciseStatus::Planned => "planned",
        ExerciseStatus::Running => "running",
        ExerciseStatus::Ended => "ended",
    }
}

/// `2026-03-02 10:04:05 UTC`.
fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `+04:05`, `+1:02:03` from the scenario's start.
fn offset(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "+" };
    let s = seconds.abs();
    if s >= 3600 {
        format!("{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{sign}{:02}:{:02}", s / 60, s % 60)
    }
}

/// `45 s`, `12 min`, `12 min 5 s`, `1 h 2 min`.
fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    match (h, m, sec) {
        (0, 0, sec) => format!("{sec} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, sec) => format!("{m} min {sec} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// A web address made safe for a link, or none when it is not `http(s)://`.
fn web_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    Some(percent(url, |c| {
        c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'*+,;=%".contains(c)
    }))
}

/// `text` with every character `keep` refuses percent-encoded (as UTF-8).
fn percent(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}
