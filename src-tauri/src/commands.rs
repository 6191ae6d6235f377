//! The plan's IPC commands: each takes the state, calls one core function
//! (or operation) on a reader or the writer, and maps the error. Every
//! command is also listed in build.rs and granted in src-tauri/capabilities,
//! or the webview cannot call it. Writes go through `AppState::write`, which
//! publishes what they changed; no command emits an event of its own. The
//! incident, decision and exercise commands are in their own modules.

use std::path::Path;
use std::sync::Arc;

use muster_core::clock::{Clock, SystemClock};
use muster_core::export::contacts_csv::ColumnMapping;
use muster_core::export::Team;
use muster_core::ops::contacts::{self as contacts_ops, ContactsPreview, Format};
use muster_core::ops::exports::{self as export_ops, ExportKind};
use muster_core::ops::folder::{self as folder_ops, FolderPreview};
use muster_core::plan::check::Gap;
use muster_core::plan::edit::PlanEdit;
use muster_core::plan::oncall::{self, OnCallNow};
use muster_core::plan::{Plan, PlanOutline, Problem};
use muster_core::search::{self, SearchHit};
use muster_core::store::{DiffEntry, RevisionInfo};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State, WebviewWindow};
use ts_rs::TS;

use crate::contacts;
use crate::error::IpcError;
use crate::plan_folder::{self, FolderWatch, LinkedFolder};
use crate::state::AppState;

/// Most revisions listed at once.
const REVISIONS_SHOWN: usize = 500;

/// Runs blocking `work` (a dialog, a file) off the UI thread: on the main
/// thread a dialog deadlocks.
pub async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))
}

#[tauri::command]
pub async fn get_plan(state: State<'_, AppState>) -> Result<Arc<Plan>, IpcError> {
    state.read(|store| store.current()).await
}

/// What the frame and the Overview show of the plan (its details, each
/// section's size, its people), without the rest: the first page's answer on
/// a plan of any size.
#[tauri::command]
pub async fn get_plan_outline(state: State<'_, AppState>) -> Result<PlanOutline, IpcError> {
    state.read(|store| store.outline()).await
}

/// Applies one edit; `None` when it changed nothing.
#[tauri::command]
pub async fn apply_edit(
    state: State<'_, AppState>,
    edit: PlanEdit,
) -> Result<Option<RevisionInfo>, IpcError> {
    state
        .write(move |store| store.apply(&edit, &SystemClock))
        .await
}

/// What saving `edit` would be refused for, saving nothing: core's located
/// problems, for a form to show beside its fields while the user types.
#[tauri::command]
pub async fn check_plan_edit(
    state: State<'_, AppState>,
    edit: PlanEdit,
) -> Result<Vec<Problem>, IpcError> {
    state.read(move |store| store.check_edit(&edit)).await
}

/// The plan check, with the open improvement items from exercises.
#[tauri::command]
pub async fn plan_check(state: State<'_, AppState>) -> Result<Vec<Gap>, IpcError> {
    state
        .read(|store| store.plan_check(SystemClock.now()))
        .await
}

/// Who holds each on-call rotation now, and until when.
#[tauri::command]
pub async fn on_call_now(state: State<'_, AppState>) -> Result<Vec<OnCallNow>, IpcError> {
    state
        .read(|store| {
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
        .read(move |store| search::search(store.connection(), &query, limit.min(100) as usize))
        .await
}

#[tauri::command]
pub async fn list_revisions(state: State<'_, AppState>) -> Result<Vec<RevisionInfo>, IpcError> {
    state.read(|store| store.revisions(REVISIONS_SHOWN)).await
}

#[tauri::command]
pub async fn diff_revisions(
    state: State<'_, AppState>,
    from: i64,
    to: i64,
) -> Result<Vec<DiffEntry>, IpcError> {
    state
        .read(move |store| store.diff_revisions(from, to))
        .await
}

#[tauri::command]
pub async fn restore_revision(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<RevisionInfo>, IpcError> {
    state
        .write(move |store| store.restore(id, &SystemClock))
        .await
}

#[tauri::command]
pub async fn undo_revision(state: State<'_, AppState>, id: i64) -> Result<RevisionInfo, IpcError> {
    state.write(move |store| store.undo(id, &SystemClock)).await
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
        .read(|store| {
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
        .write(move |store| {
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
    let picked = off_thread(move || plan_folder::pick(title)).await?;
    Ok(picked.map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn export_plan_folder(
    state: State<'_, AppState>,
    dir: String,
) -> Result<String, IpcError> {
    state
        .read(move |store| folder_ops::export(&*store.current()?, Path::new(&dir)))
        .await
}

#[tauri::command]
pub async fn preview_plan_folder(
    state: State<'_, AppState>,
    dir: String,
) -> Result<FolderPreview, IpcError> {
    state
        .read(move |store| Ok(folder_ops::preview(&*store.current()?, Path::new(&dir))))
        .await
}

#[tauri::command]
pub async fn import_plan_folder(
    state: State<'_, AppState>,
    dir: String,
) -> Result<Option<RevisionInfo>, IpcError> {
    state
        .write(move |store| {
            folder_ops::import(store, Path::new(&dir), false, &SystemClock).map(|i| i.revision)
        })
        .await
}

#[tauri::command]
pub async fn get_linked_folder(state: State<'_, AppState>) -> Result<LinkedFolder, IpcError> {
    state.read(|store| plan_folder::linked(store)).await
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
        .write(move |store| {
            plan_folder::set_linked(store, dir.as_deref().map(Path::new), write_back)
        })
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
    let picked = off_thread(contacts::pick).await?;
    Ok(picked.map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn preview_contacts(path: String) -> Result<ContactsPreview, IpcError> {
    off_thread(move || contacts_ops::preview(Path::new(&path))).await
}

#[tauri::command]
pub async fn import_contacts(
    state: State<'_, AppState>,
    path: String,
    mapping: Option<ColumnMapping>,
    team: Team,
) -> Result<Option<RevisionInfo>, IpcError> {
    state
        .write(move |store| {
            let path = Path::new(&path);
            let bytes = contacts_ops::read_file(path)?
                .map_err(|too_big| contacts_ops::rejected(path, &[too_big]))?;
            let format = Format::of(path).unwrap_or(Format::Csv);
            let people = contacts_ops::parse(path, &bytes, format, mapping.as_ref())?;
            contacts_ops::import(store, path, &people, team, false, &SystemClock)
                .map(|i| i.revision)
        })
        .await
}

/// Saves an export where the person chooses; `None` when they cancelled.
#[tauri::command]
pub async fn save_export(
    state: State<'_, AppState>,
    kind: ExportKind,
) -> Result<Option<String>, IpcError> {
    // No store is held while the dialog is open: it may stay open a long time.
    let picked = off_thread(move || {
        let (name, label, extension) = kind.file();
        rfd::FileDialog::new()
            .set_title("Save export")
            .set_file_name(name)
            .add_filter(label, &[extension])
            .save_file()
    })
    .await?;
    let Some(path) = picked else { return Ok(None) };
    state
        .read(move |store| export_ops::save(store, kind, &path, SystemClock.now()))
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
    /// The time zone times are shown in.
    pub time_zone: String,
    /// Why `TZ` is not followed, when it is set to something not understood.
    pub time_zone_problem: Option<String>,
    /// Why nothing can be saved, when the database could only be opened
    /// for reading (a read-only folder or disk, a full disk).
    pub writes_off: Option<String>,
}

/// The page drew its first meaningful view (the Overview with the plan).
/// For the launch benchmark (`scripts/bench-app.py`): with
/// `MUSTER_PAINT_MARK` set, the time and where the launch went (`marks`, the
/// page's, as names and milliseconds since the Unix epoch) go to the file it
/// names (see `launch`). Without it, nothing is written.
/// The first paint also ends the launch: what waits for it may start.
#[tauri::command]
pub fn mark_painted(settled: State<'_, crate::launch::Settled>, marks: Vec<(String, f64)>) {
    crate::launch::painted(&marks);
    settled.settle();
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir.display().to_string(),
        schema_version: muster_core::store::SCHEMA_VERSION,
        time_zone: crate::zone::local_zone().to_string(),
        time_zone_problem: crate::zone::tz_problem(),
        writes_off: state.writes_off.clone(),
    }
}
