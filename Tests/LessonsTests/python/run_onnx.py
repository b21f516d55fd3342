"""Runs an ONNX model with onnxruntime on float32 inputs from a raw file.

    python3 run_onnx.py MODEL.onnx INPUT.f32 N,D1,D2,... OUTPUT.f32

INPUT.f32 holds N·D1·D2·… little-endian float32 values (row-major); the model's
first output is written to OUTPUT.f32 the same way. Used by ONNXExportTests to
compare onnxruntime with `learn predict`; needs `pip install onnxruntime numpy`.
"""
import sys

import numpy as np
import onnxruntime as ort


def main(model, inputs, shape, outputs):
    x = np.fromfile(inputs, dtype="<f4").reshape([int(d) for d in shape.split(",")])
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    y = session.run(None, {session.get_inputs()[0].name: x})[0]
    np.asarray(y, dtype="<f4").tofile(outputs)


if __name__ == "__main__":
    main(*sys.argv[1:])
