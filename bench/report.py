"""The Markdown report of the benchmark figures."""

from typing import Any

# The figures bench/run.py writes to docs/benchmarks.json: machine, runs, generation, runtimes, unavailable.
Figures = dict[str, Any]


def ms(figure: dict[str, Any]) -> str:
    return f"{figure['median']:.0f} ms ({figure['min']:.0f}-{figure['max']:.0f})"


def seconds(figure: dict[str, Any]) -> str:
    return f"{figure['median']:.2f} s ({figure['min']:.2f}-{figure['max']:.2f})"


def verdict(figure: dict[str, Any], target: float) -> str:
    """Met or missed by the median; "within noise" when the runs fall on both sides of the target."""
    if figure["min"] <= target < figure["max"]:
        return f"{'met' if figure['median'] <= target else '**missed**'}, within noise"
    return "met" if figure["median"] <= target else "**missed**"


def markdown(figures: Figures, targets: dict[str, Any]) -> str:
    machine = figures["machine"]
    generation = figures["generation"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (`bench/run.py`) on {machine['date']}: {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['os']}, Python {machine['python']}; {figures['runs']} runs each, median (min-max).",
        "Native emulator mode (the real RIE and runtime interface clients as local processes). Cold start is the "
        "first invoke's latency minus a warm invoke's, over fresh emulator starts (the RIE's Init Duration is wrong).",
        "",
        "## Generation",
        "",
        "| what | time | target |",
        "|---|---|---|",
        f"| `lambda-container new --no-input` (whole process) | {seconds(generation['new_no_input_s'])} | "
        f"< {targets['generation_s']} s: {verdict(generation['new_no_input_s'], targets['generation_s'])} |",
        f"| bake every variant ({generation['variants']}) in one process "
        f"| {generation['bake_every_variant_s']:.2f} s | |",
        "",
        "## Per runtime",
        "",
        "| runtime | version | edit-to-answer | target | cold start | first invoke | warm invoke | bare baseline "
        "| first invoke / baseline |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for language, result in figures["runtimes"].items():
        target = targets["edit_to_answer_s"].get(language)
        edit = result["edit_to_answer_s"]
        cold = result["cold_start_ms"]
        base = result.get("baseline_ms")
        ratio = f"{cold['first_invoke_ms']['median'] / base['median']:.1f}x" if base else "n/a"
        lines.append(
            f"| {result['runtime']} | {result['version']} | {seconds(edit)} | "
            f"{f'< {target} s: ' + verdict(edit, target) if target else ''} | {ms(cold)} | "
            f"{ms(cold['first_invoke_ms'])} | {ms(cold['warm_invoke_ms'])} | {ms(base) if base else 'n/a'} | {ratio} |"
        )
        for key, value in result.items():
            if key.startswith("cold_start_ms_"):
                name = key[len("cold_start_ms_") :]
                base = result.get(f"baseline_ms_{name}")
                ratio = f"{value['first_invoke_ms']['median'] / base['median']:.1f}x" if base else ""
                lines.append(
                    f"| {result['runtime']} {name.replace('_', ' ')} | | | | {ms(value)} | "
                    f"{ms(value['first_invoke_ms'])} | {ms(value['warm_invoke_ms'])} | {ms(base) if base else ''} "
                    f"| {ratio} |"
                )
    reloads = {language: result for language, result in figures["runtimes"].items() if "dev_reload_s" in result}
    if reloads:
        lines += [
            "",
            "## `make dev`: a saved edit to its summary line",
            "",
            "| runtime | time | target |",
            "|---|---|---|",
        ]
        for language, result in reloads.items():
            target = targets["dev_reload_s"].get(language)
            verdict_text = f"< {target} s: {verdict(result['dev_reload_s'], target)}" if target else ""
            lines.append(f"| {result['runtime']} | {seconds(result['dev_reload_s'])} | {verdict_text} |")
    if figures["unavailable"]:
        lines += ["", "## Not measured here", ""]
        lines += [f"- {language}: {reason}" for language, reason in figures["unavailable"].items()]
    return "\n".join(lines) + "\n"
