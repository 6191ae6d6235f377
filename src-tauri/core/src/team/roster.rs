//! The team's signed roster: who holds which signing key, who approves in
//! which decision policy, and who may change the roster. It is the trust
//! root of every team event and every approval, so it never changes as an
//! ordinary plan edit (anyone who can write to the team folder could make
//! one): it changes only through **roster entries**, version N+1 signed as
//! version N requires.
//!
//! - Version 1 is created by the team's first admin(s) and signed by them;
//!   each laptop **pins** it by its fingerprint, compared out of band (the
//!   way Syncthing device ids are compared). The starter plan is no root.
//! - Version N+1 names the digest of version N and is signed by a threshold
//!   of N's admins ([`threshold`]: 2 when there are 3 or more, else 1), plus
//!   every key it adds or changes (proof that its holder has it). A person
//!   rotating only their own key may instead sign with the old and the new key.
//! - An entry signed short of that waits for signatures; one that is not
//!   built on the version in force, or is older than it (a rollback), is
//!   refused with its reason; two different entries both signed for N+1 are
//!   a fork: both are refused and roster changes freeze until the admins
//!   sign a version N+2 built on one of them.
//!
//! Files live in the team folder's `roster/`, each named by the SHA-256 of
//! its bytes and written once; several files of one roster (each carrying
//! the signatures its writer had) are merged by the roster's digest.
//! Pure: no clock, no disk; the store keeps the files and the pin.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::decision::{sshsig, PrivateKey, PublicKey};
use crate::plan::{Id, Plan, RetiredKey};

/// The SSHSIG namespace of roster signatures.
pub const NAMESPACE: &str = "muster-roster-v1";
/// The folder inside the team folder that holds roster files.
pub const DIR: &str = "roster";
/// The largest roster file taken in, in bytes.
pub const MAX_FILE: u64 = 1024 * 1024;
/// The most members, admins or policies one roster names.
pub const MAX_ENTRIES: usize = 5000;

/// One version of the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Roster {
    /// 1 for the root, then one more per entry.
    pub version: u64,
    /// The digest of the version before ([`Roster::digest`]); none for 1.
    pub previous: Option<String>,
    /// Each core member's signing key, and the keys they retired.
    pub members: BTreeMap<Id, MemberKeys>,
    /// Who signs the next version.
    pub admins: BTreeSet<Id>,
    /// Who approves in each decision policy, by the policy's id.
    pub approvers: BTreeMap<Id, Approvers>,
}

/// A member's keys in the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberKeys {
    /// OpenSSH public key line, `ssh-ed25519 AAAA…` (no comment).
    pub key: String,
    #[serde(default)]
    pub retired: Vec<RetiredKey>,
}

/// A decision policy's quorum, as its plan fields name it: who must all
/// approve, the pool of further approvers and how many of them, and
/// whether attested (unsigned) approvals count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Approvers {
    pub required: Vec<Id>,
    pub additional: Vec<Id>,
    pub additional_needed: u32,
    pub attested_allowed: bool,
}

impl Approvers {
    /// Whether `who` approves under this quorum.
    pub fn includes(&self, who: &Id) -> bool {
        self.required.contains(who) || self.additional.contains(who)
    }
}

/// A roster file: one version and the signatures its writer had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RosterFile {
    pub roster: Roster,
    /// Armored SSHSIGs over [`Roster::canonical`] under [`NAMESPACE`].
    pub signatures: Vec<String>,
}

impl RosterFile {
    /// The file's bytes: pretty JSON, so a person can read it in the folder.
    pub fn to_file(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The file's name in `roster/`: the SHA-256 of its bytes.
    pub fn file_name(&self) -> String {
        format!("{}.json", hex(&Sha256::digest(self.to_file())))
    }

    /// Reads a file's bytes; why not, for a message.
    pub fn parse(bytes: &[u8]) -> Result<RosterFile, String> {
        if bytes.len() as u64 > MAX_FILE {
            return Err(format!("over {MAX_FILE} bytes: not a roster file"));
        }
        serde_json::from_slice(bytes).map_err(|e| format!("not a Muster roster file: {e}"))
    }
}

/// How many admins of a version must sign the next one.
pub fn threshold(admins: usize) -> usize {
    if admins >= 3 {
        2
    } else {
        1
    }
}

/// A digest as people compare it: its first 128 bits in 8 groups of 4
/// upper-case hex digits.
pub fn fingerprint(digest: &str) -> String {
    let digits: Vec<char> = digest
        .chars()
        .take(32)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    digits
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Whether `typed` (a fingerprint with or without dashes, or a whole
/// digest) names `digest`: at least 32 hex digits, all matching.
pub fn names(typed: &str, digest: &str) -> bool {
    let wanted: String = typed
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    wanted.len() >= 32 && digest.starts_with(&wanted)
}

fn key_of(line: &str) -> Option<PublicKey> {
    sshsig::parse_public_key(line).ok()
}

fn same(a: &str, b: &str) -> bool {
    match (key_of(a), key_of(b)) {
        (Some(a), Some(b)) => sshsig::same_key(&a, &b),
        _ => false,
    }
}

impl Roster {
    /// The bytes that are hashed and signed.
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The lowercase hex SHA-256 of [`Roster::canonical`].
    pub fn digest(&self) -> String {
        hex(&Sha256::digest(self.canonical()))
    }

    /// Version 1 from the plan as it stands: every core member with a key,
    /// every decision policy's approvers, and `admins`.
    pub fn from_plan(plan: &Plan, admins: BTreeSet<Id>) -> Roster {
        let members = plan
            .core_team
            .iter()
            .filter_map(|m| {
                let key = key_of(m.public_key.as_deref()?)?;
                Some((
                    m.id.clone(),
                    MemberKeys {
                        key: sshsig::public_line(&key),
                        retired: m.retired_keys.clone(),
                    },
                ))
            })
            .collect();
        let approvers = plan
            .decisions
            .iter()
            .map(|d| {
                (
                    d.id.clone(),
                    Approvers {
                        required: d.required.clone(),
                        additional: d.additional.clone(),
                        additional_needed: d.additional_needed,
                        attested_allowed: d.attested_allowed,
                    },
                )
            })
            .collect();
        Roster {
            version: 1,
            previous: None,
            members,
            admins,
            approvers,
        }
    }

    /// The next version, built on this one (same content, to be changed).
    pub fn next(&self) -> Roster {
        Roster {
            version: self.version + 1,
            previous: Some(self.digest()),
            ..self.clone()
        }
    }

    /// The member whose current key `key` is.
    pub fn holder(&self, key: &PublicKey) -> Option<&Id> {
        self.members
            .iter()
            .find(|(_, m)| key_of(&m.key).is_some_and(|k| sshsig::same_key(&k, key)))
            .map(|(id, _)| id)
    }

    /// Signs this version with `key`.
    pub fn sign(&self, key: &PrivateKey) -> Result<String, String> {
        sshsig::sign(key, NAMESPACE, &self.canonical())
    }

    /// The keys whose signatures in `signatures` verify over this version;
    /// the others, each with why.
    pub fn signers(&self, signatures: &[String]) -> (Vec<PublicKey>, Vec<String>) {
        let bytes = self.canonical();
        let mut keys: Vec<PublicKey> = Vec::new();
        let mut bad = Vec::new();
        for armored in signatures {
            let checked = sshsig::parse_signature(armored).and_then(|sig| {
                let key = sshsig::signature_key(&sig);
                sshsig::verify(&key, NAMESPACE, &bytes, &sig)
                    .map(|()| key)
                    .map_err(|e| match e {
                        sshsig::VerifyError::Namespace(other) => {
                            format!("a signature made under `{other}`, not `{NAMESPACE}`")
                        }
                        _ => "a signature that does not match the roster: altered".to_owned(),
                    })
            });
            match checked {
                Ok(key) if !keys.iter().any(|k| sshsig::same_key(k, &key)) => keys.push(key),
                Ok(_) => {}
                Err(reason) => bad.push(reason),
            }
        }
        (keys, bad)
    }

    /// What is wrong with this version on its own, if anything.
    pub fn problem(&self) -> Option<String> {
        if self.version == 0 {
            return Some("its version is 0: versions start at 1".to_owned());
        }
        if i64::try_from(self.version).is_err() {
            return Some("its version is out of range".to_owned());
        }
        match (&self.previous, self.version) {
            (None, 1) => {}
            (Some(_), 1) => return Some("version 1 names a version before it".to_owned()),
            (None, _) => return Some("it names no version before it".to_owned()),
            (Some(p), _) if !(p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit())) => {
                return Some("the version before it is not named by a digest".to_owned())
            }
            (Some(_), _) => {}
        }
        if [self.members.len(), self.admins.len(), self.approvers.len()]
            .iter()
            .any(|n| *n > MAX_ENTRIES)
        {
            return Some(format!(
                "it names more than {MAX_ENTRIES} people or policies"
            ));
        }
        for id in self
            .members
            .keys()
            .chain(&self.admins)
            .chain(self.approvers.keys())
        {
            if let Some(p) = id.problem() {
                return Some(format!("`{id}` is not an id: {p}"));
            }
        }
        if self.admins.is_empty() {
            return Some("it names no admin: nobody could change it".to_owned());
        }
        if let Some(admin) = self.admins.iter().find(|a| !self.members.contains_key(*a)) {
            return Some(format!("its admin `{admin}` has no key in it"));
        }
        let mut seen: Vec<(PublicKey, &Id)> = Vec::new();
        for (id, m) in &self.members {
            let lines = std::iter::once(&m.key).chain(m.retired.iter().map(|r| &r.key));
            for line in lines {
                let key = sshsig::parse_public_key(line)
                    .map_err(|e| format!("the key of `{id}` cannot be read: {e}"));
                let key = match key {
                    Ok(key) => key,
                    Err(e) => return Some(e),
                };
                if let Some((_, other)) = seen.iter().find(|(k, _)| sshsig::same_key(k, &key)) {
                    return Some(format!(
                        "the key {} is given to both `{other}` and `{id}`",
                        sshsig::fingerprint(&key)
                    ));
                }
                seen.push((key, id));
            }
        }
        // An approver may have no key yet: they cannot sign until a version
        // gives them one, which needs the admins and the key's holder.
        for a in self.approvers.values() {
            if a.required.len() + a.additional.len() > MAX_ENTRIES {
                return Some(format!("a policy names more than {MAX_ENTRIES} approvers"));
            }
            if let Some((id, p)) = a
                .required
                .iter()
                .chain(&a.additional)
                .find_map(|id| id.problem().map(|p| (id, p)))
            {
                return Some(format!("`{id}` is not an id: {p}"));
            }
        }
        None
    }

    /// Sets the plan's guarded fields to this version's: every core
    /// member's key and retired keys (none for a member it does not name)
    /// and the approvers of each policy it names. What it changed, in words.
    pub fn impose(&self, plan: &mut Plan) -> Vec<String> {
        let mut changed = Vec::new();
        for m in &mut plan.core_team {
            let (key, retired) = match self.members.get(&m.id) {
                Some(k) => (Some(k.key.clone()), k.retired.clone()),
                None => (None, Vec::new()),
            };
            let same_key = match (&m.public_key, &key) {
                (Some(a), Some(b)) => same(a, b),
                (None, None) => true,
                _ => false,
            };
            if !same_key || m.retired_keys != retired {
                changed.push(format!("the signing key of {}", m.name));
                m.public_key = key;
                m.retired_keys = retired;
            }
        }
        for d in &mut plan.decisions {
            if let Some(a) = self.approvers.get(&d.id) {
                if d.required != a.required
                    || d.additional != a.additional
                    || d.additional_needed != a.additional_needed
                    || d.attested_allowed != a.attested_allowed
                {
                    changed.push(format!("the approvers of `{}`", d.id));
                    d.required = a.required.clone();
                    d.additional = a.additional.clone();
                    d.additional_needed = a.additional_needed;
                    d.attested_allowed = a.attested_allowed;
                }
            }
        }
        changed
    }

    /// The one member whose key alone changed from `self` to `next` (the
    /// old key retired, nothing else touched): a rotation of one's own key.
    fn rotation_to<'a>(&'a self, next: &'a Roster) -> Option<(&'a Id, &'a str, &'a str)> {
        if self.admins != next.admins || self.approvers != next.approvers {
            return None;
        }
        if self.members.len() != next.members.len() {
            return None;
        }
        let mut changed = self
            .members
            .iter()
            .filter(|(id, m)| next.members.get(*id) != Some(*m));
        let (id, old) = changed.next()?;
        if changed.next().is_some() {
            return None;
        }
        let new = next.members.get(id)?;
        let retired_old = new.retired.len() == old.retired.len() + 1
            && new.retired.starts_with(&old.retired)
            && new.retired.last().is_some_and(|r| same(&r.key, &old.key));
        (retired_old && !same(&old.key, &new.key)).then_some((
            id,
            old.key.as_str(),
            new.key.as_str(),
        ))
    }
}

/// How a candidate for the next version stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Signed as required: it may come into force.
    Signed,
    /// Sound, but short of signatures: it waits for more.
    Waiting(String),
    /// Never taken, with why.
    Refused(String),
}

fn names_of<'a>(roster: &'a Roster, keys: &[PublicKey]) -> Vec<&'a Id> {
    keys.iter().filter_map(|k| roster.holder(k)).collect()
}

/// Whether `next` may follow `current`, signed by `signers`.
pub fn standing(current: &Roster, next: &Roster, signers: &[PublicKey]) -> Standing {
    if let Some(p) = next.problem() {
        return Standing::Refused(format!("it is not a sound roster: {p}"));
    }
    if next.version != current.version + 1 {
        return Standing::Refused(format!(
            "it is version {}, and version {} is in force: only version {} can follow",
            next.version,
            current.version,
            current.version + 1
        ));
    }
    if next.previous.as_deref() != Some(current.digest().as_str()) {
        return Standing::Refused(format!(
            "it is not built on version {} in force (fingerprint {})",
            current.version,
            fingerprint(&current.digest())
        ));
    }
    // A retired key is only ever the key its holder used before: a list
    // that changes otherwise would slip a key past its holder's signature.
    for (id, m) in &next.members {
        let expected: Vec<&str> = match current.members.get(id) {
            None => Vec::new(),
            Some(c) if same(&c.key, &m.key) => c.retired.iter().map(|r| r.key.as_str()).collect(),
            Some(c) => c
                .retired
                .iter()
                .map(|r| r.key.as_str())
                .chain(std::iter::once(c.key.as_str()))
                .collect(),
        };
        let kept = current
            .members
            .get(id)
            .map_or(&[][..], |c| c.retired.as_slice());
        let same_list = m.retired.len() == expected.len()
            && m.retired
                .iter()
                .zip(&expected)
                .all(|(r, e)| same(&r.key, e))
            && m.retired.starts_with(kept);
        if !same_list {
            return Standing::Refused(format!(
                "it changes the retired keys of `{id}`: a retired key is only the key its holder used until this version"
            ));
        }
    }
    let signed =
        |line: &str| key_of(line).is_some_and(|k| signers.iter().any(|s| sshsig::same_key(s, &k)));
    if let Some((_, old, new)) = current.rotation_to(next) {
        if signed(old) && signed(new) {
            return Standing::Signed;
        }
    }
    let admins: Vec<&Id> = current
        .admins
        .iter()
        .filter(|a| current.members.get(*a).is_some_and(|m| signed(&m.key)))
        .collect();
    let unsigned_new: Vec<&Id> = next
        .members
        .iter()
        .filter(|(id, m)| {
            current
                .members
                .get(*id)
                .is_none_or(|c| !same(&c.key, &m.key))
        })
        .filter(|(_, m)| !signed(&m.key))
        .map(|(id, _)| id)
        .collect();
    let need = threshold(current.admins.len());
    if admins.len() >= need && unsigned_new.is_empty() {
        return Standing::Signed;
    }
    let mut why = Vec::new();
    if admins.len() < need {
        let by = if admins.is_empty() {
            "none".to_owned()
        } else {
            list(&admins)
        };
        why.push(format!(
            "it needs the signatures of {need} admin(s) of version {} ({}); it has {} ({by})",
            current.version,
            list(&current.admins.iter().collect::<Vec<_>>()),
            admins.len()
        ));
    }
    if !unsigned_new.is_empty() {
        why.push(format!(
            "the new key of {} has not signed it (a key is added only with its holder's signature)",
            list(&unsigned_new)
        ));
    }
    let strangers: Vec<String> = signers
        .iter()
        .filter(|k| {
            current
                .holder(k)
                .is_none_or(|id| !current.admins.contains(id))
        })
        .filter(|k| {
            !next.members.iter().any(|(id, m)| {
                current
                    .members
                    .get(id)
                    .is_none_or(|c| !same(&c.key, &m.key))
                    && key_of(&m.key).is_some_and(|n| sshsig::same_key(&n, k))
            })
        })
        .map(sshsig::fingerprint)
        .collect();
    if !strangers.is_empty() && admins.is_empty() && strangers.len() == signers.len() {
        // Nobody who may change the roster, nor the holder of a key it adds,
        // signed it: it is nobody's proposal to wait for.
        return Standing::Refused(format!(
            "it is signed only by {}, no admin's key in version {} (its admins are {}): only an admin proposes a roster change",
            strangers.join(", "),
            current.version,
            list(&current.admins.iter().collect::<Vec<_>>())
        ));
    }
    if !strangers.is_empty() {
        why.push(format!(
            "signed by {} which is no admin's key in version {}: that signature does not count",
            strangers.join(", "),
            current.version
        ));
    }
    Standing::Waiting(why.join("; "))
}

/// Whether `root` may be a team's version 1, signed by `signers`.
pub fn root_standing(root: &Roster, signers: &[PublicKey]) -> Standing {
    if let Some(p) = root.problem() {
        return Standing::Refused(format!("it is not a sound roster: {p}"));
    }
    if root.version != 1 {
        return Standing::Refused(format!(
            "it is version {}: a team's roster starts at version 1",
            root.version
        ));
    }
    let admins = names_of(root, signers)
        .into_iter()
        .filter(|id| root.admins.contains(*id))
        .count();
    let need = threshold(root.admins.len());
    if admins >= need {
        Standing::Signed
    } else {
        Standing::Waiting(format!(
            "it needs the signatures of {need} of its admins; it has {admins}"
        ))
    }
}

fn list(ids: &[&Id]) -> String {
    ids.iter()
        .map(|id| id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One roster version and the signatures gathered for it (from every file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub roster: Roster,
    pub signatures: Vec<String>,
}

/// Merges files by the roster they carry, taking each signature once.
pub fn gather(files: impl IntoIterator<Item = RosterFile>) -> BTreeMap<String, Entry> {
    let mut out: BTreeMap<String, Entry> = BTreeMap::new();
    for file in files {
        let entry = out.entry(file.roster.digest()).or_insert_with(|| Entry {
            roster: file.roster.clone(),
            signatures: Vec::new(),
        });
        for s in file.signatures {
            if !entry.signatures.contains(&s) {
                entry.signatures.push(s);
            }
        }
    }
    out
}

/// A version in force, with who signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub digest: String,
    pub roster: Roster,
    pub signed_by: Vec<Id>,
}

/// A version that is not in force, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aside {
    pub digest: String,
    pub version: u64,
    pub signed_by: Vec<Id>,
    pub reason: String,
}

/// The roster as a laptop holds it, from its pinned root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    /// Version 1 to the version in force.
    pub versions: Vec<InForce>,
    /// Sound candidates for the next version, short of signatures.
    pub waiting: Vec<Aside>,
    /// Entries never taken.
    pub refused: Vec<Aside>,
    /// Why roster changes are frozen (a fork), if they are.
    pub frozen: Option<String>,
}

impl Chain {
    /// The version in force.
    pub fn current(&self) -> Option<&InForce> {
        self.versions.last()
    }

    /// Version `v`, if it is in this chain.
    pub fn at(&self, v: u64) -> Option<&InForce> {
        let index = usize::try_from(v.checked_sub(1)?).ok()?;
        self.versions.get(index)
    }
}

/// How many of `roster`'s admins hold a key among `keys`.
fn admins_among(roster: &Roster, keys: &[PublicKey]) -> usize {
    names_of(roster, keys)
        .into_iter()
        .filter(|id| roster.admins.contains(*id))
        .collect::<BTreeSet<_>>()
        .len()
}

/// The chain from the pinned `root` digest through `entries`. `taken`
/// lists the digests this laptop took before, from version 1: they stand
/// as taken and are never decided again, so a version that competes with
/// one of them — or with an older one — is refused, whoever signed it.
pub fn evaluate(root: &str, entries: &BTreeMap<String, Entry>, taken: &[String]) -> Chain {
    let mut chain = Chain::default();
    let Some(first) = entries.get(root) else {
        return chain;
    };
    let (keys, _) = first.roster.signers(&first.signatures);
    let who = |r: &Roster, keys: &[PublicKey]| names_of(r, keys).into_iter().cloned().collect();
    match root_standing(&first.roster, &keys) {
        Standing::Signed => chain.versions.push(InForce {
            digest: root.to_owned(),
            signed_by: who(&first.roster, &keys),
            roster: first.roster.clone(),
        }),
        Standing::Waiting(reason) | Standing::Refused(reason) => {
            chain.refused.push(Aside {
                digest: root.to_owned(),
                version: first.roster.version,
                signed_by: who(&first.roster, &keys),
                reason: format!("the pinned roster cannot be trusted: {reason}"),
            });
            return chain;
        }
    }
    let mut placed: BTreeSet<String> = BTreeSet::from([root.to_owned()]);
    let in_force = |current: &Roster, e: &Entry, keys: &[PublicKey]| InForce {
        digest: e.roster.digest(),
        signed_by: names_of(current, keys)
            .into_iter()
            .chain(names_of(&e.roster, keys))
            .cloned()
            .collect::<BTreeSet<Id>>()
            .into_iter()
            .collect(),
        roster: e.roster.clone(),
    };
    // What this laptop took before stands.
    for digest in taken.iter().skip(1) {
        let Some(current) = chain.current().map(|c| c.roster.clone()) else {
            break;
        };
        let Some(e) = entries.get(digest) else {
            break;
        };
        if e.roster.version != current.version + 1
            || e.roster.previous.as_deref() != Some(current.digest().as_str())
        {
            break;
        }
        let (keys, _) = e.roster.signers(&e.signatures);
        chain.versions.push(in_force(&current, e, &keys));
        placed.insert(digest.clone());
    }
    while let Some(current) = chain.current().map(|c| c.roster.clone()) {
        let mut signed: Vec<(&String, &Entry, Vec<PublicKey>)> = Vec::new();
        for (d, e) in entries
            .iter()
            .filter(|(_, e)| e.roster.version == current.version + 1)
        {
            let (keys, _) = e.roster.signers(&e.signatures);
            if standing(&current, &e.roster, &keys) == Standing::Signed {
                signed.push((d, e, keys));
            }
        }
        let chosen = match signed.len() {
            0 => None,
            1 => signed.pop(),
            _ => {
                // Settled when exactly one of them has a successor signed as
                // it requires *and* by the threshold of this version's admins:
                // one admin who signed a competing branch cannot settle it alone.
                let need = threshold(current.admins.len());
                let extended: Vec<usize> = signed
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, base, _))| {
                        entries.values().any(|e| {
                            if e.roster.version != base.roster.version + 1 {
                                return false;
                            }
                            let (keys, _) = e.roster.signers(&e.signatures);
                            standing(&base.roster, &e.roster, &keys) == Standing::Signed
                                && admins_among(&current, &keys) >= need
                        })
                    })
                    .map(|(i, _)| i)
                    .collect();
                if let [one] = extended.as_slice() {
                    Some(signed.swap_remove(*one))
                } else {
                    let digests: Vec<String> =
                        signed.iter().map(|(d, _, _)| fingerprint(d)).collect();
                    chain.frozen = Some(format!(
                        "{} different version {} entries are each signed as required ({}): roster changes are frozen until {} of version {}'s admins sign a version {} built on one of them",
                        signed.len(),
                        current.version + 1,
                        digests.join(", "),
                        need,
                        current.version,
                        current.version + 2
                    ));
                    None
                }
            }
        };
        let Some((digest, e, keys)) = chosen else {
            break;
        };
        chain.versions.push(in_force(&current, e, &keys));
        placed.insert(digest.clone());
    }
    // Everything not in force: waiting for signatures, or refused with why.
    let Some(current) = chain.current().map(|c| c.roster.clone()) else {
        return chain;
    };
    for (digest, e) in entries {
        if placed.contains(digest) {
            continue;
        }
        let v = e.roster.version;
        let aside = |reason: String, signed_by: Vec<Id>| Aside {
            digest: digest.clone(),
            version: v,
            signed_by,
            reason,
        };
        if v == current.version {
            chain.refused.push(aside(
                format!(
                    "another version {v} than the one in force ({}): a competing version is never taken (no rollback)",
                    fingerprint(&current.digest())
                ),
                Vec::new(),
            ));
            continue;
        }
        if v < current.version {
            chain.refused.push(aside(
                format!(
                    "version {v} is older than version {} in force: an older version is never taken again (no rollback)",
                    current.version
                ),
                Vec::new(),
            ));
            continue;
        }
        if v > current.version + 1 {
            chain.waiting.push(aside(
                format!(
                    "it is version {v}: it waits for version {} to come into force first",
                    current.version + 1
                ),
                Vec::new(),
            ));
            continue;
        }
        let (keys, bad) = e.roster.signers(&e.signatures);
        let signed_by = names_of(&current, &keys).into_iter().cloned().collect();
        if let Some(frozen) = &chain.frozen {
            chain.refused.push(aside(frozen.clone(), signed_by));
            continue;
        }
        match standing(&current, &e.roster, &keys) {
            Standing::Signed => {}
            Standing::Waiting(reason) => {
                let reason = if bad.is_empty() {
                    reason
                } else {
                    format!("{reason}; {}", bad.join("; "))
                };
                chain.waiting.push(aside(reason, signed_by));
            }
            Standing::Refused(reason) => chain.refused.push(aside(reason, signed_by)),
        }
    }
    chain
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests;
