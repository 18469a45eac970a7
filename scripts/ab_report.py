"""
The table scripts/ab.sh prints from its runs (one tab-separated line each:
round, side, endpoint, wrk's fields). Medians over the rounds with their
ranges, and B/A per round: A and B of one round ran back to back, so they
shared the neighbours' load, and a verdict is given only when every round
says the same.

    python scripts/ab_report.py RESULTS.tsv SECONDS_PER_RUN
"""

import statistics
import sys
from collections import defaultdict


def read(path: str, seconds: float) -> dict[tuple[str, str], dict[str, dict[str, float]]]:
    runs: dict[tuple[str, str], dict[str, dict[str, float]]] = defaultdict(dict)
    with open(path) as lines:
        for line in lines:
            round_, side, endpoint, result = line.rstrip("\n").split("\t")
            fields = dict(item.split("=", 1) for item in result.split())
            values = {key: float(value) for key, value in fields.items() if key != "load"}
            if "cpu_ms" not in values:  # a wrk run; in-process runs report cpu_ms
                values["cpu_ms"] = values["cpu_s"] * 1000 / max(values["rps"] * seconds, 1)
            runs[side, endpoint][round_] = values
    return runs


def spread(values: list[float], spec: str) -> str:
    return f"{statistics.median(values):{spec}} ({min(values):{spec}}-{max(values):{spec}})"


def verdict(ratios: list[float], *, lower_is_better: bool) -> str:
    """B better (or worse) only when it is so in every round; else how many rounds favour B."""
    favour_b = sum(1 for r in ratios if (r < 1) == lower_is_better and r != 1)
    if favour_b == len(ratios):
        return f"B better in {favour_b}/{len(ratios)}"
    if favour_b == 0:
        return f"B worse in {len(ratios)}/{len(ratios)}"
    return f"mixed: B better in {favour_b}/{len(ratios)}"


def main() -> int:
    path, seconds = sys.argv[1], float(sys.argv[2])
    runs = read(path, seconds)
    header = [
        "endpoint",
        "A req/s",
        "B req/s",
        "B/A req/s by round",
        "A CPU ms/req",
        "B CPU ms/req",
        "B/A CPU by round",
        "p50 ms A / B",
        "p99 ms A / B",
        "CPU",
        "req/s",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    bad = 0
    for endpoint in ("list", "create", "detail", "patch"):
        a_runs, b_runs = runs.get(("A", endpoint)), runs.get(("B", endpoint))
        if not a_runs or not b_runs:
            continue
        rounds = [r for r in a_runs if r in b_runs]

        def column(side_runs: dict[str, dict[str, float]], key: str) -> list[float]:
            return [side_runs[r][key] for r in rounds]  # noqa: B023 - used at once

        a_rps, b_rps = column(a_runs, "rps"), column(b_runs, "rps")
        a_cpu, b_cpu = column(a_runs, "cpu_ms"), column(b_runs, "cpu_ms")
        rps_ratios = [b / a for a, b in zip(a_rps, b_rps, strict=True)]
        cpu_ratios = [b / a for a, b in zip(a_cpu, b_cpu, strict=True)]
        med = statistics.median
        row = [
            endpoint,
            spread(a_rps, ".0f"),
            spread(b_rps, ".0f"),
            " ".join(f"{r:.2f}" for r in rps_ratios),
            spread(a_cpu, ".2f"),
            spread(b_cpu, ".2f"),
            " ".join(f"{r:.2f}" for r in cpu_ratios),
            f"{med(column(a_runs, 'p50_ms')):.1f} / {med(column(b_runs, 'p50_ms')):.1f}",
            f"{med(column(a_runs, 'p99_ms')):.1f} / {med(column(b_runs, 'p99_ms')):.1f}",
            verdict(cpu_ratios, lower_is_better=True),
            verdict(rps_ratios, lower_is_better=False),
        ]
        print("| " + " | ".join(row) + " |")
        for side_runs in (a_runs, b_runs):
            bad += sum(int(v["non2xx"] + v["errors"]) for v in side_runs.values())
    inprocess = [e for e in ("list", "create") if ("A", f"inprocess-{e}") in runs]
    if inprocess:
        print("\n| in process | A CPU ms/req | B CPU ms/req | B/A CPU by round | CPU |")
        print("|---|---|---|---|---|")
    for endpoint in inprocess:
        a_runs, b_runs = runs["A", f"inprocess-{endpoint}"], runs["B", f"inprocess-{endpoint}"]
        rounds = [r for r in a_runs if r in b_runs]
        a_cpu = [a_runs[r]["cpu_ms"] for r in rounds]
        b_cpu = [b_runs[r]["cpu_ms"] for r in rounds]
        ratios = [b / a for a, b in zip(a_cpu, b_cpu, strict=True)]
        print(
            f"| {endpoint} | {spread(a_cpu, '.3f')} | {spread(b_cpu, '.3f')} | "
            f"{' '.join(f'{r:.2f}' for r in ratios)} | {verdict(ratios, lower_is_better=True)} |"
        )
    print(
        "\nMedian (min-max) over the rounds. CPU ms/req: user + system of the gunicorn "
        "master and workers, recycled workers included.\nB better or worse: so in every "
        "round (A and B back to back); mixed: within the rounds' spread."
    )
    if bad:
        print(f"ab: {bad} non-2xx answers or socket errors: the run is not valid")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
