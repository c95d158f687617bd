#!/usr/bin/env bash
# Install the front-end packages from npm and copy what the pages load into the static folder.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
vendor=src/huntaze/web/assets/vendor
mkdir -p "$vendor"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx.min.js"
cp node_modules/alpinejs/dist/cdn.min.js "$vendor/alpine.min.js"
cp node_modules/echarts/dist/echarts.min.js "$vendor/echarts.min.js"
cp node_modules/@picocss/pico/css/pico.min.css "$vendor/pico.min.css"
