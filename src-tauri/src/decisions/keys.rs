//! The profile's signing key as the decision commands see it: its status
//! (from the plan and the settings, and what the keychain answered last
//! time — never by reading the key), the keychain behind it (tests put a mock
//! store in its place), and what a keychain refusal tells a person using the
//! window.

use std::sync::{Arc, Mutex};

use muster_core::decision::sshsig;
use muster_core::plan::Id;
use muster_core::store::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::keychain::{self, KeyStore, Keychain, KeychainError, Sensitive, PROFILE_ID};

/// Whether the OS keychain can hold this profile's signing key, and whether
/// it does, as far as Muster knows without asking it for the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum KeychainState {
    /// The profile has a key and the plan lists it for its person.
    Ready,
    /// No key yet (or none the plan lists, or the keychain lost it).
    NoKey,
    /// The keychain was locked when Muster last asked it.
    Locked,
    /// There is no keychain (no Secret Service), or it failed.
    Unavailable,
}

/// Who this profile signs as, and its key's fingerprint (`SHA256:…`) when
/// the plan lists one for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SigningKeyStatus {
    /// The core member this profile signs as.
    pub contact: Option<Id>,
    pub name: Option<String>,
    /// The fingerprint of the key the plan lists for `contact`, as OpenSSH prints it.
    pub fingerprint: Option<String>,
    pub keychain: KeychainState,
    /// One line for people: what the state means and what to do.
    pub detail: String,
}

/// Where the signing key is kept — the OS keychain — and what it answered
/// last time it was asked (so the status can say "locked" without asking
/// again). Managed state; cheap to clone into a blocking task.
#[derive(Clone, Default)]
pub struct Keys {
    last: Arc<Mutex<Option<KeychainError>>>,
    /// A keychain on this store instead of the OS's: tests only.
    #[cfg(test)]
    store: Arc<Mutex<Option<Arc<keyring_core::CredentialStore>>>>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("last", &self.last())
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// The keychain. Blocks (on Linux the first call reaches the session bus).
    pub(crate) fn open(&self) -> Result<Keychain, KeychainError> {
        #[cfg(test)]
        if let Some(store) = self.store.lock().ok().and_then(|s| s.clone()) {
            return Ok(Keychain::on(store));
        }
        Keychain::os()
    }

    /// The keychain, to use now: a failure to reach it is kept.
    pub(super) fn use_keychain(&self) -> Result<Keychain, KeychainError> {
        let opened = self.open();
        if opened.is_err() {
            self.note(&opened);
        }
        opened
    }

    /// Keeps the outcome of a keychain call: an error until a call succeeds.
    pub(super) fn note<T>(&self, outcome: &Result<T, KeychainError>) {
        if let Ok(mut last) = self.last.lock() {
            *last = outcome.as_ref().err().cloned();
        }
    }

    pub(super) fn last(&self) -> Option<KeychainError> {
        self.last.lock().ok().and_then(|l| l.clone())
    }

    /// Uses `store` as the keychain from now on.
    #[cfg(test)]
    pub(crate) fn use_store(&self, store: Arc<keyring_core::CredentialStore>) {
        if let Ok(mut s) = self.store.lock() {
            *s = Some(store);
        }
    }
}

/// The keychain as `signing` sees it, remembering each answer in [`Keys`].
pub(super) struct Watched<'a> {
    pub keys: &'a Keys,
    pub keychain: &'a Keychain,
}

impl KeyStore for Watched<'_> {
    fn get(&self, profile: &str) -> Result<Sensitive<String>, KeychainError> {
        let got = self.keychain.get(profile);
        self.keys.note(&got);
        got
    }

    fn set(&self, profile: &str, secret: &Sensitive<String>) -> Result<(), KeychainError> {
        let set = self.keychain.set(profile, secret);
        self.keys.note(&set);
        set
    }

    fn delete(&self, profile: &str) -> Result<(), KeychainError> {
        let deleted = self.keychain.delete(profile);
        self.keys.note(&deleted);
        deleted
    }
}

/// The key read from the keychain before the store was taken (a keychain
/// prompt must not hold up every other command), handed to `signing` as the
/// keychain would. It only reads.
pub(crate) struct Fetched {
    pub profile: String,
    pub pem: Sensitive<String>,
}

/// Reads `profile`'s key from the keychain (blocking: it may prompt),
/// keeping the keychain's answer in `keys`.
pub(crate) fn fetch(keys: &Keys, profile: String) -> Result<Fetched, KeychainError> {
    let keychain = keys.use_keychain()?;
    let pem = keychain.get(&profile);
    keys.note(&pem);
    Ok(Fetched { profile, pem: pem? })
}

impl KeyStore for Fetched {
    fn get(&self, profile: &str) -> Result<Sensitive<String>, KeychainError> {
        if profile == self.profile {
            Ok(Sensitive::new(self.pem.expose().clone()))
        } else {
            Err(KeychainError::NoKey)
        }
    }

    fn set(&self, _: &str, _: &Sensitive<String>) -> Result<(), KeychainError> {
        Err(KeychainError::Failed(
            "the key is only read here".to_owned(),
        ))
    }

    fn delete(&self, _: &str) -> Result<(), KeychainError> {
        Err(KeychainError::Failed(
            "the key is only read here".to_owned(),
        ))
    }
}

/// What a keychain error tells a person using the window: the keychain
/// module's guidance, with "Settings" where it names a command line.
pub(crate) fn guidance(error: &KeychainError) -> String {
    match error {
        KeychainError::NoKey => {
            "no signing key for this profile in the keychain: set one up in Settings → Signing key"
                .to_owned()
        }
        KeychainError::Unreadable(user) => format!(
            "the keychain entry {} / {user} does not hold a key Muster can read: remove it with your keychain's manager, then set up your key again in Settings → Signing key",
            keychain::SERVICE
        ),
        other => other.to_string(),
    }
}

/// The profile's key as the plan and the settings describe it; `problem` is
/// what the keychain said (now or last time), if it refused.
pub(super) fn key_status(
    store: &mut Store,
    problem: Option<KeychainError>,
) -> muster_core::Result<SigningKeyStatus> {
    let plan = store.plan()?;
    let contact = store.profile_contact()?;
    let has_profile = store.setting(PROFILE_ID)?.is_some();
    let member = contact
        .as_ref()
        .and_then(|c| plan.core_team.iter().find(|m| &m.id == c));
    let fingerprint = member
        .and_then(|m| m.public_key.as_deref())
        .and_then(|k| sshsig::parse_public_key(k).ok())
        .map(|k| sshsig::fingerprint(&k));
    let (state, detail) = match (problem, &contact, member, &fingerprint) {
        (Some(e @ (KeychainError::Unavailable(_) | KeychainError::Failed(_))), ..) => {
            (KeychainState::Unavailable, guidance(&e))
        }
        (Some(e @ KeychainError::Locked(_)), ..) => (KeychainState::Locked, guidance(&e)),
        (_, None, ..) => (
            KeychainState::NoKey,
            "this profile does not say who you are: choose yourself among the core team and set up your signing key".to_owned(),
        ),
        (_, Some(c), None, _) => (
            KeychainState::NoKey,
            format!("`{c}` is not in the plan's core team: choose yourself among the core team and set up your signing key"),
        ),
        (_, _, Some(m), None) => (
            KeychainState::NoKey,
            format!("the plan lists no signing key for {}: set up your signing key", m.name),
        ),
        (Some(KeychainError::NoKey), _, Some(m), Some(f)) => (
            KeychainState::NoKey,
            format!("the keychain holds no signing key for this profile, though the plan lists {f} for {}: rotate the key to make a new one here", m.name),
        ),
        (Some(e @ KeychainError::Unreadable(_)), ..) => (KeychainState::NoKey, guidance(&e)),
        (_, _, Some(m), Some(f)) if !has_profile => (
            KeychainState::NoKey,
            format!("the plan lists {f} for {}, but this profile has no key: rotate the key to make a new one here", m.name),
        ),
        (_, _, Some(m), Some(f)) => (
            KeychainState::Ready,
            format!("{} signs with {f}; the key stays in the keychain, which is asked for it only to sign", m.name),
        ),
    };
    Ok(SigningKeyStatus {
        contact,
        name: member.map(|m| m.name.clone()),
        fingerprint,
        keychain: state,
        detail,
    })
}
