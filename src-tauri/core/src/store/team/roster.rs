//! The roster in the store: every roster version this laptop has seen (its
//! signatures gathered from every file that carried it), the root it pinned
//! and the highest version it took. The version in force sets the plan's
//! guarded fields — each core member's signing and retired keys, each named
//! policy's approvers — as a revision of its own; an edit of those fields
//! made here is refused while a roster is pinned (they change only through
//! roster entries), and whatever else writes the plan (an import, a
//! restore, a teammate's operations) has them set back to the roster's.

use std::collections::{BTreeMap, BTreeSet};

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

/// The pinned root's digest and the highest version taken.
fn pin(conn: &Connection) -> Result<Option<(String, u64)>> {
    Ok(conn
        .query_row(
            "SELECT root, highest FROM roster_pin WHERE id = 1",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
        )
        .optional()?
        .map(|(root, highest)| (root, u64::try_from(highest).unwrap_or(0))))
}

/// The chain from the pinned root, when one is pinned.
pub(crate) fn chain(conn: &Connection) -> Result<Option<Chain>> {
    let Some((root, _)) = pin(conn)? else {
        return Ok(None);
    };
    Ok(Some(roster::evaluate(&root, &entries(conn)?)))
}

/// The roster version in force here, if a roster is pinned and trusted.
pub(crate) fn in_force(conn: &Connection) -> Result<Option<Roster>> {
    Ok(chain(conn)?.and_then(|c| c.current().map(|f| f.roster.clone())))
}

/// Keeps `file`'s version and signatures; whether anything was new.
fn keep(conn: &Connection, file: &RosterFile, now: &str) -> Result<bool> {
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
    let before = signatures.len();
    for s in &file.signatures {
        if !signatures.contains(s) && signatures.len() < 64 {
            signatures.push(s.clone());
        }
    }
    if known.is_some() && signatures.len() == before {
        return Ok(false);
    }
    let text = serde_json::to_string(&file.roster).map_err(|e| corrupt("a roster", e))?;
    let sigs = serde_json::to_string(&signatures).map_err(|e| corrupt("signatures", e))?;
    conn.execute(
        "INSERT INTO roster_entry (digest, version, roster, signatures, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (digest) DO UPDATE SET signatures = ?4",
        params![
            digest,
            i64::try_from(file.roster.version).unwrap_or(i64::MAX),
            text,
            sigs,
            now
        ],
    )?;
    Ok(true)
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
    /// A policy's approvers: required, then the pool of additional ones.
    pub approvers: Vec<(Id, Vec<Id>, Vec<Id>)>,
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
        for (policy, required, additional) in &self.approvers {
            next.approvers.insert(
                policy.clone(),
                Approvers {
                    required: required.clone(),
                    additional: additional.clone(),
                },
            );
        }
        Ok(())
    }
}

impl Store {
    /// The digest of the pinned root, to check bundles from it.
    pub fn roster_root(&self) -> Result<Option<String>> {
        Ok(pin(&self.conn)?.map(|(root, _)| root))
    }

    /// The roster as this laptop holds it.
    pub fn roster(&self) -> Result<RosterView> {
        let entries = entries(&self.conn)?;
        let mut out = RosterView::default();
        let Some((root, highest)) = pin(&self.conn)? else {
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
        let chain = roster::evaluate(&root, &entries);
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
    /// when a newer version comes into force, sets the plan to it. Whether
    /// anything was new.
    pub fn take_in_roster(&mut self, files: &[RosterFile], clock: &dyn Clock) -> Result<bool> {
        let now = timestamp(clock.now());
        let tx = self.conn.transaction()?;
        let mut new = false;
        for file in files {
            new |= keep(&tx, file, &now)?;
        }
        tx.commit()?;
        if new {
            self.follow_roster(clock)?;
        }
        Ok(new)
    }

    /// Pins the version-1 roster `typed` names (its fingerprint or digest),
    /// after its fingerprint was compared with the team's out of band.
    pub fn pin_roster(&mut self, typed: &str, clock: &dyn Clock) -> Result<RosterView> {
        if let Some((root, _)) = pin(&self.conn)? {
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
        self.conn.execute(
            "INSERT INTO roster_pin (id, root, highest, pinned_at) VALUES (1, ?1, 1, ?2)",
            params![digest, timestamp(clock.now())],
        )?;
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
        self.take_in_roster(std::slice::from_ref(&file), clock)?;
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
        self.take_in_roster(std::slice::from_ref(&file), clock)?;
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
        let entries = entries(&self.conn)?;
        let found: Vec<(&String, &Entry)> = entries
            .iter()
            .filter(|(d, _)| roster::names(typed, d))
            .collect();
        let [(_, entry)] = found.as_slice() else {
            return Err(Error::NotFound {
                what: "roster version",
                id: typed.to_owned(),
            });
        };
        let mut signatures = entry.signatures.clone();
        signatures.push(entry.roster.sign(key).map_err(Error::Refused)?);
        let file = RosterFile {
            roster: entry.roster.clone(),
            signatures,
        };
        self.take_in_roster(std::slice::from_ref(&file), clock)?;
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

    /// Sets the plan's guarded fields to the roster in force, as a revision
    /// of its own, and raises the highest version taken.
    fn follow_roster(&mut self, clock: &dyn Clock) -> Result<()> {
        let Some(chain) = chain(&self.conn)? else {
            return Ok(());
        };
        let Some(force) = chain.current().cloned() else {
            return Ok(());
        };
        self.conn.execute(
            "UPDATE roster_pin SET highest = MAX(highest, ?1) WHERE id = 1",
            [i64::try_from(force.roster.version).unwrap_or(i64::MAX)],
        )?;
        let signed: Vec<&str> = force.signed_by.iter().map(Id::as_str).collect();
        self.change_plan(clock, |plan| {
            let mut new = plan.clone();
            let changed = force.roster.impose(&mut new);
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

/// Refuses a signature of decision `id` by `contact` with `key_line` when
/// the decision was requested under a roster version in which that key was
/// not theirs: a key added later never signs for the past (and a rotation
/// later leaves the signatures made before it standing).
pub(crate) fn judge_signer(
    conn: &Connection,
    id: &crate::decision::model::DecisionId,
    contact: &Id,
    key_line: &str,
) -> Result<()> {
    let version: Option<i64> = conn
        .query_row(
            "SELECT roster_version FROM decision WHERE id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(version) = version.and_then(|v| u64::try_from(v).ok()) else {
        return Ok(());
    };
    let Some(chain) = chain(conn)? else {
        return Ok(());
    };
    let Some(then) = chain.at(version) else {
        return Err(Error::Refused(format!(
            "{id} was requested under roster version {version}, which this laptop does not hold: its signatures wait until it does"
        )));
    };
    let key = sshsig::parse_public_key(key_line)
        .map_err(|e| Error::Refused(format!("the signer's key cannot be read: {e}")))?;
    let theirs = then
        .roster
        .members
        .get(contact)
        .and_then(|m| sshsig::parse_public_key(&m.key).ok())
        .is_some_and(|k| sshsig::same_key(&k, &key));
    if theirs {
        return Ok(());
    }
    let added = chain
        .versions
        .iter()
        .find(|f| f.roster.holder(&key).is_some())
        .map(|f| f.roster.version);
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
    let version: Option<i64> = conn
        .query_row(
            "SELECT roster_version FROM decision WHERE id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(version) = version.and_then(|v| u64::try_from(v).ok()) else {
        return Ok(None);
    };
    let Some(chain) = chain(conn)? else {
        return Ok(None);
    };
    let entries = entries(conn)?;
    let files = chain
        .versions
        .iter()
        .take_while(|f| f.roster.version <= version)
        .filter_map(|f| entries.get(&f.digest))
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
    let mut probe = plan.clone();
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
