//! `muster alert`: an alert from a script or a monitor, taken in as the
//! app's receiver takes one (`alerts.rs`): it opens an incident in
//! "detected" on the issue it means, joins the one open for that issue, or
//! notes a resolution; a repeat changes nothing. `--file` takes a body as a
//! monitor would post it (an Alertmanager webhook, or Muster's JSON format;
//! docs/alerts.md).
//!
//! Exit codes: 0 when every alert was taken (or had been before); 1 when an
//! alert meant no issue of the plan, or the input was refused — nothing of
//! it is stored; 2 for a usage error (clap's own).

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use muster_core::alert::{parse, Taken};
use muster_core::clock::SystemClock;
use muster_core::plan::Id;
use serde_json::{json, Map, Value};

use super::{open, print, terminal_safe};

/// The most a `--file` body may hold, as the receiver allows.
pub const MAX_BODY: u64 = crate::alerts::MAX_BODY as u64;

#[derive(Debug, Args)]
pub struct AlertArgs {
    /// The potential issue the alert means, by id [default: the issue whose
    /// alert rule matches --label]
    #[arg(long, value_name = "ID", value_parser = Id::parse)]
    issue: Option<Id>,
    /// A label of the alert, NAME=VALUE (repeat for more); the plan's alert
    /// rules match on them
    #[arg(long = "label", value_name = "NAME=VALUE", value_parser = label)]
    labels: Vec<(String, String)>,
    /// One line for people: what fired
    #[arg(long, value_name = "TEXT", default_value = "")]
    summary: String,
    /// More about it
    #[arg(long, value_name = "TEXT", default_value = "")]
    description: String,
    /// S1, S2, S3 or S4 [default: the alert rule's, else the issue's]
    #[arg(long, value_name = "S")]
    severity: Option<String>,
    /// A web link to show with it (a graph, a runbook); repeat for more
    #[arg(long = "link", value_name = "URL")]
    links: Vec<String>,
    /// The alert has resolved: noted on its incident, which stays open
    #[arg(long)]
    resolved: bool,
    /// The alert's identity, so a repeat is recognised [default: made from
    /// its labels and issue]
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
    /// Read the alert as a monitor posts it, from FILE or - (standard input)
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["issue", "labels", "summary", "description", "severity", "links", "resolved", "key"]
    )]
    file: Option<PathBuf>,
}

fn label(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| "write the label as NAME=VALUE".to_owned())?;
    Ok((name.trim().to_owned(), value.to_owned()))
}

pub fn run(data_dir: &Path, args: AlertArgs) -> Result<u8, String> {
    let (body, source) = match &args.file {
        Some(file) => (read_body(file)?, None),
        None => (from_args(&args)?, Some("command line")),
    };
    let mut delivery = parse(&body)?;
    if let Some(source) = source {
        source.clone_into(&mut delivery.source);
    }
    let mut store = open(data_dir)?;
    let taken = store
        .take_alerts(&delivery, &SystemClock)
        .map_err(super::rejected)?;
    super::publish(data_dir, &store);
    drop(store);
    let mut out = String::new();
    let mut code = 0;
    for t in &taken {
        out.push_str(&match t {
            Taken::Opened { incident, issue } => {
                format!("{incident}\nOpened {incident} on {issue}, in detected\n")
            }
            Taken::Joined { incident, issue } => {
                format!("{incident}\nAdded to {incident}, already open on {issue}\n")
            }
            Taken::Resolved { incident } => {
                format!("{incident}\nNoted the resolution on {incident}; it stays open\n")
            }
            Taken::Repeat => "Taken before: nothing changed\n".to_owned(),
            Taken::Unrouted { reason } => {
                code = 1;
                format!("Not taken: {}\n", terminal_safe(reason))
            }
        });
    }
    print(&out)?;
    Ok(code)
}

/// The body of `--file`: a file, or standard input for `-`, bounded.
fn read_body(file: &Path) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let read = if file == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_BODY + 1)
            .read_to_end(&mut body)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX_BODY + 1).read_to_end(&mut body))
    };
    read.map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if body.len() as u64 > MAX_BODY {
        return Err(format!(
            "{} is over {MAX_BODY} bytes: not an alert",
            file.display()
        ));
    }
    Ok(body)
}

/// The arguments as Muster's JSON format, so they are read and checked as a
/// posted alert is.
fn from_args(args: &AlertArgs) -> Result<Vec<u8>, String> {
    let mut alert = Map::new();
    if let Some(issue) = &args.issue {
        alert.insert("issue".into(), json!(issue.as_str()));
    }
    let labels: Map<String, Value> = args
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    alert.insert("labels".into(), Value::Object(labels));
    alert.insert("summary".into(), json!(args.summary));
    alert.insert("description".into(), json!(args.description));
    if let Some(severity) = &args.severity {
        alert.insert("severity".into(), json!(severity.trim().to_uppercase()));
    }
    alert.insert("links".into(), json!(args.links));
    if args.resolved {
        alert.insert("status".into(), json!("resolved"));
    }
    if let Some(key) = &args.key {
        alert.insert("key".into(), json!(key));
    }
    serde_json::to_vec(&Value::Object(alert)).map_err(|e| e.to_string())
}
