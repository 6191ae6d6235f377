//! The Muster shell: the only crate that knows Tauri. It holds the app state,
//! the thin IPC commands, the window, and the command line of the same binary.
//!
//! Architecture invariant: domain logic lives in `muster_core`; a command here
//! takes state, calls one core function and maps the error.

pub mod alert_link;
pub mod alerts;
pub mod backups;
pub mod cli;
pub mod commands;
pub mod contacts;
pub mod contract;
pub mod decisions;
pub mod error;
pub mod events;
pub mod exercises;
pub mod incidents;
pub mod instance;
pub mod keychain;
pub mod launch;
pub mod links;
pub mod memory;
pub mod notifier;
pub mod paths;
pub mod plan_folder;
pub mod publish;
pub mod runner;
pub mod scheduler;
pub mod signing;
pub mod state;
pub mod team;
pub mod team_link;
pub mod tray;
pub mod updates;
pub mod zone;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use tauri::{Manager, Runtime, WindowEvent};

use notifier::{DesktopNotifier, Notifications, Notifier};

/// Entry point of the `muster` binary.
pub fn main() -> ExitCode {
    launch::mark("main");
    let cli = cli::Cli::parse();
    let flag = cli.data_dir;
    let data_dir = move || paths::data_dir(flag, |k| std::env::var(k).ok());
    match cli.command {
        Some(command) => cli::run(command, data_dir),
        None => {
            let claimed = data_dir().and_then(|dir| Ok((instance::claim(&dir)?, dir)));
            match claimed {
                Ok((instance::Claim::Primary(primary), dir)) => run_app(dir, primary),
                Ok((instance::Claim::Focused, dir)) => {
                    println!(
                        "Muster is already running for {}; its window was brought forward",
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("muster: {message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Gives `builder` the app's state, commands and scheduler, raising
/// notifications through `notifier`; `run_app` and the tests (with Tauri's
/// mock runtime and a mock notifier) share it. `desktop` is the claim on the
/// data folder of a real app: with it come the tray and the answers to later
/// launches.
pub fn setup<R: Runtime>(
    builder: tauri::Builder<R>,
    data_dir: PathBuf,
    notifier: Arc<dyn Notifier>,
    desktop: Option<instance::Primary>,
) -> tauri::Builder<R> {
    // A restore asked for in Settings, done before the database is opened,
    // with the data folder held.
    let restored = desktop
        .as_ref()
        .and_then(|_| backups::restore_pending(&data_dir));
    // The app's database is opened beside the making of its window: the
    // quick check before anything is written reads the whole file (a quarter
    // of a second on a large plan), while the window's web process starts on
    // its own. The setup hook, the first code to reach the state and run
    // before any command or page request, waits for it. The mock-runtime
    // tests never run that hook: their state is opened here.
    let opening = desktop.as_ref().map(|_| Opening::start(data_dir.clone()));
    let builder = match opening {
        Some(_) => builder,
        None => builder.manage(open_state(data_dir)),
    };
    builder
        // No window ever navigates away from the app (links go to the OS).
        .plugin(links::guard())
        .manage(backups::LastRestore(std::sync::Mutex::new(restored)))
        .manage(Notifications::new(notifier))
        .manage(scheduler::Scheduler::default())
        .manage(decisions::Keys::default())
        .manage(team_link::TeamLink::default())
        .manage(launch::Settled::default())
        .manage(alert_link::AlertLink::default())
        .setup(move |app| {
            launch::mark("setup");
            if let Some(opening) = opening {
                app.manage(opening.wait());
            }
            // Watch the linked plan folder, if there is one. A folder that has
            // gone away is not a reason to refuse to start: the UI shows it.
            let state = app.state::<state::AppState>();
            if let Ok(linked) = state.read_now(|store| plan_folder::linked(store)) {
                if let Err(e) = commands::watch_linked(app.handle(), &state, &linked) {
                    eprintln!("muster: {}", e.message);
                }
            }
            if let Some(primary) = desktop {
                if let Err(why) = tray::create(app.handle()) {
                    eprintln!("muster: no tray icon ({why}); closing the window hides it, launch Muster again to bring it back");
                }
                let handle = app.handle().clone();
                primary.serve(move |request| match request {
                    instance::Request::Focus => tray::bring_forward(&handle),
                    // Another process wrote to this data folder.
                    instance::Request::Changed => handle
                        .state::<state::AppState>()
                        .publish(muster_core::store::Changes::ALL),
                });
            }
            start(app.handle());
            launch::mark("setup-done");
            Ok(())
        })
        .on_page_load(|_, payload| match payload.event() {
            tauri::webview::PageLoadEvent::Started => launch::mark("page-start"),
            tauri::webview::PageLoadEvent::Finished => launch::mark("page-loaded"),
        })
        .on_window_event(|window, event| {
            // Closing the main window keeps Muster running (in the tray) so
            // alerts keep coming; Quit in the tray or Ctrl+Q (quit_app) exits.
            // The participants' window (the projector) simply closes.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.label() == "main" {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::get_plan,
            commands::get_plan_outline,
            commands::apply_edit,
            commands::check_plan_edit,
            backups::list_backups,
            backups::backup_now,
            backups::restore_backup,
            backups::last_restore,
            commands::plan_check,
            team_link::plan_conflicts,
            team_link::settle_conflict,
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
            commands::mark_painted,
            incidents::declare_incident,
            incidents::list_incidents,
            incidents::incident_figures,
            incidents::get_reminder_minutes,
            incidents::set_reminder_minutes,
            incidents::incident_view,
            incidents::incident_timeline,
            incidents::act_on_incident,
            incidents::acknowledge_incident,
            incidents::escalation_preview,
            incidents::get_agenda,
            incidents::get_post_mortem,
            incidents::save_post_mortem,
            incidents::export_incident,
            incidents::notification_status,
            incidents::quit_app,
            decisions::signing_key_status,
            decisions::set_up_signing_key,
            decisions::request_decision,
            decisions::list_decisions,
            decisions::sign_decision,
            decisions::attest_approval,
            decisions::export_decision_request,
            decisions::save_signature_file,
            decisions::import_decision_file,
            decisions::export_decision_bundle,
            exercises::list_exercises,
            exercises::create_exercise,
            exercises::update_exercise_setup,
            exercises::delete_exercise,
            exercises::exercise_view,
            exercises::act_on_exercise,
            exercises::participant_view,
            exercises::open_participant_window,
            exercises::draft_scenario,
            exercises::check_exercise_setup,
            exercises::exercise_report,
            exercises::save_exercise_report,
            exercises::choose_attachment_file,
            exercises::list_findings,
            exercises::readiness,
            team_link::team_status,
            team_link::join_team,
            team_link::leave_team,
            team_link::sync_team,
            team_link::roster_view,
            team_link::pin_roster,
            team_link::sign_roster,
            incidents::step_commands,
            incidents::trust_step_command,
            incidents::run_step_command,
            updates::update_targets,
            updates::set_update_target,
            updates::send_update,
            alert_link::alert_receiver,
            alert_link::set_alert_receiver,
            alert_link::renew_alert_token,
        ])
}

/// Starts the background work of an app built by [`setup`]: the publisher
/// of changes, the probe of the notification service, the scheduler and the
/// link to the team folder. The setup hook calls it; the
/// mock-runtime tests, whose apps never run, call it themselves.
pub fn start<R: Runtime>(app: &tauri::AppHandle<R>) {
    publish::install(app);
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        handle.state::<Notifications>().probe().await;
    });
    scheduler::start(app);
    team_link::start(app);
    alert_link::start(app);
    // The full integrity check, once the first page is on screen and on a
    // connection of its own (it takes seconds on a large plan); damage found
    // refuses writes.
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        handle
            .state::<launch::Settled>()
            .wait(launch::SETTLE_AT_MOST)
            .await;
        // Its next pass makes today's backup, if not made yet.
        handle.state::<scheduler::Scheduler>().wake();
        if let Ok(Some(found)) = handle.state::<state::AppState>().check_integrity().await {
            eprintln!("muster: the database is damaged ({found}); writes are refused");
        }
    });
}

/// Opens the app's state (its database) in `data_dir`.
fn open_state(data_dir: PathBuf) -> state::AppState {
    let state = state::AppState::open(data_dir, &os_user_name());
    launch::mark("database");
    state
}

/// The app's state being opened on a thread of its own.
struct Opening {
    data_dir: PathBuf,
    thread: Option<std::thread::JoinHandle<state::AppState>>,
}

impl Opening {
    fn start(data_dir: PathBuf) -> Opening {
        let dir = data_dir.clone();
        let thread = std::thread::Builder::new()
            .name("open-database".into())
            .spawn(move || open_state(dir))
            .ok();
        Opening { data_dir, thread }
    }

    /// The state, once opened. A thread that could not be started, or that
    /// failed, leaves the opening to this one.
    fn wait(self) -> state::AppState {
        match self.thread.map(std::thread::JoinHandle::join) {
            Some(Ok(state)) => state,
            _ => open_state(self.data_dir),
        }
    }
}

/// The operating system's name for the user, the author of revisions until a
/// profile name is set.
fn os_user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| muster_core::store::DEFAULT_AUTHOR.to_owned())
}

/// Opens the window and runs until Muster is quit.
fn run_app(data_dir: PathBuf, primary: instance::Primary) -> ExitCode {
    let builder = setup(
        tauri::Builder::default(),
        data_dir,
        Arc::new(DesktopNotifier),
        Some(primary),
    );
    match builder.run(tauri::generate_context!()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("muster: cannot start the app: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod architecture_tests;
#[cfg(test)]
mod test_ui;
#[cfg(test)]
mod tests;
