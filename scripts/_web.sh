# Sourced by the other scripts: install the front end's npm packages (exactly as locked) and build the
# command centre into the Python package (src/jiexiang/web/dist), where the server finds it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v npm >/dev/null; then
  echo "需要 Node.js 20.19+ 和 npm 来构建地图指挥中心 (Node.js 20.19+ with npm is required for the web app)" >&2
  exit 1
fi
# npm ci only when the lock file changed since the last install: it wipes and refetches node_modules.
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run --silent build >/dev/null)
