//! End-to-end: incidents. Declared in the window, their deadlines reach the
//! real notification daemon on time and once; without a daemon the alerts
//! stay in the window; a second launch or a script on the same data folder
//! talks to the running app instead of starting another.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use muster_core::clock::SystemClock;
use muster_core::incident::{EventBody, IncidentId};
use muster_core::plan::Timing;
use muster_core::store::Store;

use super::harness::{shots_dir, App, LinkRecorder, Notification, CONTROL, PATIENCE};

/// The starter plan's internal update rule, made to repeat every minute.
const MINUTE_RULE: &str = "internal-hourly-update";

fn open_store(app: &App) -> Store {
    Store::open_in(&app.data_dir, &SystemClock).unwrap()
}

/// Waits up to `patience` until some notification matches `wanted`;
/// returns every match.
pub(super) async fn wait_for_notification(
    app: &App,
    what: &str,
    patience: Duration,
    wanted: impl Fn(&Notification) -> bool,
) -> Vec<Notification> {
    let deadline = Instant::now() + patience;
    loop {
        let found: Vec<Notification> = app.notifications().into_iter().filter(&wanted).collect();
        if !found.is_empty() {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "no notification for {what} after {patience:?}; seen: {:#?}",
            app.notifications()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Declares the starter plan's "Oracle failure" issue through the dialog and
/// returns the new incident's id as the console shows it.
pub(super) async fn declare_oracle_failure(app: &App) -> IncidentId {
    app.go("#/incidents").await;
    app.click("[data-testid='declare-incident']").await;
    // An unplanned incident sent with nothing filled in: core says what is
    // missing, and the dialog shows each message beside its field.
    app.click("[data-testid='declare-issue'] option[value='-unplanned']")
        .await;
    app.click("[data-testid='declare-submit']").await;
    app.wait_for_text("[data-field-error='category']", "An unplanned incident needs a category: choose one of hacker-attack, network-problem, protocol-problem, operational-problem")
        .await;
    app.wait_for_text(
        "[data-field-error='title']",
        "An unplanned incident needs a title: say in a few words what is happening",
    )
    .await;
    app.click("[data-testid='declare-issue'] option[value='oracle-failure']")
        .await;
    app.click("[data-testid='declare-submit']").await;
    app.find("[data-testid='incident-console']").await;
    let id = app
        .find("[data-testid='incident-id']")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(id.starts_with("INC-"), "the console shows the id {id:?}");
    IncidentId(id)
}

fn seconds(t: DateTime<Utc>) -> f64 {
    t.timestamp_micros() as f64 / 1e6
}

#[tokio::test(flavor = "current_thread")]
async fn a_one_minute_update_cadence_reaches_the_notification_daemon_on_time_once_and_again_while_overdue(
) {
    let app = App::start_prepared(&[], |dir| {
        let mut store = Store::open_in(dir, &SystemClock).unwrap();
        let mut plan = store.plan().unwrap();
        let rule = plan
            .communications
            .iter_mut()
            .find(|r| r.id.as_str() == MINUTE_RULE)
            .unwrap_or_else(|| panic!("the starter plan has no {MINUTE_RULE}"));
        rule.timing = Timing::EveryMinutes { minutes: 1 };
        store
            .replace_plan(&plan, "Internal updates every minute", &SystemClock)
            .unwrap();
    })
    .await;
    app.find("[data-section='overview']").await;

    let id = declare_oracle_failure(&app).await;
    let incident = open_store(&app).incident(&id).unwrap();
    let declared = seconds(incident.declared_at);

    // Declaring requires telling people: a critical pop-up at once.
    let escalation = wait_for_notification(&app, "the escalation", PATIENCE, |n| {
        n.summary.contains("notify") && n.summary.contains(id.as_str())
    })
    .await;
    assert_eq!(escalation.len(), 1, "{escalation:#?}");
    assert_eq!(escalation[0].app, "Muster");
    assert_eq!(escalation[0].urgency, Some(2), "escalations are critical");
    let escalation_latency = escalation[0].time - declared;

    // One minute after declaring, the internal update falls due.
    let due = declared + 60.0;
    let updates = |n: &Notification| n.summary.contains("internal update");
    let first = wait_for_notification(
        &app,
        "the internal update",
        Duration::from_secs(60) + PATIENCE,
        updates,
    )
    .await;
    let latency = first[0].time - due;
    assert_eq!(first.len(), 1, "{first:#?}");
    assert!(
        first[0]
            .summary
            .ends_with(&format!("{id} {}: internal update due", incident.title)),
        "{:?}",
        first[0].summary
    );
    assert!(
        first[0].body.contains("Slack #incident-updates"),
        "the body names the channel: {:?}",
        first[0].body
    );
    assert!(
        (-0.05..=1.0).contains(&latency),
        "the pop-up came {latency:.3} s after the due time; the target is within 1 s"
    );

    // The console's due strip shows it too (the pop-up went to the desktop,
    // so no in-window card repeats it on this incident's own console).
    let deadline = Instant::now() + PATIENCE;
    loop {
        let due = app
            .texts("[data-testid='due-item'][data-kind='update']")
            .await;
        if due.iter().any(|d| d.contains("Internal update due")) {
            break;
        }
        assert!(Instant::now() < deadline, "the due strip shows {due:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(app.texts("[data-testid='alert-card']").await.is_empty());
    app.screenshot("incident-update-due").await;

    // A change to the incident makes the scheduler recompute: the same due
    // item is still raised only once.
    let seen = app.scheduler_seen().await;
    assert!(seen > 0, "the page never heard the scheduler settle");
    app.fill("[data-testid='note-input']", "Oracle feed confirmed stale")
        .await;
    app.click("[data-testid='add-note']").await;
    let deadline = Instant::now() + PATIENCE;
    while !app
        .texts("[data-testid='timeline-entry']")
        .await
        .iter()
        .any(|t| t.contains("Oracle feed confirmed stale"))
    {
        assert!(Instant::now() < deadline, "the note never showed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.scheduler_passed(seen).await;
    let all = app.notifications();
    assert_eq!(
        all.iter().filter(|n| updates(n)).count(),
        1,
        "the internal update was raised once: {all:#?}"
    );
    assert_eq!(
        all.iter()
            .filter(|n| n.summary.contains("notify") && n.urgency == Some(2))
            .count(),
        1,
        "the escalation was raised once: {all:#?}"
    );

    // Not posted, the update comes back: a period later it is raised
    // again, overdue, once, saying since when and how many were missed.
    let overdue = |n: &Notification| n.summary.contains("internal update overdue");
    let again = wait_for_notification(
        &app,
        "the overdue update's reminder",
        Duration::from_secs(60) + PATIENCE,
        overdue,
    )
    .await;
    assert_eq!(again.len(), 1, "{again:#?}");
    assert!(
        again[0].body.contains("Overdue since") && again[0].body.contains("(2 missed)"),
        "the reminder says it is overdue: {:?}",
        again[0].body
    );
    let renotified = again[0].time - (due + 60.0);
    assert!(
        (-0.05..=1.0).contains(&renotified),
        "the reminder came {renotified:.3} s after its time; the target is within 1 s"
    );

    // Posting the update does what the pop-up asked: the pop-up is
    // withdrawn from the desktop (and the escalation's stays, not done).
    // The service's answer (the id) is logged after the call: wait for it.
    let id_of = |pick: &dyn Fn(&Notification) -> bool| -> Option<u32> {
        app.notifications()
            .into_iter()
            .find(|n| pick(n))
            .and_then(|n| n.id)
    };
    let deadline = Instant::now() + PATIENCE;
    let update_id = loop {
        if let Some(id) = id_of(&overdue) {
            break id;
        }
        assert!(
            Instant::now() < deadline,
            "the service never gave the pop-up an id"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    app.click("[data-testid='cadence-line'][data-rule='internal-hourly-update'] [data-action='post-update']")
        .await;
    app.fill(
        "[data-testid='update-text']",
        "Oracle feed stale; borrowing paused while we confirm.",
    )
    .await;
    app.click("[data-testid='update-submit']").await;
    let deadline = Instant::now() + PATIENCE;
    while !app.desktop.withdrawn().contains(&update_id) {
        assert!(
            Instant::now() < deadline,
            "the update's pop-up ({update_id}) was never withdrawn: {:?}",
            app.desktop.withdrawn()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let escalation_id =
        id_of(&|n: &Notification| n.summary.contains("notify") && n.summary.contains(id.as_str()))
            .expect("the escalation's id");
    assert!(
        !app.desktop.withdrawn().contains(&escalation_id),
        "nobody was notified yet: the escalation stays"
    );

    let report = format!(
        "declaration → escalation pop-up: {:.1} ms\nupdate due → pop-up: {:.1} ms\n",
        escalation_latency * 1e3,
        latency * 1e3
    );
    eprint!("{report}");
    let _ = std::fs::write(shots_dir().join("notification-latency.txt"), report);
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn without_a_notification_service_alerts_stay_in_the_window_and_settings_says_why() {
    let app = App::start_with(&[], false, |_| {}).await;
    app.find("[data-section='overview']").await;
    let id = declare_oracle_failure(&app).await;

    app.find("[data-testid='alert-card']").await;
    let cards = app.texts("[data-testid='alert-card']").await;
    assert!(
        cards
            .iter()
            .any(|c| c.contains(&format!("{id} Oracle failure: notify"))),
        "the escalation shows in the window: {cards:#?}"
    );
    // The reminders are kept as shown in the window, saying why.
    let events = open_store(&app).events(&id).unwrap();
    let undelivered: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::ReminderSent {
                delivered: false,
                detail,
                ..
            } => Some(detail.as_str()),
            _ => None,
        })
        .collect();
    assert!(!undelivered.is_empty(), "{events:#?}");
    assert!(
        undelivered.iter().all(|d| !d.trim().is_empty()),
        "each says why: {undelivered:?}"
    );
    app.screenshot("incident-alert-in-window").await;

    app.go("#/settings").await;
    let settings = app.find("[data-section='settings']").await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = settings.text().await.unwrap_or_default();
        if text.contains("No notification service") {
            break;
        }
        assert!(Instant::now() < deadline, "settings say: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.screenshot("settings-no-notifications").await;

    // The scheduler made today's backup; another is made on demand.
    app.find("[data-testid='backup'][data-kind='daily']").await;
    app.click("[data-action='backup-now']").await;
    app.find("[data-testid='backup'][data-kind='manual']").await;
    app.client
        .execute(
            "document.querySelector(\"[data-testid='backups']\").scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    app.screenshot("settings-backups").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_second_launch_and_a_script_talk_to_the_running_app() {
    let app = App::start(&[]).await;
    app.find("[data-section='overview']").await;
    app.go("#/incidents").await;
    app.find("[data-testid='incidents-empty']").await;

    // A second launch on the same data folder hands over and exits.
    let second = app.muster(&[]);
    let said = String::from_utf8_lossy(&second.stdout).into_owned()
        + &String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{said}");
    assert!(said.contains("already running"), "{said}");

    // A monitor declares an incident from the command line: the running app
    // shows it and raises its escalation.
    let declared = app.muster(&[
        "incident",
        "declare",
        "--issue",
        "oracle-failure",
        "--severity",
        "S1",
    ]);
    let out = String::from_utf8_lossy(&declared.stdout).into_owned();
    assert!(
        declared.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&declared.stderr)
    );
    let id = out.lines().next().unwrap_or_default().trim().to_owned();
    assert!(id.starts_with("INC-"), "{out}");
    app.find(&format!(
        "[data-testid='incident-link'][href='#/incidents/{id}']"
    ))
    .await;
    wait_for_notification(&app, "the declared incident", PATIENCE, |n| {
        n.summary.contains(&id) && n.urgency == Some(2)
    })
    .await;
    app.screenshot("incident-declared-by-script").await;
    app.close().await;
}

/// Waits until the console says the incident is in `phase`.
async fn wait_for_phase(app: &App, phase: &str) {
    app.find(&format!(
        "[data-testid='incident-console'][data-phase='{phase}']"
    ))
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_console_runs_an_incident_from_detection_to_closed_and_the_record_verifies() {
    let links = LinkRecorder::new();
    let app = App::start(&[("PATH", &links.path_env())]).await;
    app.find("[data-section='overview']").await;

    // First launch: who this laptop's person is, chosen from the plan's people.
    app.click("[data-testid='identity-pick'] option[value='Ada Example']")
        .await;
    app.click("[data-testid='identity-save']").await;
    app.wait_for_count("[data-testid='identity-banner']", 0)
        .await;
    // Settings: overdue updates come back every 30 minutes on this laptop.
    app.go("#/settings").await;
    app.fill("#reminder-every", "30").await;
    app.click("[data-testid='reminder-every'] button[type='submit']")
        .await;
    app.wait_for_text(
        "[data-testid='reminder-every'] [role='status']",
        "Saved: an overdue update comes back every 30 minutes.",
    )
    .await;
    assert_eq!(open_store(&app).overdue_reminder().unwrap(), 30);

    let id = declare_oracle_failure(&app).await;
    let declared = open_store(&app).events(&id).unwrap();
    assert_eq!(
        declared[0].author, "Ada Example",
        "the declaration is recorded under the name chosen at first launch"
    );

    // Whom to tell: the first person is marked notified, with who and when.
    app.find("[data-testid='escalation-pending']").await;
    app.click("[data-testid='recipient'] [data-testid='mark-notified']")
        .await;
    app.find("[data-testid='recipient'] [data-testid='notified']")
        .await;

    // The procedure's first step is done.
    app.click("[data-testid='step'] [data-action='step-done']")
        .await;
    app.find("[data-testid='step'][data-status='done']").await;

    // An internal update restarts that audience's clock.
    app.click("[data-testid='cadence-line'][data-rule='internal-hourly-update'] [data-action='post-update']")
        .await;
    app.fill(
        "[data-testid='update-text']",
        "Oracle feed stale since 02:40; borrowing paused while we confirm.",
    )
    .await;
    // The update is copied for the channel, and the channel opens outside the app.
    app.click("[data-action='copy-update']").await;
    app.wait_for_text_containing("[data-testid='toast']", "Copied the update")
        .await;
    let pasted = app
        .desktop
        .command("xclip")
        .args(["-selection", "clipboard", "-o"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&pasted.stdout),
        "Oracle feed stale since 02:40; borrowing paused while we confirm."
    );
    app.fill(
        "[data-testid='update-channel']",
        "#incident-room https://chat.example.com/c/incident-room",
    )
    .await;
    app.click("[data-testid='channel-link']").await;
    links
        .wait_for("https://chat.example.com/c/incident-room")
        .await;
    app.click("[data-testid='update-submit']").await;
    app.find(
        "[data-testid='cadence-line'][data-rule='internal-hourly-update'][data-state='onTrack']",
    )
    .await;
    app.screenshot("incident-console").await;

    // Ctrl+Q with the incident open asks first: its reminders would stop.
    // Keep running keeps the app, on the same page.
    app.chord(CONTROL, "q").await;
    app.wait_for_text(
        "[data-testid='confirm'] h2",
        "Quit Muster while an incident is open?",
    )
    .await;
    app.screenshot("quit-with-an-open-incident").await;
    app.click("[data-testid='confirm'] [data-action='dismiss']")
        .await;
    app.wait_for_count("[data-testid='confirm']", 0).await;
    app.find("[data-testid='incident-console']").await;

    // The checklist asks for the contract pause: requested, and chased from
    // its card by mail to an approver still needed.
    app.click(
        "[data-testid='step-decision'][data-policy='pause-contract'] [data-testid='request-decision']",
    )
    .await;
    app.fill(
        "[data-testid='decision-statement']",
        "Pause borrowing on the Vault markets",
    )
    .await;
    app.click("[data-testid='decision-submit']").await;
    app.go("#/decisions-log").await;
    let pending = "[data-testid='decision-card'][data-state='pending']";
    app.click(&format!(
        "{pending} [data-testid='reach-approver'] [data-action='email']"
    ))
    .await;
    let mail = links.wait_for("mailto:").await;
    assert!(mail.contains("?subject="), "{mail}");
    app.go(&format!("#/incidents/{id}")).await;
    app.find("[data-testid='incident-console']").await;

    // Straight to resolved: the post-mortem drafts appear, prefilled.
    app.click("[data-testid='phase-next']").await;
    app.click("[data-testid='transition-to'] option[value='resolved']")
        .await;
    app.click("[data-testid='transition-submit']").await;
    wait_for_phase(&app, "resolved").await;
    let draft = app
        .find("[data-testid='pm-text']")
        .await
        .prop("value")
        .await
        .unwrap_or_default()
        .unwrap_or_default();
    assert!(
        draft.contains("Oracle failure") && draft.contains("Oracle feed stale"),
        "the draft is prefilled from the timeline: {draft}"
    );
    app.screenshot("incident-post-mortem").await;
    // The draft as it will read: rendered Markdown, then back to writing.
    app.click("[data-action='pm-preview']").await;
    // (The Markdown renderer is loaded on first use: wait for its output.)
    app.find("[data-testid='pm-preview'] h1").await;
    let shown = app
        .texts("[data-testid='pm-preview'] h1, [data-testid='pm-preview'] h2")
        .await;
    assert!(
        shown.iter().any(|h| h.contains("Oracle failure")),
        "the preview renders the draft's headings: {shown:?}"
    );
    app.scroll_to("[data-testid='post-mortems']", "start").await;
    app.screenshot("incident-post-mortem-preview").await;
    app.click("[data-action='pm-write']").await;

    // Text typed into the post-mortem is not lost by leaving the page: the
    // sidebar asks first, and Stay keeps the page and the text.
    let added = " Root cause: the feed's heartbeat alarm was muted.";
    app.find("[data-testid='pm-text']")
        .await
        .send_keys(added)
        .await
        .unwrap();
    app.click("[data-nav='incidents']").await;
    app.find("[data-testid='confirm']").await;
    app.screenshot("leave-unsaved-post-mortem").await;
    app.click("[data-testid='confirm'] [data-action='dismiss']")
        .await;
    app.wait_for_count("[data-testid='confirm']", 0).await;
    let kept = app
        .find("[data-testid='pm-text']")
        .await
        .prop("value")
        .await
        .unwrap_or_default()
        .unwrap_or_default();
    assert!(
        kept.ends_with(added),
        "the typed text is still there: {kept}"
    );
    app.click("[data-testid='pm-publish']").await;
    app.click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let status = app.texts("[data-testid='pm-status']").await.join(" ");
        if status.contains("Published") {
            break;
        }
        assert!(Instant::now() < deadline, "post-mortem status: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Closed, after asking, which says the pending pause closes unapproved.
    app.click("[data-testid='phase-next']").await;
    app.wait_for_text_containing(
        "[data-testid='confirm']",
        "Closing closes it unapproved, on the record.",
    )
    .await;
    app.click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    wait_for_phase(&app, "closed").await;

    // Every step is in the timeline, and the chain verifies.
    let entries = app.texts("[data-testid='timeline-entry']").await;
    for expected in [
        "declared",
        "notified",
        "update to internal",
        "→ resolved",
        "post-mortem published",
        "→ closed",
        "closed with its incident without approval",
    ] {
        assert!(
            entries.iter().any(|e| e.to_lowercase().contains(expected)),
            "no timeline entry says {expected:?}: {entries:#?}"
        );
    }
    let verified = app.muster(&["incident", "verify", id.as_str()]);
    let said = String::from_utf8_lossy(&verified.stdout).into_owned();
    assert!(verified.status.success(), "{said}");
    assert!(said.contains("chain intact"), "{said}");
    app.go("#/decisions-log").await;
    app.wait_for_text(
        "[data-testid='decision-card'][data-state='closed'] [data-testid='decision-state']",
        "Closed unapproved",
    )
    .await;
    app.screenshot("decision-closed-with-its-incident").await;
    app.close().await;
}

/// A long incident (a flood of alerts, a day of notes): its console opens
/// on the newest events, says how many there are, and brings the earlier
/// ones a page at a time.
#[tokio::test(flavor = "current_thread")]
async fn a_long_incident_opens_on_its_newest_events_and_shows_earlier_ones_when_asked() {
    const EVENTS: u32 = 650;
    let app = App::start_prepared(&[], |dir| {
        let mut store = Store::open_in(dir, &SystemClock).unwrap();
        let declaration = muster_core::incident::Declaration {
            issue: Some(muster_core::plan::id("oracle-failure")),
            category: None,
            title: None,
            severity: muster_core::plan::Severity::S2,
            exercise: false,
            description: "The ETH feed keeps going stale".to_owned(),
            lead: None,
            scribe: None,
            communications: None,
        };
        let id = store
            .declare_incident(&declaration, &SystemClock)
            .unwrap()
            .id;
        for n in 2..=EVENTS {
            let note = muster_core::incident::IncidentAction::AddNote {
                text: format!("Alert {n}: the feed is still stale"),
            };
            store.act_on_incident(&id, &note, &SystemClock).unwrap();
        }
    })
    .await;
    app.go("#/incidents/INC-1").await;
    app.wait_for_count("[data-testid='timeline-entry']", 300)
        .await;
    app.wait_for_text_containing("[data-testid='timeline-count']", "the newest 300 shown")
        .await;
    // The 650 written, and the reminders the app raised for the escalation
    // since it started.
    let said = app.texts("[data-testid='timeline-count']").await.join("");
    let total: usize = said
        .split(" events")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {said:?}"));
    assert!(total >= EVENTS as usize, "{said}");
    assert_eq!(
        app.texts("[data-seq='650'] .text").await,
        ["Note: Alert 650: the feed is still stale"]
    );
    assert!(app.texts("[data-seq='300'] .text").await.is_empty());
    app.scroll_to("[data-action='timeline-earlier']", "center")
        .await;
    app.screenshot("long-incident-earlier").await;
    let mut shown = 300;
    while !app
        .texts("[data-action='timeline-earlier']")
        .await
        .is_empty()
    {
        app.wait_for_text_containing("[data-action='timeline-earlier']", "earlier events")
            .await;
        app.click("[data-action='timeline-earlier']").await;
        shown = (shown + 300).min(total);
        app.wait_for_count("[data-testid='timeline-entry']", shown)
            .await;
    }
    // All of it, newest first, down to the declaration.
    assert_eq!(shown, total);
    assert!(app.texts("[data-seq='1'] .text").await[0].starts_with("Declared"));
    // A note added now comes on top; what was brought stays.
    app.fill("[data-testid='note-input']", "Feed back after the failover")
        .await;
    app.click("[data-testid='add-note']").await;
    app.wait_for_text(
        "[data-testid='timeline-entry']:first-child .text",
        "Note: Feed back after the failover",
    )
    .await;
    assert!(app.texts("[data-seq='1'] .text").await[0].starts_with("Declared"));
    app.screenshot("long-incident").await;
    app.close().await;
}
