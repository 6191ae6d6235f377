//! What a signature or an attested approval must pass before it is stored:
//! each check a refusal that names what is wrong and where, and changes
//! nothing. Pure apart from reading: the store calls these inside the write
//! transaction, with the plan and the decision as they are.

use chrono::{DateTime, Utc};

use crate::decision::model::{DecisionRequest, Verdict};
use crate::decision::record::{response_bytes, time_text, SignatureText, EXERCISE_NAMESPACE};
use crate::decision::sshsig::{self, VerifyError};
use crate::decision::PublicKey;
use crate::error::{Error, Result};
use crate::plan::{CoreMember, DecisionPolicy, Id, Plan};

fn refused(message: String) -> Error {
    Error::Refused(message)
}

/// Whether `contact` is an approver of `policy` (required or in the pool).
pub fn is_approver(policy: &DecisionPolicy, contact: &Id) -> bool {
    policy.required.contains(contact) || policy.additional.contains(contact)
}

/// "`pause-contract` (its approvers are ada-example, ben-sample)".
pub fn not_an_approver(who: &str, contact: &Id, policy: &DecisionPolicy) -> Error {
    let approvers: Vec<&str> = policy
        .required
        .iter()
        .chain(&policy.additional)
        .map(Id::as_str)
        .collect();
    refused(format!(
        "{who} ({contact}) is not an approver of the decision policy `{}`: its approvers are {}",
        policy.id,
        approvers.join(", ")
    ))
}

/// The core member whose current or retired key `key` is, and the moment it
/// was retired, if it was.
pub fn key_owner<'a>(
    plan: &'a Plan,
    key: &PublicKey,
) -> Option<(&'a CoreMember, Option<DateTime<Utc>>)> {
    let matches =
        |line: &str| sshsig::parse_public_key(line).is_ok_and(|k| sshsig::same_key(&k, key));
    plan.core_team.iter().find_map(|m| {
        if m.public_key.as_deref().is_some_and(matches) {
            return Some((m, None));
        }
        m.retired_keys
            .iter()
            .find(|r| matches(&r.key))
            .map(|r| (m, Some(r.retired_from)))
    })
}

/// The message a signature of `verdict` signs for `request`.
pub fn message(request: &DecisionRequest, verdict: Verdict, reason: &str) -> Vec<u8> {
    match verdict {
        Verdict::Approve => request.record.as_bytes().to_vec(),
        Verdict::Reject => response_bytes(&request.id, &request.record_sha256, reason),
    }
}

/// A signature that passed every check, ready to store.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub contact: Id,
    pub name: String,
    pub public_key: String,
    pub fingerprint: String,
    pub response: Option<Vec<u8>>,
}

/// Checks a parsed signature file against `request` (found by the file's
/// decision id) at `now`. `others` lists the other stored requests, to tell
/// a replay from an alteration; `signed` says who has signed already.
pub fn signature(
    plan: &Plan,
    request: &DecisionRequest,
    policy: &DecisionPolicy,
    file: &SignatureText,
    others: &[DecisionRequest],
    signed: &[(Id, Verdict)],
    now: DateTime<Utc>,
) -> Result<Accepted> {
    let id = &request.id;
    if !request.local {
        return Err(refused(format!(
            "{id} was requested on another computer: send the signature file to the requester, who imports it there"
        )));
    }
    if now > request.expires {
        return Err(refused(format!(
            "{id} expired at {}: a signature taken in later does not count; ask for a new request",
            time_text(request.expires)
        )));
    }
    let sig = sshsig::parse_signature(&file.armored)
        .map_err(|e| refused(format!("the signature for {id} cannot be read: {e}")))?;
    let named = sshsig::parse_public_key(&file.signer_key).map_err(|e| {
        refused(format!(
            "the signer-key line of the signature for {id} cannot be read: {e}"
        ))
    })?;
    let key = sshsig::signature_key(&sig);
    let fingerprint = sshsig::fingerprint(&key);
    if !sshsig::same_key(&named, &key) {
        return Err(refused(format!(
            "the signature for {id} was made by the key {fingerprint}, not the signer-key it names ({}): the file was altered",
            sshsig::fingerprint(&named)
        )));
    }
    if sig.namespace() != request.namespace {
        return Err(refused(if sig.namespace() == EXERCISE_NAMESPACE {
            format!(
                "an exercise signature cannot count on a real decision: {id} is real ({}) and this signature was made under {EXERCISE_NAMESPACE}",
                request.namespace
            )
        } else if request.exercise {
            format!(
                "{id} is an exercise decision ({}): this signature was made under `{}`, and only exercise signatures count on it",
                request.namespace,
                sig.namespace()
            )
        } else {
            format!(
                "the signature for {id} was made under the namespace `{}`, not `{}`",
                sig.namespace(),
                request.namespace
            )
        }));
    }
    let signed_bytes = message(request, file.verdict, &file.reason);
    if let Err(e) = sshsig::verify(&key, &request.namespace, &signed_bytes, &sig) {
        debug_assert_eq!(e, VerifyError::Invalid);
        let replayed = others.iter().find(|other| {
            let bytes = message(other, file.verdict, &file.reason);
            key.verify(sig.namespace(), &bytes, &sig).is_ok()
        });
        return Err(refused(match replayed {
            Some(other) => format!(
                "this signature was made for {}, not {id}: a signature cannot be reused on another decision",
                other.id
            ),
            None => format!(
                "the signature for {id} does not verify over its {}: the file was altered, or it was made over other bytes",
                match file.verdict {
                    Verdict::Approve => "record",
                    Verdict::Reject => "rejection and reason",
                }
            ),
        }));
    }
    let Some((member, retired_from)) = key_owner(plan, &key) else {
        return Err(refused(format!(
            "the key {fingerprint} that signed {id} is not in the plan: no contact lists it, current or retired. The signer sets up their key (`muster key init --as CONTACT`) and shares the plan; import it here first"
        )));
    };
    if let Some(retired) = retired_from.filter(|t| now >= *t) {
        return Err(refused(format!(
            "the key {fingerprint} of {} was retired on {}: signatures made with it are refused from then on; sign {id} again with the current key",
            member.name,
            time_text(retired)
        )));
    }
    if !is_approver(policy, &member.id) {
        return Err(not_an_approver(&member.name, &member.id, policy));
    }
    if let Some((_, verdict)) = signed.iter().find(|(c, _)| c == &member.id) {
        return Err(refused(format!(
            "{} has already signed {id} ({}d): a person counts once, so this signature was not added",
            member.name,
            verdict.as_str()
        )));
    }
    Ok(Accepted {
        contact: member.id.clone(),
        name: member.name.clone(),
        public_key: sshsig::public_line(&key),
        fingerprint,
        response: (file.verdict == Verdict::Reject).then_some(signed_bytes),
    })
}

/// Checks an attested approval of `approver`, witnessed by `witness`, given
/// at `approved_at`, recorded at `now`. `signed` and `attested` say who has
/// signed or been attested already; `channel` is what is wrong with the
/// channel, if anything. Every problem comes back at once, each at its field
/// of the `attestation` (`approver`, `witness`, `approvedAt`, `channel`).
#[allow(clippy::too_many_arguments)]
pub fn attestation(
    plan: &Plan,
    request: &DecisionRequest,
    policy: &DecisionPolicy,
    approver: &Id,
    witness: &Id,
    approved_at: DateTime<Utc>,
    channel: Option<String>,
    signed: &[(Id, Verdict)],
    attested: &[Id],
    now: DateTime<Utc>,
) -> Result<(String, String)> {
    let id = &request.id;
    if !request.local {
        return Err(refused(format!(
            "{id} was requested on another computer: approvals are recorded where it was requested"
        )));
    }
    let mut problems = Vec::new();
    let mut at = |field, message: String| {
        problems.push(crate::plan::Problem::at("attestation", "", field, message));
    };
    let name = plan.contact_name(approver);
    let shown = name.unwrap_or(approver.as_str());
    match name {
        None => at(
            "approver",
            format!("no contact in the core or extended team has the id `{approver}`"),
        ),
        Some(name) if !is_approver(policy, approver) => {
            at(
                "approver",
                not_an_approver(name, approver, policy).to_string(),
            );
        }
        Some(name) => {
            if let Some((_, verdict)) = signed.iter().find(|(c, _)| c == approver) {
                at(
                    "approver",
                    format!(
                        "{name} has already signed {id} ({}d): a person counts once, so the attested approval was not added",
                        verdict.as_str()
                    ),
                );
            } else if attested.contains(approver) {
                at(
                    "approver",
                    format!(
                        "{name}'s approval of {id} is already recorded as attested: a person counts once"
                    ),
                );
            }
        }
    }
    let witness_name = plan.contact_name(witness);
    if witness_name.is_none() {
        at(
            "witness",
            format!("no contact in the core or extended team has the id `{witness}`"),
        );
    } else if witness == approver {
        at(
            "witness",
            format!("{shown} cannot witness their own approval: name who heard it given"),
        );
    }
    if approved_at > now {
        at(
            "approvedAt",
            format!(
                "the approval's time {} is in the future: give the time {shown} approved",
                time_text(approved_at)
            ),
        );
    } else if approved_at < request.created {
        at(
            "approvedAt",
            format!(
                "the approval's time {} is before {id} was requested ({}): give the time {shown} approved this request",
                time_text(approved_at),
                time_text(request.created)
            ),
        );
    } else if approved_at > request.expires {
        at(
            "approvedAt",
            format!(
                "the approval's time {} is after {id} expired ({}): it cannot count; ask for a new request",
                time_text(approved_at),
                time_text(request.expires)
            ),
        );
    }
    if let Some(message) = channel {
        at("channel", message);
    }
    match (name, witness_name) {
        (Some(name), Some(witness_name)) if problems.is_empty() => {
            Ok((name.to_owned(), witness_name.to_owned()))
        }
        _ => Err(Error::Invalid {
            what: "attested approval",
            problems,
        }),
    }
}
