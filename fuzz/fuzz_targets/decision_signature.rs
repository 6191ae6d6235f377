//! Drives the import of a decision signature file (`muster decision
//! import`, the window's import dialog): `decision_file::kind`, then
//! `Store::import_signature` on Ada's laptop, which holds two requests she
//! made (one in an exercise) that signature files answer: the file is
//! parsed (`SignatureText::parse`), its SSHSIG read and verified, its
//! signer looked up in the plan, and the quorum counted. A signature file
//! comes back by mail or chat from an approver, or from anyone: untrusted.
//!
//! Each run starts from the same store (`muster_fuzz::sandbox`), so a
//! signature one input counted never changes how the next is judged.
#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use muster_core::ops::decision_file;
use muster_fuzz::sandbox::Sandbox;
use muster_fuzz::{scratch, world};

fn sandbox() -> &'static Mutex<Sandbox> {
    static SANDBOX: OnceLock<Mutex<Sandbox>> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        let dir = scratch::process_dir("decision_signature");
        let (store, _) = world::requester(&dir.join("built"));
        Mutex::new(Sandbox::new(store, &dir, world::clock()))
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = decision_file::kind(data);
    // The importer refuses a file that is not UTF-8 before it parses it.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sandbox = match sandbox().lock() {
        Ok(sandbox) => sandbox,
        Err(poisoned) => poisoned.into_inner(),
    };
    let clock = world::clock();
    if sandbox.store().import_signature(text, &clock).is_ok() {
        sandbox.touched();
    }
});
