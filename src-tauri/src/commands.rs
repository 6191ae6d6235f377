//! The IPC commands: each takes the state, calls one core function, maps the
//! error. Every command is also listed in build.rs and granted in
//! src-tauri/capabilities, or the webview cannot call it. Commands that write
//! emit `plan-changed` so every view refreshes from the store.

use muster_core::clock::{Clock, SystemClock};
use muster_core::plan::check::{self, Gap};
use muster_core::plan::edit::PlanEdit;
use muster_core::plan::oncall::{self, OnCallNow};
use muster_core::plan::Plan;
use muster_core::search::{self, SearchHit};
use muster_core::store::{DiffEntry, RevisionInfo};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State, WebviewWindow};
use ts_rs::TS;

use crate::error::IpcError;
use crate::state::AppState;

/// The event sent to the UI after the plan changed.
pub const PLAN_CHANGED: &str = "plan-changed";

/// Most revisions listed at once.
const REVISIONS_SHOWN: usize = 500;

fn changed<R: Runtime>(app: &AppHandle<R>) {
    // A UI that misses the event still sees the change on its next load.
    let _ = app.emit(PLAN_CHANGED, ());
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
    let revision = state
        .run(move |store| store.apply(&edit, &SystemClock))
        .await?;
    if revision.is_some() {
        changed(&app);
    }
    Ok(revision)
}

#[tauri::command]
pub async fn plan_check(state: State<'_, AppState>) -> Result<Vec<Gap>, IpcError> {
    state
        .run(|store| Ok(check::check(&store.plan()?, SystemClock.now())))
        .await
}

/// Who holds each on-call rotation now, and until when.
#[tauri::command]
pub async fn on_call_now(state: State<'_, AppState>) -> Result<Vec<OnCallNow>, IpcError> {
    state
        .run(|store| {
            let now = SystemClock.now();
            Ok(store
                .plan()?
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
    let revision = state
        .run(move |store| store.restore(id, &SystemClock))
        .await?;
    if revision.is_some() {
        changed(&app);
    }
    Ok(revision)
}

#[tauri::command]
pub async fn undo_revision<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> Result<RevisionInfo, IpcError> {
    let revision = state.run(move |store| store.undo(id, &SystemClock)).await?;
    changed(&app);
    Ok(revision)
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
