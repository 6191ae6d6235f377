//! The one place that tells the rest of the app what a write changed: the
//! window (one `*-changed` event per topic), the scheduler (woken, since
//! deadlines, approvals asked and the tray follow the data) and, after a
//! failed write-back, the linked folder's banner. [`AppState::write`] calls
//! it after every write with what the store's hooks saw; a change made by
//! another process on this data folder arrives as [`Changes::ALL`].
//! A write that made team events (an incident event in a team) wakes the
//! link to the team folder, which signs and sends them at once.

use muster_core::store::Changes;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::events;
use crate::scheduler::Scheduler;
use crate::state::{AppState, Publisher};
use crate::team_link::TeamLink;

/// The publisher for `app`'s state.
pub fn publisher<R: Runtime>(app: AppHandle<R>) -> Publisher {
    Box::new(move |changes, write_back_failed| publish(&app, changes, write_back_failed))
}

/// Installs the publisher on `app`'s state.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    app.state::<AppState>()
        .set_publisher(publisher(app.clone()));
}

fn publish<R: Runtime>(app: &AppHandle<R>, changes: Changes, write_back_failed: Option<String>) {
    // A UI that misses an event still sees the change on its next load.
    for (topic, event) in [
        (Changes::PLAN, events::PLAN_CHANGED),
        (Changes::INCIDENTS, events::INCIDENTS_CHANGED),
        (Changes::DECISIONS, events::DECISIONS_CHANGED),
        (Changes::EXERCISES, events::EXERCISES_CHANGED),
        (Changes::TEAM, events::TEAM_CHANGED),
    ] {
        if changes.contains(topic) {
            let _ = app.emit(event, ());
        }
    }
    if let Some(message) = write_back_failed {
        let _ = app.emit(events::WRITE_BACK_FAILED, message);
    }
    if !changes.is_empty() {
        app.state::<Scheduler>().wake();
    }
    if changes.team() {
        app.state::<TeamLink>().wake();
    }
}
