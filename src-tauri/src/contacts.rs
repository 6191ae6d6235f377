//! Contacts import in the app: pick a CSV or vCard file, preview it (for a
//! CSV, its columns, first rows and a suggested mapping the person can
//! correct), then import with the confirmed mapping as one revision — or not
//! at all, with every problem located.

use std::path::{Path, PathBuf};

use muster_core::clock::SystemClock;
use muster_core::export::contacts_csv::{self, ColumnMapping, CsvPreview};
use muster_core::export::{self, vcard, ImportedContact, Located, Team, MAX_IMPORT_BYTES};
use muster_core::store::{RevisionInfo, Store};
use serde::Serialize;
use ts_rs::TS;

/// What a contacts file holds, or why it cannot be read.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactsPreview {
    pub path: String,
    /// For a CSV file: its columns, first rows and the suggested mapping.
    pub csv: Option<CsvPreview>,
    /// For a vCard file: the contacts it holds.
    pub cards: Vec<ImportedContact>,
    /// Located problems (`file:line:column: message`); any one blocks the import.
    pub errors: Vec<String>,
}

/// Opens the OS file chooser for contacts files; `None` when cancelled.
/// From a background thread only (see `plan_folder::pick`).
pub fn pick() -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title("Import contacts")
        .add_filter("Contacts (CSV or vCard)", &["csv", "vcf", "vcard", "txt"])
        .pick_file()
}

fn is_vcard(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("vcf") || e.eq_ignore_ascii_case("vcard"))
}

/// The file's bytes, refusing one over the size limit.
fn read(path: &Path) -> Result<Vec<u8>, Vec<Located>> {
    let len = std::fs::metadata(path)
        .map_err(|e| vec![Located::new(1, 1, format!("cannot read the file: {e}"))])?
        .len();
    if len > MAX_IMPORT_BYTES as u64 {
        return Err(vec![export::too_big(len)]);
    }
    std::fs::read(path).map_err(|e| vec![Located::new(1, 1, format!("cannot read the file: {e}"))])
}

fn located(path: &Path, problems: &[Located]) -> Vec<String> {
    let file = path.display().to_string();
    problems.iter().map(|p| p.in_file(&file)).collect()
}

pub fn preview(path: &Path) -> ContactsPreview {
    let mut out = ContactsPreview {
        path: path.display().to_string(),
        csv: None,
        cards: Vec::new(),
        errors: Vec::new(),
    };
    let parsed = read(path).and_then(|bytes| {
        if is_vcard(path) {
            vcard::read(&bytes).map(|cards| out.cards = cards)
        } else {
            contacts_csv::preview(&bytes).map(|p| out.csv = Some(p))
        }
    });
    if let Err(problems) = parsed {
        out.errors = located(path, &problems);
    }
    out
}

/// Adds the file's contacts to `team` as one revision; refused, with nothing
/// changed, on any problem. `mapping` is needed for a CSV file.
pub fn import(
    store: &mut Store,
    path: &Path,
    mapping: Option<&ColumnMapping>,
    team: Team,
) -> muster_core::Result<Option<RevisionInfo>> {
    let refused = |problems: Vec<Located>| {
        muster_core::Error::Refused(format!(
            "nothing was imported: {}",
            located(path, &problems).join("; ")
        ))
    };
    let bytes = read(path).map_err(refused)?;
    let contacts = if is_vcard(path) {
        vcard::read(&bytes).map_err(refused)?
    } else {
        let Some(mapping) = mapping else {
            return Err(muster_core::Error::Refused(
                "a CSV file needs a column mapping: preview it first".to_owned(),
            ));
        };
        contacts_csv::read(&bytes, mapping).map_err(refused)?
    };
    let plan = store.current()?;
    let new = export::import_contacts(plan, &contacts, team).map_err(refused)?;
    let summary = format!(
        "Imported {} contact(s) from {}",
        contacts.len(),
        path.display()
    );
    store.replace_plan(&new, &summary, &SystemClock)
}

#[cfg(test)]
mod tests;
