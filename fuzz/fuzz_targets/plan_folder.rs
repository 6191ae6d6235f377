//! Drives the plan-folder reader (plan as code): `folder::read`, which
//! `muster plan import` and the linked folder's watch use, and
//! `folder::check`, which `muster plan check` runs in CI. The folder is a
//! team's git repository or shared folder, edited by hand and by anyone
//! with write access to it: untrusted text in every file.
//!
//! The input is several files (see `muster_fuzz::files`), written into a
//! fresh folder: `plan.toml`, the section files, `procedures/<id>.toml`,
//! and whatever else the input names. A plan that reads must also survive
//! the trip the docs promise: exported and read again, it is the same plan.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use muster_core::folder;
use muster_fuzz::{files, scratch, world};

struct Dirs {
    input: PathBuf,
    again: PathBuf,
}

fn dirs() -> &'static Dirs {
    static DIRS: OnceLock<Dirs> = OnceLock::new();
    DIRS.get_or_init(|| {
        let base = scratch::process_dir("plan_folder");
        Dirs {
            input: base.join("plan"),
            again: base.join("again"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let dirs = dirs();
    scratch::fresh(&dirs.input);
    files::write_all(&dirs.input, data, 2);

    let _ = folder::check(&dirs.input, world::now());
    let Ok(plan) = folder::read(&dirs.input) else {
        return;
    };
    // Export → read is lossless (folder/mod.rs): a plan read from a folder
    // reads back from its own export as the same plan.
    scratch::fresh(&dirs.again);
    for file in folder::render(&plan) {
        files::put(
            &dirs.again,
            std::path::Path::new(&file.path),
            file.text.as_bytes(),
        );
    }
    match folder::read(&dirs.again) {
        Ok(again) => assert!(again == plan, "the exported plan reads back differently"),
        Err(e) => panic!("the exported plan does not read back: {e:?}"),
    }
});
