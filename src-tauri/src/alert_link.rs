//! The app's alert receiver (`alerts.rs`), as Settings → Alerts turns it
//! on and off: started with the app when it was left on, each delivery
//! taken through `AppState::write_now` — the one write path — so an opened
//! incident is published like any other (the window, the scheduler's
//! pop-ups for the escalation, the tray, the team folder).
//!
//! The token is made here and shown once; only its SHA-256 is kept (the
//! database's local settings, never the plan or the team folder).

use std::sync::{Arc, Mutex};

use muster_core::alert::Delivery;
use muster_core::clock::SystemClock;
use muster_core::store::ReceiverSettings;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

use crate::alerts::{self, Receiver, Sink, DEFAULT_PORT, PATH};
use crate::error::IpcError;
use crate::state::AppState;

/// The managed handle: the running receiver, and why it is not running.
#[derive(Debug, Default)]
pub struct AlertLink {
    running: Mutex<Running>,
}

#[derive(Debug, Default)]
struct Running {
    receiver: Option<Receiver>,
    problem: Option<String>,
}

/// The receiver as Settings shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlertReceiverView {
    /// Turned on (it may still fail to listen: see `problem`).
    pub on: bool,
    pub port: u16,
    /// Where monitors post: `http://127.0.0.1:PORT/alerts`.
    pub url: String,
    pub listening: bool,
    /// Why it is on but not listening.
    pub problem: Option<String>,
    /// Whether a token was made (it is shown only once).
    pub has_token: bool,
    /// A token made just now, shown this once.
    pub new_token: Option<String>,
}

/// Starts the receiver when it was left on; a failure is kept for Settings.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let settings = app
        .state::<AppState>()
        .read_now(|store| store.receiver_settings());
    if let Ok(settings) = settings {
        if settings.on {
            apply(app, &settings);
        }
    }
}

/// Brings the running receiver in line with `settings`.
fn apply<R: Runtime>(app: &AppHandle<R>, settings: &ReceiverSettings) {
    let link = app.state::<AlertLink>();
    let Ok(mut running) = link.running.lock() else {
        return;
    };
    // Stopped first: a new port or token takes the old one's place.
    running.receiver = None;
    running.problem = None;
    if !settings.on {
        return;
    }
    let Some(token) = settings.token_sha256 else {
        running.problem = Some("no token was made: turn the receiver off and on again".to_owned());
        return;
    };
    match Receiver::start(settings.port.unwrap_or(DEFAULT_PORT), token, sink(app)) {
        Ok(receiver) => running.receiver = Some(receiver),
        Err(why) => running.problem = Some(why),
    }
}

/// Each delivery through the one write path, published as any write.
fn sink<R: Runtime>(app: &AppHandle<R>) -> Sink {
    let app = app.clone();
    Arc::new(move |delivery: &Delivery| {
        app.state::<AppState>()
            .write_now(|store| store.take_alerts(delivery, &SystemClock))
            .map_err(|e| e.message)
    })
}

fn view<R: Runtime>(
    app: &AppHandle<R>,
    settings: &ReceiverSettings,
    new_token: Option<String>,
) -> AlertReceiverView {
    let port = settings.port.unwrap_or(DEFAULT_PORT);
    let (listening, problem) = app
        .state::<AlertLink>()
        .running
        .lock()
        .map(|r| (r.receiver.is_some(), r.problem.clone()))
        .unwrap_or((false, None));
    AlertReceiverView {
        on: settings.on,
        port,
        url: format!("http://127.0.0.1:{port}{PATH}"),
        listening,
        problem: if settings.on { problem } else { None },
        has_token: settings.token_sha256.is_some(),
        new_token,
    }
}

/// The receiver's settings and whether it listens.
#[tauri::command]
pub async fn alert_receiver<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AlertReceiverView, IpcError> {
    let settings = state.read(|store| store.receiver_settings()).await?;
    Ok(view(&app, &settings, None))
}

/// Turns the receiver on (on `port`) or off. Turned on for the first time,
/// a token is made and shown this once.
#[tauri::command]
pub async fn set_alert_receiver<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on: bool,
    port: u16,
) -> Result<AlertReceiverView, IpcError> {
    let had = state.read(|store| store.receiver_settings()).await?;
    let token = if on && had.token_sha256.is_none() {
        Some(alerts::new_token().map_err(IpcError::internal)?)
    } else {
        None
    };
    let hash = token.as_deref().map(alerts::token_hash);
    let settings = state
        .write(move |store| {
            store.set_receiver_settings(on, port, hash)?;
            store.receiver_settings()
        })
        .await?;
    let started = app.clone();
    let applied = settings.clone();
    tauri::async_runtime::spawn_blocking(move || apply(&started, &applied))
        .await
        .map_err(|e| IpcError::internal(e.to_string()))?;
    Ok(view(&app, &settings, token))
}

/// Makes a new token, shown this once; the old one stops working at once.
#[tauri::command]
pub async fn renew_alert_token<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AlertReceiverView, IpcError> {
    let token = alerts::new_token().map_err(IpcError::internal)?;
    let hash = alerts::token_hash(&token);
    let settings = state
        .write(move |store| {
            let had = store.receiver_settings()?;
            store.set_receiver_settings(had.on, had.port.unwrap_or(DEFAULT_PORT), Some(hash))?;
            store.receiver_settings()
        })
        .await?;
    let started = app.clone();
    let applied = settings.clone();
    tauri::async_runtime::spawn_blocking(move || apply(&started, &applied))
        .await
        .map_err(|e| IpcError::internal(e.to_string()))?;
    Ok(view(&app, &settings, Some(token)))
}
