//! Decisions as data: requests, signatures, attested approvals and the quorum
//! they add up to. These types are the IPC contract with the UI (ts-rs), so
//! they hold no behaviour beyond small lookups; the record bytes are in
//! `decision::record`, the signatures in `decision::sshsig`, the quorum rule
//! in `decision::quorum`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::incident::IncidentId;
use crate::plan::Id;

/// A decision's id, e.g. `DEC-1f3a9c0b7d2e4a61`: `DEC-` and the first 16 hex
/// digits of the request's nonce.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct DecisionId(pub String);

impl DecisionId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DecisionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a signer said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Approve,
    Reject,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approve => "approve",
            Verdict::Reject => "reject",
        }
    }

    pub fn parse(text: &str) -> Option<Verdict> {
        [Verdict::Approve, Verdict::Reject]
            .into_iter()
            .find(|v| v.as_str() == text)
    }
}

/// What an approver answers when signing: an approval, or a rejection with
/// its reason (one line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "verdict",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Answer {
    Approve,
    Reject { reason: String },
}

impl Answer {
    pub fn verdict(&self) -> Verdict {
        match self {
            Answer::Approve => Verdict::Approve,
            Answer::Reject { .. } => Verdict::Reject,
        }
    }

    /// The rejection's reason; empty for an approval.
    pub fn reason(&self) -> &str {
        match self {
            Answer::Approve => "",
            Answer::Reject { reason } => reason,
        }
    }
}

/// A decision request as stored: the fields of its record, and the record
/// itself (the exact bytes every approval signs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DecisionRequest {
    pub id: DecisionId,
    /// The incident on the computer where it was requested.
    pub incident: IncidentId,
    pub policy: Id,
    /// The policy's title in this plan (its id when this plan lacks it).
    pub policy_title: String,
    pub statement: String,
    /// `muster-decision-v1`, or `muster-exercise-decision-v1` for an exercise.
    pub namespace: String,
    pub exercise: bool,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    /// Hex SHA-256 of the record bytes.
    pub record_sha256: String,
    /// The record, exactly as signed (the request file's content).
    pub record: String,
    /// Requested here (signatures are collected here), or imported from
    /// another computer to be signed.
    pub local: bool,
    /// Who requested it here, or who imported it.
    pub requested_by: String,
}

/// A signature file, as `decision sign` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignatureFile {
    pub decision: DecisionId,
    pub signer: Id,
    pub verdict: Verdict,
    pub reason: String,
    /// `SHA256:…` as OpenSSH prints it.
    pub fingerprint: String,
    /// The file's text.
    pub text: String,
}

/// One imported signature of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignatureInfo {
    /// 1-based, in the order they were taken in (the bundle's `NN-`).
    pub number: u32,
    pub contact: Id,
    pub name: String,
    pub verdict: Verdict,
    pub reason: String,
    pub fingerprint: String,
    /// The signing key's OpenSSH line, `ssh-ed25519 AAAA…`.
    pub public_key: String,
    pub imported_at: DateTime<Utc>,
    pub imported_by: String,
}

/// An approval the scribe recorded without a signature (a phone call, a
/// message): unsigned, shown and exported as such.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attestation {
    pub number: u32,
    pub approver: Id,
    pub approver_name: String,
    /// How the approval was given: "phone", "video call", ...
    pub channel: String,
    pub approved_at: DateTime<Utc>,
    pub witness: Id,
    pub witness_name: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// Whether it counts toward the quorum (the policy allows attested approvals).
    pub counts: bool,
}

/// Where a decision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum QuorumState {
    /// Waiting for approvals.
    Pending,
    /// Every required approver and enough additional ones approved.
    Approved,
    /// A required approver rejected it.
    Rejected,
    /// Past its expiry without being approved.
    Expired,
    /// Still pending when its incident was closed: closed with it, never
    /// approved. Nothing signed later changes that.
    Closed,
}

impl QuorumState {
    pub fn as_str(self) -> &'static str {
        match self {
            QuorumState::Pending => "pending",
            QuorumState::Approved => "approved",
            QuorumState::Rejected => "rejected",
            QuorumState::Expired => "expired",
            QuorumState::Closed => "closed",
        }
    }
}

/// What one approver of the policy has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Standing {
    Waiting,
    /// Approved with a signature.
    Signed,
    /// Approved by attestation, and the policy counts it.
    Attested,
    /// Approved by attestation, which this policy does not count.
    AttestedNotCounted,
    Rejected,
}

/// One approver of the policy and where they stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApproverStanding {
    pub contact: Id,
    pub name: String,
    /// Required (every one must approve), or in the additional pool.
    pub required: bool,
    pub standing: Standing,
}

/// The quorum of one decision: its state, every approver's standing, and who
/// is still needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Quorum {
    pub state: QuorumState,
    /// The required approvers first, then the additional pool, in the policy's order.
    pub approvers: Vec<ApproverStanding>,
    pub additional_needed: u32,
    /// Distinct people of the additional pool whose approval counts.
    pub additional_approved: u32,
    /// Required approvers whose approval is still missing.
    pub waiting_for: Vec<Id>,
    /// How many more of the additional pool must approve.
    pub additional_missing: u32,
    /// One line for people, e.g. "waiting for Ben Sample".
    pub summary: String,
}

/// Everything known about one decision now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DecisionStatus {
    pub request: DecisionRequest,
    pub quorum: Quorum,
    pub signatures: Vec<SignatureInfo>,
    pub attestations: Vec<Attestation>,
}

/// What `verify_bundle` found: every signature checked, and the quorum they
/// (and, where the policy allows it, the unsigned attested approvals) reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleVerdict {
    pub decision: DecisionId,
    pub statement: String,
    pub policy: Id,
    pub namespace: String,
    pub quorum: Quorum,
    /// True when the quorum is approved.
    pub approved: bool,
    /// The signature files that verified, e.g. `01-ada-example.sig`.
    pub verified: Vec<String>,
    /// Unsigned attested approvals the quorum relies on (empty when the
    /// signatures alone suffice or the policy does not count them).
    pub unsigned_counted: Vec<Id>,
}
