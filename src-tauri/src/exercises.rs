//! The live-exercise commands: the exercise list and set-up, the moderator's
//! actions, the participants' window for the projector, the after-action
//! report (shown, or saved with its attached files beside it), improvement
//! items and the readiness figures. Each takes the state, calls core and
//! maps the error. Listed in build.rs and granted in src-tauri/capabilities
//! like every command.
//!
//! Writes go through `AppState::write`, which publishes what they changed
//! (`exercises-changed`; `incidents-changed` too when a scenario declared its
//! exercise-mode incident). Saving the report is
//! `muster_core::ops::report`, shared with `muster exercise report`.

use std::path::PathBuf;

use chrono::Utc;
use muster_core::clock::SystemClock;
use muster_core::exercise::validate;
use muster_core::exercise::{
    Exercise, ExerciseAction, ExerciseId, ExerciseSetup, ExerciseSummary, ExerciseView, Finding,
    ParticipantView, Readiness, Scenario,
};
use muster_core::ops::report::{self, ReportFormat, ReportSaved};
use muster_core::plan::{Id, Problem};
use tauri::{AppHandle, Manager, Runtime, State, WebviewUrl, WebviewWindowBuilder};

use crate::commands::off_thread;
use crate::error::IpcError;
use crate::state::AppState;
use crate::zone::local_zone;

/// The label of the participants' window (the projector view).
pub const PARTICIPANT_WINDOW: &str = "participant";

#[tauri::command]
pub async fn list_exercises(state: State<'_, AppState>) -> Result<Vec<ExerciseSummary>, IpcError> {
    state.read(|store| store.exercises()).await
}

#[tauri::command]
pub async fn create_exercise(
    state: State<'_, AppState>,
    setup: ExerciseSetup,
) -> Result<Exercise, IpcError> {
    state
        .write(move |store| store.create_exercise(&setup, &SystemClock))
        .await
}

#[tauri::command]
pub async fn update_exercise_setup(
    state: State<'_, AppState>,
    id: String,
    setup: ExerciseSetup,
) -> Result<Exercise, IpcError> {
    state
        .write(move |store| store.update_exercise_setup(&ExerciseId(id), &setup, &SystemClock))
        .await
}

#[tauri::command]
pub async fn delete_exercise(state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    state
        .write(move |store| store.delete_exercise(&ExerciseId(id)))
        .await
}

#[tauri::command]
pub async fn exercise_view(
    state: State<'_, AppState>,
    id: String,
) -> Result<ExerciseView, IpcError> {
    state
        .read(move |store| store.exercise_view(&ExerciseId(id), Utc::now()))
        .await
}

/// Applies one moderator action and answers the console as it now stands.
#[tauri::command]
pub async fn act_on_exercise(
    state: State<'_, AppState>,
    id: String,
    action: ExerciseAction,
) -> Result<ExerciseView, IpcError> {
    state
        .write(move |store| {
            let id = ExerciseId(id);
            store.act_on_exercise(&id, &action, &SystemClock)?;
            store.exercise_view(&id, Utc::now())
        })
        .await
}

#[tauri::command]
pub async fn participant_view(
    state: State<'_, AppState>,
    id: String,
) -> Result<ParticipantView, IpcError> {
    state
        .read(move |store| store.participant_view(&ExerciseId(id), Utc::now()))
        .await
}

/// Opens the participants' window on exercise `id` (for the projector), or,
/// when it is open already, shows that exercise in it and brings it forward.
#[tauri::command]
pub async fn open_participant_window<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<(), IpcError> {
    let id = ExerciseId(id);
    // Only a known exercise's id (`EX-n`) reaches the window's address.
    let known = id.clone();
    state
        .read(move |store| store.exercise(&known).map(|_| ()))
        .await?;
    let route = format!("/participant/{id}");
    let title = format!("Muster — EXERCISE {id} (participants)");
    let failed =
        |e: tauri::Error| IpcError::internal(format!("cannot open the participants' window: {e}"));
    if let Some(window) = app.get_webview_window(PARTICIPANT_WINDOW) {
        let mut url = window.url().map_err(failed)?;
        url.set_fragment(Some(&route));
        window.navigate(url).map_err(failed)?;
        let _ = window.set_title(&title);
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
        return Ok(());
    }
    let url = WebviewUrl::App(PathBuf::from(format!("index.html#{route}")));
    WebviewWindowBuilder::new(&app, PARTICIPANT_WINDOW, url)
        .title(title)
        .inner_size(1280.0, 800.0)
        .min_inner_size(640.0, 400.0)
        .build()
        .map_err(failed)?;
    Ok(())
}

/// A scenario prefilled from potential issue `issue`, keyed `key`.
#[tauri::command]
pub async fn draft_scenario(
    state: State<'_, AppState>,
    issue: Id,
    key: String,
) -> Result<Scenario, IpcError> {
    state
        .read(move |store| store.draft_scenario(&issue, &key))
        .await
}

/// Every problem of `setup` against the stored plan, each located; empty
/// when it can be saved. The set-up form asks this as it is filled in, so
/// its messages are core's and the window has no rules of its own.
#[tauri::command]
pub async fn check_exercise_setup(
    state: State<'_, AppState>,
    setup: ExerciseSetup,
) -> Result<Vec<Problem>, IpcError> {
    state
        .read(move |store| Ok(validate::setup_problems(&*store.current()?, &setup)))
        .await
}

/// The after-action report's text, for the preview.
#[tauri::command]
pub async fn exercise_report(
    state: State<'_, AppState>,
    id: String,
    format: ReportFormat,
) -> Result<String, IpcError> {
    state
        .read(move |store| store.exercise_report(&ExerciseId(id), format.is_html(), Utc::now()))
        .await
}

/// Saves the report where the person chooses, its attached files copied
/// into `attachments/` beside it; the path written, or `None` when they
/// cancelled.
#[tauri::command]
pub async fn save_exercise_report(
    state: State<'_, AppState>,
    id: String,
    format: ReportFormat,
) -> Result<Option<ReportSaved>, IpcError> {
    let id = ExerciseId(id);
    // An unknown exercise is refused before any dialog opens.
    let known = id.clone();
    state
        .read(move |store| store.exercise(&known).map(|_| ()))
        .await?;
    let name = format.file_name(&id);
    let picked = off_thread(move || {
        rfd::FileDialog::new()
            .set_title("Save the after-action report")
            .set_file_name(name)
            .add_filter(format.label(), &[format.extension()])
            .save_file()
    })
    .await?;
    let Some(path) = picked else { return Ok(None) };
    state
        .read(move |store| report::write(store, &id, format, &path, Utc::now()))
        .await
        .map(Some)
}

/// Asks for a recording or another file to attach; its path, or `None`
/// when cancelled. The file is copied when the attachment is added.
#[tauri::command]
pub async fn choose_attachment_file() -> Result<Option<String>, IpcError> {
    let picked = off_thread(|| {
        rfd::FileDialog::new()
            .set_title("Attach a file to the exercise")
            .pick_file()
    })
    .await?;
    Ok(picked.map(|p| p.display().to_string()))
}

/// Every improvement item, open first.
#[tauri::command]
pub async fn list_findings(state: State<'_, AppState>) -> Result<Vec<Finding>, IpcError> {
    state.read(|store| store.findings()).await
}

#[tauri::command]
pub async fn readiness(state: State<'_, AppState>) -> Result<Readiness, IpcError> {
    let zone = local_zone();
    state
        .read(move |store| store.readiness(Utc::now(), zone))
        .await
}

#[cfg(test)]
mod tests;
