//! Alerts taken in — what stands between Alertmanager's POST and the
//! incident it opens or joins — on the starter plan and on the large
//! generated plan, against the baseline in the same run: a note appended to
//! the same incident by hand (an alert that joins is routed, checked for a
//! repeat, appended and remembered; the note is only appended). Also a
//! repeat delivery (nothing written), and reading a webhook of 100 alerts.
//!
//! Run with `cargo bench -p muster-core --bench alerts`.

mod common;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use muster_core::alert::{parse, Taken};
use muster_core::clock::SystemClock;
use muster_core::generate::{self, Size};
use muster_core::incident::IncidentAction;
use muster_core::store::Store;

use common::{percentiles, run_in_temp, BenchResult};

const N: usize = 200;

fn main() -> ExitCode {
    run_in_temp("alerts", |dir| {
        reading()?;
        taking(&dir.join("starter"), None)?;
        let size = common::large();
        taking(&dir.join("large"), Some(size))
    })
}

fn webhook(alerts: usize, fingerprint: &str, alertname: &str) -> String {
    let one = |n: usize| {
        format!(
            r#"{{"status":"firing","labels":{{"alertname":"{alertname}","instance":"node-{n}"}},"annotations":{{"summary":"{alertname} on node-{n}"}},"startsAt":"2026-12-07T09:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.example.org/graph","fingerprint":"{fingerprint}{n}"}}"#
        )
    };
    let list: Vec<String> = (0..alerts).map(one).collect();
    format!(
        r#"{{"receiver":"muster","status":"firing","alerts":[{}],"groupLabels":{{}},"commonLabels":{{}},"commonAnnotations":{{}},"externalURL":"http://alertmanager.example.org:9093","version":"4","groupKey":"x","truncatedAlerts":0}}"#,
        list.join(",")
    )
}

fn reading() -> BenchResult {
    let body = webhook(100, "f", "OracleStale");
    let mut times = Vec::with_capacity(N);
    for _ in 0..common::runs(N) {
        let t = Instant::now();
        let delivery = parse(body.as_bytes())?;
        times.push(t.elapsed());
        assert_eq!(delivery.alerts.len(), 100);
    }
    percentiles("read a webhook of 100 alerts", times, "");
    Ok(())
}

fn taking(dir: &std::path::Path, size: Option<Size>) -> BenchResult {
    let mut store = Store::open_in(dir, &SystemClock)?;
    let (label, alertname) = match size {
        Some(size) => {
            let plan = generate::plan(size, 7);
            store.replace_plan(&plan, "Imported the generated plan", &SystemClock)?;
            // The generated plan names an automated issue's alert after it.
            let name = plan
                .issues
                .iter()
                .find_map(|i| i.detection.alerts.first())
                .and_then(|r| r.labels.get("alertname").cloned())
                .ok_or("the generated plan has no alert rule")?;
            ("large plan", name)
        }
        None => ("starter plan", "OracleStale".to_owned()),
    };
    // The first alert opens the incident the others join.
    let first = parse(webhook(1, "open", &alertname).as_bytes())?;
    let incident = match store.take_alerts(&first, &SystemClock)?.as_slice() {
        [Taken::Opened { incident, .. }] => incident.clone(),
        other => return Err(format!("the first alert was {other:?}").into()),
    };
    let mut notes: Vec<Duration> = Vec::with_capacity(N);
    let mut joins: Vec<Duration> = Vec::with_capacity(N);
    let mut repeats: Vec<Duration> = Vec::with_capacity(N);
    for n in 0..common::runs(N) {
        // Interleaved, so both see the same timeline length.
        let action = IncidentAction::AddNote {
            text: format!("note {n}"),
        };
        let t = Instant::now();
        store.act_on_incident(&incident, &action, &SystemClock)?;
        notes.push(t.elapsed());
        let delivery = parse(webhook(1, &format!("join{n}-"), &alertname).as_bytes())?;
        let t = Instant::now();
        let taken = store.take_alerts(&delivery, &SystemClock)?;
        joins.push(t.elapsed());
        if !matches!(taken.as_slice(), [Taken::Joined { .. }]) {
            return Err(format!("alert {n} was {taken:?}").into());
        }
        let t = Instant::now();
        let again = store.take_alerts(&delivery, &SystemClock)?;
        repeats.push(t.elapsed());
        if again != [Taken::Repeat] {
            return Err(format!("the repeat of {n} was {again:?}").into());
        }
    }
    let p50 = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (mut a, mut b) = (notes.clone(), joins.clone());
    let ratio = p50(&mut b).as_secs_f64() / p50(&mut a).as_secs_f64();
    percentiles(
        &format!("note appended by hand, {label} (baseline)"),
        notes,
        "",
    );
    percentiles(
        &format!("alert joins the incident, {label}"),
        joins,
        &format!("   ratio {ratio:.2}"),
    );
    percentiles(&format!("alert repeated, {label}"), repeats, "");
    Ok(())
}
