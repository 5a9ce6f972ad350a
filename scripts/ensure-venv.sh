#!/usr/bin/env bash
# ensure-venv.sh VENV PYTHON REQUIREMENTS...
# Make VENV a virtualenv of PYTHON's version (reusing it when it already is one), then
# pip-install the requirements files into it. Idempotent; `make` calls it only when the
# stamp keyed on the requirements' content is missing.
#
# VENV_STEPS=1 (set by `make run`): say it as the first two of run's four steps, and show
# pip's progress in a few short lines instead of nothing for a minute.
set -euo pipefail
venv="$1"; python="$2"; shift 2
steps="${VENV_STEPS:-}"

version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }
say() { # say STEP MESSAGE: "[STEP/4] MESSAGE" for make run, ">> MESSAGE" otherwise
  if [ -n "$steps" ]; then echo "[$1/4] $2"; else echo ">> $2"; fi
}

want="$(version "$python")" || { echo "error: cannot run $python" >&2; exit 1; }
if [ -x "$venv/bin/python" ] && [ "$(version "$venv/bin/python" || true)" = "$want" ]; then
  say 1 "Python $want virtualenv: reusing $venv"
else
  say 1 "Python $want virtualenv: creating $venv with $python"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi

args=()
for req in "$@"; do args+=(-r "$req"); done
pip=("$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off "${args[@]}")
if [ -z "$steps" ]; then
  echo ">> installing ${*} into $venv"
  "${pip[@]}" --quiet
  exit 0
fi

# pip's stdout, one line per package, becomes a count every 20 packages; its errors
# (stderr) show as they are.
progress() {
  local seen=0 line
  while IFS= read -r line; do
    case "$line" in
      Collecting*|"Requirement already satisfied"*)
        seen=$((seen + 1))
        if [ $((seen % 20)) -eq 0 ]; then echo "      $seen packages resolved ..."; fi ;;
      "Installing collected packages"*) echo "      $seen packages resolved, installing ..." ;;
    esac
  done
}
say 2 "Python packages from ${*} (first time: about a minute)"
started=$SECONDS
"${pip[@]}" | progress
echo "      done in $((SECONDS - started)) s"
