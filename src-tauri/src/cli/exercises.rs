//! `muster exercise list|report` and `muster readiness`: the live exercises
//! and the readiness figures from the command line. Exercises are set up and
//! run in the app; these commands only read, so a running app hears about
//! nothing.
//!
//! Exit codes: 0 on success; 1 when the work failed (the message says why,
//! nothing is written); 2 for a usage error (clap's own).

use std::path::Path;

use chrono::{NaiveDate, Utc};
use clap::{Subcommand, ValueEnum};
use muster_core::exercise::{ExerciseId, ExerciseStatus, Measure, Readiness};
use muster_core::plan::Plan;

use super::{open, print};
use crate::zone::local_zone;
use muster_core::exercise::report::ATTACHMENTS_DIR as REPORT_ATTACHMENTS;
use muster_core::ops::count;
use muster_core::ops::report::{self, ReportFormat};

#[derive(Debug, Subcommand)]
pub enum ExerciseCommand {
    /// List every exercise, newest first
    List,
    /// Write an exercise's after-action report as Markdown or printable HTML;
    /// attached files are copied into an `attachments` folder beside it
    Report {
        /// The exercise, e.g. EX-3
        id: String,
        /// The file to write
        #[arg(long, value_name = "FILE")]
        out: String,
        /// The report's format [default: html for .html/.htm files, else markdown]
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Html,
}

pub fn run(data_dir: &Path, command: ExerciseCommand) -> Result<u8, String> {
    match command {
        ExerciseCommand::List => list(data_dir),
        ExerciseCommand::Report { id, out, format } => report(data_dir, &id, &out, format),
    }
}

fn status_label(status: ExerciseStatus) -> &'static str {
    match status {
        ExerciseStatus::Planned => "planned",
        ExerciseStatus::Running => "running",
        ExerciseStatus::Ended => "ended",
    }
}

fn list(data_dir: &Path) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    let exercises = store.exercises().map_err(|e| e.to_string())?;
    if exercises.is_empty() {
        print("No exercises (set one up in the app: Exercises → New exercise)\n")?;
        return Ok(0);
    }
    let plan = store.plan().map_err(|e| e.to_string())?;
    let mut rows = vec![[
        "ID".to_owned(),
        "DATE".to_owned(),
        "STATUS".to_owned(),
        "SCENARIOS".to_owned(),
        "OPEN ITEMS".to_owned(),
        "MODERATOR".to_owned(),
        "TITLE".to_owned(),
    ]];
    rows.extend(exercises.iter().map(|e| {
        [
            e.id.to_string(),
            e.date.to_string(),
            status_label(e.status).to_owned(),
            e.scenarios.to_string(),
            e.open_findings.to_string(),
            contact_name(&plan, &e.moderator),
            e.title.clone(),
        ]
    }));
    print(&table(&rows))?;
    Ok(0)
}

/// Rows as aligned columns (the last one is not padded).
fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let widths: Vec<usize> = (0..N)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == N {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[c] - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn contact_name(plan: &Plan, id: &muster_core::plan::Id) -> String {
    plan.contact_name(id)
        .map_or_else(|| id.to_string(), str::to_owned)
}

/// The format `--format` names, else the one `out`'s extension suggests.
fn format_for(out: &str, format: Option<Format>) -> ReportFormat {
    let format = format.unwrap_or_else(|| {
        let extension = Path::new(out)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase());
        match extension.as_deref() {
            Some("html" | "htm") => Format::Html,
            _ => Format::Markdown,
        }
    });
    match format {
        Format::Markdown => ReportFormat::Markdown,
        Format::Html => ReportFormat::Html,
    }
}

fn report(data_dir: &Path, id: &str, out: &str, format: Option<Format>) -> Result<u8, String> {
    let format = format_for(out, format);
    let path = Path::new(out);
    if out.trim().is_empty() || path.file_name().is_none() {
        return Err(format!("--out {out}: name a file to write"));
    }
    let mut store = open(data_dir)?;
    let id = ExerciseId(id.trim().to_uppercase());
    let saved = report::write(&mut store, &id, format, path, chrono::Utc::now())
        .map_err(|e| e.to_string())?;
    for name in &saved.missing {
        eprintln!(
            "muster: warning: the attached file {name} is no longer in the data folder; it was not copied"
        );
    }
    if !saved.copied.is_empty() {
        let folder = path
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join(REPORT_ATTACHMENTS);
        eprintln!(
            "Copied {} into {}",
            count(saved.copied.len(), "attached file"),
            folder.display()
        );
    }
    print(&format!("{}\n", saved.path))?;
    Ok(0)
}

/// `muster readiness [--json]`.
pub fn readiness(data_dir: &Path, json: bool) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    let zone = local_zone();
    let figures = store
        .readiness(Utc::now(), zone)
        .map_err(|e| e.to_string())?;
    if json {
        let text = serde_json::to_string_pretty(&figures)
            .map_err(|e| format!("cannot write the figures as JSON: {e}"))?;
        print(&format!("{text}\n"))?;
        return Ok(0);
    }
    let plan = store.plan().map_err(|e| e.to_string())?;
    let today = figures.as_of.with_timezone(&zone).date_naive();
    print(&readiness_text(&figures, &plan, today))?;
    Ok(0)
}

/// "in 5 days", "today", "overdue by 1 day".
fn due_in(days: i64) -> String {
    match days {
        0 => "due today".to_owned(),
        1 => "in 1 day".to_owned(),
        d if d > 1 => format!("in {d} days"),
        -1 => "overdue by 1 day".to_owned(),
        d => format!("overdue by {} days", -d),
    }
}

/// "4m 10s", "1h 5m", "45s".
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, m, _) => format!("{h}h {m}m"),
    }
}

fn last(day: Option<NaiveDate>) -> String {
    day.map_or_else(|| "never".to_owned(), |d| d.to_string())
}

/// The dashboard's figures as text.
pub fn readiness_text(r: &Readiness, plan: &Plan, today: NaiveDate) -> String {
    let mut out = format!("Readiness on {today}\n\n");
    out.push_str(&format!(
        "Exercises held in the last 12 months: {} of {} required\n",
        r.exercises_last_12_months, r.required_per_year
    ));
    out.push_str(&format!("Last exercise: {}\n", last(r.last_exercise)));
    out.push_str(&format!(
        "Next due: {} ({})\n",
        r.next_due,
        due_in(r.days_until_due)
    ));
    match &r.next_planned {
        Some(e) => out.push_str(&format!(
            "Next planned: {} on {} — {}\n",
            e.id, e.date, e.title
        )),
        None => {
            out.push_str("Next planned: none (set one up in the app: Exercises → New exercise)\n")
        }
    }

    out.push_str(&format!(
        "\nNever exercised: {}\n",
        count(r.never_exercised.len(), "potential issue")
    ));
    for issue in &r.never_exercised {
        out.push_str(&format!("  {} — {}\n", issue.issue, issue.title));
    }
    out.push_str(&format!(
        "Stale (last exercised more than 12 months ago): {}\n",
        count(r.stale.len(), "potential issue")
    ));
    for issue in &r.stale {
        out.push_str(&format!(
            "  {} — {} (last {})\n",
            issue.issue,
            issue.title,
            last(issue.last)
        ));
    }

    out.push_str(&format!(
        "\nOpen improvement items: {} ({} overdue)\n",
        r.open_items.len(),
        r.overdue_items
    ));
    for f in &r.open_items {
        let overdue = if f.due < today { " OVERDUE" } else { "" };
        out.push_str(&format!(
            "  {} due {}{overdue} — {} (owner: {}, {})\n",
            f.id,
            f.due,
            f.corrective_action,
            contact_name(plan, &f.owner),
            f.exercise
        ));
    }

    out.push_str("\nMeasured times (median from detection, oldest exercise first):\n");
    if r.trend.is_empty() {
        out.push_str("  none yet: end an exercise to measure its times\n");
    }
    for measure in Measure::ALL {
        let points: Vec<String> = r
            .trend
            .iter()
            .filter(|p| p.measure == measure)
            .map(|p| format!("{} {} {}", p.date, p.exercise, duration(p.seconds)))
            .collect();
        if !points.is_empty() {
            out.push_str(&format!("  {}: {}\n", measure.label(), points.join("; ")));
        }
    }

    let real = &r.real_incidents;
    let escalation = real
        .median_escalation_seconds
        .map_or_else(|| "none measured".to_owned(), duration);
    out.push_str(&format!(
        "\nReal incidents (exercises never count): {} in the last 12 months, {} open, median escalation {escalation}\n",
        real.last_12_months, real.open
    ));
    out
}
