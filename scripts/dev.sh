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
  xclip              # reads the clipboard: the e2e tests check what Copy put there
  prometheus-alertmanager  # a real monitor: the alert tests route its alerts to the receiver
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

# The toolchains: installed the way their projects document when missing or
# too old, saying first what will be done — never a dead end. Rust comes from
# rustup (the stable toolchain, for this user, in ~/.cargo; a distribution's
# rustc, e.g. Debian 12's 1.63, is too old). Node.js comes from the
# distribution when its nodejs is new enough, else from NodeSource's
# repository. MUSTER_SETUP_DRY_RUN=1 says what would be run and runs nothing.
RUST_MIN=1.95 # the workspace's rust-version

run_step() {
  if [ -n "${MUSTER_SETUP_DRY_RUN:-}" ]; then printf 'would run: %s\n' "$*"; else "$@"; fi
}

# Whether version $1 (X.Y[.Z…], anything after a - or + ignored) is at least $2 (X.Y).
version_at_least() {
  local have_major have_minor want_major want_minor
  IFS=.-+ read -r have_major have_minor _ <<<"$1"
  IFS=. read -r want_major want_minor _ <<<"$2"
  [[ "$have_major" =~ ^[0-9]+$ && "${have_minor:-0}" =~ ^[0-9]+$ ]] || return 1
  [ "$have_major" -gt "$want_major" ] || { [ "$have_major" -eq "$want_major" ] && [ "${have_minor:-0}" -ge "$want_minor" ]; }
}

rust_version() { command -v rustc >/dev/null && rustc --version 2>/dev/null | awk '{print $2}'; }
node_version() { command -v node >/dev/null && node --version 2>/dev/null | tr -d v; }

install_rust() {
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  local have
  have=$(rust_version || true)
  if [ -n "$have" ] && version_at_least "$have" "$RUST_MIN" && command -v cargo >/dev/null; then
    return
  fi
  local why="Rust is missing"
  [ -z "$have" ] || why="Rust $have is older than the $RUST_MIN Muster needs"
  if command -v rustup >/dev/null; then
    say "$why: installing the stable toolchain with rustup"
    run_step rustup toolchain install stable --profile minimal -c rustfmt -c clippy
    run_step rustup default stable
  else
    say "$why: installing it with rustup, as https://rustup.rs documents (the stable toolchain, for this user, in ${CARGO_HOME:-$HOME/.cargo})"
    run_step sh -c "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --no-modify-path --profile minimal --default-toolchain stable -c rustfmt -c clippy"
  fi
  hash -r
  [ -n "${MUSTER_SETUP_DRY_RUN:-}" ] || { have=$(rust_version || true); version_at_least "${have:-0}" "$RUST_MIN"; } ||
    die "Rust $RUST_MIN or newer is still not on PATH after rustup: open a new shell (or run: source ${CARGO_HOME:-$HOME/.cargo}/env) and run this again"
}

install_node() {
  local want="${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}" have
  have=$(node_version || true)
  if [ -n "$have" ] && version_at_least "$have" "$want"; then
    return
  fi
  local why="Node.js is missing"
  [ -z "$have" ] || why="Node.js $have is older than the $want Vite 7 needs"
  # The distribution's candidate, e.g. "18.19.0+dfsg-6~deb12u2" (an epoch "1:" dropped).
  local candidate
  candidate=$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ {print $2}' || true)
  candidate=${candidate#*:}
  if [ -n "$candidate" ] && [ "$candidate" != "(none)" ] && version_at_least "$candidate" "$want"; then
    say "$why: installing the distribution's nodejs $candidate and npm with apt-get"
    run_step as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
  else
    say "$why, and the distribution's nodejs is ${candidate:-not offered}${candidate:+, too old}: installing Node.js 22 from the NodeSource repository, as https://github.com/nodesource/distributions documents"
    run_step as_root sh -c "curl -fsSL https://deb.nodesource.com/setup_22.x | bash -"
    run_step as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs
  fi
  hash -r
  [ -n "${MUSTER_SETUP_DRY_RUN:-}" ] || { have=$(node_version || true); version_at_least "${have:-0}" "$want"; } ||
    die "Node.js $want or newer is still not on PATH after installing it: see the messages above"
}

install_toolchains() {
  install_rust
  install_node
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
  install_toolchains
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
  install_toolchains
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

  # Every benchmark once on small plans, so none stops working unnoticed; its
  # figures mean nothing here and nothing is judged on them (docs/BENCHMARKS.md).
  say "Rust: every core benchmark once, in quick mode"
  MUSTER_BENCH_QUICK=1 cargo test -p muster-core --benches --quiet
  say "All checks passed in $((SECONDS - started)) s ($e2e end-to-end tests; screenshots in target/e2e/)"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  # What `run` and `test` do first; with MUSTER_SETUP_DRY_RUN=1, tested by tests/app/cli/setup.rs.
  toolchains) install_toolchains ;;
  *) die "usage: bash scripts/dev.sh run [APP ARGS...] | bash scripts/dev.sh test" ;;
esac
