"""Names of uploaded photos (POST /api/photos) as clients may cite them: only what the upload stored."""

from __future__ import annotations

import re
from pathlib import Path

from jiexiang.core.errors import InvalidInput

_PHOTO_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}\.jpg$")


def check_photos(names: list[str], *, media_dir: Path) -> list[str]:
    """Photo names as stored by the photo upload; anything else is refused (no paths from clients)."""
    for name in names:
        if not _PHOTO_NAME.match(name) or not (media_dir / name).is_file():
            raise InvalidInput(f"照片“{name}”不存在，请先上传", code="photo_not_found")
    return names
