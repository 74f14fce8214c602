"""make dev (scripts/dev.py, shared by every language): watch, rebuild, restart the RIE, check every event.

Proven on a Python project in native mode: an edit of the handler's code shows the events it breaks, the edit
undone shows them pass again, and Ctrl-C leaves no process behind.
"""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from test_python import _processes_under, python_for

from helpers import bake, event_count, require_tool, run, runtimes_of

pytestmark = pytest.mark.slow

SUMMARY = re.compile(r"^\d\d:\d\d:\d\d  (\d+) passed, (\d+) failed  \((\d+\.\d\d) s\)$")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    require_tool("make")
    path = bake(tmp_path_factory.mktemp("dev"), runtime=runtimes_of("python")[0], trigger="direct")
    version = runtimes_of("python")[0].removeprefix("python")
    assert run(["make", "deps", f"PYTHON={python_for(version)}"], path).returncode == 0
    return path


class Dev:
    """scripts/dev.py running in a project, its output read line by line."""

    def __init__(self, project, rie_bin):
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen = []
        self.process = subprocess.Popen(
            [sys.executable, "scripts/dev.py"],
            cwd=project,
            text=True,
            env={**os.environ, "EMULATOR_MODE": "native", "RIE_BIN": rie_bin},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        assert self.process.stdout is not None, "started with stdout=PIPE"
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def summary(self, timeout=60):
        """(passed, failed, the FAIL lines that follow) of the next summary line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            match = SUMMARY.match(line)
            if match:
                time.sleep(0.3)  # the FAIL lines are printed right after the summary
                failures = []
                while not self.lines.empty():
                    failures.append(self.lines.get())
                self.seen += failures
                return int(match[1]), int(match[2]), [line for line in failures if line.startswith("FAIL ")]
        output = "\n".join(self.seen)
        raise AssertionError(f"no summary line within {timeout} s; output so far:\n{output}")


def test_dev_reports_each_edit_and_ctrl_c_stops_everything(project, rie_bin):
    greeting = project / "src" / "greeting.py"
    original = greeting.read_text()
    assert 'f"Hello, {name}!"' in original
    events = event_count(project)
    dev = Dev(project, rie_bin)
    try:
        passed, failed, _ = dev.summary()
        assert (passed, failed) == (events, 0), "\n".join(dev.seen)

        greeting.write_text(original.replace('f"Hello, {name}!"', 'f"Hi, {name}!"'))
        passed, failed, failures = dev.summary()
        # Every event greets except bad-name, whose answer is an error.
        assert (passed, failed) == (1, events - 1), "\n".join(dev.seen)
        assert sorted(failures) == ["FAIL hello-default.json", "FAIL hello-name.json", "FAIL hello-unicode.json"]
        assert any('"Hi, Ada!"' in line for line in dev.seen)

        greeting.write_text(original)
        passed, failed, _ = dev.summary()
        assert (passed, failed) == (events, 0), "\n".join(dev.seen)
        assert _processes_under(project), "the function keeps running between changes"
    finally:
        greeting.write_text(original)
        dev.process.send_signal(signal.SIGINT)
        status = dev.process.wait(timeout=30)
    assert status in (130, 0), "\n".join(dev.seen)
    time.sleep(0.5)
    assert _processes_under(project) == []
