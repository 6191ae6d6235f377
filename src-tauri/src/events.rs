//! The names of the events the shell sends to the window, in one place.
//! A leaf module: every other module may use it, it uses none.
//!
//! The `*_CHANGED` events carry no payload: they say a topic changed and
//! the window reloads what it shows from the store. Only `publish` sends
//! them, from what the store says a write changed.

/// The plan changed (an edit, an import, a restore, a key put on a contact).
pub const PLAN_CHANGED: &str = "plan-changed";
/// Any incident changed: an event appended, a reminder recorded.
pub const INCIDENTS_CHANGED: &str = "incidents-changed";
/// Any decision changed: requested, signed, attested, imported.
pub const DECISIONS_CHANGED: &str = "decisions-changed";
/// Any exercise changed: set-up, run log, ratings, findings, attachments.
pub const EXERCISES_CHANGED: &str = "exercises-changed";
/// The team folder changed: events written here or taken in, or what the
/// link to it found (a quarantined file, a transport's trouble).
pub const TEAM_CHANGED: &str = "team-changed";
/// Writing the plan back to the linked folder failed, with the message.
pub const WRITE_BACK_FAILED: &str = "linked-folder-write-failed";
/// A file in the linked plan folder changed, with the time (RFC 3339).
pub const LINKED_FOLDER_CHANGED: &str = "linked-folder-changed";
/// A reminder was raised, with the `DueItem`.
pub const ALERT: &str = "alert";
/// Show an incident, with its id (from the tray or a notification).
pub const OPEN_INCIDENT: &str = "open-incident";
/// Quit was chosen in the tray while a real incident is open: the window
/// asks first (its reminders stop once Muster quits).
pub const QUIT_REQUESTED: &str = "quit-requested";
/// The scheduler finished a pass that took in every change up to the count
/// it carries (a number that only grows): whatever was due for those
/// changes has been raised. The window marks it on the page, so that a
/// test can wait for it before saying something was *not* raised.
pub const SCHEDULER_SETTLED: &str = "scheduler-settled";

/// Every event, with the name the TypeScript side knows it by (see
/// `contract.rs`).
pub const ALL: &[(&str, &str)] = &[
    ("planChanged", PLAN_CHANGED),
    ("incidentsChanged", INCIDENTS_CHANGED),
    ("decisionsChanged", DECISIONS_CHANGED),
    ("exercisesChanged", EXERCISES_CHANGED),
    ("teamChanged", TEAM_CHANGED),
    ("writeBackFailed", WRITE_BACK_FAILED),
    ("linkedFolderChanged", LINKED_FOLDER_CHANGED),
    ("alert", ALERT),
    ("openIncident", OPEN_INCIDENT),
    ("quitRequested", QUIT_REQUESTED),
    ("schedulerSettled", SCHEDULER_SETTLED),
];
