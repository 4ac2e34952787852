"""Benchmark: the survey outputs of docs/surveys.md on the SYNTHETIC demo survey.

Targets on this 2-core machine, for the demo's 480 households (659 members abroad) and
480 respondents, both modules: every indicator (38 estimates, Woodruff median included)
in under 1 s; the HTML report in one language in under 0.5 s, the PDF in under 5 s; both
XLSForms written and read back in under 1 s. A field survey ten times larger (4,800
households, made with `--scale 10`) must stay within 3 s for its indicators. Times are CPU
seconds of this process (the machine is shared).

The demo is generated from published figures given here (a country of 3 million with
860,000 emigrants and US$ 2.2 billion received; no store needed, nothing official read).

    .venv/bin/python benchmarks/bench_survey_outputs.py [--scale 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tmo.indicators.figure import Figure
from tmo.surveys.demo import Assumptions, generate
from tmo.surveys.description import load_description
from tmo.surveys.indicators import estimate_survey
from tmo.surveys.published import Published
from tmo.surveys.questionnaire import load_module, module_ids
from tmo.surveys.report import render_html, render_pdf
from tmo.surveys.xlsform import read_xlsform, write_xlsform


def cpu(label: str, fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    print(f"{label:<48} {best:7.3f} s CPU (best of {repeat})")
    return best


def figures() -> Published:
    def fig(name: str, value: float, unit: str) -> Figure:
        return Figure(name, value, unit, 2024)
    return Published("MDA", 2024, "2024", fig("population", 3_000_000, "persons"),
                     fig("immigrant_share", 6.2, "percent"),
                     fig("emigrant_stock", 860_000, "persons"),
                     fig("remittances_received", 2.2e9, "current US$"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        small = generate(figures(), seed=1).write(out / "small")[-1]
        large = generate(figures(), seed=1, assumptions=Assumptions(
            psus=12 * args.scale)).write(out / "large")[-1]
        desc_small, desc_large = load_description(small), load_description(large)
        results = estimate_survey(desc_small)
        n_estimates = sum(len(i.values) for m in results.modules.values() for i in m)
        larger = estimate_survey(desc_large).designs["households"]["n"]
        print(f"demo: {results.designs['households']['n']} households, {n_estimates} "
              f"estimates; x{args.scale}: {larger} households")
        cpu("indicators, demo (both modules)", lambda: estimate_survey(desc_small), args.repeat)
        cpu(f"indicators, demo x{args.scale}", lambda: estimate_survey(desc_large), args.repeat)
        cpu("report HTML (fr)", lambda: render_html(results, "Moldova", "fr"), args.repeat)
        cpu("report PDF (fr)", lambda: render_pdf(results, "Moldova", "fr"), 1)

        def forms() -> None:
            for m in module_ids():
                read_xlsform(write_xlsform(load_module(m), out / f"tmo_{m}.xlsx"))
        cpu("XLSForms written and read back (2 modules)", forms, args.repeat)


if __name__ == "__main__":
    main()
