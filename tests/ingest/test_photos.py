"""Photos that cannot be used are refused with a reason, never a server error: not pictures, and pictures that
claim more pixels than anyone photographs (a decompression bomb is refused before it is decoded)."""

from __future__ import annotations

import struct
import zlib

import pytest

from jiexiang.core.errors import InvalidInput
from jiexiang.ingest.photos import process_photo


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is `width` × `height` — the header is all a bomb needs to be opened."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (10_000, 10_000), (7_000, 7_000)])
def test_pictures_with_too_many_pixels_are_refused(width: int, height: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        process_photo(png_header(width, height))
    assert refused.value.code == "photo_too_large" and "像素过多" in refused.value.message


def test_what_is_not_a_picture_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        process_photo(b"GIF89a not really")
    assert refused.value.code == "photo_type"
