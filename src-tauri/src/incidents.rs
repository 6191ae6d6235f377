//! The incident commands: each takes the state, calls core, maps the error.
//! Every command that writes tells the UI (`incidents-changed`) and wakes the
//! scheduler, so deadlines and the tray follow at once. Listed in build.rs
//! and granted in src-tauri/capabilities like every command.

use chrono::Utc;
use muster_core::deadline::Agenda;
use muster_core::incident::escalation;
use muster_core::incident::view::IncidentView;
use muster_core::incident::{
    Declaration, IncidentAction, IncidentId, IncidentSummary, Phase, Recipient,
};
use muster_core::plan::{Audience, Id};
use muster_core::store::PostMortem;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::error::IpcError;
use crate::exports::{self, IncidentFormat};
use crate::notifier::{NotificationStatus, Notifications};
use crate::scheduler::Scheduler;
use crate::state::AppState;
use crate::zone::local_zone;

/// Sent to the UI after any incident changed (no payload).
pub const INCIDENTS_CHANGED: &str = "incidents-changed";
/// Sent to the UI for every reminder raised, with the `DueItem`.
pub const ALERT: &str = "alert";
/// Sent to the UI to show an incident, with its id.
pub const OPEN_INCIDENT: &str = "open-incident";

/// Tells the UI that incidents changed and the scheduler to recompute.
pub fn changed<R: Runtime>(app: &AppHandle<R>) {
    // A UI that misses the event still sees the change on its next load.
    let _ = app.emit(INCIDENTS_CHANGED, ());
    app.state::<Scheduler>().wake();
}

#[tauri::command]
pub async fn declare_incident<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    declaration: Declaration,
) -> Result<IncidentView, IpcError> {
    let zone = local_zone();
    let view = state
        .run(move |store| {
            let clock = muster_core::clock::SystemClock;
            let incident = store.declare_incident(&declaration, &clock)?;
            store.incident_view(&incident.id, Utc::now(), zone)
        })
        .await?;
    changed(&app);
    Ok(view)
}

#[tauri::command]
pub async fn list_incidents(state: State<'_, AppState>) -> Result<Vec<IncidentSummary>, IpcError> {
    state.run(|store| store.incidents()).await
}

#[tauri::command]
pub async fn incident_view(
    state: State<'_, AppState>,
    id: String,
) -> Result<IncidentView, IpcError> {
    let zone = local_zone();
    state
        .run(move |store| store.incident_view(&IncidentId(id), Utc::now(), zone))
        .await
}

#[tauri::command]
pub async fn act_on_incident<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    action: IncidentAction,
) -> Result<IncidentView, IpcError> {
    let zone = local_zone();
    let view = state
        .run(move |store| {
            let id = IncidentId(id);
            store.act_on_incident(&id, &action, &muster_core::clock::SystemClock)?;
            store.incident_view(&id, Utc::now(), zone)
        })
        .await?;
    changed(&app);
    Ok(view)
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
        .run(move |store| {
            let now = Utc::now();
            Ok(escalation::for_phases(
                store.current()?,
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
    state.run(move |store| store.agenda(Utc::now(), zone)).await
}

#[tauri::command]
pub async fn get_post_mortem(
    state: State<'_, AppState>,
    id: String,
    audience: Audience,
) -> Result<PostMortem, IpcError> {
    let zone = local_zone();
    state
        .run(move |store| store.post_mortem(&IncidentId(id), audience, zone))
        .await
}

#[tauri::command]
pub async fn save_post_mortem<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    audience: Audience,
    text: String,
) -> Result<PostMortem, IpcError> {
    let saved = state
        .run(move |store| {
            store.save_post_mortem(
                &IncidentId(id),
                audience,
                &text,
                local_zone(),
                &muster_core::clock::SystemClock,
            )
        })
        .await?;
    changed(&app);
    Ok(saved)
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
        .run(move |store| store.incident(&known).map(|_| ()))
        .await?;
    // The dialog runs on a blocking thread (on the main thread it deadlocks),
    // and no store lock is held while it is open.
    let name = exports::incident_file_name(&id, format);
    let picked = tauri::async_runtime::spawn_blocking(move || exports::pick_incident(name, format))
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))?;
    let Some(path) = picked else { return Ok(None) };
    let zone = local_zone();
    state
        .run(move |store| exports::write_incident(store, &id, format, zone, &path))
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
