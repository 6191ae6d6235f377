//! The scheduler: one task that raises each due reminder once, on time.
//!
//! It sleeps until the next due time the core computes (`Agenda::next_at`),
//! or until a data change wakes it; there is no fixed polling. A pass asks
//! core for the agenda at the wall clock's now, asks core which due items
//! were not raised before (`deadline::to_notify`), raises each through the
//! [`Notifications`], records it as a `ReminderSent` event (published, like
//! every write, by `AppState::write`), and tells the UI (`alert`). Deciding what is due is core's job; this
//! module only orchestrates, and never holds the store while a notification
//! is on its way.
//!
//! The same pass asks the profile's person to approve each pending decision
//! that waits for them ("Your approval is needed: …"), once per decision and
//! person, remembered in the store's settings; and raises the exercise
//! programme's reminders (a live exercise due in 7 days, or overdue), each
//! once ever, recorded in the store. It wakes for whichever comes first: the
//! agenda's next due item or the programme's next reminder.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use muster_core::clock::{Clock, SystemClock};
use muster_core::deadline::{self, DueItem};
use muster_core::decision::DecisionId;
use muster_core::exercise::ProgrammeReminder;
use muster_core::incident::IncidentId;
use muster_core::store::{backup, DB_FILE};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::Notify;

use crate::error::IpcError;
use crate::events::{ALERT, SCHEDULER_SETTLED};
use crate::notifier::{Choice, Note, Notifications, OnAction};
use crate::state::AppState;
use crate::{tray, zone};

/// The longest sleep, even when nothing falls due sooner. Sleeping is
/// measured on the monotonic clock, which stops while the laptop is
/// suspended and does not follow a wall-clock change: waking at least this
/// often catches up (once) with what fell due meanwhile.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

/// The managed handle to wake the scheduler after a data change.
#[derive(Debug, Default)]
pub struct Scheduler {
    wake: Arc<Notify>,
    /// Wakes asked for so far, and how many of them a finished pass had seen:
    /// when the two are equal, every change so far has been looked at.
    asked: Arc<AtomicU64>,
    answered: Arc<AtomicU64>,
}

impl Scheduler {
    /// Makes the scheduler recompute now. Wakes that come while a pass runs
    /// are kept (as one), so no change is missed.
    pub fn wake(&self) {
        self.asked.fetch_add(1, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Whether a pass has finished since every wake asked for so far: what
    /// the data says is due has been raised. Observable, for tests that must
    /// show something was *not* raised.
    pub fn settled(&self) -> bool {
        self.answered.load(Ordering::SeqCst) >= self.asked.load(Ordering::SeqCst)
    }
}

/// Starts the scheduler task for `app`.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    tauri::async_runtime::spawn(run(app.clone()));
}

/// What one pass did and when the next is needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    /// The reminders raised and recorded in this pass.
    pub raised: Vec<DueItem>,
    /// When the next item falls due; none when nothing is scheduled.
    pub next_at: Option<DateTime<Utc>>,
    /// The active incidents as the tray lists them.
    pub active: Vec<tray::Entry>,
}

async fn run<R: Runtime>(app: AppHandle<R>) {
    let (wake, asked, answered) = {
        let scheduler = app.state::<Scheduler>();
        (
            scheduler.wake.clone(),
            scheduler.asked.clone(),
            scheduler.answered.clone(),
        )
    };
    let mut listed: Option<Vec<tray::Entry>> = None;
    // Said once, not every minute while it lasts.
    let mut failed: Option<String> = None;
    let mut asking_failed: Option<String> = None;
    let mut programme_failed: Option<String> = None;
    let mut backup_failed: Option<String> = None;
    loop {
        let seen = asked.load(Ordering::SeqCst);
        // Today's backup, if not made yet, once the launch is over: on a
        // large plan it reads the whole file, so on a connection of its own
        // (the window's reads never wait behind it).
        let state = app.state::<AppState>();
        let due = state.writes_off.is_none()
            && backup::daily_due(&state.data_dir.join(DB_FILE), &SystemClock).is_some();
        let backup = if due && app.state::<crate::launch::Settled>().is_settled() {
            state
                .read_apart(|store| store.daily_backup(&SystemClock))
                .await
        } else {
            Ok(None)
        };
        match backup {
            Ok(_) => backup_failed = None,
            Err(error) => {
                if backup_failed.as_ref() != Some(&error.message) {
                    eprintln!("muster: cannot make today's backup: {}", error.message);
                    backup_failed = Some(error.message);
                }
            }
        }
        let opener = {
            let app = app.clone();
            move |id: &IncidentId| -> OnAction {
                let app = app.clone();
                let id = id.clone();
                Box::new(move |choice| match choice {
                    Choice::Open => tray::open_incident(&app, &id),
                    Choice::Acknowledge => acknowledge(&app, id),
                })
            }
        };
        let next = match pass(
            &app.state::<AppState>(),
            &app.state::<Notifications>(),
            Arc::new(SystemClock),
            zone::local_zone(),
            opener,
        )
        .await
        {
            Ok(pass) => {
                failed = None;
                for item in &pass.raised {
                    let _ = app.emit(ALERT, item);
                }
                if listed.as_ref() != Some(&pass.active) {
                    tray::list(&app, pass.active.clone());
                    listed = Some(pass.active);
                }
                pass.next_at
            }
            Err(error) => {
                if failed.as_ref() != Some(&error.message) {
                    eprintln!("muster: cannot check what is due: {}", error.message);
                    failed = Some(error.message);
                }
                Some(Utc::now() + MAX_SLEEP)
            }
        };
        let bring_forward = {
            let app = app.clone();
            move |_: &DecisionId| -> OnAction {
                let app = app.clone();
                Box::new(move |_| tray::bring_forward(&app))
            }
        };
        match ask_approvers(
            &app.state::<AppState>(),
            &app.state::<Notifications>(),
            Arc::new(SystemClock),
            zone::local_zone(),
            bring_forward,
        )
        .await
        {
            Ok(_) => asking_failed = None,
            Err(error) => {
                if asking_failed.as_ref() != Some(&error.message) {
                    eprintln!(
                        "muster: cannot check which decisions wait for you: {}",
                        error.message
                    );
                    asking_failed = Some(error.message);
                }
            }
        }
        let bring_forward = {
            let app = app.clone();
            move || -> OnAction {
                let app = app.clone();
                Box::new(move |_| tray::bring_forward(&app))
            }
        };
        let next = match remind_programme(
            &app.state::<AppState>(),
            &app.state::<Notifications>(),
            Arc::new(SystemClock),
            zone::local_zone(),
            bring_forward,
        )
        .await
        {
            Ok((_, programme_next)) => {
                programme_failed = None;
                earliest(next, programme_next)
            }
            Err(error) => {
                if programme_failed.as_ref() != Some(&error.message) {
                    eprintln!(
                        "muster: cannot check when the next exercise is due: {}",
                        error.message
                    );
                    programme_failed = Some(error.message);
                }
                earliest(next, Some(Utc::now() + MAX_SLEEP))
            }
        };
        answered.fetch_max(seen, Ordering::SeqCst);
        let _ = app.emit(SCHEDULER_SETTLED, seen);
        match sleep_for(Utc::now(), next) {
            None => wake.notified().await,
            Some(pause) => {
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = wake.notified() => {}
                }
            }
        }
    }
}

/// The person chose "Acknowledge" on a pop-up that called them: recorded
/// like the console's button (and so published to the window and the team).
fn acknowledge<R: Runtime>(app: &AppHandle<R>, id: IncidentId) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let done = app
            .state::<AppState>()
            .write(move |store| store.acknowledge(&id, &SystemClock))
            .await;
        if let Err(e) = done {
            eprintln!(
                "muster: the acknowledgement was not recorded: {}",
                e.message
            );
        }
    });
}

/// The start of a question's key ("your approval is needed").
const ASKED: &str = "decision.asked:";

/// Whether `key` is a note's (a question, an exercise reminder), not a due item's.
fn is_note(key: &str) -> bool {
    key.starts_with(ASKED) || key.starts_with("exercise-")
}

/// How long to sleep at `now` before the next pass: until `next_at` (at
/// once if it has passed), at most [`MAX_SLEEP`]; none when nothing is
/// scheduled, so only a wake ends the wait.
pub fn sleep_for(now: DateTime<Utc>, next_at: Option<DateTime<Utc>>) -> Option<Duration> {
    next_at.map(|at| (at - now).to_std().unwrap_or(Duration::ZERO).min(MAX_SLEEP))
}

/// The earlier of two times; either may be missing.
pub fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// One pass at `clock`'s now: raises every due item not raised before and
/// records it. `open` gives each notification its "Open" action.
pub async fn pass(
    state: &AppState,
    notifications: &Notifications,
    clock: Arc<dyn Clock>,
    zone: Tz,
    open: impl Fn(&IncidentId) -> OnAction,
) -> Result<Pass, IpcError> {
    let now = clock.now();
    let (due, still, next_at, active) = state
        .read(move |store| {
            let agenda = store.agenda(now, zone)?;
            let incidents = store.active_incidents()?;
            let sent: HashSet<String> = incidents
                .iter()
                .flat_map(|i| i.reminders.iter().cloned())
                .collect();
            // In a team, each laptop raises what its person must act on.
            let person = store.team_profile()?.map(|p| p.person);
            let plan = store.current()?;
            let mine = |item: &DueItem| match &person {
                None => Some(item.clone()),
                Some(person) => incidents
                    .iter()
                    .find(|i| i.id == item.incident)
                    .and_then(|i| deadline::concern::for_person(item, i, &plan, person)),
            };
            let wanted: Vec<DueItem> = agenda.due.iter().filter_map(mine).collect();
            let still: HashSet<String> = wanted.iter().map(|d| d.key.clone()).collect();
            let due: Vec<DueItem> = wanted
                .into_iter()
                .filter(|d| !sent.contains(&d.key))
                .collect();
            Ok((due, still, agenda.next_at, tray::entries(&incidents)))
        })
        .await?;
    // What was done since (the people notified, the update posted, the
    // incident closed) is no longer due: its pop-up goes.
    notifications
        .withdraw_done(|key| !is_note(key), |key| still.contains(key))
        .await;
    let mut raised = Vec::new();
    for item in due {
        // The store is free while the notification is on its way.
        let (delivered, detail) = notifications.raise(&item, open(&item.incident)).await;
        let clock = clock.clone();
        let recorded = item.clone();
        let first = state
            .write(move |store| {
                store.record_reminder(&recorded, delivered, &detail, clock.as_ref())
            })
            .await?;
        if first {
            raised.push(item);
        }
    }
    Ok(Pass {
        raised,
        next_at,
        active,
    })
}

/// Asks the profile's person, by a desktop notification, to approve each
/// pending decision that waits for them and that they were not asked about
/// before; remembers each question in the store's settings, shown or not
/// (the window lists what waits), so it is raised once. `open` gives each
/// notification its "Open" action. The decisions asked about.
pub async fn ask_approvers(
    state: &AppState,
    notifications: &Notifications,
    clock: Arc<dyn Clock>,
    zone: Tz,
    open: impl Fn(&DecisionId) -> OnAction,
) -> Result<Vec<DecisionId>, IpcError> {
    let now = clock.clone();
    let (waiting, still) = state
        .read(move |store| {
            Ok((
                store.awaiting_approval(now.as_ref(), zone)?,
                store.awaiting_keys(now.as_ref())?,
            ))
        })
        .await?;
    // An answer given (here, on another laptop, or the decision closed):
    // "your approval is needed" goes.
    notifications
        .withdraw_done(|key| key.starts_with(ASKED), |key| still.contains(key))
        .await;
    let mut asked = Vec::new();
    for waits in waiting {
        let note = Note {
            key: waits.key,
            title: waits.title,
            body: waits.body,
            critical: waits.critical,
        };
        // The store is free while the notification is on its way.
        notifications.raise_note(&note, open(&waits.decision)).await;
        let (key, at) = (note.key, clock.now());
        state
            .write(move |store| store.remember_asked(&key, at))
            .await?;
        asked.push(waits.decision);
    }
    Ok(asked)
}

/// Raises each exercise-programme reminder due at `clock`'s now that was
/// never raised (normal urgency, the reminder's title as the summary) and
/// records it, shown or not (the Exercises page says when the next is due),
/// so it is raised once ever. `open` gives each notification its "Open"
/// action. The reminders raised, and when the next one comes.
pub async fn remind_programme(
    state: &AppState,
    notifications: &Notifications,
    clock: Arc<dyn Clock>,
    zone: Tz,
    open: impl Fn() -> OnAction,
) -> Result<(Vec<ProgrammeReminder>, Option<DateTime<Utc>>), IpcError> {
    let now = clock.now();
    let (due, next_at) = state
        .read(move |store| store.programme_reminders(now, zone))
        .await?;
    let mut raised = Vec::new();
    for reminder in due {
        let note = Note {
            key: reminder.key.clone(),
            title: reminder.title.clone(),
            body: reminder.body.clone(),
            critical: false,
        };
        // The store is free while the notification is on its way.
        let (delivered, _) = notifications.raise_note(&note, open()).await;
        let clock = clock.clone();
        let recorded = reminder.clone();
        state
            .write(move |store| {
                store.record_programme_reminder(&recorded, delivered, clock.as_ref())
            })
            .await?;
        raised.push(reminder);
    }
    Ok((raised, next_at))
}

#[cfg(test)]
mod tests;
