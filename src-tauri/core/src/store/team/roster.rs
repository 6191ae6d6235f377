//! The roster in the store: every roster version this laptop has seen (its
//! signatures gathered from every file that carried it), the root it pinned
//! and the highest version it took. The version in force sets the plan's
//! guarded fields — each core member's signing and retired keys, each named
//! policy's approvers — as a revision of its own; an edit of those fields
//! made here is refused while a roster is pinned (they change only through
//! roster entries), and whatever else writes the plan (an import, a
//! restore, a teammate's operations) has them set back to the roster's.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::super::{PlanChange, Store};
use crate::clock::Clock;
use crate::decision::{sshsig, PrivateKey};
use crate::error::{Error, Result};
use crate::incident::chain::timestamp;
use crate::plan::{elements, Id, Plan, RetiredKey};
use crate::team::roster::{self, Approvers, Chain, Entry, MemberKeys, Roster, RosterFile};

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Corrupt(format!("{what} cannot be read: {e}"))
}

/// Every roster version seen, by digest.
pub(crate) fn entries(conn: &Connection) -> Result<BTreeMap<String, Entry>> {
    let mut stmt = conn.prepare("SELECT digest, roster, signatures FROM roster_entry")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (digest, text, signatures) = row?;
        let roster: Roster =
            serde_json::from_str(&text).map_err(|e| corrupt("a roster version", e))?;
        let signatures: Vec<String> =
            serde_json::from_str(&signatures).map_err(|e| corrupt("a roster's signatures", e))?;
        out.insert(digest, Entry { roster, signatures });
    }
    Ok(out)
}

/// The pinned root's digest.
fn pin(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT root FROM roster_pin WHERE id = 1", [], |r| r.get(0))
        .optional()?)
}

/// The digests of the versions this laptop took, from version 1.
fn taken(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT digest FROM roster_taken ORDER BY version")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The chain from the pinned root, when one is pinned.
pub(crate) fn chain(conn: &Connection) -> Result<Option<Chain>> {
    let Some(root) = pin(conn)? else {
        return Ok(None);
    };
    Ok(Some(roster::evaluate(
        &root,
        &entries(conn)?,
        &taken(conn)?,
    )))
}

/// Version `version` as this laptop took it (no signature checked again:
/// it was when taken).
pub(crate) fn taken_version(conn: &Connection, version: u64) -> Result<Option<Roster>> {
    let Ok(version) = i64::try_from(version) else {
        return Ok(None);
    };
    let text: Option<String> = conn
        .query_row(
            "SELECT e.roster FROM roster_taken t JOIN roster_entry e ON e.digest = t.digest
             WHERE t.version = ?1",
            [version],
            |r| r.get(0),
        )
        .optional()?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| corrupt("a roster version", e)))
        .transpose()
}

/// The last version parsed, by database file and digest: every save asks
/// for the version in force, and a large team's roster is a large document.
type Parsed = (std::path::PathBuf, String, Arc<Roster>);
static IN_FORCE: Mutex<Option<Parsed>> = Mutex::new(None);

/// The roster version in force here (the last one taken), if a roster is
/// pinned. Cheap: read (and parsed once per version), not evaluated.
pub(crate) fn in_force(conn: &Connection) -> Result<Option<Arc<Roster>>> {
    let top: Option<String> = conn
        .query_row(
            "SELECT digest FROM roster_taken ORDER BY version DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(digest) = top else {
        return Ok(None);
    };
    let path = std::path::PathBuf::from(conn.path().unwrap_or_default());
    if let Ok(cached) = IN_FORCE.lock() {
        if let Some((p, d, roster)) = cached.as_ref() {
            if *p == path && *d == digest {
                return Ok(Some(roster.clone()));
            }
        }
    }
    let text: String = conn.query_row(
        "SELECT roster FROM roster_entry WHERE digest = ?1",
        [&digest],
        |r| r.get(0),
    )?;
    let roster: Arc<Roster> =
        Arc::new(serde_json::from_str(&text).map_err(|e| corrupt("a roster version", e))?);
    if let Ok(mut cached) = IN_FORCE.lock() {
        *cached = Some((path, digest, roster.clone()));
    }
    Ok(Some(roster))
}

/// The most versions kept, beyond those taken, for any one version number:
/// a folder cannot fill the database with competing proposals.
const MAX_CANDIDATES: i64 = 8;

/// Keeps `file`'s version with the signatures in it that verify (each key
/// once); whether anything was new, or why the file was set aside.
fn keep(
    conn: &Connection,
    file: &RosterFile,
    now: &str,
) -> Result<std::result::Result<bool, String>> {
    let digest = file.roster.digest();
    let known: Option<String> = conn
        .query_row(
            "SELECT signatures FROM roster_entry WHERE digest = ?1",
            [&digest],
            |r| r.get(0),
        )
        .optional()?;
    let mut signatures: Vec<String> = match &known {
        Some(text) => {
            serde_json::from_str(text).map_err(|e| corrupt("a roster's signatures", e))?
        }
        None => Vec::new(),
    };
    if known.is_some() && file.signatures.iter().all(|s| signatures.contains(s)) {
        // Seen before, signature for signature: nothing to verify again.
        return Ok(Ok(false));
    }
    let before = signatures.len();
    let (mut keys, _) = file.roster.signers(&signatures);
    for s in &file.signatures {
        if signatures.contains(s) {
            continue;
        }
        let (valid, _) = file.roster.signers(std::slice::from_ref(s));
        let Some(key) = valid.first() else {
            continue;
        };
        if keys.iter().any(|k| sshsig::same_key(k, key)) {
            continue;
        }
        keys.push(key.clone());
        signatures.push(s.clone());
    }
    if signatures.len() == before {
        return Ok(match known {
            Some(_) => Ok(false),
            None => Err("a roster version with no signature that verifies: never kept".to_owned()),
        });
    }
    let version = i64::try_from(file.roster.version).unwrap_or(i64::MAX);
    if known.is_none() {
        let tip: i64 = conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM roster_taken",
            [],
            |r| r.get(0),
        )?;
        if tip > 0 && version <= tip {
            return Ok(Err(format!(
                "roster version {version} is not newer than version {tip} in force: an older or competing version is never taken (no rollback)"
            )));
        }
        let candidates: i64 = conn.query_row(
            "SELECT COUNT(*) FROM roster_entry WHERE version = ?1
             AND digest NOT IN (SELECT digest FROM roster_taken)",
            [version],
            |r| r.get(0),
        )?;
        if candidates >= MAX_CANDIDATES {
            return Ok(Err(format!(
                "{MAX_CANDIDATES} proposals for roster version {version} are waiting already: this one is not kept"
            )));
        }
    }
    let text = serde_json::to_string(&file.roster).map_err(|e| corrupt("a roster", e))?;
    let sigs = serde_json::to_string(&signatures).map_err(|e| corrupt("signatures", e))?;
    conn.execute(
        "INSERT INTO roster_entry (digest, version, roster, signatures, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (digest) DO UPDATE SET signatures = ?4",
        params![digest, version, text, sigs, now],
    )?;
    Ok(Ok(true))
}

/// A roster version as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RosterVersionView {
    #[ts(type = "number")]
    pub version: u64,
    /// `A1B2-C3D4-…`: compared out of band.
    pub fingerprint: String,
    pub admins: Vec<Id>,
    /// How many admins must sign the next version.
    pub threshold: u32,
    /// Each member and their key's fingerprint.
    pub members: Vec<(Id, String)>,
    pub signed_by: Vec<Id>,
}

/// A roster version not in force, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RosterAsideView {
    #[ts(type = "number")]
    pub version: u64,
    pub fingerprint: String,
    pub signed_by: Vec<Id>,
    pub reason: String,
}

/// The roster as this laptop holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RosterView {
    /// The pinned root, when one is.
    pub root: Option<RosterVersionView>,
    /// The version in force.
    pub current: Option<RosterVersionView>,
    /// Versions short of signatures.
    pub waiting: Vec<RosterAsideView>,
    /// Versions never taken, with why.
    pub refused: Vec<RosterAsideView>,
    /// Why roster changes are frozen, if they are.
    pub frozen: Option<String>,
    /// Before a pin: the version-1 rosters seen, to compare and pin one.
    pub roots: Vec<RosterVersionView>,
    /// The roster reached a higher version here than it now can (entries lost).
    pub behind: Option<String>,
}

fn view(digest: &str, roster: &Roster, signed_by: Vec<Id>) -> RosterVersionView {
    RosterVersionView {
        version: roster.version,
        fingerprint: roster::fingerprint(digest),
        admins: roster.admins.iter().cloned().collect(),
        threshold: u32::try_from(roster::threshold(roster.admins.len())).unwrap_or(2),
        members: roster
            .members
            .iter()
            .map(|(id, m)| {
                let shown = sshsig::parse_public_key(&m.key)
                    .map(|k| sshsig::fingerprint(&k))
                    .unwrap_or_else(|e| e);
                (id.clone(), shown)
            })
            .collect(),
        signed_by,
    }
}

fn aside(a: &roster::Aside) -> RosterAsideView {
    RosterAsideView {
        version: a.version,
        fingerprint: roster::fingerprint(&a.digest),
        signed_by: a.signed_by.clone(),
        reason: a.reason.clone(),
    }
}

/// What a change of the roster proposes, on top of the version in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterChange {
    pub add_admins: Vec<Id>,
    pub remove_admins: Vec<Id>,
    /// A member's new key (an OpenSSH line); their old one is retired from now.
    pub keys: Vec<(Id, String)>,
    pub remove_members: Vec<Id>,
    pub approvers: Vec<QuorumChange>,
}

/// A policy's approvers in a roster change: required, the pool of
/// additional ones, and how many of the pool must approve (none given: as
/// before, else one of a pool). Whether attested approvals count stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuorumChange {
    pub policy: Id,
    pub required: Vec<Id>,
    pub additional: Vec<Id>,
    pub needed: Option<u32>,
}

impl RosterChange {
    fn apply(&self, next: &mut Roster, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
        for (id, line) in &self.keys {
            let key = sshsig::parse_public_key(line).map_err(|e| {
                Error::Refused(format!("the key given for `{id}` cannot be used: {e}"))
            })?;
            let line = sshsig::public_line(&key);
            match next.members.get_mut(id) {
                Some(m) => {
                    let old = std::mem::replace(&mut m.key, line);
                    m.retired.push(RetiredKey {
                        key: old,
                        retired_from: now,
                    });
                }
                None => {
                    next.members.insert(
                        id.clone(),
                        MemberKeys {
                            key: line,
                            retired: Vec::new(),
                        },
                    );
                }
            }
        }
        for id in &self.remove_members {
            next.members.remove(id);
            next.admins.remove(id);
        }
        next.admins.extend(self.add_admins.iter().cloned());
        for id in &self.remove_admins {
            next.admins.remove(id);
        }
        for QuorumChange {
            policy,
            required,
            additional,
            needed,
        } in &self.approvers
        {
            let before = next.approvers.get(policy);
            let additional_needed = needed
                .or_else(|| before.map(|a| a.additional_needed))
                .unwrap_or(u32::from(!additional.is_empty()));
            let attested_allowed = before.is_some_and(|a| a.attested_allowed);
            next.approvers.insert(
                policy.clone(),
                Approvers {
                    required: required.clone(),
                    additional: additional.clone(),
                    additional_needed,
                    attested_allowed,
                },
            );
        }
        Ok(())
    }
}

impl Store {
    /// The digest of the pinned root, to check bundles from it.
    pub fn roster_root(&self) -> Result<Option<String>> {
        pin(&self.conn)
    }

    /// The roster as this laptop holds it.
    pub fn roster(&self) -> Result<RosterView> {
        let entries = entries(&self.conn)?;
        let mut out = RosterView::default();
        let Some(root) = pin(&self.conn)? else {
            out.roots = entries
                .iter()
                .filter(|(_, e)| e.roster.version == 1)
                .map(|(d, e)| {
                    let (keys, _) = e.roster.signers(&e.signatures);
                    let by = keys
                        .iter()
                        .filter_map(|k| e.roster.holder(k).cloned())
                        .collect();
                    view(d, &e.roster, by)
                })
                .collect();
            return Ok(out);
        };
        let taken = taken(&self.conn)?;
        let chain = roster::evaluate(&root, &entries, &taken);
        out.root = chain
            .versions
            .first()
            .map(|f| view(&f.digest, &f.roster, f.signed_by.clone()));
        out.current = chain
            .current()
            .map(|f| view(&f.digest, &f.roster, f.signed_by.clone()));
        out.waiting = chain.waiting.iter().map(aside).collect();
        out.refused = chain.refused.iter().map(aside).collect();
        out.frozen = chain.frozen.clone();
        let at = chain.current().map_or(0, |f| f.roster.version);
        let highest = taken.len() as u64;
        if at < highest {
            out.behind = Some(format!(
                "this laptop took version {highest} before, and can now only reach version {at}: the entries after it are missing or damaged; no roster change is taken until they are back"
            ));
        }
        Ok(out)
    }

    /// Every roster version with all its signatures, as files for the team
    /// folder (each laptop writes what it knows; the same content makes the
    /// same file, so nothing conflicts).
    pub fn roster_files(&self) -> Result<Vec<RosterFile>> {
        Ok(entries(&self.conn)?
            .into_values()
            .map(|e| RosterFile {
                roster: e.roster,
                signatures: e.signatures,
            })
            .collect())
    }

    /// Takes in roster files (from the team folder): keeps what is new and,
    /// when a newer version comes into force, sets the plan to it (tried
    /// again each time, should it once have failed). Why each file that was
    /// set aside was, by its index in `files`.
    pub fn take_in_roster(
        &mut self,
        files: &[RosterFile],
        clock: &dyn Clock,
    ) -> Result<Vec<(usize, String)>> {
        let now = timestamp(clock.now());
        self.writable()?;
        let tx = self.conn.transaction()?;
        let mut new = false;
        let mut aside = Vec::new();
        for (i, file) in files.iter().enumerate() {
            match keep(&tx, file, &now)? {
                Ok(kept) => new |= kept,
                Err(why) => aside.push((i, why)),
            }
        }
        tx.commit()?;
        let behind = match in_force(&self.conn)? {
            Some(force) => guarded(&force, &*self.current()?).is_some(),
            None => false,
        };
        if new || behind {
            self.follow_roster(clock)?;
        }
        Ok(aside)
    }

    /// Keeps one file made here; refused with why when it is set aside.
    fn keep_own(&mut self, file: &RosterFile, clock: &dyn Clock) -> Result<()> {
        match self
            .take_in_roster(std::slice::from_ref(file), clock)?
            .first()
        {
            Some((_, why)) => Err(Error::Refused(why.clone())),
            None => Ok(()),
        }
    }

    /// Pins the version-1 roster `typed` names (its fingerprint or digest),
    /// after its fingerprint was compared with the team's out of band.
    pub fn pin_roster(&mut self, typed: &str, clock: &dyn Clock) -> Result<RosterView> {
        if let Some(root) = pin(&self.conn)? {
            if roster::names(typed, &root) {
                return self.roster();
            }
            return Err(Error::Refused(format!(
                "this laptop trusts the roster {} already: a laptop pins one root, once",
                roster::fingerprint(&root)
            )));
        }
        let entries = entries(&self.conn)?;
        let found: Vec<(&String, &Entry)> = entries
            .iter()
            .filter(|(d, e)| e.roster.version == 1 && roster::names(typed, d))
            .collect();
        let (digest, entry) = match found.as_slice() {
            [one] => *one,
            [] => {
                return Err(Error::NotFound {
                    what: "version-1 roster",
                    id: typed.to_owned(),
                })
            }
            _ => {
                return Err(Error::Refused(
                    "more than one roster starts with that: type its whole fingerprint".to_owned(),
                ))
            }
        };
        let (keys, _) = entry.roster.signers(&entry.signatures);
        if let roster::Standing::Waiting(why) | roster::Standing::Refused(why) =
            roster::root_standing(&entry.roster, &keys)
        {
            return Err(Error::Refused(format!(
                "the roster {} cannot be a root: {why}",
                roster::fingerprint(digest)
            )));
        }
        self.writable()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO roster_pin (id, root, pinned_at) VALUES (1, ?1, ?2)",
            params![digest, timestamp(clock.now())],
        )?;
        tx.execute(
            "INSERT INTO roster_taken (version, digest) VALUES (1, ?1)",
            [digest],
        )?;
        tx.commit()?;
        self.follow_roster(clock)?;
        self.roster()
    }

    /// Starts the team's roster: version 1 from the plan's keys and
    /// approvers, `admins` its admins, signed with `key` (an admin's), and
    /// pinned here. Its file, for the team folder.
    pub fn start_roster(
        &mut self,
        admins: &[Id],
        key: &PrivateKey,
        clock: &dyn Clock,
    ) -> Result<RosterFile> {
        if pin(&self.conn)?.is_some() {
            return Err(Error::Refused(
                "this laptop has a roster already: change it with `muster roster propose`"
                    .to_owned(),
            ));
        }
        let plan = self.current()?;
        let admins: BTreeSet<Id> = admins.iter().cloned().collect();
        let root = Roster::from_plan(&plan, admins);
        if let Some(p) = root.problem() {
            return Err(Error::Refused(format!(
                "the roster cannot start from this plan: {p}"
            )));
        }
        let mine = root.holder(key.public_key()).cloned();
        if !mine.as_ref().is_some_and(|m| root.admins.contains(m)) {
            return Err(Error::Refused(
                "the roster's first version is signed by one of its admins: name yourself among them (--admin)".to_owned(),
            ));
        }
        let file = RosterFile {
            signatures: vec![root.sign(key).map_err(Error::Refused)?],
            roster: root,
        };
        self.keep_own(&file, clock)?;
        self.pin_roster(&file.roster.digest(), clock)?;
        Ok(file)
    }

    /// Proposes the next version: the one in force with `change`, signed
    /// with `key`. In force at once when that signature is all it needs;
    /// otherwise it waits for the others'. Its file, for the team folder.
    pub fn propose_roster(
        &mut self,
        change: &RosterChange,
        key: &PrivateKey,
        clock: &dyn Clock,
    ) -> Result<RosterFile> {
        let chain = self.held_chain()?;
        let Some(current) = chain.current() else {
            return Err(Error::Refused(
                "the pinned roster is not trusted here: nothing can follow it".to_owned(),
            ));
        };
        let mut next = current.roster.next();
        change.apply(
            &mut next,
            chrono::SubsecRound::trunc_subsecs(clock.now(), 0),
        )?;
        if next == current.roster.next() {
            return Err(Error::Refused(
                "the change changes nothing in the roster".to_owned(),
            ));
        }
        if let Some(p) = next.problem() {
            return Err(Error::Refused(format!(
                "the roster would not be sound: {p}"
            )));
        }
        let file = RosterFile {
            signatures: vec![next.sign(key).map_err(Error::Refused)?],
            roster: next,
        };
        self.keep_own(&file, clock)?;
        Ok(file)
    }

    /// Adds this profile's signature (`key`) to the waiting version `typed`
    /// names. Its file with every signature, for the team folder.
    pub fn sign_roster(
        &mut self,
        typed: &str,
        key: &PrivateKey,
        clock: &dyn Clock,
    ) -> Result<RosterFile> {
        let chain = self.held_chain()?;
        let entries = entries(&self.conn)?;
        let found: Vec<(&String, &Entry)> = entries
            .iter()
            .filter(|(d, _)| roster::names(typed, d))
            .collect();
        let [(digest, entry)] = found.as_slice() else {
            return Err(Error::NotFound {
                what: "roster version",
                id: typed.to_owned(),
            });
        };
        if let Some(refused) = chain.refused.iter().find(|r| &r.digest == *digest) {
            return Err(Error::Refused(format!(
                "roster version {} is refused, not waiting for signatures: {}",
                refused.version, refused.reason
            )));
        }
        if chain.versions.iter().any(|v| &v.digest == *digest) {
            return Err(Error::Refused(format!(
                "roster version {} is in force already",
                entry.roster.version
            )));
        }
        let mut signatures = entry.signatures.clone();
        signatures.push(entry.roster.sign(key).map_err(Error::Refused)?);
        let file = RosterFile {
            roster: entry.roster.clone(),
            signatures,
        };
        self.keep_own(&file, clock)?;
        Ok(file)
    }

    /// Rotates `contact`'s key in the roster: the next version with `new`
    /// as their key and the old one retired from now, signed by the old
    /// key (`old`, when this laptop holds it) and the new one. `None` when
    /// no roster is pinned (the plan takes the key as before).
    pub fn roster_key(
        &mut self,
        contact: &Id,
        new: &PrivateKey,
        old: Option<&PrivateKey>,
        clock: &dyn Clock,
    ) -> Result<Option<RosterFile>> {
        if pin(&self.conn)?.is_none() {
            return Ok(None);
        }
        let change = RosterChange {
            keys: vec![(contact.clone(), sshsig::public_line(new.public_key()))],
            ..RosterChange::default()
        };
        let mut file = self.propose_roster(&change, new, clock)?;
        if let Some(old) = old {
            file = self.sign_roster(&file.roster.digest(), old, clock)?;
        }
        Ok(Some(file))
    }

    /// The chain, refusing when changes are frozen or entries are missing.
    fn held_chain(&self) -> Result<Chain> {
        let Some(chain) = chain(&self.conn)? else {
            return Err(Error::Refused(
                "this laptop has no roster: start one with `muster roster start`, or pin the team's with `muster roster pin`".to_owned(),
            ));
        };
        if let Some(frozen) = &chain.frozen {
            return Err(Error::Refused(frozen.clone()));
        }
        Ok(chain)
    }

    /// Takes the versions that came into force (they stand from then on),
    /// then sets the plan's guarded fields to the version in force, as a
    /// revision of its own when they differ. Refused when that version does
    /// not fit the plan (it names approvers the plan lacks…): the link says
    /// so each round until a plan or roster change settles it.
    fn follow_roster(&mut self, clock: &dyn Clock) -> Result<()> {
        let Some(chain) = chain(&self.conn)? else {
            return Ok(());
        };
        let known = taken(&self.conn)?;
        if chain.versions.len() > known.len() {
            self.writable()?;
            let tx = self.conn.transaction()?;
            for f in &chain.versions[known.len()..] {
                tx.execute(
                    "INSERT INTO roster_taken (version, digest) VALUES (?1, ?2)",
                    params![
                        i64::try_from(f.roster.version).unwrap_or(i64::MAX),
                        f.digest
                    ],
                )?;
            }
            tx.commit()?;
        }
        let Some(force) = chain.current().cloned() else {
            return Ok(());
        };
        let signed: Vec<&str> = force.signed_by.iter().map(Id::as_str).collect();
        self.change_plan(clock, |plan| {
            let mut new = plan.clone();
            let changed = force.roster.impose(&mut new);
            let problems = crate::plan::validate(&new);
            if !problems.is_empty() {
                return Err(Error::Refused(format!(
                    "roster version {} does not fit this plan ({}): keys and approvers stay as they were until it does",
                    force.roster.version,
                    problems
                        .iter()
                        .map(|p| p.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
            }
            let changes = elements::diff(plan, &new, None);
            *plan = new;
            Ok(PlanChange {
                changes,
                summary: format!(
                    "Roster version {} in force (signed by {}): {}",
                    force.roster.version,
                    signed.join(", "),
                    changed.join(", ")
                ),
                whole: false,
            })
        })?;
        Ok(())
    }
}

/// The roster version decision `id` was requested under, if it was under one.
fn requested_under(
    conn: &Connection,
    id: &crate::decision::model::DecisionId,
) -> Result<Option<u64>> {
    let version: Option<i64> = conn
        .query_row(
            "SELECT roster_version FROM decision WHERE id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(version.map(|v| u64::try_from(v).unwrap_or(0)))
}

/// Refuses a signature of decision `id` (under `policy`) by `contact` with
/// `key_line` when the decision was requested under a roster version in
/// which that key was not theirs, or they were no approver of the policy:
/// a key added later never signs for the past (and a rotation later leaves
/// the signatures made before it standing). A decision requested before
/// this laptop pinned a roster is judged by the plan's keys alone.
pub(crate) fn judge_signer(
    conn: &Connection,
    id: &crate::decision::model::DecisionId,
    policy: &Id,
    contact: &Id,
    key_line: &str,
) -> Result<()> {
    let Some(version) = requested_under(conn, id)? else {
        return Ok(());
    };
    let Some(then) = taken_version(conn, version)? else {
        return Err(Error::Refused(format!(
            "{id} was requested under roster version {version}, which this laptop has not taken: its signatures wait until it has"
        )));
    };
    let key = sshsig::parse_public_key(key_line)
        .map_err(|e| Error::Refused(format!("the signer's key cannot be read: {e}")))?;
    match then.approvers.get(policy) {
        Some(quorum) if quorum.includes(contact) => {}
        Some(_) => {
            return Err(Error::Refused(format!(
                "`{contact}` is no approver of `{policy}` in roster version {version}, under which {id} was requested"
            )))
        }
        None => {
            return Err(Error::Refused(format!(
                "the decision policy `{policy}` has no approvers in roster version {version}, under which {id} was requested: an admin names them (`muster roster propose --approvers {policy}=…`) before it can be approved"
            )))
        }
    }
    let theirs = then
        .members
        .get(contact)
        .and_then(|m| sshsig::parse_public_key(&m.key).ok())
        .is_some_and(|k| sshsig::same_key(&k, &key));
    if theirs {
        return Ok(());
    }
    let entries = entries(conn)?;
    let added = taken(conn)?
        .iter()
        .filter_map(|d| entries.get(d))
        .find(|e| e.roster.holder(&key).is_some())
        .map(|e| e.roster.version);
    Err(Error::Refused(match added {
        Some(later) if later > version => format!(
            "{id} was requested under roster version {version}, and the key {} signing it came into the roster only in version {later}: a key added later never signs for the past",
            sshsig::fingerprint(&key)
        ),
        _ => format!(
            "the key {} was not `{contact}`'s in roster version {version}, under which {id} was requested",
            sshsig::fingerprint(&key)
        ),
    }))
}

/// The roster files a bundle of decision `id` carries: versions 1 to the
/// one it was requested under, each with every signature gathered.
pub(crate) fn bundle_roster(
    conn: &Connection,
    id: &crate::decision::model::DecisionId,
) -> Result<Option<crate::decision::bundle::BundleRoster>> {
    let Some(version) = requested_under(conn, id)? else {
        return Ok(None);
    };
    let entries = entries(conn)?;
    let files = taken(conn)?
        .into_iter()
        .take(usize::try_from(version).unwrap_or(usize::MAX))
        .filter_map(|d| entries.get(&d))
        .map(|e| RosterFile {
            roster: e.roster.clone(),
            signatures: e.signatures.clone(),
        })
        .collect();
    Ok(Some(crate::decision::bundle::BundleRoster {
        version,
        files,
    }))
}

/// Why an edit of `plan` may not be saved while `roster` is in force: the
/// guarded fields it would change, in words.
pub(crate) fn guarded(roster: &Roster, plan: &Plan) -> Option<String> {
    // Only the sections the roster keeps are copied, not the whole plan.
    let mut probe = Plan {
        core_team: plan.core_team.clone(),
        decisions: plan.decisions.clone(),
        ..Plan::empty()
    };
    let changed = roster.impose(&mut probe);
    (!changed.is_empty()).then(|| {
        format!(
            "{} kept by the team's signed roster (version {}): {} change only through a roster entry (`muster roster propose`), signed by its admins",
            changed.join(", "),
            roster.version,
            if changed.len() == 1 { "it can" } else { "they can" }
        )
    })
}
