//! The Markdown binder: the whole output for a tiny plan full of characters
//! that mean something in Markdown, and properties over the starter plan.

use super::*;
use crate::export::markdown::binder;
use crate::export::md_escape::esc;

#[test]
fn the_tiny_plan_binder_escapes_every_piece_of_user_text() {
    let expected = r#"# Tiny \| plan, v2; \<b\>\*bold\*\</b\>

**Tiny \& Co** · Emergency response plan

\# Not a heading\
\- not a list\
1\. not numbered

Second paragraph with \`code\`.

Printed 15 January 2026. Keep a printed copy where the team can reach it when laptops are down.

## Contents

1. [Potential issues](#1-potential-issues) (1)
2. [Response procedures](#2-response-procedures) (1)
3. [Escalation process](#3-escalation-process) (1)
4. [Core response team](#4-core-response-team) (1)
5. [Extended response team](#5-extended-response-team) (1)
6. [Communications process](#6-communications-process) (1)
7. [Decision process](#7-decision-process) (1)
8. [Exercise policy](#exercise-policy)
9. [Contact sheet](#contact-sheet)

## 1. Potential issues

### Net\_work (`network`)

Links \| routes

| Issue | Severity | Detection |
| --- | --- | --- |
| **RPC \*down\* \<script\>alert(1)\</script\>** (`rpc-down`)<br>Calls fail.<br>All of them. | S2 major | health check \| fails<br>_automated, \[uptime\](http://example.com)_ |

## 2. Response procedures

### Fail over

`fail-over` · Answers: RPC \*down\* \<script\>alert(1)\</script\>

1. **Switch provider \~now\~** (`switch`) — **needs decision:** Switch provider
   - How: Edit \`rpc.toml\`
   - How to test: A call works
   - Expected time: about 1 h 15 min

Decisions these steps may need:

- **Switch provider**: required Kim "KK" Lee, Jr.; 1 of: Zoë's ISP; Ltd\\

## 3. Escalation process

| Category | Core team told | Extended team told | Owners |
| --- | --- | --- | --- |
| Net\_work (`network`) | upon detection | not notified | Kim "KK" Lee, Jr. |

### On-call rotations

_No on-call rotations: every owner is reached directly._

## 4. Core response team

| Name | Role | Owns | Email | Chat | Phone | Last verified |
| --- | --- | --- | --- | --- | --- | --- |
| Kim "KK" Lee, Jr. (`kim`) | =Engineer | Net\_work | kim@example.com | @kim\|ops | +1 555 0100 | 2025-09-01 |

## 5. Extended response team

| Name | Role | Email | Chat | Phone | Last verified |
| --- | --- | --- | --- | --- | --- |
| Zoë's ISP; Ltd\\ (`isp`) | Provider<br>Upstream | — | xmpp:noc@isp.example | 0800 555 0199 | never |

## 6. Communications process

| Audience | Timing | Channel | Responsible | Applies to | Notes |
| --- | --- | --- | --- | --- | --- |
| Users (`status`)<br>_optional_ | every 4 hours | status page | Kim "KK" Lee, Jr. | all categories | — |

## 7. Decision process

| Decision | Required approvers (all) | Additional approvers |
| --- | --- | --- |
| **Switch provider** (`switch-provider`) | Kim "KK" Lee, Jr. | 1 of: Zoë's ISP; Ltd\\ |

## Exercise policy

Every 4 weeks while the plan is new (its first month), then every 12 months; sessions of 2 hours.

## Contact sheet

| Name | Team | Role | Email | Chat | Phone | Owns |
| --- | --- | --- | --- | --- | --- | --- |
| Kim "KK" Lee, Jr. | Core | =Engineer | kim@example.com | @kim\|ops | +1 555 0100 | Net\_work |
| Zoë's ISP; Ltd\\ | Extended | Provider<br>Upstream | — | xmpp:noc@isp.example | 0800 555 0199 | — |
"#;
    assert_eq!(binder(&tiny_plan(), day()), expected);
}

#[test]
fn every_id_and_title_of_the_starter_plan_is_in_the_binder() {
    let plan = starter_plan();
    let text = binder(&plan, day());
    let mut ids: Vec<&Id> = Vec::new();
    let mut titles: Vec<&str> = vec![&plan.meta.name];
    for c in &plan.categories {
        ids.push(&c.id);
        titles.push(&c.name);
    }
    for i in &plan.issues {
        ids.push(&i.id);
        titles.push(&i.title);
    }
    for p in &plan.procedures {
        ids.push(&p.id);
        titles.push(&p.title);
        for s in &p.steps {
            ids.push(&s.id);
            titles.push(&s.action);
        }
    }
    for m in &plan.core_team {
        ids.push(&m.id);
        titles.push(&m.name);
    }
    for c in &plan.extended_team {
        ids.push(&c.id);
        titles.push(&c.name);
    }
    for r in &plan.communications {
        ids.push(&r.id);
        titles.push(&r.channel);
    }
    for d in &plan.decisions {
        ids.push(&d.id);
        titles.push(&d.title);
    }
    for id in ids {
        assert!(text.contains(&format!("`{id}`")), "id {id} missing");
    }
    for title in titles {
        assert!(text.contains(&esc(title)), "{title:?} missing");
    }
    for heading in [
        "## 1. Potential issues",
        "## 7. Decision process",
        "### On-call rotations",
        "## Exercise policy",
        "## Contact sheet",
    ] {
        assert!(
            text.contains(&format!("\n{heading}\n")),
            "{heading} missing"
        );
    }
    assert!(text.contains("This is the starter plan"));
    assert_eq!(text, binder(&plan, day()), "not deterministic");
}

/// The cells of a table row: split at each `|` that is not escaped.
fn cells(row: &str) -> usize {
    let mut pipes: usize = 0;
    let mut chars = row.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => pipes += 1,
            _ => {}
        }
    }
    pipes.saturating_sub(1)
}

#[test]
fn table_rows_keep_their_cells_when_text_holds_pipes_and_line_breaks() {
    let mut plan = starter_plan();
    let mark = |s: &mut String| s.push_str(" a|b \\| c\n| d");
    mark(&mut plan.meta.name);
    plan.categories.iter_mut().for_each(|c| mark(&mut c.name));
    for i in &mut plan.issues {
        mark(&mut i.title);
        mark(&mut i.description);
        mark(&mut i.detection.signal);
        mark(&mut i.detection.source);
    }
    for m in &mut plan.core_team {
        mark(&mut m.name);
        mark(&mut m.role);
        m.reach.chat = Some("|".into());
    }
    for c in &mut plan.extended_team {
        mark(&mut c.name);
        mark(&mut c.role);
        c.reach.email = Some("x|y@example.com".into());
    }
    for r in &mut plan.communications {
        mark(&mut r.channel);
        mark(&mut r.notes);
    }
    for d in &mut plan.decisions {
        mark(&mut d.title);
        mark(&mut d.description);
    }
    for r in &mut plan.on_call {
        r.overrides.push(OnCallOverride {
            member: r.members[0].clone(),
            from: now(),
            until: now() + Duration::days(1),
            note: "swap | trade".into(),
        });
    }
    let text = binder(&plan, day());
    let mut tables = 0;
    let mut width = None;
    for line in text.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let n = cells(line);
        match width {
            None => {
                tables += 1;
                width = Some(n);
            }
            Some(w) => assert_eq!(n, w, "row has {n} cells, header {w}: {line}"),
        }
    }
    // Issues (one per category), escalation, on-call, two teams,
    // communications, decisions, contact sheet.
    assert_eq!(tables, plan.categories.len() + 7);
}

#[test]
fn user_text_never_becomes_html_or_a_block() {
    let text = binder(&tiny_plan(), day());
    let stripped = text.replace("<br>", "").replace("\\<", "");
    assert!(!stripped.contains('<'), "raw `<` in:\n{text}");
    for line in text.lines() {
        assert!(
            !line.starts_with("- not") && !line.starts_with("# Not") && !line.starts_with("1. not"),
            "user text opened a block: {line}"
        );
    }
}
