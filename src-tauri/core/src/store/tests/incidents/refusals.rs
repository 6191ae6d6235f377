//! Store tests of refusals: each action that makes no sense is refused with
//! what is wrong and what to do, and leaves the timeline exactly as it was.

use super::*;

#[test]
fn every_refusal_says_why_and_leaves_the_timeline_unchanged() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = open(dir.path());
    ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T10:00:00Z")));
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T10:05:00Z",
        transition(Phase::Mitigated, ""),
    );
    let notify = |contact: &str| IncidentAction::MarkNotified {
        contact: id(contact),
        channel: "phone".to_owned(),
    };
    let step = |procedure: &str, step: &str| IncidentAction::MarkStep {
        procedure: id(procedure),
        step: id(step),
        status: StepStatus::Done,
        note: String::new(),
    };
    let update = |rule: Option<&str>, audience, text: &str| IncidentAction::PostUpdate {
        rule: rule.map(id),
        audience,
        channel: if rule.is_some() {
            String::new()
        } else {
            "Slack".to_owned()
        },
        text: text.to_owned(),
    };
    let waive = |rule: &str, reason: &str| IncidentAction::WaiveCommunication {
        rule: id(rule),
        reason: reason.to_owned(),
    };
    let cases: Vec<(IncidentAction, &str)> = vec![
        (
            transition(Phase::Validated, ""),
            "INC-1 is already mitigated: a transition only moves forward (to go back from resolved or closed, reopen it)",
        ),
        (
            transition(Phase::Mitigated, ""),
            "INC-1 is already mitigated: a transition only moves forward (to go back from resolved or closed, reopen it)",
        ),
        (
            transition(Phase::Closed, ""),
            "INC-1 is not resolved yet (mitigated): resolve it before closing it",
        ),
        (
            IncidentAction::Reopen { reason: "again".to_owned() },
            "INC-1 is still open (mitigated): only a resolved or closed incident can be reopened",
        ),
        (
            step("handle-oracle-failure", "dance"),
            "the procedure `handle-oracle-failure` of INC-1 has no step `dance`: its steps are confirm-bad-price, pause-affected-markets, switch-to-fallback-feed, check-bad-debt, resume-markets",
        ),
        (
            step("contain-exploit", "pause-pool"),
            "INC-1 does not follow the procedure `contain-exploit`: its procedures are patch-and-upgrade, recover-and-reimburse, handle-oracle-failure",
        ),
        (
            notify("chloe-demo"),
            "no escalation to Chloe Demo is pending on INC-1: there is nobody to mark as notified",
        ),
        (
            update(None, Audience::Internal, "  "),
            "an update needs its text: write what you told the internal audience",
        ),
        (
            IncidentAction::PostUpdate {
                rule: None,
                audience: Audience::Internal,
                channel: " ".to_owned(),
                text: String::new(),
            },
            "the update has 2 problems: an update needs its text: write what you told the internal audience; say where the update was posted (a channel, a page, a list)",
        ),
        (
            IncidentAction::PostUpdate {
                rule: Some(id("user-updates")),
                audience: Audience::Internal,
                channel: String::new(),
                text: String::new(),
            },
            "the update has 2 problems: an update needs its text: write what you told the internal audience; the communication rule `user-updates` is for users, not internal: post it to that audience or choose another rule",
        ),
        (
            waive("internal-hourly-update", ""),
            "the waiver has 2 problems: the communication rule `internal-hourly-update` is not optional, so it cannot be waived on INC-1: post the internal it asks for; waiving `internal-hourly-update` needs a reason: say why it is not needed for INC-1",
        ),
        (
            update(Some("no-such-rule"), Audience::Internal, "x"),
            "no communication rule has the id `no-such-rule`",
        ),
        (
            update(Some("user-updates"), Audience::Internal, "x"),
            "the communication rule `user-updates` is for users, not internal: post it to that audience or choose another rule",
        ),
        (
            waive("internal-hourly-update", "busy"),
            "the communication rule `internal-hourly-update` is not optional, so it cannot be waived on INC-1: post the internal it asks for",
        ),
        (
            waive("public-post-mortem", " "),
            "waiving `public-post-mortem` needs a reason: say why it is not needed for INC-1",
        ),
        (
            IncidentAction::AddNote { text: "\n ".to_owned() },
            "a note needs some text",
        ),
        (
            IncidentAction::SetSeverity { severity: Severity::S1, note: String::new() },
            "INC-1 is already S1 (critical): choose another severity",
        ),
        (
            IncidentAction::AssignRole { role: Role::Lead, contact: id("ghost") },
            "no contact in the core or extended team has the id `ghost`",
        ),
        (
            IncidentAction::AssignRole { role: Role::Lead, contact: id("ada-example") },
            "Ada Example is already the incident lead of INC-1",
        ),
        (
            IncidentAction::PublishPostMortem { audience: Audience::InternalPostMortem, text: "x".to_owned() },
            "INC-1 is not resolved (mitigated): post-mortems are published after resolution",
        ),
    ];
    let before = chain_state(&store, &inc(1));
    for (action, message) in &cases {
        let got = store.act_on_incident(&inc(1), action, &at("2026-03-02T11:00:00Z"));
        assert_eq!(
            got.err().map(|e| e.to_string()).as_deref(),
            Some(*message),
            "{action:?}"
        );
        assert_eq!(
            chain_state(&store, &inc(1)),
            before,
            "{action:?} changed the timeline"
        );
    }
    // Every mistake of a form's input is located at its field, for the dialog.
    let got = store.act_on_incident(
        &inc(1),
        &IncidentAction::PostUpdate {
            rule: None,
            audience: Audience::Internal,
            channel: String::new(),
            text: " ".to_owned(),
        },
        &at("2026-03-02T11:00:00Z"),
    );
    let Err(Error::Invalid { what, problems }) = got else {
        panic!("expected located problems, got {got:?}");
    };
    let fields: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.location.section, p.location.field))
        .collect();
    assert_eq!(
        (what, fields),
        ("update", vec![("update", "text"), ("update", "channel")])
    );
    // A rule for other categories does not apply; an unknown incident is not found.
    ok(store.declare_incident(&declaration("gas-price-spike"), &at("2026-03-02T10:00:00Z")));
    let got = store.act_on_incident(
        &inc(2),
        &update(Some("app-banner"), Audience::Users, "x"),
        &at("2026-03-02T11:00:00Z"),
    );
    assert_eq!(
        got.err().map(|e| e.to_string()),
        Some("the communication rule `app-banner` does not apply to INC-2: it covers hacker-attack, protocol-problem, and INC-2 is a `network-problem` incident".to_owned())
    );
    let got = store.act_on_incident(
        &inc(9),
        &IncidentAction::AddNote {
            text: "x".to_owned(),
        },
        &at("2026-03-02T11:00:00Z"),
    );
    assert_eq!(
        got.err().map(|e| e.code()),
        Some(crate::ErrorCode::NotFound)
    );
    // Closing before resolving is refused; after resolving it is fine, and a
    // closed incident only reopens.
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T12:00:00Z",
        transition(Phase::Resolved, ""),
    );
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T12:01:00Z",
        transition(Phase::Closed, ""),
    );
    let got = store.act_on_incident(
        &inc(1),
        &IncidentAction::Reopen {
            reason: " ".to_owned(),
        },
        &at("2026-03-02T13:00:00Z"),
    );
    assert_eq!(
        got.err().map(|e| e.to_string()),
        Some("reopening INC-1 needs a reason: say why it is not over".to_owned())
    );
}
