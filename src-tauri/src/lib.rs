//! The Muster shell: the only crate that knows Tauri. It holds the app state,
//! the thin IPC commands, the window, and the command line of the same binary.
//!
//! Architecture invariant: domain logic lives in `muster_core`; a command here
//! takes state, calls one core function and maps the error.

pub mod cli;
pub mod commands;
pub mod contacts;
pub mod error;
pub mod exports;
pub mod notifier;
pub mod paths;
pub mod plan_folder;
pub mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use tauri::Manager;

/// Entry point of the `muster` binary.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let flag = cli.data_dir;
    let data_dir = move || paths::data_dir(flag, |k| std::env::var(k).ok());
    match cli.command {
        Some(command) => cli::run(command, data_dir),
        None => match data_dir() {
            Ok(dir) => run_app(dir),
            Err(message) => {
                eprintln!("muster: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Gives `builder` the app's state and commands; `run_app` and the tests
/// (with Tauri's mock runtime) share it.
pub fn setup<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    data_dir: PathBuf,
) -> tauri::Builder<R> {
    builder
        .manage(state::AppState::open(data_dir, &os_user_name()))
        .setup(|app| {
            // Watch the linked plan folder, if there is one. A folder that has
            // gone away is not a reason to refuse to start: the UI shows it.
            let state = app.state::<state::AppState>();
            if let Ok(linked) = state.run_now(|store| plan_folder::linked(store)) {
                if let Err(e) = commands::watch_linked(app.handle(), &state, &linked) {
                    eprintln!("muster: {}", e.message);
                }
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::get_plan,
            commands::apply_edit,
            commands::plan_check,
            commands::on_call_now,
            commands::search_plan,
            commands::list_revisions,
            commands::diff_revisions,
            commands::restore_revision,
            commands::undo_revision,
            commands::get_profile,
            commands::set_profile_name,
            commands::print_window,
            commands::pick_folder,
            commands::export_plan_folder,
            commands::preview_plan_folder,
            commands::import_plan_folder,
            commands::get_linked_folder,
            commands::set_linked_folder,
            commands::pick_contacts_file,
            commands::preview_contacts,
            commands::import_contacts,
            commands::save_export,
            commands::app_info,
        ])
}

/// The operating system's name for the user, the author of revisions until a
/// profile name is set.
fn os_user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| muster_core::store::DEFAULT_AUTHOR.to_owned())
}

/// Opens the window and runs until it is closed.
fn run_app(data_dir: PathBuf) -> ExitCode {
    match setup(tauri::Builder::default(), data_dir).run(tauri::generate_context!()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("muster: cannot start the app: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod test_ui;
#[cfg(test)]
mod tests;
