"""The benchmark harness runs end to end (one quick run), so `make bench` cannot rot between uses."""

import json
import re
import sys

import pytest

from bench import container, report
from bench.specs import RuntimeUnavailable
from helpers import REPO, bake, require, require_tool, run


@pytest.mark.slow
def test_bench_measures_generation_and_python_and_writes_both_reports(tmp_path, rie_bin):
    out = tmp_path / "benchmarks.md"
    result = run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--runs",
            "1",
            "--languages",
            "python",
            "--out",
            str(out),
            "--no-container",
        ],
        REPO,
        env={"RIE_BIN": rie_bin},
    )
    assert result.returncode == 0
    figures = json.loads(out.with_suffix(".json").read_text())
    python = figures["runtimes"]["python"]
    assert python["runtime"] == "python3.14"
    assert python["cold_start_ms"]["first_invoke_ms"]["median"] > 0
    assert python["edit_to_answer_s"]["median"] > 0 and python["baseline_ms"]["median"] > 0
    assert figures["generation"]["variants"] > 40
    assert "| python3.14 |" in out.read_text()
    assert set(figures["unavailable"]) >= {"dotnet", "ruby"}


@pytest.mark.slow
def test_the_go_baseline_is_one_call_of_the_handler_like_the_functions_invoke(tmp_path):
    require_tool("go")
    project = bake(tmp_path, runtime="provided.al2023", trigger="direct")
    deps = run(["make", "deps"], project)
    require(deps.returncode == 0, f"the Go modules could not be fetched through GOPROXY ({deps.stderr.strip()[-200:]})")
    result = run([str(REPO / "bench" / "baseline" / "go-call.sh")], project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Hello, Ada!") == 1
    # The project's own tests (one per sample event) are not what the baseline times.
    assert not (project / "zz_bench_call_test.go").exists()


@pytest.mark.parametrize(
    ("runs", "verdict"),
    [
        ({"median": 0.40, "min": 0.38, "max": 0.45}, "met"),
        ({"median": 0.48, "min": 0.47, "max": 0.52}, "met, within noise"),
        ({"median": 0.51, "min": 0.49, "max": 0.53}, "**missed**, within noise"),
        ({"median": 0.60, "min": 0.55, "max": 0.70}, "**missed**"),
    ],
)
def test_a_target_the_runs_straddle_is_reported_within_noise(runs, verdict):
    assert report.verdict(runs, 0.5) == verdict


@pytest.mark.slow
def test_container_mode_edit_to_answer_rebuilds_the_image_that_answers_with_the_edit(tmp_path, rie_bin, monkeypatch):
    """bench/container.py times a real rebuild and a real run, and refuses figures from an image that does not
    answer with the edit (an edit that changes nothing leaves the events passing where they must fail)."""
    require_tool("buildah")
    project = bake(tmp_path, runtime="python3.14", trigger="direct")
    figures = container.edit_to_answer(project, 2, rie_bin, "aws")
    assert figures["rebuild_s"]["n"] == 2 and figures["events_s"]["median"] > 0
    monkeypatch.setattr(container, "GREETING", re.compile("(a greeting no source holds)"))
    with pytest.raises(RuntimeUnavailable, match="did not answer with the edit"):
        container.edit_to_answer(project, 1, rie_bin, "aws")
