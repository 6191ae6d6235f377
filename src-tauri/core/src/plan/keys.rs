//! The plan's signing keys: OpenSSH ed25519 public key lines
//! (`ssh-ed25519 AAAA… [comment]`), as `ssh-keygen` writes them to `.pub`
//! files. A person's current key and retired keys are all such lines.

use ssh_key::{Algorithm, HashAlg, PublicKey};

/// The expected shape, for messages.
const SHAPE: &str = "an OpenSSH ed25519 public key line, `ssh-ed25519 AAAA… [comment]`";

/// Parses one public key line, or says what is wrong with it.
pub fn parse(line: &str) -> Result<PublicKey, String> {
    if line.trim().is_empty() {
        return Err(format!("is blank: remove it or give {SHAPE}"));
    }
    if line.contains(['\n', '\r']) {
        return Err(format!("must be one line: {SHAPE}"));
    }
    if line.starts_with(char::is_whitespace) {
        return Err(format!("starts with a space: give {SHAPE}"));
    }
    let key =
        PublicKey::from_openssh(line).map_err(|_| format!("is not {SHAPE} (it does not parse)"))?;
    match key.algorithm() {
        Algorithm::Ed25519 => Ok(key),
        other => Err(format!(
            "is a {} key: Muster signs decisions with ed25519 keys only ({SHAPE})",
            other.as_str()
        )),
    }
}

/// The raw 32-byte ed25519 key of a line that [`parse`] accepts: two lines
/// name the same key exactly when these are equal, whatever their comments.
pub fn key_bytes(line: &str) -> Option<[u8; 32]> {
    parse(line).ok()?.key_data().ed25519().map(|k| k.0)
}

/// The key's fingerprint as OpenSSH prints it (`SHA256:…`), for a line that
/// [`parse`] accepts.
pub fn fingerprint(line: &str) -> Option<String> {
    parse(line)
        .ok()
        .map(|k| k.fingerprint(HashAlg::Sha256).to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use ssh_key::public::{Ed25519PublicKey, KeyData};

    use super::*;

    /// A well-formed key line for tests: the key is `seed` repeated.
    pub(crate) fn key_line(seed: u8, comment: &str) -> String {
        let mut key = PublicKey::from(KeyData::Ed25519(Ed25519PublicKey([seed; 32])));
        key.set_comment(comment);
        key.to_openssh().unwrap()
    }

    // Written by `ssh-keygen -t ed25519 -C ada@example`; the fingerprint is
    // what `ssh-keygen -l` printed for it.
    const ADA: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnNQZjo3LIzfqVOJxNvtlMdR3YMpAOOxcMQt/EKW1up ada@example";

    #[test]
    fn an_openssh_ed25519_line_parses_with_or_without_a_comment() {
        assert!(parse(ADA).is_ok());
        let bare = ADA.trim_end_matches(" ada@example");
        assert!(parse(bare).is_ok());
        assert_eq!(key_bytes(bare), key_bytes(ADA));
        assert!(parse(&key_line(7, "a comment with spaces “and” quotes")).is_ok());
    }

    #[test]
    fn the_fingerprint_is_the_one_ssh_keygen_prints() {
        assert_eq!(
            fingerprint(ADA).as_deref(),
            Some("SHA256:GMK64jesVDTwBg+oRQwReJG/0lzWRQm4BQPxBT3QkRg")
        );
    }

    #[test]
    fn anything_else_is_refused_with_the_expected_shape() {
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDwyqVw9wmU36zy1w41lqjI+0A9RKd51i5ZoZC/shYJ8AhAK5TvDXUG1c3JuAZRp6mbYUP/OOO/vDV9R8h8NundsYoiOlZnaQYh+l8w+lWuqE7Gcy5vOSp6L+tbwWOdkR1mgrtDiztirNb7NpfbosVL59W+giUlp7oDT3/Y/LDfZQ== rsa@example";
        let cases = [
            ("", "is blank"),
            ("   ", "is blank"),
            ("ssh-ed25519", "does not parse"),
            (
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample x",
                "does not parse",
            ),
            ("ssh-ed25519 not-base64!", "does not parse"),
            (&ADA.replacen("ssh-ed25519", "ssh-rsa", 1), "does not parse"),
            (rsa, "is a ssh-rsa key"),
            (&format!(" {ADA}"), "starts with a space"),
            (&format!("{ADA}\nssh-ed25519 AAAA"), "must be one line"),
        ];
        for (line, expected) in cases {
            let err = parse(line).err().unwrap_or_default();
            assert!(err.contains(expected), "{line:?}: {err}");
        }
    }
}
