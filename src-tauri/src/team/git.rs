//! git as the team folder's transport, with the system `git` so that the
//! user's own SSH keys and credential helpers work. Never interactive
//! (`GIT_TERMINAL_PROMPT=0`, SSH in batch mode): a missing password is a
//! message, not a hung window. Event files are written once under names no
//! other laptop uses, so a rebase never meets a conflict.

use std::path::Path;
use std::process::Command;

/// Runs `git -C root ARGS`; its standard output, or a message saying what
/// went wrong in words a person can act on.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let mut command = Command::new("git");
    // Nothing in the folder runs: no hooks, no fsmonitor, whatever its
    // configuration says.
    command
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "core.fsmonitor=false",
        ])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0");
    if std::env::var_os("GIT_SSH_COMMAND").is_none() {
        command.env(
            "GIT_SSH_COMMAND",
            "ssh -o BatchMode=yes -o ConnectTimeout=15",
        );
    }
    let out = command
        .output()
        .map_err(|e| format!("cannot run git ({e}): install git to use a git team folder"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said = stderr.trim();
    let lower = said.to_lowercase();
    let what = if lower.contains("could not resolve host")
        || lower.contains("unable to access")
        || lower.contains("could not read from remote")
        || lower.contains("connection refused")
        || lower.contains("connection timed out")
        || lower.contains("network is unreachable")
        || lower.contains("does not appear to be a git repository")
    {
        if lower.contains("permission denied") || lower.contains("authentication failed") {
            "the git remote refused your credentials (check your SSH key or credential helper)"
        } else {
            "the git remote cannot be reached (offline?); your events are kept and go out at the next sync"
        }
    } else if lower.contains("permission denied")
        || lower.contains("authentication failed")
        || lower.contains("terminal prompts disabled")
    {
        "the git remote refused your credentials (check your SSH key or credential helper)"
    } else {
        "git failed"
    };
    Err(format!("{what}: git {}: {said}", args.join(" ")))
}

fn has_remote(root: &Path) -> bool {
    git(root, &["remote"]).is_ok_and(|r| !r.trim().is_empty())
}

/// Takes in what teammates pushed (nothing to take from a remote with no
/// branch yet: the first laptop's push makes it).
pub fn pull(root: &Path) -> Result<(), String> {
    if !has_remote(root) {
        return Ok(());
    }
    git(root, &["fetch", "--quiet"])?;
    if git(root, &["rev-parse", "--verify", "--quiet", "@{u}"]).is_err() {
        return Ok(());
    }
    git(root, &["pull", "--rebase", "--autostash", "--quiet"]).map(|_| ())
}

/// Commits the event and roster files written here and pushes them.
pub fn push(root: &Path, device: &str) -> Result<(), String> {
    git(root, &["add", "--", muster_core::team::folder::EVENTS])?;
    if root.join(muster_core::team::roster::DIR).is_dir() {
        git(root, &["add", "--", muster_core::team::roster::DIR])?;
    }
    let staged = git(root, &["diff", "--cached", "--quiet"]).is_err();
    if staged {
        let named = git(root, &["config", "user.name"]).is_ok_and(|n| !n.trim().is_empty());
        let message = format!("Muster: events from {device}");
        let mut args = vec![];
        let identity_name = format!("user.name=Muster ({device})");
        let identity_mail = "user.email=muster@localhost".to_owned();
        if !named {
            args.extend(["-c", identity_name.as_str(), "-c", identity_mail.as_str()]);
        }
        args.extend(["commit", "--quiet", "-m", message.as_str()]);
        git(root, &args)?;
    }
    if !has_remote(root) {
        return Ok(());
    }
    // A teammate may have pushed since the pull: rebase once and push again.
    if git(root, &["push", "--quiet"]).is_err() {
        pull(root)?;
        git(root, &["push", "--quiet"])?;
    }
    Ok(())
}
