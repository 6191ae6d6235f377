//! The exports people use, rendered from the store: the Markdown binder, the
//! calendar of planned exercises and deadlines, the contacts as CSV or
//! vCard, and an incident's timeline as Markdown or JSON. The window saves
//! them through the OS dialog; `muster plan binder|calendar`, `muster
//! contacts export` and `muster incident export` write them to a file or
//! standard output.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::export::{self, contacts_csv, ical, markdown, vcard};
use crate::incident::{timeline, IncidentId};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportKind {
    /// The whole plan as one Markdown file.
    Binder,
    /// Planned exercises and re-verification deadlines, RFC 5545.
    Calendar,
    ContactsCsv,
    ContactsVcard,
}

impl ExportKind {
    /// Suggested file name, filter label and extension.
    pub fn file(self) -> (&'static str, &'static str, &'static str) {
        match self {
            ExportKind::Binder => ("emergency-response-plan.md", "Markdown", "md"),
            ExportKind::Calendar => ("muster-exercises.ics", "iCalendar", "ics"),
            ExportKind::ContactsCsv => ("muster-contacts.csv", "CSV", "csv"),
            ExportKind::ContactsVcard => ("muster-contacts.vcf", "vCard", "vcf"),
        }
    }
}

/// `kind` rendered from the stored plan at `now`; the calendar starts on
/// `from` (today when none) and holds the exercises planned in Muster.
pub fn render(
    store: &mut Store,
    kind: ExportKind,
    now: DateTime<Utc>,
    from: Option<NaiveDate>,
) -> Result<String> {
    let planned = match kind {
        ExportKind::Calendar => store.exercises()?,
        _ => Vec::new(),
    };
    let plan = store.current()?;
    let today = now.date_naive();
    Ok(match kind {
        ExportKind::Binder => markdown::binder(&plan, today),
        ExportKind::Calendar => ical::calendar_with(&plan, from.unwrap_or(today), now, &planned),
        ExportKind::ContactsCsv => contacts_csv::write(&plan),
        ExportKind::ContactsVcard => vcard::write(&plan),
    })
}

/// Writes `text` to `path` whole (a temporary file renamed over it).
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    export::write_atomically(path, text)
        .map_err(|e| Error::Unavailable(format!("cannot write {}: {e}", path.display())))
}

/// Renders `kind` and writes it to `path`; a line saying so.
pub fn save(
    store: &mut Store,
    kind: ExportKind,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<String> {
    let text = render(store, kind, now, None)?;
    write_file(path, &text)?;
    Ok(format!("Saved {}", path.display()))
}

/// How an incident's timeline is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum IncidentFormat {
    /// A readable report: the incident, then every event.
    Markdown,
    /// Every stored event with its hashes, for tools.
    Json,
}

impl IncidentFormat {
    /// The save dialog's filter label and the file extension.
    pub fn filter(self) -> (&'static str, &'static str) {
        match self {
            IncidentFormat::Markdown => ("Markdown", "md"),
            IncidentFormat::Json => ("JSON", "json"),
        }
    }

    /// The suggested file name: `INC-3-timeline.md`.
    pub fn file_name(self, id: &IncidentId) -> String {
        format!("{id}-timeline.{}", self.filter().1)
    }
}

/// The incident's timeline in `format`, times shown in `zone`.
pub fn render_incident(
    store: &mut Store,
    id: &IncidentId,
    format: IncidentFormat,
    zone: Tz,
) -> Result<String> {
    let incident = store.incident(id)?;
    let events = store.events(id)?;
    Ok(match format {
        IncidentFormat::Markdown => timeline::markdown(&incident, &events, zone),
        IncidentFormat::Json => timeline::json(&incident, &events),
    })
}
