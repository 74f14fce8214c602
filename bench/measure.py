"""The measurements themselves, in native emulator mode, reusing the generated project's own harness."""

import importlib.util
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.specs import BASELINE, RuntimeUnavailable

WARM_INVOKES = 3
# The greeting in any language's string syntax: "Hello, ...", 'Hello, ...' or `Hello, ${name}`.
GREETING = re.compile(r"""(["'`])Hello, """)
# The line `make dev` (scripts/dev.py) prints once a change has been rebuilt and every event checked.
DEV_SUMMARY = re.compile(r"^\d\d:\d\d:\d\d  \d+ passed, \d+ failed  \(")
DEV_TIMEOUT_S = 300


# A measurement's summary: median, min, max, n, samples; a cold start adds first and warm invoke summaries.
Summary = dict[str, Any]


def summary(samples: list[float]) -> Summary:
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "n": len(samples),
        "samples": [round(sample, 4) for sample in samples],
    }


def find_rie(repo: Path) -> str:
    for candidate in (
        os.environ.get("RIE_BIN"),
        shutil.which("aws-lambda-rie"),
        Path.home() / ".aws-lambda-rie" / "aws-lambda-rie",
        repo / ".cache" / "rie" / "aws-lambda-rie",
    ):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise SystemExit("bench: no RIE found: run `make -C demo/hello-lambda rie` or set RIE_BIN")


def load_harness(project: Path) -> ModuleType:
    """The project's scripts/emulator_test.py as a module: the very code `make emulator-test` runs."""
    spec = importlib.util.spec_from_file_location(f"harness_{project.name}", project / "scripts" / "emulator_test.py")
    if spec is None or spec.loader is None:
        raise RuntimeUnavailable(f"{project} has no scripts/emulator_test.py to load")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def invoke_ms(harness: ModuleType, port: int, event: bytes) -> float:
    started = time.perf_counter()
    answer = harness.invoke(port, event)
    took = (time.perf_counter() - started) * 1000
    if "Hello" not in answer and "Hallo" not in answer:
        raise RuntimeUnavailable(f"unexpected answer under the emulator: {answer[:200]}")
    return took


def cold_starts(harness: ModuleType, runs: int, event: bytes) -> Summary:
    """First-invoke latency minus warm-invoke latency (median of a few), over fresh emulator starts, in ms."""
    colds: list[float] = []
    firsts: list[float] = []
    warms: list[float] = []
    # One start before the timed ones, so that no run pays for a cold page cache the others do not.
    for run in range(runs + 1):
        emulator = harness.NativeEmulator(output=subprocess.DEVNULL)
        port = harness.free_port()
        try:
            emulator.start(port, build=False)
            first = invoke_ms(harness, port, event)
            warm = statistics.median(invoke_ms(harness, port, event) for _ in range(WARM_INVOKES))
        finally:
            emulator.stop()
        if run == 0:
            continue
        colds.append(first - warm)
        firsts.append(first)
        warms.append(warm)
    return {**summary(colds), "first_invoke_ms": summary(firsts), "warm_invoke_ms": summary(warms)}


def handler_source(project: Path) -> Path:
    """The source file holding the greeting, which the inner-loop benchmark edits."""
    for path in sorted(project.rglob("*")):
        if (
            path.is_file()
            and path.suffix in (".py", ".ts", ".mjs", ".js", ".go", ".java", ".rb", ".cs")
            and not {"test", "tests", "node_modules", "target", "dist", ".venv"} & set(path.parts)
            and not path.name.endswith(("_test.go", ".test.ts", ".test.mjs"))
            and GREETING.search(path.read_text(errors="replace"))
        ):
            return path
    raise RuntimeUnavailable("no handler source with the greeting found")


def inner_loop(harness: ModuleType, project: Path, runs: int, event: bytes) -> Summary:
    """Seconds from a one-line edit of the handler to the emulator's answer, rebuild included."""
    source = handler_source(project)
    original = source.read_text()
    samples = []
    try:
        for index in range(runs):
            word = "Hallo" if index % 2 == 0 else "Hello"
            source.write_text(GREETING.sub(rf"\g<1>{word}, ", original))
            emulator = harness.NativeEmulator(output=subprocess.DEVNULL)
            port = harness.free_port()
            started = time.perf_counter()
            try:
                emulator.start(port, build=True)
                answer = harness.invoke(port, event)
            finally:
                emulator.stop()
            samples.append(time.perf_counter() - started)
            if f"{word}, Ada" not in answer:
                raise RuntimeUnavailable(f"the edit did not reach the emulator's answer: {answer[:200]}")
    finally:
        source.write_text(original)
    return summary(samples)


def dev_reload(project: Path, runs: int) -> Summary:
    """Seconds from a one-line edit of the handler to `make dev`'s summary line: the watcher's poll, the native
    rebuild, the emulator's restart and every event invoked (scripts/dev.py, as a developer runs it)."""
    source = handler_source(project)
    original = source.read_text()
    lines: queue.Queue[str] = queue.Queue()
    dev = subprocess.Popen(
        [sys.executable, "scripts/dev.py"],
        cwd=project,
        env={**os.environ, "EMULATOR_MODE": "native"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def read() -> None:
        assert dev.stdout is not None
        for line in dev.stdout:
            lines.put(line)

    def next_summary() -> float:
        """When the next summary line arrived (perf_counter)."""
        seen = []
        deadline = time.perf_counter() + DEV_TIMEOUT_S
        while time.perf_counter() < deadline:
            try:
                line = lines.get(timeout=0.05)
            except queue.Empty:
                if dev.poll() is not None:
                    break
                continue
            if DEV_SUMMARY.match(line):
                return time.perf_counter()
            seen.append(line)
        raise RuntimeUnavailable(f"make dev printed no summary line: {''.join(seen)[-500:]}")

    threading.Thread(target=read, daemon=True).start()
    samples = []
    try:
        next_summary()  # the first build and run, before any edit
        for index in range(runs):
            word = "Hallo" if index % 2 == 0 else "Hello"
            started = time.perf_counter()
            source.write_text(GREETING.sub(rf"\g<1>{word}, ", original))
            samples.append(next_summary() - started)
            time.sleep(0.3)  # let the failure lines through, and the next edit get a later mtime
    finally:
        source.write_text(original)
        dev.send_signal(signal.SIGINT)
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            dev.kill()
            dev.wait()
    return summary(samples)


def baseline(project: Path, command: Iterable[str], runs: int) -> Summary:
    """Milliseconds for the bare runtime to start and call the handler once, without the emulator."""
    argv = [part.format(root=project, baseline=BASELINE) for part in command]
    subprocess.run(argv, cwd=project, check=True, capture_output=True)  # warms caches, builds helpers
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=project, check=True, capture_output=True)
        samples.append((time.perf_counter() - started) * 1000)
    return summary(samples)
