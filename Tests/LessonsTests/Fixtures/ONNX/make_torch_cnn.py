"""Makes torch-cnn.onnx: a small CNN trained with PyTorch on learn's bundled MNIST
subset and written by torch.onnx.export, the fixture of `learn inspect` (NCHW, Gemm).

    python3 Tests/LessonsTests/Fixtures/ONNX/make_torch_cnn.py   # from the repository root

Made with torch 2.15.0 (CPU) from PyPI, onnx 1.23.2; seed 0, two epochs (about 10 s).
"""
import gzip
import pathlib

import numpy as np
import torch
from torch import nn

ROOT = pathlib.Path(__file__).resolve().parents[4]
HERE = pathlib.Path(__file__).resolve().parent


def idx(name, offset):
    return np.frombuffer(gzip.open(ROOT / "lessons/data" / name).read(), np.uint8, offset=offset)


def main():
    torch.manual_seed(0)
    x = torch.tensor(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28) / 255.0, dtype=torch.float32)
    y = torch.tensor(idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 32), nn.ReLU(), nn.Dropout(0.25), nn.Linear(32, 10), nn.Softmax(dim=1))
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for epoch in range(2):
        order = torch.randperm(len(x))
        for i in range(0, len(x), 64):
            batch = order[i:i + 64]
            loss = nn.functional.nll_loss(torch.log(model(x[batch]) + 1e-9), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}")
    model.eval()
    test_x = torch.tensor(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28) / 255.0, dtype=torch.float32)
    test_y = idx("t10k-labels-idx1-ubyte.gz", 8)
    accuracy = (model(test_x).argmax(1).numpy() == test_y).mean()
    print(f"test accuracy {accuracy:.3f}")
    torch.onnx.export(model, (x[:1],), HERE / "torch-cnn.onnx", input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "N"}, "probabilities": {0: "N"}}, opset_version=17, dynamo=False)


if __name__ == "__main__":
    main()
