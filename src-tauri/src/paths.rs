//! Where user data lives: `--data-dir`, else `MUSTER_DATA_DIR`, else the OS
//! per-user data folder (e.g. `~/.local/share/app.muster.desktop` on Linux).

use std::path::PathBuf;

/// The app identifier; also `identifier` in tauri.conf.json (a test keeps them equal).
pub const APP_IDENTIFIER: &str = "app.muster.desktop";

/// The environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "MUSTER_DATA_DIR";

/// Picks the data folder. `flag` is the `--data-dir` value; `env` reads a variable.
pub fn data_dir(
    flag: Option<PathBuf>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<PathBuf, String> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    if let Some(dir) = env(DATA_DIR_ENV).filter(|d| !d.trim().is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|d| d.join(APP_IDENTIFIER))
        .ok_or_else(|| {
            format!(
                "cannot find the per-user data folder; pass --data-dir DIR or set {DATA_DIR_ENV}"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_over_the_environment_which_wins_over_the_os_folder() {
        let env = |_: &str| Some("/from/env".to_owned());
        let none = |_: &str| None;
        let flag = Some(PathBuf::from("/from/flag"));
        assert_eq!(data_dir(flag, env), Ok(PathBuf::from("/from/flag")));
        assert_eq!(data_dir(None, env), Ok(PathBuf::from("/from/env")));
        let os = data_dir(None, none);
        assert!(
            os.as_ref().is_ok_and(|p| p.ends_with(APP_IDENTIFIER)),
            "{os:?}"
        );
    }

    #[test]
    fn the_identifier_matches_tauri_conf() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap_or_default();
        assert_eq!(conf["identifier"], APP_IDENTIFIER);
    }
}
