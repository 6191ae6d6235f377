//! Drives the contacts CSV importer as the window's contacts dialog and
//! `muster contacts import` do: `contacts_csv::preview` (columns, first
//! rows, the suggested mapping), `contacts_csv::read` with that mapping,
//! then `export::import_contacts` into the starter plan, for either team.
//! The file is an export from some other program (a spreadsheet, an
//! address book, a directory), often handed over by someone else:
//! untrusted bytes.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use muster_core::export::contacts_csv;
use muster_core::export::{import_contacts, Team};
use muster_core::fixtures::plans::starter_plan;
use muster_core::plan::Plan;

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(starter_plan)
}

fuzz_target!(|data: &[u8]| {
    let mapping = match contacts_csv::preview(data) {
        Ok(preview) => preview.suggested,
        // The mapping the app suggests needs a header; with none, read
        // still reports every problem of the file.
        Err(_) => contacts_csv::ColumnMapping::default(),
    };
    let Ok(contacts) = contacts_csv::read(data, &mapping) else {
        return;
    };
    for team in [Team::Core, Team::Extended] {
        if let Err(problems) = import_contacts(plan(), &contacts, team) {
            for p in problems {
                let _ = p.in_file("contacts.csv");
            }
        }
    }
});
