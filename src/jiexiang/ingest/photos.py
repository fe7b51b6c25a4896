"""Report photos: type and size checked, EXIF orientation applied, GPS read (when the report has no
location), and every piece of metadata stripped by re-encoding before the picture is stored."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from jiexiang.core.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
ACCEPTED = {"JPEG", "MPO", "PNG", "WEBP"}  # MPO: the JPEG variant some phone cameras write
_GPS_IFD = 0x8825
_MAX_SIDE = 2560  # larger photos are scaled down: plenty for a case file, a fraction of the storage


@dataclass(frozen=True)
class Photo:
    jpeg: bytes  # re-encoded, upright, without any metadata
    sha256: str
    width: int
    height: int
    gps: tuple[float, float] | None  # (lon, lat) WGS-84 from EXIF, as phones record it


def process_photo(data: bytes, *, name: str = "照片") -> Photo:
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{name}太大（{len(data) / 1_048_576:.1f} MB），不能超过 10 MB", code="photo_too_large")
    try:
        with warnings.catch_warnings():
            # Pillow only warns about pictures between its limit and twice it: those are refused too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidInput(f"{name}像素过多，无法处理", code="photo_too_large") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise InvalidInput(f"{name}不是有效的图片文件", code="photo_type") from exc
    try:
        with opened as image:
            if image.format not in ACCEPTED:
                raise InvalidInput(f"{name}格式 {image.format} 不支持，请上传 JPEG、PNG 或 WebP", code="photo_type")
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput(f"{name}像素过多，无法处理", code="photo_too_large")
            gps = _gps(image.getexif().get_ifd(_GPS_IFD))
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise InvalidInput(f"{name}不是有效的图片文件", code="photo_type") from exc
    upright.thumbnail((_MAX_SIDE, _MAX_SIDE))
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", quality=85, optimize=True)  # no exif= → no metadata carried over
    jpeg = buffer.getvalue()
    return Photo(jpeg, hashlib.sha256(jpeg).hexdigest(), upright.width, upright.height, gps)


def _gps(ifd: dict[int, object]) -> tuple[float, float] | None:
    try:
        lat = _degrees(ifd[2]) * (-1 if str(ifd.get(1, "N")).upper().startswith("S") else 1)
        lon = _degrees(ifd[4]) * (-1 if str(ifd.get(3, "E")).upper().startswith("W") else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lon, lat


def _degrees(value: object) -> float:
    d, m, s = (float(part) for part in value)  # type: ignore[attr-defined]
    return d + m / 60 + s / 3600


def store_photo(photo: Photo, media_dir: Path) -> str:
    """Save under a content-addressed name (the same picture twice is stored once); returns the name."""
    name = f"{photo.sha256[:2]}/{photo.sha256}.jpg"
    path = media_dir / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(photo.jpeg)
        tmp.replace(path)
    return name


MAX_PHOTOS = 9


def process_photos(files: list[tuple[str, bytes]]) -> list[Photo]:
    """Check and clean a set of uploaded photos (all of them, before any is stored)."""
    if len(files) > MAX_PHOTOS:
        raise InvalidInput(f"最多上传 {MAX_PHOTOS} 张照片", code="too_many_photos")
    return [process_photo(data, name=f"第 {i} 张照片") for i, (_, data) in enumerate(files, 1)]


def store_photos(files: list[tuple[str, bytes]], *, media_dir: Path) -> list[str]:
    return [store_photo(photo, media_dir) for photo in process_photos(files)]
