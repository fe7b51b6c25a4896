# Sourced by the other scripts: make .venv with Python 3.11+ and install the project (plus the extras
# named in $JIEXIANG_EXTRAS, e.g. "[test]").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "需要 Python 3.11 或更高版本 (Python 3.11+ is required); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${JIEXIANG_EXTRAS:-}"
