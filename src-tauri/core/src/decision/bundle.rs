//! An approval bundle: a folder anyone can check without Muster. It holds the
//! record's exact bytes, one armored SSHSIG per signature, the rejections'
//! signed responses, the unsigned attested approvals (labelled UNSIGNED), an
//! `allowed_signers` file for `ssh-keygen -Y verify`, a README with the exact
//! commands, the policy's JSON (the bytes the record's `policy-version`
//! hashes) and a machine-readable `decision.json`. Checking one is in
//! `decision::verify`.

use std::fs;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::{Attestation, DecisionId, DecisionStatus, QuorumState, Verdict};
use super::record::{time_text, EXERCISE_NAMESPACE};
use crate::error::{Error, Result};
use crate::incident::IncidentId;
use crate::plan::{DecisionPolicy, Id};

pub const RECORD_FILE: &str = "record.txt";
pub const POLICY_FILE: &str = "policy.json";
pub const SUMMARY_FILE: &str = "decision.json";
pub const ALLOWED_SIGNERS_FILE: &str = "allowed_signers";
pub const ATTESTED_FILE: &str = "attested.txt";
pub const README_FILE: &str = "README.md";
/// The team's roster versions from its root to the one the decision was
/// requested under, when the team keeps a signed roster.
pub const ROSTER_FILE: &str = "roster.json";

/// `roster.json`: the roster version the decision was requested under, and
/// the roster files from version 1 to it, so a verifier who pinned the
/// team's root can rebuild whose keys counted then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleRoster {
    pub version: u64,
    pub files: Vec<crate::team::roster::RosterFile>,
}
/// The `format` of `decision.json`.
pub const FORMAT: &str = "muster-decision-bundle-v1";

/// One signature to put in the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPart {
    pub number: u32,
    pub contact: Id,
    pub verdict: Verdict,
    /// The armored SSHSIG.
    pub armored: String,
    /// For a rejection, the response bytes it signs.
    pub response: Option<Vec<u8>>,
    /// When Muster took it in (the README verifies a retired key at that time).
    pub imported_at: DateTime<Utc>,
}

impl SignedPart {
    /// The file holding the signature, e.g. `01-ada-example.sig`.
    pub fn sig_file(&self) -> String {
        match self.verdict {
            Verdict::Approve => format!("{:02}-{}.sig", self.number, self.contact),
            Verdict::Reject => format!("{:02}-{}.reject.sig", self.number, self.contact),
        }
    }

    /// The file the signature is over: the record, or the rejection's response.
    pub fn message_file(&self) -> String {
        match self.verdict {
            Verdict::Approve => RECORD_FILE.to_owned(),
            Verdict::Reject => format!("{:02}-{}.reject.txt", self.number, self.contact),
        }
    }
}

/// One line of `allowed_signers`: a key and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedSigner {
    pub principal: Id,
    /// `ssh-ed25519 AAAA…`.
    pub key: String,
    /// When the key was retired, if it was (it counts until the second before).
    pub valid_before: Option<DateTime<Utc>>,
}

/// Everything a bundle is written from.
#[derive(Debug, Clone)]
pub struct Contents {
    pub status: DecisionStatus,
    pub record: Vec<u8>,
    pub policy_json: Vec<u8>,
    pub policy: DecisionPolicy,
    pub signatures: Vec<SignedPart>,
    pub allowed: Vec<AllowedSigner>,
    /// The time the quorum state in `decision.json` is as of.
    pub at: DateTime<Utc>,
    /// The roster the decision was requested under, with its chain.
    pub roster: Option<BundleRoster>,
}

/// `decision.json`: the decision for programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub format: String,
    pub decision: DecisionId,
    pub incident: IncidentId,
    pub statement: String,
    pub namespace: String,
    pub exercise: bool,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub record_sha256: String,
    pub state: QuorumState,
    pub state_at: DateTime<Utc>,
    pub summary: String,
    pub policy: DecisionPolicy,
    pub approvers: Vec<SummaryApprover>,
    pub signatures: Vec<SummarySignature>,
    pub attestations: Vec<Attestation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryApprover {
    pub contact: Id,
    pub name: String,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummarySignature {
    pub file: String,
    pub signed_file: String,
    pub contact: Id,
    pub name: String,
    pub verdict: Verdict,
    pub reason: String,
    pub fingerprint: String,
    pub public_key: String,
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    fs::write(&path, bytes)
        .map_err(|e| Error::Unavailable(format!("cannot write {}: {e}", path.display())))
}

/// `YYYYMMDDHHMMSSZ`, as `allowed_signers` and `-Overify-time` take a time.
pub fn ssh_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%d%H%M%SZ").to_string()
}

/// Writes the bundle into `dir`, which must be new or empty.
pub fn write(dir: &Path, contents: &Contents) -> Result<()> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::Refused(format!(
                    "{} is not empty: write the bundle into a new or empty folder",
                    dir.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir)
                .map_err(|e| Error::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
        }
        Err(e) => {
            return Err(Error::Unavailable(format!(
                "cannot use {} for the bundle: {e}",
                dir.display()
            )));
        }
    }
    let status = &contents.status;
    write_file(dir, RECORD_FILE, &contents.record)?;
    write_file(dir, POLICY_FILE, &contents.policy_json)?;
    for part in &contents.signatures {
        let mut armored = part.armored.trim_end().to_owned();
        armored.push('\n');
        write_file(dir, &part.sig_file(), armored.as_bytes())?;
        if let Some(response) = &part.response {
            write_file(dir, &part.message_file(), response)?;
        }
    }
    write_file(
        dir,
        ALLOWED_SIGNERS_FILE,
        allowed_signers(contents).as_bytes(),
    )?;
    write_file(dir, ATTESTED_FILE, attested(status).as_bytes())?;
    let json = serde_json::to_string_pretty(&summary(contents))
        .map_err(|e| Error::Corrupt(format!("decision.json could not be written: {e}")))?;
    write_file(dir, SUMMARY_FILE, format!("{json}\n").as_bytes())?;
    write_file(dir, README_FILE, readme(contents).as_bytes())?;
    if let Some(roster) = &contents.roster {
        let json = serde_json::to_string_pretty(roster)
            .map_err(|e| Error::Corrupt(format!("roster.json could not be written: {e}")))?;
        write_file(dir, ROSTER_FILE, format!("{json}\n").as_bytes())?;
    }
    Ok(())
}

fn allowed_signers(contents: &Contents) -> String {
    let namespace = &contents.status.request.namespace;
    let mut out = String::new();
    for signer in &contents.allowed {
        let mut options = format!("namespaces=\"{namespace}\"");
        if let Some(retired) = signer.valid_before {
            // OpenSSH counts a key up to and including its valid-before
            // second; Muster refuses it from the moment of retirement.
            let last = retired - chrono::Duration::seconds(1);
            options.push_str(&format!(",valid-before=\"{}\"", ssh_time(last)));
        }
        out.push_str(&format!("{} {options} {}\n", signer.principal, signer.key));
    }
    out
}

fn attested(status: &DecisionStatus) -> String {
    let mut out = String::from(
        "UNSIGNED ATTESTED APPROVALS\n\
         These approvals were recorded by a scribe, not signed: nothing here can be\n\
         verified cryptographically. They are not signatures.\n",
    );
    if status.attestations.is_empty() {
        out.push_str("\nNo unsigned approvals were recorded.\n");
        return out;
    }
    for a in &status.attestations {
        let counts = if a.counts {
            "counted (the policy allows attested approvals)"
        } else {
            "NOT counted (the policy counts signatures only)"
        };
        out.push_str(&format!(
            "\n{:02}. UNSIGNED\napprover: {} ({})\nchannel: {}\napproved-at: {}\nwitness: {} ({})\nrecorded-by: {}\nrecorded-at: {}\nquorum: {counts}\n",
            a.number,
            a.approver,
            a.approver_name,
            a.channel,
            time_text(a.approved_at),
            a.witness,
            a.witness_name,
            a.recorded_by,
            time_text(a.recorded_at),
        ));
    }
    out
}

fn summary(contents: &Contents) -> Summary {
    let status = &contents.status;
    let request = &status.request;
    Summary {
        format: FORMAT.to_owned(),
        decision: request.id.clone(),
        incident: request.incident.clone(),
        statement: request.statement.clone(),
        namespace: request.namespace.clone(),
        exercise: request.exercise,
        created: request.created,
        expires: request.expires,
        record_sha256: request.record_sha256.clone(),
        state: status.quorum.state,
        state_at: contents.at,
        summary: status.quorum.summary.clone(),
        policy: contents.policy.clone(),
        approvers: status
            .quorum
            .approvers
            .iter()
            .map(|a| SummaryApprover {
                contact: a.contact.clone(),
                name: a.name.clone(),
                required: a.required,
            })
            .collect(),
        signatures: contents
            .signatures
            .iter()
            .zip(&status.signatures)
            .map(|(part, info)| SummarySignature {
                file: part.sig_file(),
                signed_file: part.message_file(),
                contact: info.contact.clone(),
                name: info.name.clone(),
                verdict: info.verdict,
                reason: info.reason.clone(),
                fingerprint: info.fingerprint.clone(),
                public_key: info.public_key.clone(),
            })
            .collect(),
        attestations: status.attestations.clone(),
    }
}

fn readme(contents: &Contents) -> String {
    let status = &contents.status;
    let request = &status.request;
    let namespace = &request.namespace;
    let mut out = format!(
        "# Decision {}: {}\n\n",
        request.id,
        request.statement.replace(['<', '>'], "")
    );
    if request.namespace == EXERCISE_NAMESPACE {
        out.push_str(
            "**EXERCISE**: this decision was requested in an exercise. Its signatures are made \
             under the exercise namespace and never count as a real decision.\n\n",
        );
    }
    out.push_str(&format!(
        "- **State:** {} ({}), as of {}\n- **Policy:** `{}`\n- **Incident:** {}\n- **Created:** {}\n- **Expires:** {}\n- **Record:** `record.txt`, SHA-256 `{}`\n\n",
        status.quorum.state.as_str(),
        status.quorum.summary,
        time_text(contents.at),
        request.policy,
        request.incident,
        time_text(request.created),
        time_text(request.expires),
        request.record_sha256,
    ));
    out.push_str(
        "## Check it yourself\n\n\
         Every approval is an OpenSSH signature (SSHSIG) over the exact bytes of `record.txt`. \
         `allowed_signers` says whose key is whose — but it came with the bundle, so it proves \
         nothing on its own: whoever wrote the bundle could have written it. First compare each \
         key in it with the key your own copy of the plan lists for that person (its SHA256 \
         fingerprint, e.g. from `muster key show` on the approver's laptop, or `ssh-keygen -lf` on \
         the plan's key), and check that `policy.json` is your plan's policy; \
         `muster decision verify` does both against the plan you hold. Then, with OpenSSH 8.2 or \
         later, each of these commands must print `Good \"…\" signature for …`:\n\n```sh\n",
    );
    for part in &contents.signatures {
        let retired = contents
            .allowed
            .iter()
            .any(|a| a.principal == part.contact && a.valid_before.is_some());
        let at = if retired {
            // The key has been retired since: check it at the time it was taken in.
            format!(" -Overify-time={}", ssh_time(part.imported_at))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "ssh-keygen -Y verify -f allowed_signers -I {} -n {namespace} -s {}{at} < {}\n",
            part.contact,
            part.sig_file(),
            part.message_file()
        ));
    }
    if contents.signatures.is_empty() {
        out.push_str("# no signatures yet\n");
    }
    out.push_str("```\n\n");
    if contents
        .signatures
        .iter()
        .any(|p| p.verdict == Verdict::Reject)
    {
        out.push_str(&format!(
            "A rejection signs its own file (`NN-<contact>.reject.txt`), which names the decision \
             and the SHA-256 of `record.txt`: `sha256sum record.txt` must print `{}`.\n\n",
            request.record_sha256
        ));
    }
    out.push_str(
        "The rule the approvals are counted by is `policy.json`; the record binds it: \
         `sha256sum policy.json` must print the hex after `policy-version: sha256:` in \
         `record.txt`.\n\n\
         `attested.txt` lists approvals recorded without a signature (UNSIGNED); they count only \
         where the policy allows attested approvals.\n\n\
         `muster decision verify <this folder>` repeats all of this and checks the quorum.\n\n",
    );
    if let Some(roster) = &contents.roster {
        let root = roster
            .files
            .iter()
            .find(|f| f.roster.version == 1)
            .map(|f| crate::team::roster::fingerprint(&f.roster.digest()))
            .unwrap_or_default();
        out.push_str(&format!(
            "The team keeps a signed roster: the decision was requested under its version {}. \
             `roster.json` carries versions 1 to {} with their signatures; on a laptop that \
             pinned the team's roster (fingerprint `{root}`), `muster decision verify` rebuilds \
             from it whose keys counted then.\n\n",
            roster.version, roster.version
        ));
    }
    out.push_str("## Signatures\n\n");
    for (part, info) in contents.signatures.iter().zip(&status.signatures) {
        let reason = if info.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", info.reason.replace(['<', '>'], ""))
        };
        out.push_str(&format!(
            "- `{}`: {} ({}) {}{reason}, key {}\n",
            part.sig_file(),
            info.name.replace(['<', '>'], ""),
            info.contact,
            match info.verdict {
                Verdict::Approve => "approved",
                Verdict::Reject => "rejected",
            },
            info.fingerprint
        ));
    }
    if contents.signatures.is_empty() {
        out.push_str("None yet.\n");
    }
    out
}
