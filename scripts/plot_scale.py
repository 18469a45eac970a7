"""
Latency against todos per user, from what ``scripts/scale_bench.py --json``
wrote: one line per request, the accounts' sizes on a log scale.

    python scripts/plot_scale.py docs/scale.json docs/scale.png
"""

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, help="scale_bench.py's --json file")
    parser.add_argument("png", type=Path)
    args = parser.parse_args()
    results = json.loads(args.results.read_text())

    emails = sorted(results["todos"], key=results["todos"].get)
    sizes = [results["todos"][email] for email in emails]
    figure, axes = plt.subplots(figsize=(9, 5.5), dpi=110)
    colours = plt.get_cmap("tab20").colors
    for number, (name, by_email) in enumerate(results["median_ms"].items()):
        axes.plot(
            sizes,
            [by_email[email] for email in emails],
            marker="os^D"[number % 4],
            color=colours[number % len(colours)],
            label=name,
        )
    axes.set_xscale("log")
    axes.set_xticks(sizes)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axes.minorticks_off()
    axes.set_ylim(bottom=0)
    axes.set_xlabel("todos owned by the requesting user (log scale)")
    axes.set_ylabel(f"median latency, ms ({results['repeats']} sequential requests)")
    load = results["load_average"][0]
    axes.set_title(
        f"GET /api/v1/todos/ by list size (2 shared cores, load {load:.1f})", fontsize=10
    )
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    figure.tight_layout()
    figure.savefig(args.png)


if __name__ == "__main__":
    main()
