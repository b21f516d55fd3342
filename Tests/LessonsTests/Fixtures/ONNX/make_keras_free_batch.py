"""Makes keras-free-batch.onnx: a small Keras CNN converted by tf2onnx with a free
batch size (input [None, 28, 28, 1], NHWC). With the batch left open tf2onnx cannot
make Flatten's target shape a constant: it computes it at run time from the input
(Shape, Slice, Concat, Cast, ... nodes before the Reshape), which `learn inspect`
folds to a constant for the batch it runs with.

    python3 Tests/LessonsTests/Fixtures/ONNX/make_keras_free_batch.py   # from the repository root

Made with tensorflow-cpu 2.21.0, keras 3.15.1, tf2onnx 1.17.0, onnx 1.23.2 from PyPI;
seed 0, one epoch.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402
from make_keras_cnn import export, train_on_mnist  # noqa: E402  (beside this script)


def main():
    tf.keras.utils.set_random_seed(0)
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1), name="image"),
        layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(10, activation="softmax")])
    train_on_mnist(model, epochs=1)
    export(model, (None, 28, 28, 1), "keras-free-batch.onnx", nchw=False)   # None: the free batch


if __name__ == "__main__":
    main()
