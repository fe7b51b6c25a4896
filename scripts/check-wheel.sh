#!/usr/bin/env bash
# Installs Jiexiang exactly as a user does — the built wheel alone, no extras, in a fresh venv — and runs the
# README's first command (`jiexiang demo`, walkers on) against a new database: the server must answer, the
# simulated walkers must appear live, and a new report must get its closing deadline. The web app must be
# built first (scripts/_web.sh), as for any release.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
work=$(mktemp -d /tmp/jiexiang-wheel.XXXXXX)
server=""
cleanup() {
  local status=$?  # the check's own outcome, not that of stopping the server
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

"$PYTHON" -m pip wheel -qq --disable-pip-version-check --no-deps . -w "$work/dist"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -qq --disable-pip-version-check "$work"/dist/jiexiang-*.whl

port=$("$work/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$work" && exec env -i PATH="$work/venv/bin:/usr/bin:/bin" HOME="$work" \
  JIEXIANG_DATABASE_URL="sqlite:///$work/demo.db" JIEXIANG_MEDIA_DIR="$work/media" \
  jiexiang demo --port "$port" >"$work/demo.log" 2>&1) &
server=$!

if ! "$work/venv/bin/python" - "http://127.0.0.1:$port" <<'PY'
"""Checks, with only the standard library, what a user sees of the demo they just started."""
import json
import sys
import time
import urllib.parse
import urllib.request
import uuid

base = sys.argv[1]


def call(path, *, data=None, token=None, form=False):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = None
    if data is not None and form:
        body = urllib.parse.urlencode(data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    with urllib.request.urlopen(urllib.request.Request(base + path, data=body, headers=headers), timeout=10) as r:
        return json.load(r)


def until(what, check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except OSError:
            pass
        time.sleep(1)
    sys.exit(f"wheel check failed: {what} within {seconds} s")


health = until("the demo server answering /api/health", lambda: call("/api/health"), 300)
assert health["status"] == "ok", health
login = {"username": "admin", "password": "jiexiang-demo"}
token = call("/api/auth/token", data=login, form=True)["access_token"]
live = until("walkers on /api/workers/live", lambda: call("/api/workers/live", token=token), 90)
report = {"text": "胡同口井盖破损", "category": "0101", "lon": "116.3720", "lat": "39.9030", "client_id": uuid.uuid4().hex}
receipt = call("/api/reports", data=report, token=token, form=True)
case = call(f"/api/cases/{receipt['case_id']}", token=token)
assert case["close_due_at"], f"the new case has no closing deadline: {case}"
print(f"wheel check: health ok, {len(live)} walkers live, case {case['id']} due {case['close_due_at']}")
PY
then
  echo "---- jiexiang demo's output:" >&2
  tail -n 40 "$work/demo.log" >&2
  exit 1
fi
