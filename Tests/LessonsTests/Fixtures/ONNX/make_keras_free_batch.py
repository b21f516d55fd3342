"""Makes keras-free-batch.onnx: a small Keras CNN converted by tf2onnx with a free
batch size (input [None, 28, 28, 1], NHWC). With the batch left open tf2onnx cannot
make Flatten's target shape a constant: it computes it at run time from the input
(Shape, Slice, Concat, Cast, ... nodes before the Reshape), which `learn inspect`
folds to a constant for the batch it runs with.

    python3 Tests/LessonsTests/Fixtures/ONNX/make_keras_free_batch.py   # from the repository root

Made with tensorflow-cpu 2.21.0, keras 3.15.1, tf2onnx 1.17.0, onnx 1.23.2 from PyPI;
seed 0, one epoch.
"""
import gzip
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf2onnx  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[4]
HERE = pathlib.Path(__file__).resolve().parent


def idx(name, offset):
    return np.frombuffer(gzip.open(ROOT / "lessons/data" / name).read(), np.uint8, offset=offset)


def main():
    tf.keras.utils.set_random_seed(0)
    x = (idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28, 1) / 255.0).astype(np.float32)
    y = idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1), name="image"),
        layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile(optimizer=tf.keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=64, epochs=1, shuffle=True, verbose=2)
    test_x = (idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28, 1) / 255.0).astype(np.float32)
    test_y = idx("t10k-labels-idx1-ubyte.gz", 8)
    print("test accuracy", (model.predict(test_x, verbose=0).argmax(1) == test_y).mean())
    spec = (tf.TensorSpec((None, 28, 28, 1), tf.float32, name="image"),)   # None: the free batch
    model.output_names = ["probabilities"]
    tf2onnx.convert.from_keras(model, input_signature=spec, opset=17, output_path=str(HERE / "keras-free-batch.onnx"))


if __name__ == "__main__":
    main()
