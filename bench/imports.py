"""Cold-start import time of each handler module, as a ratio to `import boto3` in the
same run: each measured in fresh interpreters, interleaved round by round, the median of
several."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9

# what Lambda gives the function: its environment (values only need to be well formed)
ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "TABLE_NAME": "data",
    "IDEMPOTENCY_TABLE_NAME": "idempotency",
    "STAFF_USER_POOL_ID": "us-east-1_staff",
    "STAFF_CLIENT_ID": "staffclient",
    "PORTAL_USER_POOL_ID": "us-east-1_portal",
    "PORTAL_CLIENT_ID": "portalclient",
    "EVENT_BUS_NAME": "bus",
    "DOCUMENTS_BUCKET": "docs",
    "MAIL_FROM_ADDRESS": "no-reply@example.com",
    "PUBLIC_API_URL": "https://api.example.com",
    "PORTAL_URL": "https://portal.example.com",
    "POWERTOOLS_SERVICE_NAME": "bench",
    "POWERTOOLS_TRACE_DISABLED": "true",
}

_TIMER = """
import time, importlib.util, sys
start = time.perf_counter()
{body}
print(time.perf_counter() - start)
"""

_LOAD = """
spec = importlib.util.spec_from_file_location("app", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
"""


def _once(body: str) -> float:
    """Seconds one fresh interpreter takes to run `body`."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        **ENV,
        "PYTHONPATH": str(ROOT / "layers/crm/python"),
        "PYTHONDONTWRITEBYTECODE": "0",
    }
    out = subprocess.run(
        [sys.executable, "-c", _TIMER.format(body=body)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(out.stdout.strip().splitlines()[-1])


def heaviest(function: str, top: int = 6) -> list[tuple[str, float]]:
    """Where the import time goes: `-X importtime` self times, summed per top-level
    package (so a package's cost is not hidden inside whoever imported it first)."""
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT / "layers/crm/python")}
    path = ROOT / "functions" / function / "app.py"
    out = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "import importlib.util\n" + _LOAD.format(path=str(path)),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    costs: dict[str, float] = {}
    for line in out.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        package = parts[2].strip().split(".")[0]
        costs[package] = costs.get(package, 0.0) + int(parts[0]) / 1e6
    return sorted(costs.items(), key=lambda kv: -kv[1])[:top]


def run() -> tuple[float, list[tuple[str, float, list[tuple[str, float]]]]]:
    """Interleaved: each round times `import boto3` and then every handler once, so a
    machine that is busier in one part of the run weighs on both sides of the ratio."""
    apps = {
        folder.name: folder / "app.py"
        for folder in sorted((ROOT / "functions").iterdir())
        if (folder / "app.py").exists()
    }
    baseline: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(RUNS):
        baseline.append(_once("import boto3"))
        for name, app in apps.items():
            times[name].append(_once(_LOAD.format(path=str(app))))
    results = [(name, statistics.median(runs), heaviest(name)) for name, runs in times.items()]
    return statistics.median(baseline), results


def report(baseline: float, results: list[tuple[str, float, list[tuple[str, float]]]]) -> str:
    lines = [
        f"`import boto3` alone: {baseline * 1000:.0f} ms (median of {RUNS} fresh "
        "interpreters, interleaved with the handlers); goal: HTTP handlers at most 1.5x "
        "that, background ones 2x.",
        "",
        "| handler | import ms | ratio to boto3 | where it goes (self ms per package) |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, seconds, heavy in results:
        costly = ", ".join(f"{n} {s * 1000:.0f}" for n, s in heavy)
        lines.append(f"| `{name}` | {seconds * 1000:.0f} | {seconds / baseline:.2f} | {costly} |")
    return "\n".join(lines)
