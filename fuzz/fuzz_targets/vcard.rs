//! Drives the vCard importer as the window's contacts dialog and
//! `muster contacts import` do: `vcard::read`, then
//! `export::import_contacts` into the starter plan, for either team. A
//! `.vcf` file comes from a phone, a mail client or a colleague: untrusted
//! bytes, folded lines, parameters and escapes of any kind.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use muster_core::export::{import_contacts, vcard, Team};
use muster_core::fixtures::plans::starter_plan;
use muster_core::plan::Plan;

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(starter_plan)
}

fuzz_target!(|data: &[u8]| {
    let contacts = match vcard::read(data) {
        Ok(contacts) => contacts,
        Err(problems) => {
            for p in problems {
                let _ = p.in_file("contacts.vcf");
            }
            return;
        }
    };
    for team in [Team::Core, Team::Extended] {
        let _ = import_contacts(plan(), &contacts, team);
    }
});
