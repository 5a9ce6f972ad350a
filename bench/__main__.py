"""`python -m bench`: prints every figure as Markdown (docs/benchmarks.md says how to read
them)."""

from __future__ import annotations

import logging
import platform
import sys

from bench import calls, digest, fanout, imports, languages, sync, sync_scale


def main() -> None:
    logging.disable(logging.WARNING)
    print(
        f"# Benchmarks\n\nPython {platform.python_version()} on {platform.machine()}, "
        f"{platform.platform()}\n"
    )
    print("## DynamoDB calls per request\n")
    print(calls.report(calls.run()))
    print("\n## Notification fan-out\n")
    print(fanout.report(*fanout.run()))
    print("\n## Digests\n")
    print(digest.report(digest.run()))
    print("\n## Email sync\n")
    print(sync.report(sync.run()))
    print("\n## Email sync at scale\n")
    print(sync_scale.report(sync_scale.run()))
    print("\n## Handler import time (cold start)\n")
    print(imports.report(*imports.run()))
    print("\n## Languages: the catalogs' first use\n")
    print(languages.report(*languages.run()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
