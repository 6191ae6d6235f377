// Completes ui/package-lock.json for `npm ci` where the npm registry serves
// only this platform's builds of native optional packages (rollup, esbuild,
// the Tauri CLI): npm then leaves the other platforms out of the lock, and
// `npm ci` refuses the lock as out of sync. This adds an entry for each missing
// optional package, marked with the os/cpu/libc its name says, so npm skips it
// on other platforms. Idempotent; prints how many entries it added.
//
//   node scripts/complete-lockfile.mjs ui/package-lock.json
import { readFileSync, writeFileSync } from 'node:fs';
const file = process.argv[2];
const lock = JSON.parse(readFileSync(file, 'utf8'));
const pkgs = lock.packages;
const platform = (name) => {
  const n = name.split('/').pop();
  const os = ['darwin', 'win32', 'linux', 'freebsd', 'android', 'openbsd', 'sunos', 'aix', 'openharmony', 'netbsd'].find((o) => n.includes(o));
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'riscv64', 'loong64', 'ppc64', 's390x', 'mips64el', 'wasm32'].find((c) => n.split('-').includes(c) || n.includes(`-${c}-`) || n.endsWith(`-${c}`));
  const libc = n.includes('musl') ? ['musl'] : n.includes('gnu') ? ['glibc'] : undefined;
  return { os: os ? [os] : undefined, cpu: cpu ? [cpu] : undefined, libc };
};
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pkgs[key] || pkgs[`${path}/node_modules/${dep}`]) continue;
    const { os, cpu, libc } = platform(dep);
    pkgs[key] = { version, dev: meta.dev, optional: true, ...(cpu && { cpu }), ...(libc && { libc }), ...(os && { os }) };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} platform entries`);
