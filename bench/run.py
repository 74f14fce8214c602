#!/usr/bin/env python3
"""Benchmarks: generation, native inner loop (one-shot and make dev), cold start and a bare baseline per runtime.

    python -m bench.run [--runs N] [--languages python,go,...]      (or: make bench)

Writes docs/benchmarks.md (tables) and docs/benchmarks.json (raw figures). Targets are read from the
table, never enforced by a timed test. The RIE's own Init Duration is wrong, so a cold start is the first
invoke's latency minus a warm invoke's, over fresh emulator starts.
"""

import argparse
import contextlib
import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from cookiecutter.main import cookiecutter

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "src")]
from bench import measure, report, specs  # noqa: E402
from lambda_container import template  # noqa: E402

T = TypeVar("T")
EVENT = b'{"name": "Ada"}'
TARGETS = {
    "generation_s": 0.5,
    "edit_to_answer_s": {"python": 2, "nodejs": 2, "go": 2, "java": 8},
    # make dev: edit -> summary line (watcher poll, native rebuild, emulator restart, every event).
    "dev_reload_s": {"python": 1, "nodejs": 1, "go": 1, "java": 2},
}


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def bench_generation(runs: int, work: Path) -> dict[str, Any]:
    cli = shutil.which("lambda-container") or str(Path(sys.executable).parent / "lambda-container")
    walls = []
    for index in range(runs):
        out = work / f"gen-{index}"
        took, result = timed(
            functools.partial(subprocess.run, [cli, "new", str(out), "--no-input"], capture_output=True)
        )
        assert result.returncode == 0, result.stderr
        walls.append(took)
    variants = template.variants()
    all_dir = work / "all-variants"
    took, _ = timed(
        lambda: [
            cookiecutter(str(REPO), no_input=True, output_dir=str(all_dir / str(i)), extra_context=answers)
            for i, answers in enumerate(variants)
        ]
    )
    return {"new_no_input_s": measure.summary(walls), "bake_every_variant_s": took, "variants": len(variants)}


@contextlib.contextmanager
def environment(overrides: specs.Environment) -> Iterator[None]:
    """The harness reads os.environ at run time: apply overrides for a block, then restore everything."""
    saved = dict(os.environ)
    os.environ.update(overrides)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def bench_runtime(language: str, runs: int, work: Path, rie: str) -> dict[str, Any]:
    """Cold start, inner loop and baseline of one runtime in native mode; raises RuntimeUnavailable."""
    spec = specs.SPECS[language]
    spec.check()
    project = Path(
        # The direct trigger: its event is the same single call the bare-runtime baselines make.
        cookiecutter(
            str(REPO),
            no_input=True,
            output_dir=str(work / language),
            extra_context={"runtime": spec.runtime, "trigger": "direct"},
        )
    )
    with environment({"RIE_BIN": rie, **spec.env}):
        harness = measure.load_harness(project)
        # Cold starts are measured as the image starts: TRAIN=yes makes Java's JVM archive (other languages
        # ignore it). The inner loop then rebuilds the way a developer does, without training.
        build = ["make", "--no-print-directory", "native-build", "TRAIN=yes"]
        subprocess.run(build, cwd=project, check=True, capture_output=True)
        result: dict[str, Any] = {"runtime": spec.runtime, "version": spec.version()}
        result["cold_start_ms"] = measure.cold_starts(harness, runs, EVENT)
        if spec.baseline:
            result["baseline_ms"] = measure.baseline(project, spec.baseline, runs)
        # A variant switches a setting off for the function and for its baseline alike (like for like).
        for name, overrides in spec.variants.items():
            with environment(overrides):
                result[f"cold_start_ms_{name}"] = measure.cold_starts(harness, runs, EVENT)
                if spec.baseline:
                    result[f"baseline_ms_{name}"] = measure.baseline(project, spec.baseline, runs)
        result["edit_to_answer_s"] = measure.inner_loop(harness, project, runs, EVENT)
        result["dev_reload_s"] = measure.dev_reload(project, runs)
    return result


def machine() -> dict[str, Any]:
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--languages", default=",".join(specs.SPECS))
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    rie = measure.find_rie(REPO)
    figures: report.Figures = {"machine": machine(), "runs": args.runs, "runtimes": {}, "unavailable": {}}
    with tempfile.TemporaryDirectory(prefix="lambda-container-bench-") as scratch:
        work = Path(scratch)
        print("generation ...", flush=True)
        figures["generation"] = bench_generation(args.runs, work)
        for language in args.languages.split(","):
            print(f"{language} ...", flush=True)
            try:
                figures["runtimes"][language] = bench_runtime(language, args.runs, work, rie)
            except specs.RuntimeUnavailable as reason:
                figures["unavailable"][language] = str(reason)
    for language, why in specs.NOT_RUNNABLE.items():
        figures["unavailable"].setdefault(language, why)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(figures, indent=2) + "\n")
    out.write_text(report.markdown(figures, TARGETS))
    print(out.read_text())


if __name__ == "__main__":
    main()
