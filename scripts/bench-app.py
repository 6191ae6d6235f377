#!/usr/bin/env python3
"""Muster's launch, measured against its floor: the same tauri, one window, a
tray icon, a static page with a heading (bench/floor). Both run under their
own Xvfb, interleaved, a warm-up round discarded; the medians and the paired
ratios (each round's Muster figure over its floor figure, then the median)
are printed as a Markdown table and kept as JSON under target/bench-app/.

    python3 scripts/bench-app.py                      # starter plan, 8 rounds
    python3 scripts/bench-app.py --large              # also a 10,000-issue plan
    python3 scripts/bench-app.py --rounds 3 --idle 20 # a quicker look

Figures, per launch:
  mapped   launch -> the window is mapped (xdotool sees it visible)
  paint    launch -> the first meaningful paint: the page calls `mark_painted`
           two animation frames after it drew (Muster: the Overview with the
           plan; the floor: its heading), and the app writes the time to the
           file named by MUSTER_PAINT_MARK; no WebDriver in the way
  pss      proportional set size of the app and every process it started
           (WebKit's web and network processes), at --pss-at seconds
  idle cpu CPU time the same processes used over the next --idle seconds,
           untouched

Where each launch's time goes: the paint mark also carries marks both apps
note (`main`, `setup`, the page's load, the page's script, `painted`; Muster
also its database open, the plan's and the banners' answers and its first
draw), printed per app as medians after the launch.

Needs: Xvfb, xdotool, dbus-run-session (the Debian packages the README's
test command installs). Builds what it runs unless --no-build:
`npm --prefix ui run build`, then `cargo build --profile PROFILE` of muster
(with custom-protocol) and muster-floor.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
TICKS = os.sysconf("SC_CLK_TCK")


def say(text):
    print(text, file=sys.stderr, flush=True)


def build(profile):
    say("== Building the UI and both apps (%s)" % profile)
    subprocess.run(["npm", "--prefix", "ui", "run", "build", "--silent"], cwd=ROOT, check=True)
    flag = ["--release"] if profile == "release" else []
    subprocess.run(
        ["cargo", "build", *flag, "-p", "muster", "--features", "custom-protocol"], cwd=ROOT, check=True
    )
    subprocess.run(
        ["cargo", "build", *flag, "-p", "muster-floor", "--features", "custom-protocol"],
        cwd=ROOT,
        check=True,
    )


def free_display():
    for n in range(90, 200):
        if not Path("/tmp/.X11-unix/X%d" % n).exists() and not Path("/tmp/.X%d-lock" % n).exists():
            return n
    raise SystemExit("no free X display number between :90 and :199")


class Screen:
    """An Xvfb of the window's size and more, started again should it stop."""

    def __init__(self):
        self.start()

    def start(self):
        self.display = ":%d" % free_display()
        self.proc = subprocess.Popen(
            ["Xvfb", self.display, "-screen", "0", "1280x860x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 10
        while not Path("/tmp/.X11-unix/X%s" % self.display[1:]).exists():
            if time.time() > deadline:
                raise SystemExit("Xvfb did not start")
            time.sleep(0.05)

    def ensure(self):
        if self.proc.poll() is not None:
            say("(the X server stopped; starting another)")
            self.start()

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def tree(pid):
    """`pid` and every process descending from it."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: split after the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    found = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in found and child not in found:
                found.add(child)
                grew = True
    return found


def pss_kib(pids):
    return sum(pss_by_process(pids).values())


def pss_by_process(pids):
    """Each process's PSS in KiB, by its command name (two of a name are added up)."""
    found = {}
    for pid in pids:
        try:
            name = Path("/proc/%d/comm" % pid).read_text().strip()
            for line in Path("/proc/%d/smaps_rollup" % pid).read_text().splitlines():
                if line.startswith("Pss:"):
                    found[name] = found.get(name, 0) + int(line.split()[1])
        except OSError:
            pass
    return found


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            stat = Path("/proc/%d/stat" % pid).read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def visible(display, pid):
    out = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ).stdout
    return out.strip() != ""


def launch(subject, screen, home, args):
    """One launch of `subject`: its figures, or raises with what went wrong."""
    mark = Path(home) / "painted"
    if mark.exists():
        mark.unlink()
    env = {
        **os.environ,
        "DISPLAY": screen.display,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(Path(home) / ".config"),
        "XDG_CACHE_HOME": str(Path(home) / ".cache"),
        "XDG_DATA_HOME": str(Path(home) / ".local/share"),
        "MUSTER_PAINT_MARK": str(mark),
        "GTK_A11Y": "none",
        "NO_AT_BRIDGE": "1",
    }
    log = open(Path(home) / "stderr.log", "w")
    started = time.time()
    proc = subprocess.Popen(subject["argv"], env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    phases = {}
    try:
        mapped = paint = None
        deadline = started + 60
        while mapped is None or paint is None:
            now = time.time()
            if now > deadline:
                raise RuntimeError("%s: no %s within 60 s" % (subject["name"], "window" if mapped is None else "paint mark"))
            if proc.poll() is not None:
                said = (Path(home) / "stderr.log").read_text()[-2000:]
                raise RuntimeError("%s exited with %s:\n%s" % (subject["name"], proc.returncode, said))
            if mapped is None and visible(screen.display, proc.pid):
                mapped = (time.time() - started) * 1000
            if paint is None and mark.exists():
                text = mark.read_text().strip()
                if text:
                    # The paint mark, then (Muster) where the launch went: "name epoch-ms" lines.
                    first, *rest = text.splitlines()
                    paint = int(first) - started * 1000
                    for line in rest:
                        name, _, at = line.partition(" ")
                        phases[name] = float(at) - started * 1000
            # Each look starts an xdotool: often enough for a ±10 ms figure, not so often as to
            # take the CPU the launch needs.
            time.sleep(0.01)
        time.sleep(max(0.0, started + args.pss_at - time.time()))
        pids = tree(proc.pid)
        by_process = pss_by_process(pids)
        pss = sum(by_process.values()) / 1024
        before = cpu_ticks(tree(proc.pid))
        time.sleep(args.idle)
        after = cpu_ticks(tree(proc.pid))
        idle_ms = (after - before) * 1000 / TICKS
        return {"mapped": mapped, "paint": paint, "pss": pss, "idle_cpu": idle_ms, "processes": len(pids), "phases": phases,
                "by_process": by_process}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        log.close()


def prepared_data(muster, folder, large):
    """A data folder with the starter plan (or a generated large one), made
    before the rounds so that no launch pays for creating it."""
    subprocess.run([muster, "--data-dir", str(folder), "plan", "show"], stdout=subprocess.DEVNULL, check=True)
    if large:
        plan = folder.parent / (folder.name + "-plan")
        say("== Generating the large plan (10,000 issues, 10,000 procedures of 8 steps, 5,000 contacts)")
        subprocess.run([muster, "plan", "generate", str(plan)], stdout=subprocess.DEVNULL, check=True)
        subprocess.run(
            [muster, "--data-dir", str(folder), "plan", "import", str(plan)], stdout=subprocess.DEVNULL, check=True
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8, help="measured rounds per app (default 8)")
    parser.add_argument("--idle", type=float, default=60, help="seconds of idle CPU measured (default 60)")
    parser.add_argument("--pss-at", type=float, default=10, help="seconds after launch PSS is read (default 10)")
    parser.add_argument("--large", action="store_true", help="also Muster on a generated 10,000-issue plan")
    parser.add_argument("--profile", choices=["release", "debug"], default="release")
    parser.add_argument("--no-build", action="store_true", help="run what is built")
    args = parser.parse_args()

    if os.environ.get("MUSTER_BENCH_BUS") != "1" and shutil.which("dbus-run-session"):
        # A session bus of its own that starts no service: what a launch asks of the desktop
        # (notifications, the keychain) gets the same "not there" every round, for both apps.
        config = Path(tempfile.mkdtemp(prefix="muster-bench-bus-")) / "session.conf"
        config.write_text(BUS_CONFIG)
        os.environ["MUSTER_BENCH_BUS"] = "1"
        os.execvp(
            "dbus-run-session",
            ["dbus-run-session", "--config-file", str(config), "--", sys.executable, *sys.argv],
        )
    for tool in ["Xvfb", "xdotool"]:
        if not shutil.which(tool):
            raise SystemExit("%s is missing: run the README's test command once (it installs it)" % tool)
    if not args.no_build:
        build(args.profile)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / args.profile
    muster, floor = target / "muster", target / "muster-floor"
    for binary in [muster, floor]:
        if not binary.exists():
            raise SystemExit("%s is not built: run without --no-build" % binary)

    work = Path(tempfile.mkdtemp(prefix="muster-bench-app-"))
    subjects = [{"name": "floor", "argv": [str(floor)]}]
    for name, large in [("muster", False)] + ([("muster-large", True)] if args.large else []):
        data = work / name
        prepared_data(str(muster), data, large)
        subjects.append({"name": name, "argv": [str(muster), "--data-dir", str(data)]})

    screen = Screen()
    results = {s["name"]: [] for s in subjects}
    failed = True
    try:
        for round_no in range(args.rounds + 1):
            for subject in subjects:
                home = work / ("home-" + subject["name"])
                home.mkdir(exist_ok=True)
                screen.ensure()
                try:
                    figures = launch(subject, screen, home, args)
                except RuntimeError as once:
                    # Once: a launch that could not reach the display is tried again.
                    say("(%s; trying that launch again)" % str(once).splitlines()[0])
                    screen.ensure()
                    figures = launch(subject, screen, home, args)
                label = "warm-up" if round_no == 0 else "round %d" % round_no
                say(
                    "%-8s %-12s mapped %6.0f ms  paint %6.0f ms  pss %6.1f MB  idle cpu %5.0f ms  (%d processes)"
                    % (label, subject["name"], figures["mapped"], figures["paint"], figures["pss"], figures["idle_cpu"], figures["processes"])
                )
                say("         %-12s pss by process: %s" % ("", ", ".join(
                    "%s %.1f MB" % (name, kib / 1024) for name, kib in sorted(figures["by_process"].items()))))
                if round_no > 0:
                    results[subject["name"]].append(figures)
        failed = False
    finally:
        screen.close()
        if failed:
            say("(the data folders and each app's stderr.log are kept in %s)" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)

    def median(name, key):
        return statistics.median(r[key] for r in results[name])

    def ratio(name, base, key):
        pairs = [a[key] / b[key] for a, b in zip(results[name], results[base]) if b[key] > 0]
        return statistics.median(pairs) if pairs else float("nan")

    metrics = [("mapped", "launch → window mapped", "ms"), ("paint", "launch → first meaningful paint", "ms"),
               ("pss", "PSS of the process tree at %g s" % args.pss_at, "MB"),
               ("idle_cpu", "CPU over %g s idle" % args.idle, "ms")]
    lines = [
        "%d rounds each after a warm-up, interleaved, %s build, %s" % (args.rounds, args.profile, time.strftime("%Y-%m-%d")),
        "",
        "| figure | subject | median | floor | paired ratio |",
        "|---|---|---|---|---|",
    ]
    for key, label, unit in metrics:
        for subject in subjects[1:]:
            lines.append(
                "| %s | %s | %.1f %s | %.1f %s | %.2f |"
                % (label, subject["name"], median(subject["name"], key), unit, median("floor", key), unit, ratio(subject["name"], "floor", key))
            )
    if args.large:
        lines.append("")
        lines.append("| figure | large plan / starter plan (paired) |")
        lines.append("|---|---|")
        for key, label, _ in metrics:
            lines.append("| %s | %.2f |" % (label, ratio("muster-large", "muster", key)))
    for subject in subjects:
        rounds = results[subject["name"]]
        names = [n for n in rounds[0].get("phases", {}) if all(n in r.get("phases", {}) for r in rounds)]
        if not names:
            continue
        names.sort(key=lambda n: statistics.median(r["phases"][n] for r in rounds))
        lines.append("")
        lines.append("Where %s's launch goes (median ms after the launch, %d rounds):" % (subject["name"], len(rounds)))
        lines.append("")
        lines.append("| mark | ms after launch | since the mark before |")
        lines.append("|---|---|---|")
        before = 0.0
        for n in names:
            at = statistics.median(r["phases"][n] for r in rounds)
            lines.append("| %s | %.0f | %.0f |" % (n, at, at - before))
            before = at
    print("\n".join(lines))
    out = ROOT / "target" / "bench-app"
    out.mkdir(parents=True, exist_ok=True)
    path = out / ("%s.json" % time.strftime("%Y%m%dT%H%M%S"))
    path.write_text(json.dumps({"args": vars(args), "results": results}, indent=2))
    say("(kept in %s)" % path)


if __name__ == "__main__":
    main()
