//! The quorum rule, pure: a decision is approved when every required
//! approver approved and enough distinct people of the additional pool did;
//! a person counts once; a required approver's rejection blocks; attested
//! (unsigned) approvals count only where the policy allows them; past its
//! expiry an unapproved decision is expired; one still open when its
//! incident closed is closed.

use super::model::{ApproverStanding, Quorum, QuorumState, Standing, Verdict};
use crate::plan::{DecisionPolicy, Id};

/// One person's answer as recorded: signed, or attested by the scribe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    pub contact: Id,
    pub verdict: Verdict,
    /// False for an attested (unsigned) approval.
    pub signed: bool,
}

/// Whether a request can still be answered, as far as time and its
/// incident say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    Yes,
    /// Past its expiry.
    Expired,
    /// Closed with its incident while pending.
    Closed,
}

impl Open {
    /// Open, or expired when `expired`.
    pub fn unless_expired(expired: bool) -> Open {
        if expired {
            Open::Expired
        } else {
            Open::Yes
        }
    }
}

/// Where `policy`'s quorum stands given `votes`. `open` says whether the
/// request is past its expiry or was closed with its incident; `name`
/// gives a contact's display name.
pub fn evaluate(
    policy: &DecisionPolicy,
    votes: &[Vote],
    open: Open,
    name: &dyn Fn(&Id) -> String,
) -> Quorum {
    let mut approvers: Vec<ApproverStanding> = Vec::new();
    for (contact, required) in policy
        .required
        .iter()
        .map(|c| (c, true))
        .chain(policy.additional.iter().map(|c| (c, false)))
    {
        if approvers.iter().any(|a| &a.contact == contact) {
            continue; // a person counts once, even if listed twice
        }
        approvers.push(ApproverStanding {
            contact: contact.clone(),
            name: name(contact),
            required,
            standing: standing(policy, votes, contact),
        });
    }
    let counts = |a: &ApproverStanding| matches!(a.standing, Standing::Signed | Standing::Attested);
    let waiting_for: Vec<Id> = approvers
        .iter()
        .filter(|a| a.required && !counts(a))
        .map(|a| a.contact.clone())
        .collect();
    let additional_approved = approvers
        .iter()
        .filter(|a| !a.required && counts(a))
        .count() as u32;
    let additional_missing = policy.additional_needed.saturating_sub(additional_approved);
    let rejected_by: Vec<&ApproverStanding> = approvers
        .iter()
        .filter(|a| a.required && a.standing == Standing::Rejected)
        .collect();
    // A closed request stays as it was when it closed: what is recorded
    // later (a teammate's late signature) does not turn it.
    let state = match open {
        Open::Closed => QuorumState::Closed,
        _ if !rejected_by.is_empty() => QuorumState::Rejected,
        _ if waiting_for.is_empty() && additional_missing == 0 => QuorumState::Approved,
        Open::Expired => QuorumState::Expired,
        Open::Yes => QuorumState::Pending,
    };
    let names = |list: &mut dyn Iterator<Item = &ApproverStanding>| {
        list.map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
    };
    let still_needed = || {
        let mut parts = Vec::new();
        if !waiting_for.is_empty() {
            parts.push(names(
                &mut approvers.iter().filter(|a| a.required && !counts(a)),
            ));
        }
        if additional_missing > 0 {
            let pool = names(
                &mut approvers
                    .iter()
                    .filter(|a| !a.required && !counts(a) && a.standing != Standing::Rejected),
            );
            parts.push(format!("{additional_missing} more of {pool}"));
        }
        parts.join(" and ")
    };
    let summary = match state {
        QuorumState::Approved => format!(
            "approved by {}",
            names(&mut approvers.iter().filter(|a| counts(a)))
        ),
        QuorumState::Rejected => format!("rejected by {}", names(&mut rejected_by.into_iter())),
        QuorumState::Expired => format!(
            "expired without approval (still needed: {})",
            still_needed()
        ),
        QuorumState::Closed => match still_needed() {
            needed if needed.is_empty() => {
                "closed with its incident before it was approved".to_owned()
            }
            needed => format!("closed with its incident without approval (still needed: {needed})"),
        },
        QuorumState::Pending => format!("waiting for {}", still_needed()),
    };
    Quorum {
        state,
        approvers,
        additional_needed: policy.additional_needed,
        additional_approved,
        waiting_for,
        additional_missing,
        summary,
    }
}

/// What `contact` has done: a signature outweighs an attestation.
fn standing(policy: &DecisionPolicy, votes: &[Vote], contact: &Id) -> Standing {
    let mine = || votes.iter().filter(|v| &v.contact == contact);
    if let Some(signed) = mine().find(|v| v.signed) {
        return match signed.verdict {
            Verdict::Approve => Standing::Signed,
            Verdict::Reject => Standing::Rejected,
        };
    }
    match mine().find(|v| v.verdict == Verdict::Approve) {
        Some(_) if policy.attested_allowed => Standing::Attested,
        Some(_) => Standing::AttestedNotCounted,
        None => Standing::Waiting,
    }
}
