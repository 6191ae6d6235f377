//! `muster incident declare|list|verify|export`: incidents from the command
//! line, so a monitor or a script can open one. Each command calls the store
//! and prints the result; times are shown in the local time zone.
//!
//! Exit codes: 0 on success; 1 when the work failed (the message says why,
//! nothing is written) or, for `verify`, when the timeline's hash chain is
//! broken (the first bad event is named); 2 for a usage error (clap's own).
//! After a declaration a running app on the same data folder is told, so its
//! window, tray and reminders follow at once.

use std::path::Path;

use clap::{Subcommand, ValueEnum};
use muster_core::clock::SystemClock;
use muster_core::incident::{Declaration, Incident, IncidentAction, IncidentId, Phase};
use muster_core::plan::{Id, Severity};

use super::exports::write_out;
use super::{open, print};
use crate::zone::local_zone;
use muster_core::ops::exports::{render_incident, IncidentFormat};

#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Declare an incident from a potential issue (--issue), or an unplanned
    /// one (--category and --title). Prints the new id on the first line,
    /// then who must be notified now
    Declare {
        /// The potential issue, by id (`muster plan show` lists them)
        #[arg(long, value_name = "ID", required_unless_present = "category", value_parser = Id::parse)]
        issue: Option<Id>,
        /// The category of an unplanned incident (one with no potential issue)
        #[arg(long, value_name = "ID", conflicts_with = "issue", requires = "title", value_parser = Id::parse)]
        category: Option<Id>,
        /// S1 (critical), S2 (major), S3 (minor) or S4 (low)
        #[arg(long, value_name = "S", value_parser = parse_severity)]
        severity: Severity,
        /// The title [default: the issue's title]
        #[arg(long, value_name = "T")]
        title: Option<String>,
        /// What is known so far
        #[arg(long, value_name = "D", default_value = "")]
        description: String,
        /// An exercise, never mixed with real incidents
        #[arg(long)]
        exercise: bool,
        /// The incident lead, by contact id
        #[arg(long, value_name = "CONTACT", value_parser = Id::parse)]
        lead: Option<Id>,
        /// The scribe, by contact id
        #[arg(long, value_name = "CONTACT", value_parser = Id::parse)]
        scribe: Option<Id>,
        /// The communications manager, by contact id
        #[arg(long, value_name = "CONTACT", value_parser = Id::parse)]
        communications: Option<Id>,
    },
    /// List the open incidents (detected, validated or mitigated), newest first
    List {
        /// List every incident, resolved and closed ones too
        #[arg(long)]
        all: bool,
    },
    /// Acknowledge that an escalation of an incident reached you (the person
    /// this profile signs as): you count as notified, and your team sees it
    Ack {
        /// The incident, e.g. INC-3
        id: String,
    },
    /// Add a note to an incident's timeline (what a script or a monitor saw)
    Note {
        /// The incident, e.g. INC-3
        id: String,
        /// The note, one paragraph
        text: String,
    },
    /// Check an incident's timeline against its hash chain. Exit 0 when it is
    /// intact, 1 naming the first event that was edited, deleted or reordered
    Verify {
        /// The incident, e.g. INC-3
        id: String,
    },
    /// Write an incident's timeline as Markdown or JSON
    Export {
        /// The incident, e.g. INC-3
        id: String,
        #[arg(long, value_enum)]
        format: Format,
        /// The file to write, or - for standard output
        #[arg(long, value_name = "FILE")]
        out: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

pub fn run(data_dir: &Path, command: IncidentCommand) -> Result<u8, String> {
    match command {
        IncidentCommand::Declare {
            issue,
            category,
            severity,
            title,
            description,
            exercise,
            lead,
            scribe,
            communications,
        } => {
            let declaration = Declaration {
                issue,
                category,
                title,
                severity,
                exercise,
                description,
                lead,
                scribe,
                communications,
            };
            declare(data_dir, &declaration)
        }
        IncidentCommand::List { all } => list(data_dir, all),
        IncidentCommand::Ack { id } => {
            let mut store = open(data_dir)?;
            let id = IncidentId(id);
            store
                .acknowledge(&id, &SystemClock)
                .map_err(super::rejected)?;
            super::publish(data_dir, &store);
            print(&format!(
                "Acknowledged {id}: your team sees that you have it\n"
            ))?;
            Ok(0)
        }
        IncidentCommand::Note { id, text } => {
            let mut store = open(data_dir)?;
            let id = IncidentId(id);
            store
                .act_on_incident(&id, &IncidentAction::AddNote { text }, &SystemClock)
                .map_err(super::rejected)?;
            super::publish(data_dir, &store);
            print(&format!("Added a note to {id}\n"))?;
            Ok(0)
        }
        IncidentCommand::Verify { id } => verify(data_dir, &IncidentId(id)),
        IncidentCommand::Export { id, format, out } => {
            let format = match format {
                Format::Markdown => IncidentFormat::Markdown,
                Format::Json => IncidentFormat::Json,
            };
            let mut store = open(data_dir)?;
            let text = render_incident(&mut store, &IncidentId(id.clone()), format, local_zone())
                .map_err(|e| e.to_string())?;
            write_out(&out, &text, &format!("the timeline of {id}"))
        }
    }
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    let wanted = text.trim();
    Severity::ALL
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(wanted) || s.label().eq_ignore_ascii_case(wanted))
        .ok_or_else(|| {
            let known: Vec<String> = Severity::ALL
                .iter()
                .map(|s| format!("{} ({})", s.as_str(), s.label()))
                .collect();
            format!("use one of {}", known.join(", "))
        })
}

fn declare(data_dir: &Path, declaration: &Declaration) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    let incident = store
        .declare_incident(declaration, &SystemClock)
        .map_err(super::rejected)?;
    super::publish(data_dir, &store);
    drop(store);
    print(&declared(&incident))?;
    Ok(0)
}

/// The new id on the first line, then who must be notified now.
fn declared(incident: &Incident) -> String {
    let exercise = if incident.exercise {
        "EXERCISE — "
    } else {
        ""
    };
    let mut out = format!(
        "{}\n{exercise}{} ({} {}), declared by {}\n",
        incident.id,
        incident.title,
        incident.severity.as_str(),
        incident.severity.label(),
        incident.declared_by
    );
    let now: Vec<_> = incident
        .escalations
        .iter()
        .filter(|e| e.phase == Phase::Detected && e.notified.is_none())
        .map(|e| &e.recipient)
        .collect();
    if now.is_empty() {
        out.push_str("Nobody must be notified upon detection under the plan's escalation rules\n");
        return out;
    }
    out.push_str("Notify now (detection):\n");
    for r in now {
        let mut about: Vec<&str> = Vec::new();
        if !r.role.trim().is_empty() {
            about.push(r.role.trim());
        }
        about.push(r.team.label());
        if r.on_call {
            about.push("on call");
        }
        let ways: Vec<&str> = [&r.reach.phone, &r.reach.email, &r.reach.chat]
            .into_iter()
            .filter_map(|v| v.as_deref())
            .collect();
        let ways = if ways.is_empty() {
            "no way to reach them in the plan".to_owned()
        } else {
            ways.join(", ")
        };
        out.push_str(&format!("  {} ({}): {ways}\n", r.name, about.join(", ")));
    }
    out
}

fn list(data_dir: &Path, all: bool) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    let incidents: Vec<_> = store
        .incidents()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|i| all || i.phase.is_open())
        .collect();
    if incidents.is_empty() {
        let none = if all {
            "No incidents\n"
        } else {
            "No open incidents (--all lists resolved and closed ones too)\n"
        };
        print(none)?;
        return Ok(0);
    }
    let zone = local_zone();
    let mut rows = vec![[
        "ID".to_owned(),
        "SEVERITY".to_owned(),
        "PHASE".to_owned(),
        "DECLARED".to_owned(),
        "TITLE".to_owned(),
    ]];
    rows.extend(incidents.iter().map(|i| {
        let exercise = if i.exercise { "EXERCISE — " } else { "" };
        [
            i.id.to_string(),
            format!("{} {}", i.severity.as_str(), i.severity.label()),
            i.phase.label().to_owned(),
            i.declared_at
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M %Z")
                .to_string(),
            format!("{exercise}{}", i.title),
        ]
    }));
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        for (cell, width) in row.iter().zip(&widths) {
            let pad = width - cell.chars().count();
            out.push_str(&format!("{cell}{}  ", " ".repeat(pad)));
        }
        out.push_str(&row[4]);
        out.push('\n');
    }
    print(&out)?;
    Ok(0)
}

fn verify(data_dir: &Path, id: &IncidentId) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    let verification = store.verify_incident(id).map_err(|e| e.to_string())?;
    let events = match verification.events {
        1 => "1 event".to_owned(),
        n => format!("{n} events"),
    };
    let team = store.verify_team_events(id).map_err(|e| e.to_string())?;
    let mut shared = String::new();
    if team.events > 0 {
        shared.push_str(&format!(
            "{id}: {} team event(s), {} signed by their authors' keys in the plan{}\n",
            team.events,
            team.signed,
            if team.unsigned > 0 {
                format!(", {} waiting to be signed here", team.unsigned)
            } else {
                String::new()
            }
        ));
        for line in team.waiting.iter().chain(&team.problems) {
            shared.push_str(&format!("  {line}\n"));
        }
    }
    for back in &verification.clock_back {
        shared.push_str(&format!(
            "  event {} is timed {} — before event {} ({}): the recording clock was stepped back; the chain's order stands\n",
            back.seq,
            back.at.format("%Y-%m-%d %H:%M:%S UTC"),
            back.seq.saturating_sub(1),
            back.after.format("%Y-%m-%d %H:%M:%S UTC"),
        ));
    }
    match verification.first_bad {
        None if verification.state_differs => {
            print(&format!("{id}: {events}, chain intact\n{shared}"))?;
            eprintln!("muster: the state of {id} kept beside its chain (what actions are checked against) is not what its timeline says: the database was altered outside Muster; keep it as it is for investigation");
            Ok(1)
        }
        None if !team.problems.is_empty() => {
            print(&format!("{id}: {events}, chain intact\n{shared}"))?;
            eprintln!("muster: some of the team events of {id} do not hold (above): keep the database as it is for investigation");
            Ok(1)
        }
        None => {
            print(&format!("{id}: {events}, chain intact\n{shared}"))?;
            Ok(0)
        }
        Some(bad) => {
            print(&format!("{id}: event {}: {}\n", bad.seq, bad.reason))?;
            eprintln!(
                "muster: the timeline of {id} ({events}) was changed outside Muster from event {} on; keep the database as it is for investigation",
                bad.seq
            );
            Ok(1)
        }
    }
}
