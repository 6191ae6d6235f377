//! `muster roster …`: the team's signed roster — who holds which signing
//! key, who approves in which decision policy, who may change it. Start it
//! (the first admin), pin it (everyone else, after comparing its
//! fingerprint out of band), propose a change, sign a waiting version. In a
//! team folder, each command ends with a roster round: what this laptop
//! holds is written there, what is there is taken in.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use muster_core::clock::SystemClock;
use muster_core::plan::Id;
use muster_core::store::{QuorumChange, RosterChange, RosterVersionView, RosterView, Store};

use super::{open, print, publish, rejected, terminal_safe};
use crate::keychain::Keychain;
use crate::{signing, team};

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Show the roster in force, its fingerprint, what waits for signatures
    /// and what was refused (before a pin: the rosters seen, to compare)
    Show,
    /// Start the team's roster from the plan's keys and approvers, with
    /// these admins (yourself among them), signed with your key, and pin it
    Start {
        /// A core member who may sign the roster's next versions (repeat)
        #[arg(long = "admin", value_name = "CONTACT", value_parser = Id::parse, required = true)]
        admins: Vec<Id>,
    },
    /// Trust the team's roster: the one whose fingerprint your admin read
    /// to you (or sent by another channel than the team folder)
    Pin {
        /// The fingerprint, e.g. 1A2B-3C4D-…
        fingerprint: String,
    },
    /// Propose the roster's next version, signed with your key; in force
    /// once signed as its current version requires
    Propose {
        /// Make a core member an admin (repeat)
        #[arg(long = "admin", value_name = "CONTACT", value_parser = Id::parse)]
        add_admins: Vec<Id>,
        /// Take a member out of the admins (repeat)
        #[arg(long = "not-admin", value_name = "CONTACT", value_parser = Id::parse)]
        remove_admins: Vec<Id>,
        /// Give a member a key, `CONTACT=ssh-ed25519 AAAA…` (their old key is
        /// retired from now); its holder must sign the version too
        #[arg(long = "key", value_name = "CONTACT=KEY", value_parser = contact_key)]
        keys: Vec<(Id, String)>,
        /// Take a member out of the roster (their key no longer counts)
        #[arg(long = "drop", value_name = "CONTACT", value_parser = Id::parse)]
        remove_members: Vec<Id>,
        /// A policy's approvers, `POLICY=REQUIRED,…[/ADDITIONAL,…[/NEEDED]]`
        /// (NEEDED: how many of the additional ones must approve)
        #[arg(long = "approvers", value_name = "POLICY=A,B/C,D/1", value_parser = approvers)]
        approvers: Vec<QuorumChange>,
    },
    /// Add your signature to a version that waits for it
    Sign {
        /// The version's fingerprint, as `muster roster show` prints it
        fingerprint: String,
    },
}

fn contact_key(text: &str) -> Result<(Id, String), String> {
    let (who, key) = text
        .split_once('=')
        .ok_or_else(|| "write CONTACT=ssh-ed25519 AAAA…".to_owned())?;
    Ok((Id::parse(who.trim())?, key.trim().to_owned()))
}

fn ids(text: &str) -> Result<Vec<Id>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(Id::parse)
        .collect()
}

fn approvers(text: &str) -> Result<QuorumChange, String> {
    let (policy, people) = text
        .split_once('=')
        .ok_or_else(|| "write POLICY=REQUIRED,…/ADDITIONAL,…/NEEDED".to_owned())?;
    let mut parts = people.split('/');
    let required = ids(parts.next().unwrap_or_default())?;
    let additional = ids(parts.next().unwrap_or_default())?;
    let needed = match parts.next().map(str::trim) {
        None | Some("") => None,
        Some(n) => Some(
            n.parse::<u32>()
                .map_err(|_| format!("`{n}` is not how many of the pool must approve"))?,
        ),
    };
    if parts.next().is_some() {
        return Err("write POLICY=REQUIRED,…/ADDITIONAL,…/NEEDED".to_owned());
    }
    Ok(QuorumChange {
        policy: Id::parse(policy.trim())?,
        required,
        additional,
        needed,
    })
}

pub fn run(data_dir: &Path, command: RosterCommand) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    let key = |store: &Store| -> Result<_, String> {
        let keys = Keychain::os().map_err(|e| e.to_string())?;
        signing::signing_key(store, &keys).map_err(rejected)
    };
    let done = match command {
        RosterCommand::Show => return show(&store.roster().map_err(rejected)?),
        RosterCommand::Start { admins } => {
            let key = key(&store)?;
            let file = store
                .start_roster(&admins, &key, &SystemClock)
                .map_err(rejected)?;
            format!(
                "Started the team's roster, version 1, fingerprint {}: read it to each teammate (a call, a chat they trust), who runs `muster roster pin {}`\n",
                muster_core::team::roster::fingerprint(&file.roster.digest()),
                muster_core::team::roster::fingerprint(&file.roster.digest())
            )
        }
        RosterCommand::Pin { fingerprint } => {
            // What the folder holds first: the version to pin is there.
            let _ = round(&mut store);
            let view = store
                .pin_roster(&fingerprint, &SystemClock)
                .map_err(rejected)?;
            let version = view.current.map_or(0, |c| c.version);
            format!("Pinned the team's roster; version {version} is in force on this laptop\n")
        }
        RosterCommand::Propose {
            add_admins,
            remove_admins,
            keys,
            remove_members,
            approvers,
        } => {
            let key = key(&store)?;
            let change = RosterChange {
                add_admins,
                remove_admins,
                keys,
                remove_members,
                approvers,
            };
            let file = store
                .propose_roster(&change, &key, &SystemClock)
                .map_err(rejected)?;
            standing(&store, &file.roster.digest())?
        }
        RosterCommand::Sign { fingerprint } => {
            let key = key(&store)?;
            let file = store
                .sign_roster(&fingerprint, &key, &SystemClock)
                .map_err(rejected)?;
            standing(&store, &file.roster.digest())?
        }
    };
    print(&done)?;
    match round(&mut store) {
        Ok(Some(written)) if !written.is_empty() => {
            print(&format!(
                "Wrote {} roster file(s) into the team folder\n",
                written.len()
            ))?;
        }
        Ok(_) => {}
        Err(why) => eprintln!("{why}"),
    }
    publish(data_dir, &store);
    Ok(0)
}

/// A roster round with the team folder, when this profile is in one.
fn round(store: &mut Store) -> Result<Option<Vec<PathBuf>>, String> {
    let Some(profile) = store.team_profile().map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let (written, _) =
        team::roster_round(store, Path::new(&profile.folder), &SystemClock).map_err(rejected)?;
    Ok(Some(written))
}

/// Where the version `digest` stands now, in a sentence.
fn standing(store: &Store, digest: &str) -> Result<String, String> {
    let view = store.roster().map_err(rejected)?;
    let fingerprint = muster_core::team::roster::fingerprint(digest);
    if let Some(c) = view
        .current
        .as_ref()
        .filter(|c| c.fingerprint == fingerprint)
    {
        return Ok(format!(
            "Roster version {} is in force ({fingerprint})\n",
            c.version
        ));
    }
    if let Some(w) = view.waiting.iter().find(|w| w.fingerprint == fingerprint) {
        return Ok(format!(
            "Roster version {} ({fingerprint}) waits: {}\n",
            w.version,
            terminal_safe(&w.reason)
        ));
    }
    let why = view
        .refused
        .iter()
        .find(|r| r.fingerprint == fingerprint)
        .map(|r| terminal_safe(&r.reason))
        .unwrap_or_else(|| "it is not in force".to_owned());
    Err(format!("Roster version {fingerprint} is refused: {why}"))
}

fn version_lines(v: &RosterVersionView, out: &mut String) {
    let admins: Vec<&str> = v.admins.iter().map(Id::as_str).collect();
    out.push_str(&format!(
        "  admins: {} (the next version needs {} of their signatures)\n",
        admins.join(", "),
        v.threshold
    ));
    for (member, key) in &v.members {
        out.push_str(&format!("  {member}: {}\n", terminal_safe(key)));
    }
}

fn show(view: &RosterView) -> Result<u8, String> {
    let mut out = String::new();
    match (&view.root, &view.current) {
        (Some(root), Some(current)) => {
            out.push_str(&format!(
                "Pinned roster {} (compare it with your admin's, out of band)\nVersion {} in force ({}), signed by {}\n",
                root.fingerprint,
                current.version,
                current.fingerprint,
                current.signed_by.iter().map(Id::as_str).collect::<Vec<_>>().join(", ")
            ));
            version_lines(current, &mut out);
        }
        _ if view.roots.is_empty() && view.refused.is_empty() => {
            out.push_str("No roster: keys and approvers are the plan's. `muster roster start --admin YOU` starts one; a teammate's shows here once the team folder brings it, to pin\n");
        }
        _ if view.roots.is_empty() => {}
        _ => {
            out.push_str("Not pinned. Rosters seen in the team folder — pin the one whose fingerprint your admin gave you:\n");
            for r in &view.roots {
                out.push_str(&format!("{}  version 1\n", r.fingerprint));
                version_lines(r, &mut out);
            }
        }
    }
    for w in &view.waiting {
        out.push_str(&format!(
            "Waiting: version {} ({}): {}\n",
            w.version,
            w.fingerprint,
            terminal_safe(&w.reason)
        ));
    }
    for r in &view.refused {
        out.push_str(&format!(
            "Refused: version {} ({}): {}\n",
            r.version,
            r.fingerprint,
            terminal_safe(&r.reason)
        ));
    }
    if let Some(frozen) = &view.frozen {
        out.push_str(&format!("Frozen: {}\n", terminal_safe(frozen)));
    }
    if let Some(behind) = &view.behind {
        out.push_str(&format!("Behind: {}\n", terminal_safe(behind)));
    }
    print(&out)?;
    Ok(u8::from(view.frozen.is_some() || view.behind.is_some()))
}
