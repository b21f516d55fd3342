#!/usr/bin/env python3
"""Reference outputs and gradients of Keras's MultiHeadAttention, LayerNormalization,
GELU and a pre-LayerNorm Transformer block on fixed weights and inputs, written to
keras-attention.safetensors beside this script. AttentionReferenceTests compares
learn's layers with them tensor by tensor, so CI checks against Keras without
TensorFlow; a developer re-runs this script (pip install tensorflow-cpu safetensors)
when a layer's definition changes:

    python3 Tests/NeuralNetTests/keras/make_attention_reference.py

Each case's loss is L = sum(r * y) with a fixed r, so dL/dy = r; the file holds x, the
mask, the weights under their learn names, r, y, the attention weights and dL/dx and
dL/dθ for every weight ("d" + name), under "<case>/<name>".
"""
import os
import pathlib

# Plain TensorFlow kernels (oneDNN's reorder sums), and quiet.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from safetensors.numpy import save_file  # noqa: E402

BATCH, TIME, D, HEADS, KEY, FF = 3, 5, 8, 2, 4, 16
rng = np.random.default_rng(20261205)
tensors, out = {}, pathlib.Path(__file__).with_name("keras-attention.safetensors")

x = rng.normal(size=(BATCH, TIME, D)).astype(np.float32)
# Sequence 1 ends after three steps; sequence 2 starts with a padded step.
mask = np.ones((BATCH, TIME), dtype=np.float32)
mask[1, 3:] = 0
mask[2, 0] = 0
tensors["x"], tensors["mask"] = x, mask


def normal(*shape, scale=0.5):
    return (rng.normal(size=shape) * scale).astype(np.float32)


def attention_mask(causal, masked):
    """Keras's merged mask [B, T, S]: query real, key real, and key <= query when causal."""
    m = np.ones((BATCH, TIME, TIME), dtype=bool)
    if masked:
        real = mask.astype(bool)
        m &= real[:, :, None] & real[:, None, :]
    if causal:
        m &= np.tril(np.ones((TIME, TIME), dtype=bool))[None]
    return tf.constant(m)


def mha_weights():
    w = {}
    for part in ["query", "key", "value"]:
        w[f"{part}.kernel"], w[f"{part}.bias"] = normal(D, HEADS, KEY), normal(HEADS, KEY)
    w["output.kernel"], w["output.bias"] = normal(HEADS, KEY, D), normal(D)
    return w


MHA_ORDER = ["query.kernel", "query.bias", "key.kernel", "key.bias", "value.kernel", "value.bias",
             "output.kernel", "output.bias"]


def make_mha(weights):
    layer = keras.layers.MultiHeadAttention(num_heads=HEADS, key_dim=KEY)
    layer.build(query_shape=(BATCH, TIME, D), value_shape=(BATCH, TIME, D))
    layer.set_weights([weights[n] for n in MHA_ORDER])
    return layer


# MultiHeadAttention, with and without each mask.
weights = mha_weights()
for n, w in weights.items():
    tensors[f"mha/{n}"] = w
for causal in [False, True]:
    for masked in [False, True]:
        name = f"mha/{'causal' if causal else 'full'}/{'masked' if masked else 'unmasked'}"
        layer = make_mha(weights)
        xv = tf.Variable(x)
        with tf.GradientTape() as tape:
            y, scores = layer(xv, xv, attention_mask=attention_mask(causal, masked), return_attention_scores=True)
            r = tf.constant(rng.normal(size=y.shape).astype(np.float32))
            loss = tf.reduce_sum(r * y)
        grads = tape.gradient(loss, [xv] + layer.trainable_weights)
        tensors[f"{name}/r"], tensors[f"{name}/y"], tensors[f"{name}/weights"] = r.numpy(), y.numpy(), scores.numpy()
        tensors[f"{name}/dx"] = grads[0].numpy()
        for n, g in zip(MHA_ORDER, grads[1:]):
            tensors[f"{name}/d{n}"] = g.numpy()

# LayerNormalization with Keras's defaults (epsilon 1e-3).
norm = keras.layers.LayerNormalization()
norm.build((BATCH, TIME, D))
gamma, beta = 1 + normal(D), normal(D)
norm.set_weights([gamma, beta])
xv = tf.Variable(x * 3 + 1)
with tf.GradientTape() as tape:
    y = norm(xv)
    r = tf.constant(rng.normal(size=y.shape).astype(np.float32))
    loss = tf.reduce_sum(r * y)
dx, dgamma, dbeta = tape.gradient(loss, [xv, norm.gamma, norm.beta])
tensors.update({"ln/x": xv.numpy(), "ln/gamma": gamma, "ln/beta": beta, "ln/r": r.numpy(), "ln/y": y.numpy(),
                "ln/dx": dx.numpy(), "ln/dgamma": dgamma.numpy(), "ln/dbeta": dbeta.numpy()})

# GELU, Keras's default exact form.
g = tf.Variable(np.linspace(-6, 6, 97).astype(np.float32))
with tf.GradientTape() as tape:
    y = keras.activations.gelu(g)
    loss = tf.reduce_sum(y)
tensors.update({"gelu/x": g.numpy(), "gelu/y": y.numpy(), "gelu/dx": tape.gradient(loss, g).numpy()})

# A pre-LayerNorm block with a causal and padding mask:
# h = x + MHA(LN1(x)),  y = h + Dense_D(Dense_FF(LN2(h), gelu)).
ln1, ln2 = keras.layers.LayerNormalization(), keras.layers.LayerNormalization()
ln1.build((BATCH, TIME, D)); ln2.build((BATCH, TIME, D))
block = {"ln1.gamma": 1 + normal(D), "ln1.beta": normal(D), "ln2.gamma": 1 + normal(D), "ln2.beta": normal(D),
         "ff1.weight": normal(D, FF), "ff1.bias": normal(FF), "ff2.weight": normal(FF, D), "ff2.bias": normal(D)}
attn_weights = mha_weights()
ln1.set_weights([block["ln1.gamma"], block["ln1.beta"]])
ln2.set_weights([block["ln2.gamma"], block["ln2.beta"]])
mha = make_mha(attn_weights)
ff1, ff2 = keras.layers.Dense(FF, activation="gelu"), keras.layers.Dense(D)
ff1.build((BATCH, TIME, D)); ff2.build((BATCH, TIME, FF))
ff1.set_weights([block["ff1.weight"], block["ff1.bias"]])
ff2.set_weights([block["ff2.weight"], block["ff2.bias"]])
xv = tf.Variable(x)
with tf.GradientTape() as tape:
    a = ln1(xv)
    # return_attention_scores takes Keras's explicit masked-softmax path, as in the cases
    # above: its fused path gives a query with no allowed key (padding) uniform weights,
    # the explicit one zeros (learn's choice).
    attended, _ = mha(a, a, attention_mask=attention_mask(True, True), return_attention_scores=True)
    h = xv + attended
    y = h + ff2(ff1(ln2(h)))
    r = tf.constant(rng.normal(size=y.shape).astype(np.float32))
    loss = tf.reduce_sum(r * y)
variables = {"ln1.gamma": ln1.gamma, "ln1.beta": ln1.beta, "ln2.gamma": ln2.gamma, "ln2.beta": ln2.beta,
             "ff1.weight": ff1.kernel, "ff1.bias": ff1.bias, "ff2.weight": ff2.kernel, "ff2.bias": ff2.bias}
variables.update({f"attn.{n}": v for n, v in zip(MHA_ORDER, mha.trainable_weights)})
grads = tape.gradient(loss, [xv] + list(variables.values()))
for n, w in list(block.items()) + [(f"attn.{n}", w) for n, w in attn_weights.items()]:
    tensors[f"block/{n}"] = w
tensors.update({"block/r": r.numpy(), "block/y": y.numpy(), "block/dx": grads[0].numpy()})
for n, gv in zip(variables, grads[1:]):
    tensors[f"block/d{n}"] = tf.convert_to_tensor(gv).numpy()

save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(out),
          metadata={"tensorflow": tf.__version__, "keras": keras.__version__})
print(f"wrote {out} ({len(tensors)} tensors) with TensorFlow {tf.__version__}, Keras {keras.__version__}")
