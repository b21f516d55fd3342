#!/usr/bin/env python3
"""The small decoder-only Transformer of `learn bench` (TransformerBenchmark) in Keras,
timed the same way, then `learn bench --only transformer --json` in the same run, and
the ratios side by side:

    pip install tensorflow-cpu
    python3 Sources/Benchmarks/keras/transformer_bench.py [--learn .build/release/learn]

Model: Embedding(64, 64) + learned positions (64 x 64) -> 2 pre-LayerNorm blocks
(MultiHeadAttention with 4 heads of 16 and a causal mask, GELU feed-forward of 256)
-> LayerNormalization -> Dense(64), sequences of 64 tokens, batch 32, Adam, sparse
cross-entropy from logits. A figure is tokens per second of the best of ROUNDS rounds
of STEPS steps, after a warm-up.
"""
import argparse
import json
import os
import subprocess

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from timing import best_step_seconds  # noqa: E402  (beside this script)

VOCABULARY, TIME, BATCH, MODEL, HEADS, BLOCKS, FF, ROUNDS, STEPS = 64, 64, 32, 64, 4, 2, 256, 10, 4


class Positions(keras.layers.Layer):
    """x + P[t] with a learned P (keras_hub's PositionEmbedding, added)."""

    def build(self, input_shape):
        self.embeddings = self.add_weight(shape=(input_shape[1], input_shape[2]), initializer="glorot_uniform")

    def call(self, x):
        return x + self.embeddings[None]


def model():
    tokens = keras.Input((TIME,), dtype="int32")
    x = Positions()(keras.layers.Embedding(VOCABULARY, MODEL)(tokens))
    for _ in range(BLOCKS):
        a = keras.layers.LayerNormalization()(x)
        x = x + keras.layers.MultiHeadAttention(HEADS, MODEL // HEADS)(a, a, use_causal_mask=True)
        f = keras.layers.LayerNormalization()(x)
        x = x + keras.layers.Dense(MODEL)(keras.layers.Dense(FF, activation="gelu")(f))
    logits = keras.layers.Dense(VOCABULARY)(keras.layers.LayerNormalization()(x))
    m = keras.Model(tokens, logits)
    m.compile(optimizer=keras.optimizers.Adam(),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return m


def best(step):
    return BATCH * TIME / best_step_seconds(step, ROUNDS, STEPS, 3)


def keras_figures():
    rng = np.random.default_rng(2)
    ids = rng.integers(0, VOCABULARY, size=(BATCH, TIME + 1)).astype(np.int32)
    x, y = ids[:, :TIME], ids[:, 1:]
    m = model()
    return {"transformer_train_tokens_per_s": best(lambda: m.train_on_batch(x, y)),
            "transformer_infer_tokens_per_s": best(lambda: m.predict_on_batch(x))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learn", default=".build/release/learn", help="the learn binary to compare with")
    args = parser.parse_args()
    theirs = keras_figures()
    ours = json.loads(subprocess.run([args.learn, "bench", "--only", "transformer", "--json"], check=True,
                                     capture_output=True, text=True).stdout)
    print(f"{'figure':32} {'keras':>10} {'learn':>10} {'ratio':>7}   (Keras {keras.__version__})")
    for name, value in theirs.items():
        print(f"{name:32} {value:10.0f} {ours[name]:10.0f} {ours[name] / value:7.2f}")


if __name__ == "__main__":
    main()
