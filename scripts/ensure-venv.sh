#!/usr/bin/env bash
# ensure-venv.sh VENV PYTHON REQUIREMENTS...
# Make VENV a virtualenv of PYTHON's version (reusing it when it already is one), then
# pip-install the requirements files into it. Idempotent; `make` calls it only when the
# stamp keyed on the requirements' content is missing.
set -euo pipefail
venv="$1"; python="$2"; shift 2

version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }

want="$(version "$python")" || { echo "error: cannot run $python" >&2; exit 1; }
if [ -x "$venv/bin/python" ] && [ "$(version "$venv/bin/python" || true)" = "$want" ]; then
  echo ">> reusing $venv (Python $want)"
else
  echo ">> creating $venv with $python (Python $want)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi

args=()
for req in "$@"; do args+=(-r "$req"); done
echo ">> installing ${*} into $venv"
"$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off --quiet "${args[@]}"
