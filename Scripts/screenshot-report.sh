#!/usr/bin/env bash
# Renders Figures/REPORT.html in a real headless browser (Chromium, from
# Debian: apt-get install chromium) to a PNG, to check that the self-contained
# page reads offline: every figure inlined, tables laid out. Not needed to
# build or test.
#
#   Scripts/screenshot-report.sh [REPORT.html] [out.png]
set -euo pipefail
page=${1:-Figures/REPORT.html}
shot=${2:-/tmp/REPORT.png}
command -v chromium >/dev/null || { echo "screenshot-report: needs chromium (apt-get install chromium)" >&2; exit 1; }
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,6000 \
    --screenshot="$shot" "file://$(realpath "$page")" 2>/dev/null
echo "$shot"
