"""Makes keras-colour-cnn.onnx and shape-*.png: a small CNN on 32 × 32 colour pictures,
trained with Keras (TensorFlow) and converted by tf2onnx, the 3-channel fixture of
`learn inspect` (NCHW input by tf2onnx's inputs_as_nchw; Dense becomes MatMul + Add).

It learns the four shapes of lessons/colour-shapes from 1600 fresh pictures drawn by that
lesson's make_shapes.py (seed 11, so none is a lesson picture), and writes two more
(seed 12) as the test images shape-0.png and shape-1.png.

    python3 Tests/LessonsTests/Fixtures/ONNX/make_keras_colour_cnn.py   # from the repository root

Made with tensorflow-cpu 2.21.0, keras 3.15.1, tf2onnx 1.17.0, onnx 1.23.2 from PyPI;
seed 0, fifteen epochs.
"""
import os
import pathlib
import random
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from make_keras_cnn import export  # noqa: E402  (beside this script)

ROOT = pathlib.Path(__file__).resolve().parents[4]
HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "lessons/colour-shapes"))
import make_shapes  # noqa: E402


def pictures(count, seed):
    rng = random.Random(seed)
    drawn = [make_shapes.draw(rng, make_shapes.CLASSES[i % 4]) for i in range(count)]
    x = np.array([rows for rows, _ in drawn], np.float32) / 255.0
    y = np.array([make_shapes.CLASSES.index(name) for _, name in drawn], np.int64)
    return x, y, [rows for rows, _ in drawn]


def main():
    tf.keras.utils.set_random_seed(0)
    x, y, _ = pictures(1600, 11)
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((32, 32, 3), name="image"),
        layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(32, activation="relu"),
        layers.Dense(4, activation="softmax")])
    model.compile(optimizer=tf.keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:1400], y[:1400], batch_size=32, epochs=15, shuffle=True, verbose=2)
    print("held-out accuracy", (model.predict(x[1400:], verbose=0).argmax(1) == y[1400:]).mean())
    # A batch of one, as in make_keras_cnn.py: Flatten's target shape is then a constant.
    export(model, (1, 32, 32, 3), "keras-colour-cnn.onnx", nchw=True)
    _, test_y, test_rows = pictures(2, 12)
    for i, rows in enumerate(test_rows):
        (HERE / f"shape-{i}.png").write_bytes(make_shapes.png_bytes(rows))
        print(f"shape-{i}.png: {make_shapes.CLASSES[test_y[i]]}")
    (HERE / "shapes.labels").write_text("\n".join(make_shapes.CLASSES) + "\n")


if __name__ == "__main__":
    main()
