"""Draws the colour-shapes dataset: shapes/{circle,cross,square,triangle}/NNN.png.

Each picture is 32 × 32 RGB: one shape of a random colour, size and place, turned by up
to 20° either way, on a background that runs smoothly between two other random colours,
with a few specks.
The colours say nothing about the class (shape and background colours are drawn the same
way for every class), so a network that reads the shape must learn to ignore colour.
The shape keeps a minimum contrast with the background under it, so that every picture
shows its shape; sizes are chosen so that the four shapes cover about the same area.

Python standard library only (zlib, struct, random, math); seeded, so every run writes
the same bytes:

    python3 lessons/colour-shapes/make_shapes.py            # 400 per class, in shapes/
    python3 lessons/colour-shapes/make_shapes.py --count 20 --seed 9 --out /tmp/more

`draw(rng)` returns one picture as rows of (r, g, b) tuples, for other scripts (the
3-channel ONNX fixture of `learn inspect` trains on fresh pictures drawn with it).
"""
import argparse
import math
import os
import random
import struct
import zlib

SIZE = 32
CLASSES = ["circle", "cross", "square", "triangle"]
SUBSAMPLES = 3  # 3 × 3 samples per pixel: antialiased edges
MAX_TURN = 20  # degrees either way: a square stays a square (not a diamond), a cross a plus


def png_bytes(rows):
    """An 8-bit RGB PNG; each row filtered with None, Sub or Up, whichever sums smallest."""
    width = len(rows[0])
    previous = bytes(3 * width)
    raw = bytearray()
    for row in rows:
        line = bytes(v for pixel in row for v in pixel)
        candidates = [
            (0, line),
            (1, bytes((line[i] - (line[i - 3] if i >= 3 else 0)) & 0xFF for i in range(len(line)))),
            (2, bytes((line[i] - previous[i]) & 0xFF for i in range(len(line)))),
        ]
        kind, data = min(candidates, key=lambda c: sum(min(b, 256 - b) for b in c[1]))
        raw += bytes([kind]) + data
        previous = line

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")


def random_colour(rng):
    return tuple(rng.randint(0, 255) for _ in range(3))


def distance(a, b):
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def outline(shape, r):
    """A test of whether a point (u, v), in the shape's own unrotated frame, lies inside it."""
    if shape == "circle":
        return lambda u, v: u * u + v * v <= r * r
    if shape == "square":  # half-side 0.886 r: the area of a circle of radius r
        a = 0.886 * r
        return lambda u, v: abs(u) <= a and abs(v) <= a
    if shape == "cross":  # arms 1.25 r long, 0.45 r wide: about the circle's area
        a, w = 1.25 * r, 0.45 * r
        return lambda u, v: (abs(u) <= a and abs(v) <= w) or (abs(v) <= a and abs(u) <= w)
    # Equilateral triangle of circumradius 1.4 r (area ≈ 0.8 of the circle's), pointing up.
    R = 1.4 * r
    corners = [(R * math.cos(t), -R * math.sin(t)) for t in (math.pi / 2, math.pi / 2 + 2 * math.pi / 3, math.pi / 2 + 4 * math.pi / 3)]
    sides = [(ax, ay, bx - ax, by - ay) for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1])]
    return lambda u, v: all(dx * (v - ay) - dy * (u - ax) <= 0 for ax, ay, dx, dy in sides)


def draw(rng, shape=None):
    """One picture (rows of (r, g, b)) and its class name."""
    shape = shape or rng.choice(CLASSES)
    start, end = random_colour(rng), random_colour(rng)
    angle = rng.uniform(0, 2 * math.pi)  # direction of the background's gradient
    gx, gy = math.cos(angle), math.sin(angle)
    r = rng.uniform(5.0, 8.5)
    reach = 1.4 * r if shape == "triangle" else 1.25 * r if shape == "cross" else 1.26 * r
    cx, cy = rng.uniform(reach, SIZE - reach), rng.uniform(reach, SIZE - reach)
    turn = math.radians(rng.uniform(-MAX_TURN, MAX_TURN))
    cos_t, sin_t = math.cos(turn), math.sin(turn)
    inside = outline(shape, r)

    def background(x, y):
        t = min(1.0, max(0.0, 0.5 + ((x - SIZE / 2) * gx + (y - SIZE / 2) * gy) / SIZE))
        return tuple(a + (b - a) * t for a, b in zip(start, end))

    middle = background(cx, cy)
    ink = random_colour(rng)
    while distance(ink, middle) < 150 or distance(ink, start) < 90 or distance(ink, end) < 90:
        ink = random_colour(rng)
    specks = {(rng.randrange(SIZE), rng.randrange(SIZE)): random_colour(rng) for _ in range(rng.randint(3, 8))}
    rows = []
    for y in range(SIZE):
        row = []
        for x in range(SIZE):
            base = background(x + 0.5, y + 0.5)
            if (x, y) in specks:  # a speck: 40 % of the way to a random colour
                base = tuple(b + (s - b) * 0.4 for b, s in zip(base, specks[(x, y)]))
            hits = 0
            for i in range(SUBSAMPLES):
                for j in range(SUBSAMPLES):
                    dx, dy = x + (i + 0.5) / SUBSAMPLES - cx, y + (j + 0.5) / SUBSAMPLES - cy
                    hits += inside(cos_t * dx + sin_t * dy, -sin_t * dx + cos_t * dy)
            cover = hits / SUBSAMPLES ** 2
            row.append(tuple(int(round(b + (k - b) * cover)) for b, k in zip(base, ink)))
        rows.append(row)
    return rows, shape


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400, help="pictures per class")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default=os.path.join(here, "shapes"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    total = 0
    for name in CLASSES:
        os.makedirs(os.path.join(args.out, name), exist_ok=True)
    for i in range(args.count):
        for name in CLASSES:  # classes take turns, so the random stream does not favour one
            rows, _ = draw(rng, name)
            data = png_bytes(rows)
            total += len(data)
            with open(os.path.join(args.out, name, f"{i:03d}.png"), "wb") as f:
                f.write(data)
    print(f"{args.count * len(CLASSES)} pictures, {total / 1e6:.2f} MB of PNG in {args.out}")


if __name__ == "__main__":
    main()
