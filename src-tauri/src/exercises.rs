//! The live-exercise commands: the exercise list and set-up, the moderator's
//! actions, the participants' window for the projector, the after-action
//! report (shown, or saved with its attached files beside it), improvement
//! items and the readiness figures. Each takes the state, calls core and
//! maps the error. Listed in build.rs and granted in src-tauri/capabilities
//! like every command.
//!
//! Every exercise write emits `exercises-changed` and wakes the scheduler
//! (the programme's reminders follow the exercises held and planned); a
//! scenario that starts declares its exercise-mode incident, so it also
//! emits `incidents-changed`.

use std::path::{Path, PathBuf};

use chrono::Utc;
use muster_core::clock::SystemClock;
use muster_core::exercise::{
    AttachmentKind, Exercise, ExerciseAction, ExerciseId, ExerciseSetup, ExerciseSummary,
    ExerciseView, Finding, ParticipantView, Readiness, Scenario,
};
use muster_core::export;
use muster_core::plan::Id;
use muster_core::store::Store;
use muster_core::Error;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime, State, WebviewUrl, WebviewWindowBuilder};
use ts_rs::TS;

use crate::error::IpcError;
use crate::incidents;
use crate::scheduler::Scheduler;
use crate::state::AppState;
use crate::zone::local_zone;

/// Sent to the UI after any exercise changed (no payload).
pub const EXERCISES_CHANGED: &str = "exercises-changed";

/// The label of the participants' window (the projector view).
pub const PARTICIPANT_WINDOW: &str = "participant";

/// The folder beside a saved report that holds copies of its attached files;
/// the report links them there.
pub use muster_core::exercise::report::ATTACHMENTS_DIR as REPORT_ATTACHMENTS;

/// How the after-action report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReportFormat {
    Markdown,
    /// Printable, self-contained HTML.
    Html,
}

impl ReportFormat {
    /// The file extension and the save dialog's filter label.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "Markdown",
            ReportFormat::Html => "HTML",
        }
    }

    fn is_html(self) -> bool {
        self == ReportFormat::Html
    }
}

/// The suggested file name: `EX-3-after-action.md`.
pub fn report_file_name(id: &ExerciseId, format: ReportFormat) -> String {
    format!("{id}-after-action.{}", format.extension())
}

/// Tells the UI that exercises changed — and incidents, when a scenario
/// declared its exercise incident — and wakes the scheduler.
fn changed<R: Runtime>(app: &AppHandle<R>, incident_declared: bool) {
    // A UI that misses the event still sees the change on its next load.
    let _ = app.emit(EXERCISES_CHANGED, ());
    if incident_declared {
        incidents::changed(app);
    } else {
        app.state::<Scheduler>().wake();
    }
}

/// Runs blocking `work` (a dialog) off the UI thread: on the main thread the
/// dialog deadlocks.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))
}

#[tauri::command]
pub async fn list_exercises(state: State<'_, AppState>) -> Result<Vec<ExerciseSummary>, IpcError> {
    state.run(|store| store.exercises()).await
}

#[tauri::command]
pub async fn create_exercise<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    setup: ExerciseSetup,
) -> Result<Exercise, IpcError> {
    let exercise = state
        .run(move |store| store.create_exercise(&setup, &SystemClock))
        .await?;
    changed(&app, false);
    Ok(exercise)
}

#[tauri::command]
pub async fn update_exercise_setup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    setup: ExerciseSetup,
) -> Result<Exercise, IpcError> {
    let exercise = state
        .run(move |store| store.update_exercise_setup(&ExerciseId(id), &setup, &SystemClock))
        .await?;
    changed(&app, false);
    Ok(exercise)
}

#[tauri::command]
pub async fn delete_exercise<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<(), IpcError> {
    state
        .run(move |store| store.delete_exercise(&ExerciseId(id)))
        .await?;
    changed(&app, false);
    Ok(())
}

#[tauri::command]
pub async fn exercise_view(
    state: State<'_, AppState>,
    id: String,
) -> Result<ExerciseView, IpcError> {
    state
        .run(move |store| store.exercise_view(&ExerciseId(id), Utc::now()))
        .await
}

/// Applies one moderator action and answers the console as it now stands.
#[tauri::command]
pub async fn act_on_exercise<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    action: ExerciseAction,
) -> Result<ExerciseView, IpcError> {
    let declares = matches!(action, ExerciseAction::StartScenario { .. });
    let view = state
        .run(move |store| {
            let id = ExerciseId(id);
            store.act_on_exercise(&id, &action, &SystemClock)?;
            store.exercise_view(&id, Utc::now())
        })
        .await?;
    changed(&app, declares);
    Ok(view)
}

#[tauri::command]
pub async fn participant_view(
    state: State<'_, AppState>,
    id: String,
) -> Result<ParticipantView, IpcError> {
    state
        .run(move |store| store.participant_view(&ExerciseId(id), Utc::now()))
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
        .run(move |store| store.exercise(&known).map(|_| ()))
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
        .run(move |store| store.draft_scenario(&issue, &key))
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
        .run(move |store| store.exercise_report(&ExerciseId(id), format.is_html(), Utc::now()))
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
        .run(move |store| store.exercise(&known).map(|_| ()))
        .await?;
    let name = report_file_name(&id, format);
    let picked = off_thread(move || {
        rfd::FileDialog::new()
            .set_title("Save the after-action report")
            .set_file_name(name)
            .add_filter(format.label(), &[format.extension()])
            .save_file()
    })
    .await?;
    let Some(path) = picked else { return Ok(None) };
    let saved = state
        .run(move |store| write_report(store, &id, format, &path))
        .await?;
    Ok(Some(ReportSaved {
        path: saved.path.display().to_string(),
        copied: saved.copied,
        missing: saved.missing,
    }))
}

/// Where the report was saved, for the window to say so, and which attached
/// files could not go with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportSaved {
    pub path: String,
    /// Attached files copied into `attachments/` beside the report.
    pub copied: Vec<String>,
    /// Attached files no longer in the data folder: the report still links
    /// them, but they are not beside it.
    pub missing: Vec<String>,
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
    state.run(|store| store.findings()).await
}

#[tauri::command]
pub async fn readiness(state: State<'_, AppState>) -> Result<Readiness, IpcError> {
    let zone = local_zone();
    state
        .run(move |store| store.readiness(Utc::now(), zone))
        .await
}

// ---- saving the report (the app and `muster exercise report`) ------------

/// A report written, with what became of its attached files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReport {
    pub path: PathBuf,
    /// The attached files copied into `attachments/` beside the report.
    pub copied: Vec<String>,
    /// Attached files no longer in the data folder (not copied).
    pub missing: Vec<String>,
}

/// Renders exercise `id`'s after-action report in `format`, writes it to
/// `path` (atomically) and copies its attached files into `attachments/`
/// beside it. On an error nothing is left behind: no report, no copies.
pub fn write_report(
    store: &mut Store,
    id: &ExerciseId,
    format: ReportFormat,
    path: &Path,
) -> muster_core::Result<SavedReport> {
    let exercise = store.exercise(id)?;
    let text = store.exercise_report(id, format.is_html(), Utc::now())?;
    let cannot = |what: &Path, e: std::io::Error| {
        Error::Refused(format!("cannot write {}: {e}", what.display()))
    };
    if path.file_name().is_none() || path.is_dir() {
        return Err(Error::Refused(format!(
            "{} is not a file name: name the file to write",
            path.display()
        )));
    }
    let source = store.exercise_folder(id);
    let files: Vec<String> = exercise
        .attachments
        .iter()
        .filter(|a| a.kind == AttachmentKind::File)
        .filter_map(|a| Path::new(&a.target).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    export::write_atomically(path, &text).map_err(|e| cannot(path, e))?;
    let mut saved = SavedReport {
        path: path.to_owned(),
        copied: Vec::new(),
        missing: Vec::new(),
    };
    if files.is_empty() {
        return Ok(saved);
    }
    let folder = path
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(REPORT_ATTACHMENTS);
    let created = !folder.exists();
    let undo = |copied: &[PathBuf]| {
        for file in copied {
            let _ = std::fs::remove_file(file);
        }
        if created {
            let _ = std::fs::remove_dir(&folder);
        }
        let _ = std::fs::remove_file(path);
    };
    if let Err(e) = std::fs::create_dir_all(&folder) {
        undo(&[]);
        return Err(cannot(&folder, e));
    }
    let mut written = Vec::new();
    for name in files {
        let from = source.join(&name);
        if !from.is_file() {
            saved.missing.push(name);
            continue;
        }
        let to = folder.join(&name);
        if let Err(e) = std::fs::copy(&from, &to) {
            undo(&written);
            return Err(cannot(&to, e));
        }
        written.push(to);
        saved.copied.push(name);
    }
    Ok(saved)
}

#[cfg(test)]
mod tests;
