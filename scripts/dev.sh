#!/usr/bin/env bash
# Muster's two set-up commands, for a fresh Debian or Ubuntu machine:
#
#   bash scripts/dev.sh run    install what is missing, build, and open the app
#   bash scripts/dev.sh test   install what is missing, then run every check
#
# Both are safe to repeat: what is already installed is not installed again.
# `run` passes any further arguments to the app (e.g. --data-dir DIR).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# What the app, its build and its end-to-end tests need from the system.
APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev libxdo-dev
  build-essential pkg-config file curl
  xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring dunst imagemagick xdotool
  python3-icalendar  # an independent iCalendar parser for the .ics export tests
  openssh-client     # ssh-keygen: the decision bundle tests verify with the real thing
  libglib2.0-bin     # gdbus: the keychain tests lock the Secret Service
  git                # a git team folder: the team tests push and pull through a bare repository
  syncthing          # the team folder's engine: the team tests sync two real instances
)
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf '\nmuster setup: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

check_toolchains() {
  command -v cargo >/dev/null || die "Rust is missing: install it with rustup (see https://rustup.rs), then run this again"
  command -v node >/dev/null || die "Node.js ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR} or newer is missing: install it, then run this again"
  local major minor
  IFS=. read -r major minor _ <<<"$(node --version | tr -d v)"
  if [ "$major" -lt "$NODE_MIN_MAJOR" ] || { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -lt "$NODE_MIN_MINOR" ]; }; then
    die "Node.js $(node --version) is too old for Vite 7: install ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR} or newer"
  fi
}

install_tauri_driver() {
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  if ! command -v tauri-driver >/dev/null; then
    say "Installing tauri-driver (the WebDriver bridge for the end-to-end tests)"
    cargo install tauri-driver --version "^2" --locked
  fi
}

install_cargo_deny() {
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  if ! command -v cargo-deny >/dev/null; then
    say "Installing cargo-deny (checks the dependencies' licences, sources and advisories)"
    cargo install cargo-deny --version "^0.20" --locked
  fi
}

# The dependencies: licences, bans and sources always (deny.toml); known
# vulnerabilities whenever their databases can be reached (the RustSec
# database on GitHub, the npm registry's audit endpoint) — said when not.
check_dependencies() {
  say "Dependencies: licences, bans, sources (cargo deny)"
  cargo deny --log-level error check licenses bans sources
  say "Dependencies: known vulnerabilities (cargo deny advisories, npm audit)"
  if cargo deny --log-level error fetch db >/dev/null 2>&1; then
    cargo deny --log-level error check --disable-fetch advisories
  else
    printf 'advisories NOT CHECKED: the RustSec database (github.com/rustsec/advisory-db) cannot be fetched from here\n'
  fi
  local audit
  if audit=$(cd ui && npm audit --omit=dev 2>&1); then
    printf '%s\n' "$audit" | tail -1
  elif printf '%s' "$audit" | grep -q "audit endpoint returned an error"; then
    printf 'npm audit NOT CHECKED: the registry'"'"'s audit endpoint cannot be reached from here\n'
  else
    printf '%s\n' "$audit"
    die "npm audit found vulnerable packages the app ships"
  fi
}

install_npm_packages() {
  # The registry may not serve other platforms' native optional packages;
  # complete the lock so `npm ci` accepts it (see the script's header).
  node scripts/complete-lockfile.mjs ui/package-lock.json >/dev/null
  # npm ci again only when the lockfile changed since the last install.
  if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "Installing UI packages (npm ci)"
    (cd ui && npm ci --no-audit --no-fund)
  fi
}

build_ui() {
  say "Building the UI"
  npm --prefix ui run build --silent
}

cmd_run() {
  install_system_packages
  check_toolchains
  install_npm_packages
  build_ui
  say "Building Muster"
  cargo build --features custom-protocol
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    die "no display to open a window on: run this from a desktop session (or under xvfb-run)"
  fi
  say "Opening Muster"
  exec target/debug/muster "$@"
}

cmd_test() {
  local started=$SECONDS
  install_system_packages
  check_toolchains
  install_tauri_driver
  install_cargo_deny
  install_npm_packages

  say "UI: type check (svelte-check)"
  npm --prefix ui run check --silent
  say "UI: format check (prettier)"
  npm --prefix ui run format:check --silent
  say "UI: unit tests (Vitest)"
  npm --prefix ui test --silent
  build_ui

  say "Rust: format check"
  cargo fmt --all --check
  say "Rust: clippy"
  cargo clippy --workspace --all-targets --features e2e -- -D warnings
  check_dependencies

  say "Rust: tests (core, shell on the mock runtime, CLI, end-to-end)"
  local log
  log=$(mktemp)
  cargo test --workspace --features e2e 2>&1 | tee "$log"
  # The end-to-end tests must have run, not been compiled out or filtered away.
  local e2e
  e2e=$(grep -cE '^test e2e::[a-z_:]+ \.\.\. ok$' "$log" || true)
  rm -f "$log"
  [ "$e2e" -ge 1 ] || die "no end-to-end test ran"
  say "All checks passed in $((SECONDS - started)) s ($e2e end-to-end tests; screenshots in target/e2e/)"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) die "usage: bash scripts/dev.sh run [APP ARGS...] | bash scripts/dev.sh test" ;;
esac
