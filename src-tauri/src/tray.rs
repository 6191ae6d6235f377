//! The tray icon and bringing the window forward. Closing the window only
//! hides it, so alerts keep coming; the tray menu opens it again, lists the
//! active incidents (a click opens one) and quits. Where no tray can be made
//! (no StatusNotifier host, no appindicator library) Muster says so once and
//! carries on: a second launch or a notification's "Open" still brings the
//! window back.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use muster_core::incident::{Incident, IncidentId};
use tauri::menu::{IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::events::{OPEN_INCIDENT, QUIT_REQUESTED};

/// The tray icon's id.
const TRAY: &str = "muster";
const OPEN: &str = "open";
const QUIT: &str = "quit";
/// Menu ids of incidents: this prefix and the incident id.
const INCIDENT: &str = "incident:";

/// An active incident as the tray lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: IncidentId,
    /// e.g. "INC-3 Oracle failure — Mitigated", "EXERCISE — INC-4 ...".
    pub label: String,
    /// An exercise's incident: quitting during one needs no question.
    pub exercise: bool,
}

/// How many real (not exercise) incidents are active, as last listed.
static REAL_ACTIVE: AtomicUsize = AtomicUsize::new(0);
/// When the tray's Quit last asked the window first.
static QUIT_ASKED: Mutex<Option<Instant>> = Mutex::new(None);
/// A second Quit within this long quits without asking again (the window
/// may not be answering).
const QUIT_AGAIN: Duration = Duration::from_secs(30);

/// What the tray's Quit does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuitChoice {
    /// No real incident is open, or Quit was chosen again just now.
    Quit,
    /// Bring the window forward and let it ask.
    Ask,
}

fn quit_choice(real_active: usize, asked: Option<Instant>, now: Instant) -> QuitChoice {
    match asked {
        _ if real_active == 0 => QuitChoice::Quit,
        Some(at) if now.duration_since(at) < QUIT_AGAIN => QuitChoice::Quit,
        _ => QuitChoice::Ask,
    }
}

/// The tray entries of `incidents`, in their order.
pub fn entries(incidents: &[Incident]) -> Vec<Entry> {
    incidents
        .iter()
        .map(|i| Entry {
            id: i.id.clone(),
            label: i.label(),
            exercise: i.exercise,
        })
        .collect()
}

/// Creates the tray icon with an empty incident list; the scheduler's first
/// pass fills it. Errors say why there is no tray.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> Result<(), String> {
    let icon = app
        .default_window_icon()
        .cloned()
        .ok_or("the app has no icon")?;
    let menu = menu(app, &[]).map_err(|e| e.to_string())?;
    // The Linux tray loads libayatana-appindicator at run time and panics
    // when it is missing: that must not take the app down.
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| {
        TrayIconBuilder::with_id(TRAY)
            .icon(icon)
            .tooltip("Muster")
            .menu(&menu)
            .show_menu_on_left_click(true)
            .on_menu_event(on_menu)
            .build(app)
    }));
    match built {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the tray library could not be loaded".to_owned()),
    }
}

/// Lists `active` in the tray menu (when there is a tray).
pub fn list<R: Runtime>(app: &AppHandle<R>, active: Vec<Entry>) {
    REAL_ACTIVE.store(
        active.iter().filter(|e| !e.exercise).count(),
        Ordering::Relaxed,
    );
    let handle = app.clone();
    let _ = app.run_on_main_thread(move || {
        let Some(tray) = handle.tray_by_id(TRAY) else {
            return;
        };
        if let Err(e) = menu(&handle, &active).and_then(|m| tray.set_menu(Some(m))) {
            eprintln!("muster: cannot update the tray menu: {e}");
        }
    });
}

fn menu<R: Runtime>(app: &AppHandle<R>, active: &[Entry]) -> tauri::Result<Menu<R>> {
    let open = MenuItem::with_id(app, OPEN, "Open Muster", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit Muster", true, None::<&str>)?;
    let none = MenuItem::with_id(app, "none", "No active incidents", false, None::<&str>)?;
    let separators = [
        PredefinedMenuItem::separator(app)?,
        PredefinedMenuItem::separator(app)?,
    ];
    let incidents = active
        .iter()
        .map(|e| {
            MenuItem::with_id(
                app,
                format!("{INCIDENT}{}", e.id),
                &e.label,
                true,
                None::<&str>,
            )
        })
        .collect::<tauri::Result<Vec<_>>>()?;
    let mut items: Vec<&dyn IsMenuItem<R>> = vec![&open, &separators[0]];
    if incidents.is_empty() {
        items.push(&none);
    }
    items.extend(incidents.iter().map(|i| i as &dyn IsMenuItem<R>));
    items.extend([&separators[1] as &dyn IsMenuItem<R>, &quit]);
    Menu::with_items(app, &items)
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => bring_forward(app),
        QUIT => quit(app),
        id => {
            if let Some(incident) = id.strip_prefix(INCIDENT) {
                open_incident(app, &IncidentId(incident.to_owned()));
            }
        }
    }
}

/// Quits, unless a real incident is open: then the window comes forward and
/// asks (reminders stop once Muster quits); Quit again soon after quits.
fn quit<R: Runtime>(app: &AppHandle<R>) {
    let now = Instant::now();
    let mut asked = QUIT_ASKED.lock().unwrap_or_else(|e| e.into_inner());
    match quit_choice(REAL_ACTIVE.load(Ordering::Relaxed), *asked, now) {
        QuitChoice::Quit => app.exit(0),
        QuitChoice::Ask => {
            *asked = Some(now);
            bring_forward(app);
            if app.emit(QUIT_REQUESTED, ()).is_err() {
                app.exit(0);
            }
        }
    }
}

/// Shows, unminimizes and focuses the main window.
pub fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Brings the window forward on incident `id` (the UI routes to it).
pub fn open_incident<R: Runtime>(app: &AppHandle<R>, id: &IncidentId) {
    bring_forward(app);
    let _ = app.emit(OPEN_INCIDENT, id.as_str());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quit_asks_first_only_while_a_real_incident_is_open_and_a_second_quit_quits() {
        let now = Instant::now();
        assert_eq!(quit_choice(0, None, now), QuitChoice::Quit);
        assert_eq!(quit_choice(1, None, now), QuitChoice::Ask);
        let just_now = now.checked_sub(Duration::from_secs(5)).unwrap_or(now);
        assert_eq!(quit_choice(1, Some(just_now), now), QuitChoice::Quit);
        let long_ago = now.checked_sub(Duration::from_secs(120));
        if let Some(long_ago) = long_ago {
            assert_eq!(quit_choice(2, Some(long_ago), now), QuitChoice::Ask);
        }
    }
}
