//! The command line of the `muster` binary. With no command it opens the
//! window; with one it runs headless and exits: 0 on success, 1 when the work
//! failed (the message says why), 2 for a usage error (clap's own).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use muster_core::clock::SystemClock;
use muster_core::store::Store;

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
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Print a readable summary of the stored plan, section by section, with ids
    Show,
}

/// Runs a headless command against the data folder `data_dir`.
pub fn run(command: Command, data_dir: PathBuf) -> ExitCode {
    let result = match command {
        Command::Plan(PlanCommand::Show) => plan_show(data_dir),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("muster: {message}");
            ExitCode::FAILURE
        }
    }
}

fn plan_show(data_dir: PathBuf) -> Result<(), String> {
    let mut store = Store::open_in(&data_dir, &SystemClock).map_err(|e| e.to_string())?;
    let plan = store.plan().map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    // A closed pipe (`muster plan show | head`) is not an error worth a message.
    match out.write_all(muster_core::plan::summary(&plan).as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write: {e}")),
        _ => Ok(()),
    }
}
