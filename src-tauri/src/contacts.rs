//! Contacts import in the app: the OS file chooser. Reading, previewing
//! (for a CSV, its columns, first rows and a suggested mapping the person
//! can correct) and importing as one revision are
//! `muster_core::ops::contacts`, shared with `muster contacts import`.

use std::path::PathBuf;

/// Opens the OS file chooser for contacts files; `None` when cancelled.
/// From a background thread only (see `plan_folder::pick`).
pub fn pick() -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title("Import contacts")
        .add_filter("Contacts (CSV or vCard)", &["csv", "vcf", "vcard", "txt"])
        .pick_file()
}

#[cfg(test)]
mod tests;
