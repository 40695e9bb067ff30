#!/bin/sh
# The console's browser tests drive Debian's Chromium (never a downloaded browser build).
# Install it, with a CJK font so Chinese text renders in screenshots, when it is missing.
set -eu
CHROMIUM=/usr/bin/chromium
FONT_DIR=/usr/share/fonts/truetype/wqy
if [ -x "$CHROMIUM" ] && [ -d "$FONT_DIR" ]; then
  exit 0
fi
echo "Chromium or a CJK font not found: installing chromium and fonts-wqy-microhei (the console's browser tests need them)" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei >/dev/null
"$CHROMIUM" --version
