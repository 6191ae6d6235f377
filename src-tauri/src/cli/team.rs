//! `muster team …`: point this profile at a team folder, see what it holds,
//! and run a round by hand (for scripts, and for a git team folder). The
//! work itself is `crate::team`'s, the same the app's background link runs.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::Subcommand;
use muster_core::clock::SystemClock;
use muster_core::plan::Id;
use muster_core::store::{Store, TeamProfile};

use super::{open, print, publish, rejected, terminal_safe};
use crate::keychain::Keychain;
use crate::team::{self, Transport};
use crate::zone::local_zone;

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Point this profile at a team folder (a Syncthing folder, a git working
    /// copy or a shared folder) and take in what it holds
    Join {
        /// The team folder
        dir: PathBuf,
        /// Who you are in the plan: the core member whose signing key this profile holds
        #[arg(long = "as", value_name = "CONTACT", value_parser = Id::parse)]
        contact: Id,
        /// This laptop's name for your teammates (default: the host name)
        #[arg(long, value_name = "NAME")]
        device: Option<String>,
    },
    /// Show the team folder: its transport, the teammates heard from and
    /// when, events waiting, and quarantined files with why
    Status,
    /// Publish what waits to be signed and take in what has arrived; with
    /// git, pull first and push after
    Sync,
    /// Stop writing to and reading from the team folder on this laptop
    Leave,
    /// List what two laptops changed in the plan without seeing each other's
    /// change: each value with who wrote it, and the event to keep it by.
    /// Exit 1 when there are conflicts
    Conflicts,
    /// Settle a conflict by keeping one of its values (on every laptop), then
    /// sync
    Settle {
        /// The plan section (issues, procedures, coreTeam, …)
        section: String,
        /// The element's id (the category id for escalation and on-call)
        key: String,
        /// The field, as `muster team conflicts` prints it (`/detection/signal`;
        /// "" for an element removed on one laptop and changed on another)
        field: String,
        /// The event of the value to keep (its first characters are enough)
        #[arg(long, value_name = "EVENT")]
        keep: String,
    },
}

pub fn run(data_dir: &Path, command: TeamCommand) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    match command {
        TeamCommand::Join {
            dir,
            contact,
            device,
        } => {
            match store.profile_contact().map_err(|e| e.to_string())? {
                Some(signs_as) if signs_as == contact => {}
                Some(other) => {
                    return Err(format!(
                        "this profile signs as `{other}`, not `{contact}`: join as `{other}`, or use another data folder (--data-dir) for another person"
                    ))
                }
                None => {
                    return Err(format!(
                        "this profile has no signing key yet: run `muster key init --as {contact}` first, so your teammates can check what you write"
                    ))
                }
            }
            let device = device.unwrap_or_else(team::host_name);
            let profile = team::join(&mut store, &dir, &device).map_err(rejected)?;
            let transport = team::transport(&store, &profile).map_err(|e| e.to_string())?;
            print(&format!(
                "Joined the team folder {} as {} on {} ({})\n",
                profile.folder,
                profile.person,
                profile.device,
                describe(&transport)
            ))?;
            let outcome = sync(&mut store, &profile);
            publish(data_dir, &store);
            outcome
        }
        TeamCommand::Status => status(&mut store),
        TeamCommand::Sync => {
            let profile = joined(&mut store)?;
            let outcome = sync(&mut store, &profile);
            publish(data_dir, &store);
            outcome
        }
        TeamCommand::Conflicts => conflicts(&mut store),
        TeamCommand::Settle {
            section,
            key,
            field,
            keep,
        } => {
            let profile = joined(&mut store)?;
            let section = muster_core::plan::Section::ALL
                .into_iter()
                .find(|s| {
                    serde_json::to_value(s)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        == Some(section.clone())
                        || s.as_str() == section
                })
                .ok_or_else(|| format!("`{section}` is not a plan section"))?;
            let left = store
                .settle_conflict(section, &key, &field, &keep, &SystemClock)
                .map_err(rejected)?;
            print(&format!("Settled; {} conflict(s) left\n", left.len()))?;
            let outcome = sync(&mut store, &profile);
            publish(data_dir, &store);
            outcome
        }
        TeamCommand::Leave => {
            joined(&mut store)?;
            store.leave_team().map_err(|e| e.to_string())?;
            publish(data_dir, &store);
            print("Left the team folder: nothing more is written to it or taken from it on this laptop\n")?;
            Ok(0)
        }
    }
}

fn joined(store: &mut Store) -> Result<TeamProfile, String> {
    store
        .team_profile()
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            "this profile is in no team folder: `muster team join DIR --as CONTACT` joins one"
                .to_owned()
        })
}

fn describe(transport: &Transport) -> String {
    match transport {
        Transport::Syncthing {
            folder_id,
            max_conflicts,
            api,
        } => {
            let id = folder_id
                .as_deref()
                .map_or("not in your Syncthing configuration".to_owned(), |i| {
                    format!("folder `{i}`")
                });
            let conflicts = max_conflicts.map_or(String::new(), |n| format!(", maxConflicts {n}"));
            let asked = if *api {
                "new files are sent at once"
            } else {
                "new files go after Syncthing's watcher delay"
            };
            format!("Syncthing, {id}{conflicts}: {asked}")
        }
        Transport::Git => "a git working copy: `muster team sync` pulls and pushes".to_owned(),
        Transport::Plain => "a plain folder: watched, and polled".to_owned(),
    }
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&local_zone())
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

fn sync(store: &mut Store, profile: &TeamProfile) -> Result<u8, String> {
    let keys = Keychain::os();
    let round = match &keys {
        Ok(keys) => team::round(store, profile, keys, &SystemClock).map_err(rejected)?,
        Err(e) => {
            // No keychain: take in all the same; what waits to be signed waits.
            let (intake, quarantined) =
                team::take_in(store, profile, &SystemClock).map_err(rejected)?;
            team::Round {
                unsigned: Some(e.to_string()),
                intake,
                quarantined,
                ..Default::default()
            }
        }
    };
    let incidents: Vec<&str> = round.intake.incidents.iter().map(|i| i.as_str()).collect();
    let mut out = format!(
        "Published {} event(s); took in {} new event(s){}\n",
        round.written.len(),
        round.intake.new,
        if incidents.is_empty() {
            String::new()
        } else {
            format!(" ({})", incidents.join(", "))
        }
    );
    if round.intake.waiting > 0 {
        out.push_str(&format!(
            "{} event(s) wait for earlier ones that have not arrived yet\n",
            round.intake.waiting
        ));
    }
    if !round.quarantined.is_empty() {
        out.push_str(&format!(
            "{} file(s) quarantined: `muster team status` lists them with why\n",
            round.quarantined.len()
        ));
    }
    print(&out)?;
    let mut failed = false;
    if let Some(why) = &round.unsigned {
        eprintln!("Your events wait to be signed: {why}");
        failed = true;
    }
    if let Some(why) = &round.transport {
        eprintln!("{why}");
        failed = true;
    }
    Ok(u8::from(failed))
}

fn conflicts(store: &mut Store) -> Result<u8, String> {
    let found = store.plan_conflicts().map_err(|e| e.to_string())?;
    if found.is_empty() {
        print("No conflicts: every laptop's changes to the plan agree\n")?;
        return Ok(0);
    }
    let plan = store.plan().map_err(|e| e.to_string())?;
    let name = |id: &Id| plan.contact_name(id).unwrap_or(id.as_str()).to_owned();
    let mut out = String::new();
    for c in &found {
        let section = serde_json::to_value(c.section)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out.push_str(&format!(
            "{} “{}” ({section} {} \"{}\"):\n",
            c.section.noun(),
            terminal_safe(&c.title),
            terminal_safe(&c.key),
            terminal_safe(&c.field)
        ));
        for (i, v) in c.values.iter().enumerate() {
            out.push_str(&format!(
                "  {} {} at {}: {}{}\n",
                v.event.get(..8).unwrap_or(&v.event),
                name(&v.author),
                local(v.at),
                terminal_safe(&v.shown),
                if i == 0 { "  (shown now)" } else { "" }
            ));
        }
    }
    out.push_str("Keep one: muster team settle SECTION KEY FIELD --keep EVENT\n");
    print(&out)?;
    Ok(1)
}

fn status(store: &mut Store) -> Result<u8, String> {
    let status = store.team_status().map_err(|e| e.to_string())?;
    let Some(profile) = &status.profile else {
        print(
            "This profile is in no team folder: `muster team join DIR --as CONTACT` joins one\n",
        )?;
        return Ok(0);
    };
    let plan = store.plan().map_err(|e| e.to_string())?;
    let name = |id: &Id| plan.contact_name(id).unwrap_or(id.as_str()).to_owned();
    let root = Path::new(&profile.folder);
    let mut out = format!(
        "Team folder: {}\nTransport: {}\nYou: {} ({}) on {}\nWritten here: {} signed, {} waiting to be signed\n",
        profile.folder,
        describe(&team::transport(store, profile).map_err(|e| e.to_string())?),
        name(&profile.person),
        profile.person,
        profile.device,
        status.published,
        status.unsigned
    );
    if status.teammates.is_empty() {
        out.push_str("Teammates: none heard from yet\n");
    } else {
        out.push_str("Teammates heard from:\n");
        for t in &status.teammates {
            out.push_str(&format!(
                "  {} ({}) on {}: {} event(s), last written {}, taken in {}\n",
                name(&t.person),
                t.person,
                t.device,
                t.events,
                local(t.last_written),
                local(t.last_received)
            ));
        }
    }
    if status.waiting > 0 {
        out.push_str(&format!(
            "{} event(s) wait for earlier ones that have not arrived\n",
            status.waiting
        ));
    }
    for line in &status.not_applied {
        out.push_str(&format!("Not applied: {line}\n"));
    }
    let quarantined = team::quarantined(store, profile).map_err(|e| e.to_string())?;
    if quarantined.is_empty() {
        out.push_str("Quarantined: nothing\n");
    } else {
        out.push_str(&format!(
            "Quarantined ({}), never merged:\n",
            quarantined.len()
        ));
        for q in &quarantined {
            let shown = q.path.strip_prefix(root).unwrap_or(&q.path);
            out.push_str(&format!("  {}: {}\n", shown.display(), q.reason));
        }
    }
    print(&out)?;
    Ok(0)
}
