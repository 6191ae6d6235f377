//! OpenSSH signatures (SSHSIG) with Ed25519 keys, through the `ssh-key`
//! crate: the same format `ssh-keygen -Y sign` writes and `ssh-keygen -Y
//! verify` checks, so anyone can repeat a verification without Muster.
//!
//! Key generation takes its randomness as an argument (the shell draws it
//! from the OS), so core stays deterministic. Private keys only pass through
//! here; nothing in core stores them.

use ssh_key::private::Ed25519Keypair;
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

/// A new Ed25519 key from 32 bytes of caller-supplied randomness.
pub fn generate(seed: [u8; 32]) -> PrivateKey {
    PrivateKey::from(Ed25519Keypair::from_seed(&seed))
}

/// Reads an OpenSSH public key line (`ssh-ed25519 AAAA… [comment]`); only
/// Ed25519 keys sign decisions. The error says what is wrong, for a message.
pub fn parse_public_key(line: &str) -> Result<PublicKey, String> {
    let key = PublicKey::from_openssh(line.trim())
        .map_err(|e| format!("it is not an OpenSSH public key line ({e})"))?;
    if !key.key_data().is_ed25519() {
        return Err(format!(
            "it is an {} key: decisions are signed with ssh-ed25519 keys",
            key.algorithm()
        ));
    }
    Ok(key)
}

/// The key as `ssh-ed25519 AAAA…`, without its comment.
pub fn public_line(key: &PublicKey) -> String {
    PublicKey::new(key.key_data().clone(), "")
        .to_openssh()
        .map(|line| line.trim_end().to_owned())
        .unwrap_or_default()
}

/// The fingerprint as OpenSSH prints it, `SHA256:…`.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Whether two public keys are the same key (comments aside).
pub fn same_key(a: &PublicKey, b: &PublicKey) -> bool {
    a.key_data() == b.key_data()
}

/// Signs `message` under `namespace` (SHA-512), armored with LF endings.
pub fn sign(key: &PrivateKey, namespace: &str, message: &[u8]) -> Result<String, String> {
    key.sign(namespace, HashAlg::Sha512, message)
        .and_then(|sig| sig.to_pem(LineEnding::LF))
        .map_err(|e| format!("the signature could not be made ({e})"))
}

/// Reads an armored SSHSIG.
pub fn parse_signature(armored: &str) -> Result<SshSig, String> {
    SshSig::from_pem(armored.trim().as_bytes())
        .map_err(|e| format!("the signature block cannot be read ({e})"))
}

/// The public key an SSHSIG says made it.
pub fn signature_key(sig: &SshSig) -> PublicKey {
    PublicKey::new(sig.public_key().clone(), "")
}

/// Why a signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// It was made by another key than the one expected.
    OtherKey,
    /// It was made under another namespace (the one it names).
    Namespace(String),
    /// The key and namespace are right, but not the bytes: altered, or
    /// made over something else.
    Invalid,
}

/// Checks that `sig` is `key`'s signature over `message` under `namespace`.
pub fn verify(
    key: &PublicKey,
    namespace: &str,
    message: &[u8],
    sig: &SshSig,
) -> Result<(), VerifyError> {
    if key.key_data() != sig.public_key() {
        return Err(VerifyError::OtherKey);
    }
    if sig.namespace() != namespace {
        return Err(VerifyError::Namespace(sig.namespace().to_owned()));
    }
    key.verify(namespace, message, sig)
        .map_err(|_| VerifyError::Invalid)
}
