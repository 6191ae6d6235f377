//! Checking an approval bundle in pure Rust, as `ssh-keygen -Y verify` would
//! and then some: the record parses, the policy file is the one the record
//! binds, every signature verifies against `allowed_signers` under the
//! record's namespace, each rejection signs this record, and the quorum is
//! counted by the bound policy. A bundle that has been altered is refused;
//! one that is intact but not approved is answered with its state.
//!
//! Architecture invariant: a bundle never vouches for its own keys. Trust
//! is anchored in a plan the checker holds (the local plan, or a plan folder
//! kept in git): the bundle's policy must be that plan's policy, and every
//! signature must be made with a key that plan lists for its signer (a
//! retired key only if it was retired after the decision was made).
//! `allowed_signers` inside the bundle is a convenience for `ssh-keygen`,
//! never the trust root.

use std::fs;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::bundle::{
    Summary, ALLOWED_SIGNERS_FILE, ATTESTED_FILE, POLICY_FILE, RECORD_FILE, SUMMARY_FILE,
};
use super::model::{BundleVerdict, QuorumState, Standing, Verdict};
use super::quorum::{self, Vote};
use super::record::{response_bytes, sha256_hex, Record};
use super::sshsig;
use crate::error::{Error, Result};
use crate::plan::{DecisionPolicy, Id, Plan};

fn refused(message: String) -> Error {
    Error::Refused(message)
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    let path = dir.join(name);
    fs::read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            refused(format!(
                "{} has no {name}: this is not a complete Muster decision bundle",
                dir.display()
            ))
        } else {
            refused(format!("cannot read {}: {e}", path.display()))
        }
    })
}

/// One line of `allowed_signers`.
#[derive(Debug, Clone)]
struct Allowed {
    principals: Vec<String>,
    namespaces: Option<Vec<String>>,
    valid_after: Option<DateTime<Utc>>,
    valid_before: Option<DateTime<Utc>>,
    key: ssh_key::PublicKey,
}

/// Reads `allowed_signers` as OpenSSH does: `principals [options] key`.
fn allowed_signers(text: &str) -> Result<Vec<Allowed>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: String| refused(format!("{ALLOWED_SIGNERS_FILE}, line {}: {what}", n + 1));
        let mut parts = line.splitn(2, char::is_whitespace);
        let principals = parts.next().unwrap_or("");
        let rest = parts.next().unwrap_or("").trim_start();
        let (options, key) = if rest.starts_with("ssh-") {
            ("", rest)
        } else {
            let end = option_end(rest);
            (&rest[..end], rest[end..].trim_start())
        };
        let mut allowed = Allowed {
            principals: principals.split(',').map(str::to_owned).collect(),
            namespaces: None,
            valid_after: None,
            valid_before: None,
            key: sshsig::parse_public_key(key).map_err(bad)?,
        };
        for option in split_options(options) {
            let (name, value) = option.split_once('=').unwrap_or((option, ""));
            let value = value.trim_matches('"');
            match name.to_ascii_lowercase().as_str() {
                "namespaces" => {
                    allowed.namespaces = Some(value.split(',').map(str::to_owned).collect());
                }
                "valid-after" => {
                    allowed.valid_after = Some(
                        ssh_time(value)
                            .ok_or_else(|| bad(format!("valid-after `{value}` is not a time")))?,
                    )
                }
                "valid-before" => {
                    allowed.valid_before = Some(
                        ssh_time(value)
                            .ok_or_else(|| bad(format!("valid-before `{value}` is not a time")))?,
                    )
                }
                "cert-authority" => {
                    return Err(bad(
                        "certificate authorities are not used by Muster".to_owned()
                    ))
                }
                _ => {}
            }
        }
        out.push(allowed);
    }
    Ok(out)
}

/// Where the options field ends: the first blank outside quotes.
fn option_end(text: &str) -> usize {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return i,
            _ => {}
        }
    }
    text.len()
}

fn split_options(options: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in options.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&options[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < options.len() {
        out.push(&options[start..]);
    }
    out
}

/// `YYYYMMDD[HHMM[SS]]` with an optional `Z`; read as UTC.
fn ssh_time(text: &str) -> Option<DateTime<Utc>> {
    let digits = text.strip_suffix('Z').unwrap_or(text);
    let padded = match digits.len() {
        8 => format!("{digits}000000"),
        12 => format!("{digits}00"),
        14 => digits.to_owned(),
        _ => return None,
    };
    NaiveDateTime::parse_from_str(&padded, "%Y%m%d%H%M%S")
        .ok()
        .map(|t| t.and_utc())
}

/// A signature file's number, contact and verdict from its name:
/// `NN-<contact>.sig` or `NN-<contact>.reject.sig`.
fn signature_name(name: &str) -> Option<(Id, Verdict)> {
    let (stem, verdict) = match name.strip_suffix(".reject.sig") {
        Some(stem) => (stem, Verdict::Reject),
        None => (name.strip_suffix(".sig")?, Verdict::Approve),
    };
    let (number, contact) = stem.split_once('-')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((Id::parse(contact).ok()?, verdict))
}

/// Whether `plan` lists `key` for `contact` at `at`: its current key, or a
/// key it retired after `at`.
fn plan_vouches(plan: &Plan, contact: &Id, key: &ssh_key::PublicKey, at: DateTime<Utc>) -> bool {
    let parsed = |line: &str| sshsig::parse_public_key(line).ok();
    let same = |line: &str| parsed(line).is_some_and(|k| sshsig::same_key(&k, key));
    let Some(member) = plan.core_team.iter().find(|m| &m.id == contact) else {
        return false;
    };
    member.public_key.as_deref().is_some_and(same)
        || member
            .retired_keys
            .iter()
            .any(|r| r.retired_from > at && same(&r.key))
}

/// Checks the bundle in `dir` against `anchor`, the plan the checker trusts
/// (see the module's invariant); `now` decides whether an unapproved
/// decision has expired.
pub fn verify_bundle(dir: &Path, anchor: &Plan, now: DateTime<Utc>) -> Result<BundleVerdict> {
    verify_bundle_pinned(dir, anchor, None, now)
}

/// [`verify_bundle`] by a checker who pinned the team's roster (`root`, its
/// version 1's digest): when the bundle carries `roster.json`, its chain
/// must lead from that root to the version the decision was requested
/// under, and that version's keys and approvers are the ones trusted — a
/// key added later never signs for the past, and a key rotated since still
/// vouches for what it signed before.
pub fn verify_bundle_pinned(
    dir: &Path,
    anchor: &Plan,
    root: Option<&str>,
    now: DateTime<Utc>,
) -> Result<BundleVerdict> {
    let carried = match fs::read(dir.join(super::bundle::ROSTER_FILE)) {
        Ok(bytes) => Some(
            serde_json::from_slice::<super::bundle::BundleRoster>(&bytes)
                .map_err(|e| refused(format!("{}: {e}", super::bundle::ROSTER_FILE)))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(refused(format!("{}: {e}", super::bundle::ROSTER_FILE))),
    };
    match (root, carried) {
        (Some(root), Some(carried)) => {
            use crate::team::roster;
            let chain = roster::evaluate(root, &roster::gather(carried.files), &[]);
            let Some(then) = chain.at(carried.version) else {
                return Err(refused(format!(
                    "{}: its roster entries do not lead from the roster you pinned ({}) to version {}, under which the decision was requested: they are another team's, forged or incomplete",
                    super::bundle::ROSTER_FILE,
                    roster::fingerprint(root),
                    carried.version
                )));
            };
            let mut trusted = anchor.clone();
            then.roster.impose(&mut trusted);
            // A key the checker's own plan has retired since stays retired
            // from then: a stolen key cannot sign a decision dated later.
            let same =
                |a: &str, b: &str| match (sshsig::parse_public_key(a), sshsig::parse_public_key(b))
                {
                    (Ok(a), Ok(b)) => sshsig::same_key(&a, &b),
                    _ => false,
                };
            for member in &mut trusted.core_team {
                let Some(here) = anchor.core_team.iter().find(|a| a.id == member.id) else {
                    continue;
                };
                for retired in &here.retired_keys {
                    if member
                        .public_key
                        .as_deref()
                        .is_some_and(|k| same(k, &retired.key))
                    {
                        member.public_key = None;
                    }
                    member.retired_keys.retain(|r| !same(&r.key, &retired.key));
                    member.retired_keys.push(retired.clone());
                }
            }
            checked(dir, &trusted, now)
        }
        _ => checked(dir, anchor, now),
    }
}

fn checked(dir: &Path, anchor: &Plan, now: DateTime<Utc>) -> Result<BundleVerdict> {
    let record_bytes = read(dir, RECORD_FILE)?;
    let record =
        Record::parse(&record_bytes).map_err(|e| refused(format!("{RECORD_FILE}: {e}")))?;
    let record_sha256 = sha256_hex(&record_bytes);
    let policy_bytes = read(dir, POLICY_FILE)?;
    if sha256_hex(&policy_bytes) != record.policy_version {
        return Err(refused(format!(
            "{POLICY_FILE} is not the policy {RECORD_FILE} was requested under (its SHA-256 differs from the record's policy-version): the policy was altered"
        )));
    }
    let policy: DecisionPolicy = serde_json::from_slice(&policy_bytes)
        .map_err(|e| refused(format!("{POLICY_FILE} cannot be read: {e}")))?;
    if policy.id != record.policy {
        return Err(refused(format!(
            "{POLICY_FILE} is the policy `{}`, but the record names `{}`",
            policy.id, record.policy
        )));
    }
    let Some(trusted) = anchor.decision(&record.policy) else {
        return Err(refused(format!(
            "the plan it is checked against has no decision policy `{}`: check it against the plan it was made under",
            record.policy
        )));
    };
    if trusted != &policy {
        return Err(refused(format!(
            "{POLICY_FILE} is not the plan's policy `{}` (its approvers or counts differ): the bundle cannot choose its own approvers; check it against the plan it was made under",
            record.policy
        )));
    }
    let summary: Summary = serde_json::from_slice(&read(dir, SUMMARY_FILE)?)
        .map_err(|e| refused(format!("{SUMMARY_FILE} cannot be read: {e}")))?;
    if summary.decision != record.decision || summary.policy != policy {
        return Err(refused(format!(
            "{SUMMARY_FILE} describes another decision or policy than {RECORD_FILE} and {POLICY_FILE}"
        )));
    }
    let allowed_text = String::from_utf8(read(dir, ALLOWED_SIGNERS_FILE)?)
        .map_err(|_| refused(format!("{ALLOWED_SIGNERS_FILE} is not UTF-8 text")))?;
    let allowed = allowed_signers(&allowed_text)?;

    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(|e| refused(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for listed in &summary.signatures {
        if !names.contains(&listed.file) {
            return Err(refused(format!(
                "{SUMMARY_FILE} lists {}, which is missing from the bundle",
                listed.file
            )));
        }
    }
    let mut votes = Vec::new();
    let mut verified = Vec::new();
    for name in &names {
        let Some((contact, verdict)) = signature_name(name) else {
            continue;
        };
        let armored = String::from_utf8(read(dir, name)?)
            .map_err(|_| refused(format!("{name} is not UTF-8 text")))?;
        let sig = sshsig::parse_signature(&armored).map_err(|e| refused(format!("{name}: {e}")))?;
        let message = match verdict {
            Verdict::Approve => record_bytes.clone(),
            Verdict::Reject => {
                let response_name = format!("{}.txt", name.trim_end_matches(".sig"));
                let response = read(dir, &response_name)?;
                let reason = std::str::from_utf8(&response)
                    .ok()
                    .and_then(|t| t.lines().find_map(|l| l.strip_prefix("reason: ")))
                    .unwrap_or("");
                if response != response_bytes(&record.decision, &record_sha256, reason) {
                    return Err(refused(format!(
                        "{response_name} is not a rejection of this record (it names another decision or record hash, or was altered)"
                    )));
                }
                response
            }
        };
        let key = sshsig::signature_key(&sig);
        let listed = allowed.iter().find(|a| {
            a.principals.iter().any(|p| p == contact.as_str())
                && sshsig::same_key(&a.key, &key)
                && a.namespaces
                    .as_ref()
                    .is_none_or(|ns| ns.contains(&record.namespace))
                // As OpenSSH reads them: both ends included.
                && a.valid_after.is_none_or(|t| t <= record.created)
                && a.valid_before.is_none_or(|t| record.created <= t)
        });
        if listed.is_none() {
            return Err(refused(format!(
                "{name}: the key {} that made it is not listed for {contact} under {} in {ALLOWED_SIGNERS_FILE}",
                sshsig::fingerprint(&key),
                record.namespace
            )));
        }
        if !plan_vouches(anchor, &contact, &key, record.created) {
            return Err(refused(format!(
                "{name}: the key {} that made it is not a key the plan lists for {contact} (the bundle cannot vouch for its own keys)",
                sshsig::fingerprint(&key)
            )));
        }
        sshsig::verify(&key, &record.namespace, &message, &sig).map_err(|e| {
            refused(match e {
                sshsig::VerifyError::Namespace(found) => format!(
                    "{name} was made under the namespace `{found}`, not this decision's `{}`",
                    record.namespace
                ),
                _ => format!(
                    "{name} does not verify over {}: the bundle was altered",
                    if verdict == Verdict::Approve {
                        RECORD_FILE
                    } else {
                        "its rejection"
                    }
                ),
            })
        })?;
        verified.push(name.clone());
        votes.push(Vote {
            contact,
            verdict,
            signed: true,
        });
    }
    let attested_text = String::from_utf8(read(dir, ATTESTED_FILE)?)
        .map_err(|_| refused(format!("{ATTESTED_FILE} is not UTF-8 text")))?;
    for line in attested_text.lines() {
        if let Some(rest) = line.strip_prefix("approver: ") {
            let who = rest.split_whitespace().next().unwrap_or("");
            if let Ok(contact) = Id::parse(who) {
                votes.push(Vote {
                    contact,
                    verdict: Verdict::Approve,
                    signed: false,
                });
            }
        }
    }
    let name = |id: &Id| {
        summary
            .approvers
            .iter()
            .find(|a| &a.contact == id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
    let quorum = quorum::evaluate(
        &policy,
        &votes,
        quorum::Open::unless_expired(now > record.expires),
        &name,
    );
    let approved = quorum.state == QuorumState::Approved;
    let unsigned_counted = if approved {
        quorum
            .approvers
            .iter()
            .filter(|a| a.standing == Standing::Attested)
            .map(|a| a.contact.clone())
            .collect()
    } else {
        Vec::new()
    };
    Ok(BundleVerdict {
        decision: record.decision,
        statement: record.statement,
        policy: record.policy,
        namespace: record.namespace,
        quorum,
        approved,
        verified,
        unsigned_counted,
    })
}
