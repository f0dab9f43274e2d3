#!/usr/bin/env python3
"""Draws images/icon.png (128x128): five scope columns, the middle one highlighted, on a shield
colour. Standard library only, so the icon can be redrawn anywhere."""
import struct
import zlib
from pathlib import Path

W = H = 128
BG = (24, 40, 72, 255)
COL = (96, 125, 170, 255)
HOT = (255, 176, 32, 255)
CLEAR = (0, 0, 0, 0)


def pixel(x, y):
    # Rounded square background.
    r = 20
    cx = min(max(x, r), W - 1 - r)
    cy = min(max(y, r), H - 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return CLEAR
    # Five columns of rising height (scope 1..5), scope 3 highlighted.
    for i in range(5):
        x0 = 14 + i * 21
        top = 88 - i * 14
        if x0 <= x < x0 + 16 and top <= y < 108:
            return HOT if i == 2 else COL
    return BG


def png(path):
    raw = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(W)) for y in range(H)
    )

    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    data = b"\x89PNG\r\n\x1a\n"
    data += chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(raw, 9))
    data += chunk(b"IEND", b"")
    Path(path).write_bytes(data)


if __name__ == "__main__":
    png(Path(__file__).resolve().parent.parent / "images" / "icon.png")
