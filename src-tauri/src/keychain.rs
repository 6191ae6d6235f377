//! The one place secrets live: the profile's signing key in the OS keychain
//! (keyring 4 — Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), held in memory only as [`Sensitive`] values that
//! print as `[redacted]` and are wiped when dropped.
//!
//! Architecture invariant: the private key is never written anywhere but the
//! keychain — not the database, not a file, not a log, not IPC. When the
//! keychain is missing or locked Muster refuses and says what to do; it never
//! falls back to a store in memory or on disk.
//!
//! One entry per data folder (profile): service [`SERVICE`], user
//! `signing-key:<profile id>`, where the profile id is a random id kept in the
//! store's settings (`profile.id`) from first use.

use std::fmt;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use zeroize::Zeroize;

/// The keychain service every Muster entry is filed under.
pub const SERVICE: &str = "app.muster.desktop";

/// The setting holding this data folder's profile id.
pub const PROFILE_ID: &str = "profile.id";

/// The setting naming the core member this profile signs as (core's
/// `Store::profile_contact` reads it).
pub const PROFILE_CONTACT: &str = "profile.contact";

/// A secret in memory: `Debug` and `Display` print `[redacted]`, and the
/// value is zeroized when dropped. Read it with [`Sensitive::expose`], only
/// where it is used.
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Sensitive<T> {
        Sensitive(value)
    }

    /// The secret itself; never format or log it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The secret itself, to fill in place.
    pub fn expose_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Why the keychain could not do what was asked. The messages say what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// No session bus, no Secret Service (or the platform's equivalent).
    #[error("no keychain is available ({0}): start your desktop's keyring (gnome-keyring or KWallet) and try again")]
    Unavailable(String),
    /// The keychain is there but locked, or access was refused.
    #[error("the keychain is locked ({0}): unlock it and try again")]
    Locked(String),
    /// This profile has no signing key yet.
    #[error("no signing key for this profile: run `muster key init --as <your contact id>`")]
    NoKey,
    /// The entry exists but holds something Muster did not write.
    #[error("the keychain entry {SERVICE} / {0} does not hold a key Muster can read: remove it with your keychain's manager, then run `muster key init --as <your contact id>`")]
    Unreadable(String),
    /// Anything else the keychain reported.
    #[error("the keychain failed: {0}")]
    Failed(String),
}

/// The secret of one profile: get, set (create or replace) and delete. The
/// app has exactly one implementation, the OS keychain ([`Keychain::os`]).
pub trait KeyStore {
    fn get(&self, profile: &str) -> Result<Sensitive<String>, KeychainError>;
    fn set(&self, profile: &str, secret: &Sensitive<String>) -> Result<(), KeychainError>;
    fn delete(&self, profile: &str) -> Result<(), KeychainError>;
}

/// A keychain reached through a keyring-core credential store.
pub struct Keychain {
    store: Arc<CredentialStore>,
}

impl fmt::Debug for Keychain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keychain")
            .field("vendor", &self.store.vendor())
            .finish()
    }
}

impl Keychain {
    /// The platform's keychain, as keyring 4 chooses it. Fails, saying why,
    /// when there is none (on Linux: no session bus, or no Secret Service on it).
    pub fn os() -> Result<Keychain, KeychainError> {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(KeychainError::Unavailable(detail(e)));
        }
        keyring_core::get_default_store()
            .map(|store| Keychain { store })
            .ok_or_else(|| KeychainError::Unavailable("no credential store was set up".to_owned()))
    }

    /// A keychain on `store`; for tests with keyring-core's mock store.
    #[cfg(test)]
    pub(crate) fn on(store: Arc<CredentialStore>) -> Keychain {
        Keychain { store }
    }

    /// A secret other than the signing key (an update target's webhook),
    /// under the keychain user `user`; `None` when there is none.
    pub fn secret(&self, user: &str) -> Result<Option<Sensitive<String>>, KeychainError> {
        let entry = self
            .store
            .build(SERVICE, user, None)
            .map_err(|e| mapped(e, user))?;
        match entry.get_secret() {
            Ok(bytes) => {
                let bytes = Sensitive::new(bytes);
                match std::str::from_utf8(bytes.expose()) {
                    Ok(text) => Ok(Some(Sensitive::new(text.to_owned()))),
                    Err(_) => Err(KeychainError::Unreadable(user.to_owned())),
                }
            }
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(mapped(e, user)),
        }
    }

    /// Sets (`Some`) or removes (`None`) the secret under `user`.
    pub fn set_secret(
        &self,
        user: &str,
        value: Option<&Sensitive<String>>,
    ) -> Result<(), KeychainError> {
        let entry = self
            .store
            .build(SERVICE, user, None)
            .map_err(|e| mapped(e, user))?;
        match value {
            Some(v) => entry
                .set_secret(v.expose().as_bytes())
                .map_err(|e| mapped(e, user)),
            None => match entry.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
                Err(e) => Err(mapped(e, user)),
            },
        }
    }

    fn entry(&self, profile: &str) -> Result<Entry, KeychainError> {
        self.store
            .build(SERVICE, &user(profile), None)
            .map_err(|e| mapped(e, profile))
    }
}

impl KeyStore for Keychain {
    fn get(&self, profile: &str) -> Result<Sensitive<String>, KeychainError> {
        let bytes = Sensitive::new(
            self.entry(profile)?
                .get_secret()
                .map_err(|e| mapped(e, profile))?,
        );
        match std::str::from_utf8(bytes.expose()) {
            Ok(text) => Ok(Sensitive::new(text.to_owned())),
            Err(_) => Err(KeychainError::Unreadable(user(profile))),
        }
    }

    fn set(&self, profile: &str, secret: &Sensitive<String>) -> Result<(), KeychainError> {
        self.entry(profile)?
            .set_secret(secret.expose().as_bytes())
            .map_err(|e| mapped(e, profile))
    }

    fn delete(&self, profile: &str) -> Result<(), KeychainError> {
        self.entry(profile)?
            .delete_credential()
            .map_err(|e| mapped(e, profile))
    }
}

/// The keychain user of a profile's signing key.
pub fn user(profile: &str) -> String {
    format!("signing-key:{profile}")
}

/// A fresh random profile id (128 bits, hex).
pub fn new_profile_id() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the OS: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// What a keyring error means for the user. Never formats the payload of
/// `BadEncoding` or `BadDataFormat`: those carry the stored bytes.
fn mapped(error: KeyringError, profile: &str) -> KeychainError {
    match error {
        KeyringError::NoEntry => KeychainError::NoKey,
        KeyringError::NoStorageAccess(e) => KeychainError::Locked(e.to_string()),
        KeyringError::NoDefaultStore => KeychainError::Unavailable(
            keyring::Entry::store_status()
                .as_ref()
                .err()
                .map_or_else(|| "no credential store was set up".to_owned(), detail),
        ),
        KeyringError::PlatformFailure(e) => {
            let text = e.to_string();
            if no_service(&text) {
                KeychainError::Unavailable(text)
            } else {
                KeychainError::Failed(text)
            }
        }
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            KeychainError::Unreadable(user(profile))
        }
        KeyringError::Ambiguous(entries) => KeychainError::Failed(format!(
            "{} entries match {SERVICE} / {}: remove all but one with your keychain's manager",
            entries.len(),
            user(profile)
        )),
        other => KeychainError::Failed(other.to_string()),
    }
}

/// The cause of a failed store set-up, without keyring's own preamble.
fn detail(error: &KeyringError) -> String {
    match error {
        KeyringError::PlatformFailure(e) | KeyringError::NoStorageAccess(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// Whether a platform failure says that nobody answers for the keychain
/// (no bus, or no Secret Service on it) rather than that it failed.
fn no_service(text: &str) -> bool {
    [
        "ServiceUnknown",
        "was not provided by any .service files",
        "no secret service provider",
        "NameHasNoOwner",
    ]
    .iter()
    .any(|s| text.contains(s))
}

#[cfg(test)]
mod tests {
    use keyring_core::api::CredentialStoreApi;
    use keyring_core::mock;

    use super::*;

    fn keychain() -> (Keychain, Arc<mock::Store>) {
        let store = mock::Store::new().unwrap();
        (Keychain::on(store.clone()), store)
    }

    /// Makes the next call on `profile`'s entry fail with `error`.
    fn fail_next(store: &Arc<mock::Store>, profile: &str, error: KeyringError) {
        let entry = store.build(SERVICE, &user(profile), None).unwrap();
        let cred: &mock::Cred = entry
            .as_any()
            .downcast_ref()
            .unwrap_or_else(|| panic!("not a mock credential"));
        cred.set_error(error);
    }

    fn boxed(text: &str) -> Box<dyn std::error::Error + Send + Sync> {
        text.to_owned().into()
    }

    #[test]
    fn sensitive_values_print_as_redacted() {
        let secret = Sensitive::new("-----BEGIN OPENSSH PRIVATE KEY-----".to_owned());
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
        assert_eq!(secret.expose(), "-----BEGIN OPENSSH PRIVATE KEY-----");
    }

    #[test]
    fn a_secret_round_trips_under_the_profiles_entry_and_can_be_deleted() {
        let (keychain, store) = keychain();
        assert_eq!(keychain.get("p1").err(), Some(KeychainError::NoKey));
        keychain
            .set("p1", &Sensitive::new("secret one".to_owned()))
            .unwrap();
        let got = keychain.get("p1").unwrap();
        assert_eq!(got.expose(), "secret one");
        // Another profile is another entry.
        assert_eq!(keychain.get("p2").err(), Some(KeychainError::NoKey));
        let entry = store.build(SERVICE, "signing-key:p1", None).unwrap();
        assert_eq!(entry.get_secret().unwrap(), b"secret one");
        keychain.delete("p1").unwrap();
        assert_eq!(keychain.get("p1").err(), Some(KeychainError::NoKey));
    }

    #[test]
    fn each_keychain_failure_becomes_a_message_that_says_what_to_do() {
        let check = |error: KeyringError, expected: &str| {
            let (keychain, store) = keychain();
            fail_next(&store, "p", error);
            let got = keychain.get("p").err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), Some(expected));
        };
        check(
            KeyringError::NoStorageAccess(boxed("SS Error: object locked")),
            "the keychain is locked (SS Error: object locked): unlock it and try again",
        );
        check(
            KeyringError::NoStorageAccess(boxed("SS error: prompt dismissed")),
            "the keychain is locked (SS error: prompt dismissed): unlock it and try again",
        );
        check(
            KeyringError::PlatformFailure(boxed(
                "zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files",
            )),
            "no keychain is available (zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files): start your desktop's keyring (gnome-keyring or KWallet) and try again",
        );
        check(
            KeyringError::NoEntry,
            "no signing key for this profile: run `muster key init --as <your contact id>`",
        );
        check(
            KeyringError::PlatformFailure(boxed("Crypto error: bad padding")),
            "the keychain failed: Crypto error: bad padding",
        );
    }

    #[test]
    fn stored_bytes_never_reach_a_message() {
        let (keychain, store) = keychain();
        fail_next(
            &store,
            "p",
            KeyringError::BadEncoding(b"SEED-BYTES".to_vec()),
        );
        let error = keychain
            .get("p")
            .err()
            .unwrap_or_else(|| panic!("no error"));
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains("SEED"), "{shown}");
        }
        assert_eq!(
            error.to_string(),
            "the keychain entry app.muster.desktop / signing-key:p does not hold a key Muster can read: remove it with your keychain's manager, then run `muster key init --as <your contact id>`"
        );
        // Bytes that are not text are refused the same way.
        let entry = store.build(SERVICE, "signing-key:q", None).unwrap();
        entry.set_secret(&[0xff, 0xfe]).unwrap();
        assert!(matches!(
            keychain.get("q"),
            Err(KeychainError::Unreadable(_))
        ));
    }

    #[test]
    fn a_failed_write_is_reported_and_keeps_the_old_secret() {
        let (keychain, store) = keychain();
        keychain
            .set("p", &Sensitive::new("old".to_owned()))
            .unwrap();
        fail_next(
            &store,
            "p",
            KeyringError::NoStorageAccess(boxed("SS Error: object locked")),
        );
        let refused = keychain.set("p", &Sensitive::new("new".to_owned()));
        assert!(matches!(refused, Err(KeychainError::Locked(_))));
        let kept = keychain.get("p").unwrap();
        assert_eq!(kept.expose(), "old");
    }

    #[test]
    fn profile_ids_are_random_hex() {
        let a = new_profile_id().unwrap();
        let b = new_profile_id().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
