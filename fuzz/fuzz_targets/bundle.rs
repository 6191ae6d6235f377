//! Drives approval-bundle verification (`muster decision verify DIR`):
//! `decision::verify_bundle_pinned`, which reads `record.txt`,
//! `policy.json`, `decision.json`, `allowed_signers`, every `*.sig` and
//! rejection, `attested.txt` and `roster.json`, and checks them against a
//! plan and a roster root the checker trusts. A bundle is handed to
//! auditors, regulators and counterparties, and comes back from them: the
//! whole point of checking it is that it may be forged.
//!
//! The input is the bundle's files (see `muster_fuzz::files`), written into
//! a fresh folder. The trust anchor is fixed: the world's plan and the
//! digest of its roster version 1, as the seeds' bundles were made under.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use muster_core::decision::verify_bundle_pinned;
use muster_core::plan::Plan;
use muster_fuzz::{files, scratch, world};

struct Anchor {
    plan: Plan,
    root: String,
    dir: PathBuf,
}

fn anchor() -> &'static Anchor {
    static ANCHOR: OnceLock<Anchor> = OnceLock::new();
    ANCHOR.get_or_init(|| {
        let base = scratch::process_dir("bundle");
        Anchor {
            plan: world::plan(&base.join("plan")),
            root: world::roster_root(&base.join("roster")),
            dir: base.join("bundle"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let anchor = anchor();
    scratch::fresh(&anchor.dir);
    files::write_all(&anchor.dir, data, 1);
    let _ = verify_bundle_pinned(&anchor.dir, &anchor.plan, Some(&anchor.root), world::now());
});
