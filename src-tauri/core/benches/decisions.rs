//! Signing and verifying decisions: what an approver waits for after
//! pressing Approve (an SSHSIG over the record, armored), what the requester
//! waits for per signature (read the armor, check it over the record), and a
//! whole `import_signature` (every check, the row and its event, synced to
//! disk with synchronous=FULL). Prints the median and the 99th percentile.
//!
//! Run with `cargo bench -p muster-core --bench decisions`.

use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Utc};
use muster_core::clock::FixedClock;
use muster_core::decision::model::{Answer, DecisionRequest};
use muster_core::decision::record::SignatureText;
use muster_core::decision::sshsig;
use muster_core::incident::model::Declaration;
use muster_core::plan::{id, Severity};
use muster_core::store::Store;

const RUNS: usize = 1_000;
const IMPORTS: usize = 200;

mod common;

use common::{percentiles, run_in_temp, BenchResult};

fn main() -> ExitCode {
    run_in_temp("decisions", measure)
}

fn measure(dir: &std::path::Path) -> BenchResult {
    let t0: DateTime<Utc> = "2026-11-24T03:00:00Z".parse()?;
    let clock = FixedClock(t0);
    let ada = sshsig::generate([1; 32]);
    let ben = sshsig::generate([2; 32]);

    let mut store = Store::open_in(dir, &clock)?;
    let mut plan = store.plan()?;
    plan.core_team[0].public_key = Some(sshsig::public_line(ada.public_key()));
    plan.core_team[1].public_key = Some(sshsig::public_line(ben.public_key()));
    store.replace_plan(&plan, "Signing keys", &clock)?;
    let incident = store
        .declare_incident(
            &Declaration {
                issue: Some(id("stolen-user-funds")),
                category: None,
                title: None,
                severity: Severity::S1,
                exercise: false,
                description: String::new(),
                lead: None,
                scribe: None,
                communications: None,
            },
            &clock,
        )?
        .id;
    let mut requests: Vec<DecisionRequest> = Vec::new();
    for n in 0..common::runs(IMPORTS) {
        let mut nonce = [7u8; 32];
        nonce[..8].copy_from_slice(&(n as u64).to_be_bytes());
        requests.push(store.request_decision(
            &incident,
            &id("pause-contract"),
            "Pause the Vault contract on mainnet",
            chrono::Duration::hours(4),
            nonce,
            &clock,
        )?);
    }
    let record = requests[0].record.as_bytes();
    let namespace = requests[0].namespace.as_str();

    let mut sign = Vec::with_capacity(RUNS);
    let mut armored = String::new();
    for _ in 0..common::runs(RUNS) {
        let t = Instant::now();
        armored = sshsig::sign(&ada, namespace, record)?;
        sign.push(t.elapsed());
    }
    let mut verify = Vec::with_capacity(RUNS);
    for _ in 0..common::runs(RUNS) {
        let t = Instant::now();
        let sig = sshsig::parse_signature(&armored)?;
        let ok = sshsig::verify(ada.public_key(), namespace, record, &sig).is_ok();
        verify.push(t.elapsed());
        if !ok {
            return Err("a good signature did not verify".into());
        }
    }
    let mut import = Vec::with_capacity(IMPORTS);
    for r in &requests {
        let text = SignatureText {
            decision: r.id.clone(),
            verdict: Answer::Approve.verdict(),
            reason: String::new(),
            signer_key: sshsig::public_line(ben.public_key()),
            armored: sshsig::sign(&ben, namespace, r.record.as_bytes())?,
        }
        .render();
        let t = Instant::now();
        store.import_signature(&text, &clock)?;
        import.push(t.elapsed());
    }
    println!("record of {} bytes, ed25519, SHA-512", record.len());
    percentiles("sign (SSHSIG, armored)", sign, "");
    percentiles("verify (parse + check)", verify, "");
    percentiles("import_signature (stored)", import, "");
    Ok(())
}
