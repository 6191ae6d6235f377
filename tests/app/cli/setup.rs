//! The set-up script's toolchains: `scripts/dev.sh` installs Rust and
//! Node.js the way their projects document when they are missing or too old
//! (Debian 12 ships rustc 1.63 and nodejs 18), saying first what it will do.
//! Run with MUSTER_SETUP_DRY_RUN=1 on a PATH of stand-ins, so nothing is
//! installed: what it says and what it would run are checked.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use super::temp;
use crate::text;

/// A stand-in `name` in `bin` that prints `output`.
fn stand_in(bin: &Path, name: &str, output: &str) {
    let path = bin.join(name);
    std::fs::write(&path, format!("#!/bin/sh\ncat <<'OUT'\n{output}\nOUT\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs `bash scripts/dev.sh toolchains` (dry) with only the stand-ins and
/// the shell's basic tools on PATH; what it printed, both streams.
fn toolchains(stand_ins: &[(&str, &str)]) -> String {
    let home = temp();
    let bin = home.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    for tool in ["awk", "tr", "cat", "dirname", "id", "sh", "env"] {
        let real = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(tool))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{tool} is not on this machine"));
        std::os::unix::fs::symlink(real, bin.join(tool)).unwrap();
    }
    for (name, output) in stand_ins {
        stand_in(&bin, name, output);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dev.sh");
    let out = Command::new("/bin/bash")
        .arg(script)
        .arg("toolchains")
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", home.path())
        .env("MUSTER_SETUP_DRY_RUN", "1")
        .output()
        .unwrap();
    // Headings are bold on a terminal: the words only.
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr))
        .replace("\x1b[1m", "")
        .replace("\x1b[0m", "");
    assert!(out.status.success(), "dev.sh toolchains failed:\n{said}");
    said
}

const DEBIAN_12_NODE: &str = "nodejs:\n  Installed: (none)\n  Candidate: 18.19.0+dfsg-6~deb12u2";

#[test]
fn on_a_fresh_debian_12_rust_comes_from_rustup_and_node_from_nodesource_said_first() {
    let said = toolchains(&[("apt-cache", DEBIAN_12_NODE)]);
    let rust = said
        .find("Rust is missing: installing it with rustup, as https://rustup.rs documents")
        .unwrap_or_else(|| panic!("{said}"));
    let rustup = said
        .find("would run: sh -c curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y")
        .unwrap_or_else(|| panic!("{said}"));
    assert!(rust < rustup, "said before it is run:\n{said}");
    assert!(
        said.contains("Node.js is missing, and the distribution's nodejs is 18.19.0+dfsg-6~deb12u2, too old: installing Node.js 22 from the NodeSource repository"),
        "{said}"
    );
    assert!(
        said.contains(
            "would run: as_root sh -c curl -fsSL https://deb.nodesource.com/setup_22.x | bash -"
        ),
        "{said}"
    );
    assert!(
        said.contains(
            "would run: as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs\n"
        ),
        "{said}"
    );
}

#[test]
fn a_distribution_rustc_or_node_too_old_is_replaced_and_a_new_enough_distribution_node_is_used() {
    // Debian 12's own rustc and nodejs: too old, said with their versions.
    let said = toolchains(&[
        (
            "rustc",
            "rustc 1.63.0 (4b91a6ea7 2022-08-08) (built from a source tarball)",
        ),
        ("cargo", "cargo 1.65.0"),
        ("node", "v18.19.0"),
        ("apt-cache", DEBIAN_12_NODE),
    ]);
    assert!(
        said.contains("Rust 1.63.0 is older than the 1.95 Muster needs: installing it with rustup"),
        "{said}"
    );
    assert!(
        said.contains("Node.js 18.19.0 is older than the 20.19 Vite 7 needs, and the distribution's nodejs is 18.19.0+dfsg-6~deb12u2, too old: installing Node.js 22 from the NodeSource repository"),
        "{said}"
    );

    // rustup already there (an old toolchain), and a distribution whose
    // nodejs is new enough (Debian 13): each used as it is.
    let said = toolchains(&[
        ("rustc", "rustc 1.80.1 (3f5fd8dd4 2024-08-06)"),
        ("cargo", "cargo 1.80.1"),
        ("rustup", "rustup 1.27.1"),
        (
            "apt-cache",
            "nodejs:\n  Installed: (none)\n  Candidate: 20.19.2+dfsg-1",
        ),
    ]);
    assert!(
        said.contains("Rust 1.80.1 is older than the 1.95 Muster needs: installing the stable toolchain with rustup\nwould run: rustup toolchain install stable"),
        "{said}"
    );
    assert!(
        said.contains("Node.js is missing: installing the distribution's nodejs 20.19.2+dfsg-1 and npm with apt-get\nwould run: as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm"),
        "{said}"
    );
    assert!(!said.contains("nodesource"), "{said}");
}

#[test]
fn new_enough_toolchains_are_left_alone() {
    let said = toolchains(&[
        ("rustc", "rustc 1.95.0 (59807616e 2026-04-14)"),
        ("cargo", "cargo 1.95.0"),
        ("node", "v20.19.0"),
    ]);
    assert!(!said.contains("would run"), "nothing to install:\n{said}");
    let said = toolchains(&[
        ("rustc", "rustc 2.0.0"),
        ("cargo", "cargo 2.0.0"),
        ("node", "v22.1.0"),
    ]);
    assert!(!said.contains("would run"), "nothing to install:\n{said}");
}
