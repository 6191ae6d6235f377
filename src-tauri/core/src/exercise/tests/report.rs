//! The after-action report, in Markdown and HTML: sections in order, names
//! from the plan, user text escaped, the EXERCISE mark, attachments, and the
//! same output for the same input.

use chrono::{DateTime, Utc};

use super::fixture::*;
use crate::exercise::model::*;
use crate::exercise::readback::read_back;
use crate::exercise::report::{html, markdown, ATTACHMENTS_DIR};
use crate::plan::Plan;

fn now() -> DateTime<Utc> {
    utc("2026-04-10T12:00:00Z")
}

fn plan() -> Plan {
    crate::starter::plan(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default())
}

/// EX-1, ended, with user text full of characters that mean something in
/// Markdown and HTML, one scenario run, a rating, two findings, three
/// attachments and notes.
fn view() -> ExerciseView {
    let mut x = exercise(1, date(2026, 3, 2), ExerciseStatus::Ended);
    x.setup.title = "Oracle | drill <b>&</b>".to_owned();
    x.setup.scope = "Pool *and* feed | not the app".to_owned();
    let r = run(
        "2026-03-02T10:00:00Z",
        Some("2026-03-02T10:40:00Z"),
        &[
            (
                "2026-03-02T10:02:00Z",
                LogKind::Said,
                "Check | the feed",
                Some("exp-1"),
            ),
            (
                "2026-03-02T10:05:00Z",
                LogKind::Did,
                "Called <Ada>",
                Some("exp-2"),
            ),
            ("2026-03-02T10:06:00Z", LogKind::Did, "Tweeted", None),
        ],
    );
    let mut t = exercise_timeline("2026-03-02T10:00:00Z");
    t.push(
        "2026-03-02T10:03:00Z",
        "Ben",
        notified("ada-example", "Ada Example"),
    )
    .push(
        "2026-03-02T10:04:30Z",
        "Ben",
        notified("dara-mock", "Dara Mock"),
    );
    let read_backs = vec![read_back(&x.setup.scenarios[0], &r, &t.events, now())];
    x.runs.push(r);
    x.ratings.push(ObjectiveRating {
        objective: "obj-1".to_owned(),
        rating: Rating::S,
        observations: "Slow | late".to_owned(),
        strengths: "Quick first call\n- not a list".to_owned(),
        areas_for_improvement: "Phone list <outdated>".to_owned(),
        rated_at: utc("2026-03-02T11:00:00Z"),
        rated_by: "Ada Example".to_owned(),
    });
    let mut open = finding(1, date(2026, 4, 1), None);
    open.issue = "Ben's phone | wrong".to_owned();
    x.findings.push(open);
    x.findings.push(finding(
        2,
        date(2026, 5, 1),
        Some(utc("2026-03-05T09:00:00Z")),
    ));
    let attach = |number, kind, label: &str, target: &str| Attachment {
        number,
        kind,
        label: label.to_owned(),
        target: target.to_owned(),
        added_at: utc("2026-03-02T12:00:00Z"),
    };
    x.attachments = vec![
        attach(
            1,
            AttachmentKind::Link,
            "Recording",
            "https://example.com/v?a=1&b=2",
        ),
        attach(
            2,
            AttachmentKind::File,
            "Whiteboard [photo]",
            "white board.jpg",
        ),
        attach(3, AttachmentKind::Link, "Bad", "javascript:alert(1)"),
    ];
    x.notes = "Went well.\n\n<script>alert(1)</script>".to_owned();
    ExerciseView {
        exercise: x,
        read_backs,
        phases: Vec::new(),
        now: now(),
    }
}

/// `parts` all occur in `text`, in this order.
fn in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        match text[from..].find(part) {
            Some(at) => from += at + part.len(),
            None => panic!("{part:?} missing (or out of order) in:\n{text}"),
        }
    }
}

#[test]
fn the_markdown_report_has_every_section_in_order() {
    let md = markdown(&plan(), &view(), now());
    assert!(
        md.starts_with("# After-action report: Oracle \\| drill \\<b\\>\\&\\</b\\>\n"),
        "{md}"
    );
    in_order(
        &md,
        &[
            "> **EXERCISE** — This was an exercise; nothing here happened for real.",
            "\n## Overview\n",
            "\n## Ratings by objective\n",
            "\n## Strengths\n",
            "\n## Areas for improvement\n",
            "\n## Improvement plan\n",
            "\n## Read-back: Oracle drill\n",
            "\n## Recordings and notes\n",
        ],
    );
    // Overview: names from the plan.
    in_order(
        &md,
        &[
            "- **Name:** Oracle \\| drill",
            "- **Date:** 2026-03-02",
            "- **Scope:** Pool \\*and\\* feed \\| not the app",
            "- **Moderator:** Ada Example",
            "- **Participants:** Ben Sample, Dara Mock",
            "### Objectives\n\n1. Escalate a stale-price alert\n2. Pause the pool with a quorum",
            "### Scenarios\n\n1. **Oracle drill** — rehearses ",
            "; run as INC-3 from 2026-03-02 10:00:00 UTC to 2026-03-02 10:40:00 UTC",
        ],
    );
    // Ratings: pipes escaped inside the table.
    in_order(
        &md,
        &[
            "| Objective | Rating | Observations |",
            "| Escalate a stale-price alert | **S** — Performed with some challenges | Slow \\| late |",
            "| Pause the pool with a quorum | Not rated | — |",
        ],
    );
    // What the ratings said, under each objective, unable to open blocks.
    in_order(
        &md,
        &[
            "## Strengths\n\n### Escalate a stale-price alert\n\nQuick first call\\\n\\- not a list",
            "## Areas for improvement\n\n### Escalate a stale-price alert\n\nPhone list \\<outdated\\>",
        ],
    );
    in_order(
        &md,
        &[
            "| Issue | Corrective action | Owner | Due | Status |",
            "| **IMP-1** Ben's phone \\| wrong<br>Scenario: Oracle drill<br>Concerns the core member Ben Sample | Fix 1 | Ben Sample | 2026-04-01 | Open, overdue |",
            "| **IMP-2** Problem 2<br>Scenario: Oracle drill<br>Concerns the core member Ben Sample | Fix 2 | Ben Sample | 2026-05-01 | Done 2026-03-05 |",
        ],
    );
    in_order(
        &md,
        &[
            "Exercise incident INC-3, started 2026-03-02 10:00:00 UTC, ended 2026-03-02 10:40:00 UTC. Missed: 1 · Out of order: 0 · Extra: 1",
            "| # | Expected action | Status | Taken at |",
            "| 1 | Confirm the feed is stale | Done | +02:00 |",
            "| 3 | Pause the lending pool | Missed | — |",
            "| At | Step | Kind | Counts as | Status |",
            "| +02:00 | Check \\| the feed | Said | \\#1 | In order |",
            "| +05:00 | Called \\<Ada\\> | Did | \\#2 | In order |",
            "| +06:00 | Tweeted | Did | — | Extra |",
            "| Detection → escalation | 4 min 30 s |",
            "| Detection → resolved | not reached |",
            "| Target | Measure | Within | Measured | Met |",
            "| Detection → escalation in time | Detection → escalation | 15 min | 4 min 30 s | Met |",
            "| Detection → action in time | Detection → action | 30 min | not reached | Not met |",
        ],
    );
    in_order(
        &md,
        &[
            "- [Recording](https://example.com/v?a=1&b=2)",
            "- [Whiteboard \\[photo\\]](attachments/white%20board.jpg) (file white board.jpg)",
            "- Bad (javascript:alert(1))",
            "### Notes\n\nWent well.\n\n\\<script\\>alert(1)\\</script\\>\n",
        ],
    );
    assert!(!md.contains("](javascript"));
    assert!(md.ends_with("\\</script\\>\n"));
    assert_eq!(ATTACHMENTS_DIR, "attachments");
}

#[test]
fn the_html_report_is_self_contained_escaped_and_printable() {
    let page = html(&plan(), &view(), now());
    assert!(
        page.starts_with("<!doctype html>\n<html lang=\"en\">"),
        "{page}"
    );
    assert_eq!(page.matches("<style>").count(), 1);
    assert!(page.contains("@media print {"));
    assert!(page.contains("@page { size: A4;"));
    assert!(!page.to_lowercase().contains("<script"), "{page}");
    assert!(!page.contains("style=\""));
    assert!(!page.contains("javascript:alert(1)\""));
    assert!(!page.contains("<b>"));
    in_order(
        &page,
        &[
            "<title>After-action report: Oracle | drill &lt;b&gt;&amp;&lt;/b&gt; (EXERCISE)</title>",
            "<p class=\"exercise-mark\"><strong>EXERCISE</strong> — This was an exercise; nothing here happened for real.</p>",
            "<h1>After-action report: Oracle | drill &lt;b&gt;&amp;&lt;/b&gt;</h1>",
            "<h2>Overview</h2>",
            "<li><strong>Moderator:</strong> Ada Example</li>",
            "<li><strong>Participants:</strong> Ben Sample, Dara Mock</li>",
            "<h2>Ratings by objective</h2>",
            "<td>Slow | late</td>",
            "<h2>Strengths</h2>",
            "<p>Quick first call<br>- not a list</p>",
            "<h2>Areas for improvement</h2>",
            "<p>Phone list &lt;outdated&gt;</p>",
            "<h2>Improvement plan</h2>",
            "<th>Issue</th><th>Corrective action</th><th>Owner</th><th>Due</th><th>Status</th>",
            "<td><strong>IMP-1</strong> Ben&#39;s phone | wrong<br>Scenario: Oracle drill<br>Concerns the core member Ben Sample</td><td>Fix 1</td><td>Ben Sample</td>",
            "<h2>Read-back: Oracle drill</h2>",
            "<td>Called &lt;Ada&gt;</td>",
            "<h2>Recordings and notes</h2>",
            "<a href=\"https://example.com/v?a=1&amp;b=2\">Recording</a>",
            "<a href=\"attachments/white%20board.jpg\">Whiteboard [photo]</a>",
            "<li>Bad (javascript:alert(1))</li>",
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
            "</body>\n</html>\n",
        ],
    );
}

#[test]
fn equal_input_gives_the_same_report() {
    let (plan, view) = (plan(), view());
    assert_eq!(markdown(&plan, &view, now()), markdown(&plan, &view, now()));
    assert_eq!(html(&plan, &view, now()), html(&plan, &view, now()));
}

#[test]
fn an_empty_exercise_still_has_every_section() {
    let plan = plan();
    let mut x = exercise(2, date(2026, 3, 2), ExerciseStatus::Planned);
    x.setup.participants = vec![crate::plan::id("gone")];
    x.setup.scenarios[0].issue = None;
    x.setup.scenarios[0].category = Some(crate::plan::id("hacker-attack"));
    let view = ExerciseView {
        exercise: x,
        read_backs: Vec::new(),
        phases: Vec::new(),
        now: now(),
    };
    let md = markdown(&plan, &view, now());
    in_order(
        &md,
        &[
            "- **Participants:** gone (not in the plan)",
            "1. **Oracle drill** — written fresh, in Hacker attack; not run",
            "## Ratings by objective",
            "## Strengths\n\nNone recorded.",
            "## Areas for improvement\n\nNone recorded.",
            "## Improvement plan\n\nNo findings.",
            "## Recordings and notes\n\nNo recordings or files are attached.",
            "### Notes\n\nNo notes.\n",
        ],
    );
    assert!(!md.contains("## Read-back"));
    let page = html(&plan, &view, now());
    assert!(page.contains("<h2>Recordings and notes</h2>"));
}
