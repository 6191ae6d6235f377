//! Desktop notifications through notify-rust, and what the app knows about
//! the notification service (so Settings can say why alerts stay in the window).
//!
//! The scheduler talks to a [`Notifier`] (a small trait, so the mock-runtime
//! tests count notifications without D-Bus) through [`Notifications`], which
//! keeps the status: probed once at start, flipped to unavailable by a failed
//! notification and back by a later success. Every D-Bus call blocks, so each
//! runs on a blocking thread with a time limit, never on the async runtime: a
//! service that owns the name but never answers must not stall anything.

use std::sync::Arc;
use std::time::Duration;

use muster_core::deadline::DueItem;
use serde::Serialize;
use tokio::sync::watch;
use ts_rs::TS;

/// Whether desktop notifications reach a notification service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationStatus {
    /// False once a notification failed to reach a service (until one succeeds).
    pub available: bool,
    /// The service's name and version, or why notifications cannot be shown.
    pub detail: String,
}

/// What the person chose on a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Show what it is about.
    Open,
    /// "I have it": an escalation that called this laptop's person.
    Acknowledge,
}

/// What runs when the person chooses an action on a notification.
pub type OnAction = Box<dyn FnOnce(Choice) + Send + 'static>;

/// A notification that is not a due item: a decision waiting for the
/// profile's approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What it is about, raised once: e.g.
    /// `decision.asked:DEC-1f3a9c0b7d2e4a61:ada-example`.
    pub key: String,
    pub title: String,
    pub body: String,
    pub critical: bool,
}

/// A way to raise desktop notifications. Every method blocks (a D-Bus round
/// trip on Linux); [`Notifications`] calls them on a blocking thread.
pub trait Notifier: Send + Sync + 'static {
    /// Who shows notifications, e.g. "dunst 1.9.0 (knopwob, spec 1.2)", or
    /// why nobody answered.
    fn probe(&self) -> Result<String, String>;

    /// Shows `item`; `open` runs if the person chooses "Open" on it.
    fn show(&self, item: &DueItem, open: OnAction) -> Result<(), String>;

    /// Shows `note`; `open` runs if the person chooses "Open" on it.
    fn show_note(&self, note: &Note, open: OnAction) -> Result<(), String>;

    /// Withdraws the notification shown for `key` (a due item's or a
    /// note's), when it is still on screen: what it asked for is done.
    fn withdraw(&self, key: &str) -> Result<(), String>;
}

/// The operating system's notifications, through notify-rust (D-Bus on Linux).
#[derive(Debug, Clone, Copy, Default)]
pub struct DesktopNotifier;

/// The freedesktop action a click on the notification invokes, and ours.
#[cfg(all(unix, not(target_os = "macos")))]
const OPEN_ACTIONS: [&str; 2] = ["default", "open"];

/// The action id of "Acknowledge" on a pop-up that calls this laptop's person.
#[cfg(all(unix, not(target_os = "macos")))]
const ACKNOWLEDGE_ACTION: &str = "acknowledge";

impl Notifier for DesktopNotifier {
    #[cfg(all(unix, not(target_os = "macos")))]
    fn probe(&self) -> Result<String, String> {
        let info = notify_rust::get_server_information().map_err(|e| e.to_string())?;
        let mut detail = format!("{} {}", info.name, info.version);
        let about: Vec<String> = [
            info.vendor,
            format!("notification spec {}", info.spec_version),
        ]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
        if !about.is_empty() {
            detail.push_str(&format!(" ({})", about.join(", ")));
        }
        Ok(detail)
    }

    #[cfg(not(all(unix, not(target_os = "macos"))))]
    fn probe(&self) -> Result<String, String> {
        Ok("the system's notification centre".to_owned())
    }

    fn show(&self, item: &DueItem, open: OnAction) -> Result<(), String> {
        let acknowledge = muster_core::deadline::concern::is_call(item);
        show_text(
            &item.key,
            &item.title,
            &item.body,
            item.critical,
            acknowledge,
            open,
        )
    }

    fn show_note(&self, note: &Note, open: OnAction) -> Result<(), String> {
        show_text(
            &note.key,
            &note.title,
            &note.body,
            note.critical,
            false,
            open,
        )
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    fn withdraw(&self, key: &str) -> Result<(), String> {
        let Some(id) = on_screen().lock().ok().and_then(|mut m| m.remove(key)) else {
            return Ok(());
        };
        let bus = dbus::blocking::Connection::new_session().map_err(|e| e.to_string())?;
        bus.with_proxy(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            ANSWER_WITHIN,
        )
        .method_call::<(), _, _, _>("org.freedesktop.Notifications", "CloseNotification", (id,))
        .map_err(|e| e.to_string())
    }

    #[cfg(not(all(unix, not(target_os = "macos"))))]
    fn withdraw(&self, _key: &str) -> Result<(), String> {
        // The system's notification centre keeps its own list there.
        Ok(())
    }
}

/// The notifications on screen, by key: their ids, to withdraw them.
#[cfg(all(unix, not(target_os = "macos")))]
fn on_screen() -> &'static std::sync::Mutex<std::collections::HashMap<String, u32>> {
    static SHOWN: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<String, u32>>> =
        std::sync::OnceLock::new();
    SHOWN.get_or_init(Default::default)
}

/// `text` for a notification body that the server reads as markup (the
/// freedesktop subset): `&`, `<` and `>` as entities, so that plan text such
/// as `ir-<date>-<name>` shows as written and never as markup.
pub fn markup_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Whether the notification server reads bodies as markup (asked once):
/// when it says so (`body-markup`), and for dunst, whose default
/// (`markup = strip`) removes tags without saying so.
#[cfg(all(unix, not(target_os = "macos")))]
fn body_markup() -> bool {
    static MARKUP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *MARKUP.get_or_init(|| {
        let says = notify_rust::get_capabilities()
            .map(|caps| caps.iter().any(|c| c == "body-markup"))
            .unwrap_or(true);
        let strips = notify_rust::get_server_information()
            .is_ok_and(|info| info.name.eq_ignore_ascii_case("dunst"));
        says || strips
    })
}

/// Shows one notification: `summary`, `body`, critical or normal urgency.
#[cfg(all(unix, not(target_os = "macos")))]
fn show_text(
    key: &str,
    summary: &str,
    body: &str,
    critical: bool,
    acknowledge: bool,
    open: OnAction,
) -> Result<(), String> {
    let body = if body_markup() {
        markup_escaped(body)
    } else {
        body.to_owned()
    };
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Muster")
        .summary(summary)
        .body(&body)
        .urgency(if critical {
            notify_rust::Urgency::Critical
        } else {
            notify_rust::Urgency::Normal
        })
        .action(OPEN_ACTIONS[0], "Open")
        .action(OPEN_ACTIONS[1], "Open");
    if acknowledge {
        notification.action(ACKNOWLEDGE_ACTION, "Acknowledge");
    }
    // The handle is tied to its D-Bus connection and to the thread that
    // made it, and waiting for the person's answer blocks until the
    // notification closes (a critical one may stay for hours): each
    // notification gets a thread of its own, which reports whether the
    // service took it and then waits.
    let (shown, answer) = std::sync::mpsc::channel();
    let key = key.to_owned();
    std::thread::Builder::new()
        .name("notification".to_owned())
        .spawn(move || match notification.show() {
            Ok(handle) => {
                let id = handle.id();
                if let Ok(mut on) = on_screen().lock() {
                    on.insert(key.clone(), id);
                }
                let _ = shown.send(Ok(()));
                handle.wait_for_action(|action| {
                    if OPEN_ACTIONS.contains(&action) {
                        open(Choice::Open);
                    } else if action == ACKNOWLEDGE_ACTION {
                        open(Choice::Acknowledge);
                    }
                });
                // Closed (by the person, the server or a withdrawal): off screen.
                if let Ok(mut on) = on_screen().lock() {
                    if on.get(&key) == Some(&id) {
                        on.remove(&key);
                    }
                }
            }
            Err(e) => {
                let _ = shown.send(Err(e.to_string()));
            }
        })
        .map_err(|e| format!("cannot start a thread for the notification: {e}"))?;
    answer
        .recv()
        .map_err(|_| "the notification thread ended without an answer".to_owned())?
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn show_text(
    _key: &str,
    summary: &str,
    body: &str,
    _critical: bool,
    _acknowledge: bool,
    _open: OnAction,
) -> Result<(), String> {
    notify_rust::Notification::new()
        .appname("Muster")
        .summary(summary)
        .body(body)
        .show()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Longest wait for the notification service to answer one call.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// The notifier and its status: the managed state the scheduler raises
/// through and `notification_status` reads.
pub struct Notifications {
    notifier: Arc<dyn Notifier>,
    /// The keys of what this run showed and has not withdrawn.
    shown: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// None until the first probe answered.
    status: watch::Sender<Option<NotificationStatus>>,
}

impl std::fmt::Debug for Notifications {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifications")
            .field("status", &*self.status.borrow())
            .finish_non_exhaustive()
    }
}

impl Notifications {
    pub fn new(notifier: Arc<dyn Notifier>) -> Notifications {
        Notifications {
            notifier,
            shown: std::sync::Mutex::default(),
            status: watch::Sender::new(None),
        }
    }

    /// Asks the service who it is and keeps the answer as the status.
    pub async fn probe(&self) {
        let notifier = self.notifier.clone();
        let status = match answer(move || notifier.probe()).await {
            Ok(detail) => available(detail),
            Err(why) => unavailable(format!("no notification service answered: {why}")),
        };
        self.status.send_replace(Some(status));
    }

    /// The status; waits briefly for the first probe if it has not answered yet.
    pub async fn status(&self) -> NotificationStatus {
        let mut seen = self.status.subscribe();
        let _ = tokio::time::timeout(ANSWER_WITHIN, seen.wait_for(Option::is_some)).await;
        let current = self.status.borrow().clone();
        current.unwrap_or_else(|| NotificationStatus {
            available: false,
            detail: "the notification service has not answered yet".to_owned(),
        })
    }

    /// Raises `item` as a desktop notification. Returns whether it was
    /// delivered and a line for the timeline: the service that showed it, or
    /// why it could only be shown in the window. A failure makes the status
    /// unavailable with the reason; a success after a failure makes it
    /// available again.
    pub async fn raise(&self, item: &DueItem, open: OnAction) -> (bool, String) {
        let key = item.key.clone();
        let item = item.clone();
        let raised = self
            .deliver(move |notifier| notifier.show(&item, open))
            .await;
        self.remember(key, raised.0);
        raised
    }

    /// Raises `note` as a desktop notification, as [`Notifications::raise`]
    /// does a due item.
    pub async fn raise_note(&self, note: &Note, open: OnAction) -> (bool, String) {
        let key = note.key.clone();
        let note = note.clone();
        let raised = self
            .deliver(move |notifier| notifier.show_note(&note, open))
            .await;
        self.remember(key, raised.0);
        raised
    }

    fn remember(&self, key: String, shown: bool) {
        if shown {
            if let Ok(mut keys) = self.shown.lock() {
                keys.insert(key);
            }
        }
    }

    /// Withdraws what this run showed whose key `wanted` says is no longer
    /// wanted (among the keys `mine` picks: a due item's, a question's):
    /// "notify 1 person now" once they were, "your approval is needed" once
    /// given.
    pub async fn withdraw_done(&self, mine: impl Fn(&str) -> bool, wanted: impl Fn(&str) -> bool) {
        let done: Vec<String> = match self.shown.lock() {
            Ok(mut keys) => {
                let done: Vec<String> = keys
                    .iter()
                    .filter(|k| mine(k) && !wanted(k))
                    .cloned()
                    .collect();
                for key in &done {
                    keys.remove(key);
                }
                done
            }
            Err(_) => Vec::new(),
        };
        self.withdraw(done).await;
    }

    /// Withdraws the notification shown for each of `keys` that is still
    /// on screen. A failure is said on stderr and otherwise ignored: a
    /// pop-up that stays is no reason to stop the scheduler.
    pub async fn withdraw(&self, keys: Vec<String>) {
        if keys.is_empty() {
            return;
        }
        let notifier = self.notifier.clone();
        let done = answer(move || {
            for key in &keys {
                notifier.withdraw(key)?;
            }
            Ok(())
        })
        .await;
        if let Err(why) = done {
            eprintln!("muster: a notification could not be withdrawn: {why}");
        }
    }

    async fn deliver(
        &self,
        show: impl FnOnce(&dyn Notifier) -> Result<(), String> + Send + 'static,
    ) -> (bool, String) {
        let notifier = self.notifier.clone();
        let was_available = self.status.borrow().as_ref().is_some_and(|s| s.available);
        let shown = answer(move || {
            show(notifier.as_ref())?;
            // Name the service again when it comes back (or first answers now).
            Ok((!was_available).then(|| notifier.probe().ok()).flatten())
        })
        .await;
        match shown {
            Ok(name) => {
                let detail = match name {
                    Some(name) => name,
                    None => self
                        .status
                        .borrow()
                        .as_ref()
                        .filter(|s| s.available)
                        .map_or_else(|| "a notification service".to_owned(), |s| s.detail.clone()),
                };
                self.status.send_replace(Some(available(detail.clone())));
                (true, format!("shown by {detail}"))
            }
            Err(why) => {
                let status = unavailable(format!("a notification could not be shown: {why}"));
                let detail = status.detail.clone();
                self.status.send_replace(Some(status));
                (false, detail)
            }
        }
    }
}

fn available(detail: String) -> NotificationStatus {
    NotificationStatus {
        available: true,
        detail,
    }
}

fn unavailable(why: String) -> NotificationStatus {
    NotificationStatus {
        available: false,
        detail: format!("{why}. Alerts show in this window instead"),
    }
}

/// Runs a blocking notifier call on a blocking thread, giving up waiting
/// after [`ANSWER_WITHIN`] (the thread finishes on its own later).
async fn answer<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let task = tauri::async_runtime::spawn_blocking(call);
    match tokio::time::timeout(ANSWER_WITHIN, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(format!("the notification task failed: {e}")),
        Err(_) => Err(format!(
            "the notification service did not answer within {} s",
            ANSWER_WITHIN.as_secs()
        )),
    }
}

#[cfg(test)]
mod tests;
