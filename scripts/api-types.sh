#!/usr/bin/env bash
# The web app's API types, generated from the server's OpenAPI document: web/openapi.json and
# web/src/api/schema.d.ts (needs .venv and web/node_modules). With --check, generate into a temporary folder and
# fail if the checked-in files differ: CI runs this, so the front end is typed by what the server answers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target=$PWD/web
if [ "${1:-}" = "--check" ]; then
  target=$(mktemp -d)
fi
mkdir -p "$target/src/api"
.venv/bin/python -m jiexiang.api.openapi > "$target/openapi.json"
web/node_modules/.bin/openapi-typescript "$target/openapi.json" -o "$target/src/api/schema.d.ts" --silent
if [ "${1:-}" = "--check" ]; then
  for file in openapi.json src/api/schema.d.ts; do
    if ! cmp -s "$target/$file" "web/$file"; then
      echo "web/$file is out of date: run scripts/api-types.sh and commit it" >&2
      exit 1
    fi
  done
fi
