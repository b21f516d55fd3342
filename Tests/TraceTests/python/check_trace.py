"""Checks a `learn` trace folder with Python's own readers, none of our code.

    pip install safetensors numpy
    python3 Tests/TraceTests/python/check_trace.py path/to/trace

Every full tensor must load with safetensors.numpy.load_file, have the shape and
CRC-32 (zlib.crc32) the manifest records; every statistics row of a step that
also has the full tensor must match NumPy's mean/std/min/max/L2/histogram; the
committed part of scalars.csv must load with numpy. Exits non-zero on a mismatch.
"""
import io
import json
import os
import sys
import zlib

import numpy as np
from safetensors.numpy import load_file


def check(trace):
    manifest = json.load(open(os.path.join(trace, "manifest.json")))
    files = {}

    def load(name):
        if name not in files:
            files[name] = load_file(os.path.join(trace, name))
        return files[name]

    full = {}
    for entry in manifest["tensors"]:
        array = load(entry["file"])[entry["key"]]
        assert array.dtype == np.float32, entry
        assert list(array.shape) == entry["shape"], entry
        assert zlib.crc32(array.tobytes()) == entry["crc32"], entry
        full[(entry["kind"], entry["name"], entry["step"])] = array

    parameters = {p["name"] for layer in manifest["run"]["model"]["layers"] for p in layer.get("parameters", [])}
    bins = manifest["statistics"]["bins"]
    columns = manifest["statistics"]["moments"]
    compared = 0
    for chunk in manifest["statistics"]["chunks"]:
        tensors = load(chunk["file"])
        for series in chunk["series"]:
            key = series["kind"] + "/" + series["name"]
            steps, moments = tensors[key + "/steps"], tensors[key + "/moments"]
            histogram = tensors[key + "/histogram"]
            assert moments.shape == (series["rows"], len(columns)) and histogram.shape == (series["rows"], bins)
            for row, step in enumerate(steps):
                array = full.get((series["kind"], series["name"], int(step)))
                if array is None:
                    continue
                x = array.astype(np.float64).ravel()
                got = dict(zip(columns, moments[row]))
                expected = dict(count=x.size, mean=x.mean(), std=x.std(), min=x.min(), max=x.max(),
                                l2=np.sqrt((x * x).sum()), nonfinite=0)
                for name, value in expected.items():
                    assert np.isclose(got[name], value, rtol=1e-5, atol=1e-6), (key, step, name, got[name], value)
                # Tensors over the sample bin every k-th run of 256 adjacent elements,
                # k = ceil(n / sample): 16384 for parameters (values, gradients, updates) and
                # inputs, 4096 for layer outputs and their gradients, states, attention.
                whole = series["kind"] in ("weight", "update", "input") or (
                    series["kind"] == "gradient" and series["name"] in parameters)
                step = -(-x.size // (16384 if whole else 4096))
                sample = x[(np.arange(x.size) // 256) % step == 0]
                if x.max() > x.min():
                    counts, _ = np.histogram(sample, bins=bins, range=(x.min(), x.max()))
                else:  # a constant tensor: everything in bin 0
                    counts = np.zeros(bins, dtype=np.int64)
                    counts[0] = sample.size
                # Float32 (ours) and float64 (NumPy) bin edges may disagree for values on an edge.
                assert np.abs(counts - histogram[row]).sum() <= 2 + sample.size // 1000, (key, step, counts, histogram[row])
                compared += 1

    committed = open(os.path.join(trace, manifest["scalars"]["file"]), "rb").read()[: manifest["scalars"]["bytes"]]
    scalars = np.genfromtxt(io.BytesIO(committed), delimiter=",", names=True, ndmin=1)
    assert len(scalars) == manifest["scalars"]["rows"], (len(scalars), manifest["scalars"]["rows"])

    print(f"ok: {len(manifest['tensors'])} tensors, {compared} statistics rows checked against NumPy, "
          f"{len(scalars)} scalar rows, finished={manifest['finished']}")


if __name__ == "__main__":
    check(sys.argv[1])
