//! The real app without a WebDriver, on a private desktop: a declaration
//! made on the command line reaches the running app, whose scheduler raises
//! each due reminder once, at once, through the notification daemon; with no
//! daemon, the reminders are recorded as shown in the window and say why.
//! And one app per data folder: a second launch hands over, another folder
//! runs alongside.

use std::path::Path;
use std::time::{Duration, Instant};

use muster_core::clock::SystemClock;
use muster_core::incident::{EventBody, IncidentId};
use muster_core::store::Store;

use super::desktop::{locked, wait_until, Desktop};
use crate::text;

/// Each `ReminderSent` of INC-1: (title, delivered, detail).
fn reminders(data: &Path) -> Vec<(String, bool, String)> {
    let Ok(mut store) = Store::open_in(data, &SystemClock) else {
        return Vec::new();
    };
    store
        .events(&IncidentId("INC-1".to_owned()))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::ReminderSent {
                title,
                delivered,
                detail,
                ..
            } => Some((title, delivered, detail)),
            _ => None,
        })
        .collect()
}

fn declare(desktop: &Desktop, data: &Path) -> f64 {
    let out = desktop.run_muster(
        data,
        &[
            "incident",
            "declare",
            "--issue",
            "stolen-user-funds",
            "--severity",
            "S1",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut store = Store::open_in(data, &SystemClock).unwrap();
    let incident = store.incident(&IncidentId("INC-1".to_owned())).unwrap();
    incident.declared_at.timestamp_millis() as f64 / 1000.0
}

#[test]
fn a_declaration_is_notified_at_once_exactly_once_critical_escalations_with_an_open_action() {
    let desktop = Desktop::start(true);
    let data = desktop.root.path().join("data");
    let _app = desktop.start_app(&data);

    let declared = declare(&desktop, &data);
    // The escalation upon detection and the responders' channel are due now.
    wait_until("two reminders recorded", || reminders(&data).len() >= 2);
    // Each recorded reminder reaches the notification service.
    wait_until("each reminder shown", || {
        desktop.notifications().len() >= reminders(&data).len()
    });
    let recorded = reminders(&data);
    let calls = desktop.notifications();

    let mut titles: Vec<&str> = recorded.iter().map(|r| r.0.as_str()).collect();
    let mut summaries: Vec<&str> = calls.iter().map(|c| c.summary.as_str()).collect();
    titles.sort_unstable();
    summaries.sort_unstable();
    assert_eq!(summaries, titles, "each reminder notified once: {calls:#?}");
    for (title, delivered, detail) in &recorded {
        assert!(*delivered, "{title}: {detail}");
        assert!(detail.starts_with("shown by dunst "), "{detail}");
    }
    for call in &calls {
        let latency = call.time - declared;
        assert!(
            (0.0..1.0).contains(&latency),
            "{} reached the daemon {latency:.3} s after the declaration",
            call.summary
        );
        assert_eq!(call.app, "Muster");
        for action in ["default", "open", "Open"] {
            assert!(call.actions.iter().any(|s| s == action), "{call:?}");
        }
        let critical = call.summary.contains("notify");
        assert_eq!(call.urgency, Some(if critical { 2 } else { 1 }), "{call:?}");
    }
    assert!(
        calls
            .iter()
            .any(|c| c.summary.starts_with("INC-1 Stolen user funds: notify ")),
        "{calls:#?}"
    );
}

#[test]
fn without_a_notification_service_reminders_are_kept_as_shown_in_the_window_saying_why() {
    let desktop = Desktop::start(false);
    let data = desktop.root.path().join("data");
    let _app = desktop.start_app(&data);

    declare(&desktop, &data);
    wait_until("two reminders recorded", || reminders(&data).len() >= 2);

    for (title, delivered, detail) in reminders(&data) {
        assert!(!delivered, "{title}");
        assert!(
            detail.starts_with("a notification could not be shown: ")
                && detail.ends_with(". Alerts show in this window instead"),
            "{detail}"
        );
    }
}

#[test]
fn two_launches_on_one_folder_make_one_app_and_another_folder_runs_alongside() {
    let desktop = Desktop::start(false);
    let (a, b) = (desktop.root.path().join("a"), desktop.root.path().join("b"));
    let _first = desktop.start_app(&a);

    let started = Instant::now();
    let second = desktop.run_muster(&a, &[]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert_eq!(
        text(&second.stdout),
        format!(
            "Muster is already running for {}; its window was brought forward\n",
            a.display()
        )
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    let _other = desktop.start_app(&b);
    assert!(locked(&a), "the first app still runs");
}
