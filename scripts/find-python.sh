#!/usr/bin/env bash
# Print the absolute path of a working Python interpreter of the version given (default 3.12):
# `pythonX.Y` on PATH if it runs, else the newest pyenv-installed X.Y. Exit 1 with a hint if none.
set -euo pipefail
want="${1:-3.12}"

check() { # interpreter... -> prints sys.executable if it is Python $want
  "$@" -c "import sys; assert '%d.%d' % sys.version_info[:2] == '$want'; print(sys.executable)" \
    2>/dev/null
}

check "python$want" && exit 0
if command -v pyenv >/dev/null 2>&1; then
  version="$(pyenv latest "$want" 2>/dev/null || true)"
  if [ -n "$version" ]; then
    PYENV_VERSION="$version" check python && exit 0
  fi
fi
echo "error: no Python $want found: put python$want on PATH, or 'pyenv install $want'," \
  "or pass PYTHON312=/path/to/python$want to make" >&2
exit 1
