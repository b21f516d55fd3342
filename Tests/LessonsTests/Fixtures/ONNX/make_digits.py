"""Writes digit-3.png, digit-7.png: two test digits of learn's bundled MNIST subset
as 28×28 grey PNGs (white ink on black), the images `learn inspect` is tested with.

    python3 Tests/LessonsTests/Fixtures/ONNX/make_digits.py   # from the repository root

Needs only NumPy; the PNGs are written with zlib (no imaging library).
"""
import gzip
import pathlib
import struct
import zlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[4]
HERE = pathlib.Path(__file__).resolve().parent


def png(pixels):
    """An 8-bit greyscale PNG of a 2-D uint8 array."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    h, w = pixels.shape
    rows = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def main():
    images = np.frombuffer(gzip.open(ROOT / "lessons/data/t10k-images-idx3-ubyte.gz").read(), np.uint8, offset=16)
    labels = np.frombuffer(gzip.open(ROOT / "lessons/data/t10k-labels-idx1-ubyte.gz").read(), np.uint8, offset=8)
    images = images.reshape(-1, 28, 28)
    for digit in (3, 7):
        index = int(np.flatnonzero(labels == digit)[0])
        (HERE / f"digit-{digit}.png").write_bytes(png(images[index]))
        print(f"digit-{digit}.png: test image #{index}")


if __name__ == "__main__":
    main()
