//! The app's link to the team folder: a background task that, whenever this
//! laptop writes an incident event (woken by `publish.rs`), when the folder
//! changes (a watch on it) and every few seconds anyway (network shares may
//! send no events), signs what waits with the person's key, writes it into
//! the folder, asks Syncthing to send it at once, and takes in what
//! teammates wrote — through `AppState::write`, so what arrives is
//! published like any other change (the window, the scheduler's pop-ups,
//! the tray). A git folder is pulled and pushed every minute and on "Sync
//! now". Nothing here blocks a command: the keychain is asked and the
//! folder read off the store's lock, and a failure is kept for the status.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use muster_core::clock::SystemClock;
use muster_core::plan::Section;
use muster_core::store::{RosterView, TeamProfile};
use muster_core::team::folder;
use muster_core::team::plan_ops::PlanConflict;
use notify::{RecursiveMode, Watcher};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::Notify;
use ts_rs::TS;

use crate::decisions::{fetch, keychain_guidance, Keys};
use crate::error::IpcError;
use crate::keychain::PROFILE_ID;
use crate::state::AppState;
use crate::team::{self, syncthing, Transport};

/// How often the folder is read while it cannot be watched (a share not
/// mounted, a watch the system refused) or while the last round left
/// something to retry (events waiting for a locked keychain, a transport's
/// trouble): the only way to see it mended.
pub const POLL: Duration = Duration::from_secs(3);
/// How often a watched folder is read even when no change was seen, in case
/// the system dropped one (an overflowing inotify queue). A change in the
/// folder, a write here and another process's write each wake the link at once.
pub const POLL_WATCHED: Duration = Duration::from_secs(60);
/// How often a git team folder is pulled and pushed on its own.
pub const GIT_EVERY: Duration = Duration::from_secs(60);

/// What the last round with the team folder found, for the status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkState {
    pub last_round: Option<DateTime<Utc>>,
    /// Why this laptop's events wait to be signed, when they do.
    pub unsigned: Option<String>,
    /// A transport's or the folder's trouble.
    pub problem: Option<String>,
    /// Files in the folder that were not taken in, with why.
    pub quarantined: Vec<QuarantinedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuarantinedFile {
    /// The path inside the team folder.
    pub path: String,
    pub reason: String,
}

/// The managed handle: wakes the link, and keeps what it last found.
#[derive(Debug, Default)]
pub struct TeamLink {
    wake: Arc<Notify>,
    state: Mutex<LinkState>,
    /// A round that must also drive git ("Sync now").
    full: std::sync::atomic::AtomicBool,
    /// How many times the link has looked (read its settings, and went
    /// round when in a team): observable, for tests that show it sleeps.
    looks: std::sync::atomic::AtomicU64,
}

impl TeamLink {
    /// Makes the link go round now (after a write here).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Goes round now, pulling and pushing a git folder too.
    pub fn sync_now(&self) {
        self.full.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// How many times the link has looked so far.
    pub fn looks(&self) -> u64 {
        self.looks.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn state(&self) -> LinkState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Keeps what a round found; whether it differs from the last round's
    /// (the time of the round aside).
    fn keep(&self, state: LinkState) -> bool {
        let Ok(mut s) = self.state.lock() else {
            return false;
        };
        let changed = LinkState {
            last_round: None,
            ..s.clone()
        } != LinkState {
            last_round: None,
            ..state.clone()
        };
        *s = state;
        changed
    }
}

/// Starts the link's task for `app`.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    tauri::async_runtime::spawn(run(app.clone()));
}

/// A watch on the team folder that wakes the link, and, when Syncthing
/// carries it, a follower of Syncthing's event stream that does too.
struct Watch {
    folder: PathBuf,
    _watcher: notify::RecommendedWatcher,
    _events: Option<syncthing::Follow>,
}

fn watch(folder: &Path, wake: Arc<Notify>, syncthing_carries: bool) -> Option<Watch> {
    let events = if syncthing_carries {
        let wake = wake.clone();
        syncthing::follow(folder, move || wake.notify_one())
    } else {
        None
    };
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            wake.notify_one();
        }
    })
    .ok()?;
    // The folder itself, never created here: a share that is not mounted
    // is said to be missing, not replaced by an empty local folder.
    watcher.watch(folder, RecursiveMode::Recursive).ok()?;
    Some(Watch {
        folder: folder.to_path_buf(),
        _watcher: watcher,
        _events: events,
    })
}

async fn run<R: Runtime>(app: AppHandle<R>) {
    let wake = app.state::<TeamLink>().wake.clone();
    let mut watching: Option<Watch> = None;
    let mut last_git = Instant::now() - GIT_EVERY;
    loop {
        let found = app
            .state::<AppState>()
            .read(|store| {
                let profile = store.team_profile()?;
                let kind = store.setting(team::TEAM_TRANSPORT)?;
                Ok(profile.map(|p| (p, kind)))
            })
            .await;
        let unreadable = found.is_err();
        let (profile, kind) = match found {
            Ok(Some((profile, kind))) => (Some(profile), kind),
            Ok(None) => (None, None),
            Err(e) => {
                let problem = LinkState {
                    last_round: Some(Utc::now()),
                    problem: Some(format!(
                        "the team folder's settings cannot be read: {}",
                        e.message
                    )),
                    ..LinkState::default()
                };
                if app.state::<TeamLink>().keep(problem) {
                    let _ = app.emit(crate::events::TEAM_CHANGED, ());
                }
                (None, None)
            }
        };
        if let Some(profile) = &profile {
            let folder = PathBuf::from(&profile.folder);
            if watching.as_ref().is_none_or(|w| w.folder != folder) {
                let syncthing_carries = kind.as_deref() == Some("syncthing");
                watching = watch(&folder, wake.clone(), syncthing_carries);
            }
            let link = app.state::<TeamLink>();
            let full = link.full.swap(false, std::sync::atomic::Ordering::SeqCst)
                || last_git.elapsed() >= GIT_EVERY;
            let is_git = kind.as_deref() == Some("git");
            if full && is_git {
                last_git = Instant::now();
            }
            let state = round(&app, profile, kind.as_deref(), full && is_git).await;
            if !folder.is_dir() {
                // Gone with the watch on it: looked for until it is back.
                watching = None;
            }
            let retry = state.problem.is_some() || state.unsigned.is_some();
            if app.state::<TeamLink>().keep(state) {
                let _ = app.emit(crate::events::TEAM_CHANGED, ());
            }
            looked(&app);
            let every = if watching.is_none() || retry {
                POLL
            } else {
                POLL_WATCHED
            };
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(every) => {}
            }
        } else {
            watching = None;
            looked(&app);
            if unreadable {
                tokio::select! {
                    () = wake.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
            } else {
                // Not in a team: nothing to read until this laptop joins one
                // (a join here or by another process on this data folder
                // wakes it), so no timer at all.
                wake.notified().await;
            }
        }
    }
}

fn looked<R: Runtime>(app: &AppHandle<R>) {
    app.state::<TeamLink>()
        .looks
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// One round: sign and write the outbox, take in, drive the transport.
async fn round<R: Runtime>(
    app: &AppHandle<R>,
    profile: &TeamProfile,
    kind: Option<&str>,
    git: bool,
) -> LinkState {
    let state = app.state::<AppState>();
    let root = PathBuf::from(&profile.folder);
    let mut found = LinkState {
        last_round: Some(Utc::now()),
        ..LinkState::default()
    };
    if !root.is_dir() {
        found.problem = Some(format!(
            "the team folder {} is not there (an unmounted share, a moved folder?): events wait here until it is back",
            root.display()
        ));
        return found;
    }
    if git {
        let pulled = root.clone();
        if let Err(e) = off_thread(move || team::git_pull(&pulled)).await {
            found.problem = Some(e);
        }
    }
    // Sign what waits: the key is read off the store's lock (it may prompt).
    let waiting = state
        .read(|store| Ok((store.team_outbox()?.len(), store.setting(PROFILE_ID)?)))
        .await;
    let mut written = Vec::new();
    match waiting {
        Err(e) => found.problem = Some(e.message),
        Ok((0, _)) => {
            // Nothing to sign: still put back any file of ours the folder lost.
            let profile = profile.clone();
            match state.read(move |store| team::repair(store, &profile)).await {
                Ok(paths) => written = paths,
                Err(e) => found.problem = Some(e.message),
            }
        }
        Ok((_, None)) => {
            found.unsigned = Some(
                "this profile has no signing key: set one up in Settings → Signing key".to_owned(),
            );
        }
        Ok((_, Some(id))) => {
            let keys = app.state::<Keys>().inner().clone();
            match off_thread(move || fetch(&keys, id).map_err(|e| keychain_guidance(&e))).await {
                Ok(key) => {
                    let profile = profile.clone();
                    match state
                        .write(move |store| team::publish_outbox(store, &profile, &key))
                        .await
                    {
                        Ok(paths) => written = paths,
                        Err(e) => found.unsigned = Some(e.message),
                    }
                }
                Err(why) => found.unsigned = Some(why),
            }
        }
    }
    // The roster first: it says whose keys the events are checked against.
    let dir = root.clone();
    let mut roster_quarantined = Vec::new();
    match state
        .write(move |store| team::roster_round(store, &dir, &SystemClock))
        .await
    {
        Ok((paths, bad)) => {
            written.extend(paths);
            roster_quarantined = bad;
        }
        Err(e) => found.problem = Some(e.message),
    }
    // Take in: the folder is read off the lock; only the intake writes.
    let known = state
        .read(|store| Ok((store.team_known()?, store.current()?)))
        .await;
    let read = match known {
        Ok(read) => Some(read),
        Err(e) => {
            found.problem = Some(e.message);
            None
        }
    };
    if let Some((known, plan)) = read {
        let dir = root.clone();
        let scan = match off_thread(move || Ok(folder::scan_new(&dir, &plan, &known))).await {
            Ok(scan) => scan,
            Err(e) => {
                found.problem = Some(format!("the team folder could not be read: {e}"));
                return found;
            }
        };
        found.quarantined = scan
            .quarantined
            .iter()
            .chain(&roster_quarantined)
            .map(|q| QuarantinedFile {
                path: q
                    .path
                    .strip_prefix(&root)
                    .unwrap_or(&q.path)
                    .display()
                    .to_string(),
                reason: q.reason.clone(),
            })
            .collect();
        if !scan.verified.is_empty() {
            if let Err(e) = state
                .write(move |store| store.take_in(&scan, &SystemClock))
                .await
            {
                found.problem = Some(e.message);
            }
        }
    }
    if !written.is_empty() && kind == Some("syncthing") {
        let dir = root.clone();
        let transport = off_thread(move || Ok(team::transport_of(Some("syncthing"), &dir)))
            .await
            .unwrap_or(Transport::Plain);
        if let Transport::Syncthing { api: true, .. } = transport {
            let dir = root.clone();
            let paths = written.clone();
            if let Err(e) = off_thread(move || syncthing::scan(&dir, &paths)).await {
                found.problem = Some(e);
            }
        }
    }
    if git {
        let dir = root.clone();
        let device = profile.device.clone();
        if let Err(e) = off_thread(move || team::git_push(&dir, &device)).await {
            found.problem = Some(e);
        }
    }
    found
}

/// Runs blocking `work` off the async runtime.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| format!("background task failed: {e}"))?
}

/// The team folder as the Settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamView {
    pub status: muster_core::store::TeamStatus,
    /// The folder's transport, when this laptop is in a team.
    pub transport: Option<Transport>,
    pub link: LinkState,
    /// Whom this profile signs as (joining needs a signing key first).
    pub signs_as: Option<muster_core::plan::Id>,
    /// A name for this laptop, to start from.
    pub suggested_device: String,
}

async fn view<R: Runtime>(app: &AppHandle<R>) -> Result<TeamView, IpcError> {
    let (status, signs_as, transport) = app
        .state::<AppState>()
        .read(|store| {
            let status = store.team_status()?;
            let transport = match &status.profile {
                Some(p) => Some(team::transport(store, p)?),
                None => None,
            };
            Ok((status, store.profile_contact()?, transport))
        })
        .await?;
    Ok(TeamView {
        status,
        transport,
        link: app.state::<TeamLink>().state(),
        signs_as,
        suggested_device: team::host_name(),
    })
}

/// The team folder, this laptop's place in it and what the link last found.
#[tauri::command]
pub async fn team_status<R: Runtime>(app: AppHandle<R>) -> Result<TeamView, IpcError> {
    view(&app).await
}

/// Joins the team folder `dir` as this profile's person, naming this laptop
/// `device`; the link goes round at once.
#[tauri::command]
pub async fn join_team<R: Runtime>(
    app: AppHandle<R>,
    dir: String,
    device: String,
) -> Result<TeamView, IpcError> {
    app.state::<AppState>()
        .write(move |store| team::join(store, Path::new(&dir), &device))
        .await?;
    app.state::<TeamLink>().sync_now();
    view(&app).await
}

/// Stops using the team folder on this laptop.
#[tauri::command]
pub async fn leave_team<R: Runtime>(app: AppHandle<R>) -> Result<TeamView, IpcError> {
    app.state::<AppState>()
        .write(|store| store.leave_team())
        .await?;
    // The link lets the folder's watch go.
    app.state::<TeamLink>().wake();
    view(&app).await
}

/// Goes round now ("Sync now"): a git folder is pulled and pushed too.
/// Answers once that round is over (or after 20 s, with what is known).
#[tauri::command]
pub async fn sync_team<R: Runtime>(app: AppHandle<R>) -> Result<TeamView, IpcError> {
    let before = app.state::<TeamLink>().state().last_round;
    app.state::<TeamLink>().sync_now();
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.state::<TeamLink>().state().last_round == before && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    view(&app).await
}

/// What the team's plan leaves disputed: fields two laptops changed
/// without seeing each other's change, until someone keeps one value.
#[tauri::command]
pub async fn plan_conflicts<R: Runtime>(app: AppHandle<R>) -> Result<Vec<PlanConflict>, IpcError> {
    app.state::<AppState>()
        .read(|store| store.plan_conflicts())
        .await
}

/// Keeps the value that the team event `keep` wrote to `field` of the
/// element, settling its conflict on every laptop; sent at once.
#[tauri::command]
pub async fn settle_conflict<R: Runtime>(
    app: AppHandle<R>,
    section: Section,
    key: String,
    field: String,
    keep: String,
) -> Result<Vec<PlanConflict>, IpcError> {
    let left = app
        .state::<AppState>()
        .write(move |store| store.settle_conflict(section, &key, &field, &keep, &SystemClock))
        .await?;
    app.state::<TeamLink>().sync_now();
    Ok(left)
}

/// The team's signed roster as this laptop holds it.
#[tauri::command]
pub async fn roster_view<R: Runtime>(app: AppHandle<R>) -> Result<RosterView, IpcError> {
    app.state::<AppState>().read(|store| store.roster()).await
}

/// Pins the version-1 roster whose fingerprint the person compared with
/// their admin's, out of band.
#[tauri::command]
pub async fn pin_roster<R: Runtime>(
    app: AppHandle<R>,
    fingerprint: String,
) -> Result<RosterView, IpcError> {
    let view = app
        .state::<AppState>()
        .write(move |store| store.pin_roster(&fingerprint, &SystemClock))
        .await?;
    app.state::<TeamLink>().sync_now();
    Ok(view)
}

/// Adds this profile's signature to the waiting roster version named by
/// `fingerprint`; it goes to the team folder at once.
#[tauri::command]
pub async fn sign_roster<R: Runtime>(
    app: AppHandle<R>,
    fingerprint: String,
) -> Result<RosterView, IpcError> {
    let state = app.state::<AppState>();
    let profile = state
        .read(|store| store.setting(PROFILE_ID))
        .await?
        .ok_or_else(|| {
            IpcError::from(muster_core::Error::Unavailable(
                "this profile has no signing key: set one up in Settings → Signing key".to_owned(),
            ))
        })?;
    // The keychain may prompt to be unlocked: the store stays free meanwhile.
    let keys = app.state::<Keys>().inner().clone();
    let fetched = off_thread(move || fetch(&keys, profile).map_err(|e| keychain_guidance(&e)))
        .await
        .map_err(|why| IpcError::from(muster_core::Error::Unavailable(why)))?;
    let view = state
        .write(move |store| {
            let key = crate::signing::signing_key(store, &fetched)?;
            store.sign_roster(&fingerprint, &key, &SystemClock)?;
            store.roster()
        })
        .await?;
    app.state::<TeamLink>().sync_now();
    Ok(view)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;
    use tauri::Manager;

    use super::{TeamLink, POLL};
    use crate::state::AppState;
    use crate::test_ui::{eventually, temp, Ui};

    /// Waits until the link has not looked for a second, and says how many
    /// times it had.
    fn quiet(ui: &Ui) -> u64 {
        let link = ui.app().state::<TeamLink>();
        loop {
            let before = link.looks();
            std::thread::sleep(Duration::from_secs(1));
            if link.looks() == before {
                return before;
            }
        }
    }

    #[test]
    fn the_link_sleeps_until_something_changes_and_has_no_timer_outside_a_team() {
        let (dir, team) = (temp(), temp());
        let ui = Ui::open(dir.path());
        let link = ui.app().state::<TeamLink>();
        eventually("the link's first look", || link.looks() >= 1);
        let first = quiet(&ui);
        std::thread::sleep(POLL + Duration::from_secs(1));
        assert_eq!(link.looks(), first, "not in a team, yet it looked again");

        // Joined (the folder watched): it goes round at once, then only when
        // something changes, not every few seconds.
        ui.app()
            .state::<AppState>()
            .write_now(|store| {
                let someone = store.plan()?.core_team[0].id.clone();
                store.set_profile_contact(&someone)?;
                store.join_team(team.path(), "my-laptop").map(|_| ())
            })
            .unwrap();
        link.sync_now();
        eventually("a round in the team folder", || {
            link.state().last_round.is_some()
        });
        let settled = quiet(&ui);
        assert!(link.state().problem.is_none(), "{:?}", link.state().problem);
        std::thread::sleep(POLL + Duration::from_secs(1));
        assert_eq!(link.looks(), settled, "looked again with nothing changed");

        // A file arriving in the folder wakes it at once.
        std::fs::write(team.path().join("arrived.txt"), "from a teammate").unwrap();
        eventually("a round for the file that arrived", || {
            link.looks() > settled
        });

        // Left: it looks once more (letting the watch go) and sleeps again.
        ui.ok("leave_team", json!({}));
        let left = quiet(&ui);
        std::fs::write(team.path().join("later.txt"), "after leaving").unwrap();
        std::thread::sleep(POLL + Duration::from_secs(1));
        assert_eq!(link.looks(), left, "the folder of a team it left woke it");
    }
}
