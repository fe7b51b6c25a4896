"""`python -m jiexiang.api.openapi`: the API's OpenAPI document on standard output, from which the web app's
types are generated (`scripts/api-types.sh`). Built without a database: nothing is connected to."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jiexiang.api.app import create_app
from jiexiang.core.config import Mode, Settings


def document() -> dict[str, object]:
    # Settings of their own, whatever the environment says: the document must not depend on where it is built.
    settings = Settings(_env_file=None, database_url="sqlite://", mode=Mode.dev, web_dir=Path("/nonexistent"))
    return create_app(settings).openapi()


if __name__ == "__main__":
    json.dump(document(), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
