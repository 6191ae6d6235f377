//! End-to-end: the layout holds at the window's default size and at 900 px
//! wide. No page scrolls sideways, no word in a table, heading, button or
//! chip is broken in the middle, and scrolling past the end of a long page
//! never moves the window's own frame (which blanked it, sidebar included).

use std::time::Duration;

use serde_json::{json, Value};

use super::harness::App;
use super::incidents::declare_oracle_failure;

/// What is wrong with the page's layout, one line each: sideways overflow of
/// the page or a table, and words broken across lines.
const AUDIT: &str = r#"
const main = document.querySelector('main');
const problems = [];
const name = (el) => {
  const id = el.closest('[data-testid]');
  return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + (id ? ` in [data-testid=${id.dataset.testid}]` : '');
};
for (const el of [main, ...main.querySelectorAll('.table-wrap')]) {
  if (el.scrollWidth > el.clientWidth + 1) {
    problems.push(`sideways: ${name(el)} is ${el.scrollWidth} px wide in ${el.clientWidth}`);
  }
}
for (const el of main.querySelectorAll('td, th, .btn, .chip')) {
  if (!el.getClientRects().length || el.closest('.visually-hidden')) continue;
  if (el.scrollWidth > el.clientWidth + 1) {
    problems.push(`clipped: ${name(el)} needs ${el.scrollWidth} px and has ${el.clientWidth}`);
  }
}
const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
let node;
while ((node = walker.nextNode())) {
  const parent = node.parentElement;
  if (!parent || parent.closest('.visually-hidden, textarea, pre, code, .long')) continue;
  if (!parent.getClientRects().length) continue;
  const re = /[\p{L}\p{N}]+/gu;
  let m;
  while ((m = re.exec(node.data))) {
    // A word longer than a line may wrap; an ordinary one must not.
    if (m[0].length < 2 || m[0].length > 24) continue;
    const range = document.createRange();
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (lines.size > 1) problems.push(`broken word "${m[0]}" in ${name(parent)}`);
  }
}
return problems;
"#;

async fn audit(app: &App, what: &str) -> Vec<String> {
    let found = app
        .client
        .execute(AUDIT, vec![])
        .await
        .unwrap_or_else(|e| panic!("cannot audit {what}: {e}"));
    let problems: Vec<String> = serde_json::from_value(found).unwrap_or_default();
    problems
        .into_iter()
        .map(|p| format!("{what}: {p}"))
        .collect()
}

async fn set_size(app: &App, width: u32, height: u32) {
    app.client
        .set_window_size(width, height)
        .await
        .unwrap_or_else(|e| panic!("cannot resize the window to {width}×{height}: {e}"));
    // Wait until the page has the new size.
    for _ in 0..50 {
        let w = app
            .client
            .execute("return window.innerWidth", vec![])
            .await
            .unwrap_or(Value::Null);
        if w.as_u64()
            .is_some_and(|w| w.abs_diff(u64::from(width)) < 40)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the window did not take the size {width}×{height}");
}

const PAGES: &[(&str, &str)] = &[
    ("#/", "[data-section='overview']"),
    ("#/incidents", "main h1"),
    ("#/issues", "main h1"),
    ("#/issues/oracle-failure", "main h1"),
    ("#/procedures", "main h1"),
    ("#/escalation", "main h1"),
    ("#/core-team", "main h1"),
    ("#/extended-team", "main h1"),
    ("#/communications", "main h1"),
    ("#/decisions", "main h1"),
    ("#/decisions-log", "main h1"),
    ("#/exercises", "main h1"),
    ("#/exercises/new", "main h1"),
    ("#/readiness", "main h1"),
    ("#/check", "main h1"),
    ("#/history", "main h1"),
    ("#/folder", "main h1"),
    ("#/settings", "main h1"),
];

#[tokio::test(flavor = "current_thread")]
async fn every_page_fits_at_1200_and_900_px_and_scrolling_past_the_end_never_blanks_the_window() {
    let app = App::start(&[]).await;
    app.find("[data-section='overview']").await;
    let id = declare_oracle_failure(&app).await;
    let console = format!("#/incidents/{}", id.0);

    let mut problems = Vec::new();
    for (width, height) in [(1200, 780), (900, 780)] {
        set_size(&app, width, height).await;
        for (hash, ready) in PAGES
            .iter()
            .map(|(h, r)| (h.to_string(), *r))
            .chain([(console.clone(), "[data-testid='incident-console']")])
        {
            app.go(&hash).await;
            app.find(ready).await;
            tokio::time::sleep(Duration::from_millis(150)).await;
            let found = audit(&app, &format!("{hash} at {width} px")).await;
            if !found.is_empty() {
                // Kept to look at: target/e2e/layout-<page>-<width>.png.
                let page: String = hash
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                app.screenshot(&format!("layout{page}-{width}")).await;
            }
            problems.extend(found);
        }
        app.screenshot(&format!("incident-console-{width}")).await;
        app.scroll_to("[data-testid='communications']", "start")
            .await;
        app.screenshot(&format!("incident-console-{width}-communications"))
            .await;
    }

    // The console is the longest page: wheel past its end, as a person
    // would, with the pointer over the page.
    set_size(&app, 1200, 780).await;
    let window = app.xdotool(&["search", "--onlyvisible", "--name", "^Muster$"]);
    let window = window
        .lines()
        .next()
        .expect("the app's window is on the screen");
    app.xdotool(&["mousemove", "--window", window, "700", "500"]);
    app.xdotool(&["click", "--repeat", "120", "--delay", "15", "5"]);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let frame = app
        .client
        .execute(
            "const m = document.querySelector('main'); \
             return [window.scrollY, document.scrollingElement.scrollTop, m.scrollTop + m.clientHeight >= m.scrollHeight - 2]",
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    assert_eq!(
        frame,
        json!([0, 0, true]),
        "the page scrolled to its end and the window's frame did not move: [window.scrollY, root scrollTop, main at its end]"
    );
    let shot = app.screenshot("console-scrolled-past-the-end").await;
    // Compared against a blank frame: the sidebar and the page both show
    // something (a blank frame is one colour: no spread at all).
    for (region, crop) in [("sidebar", "200x700+10+40"), ("page", "700x700+400+40")] {
        let spread = spread(&shot, crop);
        assert!(
            spread > 0.02,
            "the {region} is blank after scrolling past the end (grey spread {spread}); see {}",
            shot.display()
        );
    }
    assert!(
        problems.is_empty(),
        "layout problems:\n{}",
        problems.join("\n")
    );
}

/// The standard deviation (0–1) of the grey levels of `crop` of a PNG:
/// 0 for a frame of one colour.
fn spread(png: &std::path::Path, crop: &str) -> f64 {
    let out = std::process::Command::new("convert")
        .arg(png)
        .args([
            "-crop",
            crop,
            "+repage",
            "-colorspace",
            "gray",
            "-format",
            "%[fx:standard_deviation]",
            "info:",
        ])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run ImageMagick's convert ({e}); scripts/dev.sh installs it")
        });
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("convert said {:?}", String::from_utf8_lossy(&out.stderr)))
}

/// Dates are typed, in one convention whatever the locale: the webview's
/// own date field ignored typing and showed mm/dd/yyyy.
#[tokio::test(flavor = "current_thread")]
async fn a_date_is_typed_as_yyyy_mm_dd_and_one_written_otherwise_is_said_with_the_way_to_write_it()
{
    let app = App::start(&[]).await;
    app.find("[data-section='overview']").await;
    app.go("#/exercises/new").await;
    let field = app.find("[data-testid='setup-date']").await;
    assert_eq!(
        field
            .attr("placeholder")
            .await
            .unwrap_or_default()
            .as_deref(),
        Some("YYYY-MM-DD")
    );
    app.fill("[data-testid='setup-date']", "01/15/2027").await;
    app.click_centered("[data-testid='setup-save']").await;
    app.wait_for_text(
        "[data-field-error='date']",
        "“01/15/2027” is not a date: write it as YYYY-MM-DD, e.g. 2027-01-15.",
    )
    .await;
    app.fill("[data-testid='setup-date']", "2027-01-15").await;
    let typed = app
        .find("[data-testid='setup-date']")
        .await
        .prop("value")
        .await
        .unwrap_or_default();
    assert_eq!(
        typed.as_deref(),
        Some("2027-01-15"),
        "what was typed is kept"
    );
    app.click_centered("[data-testid='setup-save']").await;
    // The day is taken: whatever core says now, it is not about the date.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let said = app.texts("[data-field-error='date']").await;
    assert!(said.is_empty(), "the typed date was refused: {said:?}");
    app.screenshot("exercise-date-typed").await;
}

/// A generated plan (a large plan's kind of data: people who share a name,
/// categories of many issues) opens on its Overview with the banner asking
/// who this laptop's person is. Two people sharing a name once left the
/// window at "Loading plan…" for good: the banner listed each name once per
/// person under a key that must be unique, and the page could not be drawn.
#[tokio::test(flavor = "current_thread")]
async fn a_generated_plan_with_people_who_share_a_name_opens_and_asks_who_you_are() {
    use muster_core::clock::SystemClock;
    use muster_core::generate::{self, Size};
    use muster_core::store::Store;

    let plan = generate::plan(
        Size {
            issues: 300,
            procedures: 300,
            steps_per_procedure: 8,
            contacts: 150,
        },
        7,
    );
    let mut names: Vec<&str> = plan
        .core_team
        .iter()
        .map(|m| m.name.as_str())
        .chain(plan.extended_team.iter().map(|c| c.name.as_str()))
        .collect();
    let people = names.len();
    names.sort_unstable();
    names.dedup();
    assert!(
        names.len() < people,
        "the generated people all differ in name"
    );
    let app = App::start_prepared(&[], |dir| {
        let mut store = Store::open_in(dir, &SystemClock).unwrap();
        store
            .replace_plan(&plan, "Imported the generated plan", &SystemClock)
            .unwrap();
    })
    .await;
    app.find("[data-section='overview']").await;
    app.find("[data-testid='identity-banner']").await;
    let offered = app.texts("[data-testid='identity-pick'] option").await;
    // "From the plan…" and each name once.
    assert_eq!(offered.len(), names.len() + 1, "{offered:?}");
    app.screenshot("generated-plan-overview").await;
    app.close().await;
}

/// Presses Alt+`digit` and times, in the page, from the key press to the
/// frame after `css` is there, so no WebDriver round trip is counted (ms).
async fn press(app: &App, digit: &str, css: &str) -> f64 {
    const PRESS: &str = r#"
const [digit, css, done] = arguments;
const start = performance.now();
document.dispatchEvent(new KeyboardEvent('keydown', {
  key: digit, code: 'Digit' + digit, altKey: true, bubbles: true, cancelable: true,
}));
const look = () => {
  if (document.querySelector(css) !== null) {
    requestAnimationFrame(() => done(performance.now() - start));
  } else if (performance.now() - start > 30000) {
    done(-1);
  } else {
    requestAnimationFrame(look);
  }
};
requestAnimationFrame(look);
"#;
    let took = app
        .client
        .execute_async(PRESS, vec![json!(digit), json!(css)])
        .await
        .unwrap_or_else(|e| panic!("Alt+{digit}: {e}"));
    let took = took.as_f64().unwrap_or(-1.0);
    assert!(took >= 0.0, "Alt+{digit}: {css} never showed");
    took
}

/// Alt+digit to the section's first rows on screen (`press`): (median, worst)
/// in milliseconds over `rounds`, for each of the seven sections, coming from
/// the Overview each time.
async fn time_sections(app: &App, rounds: usize) -> Vec<(String, f64, f64)> {
    let sections = [
        ("1", "issues"),
        ("2", "procedures"),
        ("3", "escalation"),
        ("4", "core-team"),
        ("5", "extended-team"),
        ("6", "communications"),
        ("7", "decisions"),
    ];
    let mut out = Vec::new();
    for (digit, section) in sections {
        let mut times = Vec::new();
        for _ in 0..rounds {
            press(app, "0", OVERVIEW).await;
            let rows = format!("[data-section='{section}'] [data-row]");
            times.push(press(app, digit, &rows).await);
        }
        times.sort_by(f64::total_cmp);
        out.push((
            section.to_owned(),
            times[times.len() / 2],
            times[times.len() - 1],
        ));
    }
    out
}

/// The Overview's section cards, drawn.
const OVERVIEW: &str = "[data-section='overview'] .sections";

/// The first Alt+1 after a launch, which (the window starting on the plan's
/// outline) asks for the whole plan too.
async fn first_section(app: &App) -> f64 {
    press(app, "1", "[data-section='issues'] [data-row]").await
}

/// The benchmark of #17's "large plan: Alt+1 → Potential issues shown"
/// (before the work: 6.2 s, every row drawn; target ≤ 100 ms): each section
/// on the starter plan, then on a generated plan of 10,000 issues, 10,000
/// procedures of 8 steps and 5,000 people, in the same run.
#[tokio::test(flavor = "current_thread")]
#[ignore = "a benchmark: cargo test -p muster --features e2e --test app bench_sections -- --ignored --nocapture"]
async fn bench_sections_on_the_starter_and_a_large_plan() {
    use muster_core::clock::SystemClock;
    use muster_core::generate::{self, Size};
    use muster_core::store::Store;

    const ROUNDS: usize = 10;
    let starter = App::start(&[]).await;
    starter.find(OVERVIEW).await;
    let small_first = first_section(&starter).await;
    let small = time_sections(&starter, ROUNDS).await;
    starter.close().await;

    let plan = generate::plan(
        Size {
            issues: 10_000,
            procedures: 10_000,
            steps_per_procedure: 8,
            contacts: 5_000,
        },
        7,
    );
    let large = App::start_prepared(&[], |dir| {
        let mut store = Store::open_in(dir, &SystemClock).unwrap();
        store
            .replace_plan(&plan, "Imported the generated plan", &SystemClock)
            .unwrap();
    })
    .await;
    // A debug build opens a plan this size slowly: the launch is not what is timed.
    large
        .client
        .wait()
        .at_most(Duration::from_secs(300))
        .for_element(fantoccini::Locator::Css(OVERVIEW))
        .await
        .unwrap_or_else(|e| panic!("the large plan's Overview: {e}"));
    let big_first = first_section(&large).await;
    let big = time_sections(&large, ROUNDS).await;
    large.screenshot("bench-sections-large").await;
    large.close().await;

    println!("| section | starter plan median / worst | large plan median / worst |");
    println!("|---|---|---|");
    for ((section, s50, smax), (_, l50, lmax)) in small.iter().zip(&big) {
        println!("| {section} | {s50:.1} / {smax:.1} ms | {l50:.1} / {lmax:.1} ms |");
    }
    println!(
        "| first Alt+1 after the launch (the whole plan asked for) | {small_first:.1} ms | {big_first:.1} ms |"
    );
}
