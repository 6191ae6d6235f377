//! Signed decisions: a request binds a statement to an incident, a decision
//! policy and the plan; approvers sign its exact bytes with OpenSSH
//! signatures (SSHSIG) under Muster's namespace; the quorum is counted from
//! the policy; a bundle lets anyone repeat the verification with
//! `ssh-keygen`. Storage is in `store::decisions`; keys live in the OS
//! keychain, outside core: core only ever borrows a private key to sign.

pub mod bundle;
pub mod model;
pub mod quorum;
pub mod record;
pub mod sshsig;
pub mod verify;
pub mod waiting;

pub use model::*;
pub use record::{EXERCISE_NAMESPACE, NAMESPACE};
/// The key types, so the shell uses the same `ssh-key` as core.
pub use ssh_key::{PrivateKey, PublicKey};
pub use verify::{verify_bundle, verify_bundle_pinned};

#[cfg(test)]
pub(crate) mod tests;
