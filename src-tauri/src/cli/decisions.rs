//! `muster key init|show` and `muster decision request|sign|import|attest|
//! status|bundle|verify`: signing keys and signed decisions from the command
//! line, so approvals work by files between laptops (even air-gapped ones).
//! Each command calls one store (or `signing`) function and prints the result;
//! times are shown in the local time zone.
//!
//! Exit codes: 0 on success; 1 when the work failed (the message says why and
//! nothing was changed) or, for `decision verify`, when the bundle does not
//! prove an approved decision (the reason is printed); 2 for a usage error
//! (clap's own). A command that changes an incident's timeline tells a
//! running app on the same data folder.
//!
//! The private key is read from the OS keychain only by the commands that
//! need it (`key show`, `decision sign`) and is never printed.

use std::path::Path;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use clap::Subcommand;
use muster_core::clock::{Clock, SystemClock};
use muster_core::decision::{
    verify_bundle_pinned, Answer, ApproverStanding, DecisionId, DecisionStatus, QuorumState,
    Standing,
};
use muster_core::incident::IncidentId;
use muster_core::ops::decision_file::{self, FileKind};
use muster_core::plan::Id;

use super::exports::write_out;
use super::{open, print};
use crate::keychain::Keychain;
use crate::signing::{self, InPlan};
use crate::zone::local_zone;

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Create this profile's signing key in the OS keychain and put its public
    /// key on your contact in the plan (one revision). Prints its fingerprint
    Init {
        /// You, as a core team member (`muster plan show` lists the ids)
        #[arg(long = "as", value_name = "CONTACT", value_parser = Id::parse)]
        contact: Id,
        /// Replace the existing key: the plan keeps the old one as retired from now
        #[arg(long)]
        rotate: bool,
    },
    /// Show whom this profile signs as, its key's fingerprint and public key
    Show,
}

#[derive(Debug, Subcommand)]
pub enum DecisionCommand {
    /// Ask for a decision under one of the plan's decision policies on an
    /// incident; writes the request file to give to each approver
    Request {
        /// The decision policy, by id (`muster plan show` lists them)
        #[arg(long, value_name = "P", value_parser = Id::parse)]
        policy: Id,
        /// The incident, e.g. INC-3
        #[arg(long, value_name = "I")]
        incident: String,
        /// What is to be decided, on one line
        #[arg(long, value_name = "S")]
        statement: String,
        /// The request file to write, or - for standard output
        #[arg(long, value_name = "FILE")]
        out: String,
        /// How long approvals may be given, e.g. 30m, 4h, 2d
        #[arg(long, value_name = "DURATION", default_value = "4h", value_parser = parse_duration)]
        expires_in: Duration,
    },
    /// Approve or reject a request file with this profile's key; writes a
    /// signature file to send back to the requester
    Sign {
        /// The request file
        file: String,
        /// Approve the request
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        approve: bool,
        /// Reject the request, saying why (one line)
        #[arg(long, value_name = "REASON")]
        reject: Option<String>,
        /// The signature file to write, or - for standard output
        #[arg(long, value_name = "SIGFILE")]
        out: String,
    },
    /// Take in a decision file: an approver's signature (counted on the request
    /// made here) or a request made elsewhere (to sign here); prints where the
    /// decision stands
    Import {
        /// The signature or request file
        file: String,
    },
    /// Record an approval given without a signature (a phone call): stored and
    /// exported as UNSIGNED, counted only where the policy allows it
    Attest {
        /// The decision, e.g. DEC-1f3a9c0b7d2e4a61
        id: String,
        /// Who approved, by contact id
        #[arg(long, value_name = "C", value_parser = Id::parse)]
        approver: Id,
        /// How they approved, e.g. "phone"
        #[arg(long, value_name = "CH")]
        channel: String,
        /// When they approved: 2026-11-24T03:10:00Z, or 2026-11-24 03:10 (local time)
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        at: DateTime<Utc>,
        /// Who heard the approval, by contact id
        #[arg(long, value_name = "C", value_parser = Id::parse)]
        witness: Id,
    },
    /// Show a decision: its request, every approver's standing, signatures and
    /// attested approvals
    Status {
        /// The decision, e.g. DEC-1f3a9c0b7d2e4a61
        id: String,
    },
    /// Write a decision's approval bundle: the record, one .sig per signature,
    /// allowed_signers and a README with the `ssh-keygen -Y verify` commands
    Bundle {
        /// The decision, e.g. DEC-1f3a9c0b7d2e4a61
        id: String,
        /// The folder to write (new or empty)
        #[arg(long, value_name = "DIR")]
        out: String,
    },
    /// Check an approval bundle against a plan you trust: exit 0 only when its
    /// signatures, made with keys that plan lists, prove an approved decision
    /// under that plan's policy; 1 otherwise (saying why). A bundle never
    /// vouches for its own keys
    Verify {
        /// The bundle folder
        dir: String,
        /// A plan folder to trust [default: the plan in the data folder]
        #[arg(long, value_name = "DIR")]
        plan: Option<String>,
    },
}

pub fn key(data_dir: &Path, command: KeyCommand) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    match command {
        KeyCommand::Init { contact, rotate } => {
            let keys = Keychain::os().map_err(|e| e.to_string())?;
            let seed = signing::draw_seed()?;
            let done = signing::set_up(&mut store, &keys, &contact, rotate, seed, &SystemClock)
                .map_err(|e| e.to_string())?;
            let mut out = format!("Signing key for {}: {}\n", done.name, done.fingerprint);
            if let Some((old, from)) = &done.retired {
                out.push_str(&format!(
                    "The old key {old} is retired from {}: signatures made with it from then on are refused\n",
                    local(*from)
                ));
            }
            let revision = done
                .revision
                .map(|r| format!(" (revision {r})"))
                .unwrap_or_default();
            match &done.roster {
                None => out.push_str(&format!(
                    "The plan lists its public key for {}{revision}: share the plan (`muster plan export`) so others can check your signatures\n",
                    done.name
                )),
                Some(signing::RosterKey::InForce(version)) => out.push_str(&format!(
                    "The team's roster takes it as version {version}, signed by your old and new key; it reaches your teammates with the next sync\n"
                )),
                Some(signing::RosterKey::Waiting(fingerprint)) => out.push_str(&format!(
                    "The team's roster keeps keys: your key is proposed as roster version {fingerprint}, and counts once its admins sign it (`muster roster sign {fingerprint}` on an admin's laptop)\n"
                )),
            }
            print(&out)?;
            Ok(0)
        }
        KeyCommand::Show => {
            let keys = Keychain::os().map_err(|e| e.to_string())?;
            let info = signing::show(&mut store, &keys).map_err(|e| e.to_string())?;
            let (who, name) = match &info.contact {
                Some((id, Some(name))) => (format!("{name} ({id})"), name.clone()),
                Some((id, None)) => (
                    format!("`{id}`, who is not in the plan's core team"),
                    id.to_string(),
                ),
                None => ("nobody yet".to_owned(), String::new()),
            };
            let standing = match info.in_plan {
                InPlan::Current => format!("the plan lists it as {name}'s current key"),
                InPlan::Retired(at) => format!(
                    "the plan lists it as retired from {}: signatures made with it are refused; run `muster key init --as CONTACT --rotate`",
                    local(at)
                ),
                InPlan::Missing => format!(
                    "the plan does not list it for {name}: import the plan that does, or run `muster key init --as CONTACT --rotate`"
                ),
                InPlan::NoContact => {
                    "this profile does not say who you are: run `muster key init --as CONTACT --rotate`".to_owned()
                }
            };
            print(&format!(
                "Signs as: {who}\nFingerprint: {}\nPublic key: {}\nIn the plan: {standing}\n",
                info.fingerprint, info.public_key
            ))?;
            Ok(0)
        }
    }
}

pub fn decision(data_dir: &Path, command: DecisionCommand) -> Result<u8, String> {
    if let DecisionCommand::Verify { dir, plan } = command {
        // The plan folder given, or this profile's plan and pinned roster.
        let (anchor, root) = match plan {
            Some(folder) => (
                muster_core::ops::folder::read(
                    Path::new(&folder),
                    "it cannot be trusted to check the bundle",
                )
                .map_err(super::rejected)?,
                None,
            ),
            None => {
                let mut store = open(data_dir)?;
                let root = store.roster_root().map_err(|e| e.to_string())?;
                ((*store.current().map_err(|e| e.to_string())?).clone(), root)
            }
        };
        return verify(&dir, &anchor, root.as_deref());
    }
    let mut store = open(data_dir)?;
    let clock = SystemClock;
    match command {
        DecisionCommand::Request {
            policy,
            incident,
            statement,
            out,
            expires_in,
        } => {
            let mut nonce = [0u8; 32];
            getrandom::fill(&mut nonce).map_err(|e| format!("no randomness from the OS: {e}"))?;
            let request = store
                .request_decision(
                    &IncidentId(incident),
                    &policy,
                    &statement,
                    expires_in,
                    nonce,
                    &clock,
                )
                .map_err(|e| e.to_string())?;
            super::publish(data_dir, &store);
            drop(store);
            let exercise = if request.exercise {
                "EXERCISE — "
            } else {
                ""
            };
            write_out(
                &out,
                &request.record,
                &format!("the request {}", request.id),
            )?;
            eprintln!(
                "{exercise}{} on {} under “{}”, expires {}: give {out} to each approver (`muster decision sign {out} --approve --out SIGFILE`), then `muster decision import SIGFILE`",
                request.id,
                request.incident,
                request.policy_title,
                local(request.expires)
            );
            if out != "-" {
                print(&format!("{}\n", request.id))?;
            }
            Ok(0)
        }
        DecisionCommand::Sign {
            file,
            approve: _,
            reject,
            out,
        } => {
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {file}: {e}"))?;
            // The keychain first: locked or missing, nothing is imported.
            let keys = Keychain::os().map_err(|e| e.to_string())?;
            let key = signing::signing_key(&store, &keys).map_err(|e| e.to_string())?;
            let request = store
                .import_request(&bytes, &clock)
                .map_err(|e| format!("{file}: {e}"))?;
            let answer = match reject {
                Some(reason) => Answer::Reject { reason },
                None => Answer::Approve,
            };
            let signed = store
                .sign_decision(&request.id, &answer, &key, &clock)
                .map_err(|e| e.to_string())?;
            drop(key);
            let local_status = if request.local {
                Some(
                    store
                        .decision_status(&request.id, &clock)
                        .map_err(|e| e.to_string())?,
                )
            } else {
                None
            };
            let signer = store
                .plan()
                .ok()
                .and_then(|plan| plan.contact_name(&signed.signer).map(str::to_owned))
                .map_or_else(
                    || signed.signer.to_string(),
                    |name| format!("{name} ({})", signed.signer),
                );
            super::publish(data_dir, &store);
            drop(store);
            write_out(
                &out,
                &signed.text,
                &format!("the signature of {}", signed.decision),
            )?;
            let verdict = match signed.verdict {
                muster_core::decision::Verdict::Approve => "approved".to_owned(),
                muster_core::decision::Verdict::Reject => format!("rejected ({})", signed.reason),
            };
            let mut note = format!(
                "{signer} {verdict} {}: “{}”, signed with {}\n",
                signed.decision, request.statement, signed.fingerprint
            );
            match local_status {
                Some(status) => {
                    note.push_str(&format!("Counted here: {}\n", state_line(&status)));
                }
                None => note.push_str(&format!(
                    "Send {out} to the requester, who runs `muster decision import {out}`\n"
                )),
            }
            eprint!("{note}");
            Ok(0)
        }
        DecisionCommand::Import { file } => {
            let imported = decision_file::import(&mut store, Path::new(&file), &clock)
                .map_err(|e| e.to_string())?;
            super::publish(data_dir, &store);
            drop(store);
            let status = &imported.status;
            let what = match imported.kind {
                FileKind::Signature => "",
                FileKind::Request => " (a request, to sign here with `muster decision sign`)",
            };
            print(&format!(
                "Imported {file} into {}{what}\n{}\n",
                status.request.id,
                state_line(status)
            ))?;
            Ok(0)
        }
        DecisionCommand::Attest {
            id,
            approver,
            channel,
            at,
            witness,
        } => {
            let status = store
                .attest_approval(&DecisionId(id), &approver, &channel, at, &witness, &clock)
                .map_err(|e| e.to_string())?;
            super::publish(data_dir, &store);
            drop(store);
            let counts = status
                .attestations
                .iter()
                .rev()
                .find(|a| a.approver == approver)
                .map(|a| a.counts)
                .unwrap_or(false);
            let counts = if counts {
                "it counts toward the quorum under this policy"
            } else {
                "this policy does not count attested approvals toward its quorum"
            };
            print(&format!(
                "Recorded an UNSIGNED approval of {} by `{approver}` ({channel}, {}), witnessed by `{witness}`: {counts}\n{}\n",
                status.request.id,
                local(at),
                state_line(&status)
            ))?;
            Ok(0)
        }
        DecisionCommand::Status { id } => {
            let status = store
                .decision_status(&DecisionId(id), &clock)
                .map_err(|e| e.to_string())?;
            print(&describe(&status))?;
            Ok(0)
        }
        DecisionCommand::Bundle { id, out } => {
            let id = DecisionId(id);
            store
                .write_bundle(&id, Path::new(&out), &clock)
                .map_err(|e| e.to_string())?;
            let status = store
                .decision_status(&id, &clock)
                .map_err(|e| e.to_string())?;
            print(&format!(
                "Wrote the approval bundle of {id} to {out} ({}): check it with `muster decision verify {out}`, or with the `ssh-keygen -Y verify` commands in its README.md\n",
                state_line(&status)
            ))?;
            Ok(0)
        }
        // Taken above, before the store is opened for writing.
        DecisionCommand::Verify { dir, .. } => Err(format!("{dir}: not checked")),
    }
}

fn verify(dir: &str, anchor: &muster_core::plan::Plan, root: Option<&str>) -> Result<u8, String> {
    let verdict = verify_bundle_pinned(Path::new(dir), anchor, root, SystemClock.now())
        .map_err(|e| format!("{dir}: {e}"))?;
    let exercise = if verdict.namespace == muster_core::decision::EXERCISE_NAMESPACE {
        "EXERCISE — "
    } else {
        ""
    };
    let mut out = format!(
        "{exercise}{}: “{}” under `{}`\n",
        verdict.decision, verdict.statement, verdict.policy
    );
    for file in &verdict.verified {
        out.push_str(&format!("  verified {file}\n"));
    }
    for contact in &verdict.unsigned_counted {
        out.push_str(&format!(
            "  counted an UNSIGNED attested approval by `{contact}` (the policy allows it)\n"
        ));
    }
    if verdict.approved {
        out.push_str(&format!("Approved: {}\n", verdict.quorum.summary));
        print(&out)?;
        Ok(0)
    } else {
        print(&out)?;
        eprintln!(
            "muster: the bundle does not prove an approved decision: {} ({})",
            verdict.quorum.summary,
            verdict.quorum.state.as_str()
        );
        Ok(1)
    }
}

/// "Approved: …", "Pending: waiting for …" — the quorum in one line.
fn state_line(status: &DecisionStatus) -> String {
    let state = match status.quorum.state {
        QuorumState::Pending => "Pending",
        QuorumState::Approved => "Approved",
        QuorumState::Rejected => "Rejected",
        QuorumState::Expired => "Expired",
        QuorumState::Closed => "Closed with its incident",
    };
    format!("{state}: {}", status.quorum.summary)
}

fn describe(status: &DecisionStatus) -> String {
    let r = &status.request;
    let exercise = if r.exercise { "EXERCISE — " } else { "" };
    let whence = if r.local {
        format!("requested here by {}", r.requested_by)
    } else {
        format!("requested elsewhere, imported by {}", r.requested_by)
    };
    let mut out = format!(
        "{exercise}{}: “{}”\nIncident {} · policy {} ({}) · {whence}\nCreated {} · expires {}\n{}\n",
        r.id,
        r.statement,
        r.incident,
        r.policy_title,
        r.policy,
        local(r.created),
        local(r.expires),
        state_line(status)
    );
    out.push_str("Approvers:\n");
    for a in &status.quorum.approvers {
        out.push_str(&format!("  {}\n", approver(a)));
    }
    if !status.signatures.is_empty() {
        out.push_str("Signatures:\n");
        for s in &status.signatures {
            let reason = if s.reason.is_empty() {
                String::new()
            } else {
                format!(" ({})", s.reason)
            };
            out.push_str(&format!(
                "  {:02} {} ({}) {}{reason}, key {}, imported {} by {}\n",
                s.number,
                s.name,
                s.contact,
                s.verdict.as_str(),
                s.fingerprint,
                local(s.imported_at),
                s.imported_by
            ));
        }
    }
    if !status.attestations.is_empty() {
        out.push_str("Attested approvals (UNSIGNED):\n");
        for a in &status.attestations {
            let counts = if a.counts {
                "counts"
            } else {
                "not counted under this policy"
            };
            out.push_str(&format!(
                "  {:02} {} ({}) by {} at {}, witnessed by {}, recorded by {}: {counts}\n",
                a.number,
                a.approver_name,
                a.approver,
                a.channel,
                local(a.approved_at),
                a.witness_name,
                a.recorded_by
            ));
        }
    }
    out
}

fn approver(a: &ApproverStanding) -> String {
    let role = if a.required { "required" } else { "additional" };
    let standing = match a.standing {
        Standing::Waiting => "waiting",
        Standing::Signed => "approved (signed)",
        Standing::Attested => "approved (attested, UNSIGNED)",
        Standing::AttestedNotCounted => "attested (UNSIGNED), not counted under this policy",
        Standing::Rejected => "rejected",
    };
    format!("{} ({}), {role}: {standing}", a.name, a.contact)
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&local_zone())
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// `30m`, `4h`, `2d`, `1h30m`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let usage = || format!("`{text}` is not a duration: use e.g. 30m, 4h, 2d or 1h30m");
    let mut total = Duration::zero();
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().map_err(|_| usage())?;
        number.clear();
        total += match c {
            'm' => Duration::minutes(n),
            'h' => Duration::hours(n),
            'd' => Duration::days(n),
            _ => return Err(usage()),
        };
    }
    if !number.is_empty() || total.is_zero() {
        return Err(usage());
    }
    Ok(total)
}

/// RFC 3339 (`2026-11-24T03:10:00Z`), or `YYYY-MM-DD HH:MM[:SS]` in the local time zone.
fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .ok_or_else(|| {
        format!(
            "`{text}` is not a time: use 2026-11-24T03:10:00Z, or 2026-11-24 03:10 for local time"
        )
    })?;
    local_zone()
        .from_local_datetime(&naive)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| format!("{text} does not exist in the local time zone (a clock change): give the time in UTC"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_times_parse_as_documented() {
        assert_eq!(parse_duration("4h"), Ok(Duration::hours(4)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration("2d"), Ok(Duration::days(2)));
        for bad in ["", "4", "h", "4x", "0m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        let utc = parse_time("2026-11-24T03:10:00Z").unwrap();
        assert_eq!(utc.to_rfc3339(), "2026-11-24T03:10:00+00:00");
        assert!(parse_time("2026-11-24 03:10").is_ok());
        assert!(parse_time("yesterday").is_err());
    }
}
