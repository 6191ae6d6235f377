//! Build script: runs tauri-build against the root tauri.conf.json and the
//! capabilities under src-tauri/capabilities, and declares the app's own IPC
//! commands so that each one needs an explicit grant in a capability file.

// The IPC contract (see that file); build.rs needs only the names.
include!("contract.rs");

macro_rules! names {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $result:ty;)*) => {
        /// Every IPC command of the app; each needs a grant in a capability file.
        const COMMANDS: &[&str] = &[$(stringify!($name)),*];
    };
}
contract!(names);

fn main() {
    // tauri-build does not watch a custom capabilities path; without this a
    // changed grant would not reach the binary until a clean build.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=src-tauri/contract.rs");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
