#!/usr/bin/env python3
"""The character-level recurrent model of `learn bench` (SequenceBenchmark) in Keras,
timed the same way, then `learn bench --only sequences --json` in the same run, and
the ratios side by side:

    pip install tensorflow-cpu
    python3 Sources/Benchmarks/keras/recurrent_bench.py [--learn .build/release/learn]

Model: Embedding(64, 32) -> LSTM(128) or GRU(128) with return_sequences -> Dense(64),
sequences of 64 tokens, batch 32, Adam, sparse cross-entropy from logits. A figure is
tokens per second of the best of ROUNDS rounds of STEPS steps, after a warm-up.
"""
import argparse
import json
import os
import subprocess

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from timing import best_step_seconds  # noqa: E402  (beside this script)

VOCABULARY, TIME, BATCH, ROUNDS, STEPS = 64, 64, 32, 10, 4


def model(cell):
    layer = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    m = keras.Sequential([keras.Input((TIME,), dtype="int32"), keras.layers.Embedding(VOCABULARY, 32),
                          layer(128, return_sequences=True), keras.layers.Dense(VOCABULARY)])
    m.compile(optimizer=keras.optimizers.Adam(),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return m


def best(step):
    return BATCH * TIME / best_step_seconds(step, ROUNDS, STEPS, 3)


def keras_figures():
    rng = np.random.default_rng(2)
    ids = rng.integers(0, VOCABULARY, size=(BATCH, TIME + 1)).astype(np.int32)
    x, y = ids[:, :TIME], ids[:, 1:]
    figures = {}
    for cell in ["lstm", "gru"]:
        m = model(cell)
        figures[f"{cell}_train_tokens_per_s"] = best(lambda: m.train_on_batch(x, y))
        predict = m.make_predict_function()
        figures[f"{cell}_infer_tokens_per_s"] = best(lambda: m.predict_on_batch(x))
        del predict
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learn", default=".build/release/learn", help="the learn binary to compare with")
    args = parser.parse_args()
    theirs = keras_figures()
    ours = json.loads(subprocess.run([args.learn, "bench", "--only", "sequences", "--json"], check=True,
                                     capture_output=True, text=True).stdout)
    print(f"{'figure':32} {'keras':>10} {'learn':>10} {'ratio':>7}   (Keras {keras.__version__})")
    for name, value in theirs.items():
        print(f"{name:32} {value:10.0f} {ours[name]:10.0f} {ours[name] / value:7.2f}")


if __name__ == "__main__":
    main()
