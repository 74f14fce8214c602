"""The benchmark harness runs end to end (one quick run), so `make bench` cannot rot between uses."""

import json
import sys

import pytest

from conftest import REPO, run

pytestmark = pytest.mark.slow


def test_bench_measures_generation_and_python_and_writes_both_reports(tmp_path, rie_bin):
    out = tmp_path / "benchmarks.md"
    result = run(
        [sys.executable, "-m", "bench.run", "--runs", "1", "--languages", "python", "--out", str(out)],
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
