"""Makes keras-cnn.onnx: a small CNN trained with Keras (TensorFlow) on learn's bundled
MNIST subset and converted by tf2onnx, the channels-last fixture of `learn inspect`
(NCHW input by tf2onnx's inputs_as_nchw, a Transpose back to NHWC before Flatten;
Dense becomes MatMul + Add).

    python3 Tests/LessonsTests/Fixtures/ONNX/make_keras_cnn.py   # from the repository root

Made with tensorflow-cpu 2.21.0, keras 3.15.1, tf2onnx 1.17.0, onnx 1.23.2 from PyPI;
seed 0, two epochs.
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


def mnist(split):
    """The bundled subset's `split` ("train" or "t10k") as NHWC floats in [0, 1] and labels."""
    x = (idx(f"{split}-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28, 1) / 255.0).astype(np.float32)
    return x, idx(f"{split}-labels-idx1-ubyte.gz", 8).astype(np.int64)


def train_on_mnist(model, epochs):
    """Adam 2e-3, batch 64 on the training digits; prints the test accuracy."""
    x, y = mnist("train")
    model.compile(optimizer=tf.keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=64, epochs=epochs, shuffle=True, verbose=2)
    test_x, test_y = mnist("t10k")
    print("test accuracy", (model.predict(test_x, verbose=0).argmax(1) == test_y).mean())


def export(model, input_shape, file, nchw):
    """tf2onnx, opset 17, input "image" of `input_shape` (None: a free batch), output
    "probabilities"; `nchw`: the graph takes NCHW images, as PyTorch models do, and tf2onnx
    transposes back to NHWC before the Flatten, so Dense keeps Keras's order."""
    spec = (tf.TensorSpec(input_shape, tf.float32, name="image"),)
    model.output_names = ["probabilities"]
    tf2onnx.convert.from_keras(model, input_signature=spec, opset=17, inputs_as_nchw=["image"] if nchw else None,
                               output_path=str(HERE / file))


def main():
    tf.keras.utils.set_random_seed(0)
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1), name="image"),
        layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(32, activation="tanh"), layers.Dropout(0.25),
        layers.Dense(10, activation="softmax")])
    train_on_mnist(model, epochs=2)
    # A batch of one: with a free batch size tf2onnx computes Flatten's target shape
    # at run time (Shape, Gather, Slice, Concat, Cast nodes); with a fixed one it is a
    # constant.
    export(model, (1, 28, 28, 1), "keras-cnn.onnx", nchw=True)


if __name__ == "__main__":
    main()
