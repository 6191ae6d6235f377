//! The command line of the `muster` binary. With no command it opens the
//! window; with one it runs headless and exits: 0 on success, 1 when the work
//! failed (the message says why), 2 for a usage error (clap's own). `plan
//! check` and `plan diff` answer a question with their exit code instead (see
//! `cli/folder.rs`). The exports and the contacts import are in `cli/exports.rs`,
//! the incident commands in `cli/incidents.rs`, signing keys and decisions in
//! `cli/decisions.rs`, exercises and readiness in `cli/exercises.rs`, the team
//! folder in `cli/team.rs`, its signed roster in `cli/roster.rs`.

mod alert;
mod backup;
mod decisions;
mod exercises;
mod exports;
mod folder;
mod incidents;
mod roster;
mod team;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use muster_core::clock::SystemClock;
use muster_core::store::Store;
use muster_core::Error;

#[derive(Debug, Parser)]
#[command(
    name = "muster",
    version,
    about = "Emergency response plans, incidents and live exercises",
    long_about = "Muster keeps a team's emergency response plan on every responder's laptop.\n\
                  Run without a command to open the app; with a command it runs headless."
)]
pub struct Cli {
    /// Folder for Muster's data (overrides MUSTER_DATA_DIR and the OS default)
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with the emergency response plan
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Export the contacts of both teams, or import contacts from a file
    #[command(subcommand)]
    Contacts(exports::ContactsCommand),
    /// Declare, list, verify and export incidents (a monitor or script can open one)
    #[command(subcommand)]
    Incident(incidents::IncidentCommand),
    /// Take in an alert from a monitor or a script: it opens an incident on
    /// the issue it means (by --issue, or the plan's alert rules matching
    /// --label), joins the one open for that issue, or notes its resolution;
    /// the same alert again changes nothing. Prints the incident's id first
    Alert(alert::AlertArgs),
    /// Set up or show this profile's signing key (kept in the OS keychain)
    #[command(subcommand)]
    Key(decisions::KeyCommand),
    /// Request, sign, collect and verify signed decisions (approvals by file)
    #[command(subcommand)]
    Decision(decisions::DecisionCommand),
    /// List live exercises, or write an exercise's after-action report
    #[command(subcommand)]
    Exercise(exercises::ExerciseCommand),
    /// Share incidents with the team through a folder synced by Syncthing or git
    #[command(subcommand)]
    Team(team::TeamCommand),
    /// The team's signed roster: who holds which key, who approves what,
    /// who may change it (start, pin, propose, sign)
    #[command(subcommand)]
    Roster(roster::RosterCommand),
    /// Copy the whole database into the data folder's `backups` (Muster also
    /// makes one a day and one before every upgrade); `--list` shows them
    Backup {
        /// List the backups instead of making one
        #[arg(long)]
        list: bool,
    },
    /// Put a backup in place of the database (quit Muster first); the
    /// database it replaces is kept among the backups
    Restore {
        /// The backup file, e.g. from `muster backup --list`
        file: PathBuf,
    },
    /// Show how ready the team is: exercises held against the policy, what was
    /// never rehearsed, open improvement items, measured times, real incidents
    Readiness {
        /// Print the figures as JSON, for scripts
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Print a readable summary of the stored plan, section by section, with ids
    Show,
    /// Write the stored plan as a folder of TOML files, for git and review
    Export {
        /// The folder to write: new, empty, or a plan folder written before
        dir: PathBuf,
    },
    /// Replace the stored plan with a plan folder, as one revision, printing what changes
    Import {
        /// The plan folder to read
        dir: PathBuf,
        /// Print what would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Check a plan folder: each problem as path:line:column: message. Exit 0 when
    /// there are no problems (warnings allowed), 1 when there are, 2 when the folder
    /// cannot be read
    Check {
        /// The plan folder to check
        dir: PathBuf,
    },
    /// Show how a plan folder differs from the stored plan. Exit 0 when they are
    /// equal, 1 when they differ, 2 on errors
    Diff {
        /// The plan folder to compare
        dir: PathBuf,
    },
    /// Write the whole plan as one Markdown binder, to print or keep in a wiki
    Binder {
        /// The file to write, or - for standard output
        #[arg(long, value_name = "FILE")]
        out: String,
    },
    /// Write a generated plan of any size as a plan folder: for benchmarks, and
    /// to try Muster on a large plan (`plan import` it into a data folder)
    Generate {
        /// The folder to write: new, empty, or a plan folder written before
        dir: PathBuf,
        /// Potential issues
        #[arg(long, default_value_t = 10_000)]
        issues: usize,
        /// Response procedures
        #[arg(long, default_value_t = 10_000)]
        procedures: usize,
        /// Steps in each procedure
        #[arg(long, default_value_t = 8)]
        steps: usize,
        /// Contacts of both teams (about a third core members)
        #[arg(long, default_value_t = 5_000)]
        contacts: usize,
        /// The same seed writes the same plan
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write the planned exercises and open deadlines as an iCalendar (.ics) file
    Calendar {
        /// The file to write, or - for standard output
        #[arg(long, value_name = "FILE")]
        out: String,
        /// The day of the first exercise, YYYY-MM-DD [default: today (UTC)]
        #[arg(long, value_name = "DAY")]
        from: Option<String>,
    },
}

/// Runs a headless command; `data_dir` finds the data folder for the commands that need one.
pub fn run(command: Command, data_dir: impl FnOnce() -> Result<PathBuf, String>) -> ExitCode {
    // Times printed below follow the zone; a TZ not understood is said once.
    if let Some(why) = crate::zone::tz_problem() {
        eprintln!("muster: {why}");
    }
    // `plan check` reads only a folder: it must work where no data folder can be found.
    let result = match command {
        Command::Plan(PlanCommand::Check { dir }) => Ok(folder::check(&dir)),
        Command::Plan(command @ PlanCommand::Generate { .. }) => folder::generate(command),
        Command::Plan(command) => data_dir().and_then(|data| match command {
            PlanCommand::Show => plan_show(data).map(|()| 0),
            PlanCommand::Export { dir } => folder::export(&data, &dir),
            PlanCommand::Import { dir, dry_run } => folder::import(&data, &dir, dry_run),
            PlanCommand::Diff { dir } => Ok(folder::diff(&data, &dir)),
            PlanCommand::Check { dir } => Ok(folder::check(&dir)),
            PlanCommand::Binder { out } => exports::binder(&data, &out),
            command @ PlanCommand::Generate { .. } => folder::generate(command),
            PlanCommand::Calendar { out, from } => exports::calendar(&data, &out, from.as_deref()),
        }),
        Command::Contacts(command) => data_dir().and_then(|data| exports::contacts(&data, command)),
        Command::Incident(command) => data_dir().and_then(|data| incidents::run(&data, command)),
        Command::Alert(args) => data_dir().and_then(|data| alert::run(&data, args)),
        Command::Key(command) => data_dir().and_then(|data| decisions::key(&data, command)),
        // `decision verify --plan DIR` reads only a bundle and a plan folder:
        // it must work where no data folder can be found.
        Command::Decision(command @ decisions::DecisionCommand::Verify { plan: Some(_), .. }) => {
            decisions::decision(Path::new(""), command)
        }
        Command::Decision(command) => {
            data_dir().and_then(|data| decisions::decision(&data, command))
        }
        Command::Exercise(command) => data_dir().and_then(|data| exercises::run(&data, command)),
        Command::Team(command) => data_dir().and_then(|data| team::run(&data, command)),
        Command::Roster(command) => data_dir().and_then(|data| roster::run(&data, command)),
        Command::Backup { list } => data_dir().and_then(|data| backup::backup(&data, list)),
        Command::Restore { file } => data_dir().and_then(|data| backup::restore(&data, &file)),
        Command::Readiness { json } => {
            data_dir().and_then(|data| exercises::readiness(&data, json))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("muster: {message}");
            ExitCode::FAILURE
        }
    }
}

fn plan_show(data_dir: PathBuf) -> Result<(), String> {
    let mut store = open(&data_dir)?;
    let plan = store.current().map_err(|e| e.to_string())?;
    print(&muster_core::plan::summary(&plan))
}

/// The command line's door to the store: the database in `data_dir`, with
/// the OS user as the author of revisions until a profile name is set.
fn open(data_dir: &Path) -> Result<Store, String> {
    let mut store = Store::open_in(data_dir, &SystemClock).map_err(|e| e.to_string())?;
    if let Some(why) = store.writes_off() {
        eprintln!("muster: reading only, writes are off: {why}");
    }
    store
        .default_author(&crate::os_user_name())
        .map_err(|e| e.to_string())?;
    Ok(store)
}

/// After a command wrote through `store`: a Muster app running on the same
/// data folder is told, so its window, tray and reminders follow at once.
/// The command line's one place of publishing, as `publish.rs` is the app's.
fn publish(data_dir: &Path, store: &Store) {
    if !store.take_changes().is_empty() {
        crate::instance::tell_changed(data_dir);
    }
}

/// An error as the command line shows it: a file's located problems, or an
/// input's problems by field, each on its own line of standard error, then
/// the summary as the message.
fn rejected(error: Error) -> String {
    match error {
        Error::Rejected { summary, problems } => {
            for p in &problems {
                eprintln!("{p}");
            }
            summary
        }
        Error::Invalid { what, problems } => {
            for p in &problems {
                eprintln!("{}: {}", p.location.field, p.message);
            }
            let n = muster_core::ops::count(problems.len(), "problem");
            format!("the {what} has {n}; nothing was saved")
        }
        other => other.to_string(),
    }
}

/// Writes `text` to standard output. A closed pipe (`muster plan show | head`)
/// is not an error worth a message.
/// `text` safe to print on a terminal: control characters (an escape
/// sequence a teammate's text could carry) shown escaped, not obeyed.
fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write: {e}")),
        _ => Ok(()),
    }
}
