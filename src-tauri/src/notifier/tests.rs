//! The notification status: probed at start, flipped by failures and successes.

use std::sync::Arc;

use muster_core::deadline::{DueItem, DueKind};
use muster_core::incident::{IncidentId, Phase};

use super::*;
use crate::test_ui::MockNotifier;

fn item() -> DueItem {
    let at = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
    DueItem {
        key: "esc:INC-1:1:0".to_owned(),
        incident: IncidentId("INC-1".to_owned()),
        incident_title: "Oracle failure".to_owned(),
        exercise: false,
        kind: DueKind::Escalation {
            phase: Phase::Detected,
            contacts: Vec::new(),
        },
        due_at: at,
        overdue_since: at,
        title: "INC-1 Oracle failure: notify 1 person now (detection)".to_owned(),
        body: "Due 14:00 UTC — Ada Example".to_owned(),
        critical: true,
    }
}

#[test]
fn the_status_names_the_service_or_says_why_alerts_stay_in_the_window() {
    for (answer, expected) in [
        (
            Ok("dunst 1.9.0 (knopwob, notification spec 1.2)".to_owned()),
            NotificationStatus {
                available: true,
                detail: "dunst 1.9.0 (knopwob, notification spec 1.2)".to_owned(),
            },
        ),
        (
            Err("org.freedesktop.DBus.Error.ServiceUnknown".to_owned()),
            NotificationStatus {
                available: false,
                detail: "no notification service answered: org.freedesktop.DBus.Error.ServiceUnknown. Alerts show in this window instead".to_owned(),
            },
        ),
    ] {
        let mock = Arc::new(MockNotifier::answering(answer.clone()));
        let notifications = Notifications::new(mock);
        let status = tauri::async_runtime::block_on(async {
            notifications.probe().await;
            notifications.status().await
        });
        assert_eq!(status, expected, "probe answered {answer:?}");
    }
}

#[test]
fn a_failed_notification_flips_the_status_and_a_later_success_flips_it_back() {
    let mock = Arc::new(MockNotifier::answering(Ok("dunst 1.9.0".to_owned())));
    let notifications = Notifications::new(mock.clone());
    tauri::async_runtime::block_on(async {
        notifications.probe().await;

        let shown = notifications.raise(&item(), Box::new(|_| {})).await;
        assert_eq!(shown, (true, "shown by dunst 1.9.0".to_owned()));
        assert!(notifications.status().await.available);

        mock.fail_with(Some("Connection refused"));
        let (delivered, detail) = notifications.raise(&item(), Box::new(|_| {})).await;
        assert!(!delivered);
        assert_eq!(
            detail,
            "a notification could not be shown: Connection refused. Alerts show in this window instead"
        );
        let status = notifications.status().await;
        assert_eq!((status.available, status.detail), (false, detail));

        mock.fail_with(None);
        let shown = notifications.raise(&item(), Box::new(|_| {})).await;
        assert_eq!(shown, (true, "shown by dunst 1.9.0".to_owned()));
        let status = notifications.status().await;
        assert_eq!(
            (status.available, status.detail.as_str()),
            (true, "dunst 1.9.0")
        );
    });
    assert_eq!(mock.shown().len(), 2, "the two successes were shown");
}

#[test]
fn the_open_action_runs_what_the_scheduler_gave() {
    let mock = Arc::new(MockNotifier::answering(Ok("dunst".to_owned())));
    let notifications = Notifications::new(mock.clone());
    let (tx, rx) = std::sync::mpsc::channel();
    tauri::async_runtime::block_on(notifications.raise(
        &item(),
        Box::new(move |_| {
            let _ = tx.send("opened");
        }),
    ));
    assert!(mock.click_open(), "no Open action was kept");
    assert_eq!(rx.try_recv().ok(), Some("opened"));
}
