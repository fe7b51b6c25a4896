#!/usr/bin/env bash
# Installs Jiexiang into .venv, builds the command centre and runs the demo subdistrict on http://127.0.0.1:8000
# (arguments go to `jiexiang demo`).
source "$(dirname "$0")/_venv.sh"
source "$(dirname "$0")/_web.sh"
exec .venv/bin/jiexiang demo "$@"
