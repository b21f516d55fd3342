#!/usr/bin/env python3
"""Reference outputs, final states and gradients of Keras's SimpleRNN, LSTM and GRU
(and of the masked per-step sparse cross-entropy) on fixed weights and inputs, written
to keras-recurrent.safetensors beside this script. RecurrentReferenceTests compares
learn's layers with them tensor by tensor, so CI checks against Keras without
TensorFlow; a developer re-runs this script (pip install tensorflow-cpu safetensors)
when a layer's definition changes:

    python3 Tests/NeuralNetTests/keras/make_recurrent_reference.py

For each case the loss is L = sum(r * y) with a fixed r, so dL/dy = r; the file holds
x, mask, the weights, r, y, the final states and dL/dx, dL/dkernel, dL/drecurrent_kernel
and dL/dbias, under "<case>/<name>".
"""
import pathlib

import numpy as np
import tensorflow as tf
import keras
from keras.src import backend
from safetensors.numpy import save_file

BATCH, TIME, FEATURES, UNITS = 3, 5, 4, 6
rng = np.random.default_rng(20261204)
tensors, out = {}, pathlib.Path(__file__).with_name("keras-recurrent.safetensors")

x = rng.normal(size=(BATCH, TIME, FEATURES)).astype(np.float32)
# Sequence 1 ends after three steps (right padding, as learn's text batches are padded).
mask = np.ones((BATCH, TIME), dtype=np.float32)
mask[1, 3:] = 0


def weights(gates, bias_shape):
    kernel = (rng.normal(size=(FEATURES, gates * UNITS)) * 0.5).astype(np.float32)
    recurrent = (rng.normal(size=(UNITS, gates * UNITS)) * 0.5).astype(np.float32)
    bias = (rng.normal(size=bias_shape) * 0.5).astype(np.float32)
    return kernel, recurrent, bias


for kind, gates in [("SimpleRNN", 1), ("LSTM", 4), ("GRU", 3)]:
    bias_shape = (2, 3 * UNITS) if kind == "GRU" else (gates * UNITS,)
    kernel, recurrent, bias = weights(gates, bias_shape)
    for sequences in [False, True]:
        for masked in [False, True]:
            name = f"{kind}/{'sequences' if sequences else 'last'}/{'masked' if masked else 'full'}"
            layer = getattr(keras.layers, kind)(UNITS, return_sequences=sequences, return_state=True)
            layer.build((BATCH, TIME, FEATURES))
            layer.set_weights([kernel, recurrent, bias])
            xv = tf.Variable(x)
            with tf.GradientTape() as tape:
                results = layer(xv, mask=tf.constant(mask.astype(bool)) if masked else None)
                y = results[0]
                r = tf.constant(rng.normal(size=y.shape).astype(np.float32))
                loss = tf.reduce_sum(r * y)
            grads = tape.gradient(loss, [xv] + layer.trainable_weights)
            tensors[f"{name}/r"] = r.numpy()
            tensors[f"{name}/y"] = y.numpy()
            tensors[f"{name}/final_h"] = results[1].numpy()
            if kind == "LSTM":
                tensors[f"{name}/final_c"] = results[2].numpy()
            for label, g in zip(["dx", "dkernel", "drecurrent_kernel", "dbias"], grads):
                tensors[f"{name}/{label}"] = tf.convert_to_tensor(g).numpy()
    tensors[f"{kind}/kernel"], tensors[f"{kind}/recurrent_kernel"], tensors[f"{kind}/bias"] = kernel, recurrent, bias

# The masked per-step loss: logits [B, T, C] carrying the mask that an
# Embedding(mask_zero=True) attaches to a model's output, labels [B, T]. Keras then
# averages over the real steps only (Loss.__call__ → apply_mask).
logits = rng.normal(size=(BATCH, TIME, 7)).astype(np.float32)
labels = rng.integers(0, 7, size=(BATCH, TIME)).astype(np.int32)
lv = tf.Variable(logits)
with tf.GradientTape() as tape:
    y_pred = tf.identity(lv)
    backend.set_keras_mask(y_pred, tf.constant(mask.astype(bool)))
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, y_pred)
tensors["loss/logits"], tensors["loss/labels"] = logits, labels
tensors["loss/value"] = np.array(loss.numpy(), dtype=np.float32).reshape(1)
tensors["loss/dlogits"] = tape.gradient(loss, lv).numpy()
tensors["x"], tensors["mask"] = x, mask
save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(out),
          metadata={"tensorflow": tf.__version__, "keras": keras.__version__})
print(f"wrote {out} ({len(tensors)} tensors) with TensorFlow {tf.__version__}, Keras {keras.__version__}")
