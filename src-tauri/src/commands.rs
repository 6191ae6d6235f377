//! The IPC commands: each takes the state, calls one core function, maps the
//! error. Every command is also listed in build.rs and granted in
//! src-tauri/capabilities, or the webview cannot call it.

use muster_core::plan::Plan;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
pub async fn get_plan(state: State<'_, AppState>) -> Result<Plan, IpcError> {
    state.run(|store| store.plan()).await
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
