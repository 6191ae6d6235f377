//! The profile's signing key: setting it up (or rotating it), showing it, and
//! taking it out of the keychain to sign. The command line uses these today,
//! the window's "Set up my signing key" will tomorrow.
//!
//! Architecture invariant: the private key exists only in the keychain and,
//! while one command runs, in memory (a [`Sensitive`] PEM or a
//! `PrivateKey`, both wiped on drop). Only its public half reaches the plan,
//! the output and the database. A key is never replaced without `rotate`;
//! a rotation retires the old public key from that moment, it never deletes it.

use chrono::{DateTime, SubsecRound, Utc};
use muster_core::clock::Clock;
use muster_core::decision::sshsig;
use muster_core::decision::{PrivateKey, PublicKey};
use muster_core::plan::edit::PlanEdit;
use muster_core::plan::{CoreMember, Id, RetiredKey};
use muster_core::store::Store;
use muster_core::Error;

use crate::keychain::{self, KeyStore, KeychainError, Sensitive, PROFILE_ID};

/// A key just set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetUp {
    pub contact: Id,
    pub name: String,
    /// `SHA256:…` as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// `ssh-ed25519 AAAA…`, as the plan now lists it.
    pub public_key: String,
    /// The fingerprint of the key the plan listed before, retired from `at`.
    pub retired: Option<(String, DateTime<Utc>)>,
    /// The plan revision that holds the new key.
    pub revision: Option<i64>,
    /// With a pinned roster: the roster version that took the key, or the
    /// fingerprint of the version that waits for the admins' signatures.
    pub roster: Option<RosterKey>,
}

/// Where a key set up under a pinned roster stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterKey {
    /// In force as this version (a rotation signed by the old and new key).
    InForce(u64),
    /// Proposed as the version of this fingerprint; it waits for the admins.
    Waiting(String),
}

/// The profile's key as `key show` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// Whom the profile signs as, with their name in the plan (if still there).
    pub contact: Option<(Id, Option<String>)>,
    pub fingerprint: String,
    pub public_key: String,
    /// What the plan says about this key for that contact.
    pub in_plan: InPlan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InPlan {
    /// The contact's current key.
    Current,
    /// One of the contact's retired keys, from then on.
    Retired(DateTime<Utc>),
    /// The contact has another key, or none.
    Missing,
    /// The profile does not say who it is.
    NoContact,
}

/// 32 fresh bytes from the operating system, for a new key.
pub fn draw_seed() -> Result<Sensitive<[u8; 32]>, String> {
    let mut seed = Sensitive::new([0u8; 32]);
    getrandom::fill(seed.expose_mut()).map_err(|e| format!("no randomness from the OS: {e}"))?;
    Ok(seed)
}

/// Makes the profile's signing key from `seed`, keeps it in `keys` and puts
/// its public key on `contact` (a core member) in the plan, as one revision.
/// With `rotate`, the key the plan listed for them is retired from now;
/// without it, an existing key — in the keychain or in the plan — is a
/// refusal, never replaced. On any failure nothing is left changed.
pub fn set_up(
    store: &mut Store,
    keys: &dyn KeyStore,
    contact: &Id,
    rotate: bool,
    seed: Sensitive<[u8; 32]>,
    clock: &dyn Clock,
) -> Result<SetUp, Error> {
    let plan = store.plan()?;
    let Some(member) = plan.core_team.iter().find(|m| &m.id == contact).cloned() else {
        return Err(Error::Refused(format!(
            "`{contact}` is not in the plan's core team: only core members sign decisions; `muster plan show` lists their ids"
        )));
    };
    let known = store.setting(PROFILE_ID)?;
    let profile = match &known {
        Some(id) => id.clone(),
        None => keychain::new_profile_id().map_err(Error::Unavailable)?,
    };
    // Asking the keychain first: locked or missing, it refuses before anything changes.
    let old = match keys.get(&profile) {
        Ok(pem) => Some(pem),
        Err(KeychainError::NoKey) => None,
        Err(e) => return Err(Error::Unavailable(e.to_string())),
    };
    let signs_as = store.profile_contact()?;
    if let Some(pem) = &old {
        let fingerprint = private_key(pem, &profile)
            .map(|k| sshsig::fingerprint(k.public_key()))
            .unwrap_or_else(|_| "unreadable".to_owned());
        if !rotate {
            let whose = signs_as
                .as_ref()
                .map(|c| format!(" for `{c}`"))
                .unwrap_or_default();
            return Err(Error::Refused(format!(
                "this profile already has a signing key{whose} ({fingerprint}), and Muster never replaces one silently: `muster key show` shows it; `muster key init --as {contact} --rotate` makes a new one and retires the old one from now"
            )));
        }
        if let Some(other) = signs_as.as_ref().filter(|c| *c != contact) {
            return Err(Error::Refused(format!(
                "this profile signs as `{other}`, not `{contact}`: rotate with `--as {other}`, or use another data folder (--data-dir) for another person"
            )));
        }
    }
    if !rotate {
        if let Some(listed) = &member.public_key {
            return Err(Error::Refused(format!(
                "the plan already lists a key for {} ({}) that this profile does not hold: to replace it, run `muster key init --as {contact} --rotate` (the listed key is retired from now)",
                member.name,
                key_fingerprint(listed)
            )));
        }
    }

    let key = sshsig::generate(*seed.expose());
    drop(seed);
    let pem = Sensitive::new(
        key.to_openssh(Default::default())
            .map_err(|e| Error::Refused(format!("the new key could not be encoded: {e}")))?
            .to_string(),
    );
    let public_key = sshsig::public_line(key.public_key());
    let fingerprint = sshsig::fingerprint(key.public_key());
    // With a pinned roster, a key changes through a roster version signed
    // by the new key (and the old one, when this profile held it).
    let pinned = store.roster()?.root.is_some();
    let old_key = match &old {
        Some(pem) if pinned => {
            Some(private_key(pem, &profile).map_err(|e| Error::Unavailable(e.to_string()))?)
        }
        _ => None,
    };

    let now = clock.now().trunc_subsecs(0);
    let mut updated = member.clone();
    let retired = match updated.public_key.take() {
        Some(line) if rotate => {
            let shown = key_fingerprint(&line);
            updated.retired_keys.push(RetiredKey {
                key: line,
                retired_from: now,
            });
            Some((shown, now))
        }
        _ => None,
    };
    updated.public_key = Some(public_key.clone());

    // The keychain first: a locked one refuses here, before the data folder
    // changes. Then the profile's settings and the plan; if those fail, the
    // keychain and the settings are put back as they were.
    keys.set(&profile, &pem)
        .map_err(|e| Error::Unavailable(e.to_string()))?;
    let edit = PlanEdit::SaveCoreMember {
        member: updated,
        position: None,
    };
    let mut roster = None;
    let saved = store
        .set_setting(PROFILE_ID, Some(&profile))
        .and_then(|()| store.set_profile_contact(contact))
        .and_then(|()| {
            if !pinned {
                return store.apply(&edit, clock);
            }
            let file = store.roster_key(contact, &key, old_key.as_ref(), clock)?;
            let view = store.roster()?;
            let digest = file.map(|f| f.roster.digest()).unwrap_or_default();
            roster = Some(match view.current {
                Some(c) if c.fingerprint == muster_core::team::roster::fingerprint(&digest) => {
                    RosterKey::InForce(c.version)
                }
                _ => RosterKey::Waiting(muster_core::team::roster::fingerprint(&digest)),
            });
            Ok(None)
        });
    drop(key);
    let revision = match saved {
        Ok(revision) => revision.map(|r| r.id),
        Err(e) => {
            let mut undone = match &old {
                Some(old) => keys.set(&profile, old),
                None => keys.delete(&profile),
            }
            .map_err(|u| u.to_string());
            let settings = store
                .set_setting(PROFILE_ID, known.as_deref())
                .and_then(|()| {
                    let before = signs_as.as_ref().map(Id::as_str);
                    store.set_setting(keychain::PROFILE_CONTACT, before)
                });
            if let Err(u) = settings {
                undone = undone.and(Err(u.to_string()));
            }
            let undone = match undone {
                Ok(()) => String::new(),
                Err(u) => format!(" (and the profile could not be put back as it was: {u})"),
            };
            return Err(Error::Refused(format!(
                "the plan could not take the new key: {e}{undone}"
            )));
        }
    };
    Ok(SetUp {
        contact: contact.clone(),
        name: member.name,
        fingerprint,
        public_key,
        retired,
        revision,
        roster,
    })
}

/// The profile's key and what the plan says about it.
pub fn show(store: &mut Store, keys: &dyn KeyStore) -> Result<KeyInfo, Error> {
    let key = signing_key(store, keys)?;
    let public = key.public_key().clone();
    drop(key);
    let plan = store.plan()?;
    let contact = store.profile_contact()?;
    let member = contact
        .as_ref()
        .and_then(|c| plan.core_team.iter().find(|m| &m.id == c));
    let in_plan = match (&contact, member) {
        (None, _) => InPlan::NoContact,
        (Some(_), None) => InPlan::Missing,
        (Some(_), Some(m)) => standing(m, &public),
    };
    Ok(KeyInfo {
        contact: contact.map(|c| (c, member.map(|m| m.name.clone()))),
        fingerprint: sshsig::fingerprint(&public),
        public_key: sshsig::public_line(&public),
        in_plan,
    })
}

/// The profile's private key, out of the keychain, to sign with. Dropping it
/// wipes it. A missing, locked or unreadable key is `Unavailable`.
pub fn signing_key(store: &Store, keys: &dyn KeyStore) -> Result<PrivateKey, Error> {
    let unavailable = |e: KeychainError| Error::Unavailable(e.to_string());
    let Some(profile) = store.setting(PROFILE_ID)? else {
        return Err(unavailable(KeychainError::NoKey));
    };
    let pem = keys.get(&profile).map_err(unavailable)?;
    private_key(&pem, &profile).map_err(unavailable)
}

fn private_key(pem: &Sensitive<String>, profile: &str) -> Result<PrivateKey, KeychainError> {
    PrivateKey::from_openssh(pem.expose())
        .ok()
        .filter(|k| k.key_data().is_ed25519() && !k.is_encrypted())
        .ok_or_else(|| KeychainError::Unreadable(keychain::user(profile)))
}

fn standing(member: &CoreMember, key: &PublicKey) -> InPlan {
    let same = |line: &str| sshsig::parse_public_key(line).is_ok_and(|k| sshsig::same_key(&k, key));
    if member.public_key.as_deref().is_some_and(same) {
        return InPlan::Current;
    }
    match member.retired_keys.iter().find(|r| same(&r.key)) {
        Some(r) => InPlan::Retired(r.retired_from),
        None => InPlan::Missing,
    }
}

/// A public key line's fingerprint, or the line itself when it cannot be read.
fn key_fingerprint(line: &str) -> String {
    sshsig::parse_public_key(line)
        .map(|k| sshsig::fingerprint(&k))
        .unwrap_or_else(|_| line.to_owned())
}

#[cfg(test)]
mod tests {
    use keyring_core::mock;
    use muster_core::clock::SystemClock;
    use muster_core::ErrorCode;

    use super::*;
    use crate::keychain::Keychain;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path(), &SystemClock).unwrap();
        (dir, store)
    }

    fn mock_keychain() -> Keychain {
        Keychain::on(mock::Store::new().unwrap())
    }

    fn id(text: &str) -> Id {
        Id::parse(text).unwrap()
    }

    fn seed(byte: u8) -> Sensitive<[u8; 32]> {
        Sensitive::new([byte; 32])
    }

    fn member(store: &mut Store, contact: &str) -> CoreMember {
        let plan = store.plan().unwrap();
        plan.core_team
            .into_iter()
            .find(|m| m.id.as_str() == contact)
            .unwrap_or_else(|| panic!("no {contact}"))
    }

    /// A keychain that is locked: every call is refused.
    struct Locked;

    impl KeyStore for Locked {
        fn get(&self, _: &str) -> Result<Sensitive<String>, KeychainError> {
            Err(KeychainError::Locked("SS Error: object locked".to_owned()))
        }
        fn set(&self, _: &str, _: &Sensitive<String>) -> Result<(), KeychainError> {
            Err(KeychainError::Locked("SS Error: object locked".to_owned()))
        }
        fn delete(&self, _: &str) -> Result<(), KeychainError> {
            Err(KeychainError::Locked("SS Error: object locked".to_owned()))
        }
    }

    #[test]
    fn set_up_keeps_the_key_in_the_keychain_and_the_public_key_in_the_plan() {
        let (_dir, mut store) = store();
        let keys = mock_keychain();
        let done = set_up(
            &mut store,
            &keys,
            &id("ada-example"),
            false,
            seed(1),
            &SystemClock,
        )
        .unwrap();
        let expected = sshsig::generate([1; 32]);
        assert_eq!(done.fingerprint, sshsig::fingerprint(expected.public_key()));
        assert_eq!(done.name, "Ada Example");
        assert_eq!(done.retired, None);
        let ada = member(&mut store, "ada-example");
        assert_eq!(ada.public_key.as_deref(), Some(done.public_key.as_str()));
        assert_eq!(
            store.profile_contact().ok().flatten(),
            Some(id("ada-example"))
        );
        // The keychain holds the private key; the database only its public half.
        let key = signing_key(&store, &keys).unwrap();
        assert_eq!(
            key.public_key().key_data(),
            expected.public_key().key_data()
        );
        let info = show(&mut store, &keys).unwrap();
        assert_eq!(info.in_plan, InPlan::Current);
        assert_eq!(info.public_key, done.public_key);
    }

    #[test]
    fn an_existing_key_is_refused_without_rotate_and_retired_with_it() {
        let (_dir, mut store) = store();
        let keys = mock_keychain();
        let first = set_up(
            &mut store,
            &keys,
            &id("ben-sample"),
            false,
            seed(1),
            &SystemClock,
        )
        .unwrap();
        let revisions = store.revisions(100).map(|r| r.len()).unwrap_or(0);
        let refused = set_up(
            &mut store,
            &keys,
            &id("ben-sample"),
            false,
            seed(2),
            &SystemClock,
        );
        let why = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            why.contains("already has a signing key for `ben-sample`"),
            "{why}"
        );
        assert_eq!(
            store.revisions(100).map(|r| r.len()).unwrap_or(0),
            revisions
        );
        let kept = signing_key(&store, &keys).unwrap();
        assert_eq!(sshsig::fingerprint(kept.public_key()), first.fingerprint);

        let second = set_up(
            &mut store,
            &keys,
            &id("ben-sample"),
            true,
            seed(2),
            &SystemClock,
        )
        .unwrap();
        let ben = member(&mut store, "ben-sample");
        assert_eq!(ben.public_key.as_deref(), Some(second.public_key.as_str()));
        assert_eq!(ben.retired_keys.len(), 1);
        assert_eq!(ben.retired_keys[0].key, first.public_key);
        assert_eq!(
            second.retired.as_ref().map(|(f, _)| f.as_str()),
            Some(first.fingerprint.as_str())
        );
        assert_eq!(
            store.revisions(100).map(|r| r.len()).unwrap_or(0),
            revisions + 1
        );
    }

    #[test]
    fn a_key_the_plan_lists_but_the_keychain_lacks_is_only_replaced_by_rotating() {
        let (_dir, mut store) = store();
        let listed = set_up(
            &mut store,
            &mock_keychain(),
            &id("ada-example"),
            false,
            seed(1),
            &SystemClock,
        )
        .unwrap();
        // Another keychain (a new laptop, a lost keyring) on the same folder.
        let keys = mock_keychain();
        let why = set_up(
            &mut store,
            &keys,
            &id("ada-example"),
            false,
            seed(2),
            &SystemClock,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            why.starts_with("the plan already lists a key for Ada Example (SHA256:"),
            "{why}"
        );
        let rotated = set_up(
            &mut store,
            &keys,
            &id("ada-example"),
            true,
            seed(2),
            &SystemClock,
        )
        .unwrap();
        assert_eq!(rotated.retired.map(|(f, _)| f), Some(listed.fingerprint));
    }

    #[test]
    fn a_locked_keychain_or_an_unknown_contact_changes_nothing() {
        let (_dir, mut store) = store();
        let revisions = store.revisions(100).map(|r| r.len()).unwrap_or(0);
        let why = set_up(
            &mut store,
            &Locked,
            &id("ada-example"),
            false,
            seed(1),
            &SystemClock,
        )
        .err()
        .map(|e| (e.code(), e.to_string()));
        assert_eq!(
            why,
            Some((
                ErrorCode::Unavailable,
                "the keychain is locked (SS Error: object locked): unlock it and try again"
                    .to_owned()
            ))
        );
        let why = set_up(
            &mut store,
            &mock_keychain(),
            &id("nobody"),
            false,
            seed(1),
            &SystemClock,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            why.starts_with("`nobody` is not in the plan's core team"),
            "{why}"
        );
        assert_eq!(
            store.revisions(100).map(|r| r.len()).unwrap_or(0),
            revisions
        );
        assert_eq!(store.setting(PROFILE_ID).ok().flatten(), None);
        assert_eq!(store.profile_contact().ok().flatten(), None);
        assert_eq!(
            signing_key(&store, &Locked)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            "no signing key for this profile: run `muster key init --as <your contact id>`"
        );
    }
}
