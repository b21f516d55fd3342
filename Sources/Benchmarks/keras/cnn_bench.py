#!/usr/bin/env python3
"""The network of `learn bench` (lesson cnn-mnist, EngineBenchmark) in Keras and, where
it is installed, PyTorch, timed the same way, then `learn bench --only train` and
`--only infer` in the same run, and the ratios side by side:

    pip install tensorflow-cpu        # PyTorch is timed too when `import torch` works
    python3 Sources/Benchmarks/keras/cnn_bench.py [--learn .build/release/learn] [--threads N]

Model (the Keras MNIST example, channels-last): Conv2D(32, 3, relu) -> MaxPool(2) ->
Conv2D(64, 3, relu) -> MaxPool(2) -> Conv2D(64, 3, relu) -> Flatten -> Dense(64, relu)
-> Dense(10); 93 322 parameters. Training: batch 64, Adam, softmax cross-entropy from
logits, on synthetic 28x28x1 inputs in [0, 1). Inference: batch 256. A figure is
samples per second of the best of ROUNDS rounds of STEPS steps after a warm-up, as
`learn bench` reports its own (best round), so a ratio compares like with like.
--threads sets every framework's thread count (default: all cores, as learn's).
"""
import argparse
import json
import os
import subprocess

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
from timing import best_step_seconds  # noqa: E402  (beside this script)

TRAIN_BATCH, INFER_BATCH, ROUNDS, STEPS, WARMUP = 64, 256, 30, 8, 10


def best(step, batch):
    return batch / best_step_seconds(step, ROUNDS, STEPS, WARMUP)


def data(count):
    rng = np.random.default_rng(1)
    x = rng.random((count, 28, 28, 1), dtype=np.float32)
    return x, (np.arange(count) % 10).astype(np.int64)


def keras_figures(threads):
    import tensorflow as tf
    import keras
    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    layers = keras.layers
    m = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(10),
    ])
    m.compile(optimizer=keras.optimizers.Adam(),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x, y = data(INFER_BATCH)
    return f"Keras {keras.__version__}", {
        "train_samples_per_s": best(lambda: m.train_on_batch(x[:TRAIN_BATCH], y[:TRAIN_BATCH]), TRAIN_BATCH),
        "infer_samples_per_s": best(lambda: m.predict_on_batch(x), INFER_BATCH),
    }


def torch_figures(threads):
    import torch
    from torch import nn
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(1)
    m = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
        nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10),
    ).to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(m.parameters(), lr=1e-3)
    loss = nn.CrossEntropyLoss()
    x, y = data(INFER_BATCH)
    # NHWC data seen as NCHW in channels-last memory: the same bytes Keras and learn read.
    x = torch.from_numpy(x).permute(0, 3, 1, 2)
    y = torch.from_numpy(y)

    def train():
        optimizer.zero_grad(set_to_none=True)
        loss(m(x[:TRAIN_BATCH]), y[:TRAIN_BATCH]).backward()
        optimizer.step()

    def infer():
        with torch.inference_mode():
            m(x)

    return f"PyTorch {torch.__version__}", {
        "train_samples_per_s": best(train, TRAIN_BATCH),
        "infer_samples_per_s": best(infer, INFER_BATCH),
    }


def learn_figures(binary, threads):
    figures = {}
    for only in ("train", "infer"):
        command = [binary, "bench", "--only", only, "--json"] + (["--threads", str(threads)] if threads else [])
        figures.update(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))
    return figures


def framework_figures(framework, threads):
    """One framework's figures from a process of its own: TensorFlow and PyTorch bring
    LLVMs that cannot live in one process. None when the framework is not installed."""
    command = ["python3", __file__, "--framework", framework, "--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode == 3:
        return None
    if done.returncode != 0:
        raise SystemExit(f"error: timing {framework} failed:\n{done.stderr[-2000:]}")
    name, figures = json.loads(done.stdout.strip().splitlines()[-1])
    return name, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learn", default=".build/release/learn", help="the learn binary to compare with")
    parser.add_argument("--threads", type=int, default=0, help="threads for every framework (0: all cores)")
    parser.add_argument("--framework", choices=["keras", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.framework:
        try:
            timed = (keras_figures if args.framework == "keras" else torch_figures)(args.threads)
        except ImportError:
            raise SystemExit(3)
        return print(json.dumps(timed))
    frameworks = []
    for framework in ("keras", "torch"):
        timed = framework_figures(framework, args.threads)
        if timed is None:
            print(f"{framework} is not installed; skipped")
        else:
            frameworks.append(timed)
    ours = learn_figures(args.learn, args.threads)
    for name, theirs in frameworks:
        print(f"{'figure':24} {name:>16} {'learn':>10} {'ratio':>7}")
        for figure, value in theirs.items():
            print(f"{figure:24} {value:16.0f} {ours[figure]:10.0f} {ours[figure] / value:7.2f}")


if __name__ == "__main__":
    main()
