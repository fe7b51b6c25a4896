#!/usr/bin/env bash
# Installs Jiexiang with its test tools into .venv, builds the web app, and runs every quality gate and the
# whole test suite: Python on SQLite and on PostgreSQL, the web app's component tests, and its end-to-end
# tests in Debian's headless Chromium (/usr/bin/chromium, or CHROMIUM_PATH) against a real demo server. PostgreSQL comes from JIEXIANG_TEST_POSTGRES_URL (a server URL whose user may
# create databases; each run makes and drops its own). Without a reachable server the PostgreSQL run is
# skipped with a warning, except in CI (CI=true), where it is required.
JIEXIANG_EXTRAS="[test]" source "$(dirname "$0")/_venv.sh"
echo "== web: install and build (type check included)"
source "$(dirname "$0")/_web.sh"
PG_URL=${JIEXIANG_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}

echo "== ruff";            .venv/bin/ruff check src tests benchmarks && .venv/bin/ruff format --check src tests benchmarks
echo "== mypy";            .venv/bin/mypy
echo "== import-linter";   .venv/bin/lint-imports --no-cache
echo "== web: API types generated from the current OpenAPI document"; bash scripts/api-types.sh --check
echo "== web: ESLint";      (cd web && npx eslint .)
echo "== pytest (SQLite)"; env -u JIEXIANG_TEST_DATABASE_URL .venv/bin/pytest "$@"

if .venv/bin/python - "$PG_URL" <<'PY'
import sys
from sqlalchemy import create_engine, text
try:
    with create_engine(sys.argv[1]).connect() as c:
        c.execute(text("SELECT 1"))
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== pytest (PostgreSQL)"
  JIEXIANG_TEST_DATABASE_URL="$PG_URL" .venv/bin/pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required in CI" >&2
  exit 1
else
  echo "WARNING: PostgreSQL run skipped (set JIEXIANG_TEST_POSTGRES_URL)" >&2
fi

if [ $# -gt 0 ]; then  # a chosen set of Python tests: the web app's suites are not asked for
  exit 0
fi
echo "== web: component tests (Vitest)"
(cd web && npx vitest run)
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  echo "== web: end-to-end (headless Chromium; screenshots in web/test-results/screenshots)"
  (cd web && CHROMIUM_PATH="$CHROMIUM" npx vitest run --config vitest.e2e.config.ts)
elif [ "${CI:-}" = "true" ]; then
  echo "Chromium is required in CI ($CHROMIUM not found)" >&2
  exit 1
else
  echo "WARNING: end-to-end tests skipped: no Chromium at $CHROMIUM (apt-get install chromium)" >&2
fi
echo "== install as a user does: the wheel alone in a fresh venv, then the demo (README's first command)"
bash scripts/check-wheel.sh
