"""Writes the tiny image-folder fixture of OwnDataTests: colours/{red,blue}/*.png.

Eight 6 × 6 RGB PNGs per class: a red (or blue) square of a random size and place on
a white background, so a colour model can tell the classes apart and a grey one by
brightness. Standard library only (zlib, struct); seeded, so the files are the same
on every run:

    python3 Tests/LessonsTests/Fixtures/own-data/make_images.py
"""
import os
import random
import struct
import zlib


def png(path, pixels, width, height):
    raw = b"".join(b"\x00" + bytes(v for p in pixels[y * width:(y + 1) * width] for v in p) for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


random.seed(7)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "colours")
for name, colour in [("red", (220, 30, 30)), ("blue", (30, 40, 220))]:
    os.makedirs(os.path.join(root, name), exist_ok=True)
    for i in range(8):
        side = random.randint(3, 5)
        x0, y0 = random.randint(0, 6 - side), random.randint(0, 6 - side)
        pixels = [colour if x0 <= x < x0 + side and y0 <= y < y0 + side else (255, 255, 255)
                  for y in range(6) for x in range(6)]
        png(os.path.join(root, name, f"{name}-{i}.png"), pixels, 6, 6)
