//! `muster backup` and `muster restore`: copies of the whole database, made
//! and put back (see `muster_core::store::backup`).

use std::path::Path;

use muster_core::clock::SystemClock;
use muster_core::store::backup::{self, BackupKind};
use muster_core::store::DB_FILE;

/// `muster backup`: a copy now, or with `--list` the copies there are.
pub fn backup(data_dir: &Path, list: bool) -> Result<u8, String> {
    if list {
        let dir = backup::backups_dir(&data_dir.join(DB_FILE));
        let found = backup::list(&dir).map_err(|e| e.to_string())?;
        if found.is_empty() {
            println!("No backups yet in {}.", dir.display());
        }
        for b in found {
            let kind = match b.kind {
                BackupKind::Daily => "daily",
                BackupKind::BeforeMigration => "before an upgrade",
                BackupKind::Manual => "made by hand",
                BackupKind::Replaced => "replaced by a restore",
            };
            println!(
                "{}  {}  {} KiB  {}",
                b.made_at.format("%Y-%m-%d %H:%M UTC"),
                b.path,
                b.bytes.div_ceil(1024),
                kind
            );
        }
        return Ok(0);
    }
    let store = super::open(data_dir)?;
    let path = store.backup_now(&SystemClock).map_err(|e| e.to_string())?;
    println!("Backed up the database to {}", path.display());
    Ok(0)
}

/// `muster restore FILE`: puts a backup in place, with Muster not running;
/// the database it replaces is kept among the backups.
pub fn restore(data_dir: &Path, file: &Path) -> Result<u8, String> {
    let _held = crate::instance::hold(data_dir)?;
    let done = backup::restore(data_dir, file, &SystemClock).map_err(|e| e.to_string())?;
    println!("Restored the database from {}", done.from);
    if let Some(kept) = done.kept {
        println!("The database it replaced is kept as {kept}");
    }
    Ok(0)
}
