//! The IPC commands: each takes the state, calls one core function, maps the
//! error. Every command is also listed in build.rs and granted in
//! src-tauri/capabilities, or the webview cannot call it. Commands that write
//! emit `plan-changed` so every view refreshes from the store, and wake the
//! scheduler, since the plan's rules set the deadlines. The incident commands
//! are in `incidents.rs`.

use muster_core::clock::{Clock, SystemClock};
use muster_core::export::contacts_csv::ColumnMapping;
use muster_core::export::Team;
use muster_core::plan::check::Gap;
use muster_core::plan::edit::PlanEdit;
use muster_core::plan::oncall::{self, OnCallNow};
use muster_core::plan::Plan;
use muster_core::search::{self, SearchHit};
use muster_core::store::{DiffEntry, RevisionInfo, Store};
use serde::Serialize;
use std::path::Path;
use tauri::{AppHandle, Emitter, Manager, Runtime, State, WebviewWindow};
use ts_rs::TS;

use crate::contacts::{self, ContactsPreview};
use crate::error::IpcError;
use crate::exports::{self, ExportKind};
use crate::plan_folder::{self, FolderPreview, FolderWatch, LinkedFolder};
use crate::scheduler::Scheduler;
use crate::state::AppState;

/// The event sent to the UI after the plan changed.
pub const PLAN_CHANGED: &str = "plan-changed";

/// Most revisions listed at once.
const REVISIONS_SHOWN: usize = 500;

/// Runs a write that may make a revision. When it did, the plan is written
/// back to the linked folder (if the user asked for that) in the same
/// blocking task, and the UI is told the plan changed — and whether the
/// write-back failed. Every command that changes the plan goes through here.
async fn write_plan<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    work: impl FnOnce(&mut Store) -> muster_core::Result<Option<RevisionInfo>> + Send + 'static,
) -> Result<Option<RevisionInfo>, IpcError> {
    let (revision, failed) = state
        .run(move |store| {
            let revision = work(store)?;
            let failed = revision
                .as_ref()
                .and_then(|_| plan_folder::write_back(store));
            Ok((revision, failed))
        })
        .await?;
    if revision.is_some() {
        // A UI that misses the event still sees the change on its next load.
        let _ = app.emit(PLAN_CHANGED, ());
        // The plan's communication rules set the deadlines.
        app.state::<Scheduler>().wake();
        if let Some(message) = failed {
            let _ = app.emit(plan_folder::WRITE_BACK_FAILED, message);
        }
    }
    Ok(revision)
}

#[tauri::command]
pub async fn get_plan(state: State<'_, AppState>) -> Result<Plan, IpcError> {
    state.run(|store| store.plan()).await
}

/// Applies one edit; `None` when it changed nothing.
#[tauri::command]
pub async fn apply_edit<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    edit: PlanEdit,
) -> Result<Option<RevisionInfo>, IpcError> {
    write_plan(&app, &state, move |store| store.apply(&edit, &SystemClock)).await
}

/// The plan check, with the open improvement items from exercises.
#[tauri::command]
pub async fn plan_check(state: State<'_, AppState>) -> Result<Vec<Gap>, IpcError> {
    state.run(|store| store.plan_check(SystemClock.now())).await
}

/// Who holds each on-call rotation now, and until when.
#[tauri::command]
pub async fn on_call_now(state: State<'_, AppState>) -> Result<Vec<OnCallNow>, IpcError> {
    state
        .run(|store| {
            let now = SystemClock.now();
            Ok(store
                .current()?
                .on_call
                .iter()
                .map(|r| oncall::on_call_now(r, now))
                .collect())
        })
        .await
}

#[tauri::command]
pub async fn search_plan(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> Result<Vec<SearchHit>, IpcError> {
    state
        .read(move |conn| search::search(conn, &query, limit.min(100) as usize))
        .await
}

#[tauri::command]
pub async fn list_revisions(state: State<'_, AppState>) -> Result<Vec<RevisionInfo>, IpcError> {
    state.run(|store| store.revisions(REVISIONS_SHOWN)).await
}

#[tauri::command]
pub async fn diff_revisions(
    state: State<'_, AppState>,
    from: i64,
    to: i64,
) -> Result<Vec<DiffEntry>, IpcError> {
    state.run(move |store| store.diff_revisions(from, to)).await
}

#[tauri::command]
pub async fn restore_revision<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<RevisionInfo>, IpcError> {
    write_plan(&app, &state, move |store| store.restore(id, &SystemClock)).await
}

#[tauri::command]
pub async fn undo_revision<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> Result<RevisionInfo, IpcError> {
    let revision = write_plan(&app, &state, move |store| {
        store.undo(id, &SystemClock).map(Some)
    })
    .await?;
    revision.ok_or_else(|| IpcError::internal("the undo made no revision"))
}

/// The local profile, named on every revision.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: String,
}

#[tauri::command]
pub async fn get_profile(state: State<'_, AppState>) -> Result<Profile, IpcError> {
    state
        .run(|store| {
            Ok(Profile {
                name: store.author().to_owned(),
            })
        })
        .await
}

#[tauri::command]
pub async fn set_profile_name(
    state: State<'_, AppState>,
    name: String,
) -> Result<Profile, IpcError> {
    state
        .run(move |store| {
            store.set_profile_name(&name)?;
            Ok(Profile {
                name: store.author().to_owned(),
            })
        })
        .await
}

/// Opens the system print dialog for what the window shows (the print view).
#[tauri::command]
pub fn print_window<R: Runtime>(window: WebviewWindow<R>) -> Result<(), IpcError> {
    window
        .print()
        .map_err(|e| IpcError::internal(format!("cannot open the print dialog: {e}")))
}

/// Opens the OS folder chooser; `None` when the user cancelled.
#[tauri::command]
pub async fn pick_folder(title: String) -> Result<Option<String>, IpcError> {
    let picked = tauri::async_runtime::spawn_blocking(move || plan_folder::pick(title))
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))?;
    Ok(picked.map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn export_plan_folder(
    state: State<'_, AppState>,
    dir: String,
) -> Result<String, IpcError> {
    state
        .run(move |store| plan_folder::export(store, Path::new(&dir)))
        .await
}

#[tauri::command]
pub async fn preview_plan_folder(
    state: State<'_, AppState>,
    dir: String,
) -> Result<FolderPreview, IpcError> {
    state
        .run(move |store| plan_folder::preview(store, Path::new(&dir)))
        .await
}

#[tauri::command]
pub async fn import_plan_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    dir: String,
) -> Result<Option<RevisionInfo>, IpcError> {
    write_plan(&app, &state, move |store| {
        plan_folder::import(store, Path::new(&dir))
    })
    .await
}

#[tauri::command]
pub async fn get_linked_folder(state: State<'_, AppState>) -> Result<LinkedFolder, IpcError> {
    state.run(|store| plan_folder::linked(store)).await
}

/// Links a folder (or unlinks with `None`) and watches it.
#[tauri::command]
pub async fn set_linked_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    dir: Option<String>,
    write_back: bool,
) -> Result<LinkedFolder, IpcError> {
    let linked = state
        .run(move |store| plan_folder::set_linked(store, dir.as_deref().map(Path::new), write_back))
        .await?;
    watch_linked(&app, &state, &linked)?;
    Ok(linked)
}

/// (Re)starts the watch on the linked folder, or stops it.
pub fn watch_linked<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    linked: &LinkedFolder,
) -> Result<(), IpcError> {
    let watch = match &linked.dir {
        Some(dir) => {
            Some(FolderWatch::start(app.clone(), Path::new(dir)).map_err(IpcError::internal)?)
        }
        None => None,
    };
    let mut slot = state
        .watch
        .lock()
        .map_err(|_| IpcError::internal("the folder watch is unavailable; restart Muster"))?;
    *slot = watch;
    Ok(())
}

/// Opens the OS file chooser for a contacts file; `None` when cancelled.
#[tauri::command]
pub async fn pick_contacts_file() -> Result<Option<String>, IpcError> {
    let picked = tauri::async_runtime::spawn_blocking(contacts::pick)
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))?;
    Ok(picked.map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn preview_contacts(path: String) -> Result<ContactsPreview, IpcError> {
    tauri::async_runtime::spawn_blocking(move || contacts::preview(Path::new(&path)))
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))
}

#[tauri::command]
pub async fn import_contacts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
    mapping: Option<ColumnMapping>,
    team: Team,
) -> Result<Option<RevisionInfo>, IpcError> {
    write_plan(&app, &state, move |store| {
        contacts::import(store, Path::new(&path), mapping.as_ref(), team)
    })
    .await
}

/// Saves an export where the person chooses; `None` when they cancelled.
#[tauri::command]
pub async fn save_export(
    state: State<'_, AppState>,
    kind: ExportKind,
) -> Result<Option<String>, IpcError> {
    // No store lock while the dialog is open: it may stay open a long time.
    let picked = tauri::async_runtime::spawn_blocking(move || exports::pick(kind))
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))?;
    let Some(path) = picked else { return Ok(None) };
    state
        .run(move |store| exports::write(store, kind, &path))
        .await
        .map(Some)
}

/// What the About line shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    #[ts(type = "number")]
    pub schema_version: i64,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir.display().to_string(),
        schema_version: muster_core::store::SCHEMA_VERSION,
    }
}
