#!/usr/bin/env python3
"""Watch the project, and on every change rebuild, restart the function under the RIE and check every event.

Native mode only (the RIE and the runtime interface client as local processes, as `EMULATOR_MODE=native
make emulator-test`): a change runs `make native-build` (incremental where the language allows), restarts the
emulator on the same port and invokes every events/NAME.json against events/NAME.expected.json with
scripts/emulator_test.py's own comparison. Each change prints one line,

    HH:MM:SS  N passed, M failed  (X.XX s)

followed by the harness's FAIL lines, if any. A change under events/ only re-runs the events, without a
rebuild. What is watched is derived from the project: every file except those .gitignore names (build
outputs, dependencies, caches), .git and editors' temporary files; the file system is polled (stdlib only).
The build's and the function's output go to a log file named at start (--verbose: to this terminal).
Between changes the function keeps answering on 127.0.0.1:PORT. Ctrl-C stops every process started here.

Usage: scripts/dev.py [--interval 0.1] [--verbose]
"""

import argparse
import contextlib
import fnmatch
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import emulator_test as harness  # this file's own directory is on sys.path when it runs

ROOT = harness.ROOT
# Never watched, .gitignore or not: version control, dependencies, build outputs and caches of every language.
ALWAYS_IGNORED = {
    ".git",
    ".venv",
    "node_modules",
    "target",
    "dist",
    "bin",
    "obj",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".bundle",
    ".aws-sam",
}
# Editors' swap, backup and probe files: saving a file must count once, as the saved file.
EDITOR_FILES = ("*.swp", "*.swx", "*.swo", "*~", ".#*", "#*#", "4913", "*.tmp")
SETTLE_S = 0.05  # how long the tree must stay unchanged before a rebuild (an editor may write several files)


def ignore_rules():
    """(pattern, anchored, directory_only) for each .gitignore line: what the project itself calls generated."""
    rules = []
    gitignore = ROOT / ".gitignore"
    lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines() if gitignore.is_file() else []
    for line in lines:
        line = line.strip()
        if not line or line.startswith(("#", "!")):
            continue
        directory_only = line.endswith("/")
        pattern = line.strip("/")
        # A slash at the start or in the middle ties the pattern to the project's root (git's rule).
        rules.append((pattern, "/" in line.rstrip("/"), directory_only))
    return rules


def ignored(relative, name, is_dir, rules):
    if name in ALWAYS_IGNORED or (not is_dir and any(fnmatch.fnmatch(name, p) for p in EDITOR_FILES)):
        return True
    for pattern, anchored, directory_only in rules:
        if directory_only and not is_dir:
            continue
        if fnmatch.fnmatch(relative if anchored else name, pattern):
            return True
    return False


def snapshot(rules):
    """Every watched file, relative to the project, with its modification time and size."""
    state = {}
    pending = [ROOT]
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue  # removed while walking: the next poll sees it
        for entry in entries:
            relative = os.path.relpath(entry.path, ROOT)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                if ignored(relative, entry.name, is_dir, rules):
                    continue
                if is_dir:
                    pending.append(entry.path)
                else:
                    info = entry.stat(follow_symlinks=False)
                    state[relative] = (info.st_mtime_ns, info.st_size)
            except OSError:
                continue
    return state


def changed_paths(before, after):
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


class Loop:
    """One emulator on one port, rebuilt and restarted on each change."""

    def __init__(self, log, verbose):
        self.log = log
        self.emulator = harness.NativeEmulator(output=None if verbose else log)
        self.port = harness.free_port()
        self.notes_shown = False

    def tail(self, lines=30):
        if self.log is None or self.emulator.output is None:
            return ""
        self.log.flush()
        self.log.seek(0)
        return "".join(self.log.readlines()[-lines:])

    def restart(self):
        """Stop the function, rebuild natively and start it again; False (and why, printed) when that failed."""
        self.emulator.stop()
        if self.emulator.output is not None:
            self.log.seek(0)
            self.log.truncate()
        notes = io.StringIO()
        try:
            with contextlib.redirect_stdout(notes):  # the harness's notes (architecture) are shown once
                self.emulator.start(self.port, build=True)
        except subprocess.CalledProcessError as error:
            return f"build failed: '{' '.join(map(str, error.cmd))}' exited with {error.returncode}"
        except harness.SetupError as error:
            return f"the emulator did not start: {error}"
        finally:
            if not self.notes_shown and notes.getvalue():
                print(notes.getvalue(), end="")
                self.notes_shown = True
        return None

    def cycle(self, started, rebuild=True):
        """Rebuild when needed, invoke every event and print the summary line and the failures."""
        problem = self.restart() if rebuild or not self.emulator.is_running() else None
        if problem:
            took = time.monotonic() - started
            print(f"{time.strftime('%H:%M:%S')}  {problem}  ({took:.2f} s)")
            print(self.tail(), end="")
            return
        report = io.StringIO()
        with contextlib.redirect_stdout(report):
            passed, failed = harness.run_events(self.port)
        took = time.monotonic() - started
        print(f"{time.strftime('%H:%M:%S')}  {passed} passed, {failed} failed  ({took:.2f} s)")
        # The harness prints PASS lines, and FAIL lines with the expected and actual answers indented below.
        failures = [line for line in report.getvalue().splitlines() if not line.startswith("PASS ")]
        if failures:
            print("\n".join(failures))


def watch(loop, interval):
    rules = ignore_rules()
    state = snapshot(rules)
    print(
        f"dev: native mode, {harness.SETTINGS['runtime']}, watching {len(state)} files, the function on "
        f"http://127.0.0.1:{loop.port}{harness.INVOKE_PATH}; Ctrl-C stops"
    )
    loop.cycle(time.monotonic())
    while True:
        time.sleep(interval)
        current = snapshot(rules)
        if current == state:
            continue
        started = time.monotonic()
        while True:  # wait until the writes settle
            time.sleep(SETTLE_S)
            settled = snapshot(rules)
            if settled == current:
                break
            current = settled
        changed = changed_paths(state, current)
        state = current
        loop.cycle(started, rebuild=not all(path.startswith("events" + os.sep) for path in changed))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between polls (default 0.1)")
    parser.add_argument("--verbose", action="store_true", help="show the build's and the function's output")
    args = parser.parse_args()
    harness.unwind_on_ctrl_c_and_termination()  # the finally below stops what was started
    sys.stdout.reconfigure(line_buffering=True)
    if os.environ.get("EMULATOR_MODE", "native") not in ("native", "auto"):
        print(
            "dev: native mode only. In container mode each change would rebuild the image (the code layer and "
            "those after it) and start a new container; run `make emulator-test` after editing instead.",
            file=sys.stderr,
        )
        return 2
    loop = None
    log_fd, log_path = tempfile.mkstemp(prefix=f"dev-{harness.SETTINGS['function_name'][:40]}-", suffix=".log")
    try:
        with open(log_fd, "a+", encoding="utf-8", errors="replace") as log:
            if sys.platform != "linux":
                raise harness.SetupError(
                    "make dev runs in native mode, which needs Linux (the RIE is a Linux binary); "
                    "elsewhere run `make emulator-test` (container mode) after editing"
                )
            harness.find_rie(harness.native_arch())  # fail before building anything
            if not args.verbose:
                print(f"dev: the build's and the function's output: {log_path}")
            loop = Loop(log, args.verbose)
            watch(loop, args.interval)
    except harness.SetupError as error:
        print(f"dev: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if loop:
            loop.emulator.stop()
        with contextlib.suppress(OSError):
            Path(log_path).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
