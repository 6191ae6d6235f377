//! The exports people use, from the app: the Markdown binder, the calendar,
//! the contacts as CSV or vCard, and an incident's timeline as Markdown or
//! JSON, each saved where the person chooses through the OS save dialog.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use muster_core::clock::{Clock, SystemClock};
use muster_core::export::{self, contacts_csv, ical, markdown, vcard};
use muster_core::incident::{timeline, IncidentId};
use muster_core::store::Store;
use serde::Deserialize;
use ts_rs::TS;

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
    fn file(self) -> (&'static str, &'static str, &'static str) {
        match self {
            ExportKind::Binder => ("emergency-response-plan.md", "Markdown", "md"),
            ExportKind::Calendar => ("muster-exercises.ics", "iCalendar", "ics"),
            ExportKind::ContactsCsv => ("muster-contacts.csv", "CSV", "csv"),
            ExportKind::ContactsVcard => ("muster-contacts.vcf", "vCard", "vcf"),
        }
    }
}

/// Opens the OS save dialog for `kind`; `None` when cancelled. From a
/// background thread only (see `plan_folder::pick`).
pub fn pick(kind: ExportKind) -> Option<PathBuf> {
    let (name, label, extension) = kind.file();
    rfd::FileDialog::new()
        .set_title("Save export")
        .set_file_name(name)
        .add_filter(label, &[extension])
        .save_file()
}

/// Renders `kind` from the stored plan and writes it to `path`; a line saying so.
pub fn write(store: &mut Store, kind: ExportKind, path: &Path) -> muster_core::Result<String> {
    // The calendar holds the exercises planned in Muster (calendar_with keeps
    // only the planned ones).
    let planned = match kind {
        ExportKind::Calendar => store.exercises()?,
        _ => Vec::new(),
    };
    let plan = store.current()?;
    let now = SystemClock.now();
    let text = match kind {
        ExportKind::Binder => markdown::binder(plan, now.date_naive()),
        ExportKind::Calendar => ical::calendar_with(plan, now.date_naive(), now, &planned),
        ExportKind::ContactsCsv => contacts_csv::write(plan),
        ExportKind::ContactsVcard => vcard::write(plan),
    };
    export::write_atomically(path, &text).map_err(|e| {
        muster_core::Error::Refused(format!("cannot write {}: {e}", path.display()))
    })?;
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
    fn filter(self) -> (&'static str, &'static str) {
        match self {
            IncidentFormat::Markdown => ("Markdown", "md"),
            IncidentFormat::Json => ("JSON", "json"),
        }
    }
}

/// The suggested file name: `INC-3-timeline.md`.
pub fn incident_file_name(id: &IncidentId, format: IncidentFormat) -> String {
    format!("{id}-timeline.{}", format.filter().1)
}

/// Opens the OS save dialog for an incident export; `None` when cancelled.
/// From a background thread only (see `plan_folder::pick`).
pub fn pick_incident(name: String, format: IncidentFormat) -> Option<PathBuf> {
    let (label, extension) = format.filter();
    rfd::FileDialog::new()
        .set_title("Export the incident timeline")
        .set_file_name(name)
        .add_filter(label, &[extension])
        .save_file()
}

/// The incident's timeline in `format`, times shown in `zone`.
pub fn render_incident(
    store: &mut Store,
    id: &IncidentId,
    format: IncidentFormat,
    zone: Tz,
) -> muster_core::Result<String> {
    let incident = store.incident(id)?;
    let events = store.events(id)?;
    Ok(match format {
        IncidentFormat::Markdown => timeline::markdown(&incident, &events, zone),
        IncidentFormat::Json => timeline::json(&incident, &events),
    })
}

/// Renders the incident's timeline and writes it to `path`; the path written.
pub fn write_incident(
    store: &mut Store,
    id: &IncidentId,
    format: IncidentFormat,
    zone: Tz,
    path: &Path,
) -> muster_core::Result<String> {
    let text = render_incident(store, id, format, zone)?;
    export::write_atomically(path, &text).map_err(|e| {
        muster_core::Error::Refused(format!("cannot write {}: {e}", path.display()))
    })?;
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_is_written_whole_to_the_chosen_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut store = Store::open_in(&dir.path().join("data"), &SystemClock)
            .unwrap_or_else(|e| panic!("{e}"));
        for (kind, starts) in [
            (
                ExportKind::Binder,
                "# Harbor Protocol emergency response plan (example)",
            ),
            (ExportKind::Calendar, "BEGIN:VCALENDAR\r\n"),
            (
                ExportKind::ContactsCsv,
                "team,id,name,role,email,chat,phone,categories,last_verified\r\n",
            ),
            (ExportKind::ContactsVcard, "BEGIN:VCARD\r\nVERSION:4.0\r\n"),
        ] {
            let path = dir.path().join(kind.file().0);
            let said = write(&mut store, kind, &path).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            assert_eq!(said, format!("Saved {}", path.display()));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                text.starts_with(starts),
                "{kind:?}: {}",
                &text[..text.len().min(120)]
            );
        }
        // Only the four files: no temporary file is left behind.
        let names = std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(names, 5, "four exports and the data folder");
    }

    #[test]
    fn the_calendar_export_holds_the_exercises_planned_in_muster() {
        use muster_core::exercise::{ExerciseAction, ExerciseSetup};

        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut store = Store::open_in(&dir.path().join("data"), &SystemClock)
            .unwrap_or_else(|e| panic!("{e}"));
        let setup = |title: &str| -> ExerciseSetup {
            serde_json::from_value(serde_json::json!({
                "title": title,
                "date": "2031-05-06",
                "moderator": "ada-example",
                "participants": [],
                "scope": "",
                "objectives": [],
                "scenarios": [{
                    "key": "sc-1", "title": "Funds drained", "issue": "stolen-user-funds",
                    "category": null, "situation": "", "injects": [], "expected": [], "targets": [],
                }],
            }))
            .unwrap_or_else(|e| panic!("set-up: {e}"))
        };
        for title in ["Spring drill", "Started drill"] {
            store
                .create_exercise(&setup(title), &SystemClock)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let started = muster_core::exercise::ExerciseId("EX-2".to_owned());
        store
            .act_on_exercise(&started, &ExerciseAction::Start, &SystemClock)
            .unwrap_or_else(|e| panic!("{e}"));

        let path = dir.path().join("muster-exercises.ics");
        write(&mut store, ExportKind::Calendar, &path).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("UID:exercise-EX-1@muster.invalid"), "{text}");
        assert!(text.contains("SUMMARY:EXERCISE: Spring drill"), "{text}");
        assert!(!text.contains("Started drill"), "only planned ones: {text}");
    }
}
