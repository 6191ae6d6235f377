//! Store tests of updates out: a target is this laptop's setting with no
//! secret in it; the plan check suggests one for each rule without; a send
//! is recorded on the timeline.

use super::*;
use crate::incident::model::{Declaration, EventBody};
use crate::ops::send::TargetKind;
use crate::plan::check::GapKind;
use crate::plan::{id, Severity};
use crate::testing::at;

fn ok<T>(result: Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_target_is_set_listed_removed_and_suggested_where_missing() {
    let dir = crate::testing::temp();
    let mut store = ok(Store::open_in(dir.path(), &at("2026-03-01T09:30:00Z")));
    let now = at("2026-03-01T10:00:00Z").0;
    let suggested = |store: &mut Store| -> Vec<String> {
        ok(store.plan_check(now))
            .into_iter()
            .filter(|g| g.kind == GapKind::UpdateTargetMissing)
            .map(|g| g.element)
            .collect()
    };
    let rules = ok(store.plan()).communications.len();
    assert_eq!(suggested(&mut store).len(), rules);
    let rule = id("internal-hourly-update");
    ok(store.set_update_target(
        &rule,
        Some((TargetKind::Slack, "hooks.slack.com".to_owned())),
    ));
    let targets = ok(store.update_targets());
    assert_eq!(targets.len(), 1);
    assert_eq!(
        (targets[0].kind, targets[0].shown.as_str()),
        (TargetKind::Slack, "hooks.slack.com")
    );
    assert_eq!(suggested(&mut store).len(), rules - 1);
    assert!(!suggested(&mut store).contains(&rule.to_string()));
    let unknown = store.set_update_target(
        &id("no-such-rule"),
        Some((TargetKind::Json, "x".to_owned())),
    );
    assert!(matches!(unknown, Err(Error::Refused(_))), "{unknown:?}");
    ok(store.set_update_target(&rule, None));
    assert!(ok(store.update_targets()).is_empty());
}

#[test]
fn a_send_is_recorded_with_where_but_no_secret() {
    let dir = crate::testing::temp();
    let mut store = ok(Store::open_in(dir.path(), &at("2026-03-01T09:30:00Z")));
    let incident = ok(store.declare_incident(
        &Declaration {
            issue: Some(id("oracle-failure")),
            category: None,
            title: None,
            severity: Severity::S1,
            exercise: false,
            description: String::new(),
            lead: None,
            scribe: None,
            communications: None,
        },
        &at("2026-03-01T10:00:00Z"),
    ))
    .id;
    let rule = id("internal-hourly-update");
    ok(store.set_update_target(
        &rule,
        Some((
            TargetKind::Matrix,
            "matrix.example.org, room !r:example.org".to_owned(),
        )),
    ));
    let target = ok(store.update_targets()).remove(0);
    ok(store.record_update_sent(
        &incident,
        &target,
        false,
        "HTTP 403 Forbidden",
        &at("2026-03-01T10:05:00Z"),
    ));
    let events = ok(store.events(&incident));
    let last = events.last().map(crate::incident::timeline::describe);
    assert_eq!(
        last.as_ref().map(|e| (e.kind.as_str(), e.text.as_str(), e.detail.as_str())),
        Some((
            "updateSent",
            "Update for internal-hourly-update NOT sent to Matrix (matrix.example.org, room !r:example.org)",
            "HTTP 403 Forbidden"
        ))
    );
    assert!(matches!(
        events.last().map(|e| &e.body),
        Some(EventBody::UpdateSent { ok: false, .. })
    ));
}
