//! Drives the import of a decision request file (`muster decision import`,
//! the window's import dialog): `decision_file::kind`, `Record::parse` and
//! `Store::import_request` on Ben's laptop, then, for a request it takes,
//! what Ben does next (its status, signing it, rejecting it). A request
//! file arrives by mail, chat or USB stick from whoever claims to be the
//! requester: untrusted bytes.
//!
//! Each run starts from the same store (`muster_fuzz::sandbox`). A record
//! that parses is exactly the bytes it writes back (`Record::parse` says
//! so): the signatures are over those bytes.
#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use muster_core::decision::model::Answer;
use muster_core::decision::record::Record;
use muster_core::decision::PrivateKey;
use muster_core::fixtures::key_of;
use muster_core::ops::decision_file;
use muster_fuzz::sandbox::Sandbox;
use muster_fuzz::{scratch, world};

struct State {
    sandbox: Sandbox,
    ben: PrivateKey,
}

fn state() -> &'static Mutex<State> {
    static STATE: OnceLock<Mutex<State>> = OnceLock::new();
    STATE.get_or_init(|| {
        let dir = scratch::process_dir("decision_request");
        let store = world::signer(&dir.join("built"));
        Mutex::new(State {
            sandbox: Sandbox::new(store, &dir, world::clock()),
            ben: key_of("ben-sample"),
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = decision_file::kind(data);
    if let Ok(record) = Record::parse(data) {
        assert!(
            record.to_bytes() == data,
            "a record parsed from other bytes than it writes"
        );
    }
    let mut state = match state().lock() {
        Ok(state) => state,
        Err(poisoned) => poisoned.into_inner(),
    };
    let State { sandbox, ben } = &mut *state;
    let clock = world::clock();
    let store = sandbox.store();
    let Ok(request) = store.import_request(data, &clock) else {
        return;
    };
    let _ = store.decision_status(&request.id, &clock);
    let _ = store.sign_decision(&request.id, &Answer::Approve, ben, &clock);
    let reject = Answer::Reject {
        reason: "Not before the exchange confirms".to_owned(),
    };
    let _ = store.sign_decision(&request.id, &reject, ben, &clock);
    let _ = store.import_request(data, &clock);
    sandbox.touched();
});
