//! The incident commands: each takes the state, calls core on a reader or
//! the writer, maps the error. Writes go through `AppState::write`, which
//! publishes what they changed (`incidents-changed`, a scheduler wake, so
//! deadlines and the tray follow at once). Listed in build.rs and granted
//! in src-tauri/capabilities like every command.

use chrono::Utc;
use muster_core::deadline::Agenda;
use muster_core::incident::escalation;
use muster_core::incident::timeline::TimelineEntry;
use muster_core::incident::view::IncidentView;
use muster_core::incident::{
    Declaration, IncidentAction, IncidentId, IncidentSummary, Phase, Recipient, ResponseFigures,
};
use muster_core::ops::exports::{self as export_ops, IncidentFormat};
use muster_core::plan::{Audience, Id};
use muster_core::store::{CommandRun, CommandStatus, PostMortem};
use tauri::{AppHandle, Runtime, State};

use crate::commands::off_thread;
use crate::error::IpcError;
use crate::notifier::{NotificationStatus, Notifications};
use crate::state::AppState;
use crate::zone::local_zone;

#[tauri::command]
pub async fn declare_incident(
    state: State<'_, AppState>,
    declaration: Declaration,
) -> Result<IncidentView, IpcError> {
    let zone = local_zone();
    state
        .write(move |store| {
            let clock = muster_core::clock::SystemClock;
            let incident = store.declare_incident(&declaration, &clock)?;
            store.incident_view(&incident.id, Utc::now(), zone)
        })
        .await
}

#[tauri::command]
pub async fn list_incidents(state: State<'_, AppState>) -> Result<Vec<IncidentSummary>, IpcError> {
    state.read(|store| store.incidents()).await
}

/// How often an overdue update is raised again on this laptop, in minutes.
#[tauri::command]
pub async fn get_reminder_minutes(state: State<'_, AppState>) -> Result<u32, IpcError> {
    state.read(|store| store.overdue_reminder()).await
}

/// Sets it (5–120 minutes); the scheduler follows from its next pass.
#[tauri::command]
pub async fn set_reminder_minutes(
    state: State<'_, AppState>,
    minutes: u32,
) -> Result<u32, IpcError> {
    state
        .write(move |store| {
            store.set_overdue_reminder(minutes)?;
            store.overdue_reminder()
        })
        .await
}

/// The response figures of every real incident, for Readiness.
#[tauri::command]
pub async fn incident_figures(
    state: State<'_, AppState>,
) -> Result<Vec<ResponseFigures>, IpcError> {
    state.read(|store| store.incident_figures()).await
}

#[tauri::command]
pub async fn incident_view(
    state: State<'_, AppState>,
    id: String,
) -> Result<IncidentView, IpcError> {
    let zone = local_zone();
    state
        .read(move |store| store.incident_view(&IncidentId(id), Utc::now(), zone))
        .await
}

/// The entries of a long incident's timeline before event `before`, a
/// page at a time (the console's view holds the newest).
#[tauri::command]
pub async fn incident_timeline(
    state: State<'_, AppState>,
    id: String,
    before: u32,
    limit: u32,
) -> Result<Vec<TimelineEntry>, IpcError> {
    state
        .read(move |store| store.incident_timeline(&IncidentId(id), before, limit))
        .await
}

#[tauri::command]
pub async fn act_on_incident(
    state: State<'_, AppState>,
    id: String,
    action: IncidentAction,
) -> Result<IncidentView, IpcError> {
    let zone = local_zone();
    state
        .write(move |store| {
            let id = IncidentId(id);
            store.act_on_incident(&id, &action, &muster_core::clock::SystemClock)?;
            store.incident_view(&id, Utc::now(), zone)
        })
        .await
}

/// This laptop's person acknowledges that an escalation of `id` reached
/// them (from the console or a pop-up's "Acknowledge").
#[tauri::command]
pub async fn acknowledge_incident(
    state: State<'_, AppState>,
    id: String,
) -> Result<IncidentView, IpcError> {
    let zone = local_zone();
    state
        .write(move |store| {
            let id = IncidentId(id);
            store.acknowledge(&id, &muster_core::clock::SystemClock)?;
            store.incident_view(&id, Utc::now(), zone)
        })
        .await
}

/// Whom the stored plan says to tell, now, on entering `phases` (in order)
/// of an incident in `category`: the list declaring (`[detected]`) or a
/// transition (every phase it enters) would record, for the dialogs to show
/// beforehand. Core's rule, so the preview cannot drift from the event; the
/// event still records its own list when the step is taken.
#[tauri::command]
pub async fn escalation_preview(
    state: State<'_, AppState>,
    category: Id,
    phases: Vec<Phase>,
) -> Result<Vec<Recipient>, IpcError> {
    state
        .read(move |store| {
            let now = Utc::now();
            Ok(escalation::for_phases(
                &*store.current()?,
                &category,
                &phases,
                now,
            ))
        })
        .await
}

/// What is due now and next, across the active incidents.
#[tauri::command]
pub async fn get_agenda(state: State<'_, AppState>) -> Result<Agenda, IpcError> {
    let zone = local_zone();
    state
        .read(move |store| store.agenda(Utc::now(), zone))
        .await
}

#[tauri::command]
pub async fn get_post_mortem(
    state: State<'_, AppState>,
    id: String,
    audience: Audience,
) -> Result<PostMortem, IpcError> {
    let zone = local_zone();
    state
        .read(move |store| store.post_mortem(&IncidentId(id), audience, zone))
        .await
}

#[tauri::command]
pub async fn save_post_mortem(
    state: State<'_, AppState>,
    id: String,
    audience: Audience,
    text: String,
) -> Result<PostMortem, IpcError> {
    state
        .write(move |store| {
            store.save_post_mortem(
                &IncidentId(id),
                audience,
                &text,
                local_zone(),
                &muster_core::clock::SystemClock,
            )
        })
        .await
}

/// Saves the incident's timeline where the person chooses; the path
/// written, or `None` when they cancelled.
#[tauri::command]
pub async fn export_incident(
    state: State<'_, AppState>,
    id: String,
    format: IncidentFormat,
) -> Result<Option<String>, IpcError> {
    let id = IncidentId(id);
    // An unknown incident is refused before any dialog opens.
    let known = id.clone();
    state
        .read(move |store| store.incident(&known).map(|_| ()))
        .await?;
    // The dialog runs on a blocking thread (on the main thread it deadlocks),
    // and no store is held while it is open.
    let name = format.file_name(&id);
    let picked = off_thread(move || {
        let (label, extension) = format.filter();
        rfd::FileDialog::new()
            .set_title("Export the incident timeline")
            .set_file_name(name)
            .add_filter(label, &[extension])
            .save_file()
    })
    .await?;
    let Some(path) = picked else { return Ok(None) };
    let zone = local_zone();
    state
        .read(move |store| {
            let text = export_ops::render_incident(store, &id, format, zone)?;
            export_ops::write_file(&path, &text)?;
            Ok(path.display().to_string())
        })
        .await
        .map(Some)
}

#[tauri::command]
pub async fn notification_status(
    notifications: State<'_, Notifications>,
) -> Result<NotificationStatus, IpcError> {
    Ok(notifications.status().await)
}

/// Quits Muster (closing the window only hides it).
#[tauri::command]
pub fn quit_app<R: Runtime>(app: AppHandle<R>) {
    app.exit(0);
}

#[cfg(test)]
mod tests;

/// Every step of the plan that carries a command, with whether it may run
/// on this laptop.
#[tauri::command]
pub async fn step_commands(state: State<'_, AppState>) -> Result<Vec<CommandStatus>, IpcError> {
    state.read(|store| store.command_statuses()).await
}

/// Trusts exactly the command the person reviewed (by its SHA-256).
#[tauri::command]
pub async fn trust_step_command(
    state: State<'_, AppState>,
    procedure: Id,
    step: Id,
    sha256: String,
) -> Result<CommandStatus, IpcError> {
    state
        .write(move |store| {
            store.trust_command(&procedure, &step, &sha256, &muster_core::clock::SystemClock)
        })
        .await
}

/// Runs the command of `procedure`/`step` for incident `id` — or, with
/// `dry_run`, records how it would run without running it (an exercise's
/// default) — and records what happened on its timeline.
#[tauri::command]
pub async fn run_step_command(
    state: State<'_, AppState>,
    id: String,
    procedure: Id,
    step: Id,
    dry_run: bool,
) -> Result<IncidentView, IpcError> {
    let zone = local_zone();
    let incident = IncidentId(id);
    let (asked, which, at) = (incident.clone(), procedure.clone(), step.clone());
    let (command, _) = state
        .read(move |store| store.command_to_run(&asked, &which, &at))
        .await?;
    let run = if dry_run {
        CommandRun {
            dry_run: true,
            exit_code: None,
            timed_out: false,
            output: format!(
                "Dry run: not run. It would run in {} with a time limit of {} s{}.",
                if command.dir.trim().is_empty() {
                    "the home folder"
                } else {
                    command.dir.as_str()
                },
                command.timeout_seconds,
                if command.env.is_empty() {
                    String::new()
                } else {
                    format!(", given {}", command.env.join(", "))
                }
            ),
            millis: 0,
        }
    } else {
        let running = command.clone();
        off_thread(move || crate::runner::run(&running)).await?
    };
    state
        .write(move |store| {
            store.record_command_run(
                &incident,
                &procedure,
                &step,
                &command,
                run,
                &muster_core::clock::SystemClock,
            )?;
            store.incident_view(&incident, Utc::now(), zone)
        })
        .await
}
