#!/usr/bin/env bash
# Install the Debian packages the test suite needs, only those that are missing
# (`apt-get update` once, and only when something is to be installed).
# Add a package here when a test starts needing it, with the reason beside it.
#   install-system-deps.sh              all of them (`make pytest`)
#   install-system-deps.sh PACKAGE...   only those of the list (`make run`: dovecot-imapd)
set -euo pipefail

PACKAGES=(
  dovecot-imapd     # a real IMAP server (with dovecot-core) for the email-sync tests, the
                    # bench, and the demo firm's mailbox of `make run` (local/imap_server.py)
  chromium          # headless browser for tests/browser (Playwright drives /usr/bin/chromium)
  spamassassin      # scores every notification email offline (-L): tests/browser/test_emails.py
)

wanted=("${PACKAGES[@]}")
if [ "$#" -gt 0 ]; then
  for pkg in "$@"; do
    [[ " ${PACKAGES[*]} " == *" $pkg "* ]] || { echo "error: $pkg is not in the list" >&2; exit 1; }
  done
  wanted=("$@")
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo ">> installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
