"""What the catalogs cost the first time a function writes text for a person (issue 13):
`import crm.i18n`, the first sentence of a language (Fluent and that language's catalogs,
parsed once per container), and the first date and amount (Babel's locale data). Each in
fresh interpreters, interleaved with `import boto3` round by round, the median of RUNS,
as a ratio to `import boto3` (the baseline bench/imports.py uses)."""

from __future__ import annotations

import statistics

from bench.imports import RUNS, _once

_STEPS = {
    "import crm.i18n": "import crm.i18n",
    "first English sentence": ("import crm.i18n\ncrm.i18n.localizer('en')('error-status-404')"),
    "first Dutch sentence": "import crm.i18n\ncrm.i18n.localizer('nl')('error-status-404')",
    "first Dutch sentence, date and amount": (
        "import crm.i18n, datetime\n"
        "w = crm.i18n.localizer('nl', time_zone_name='Europe/Amsterdam')\n"
        "w('error-status-404')\n"
        "w.date_time(datetime.datetime.now(datetime.UTC))\n"
        "w.money(1234.5, 'EUR')"
    ),
}


def run() -> tuple[float, list[tuple[str, float]]]:
    baseline: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in _STEPS}
    for _ in range(RUNS):
        baseline.append(_once("import boto3"))
        for name, body in _STEPS.items():
            times[name].append(_once(body))
    return statistics.median(baseline), [
        (name, statistics.median(found)) for name, found in times.items()
    ]


def report(baseline: float, results: list[tuple[str, float]]) -> str:
    lines = [
        f"`import boto3` alone: {baseline * 1000:.0f} ms (median of {RUNS} fresh interpreters)",
        "",
        "| step (from a fresh interpreter) | ms | ratio to boto3 |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {t * 1000:.0f} | {t / baseline:.2f} |" for name, t in results]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(*run()))
