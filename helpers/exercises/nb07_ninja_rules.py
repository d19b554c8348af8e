"""Notebook 07's tensor-by-tensor check: each tensor's local rule and the known slips, tensor by tensor.

LOCAL[name](up, c) computes a tensor from its upstream tensor `up` (UPSTREAM) and what
the forward pass left (`_Context`), so the report can say "right from your dL_dz2". SLIPS[name] lists
(the wrong rule, a short label, the hint) for the mistakes the check names. `helpers.exercises.nb07_ninja`
holds them too.
"""

import numpy as np

ORDER = ("dL_dp", "dL_dz2", "dL_dW2", "dL_db2", "dL_da1", "dL_dz1", "dL_dW1", "dL_db1")
# The tensor each one is computed from (its upstream gradient).
UPSTREAM = {"dL_dp": None, "dL_dz2": "dL_dp", "dL_dW2": "dL_dz2", "dL_db2": "dL_dz2", "dL_da1": "dL_dz2",
            "dL_dz1": "dL_da1", "dL_dW1": "dL_dz1", "dL_db1": "dL_dz1"}
# Each tensor's rule, as the notebook writes it: the "one thing to try" of a hint.
RULES = {
    "dL_dp": "∂L/∂p = −y / p / N: the mean's 1/N for every sample, and −1/p from −ln p",
    "dL_dz2": "∂L/∂z[2] = p ⊙ (g − Σₖ gₖ pₖ) row by row, with g = ∂L/∂p, which comes to (p − y) / N",
    "dL_dW2": "∂L/∂W[2] = δ[2]ᵀ · a[1], the shape of W[2]",
    "dL_db2": "∂L/∂b[2] = δ[2] summed over the batch, .sum(axis=0), the shape of b[2]",
    "dL_da1": "∂L/∂a[1] = δ[2] · W[2], one row per sample",
    "dL_dz1": "∂L/∂z[1] = ∂L/∂a[1] ⊙ (1 − a[1]²), tanh's slope",
    "dL_dW1": "∂L/∂W[1] = δ[1]ᵀ · X, the shape of W[1]",
    "dL_db1": "∂L/∂b[1] = δ[1] summed over the batch, .sum(axis=0), the shape of b[1]",
}

# The local rules, each from its upstream tensor: "right from your dL_dz2".

class _Context:
    """What the forward pass left for the backward pass: X, z[1], a[1], p, W[2], Y and N."""

    def __init__(self, net, fp, Y):
        self.X, self.z1, self.a1, self.z2, self.p = fp.a[0], fp.z[1], fp.a[1], fp.z[2], fp.a[2]
        self.W2, self.Y, self.N = net.W[2], Y, len(Y)
        self.right = None  # the right tensors, by name: set by `report`


def _jacobian(g, c):
    return c.p * (g - np.sum(g * c.p, axis=1, keepdims=True))


LOCAL = {
    "dL_dp": lambda up, c: -c.Y / c.p / c.N,
    "dL_dz2": _jacobian,
    "dL_dW2": lambda up, c: up.T @ c.a1,
    "dL_db2": lambda up, c: up.sum(axis=0),
    "dL_da1": lambda up, c: up @ c.W2,
    "dL_dz1": lambda up, c: up * (1 - c.a1 ** 2),
    "dL_dW1": lambda up, c: up.T @ c.X,
    "dL_db1": lambda up, c: up.sum(axis=0),
}


def _softmax(z, axis):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# ---- The known slips, per tensor: (the wrong rule from the upstream tensor, a short label, the hint) ----

NOT_DIVIDED = "not divided by N"
TWICE = "divided by N twice"
TRANSPOSED = "transposed"
NO_BATCH_SUM = "missing the sum over the batch"
WRONG_AXIS = "summed over the wrong axis"
NO_SLOPE = "missing the activation's derivative"
DIAGONAL = "softmax's Jacobian treated as diagonal"

_MEAN = ("The loss is the mean over the N samples, a sum times 1/N; backward, a sum broadcasts, so every sample's "
         "share gets that 1/N, once: ")


def _no_batch_sum(which):
    return (f"b[{which}] is broadcast to every row of z[{which}] in the forward pass, so backward its gradient is "
            f"the SUM of δ[{which}] over the rows: .sum(axis=0), one number per neuron, the shape of b[{which}].")


def _wrong_axis(which):
    return (f"Sum δ[{which}] down the batch, over the rows (axis=0): b[{which}] has one entry per neuron, and it "
            "was broadcast to every sample." + (" Summed along each row, δ[2] gives 0 every time: each row of "
                                                "p − y adds up to 0." if which == 2 else ""))


def _twice_for(name):
    return (f"δ already holds the 1/N of the mean, from ∂L/∂p; divide by N only once. {RULES[name]}.")


def _transposed(which, source):
    return (f"∂L/∂W[{which}] = δ[{which}]ᵀ · {source}: one row per neuron of layer {which}, the shape of W[{which}]. "
            f"{source}ᵀ · δ[{which}] is its transpose.")


def _per_sample(which, source):
    return (f"One gradient per sample, not yet added up: δ[{which}]ᵀ · {source} sums over the batch inside the "
            f"product, leaving the shape of W[{which}].")


SLIPS = {
    "dL_dp": [
        (lambda up, c: -c.Y / c.p, NOT_DIVIDED, _MEAN + "∂L/∂p = −y / p / N."),
        (lambda up, c: -c.Y / c.p / c.N ** 2, TWICE, _MEAN + "∂L/∂p = −y / p / N, and no other 1/N after it."),
        (lambda up, c: c.Y / c.p / c.N, "the wrong sign",
         "−ln p falls as p rises, so ∂L/∂p is negative for the true class: −y / p / N."),
        (lambda up, c: (c.p - c.Y) / c.N, "∂L/∂z[2]'s value",
         "That is ∂L/∂z[2], the logits' gradient, one step further back. This line is the probabilities' "
         "gradient: ∂L/∂p = −y / p / N."),
        (lambda up, c: -c.Y / c.N, "missing the 1/p",
         "The derivative of −ln p is −1/p: ∂L/∂p = −y / p / N."),
        (lambda up, c: -1 / c.p / c.N, "not multiplied by y",
         "Only the true class's probability is in the loss, so the other classes get 0: multiply by the one-hot y, "
         "∂L/∂p = −y / p / N."),
    ],
    "dL_dz2": [
        (lambda up, c: up * c.p * (1 - c.p), DIAGONAL,
         "You multiplied by p(1 − p), as if each probability depended on its own logit only. Every logit moves every "
         "probability: ∂L/∂zᵢ = pᵢ (gᵢ − Σₖ gₖ pₖ), with g = ∂L/∂p and the sum along the row "
         "(axis=1, keepdims=True); it comes to (p − y) / N."),
        (lambda up, c: up * c.p, "missing the other classes' paths",
         "That is only the path through each logit's own probability, pᵢ gᵢ. Each logit also moves every other "
         "probability: subtract pᵢ Σₖ gₖ pₖ, the sum along the row. It comes to (p − y) / N."),
        (lambda up, c: c.p * (up - np.sum(up * c.p, axis=0, keepdims=True)), WRONG_AXIS,
         "Your Σₖ gₖ pₖ runs down the batch (axis 0). It sums each sample's classes, along its row: "
         "np.sum(g * p, axis=1, keepdims=True)."),
        (lambda up, c: c.p * (up - np.sum(up * c.p)), "summed over the whole array",
         "Your Σₖ gₖ pₖ is one sum over the whole array. It is one sum per sample, along its row: "
         "np.sum(g * p, axis=1, keepdims=True)."),
        (lambda up, c: c.p - c.Y, NOT_DIVIDED, _MEAN + "δ[2] = (p − y) / N."),
        (lambda up, c: (c.p - c.Y) / c.N ** 2, TWICE, _twice_for("dL_dz2")),
        (lambda up, c: _jacobian(up, c) / c.N, TWICE, _twice_for("dL_dz2")),
        (lambda up, c: (c.Y - c.p) / c.N, "the wrong sign",
         "Right size, wrong sign: δ[2] = (p − y) / N, probabilities minus truth."),
        (lambda up, c: (_softmax(c.z2, 0) - c.Y) / c.N, "a softmax down the wrong axis",
         "Your softmax runs down the batch. Each sample's probabilities add up to 1 along its row: p = fp.a[2], "
         "or a softmax with axis=1."),
    ],
    "dL_dW2": [
        (lambda up, c: c.a1.T @ up, TRANSPOSED, _transposed(2, "a[1]")),
        (lambda up, c: up[:, :, None] * c.a1[:, None, :], NO_BATCH_SUM, _per_sample(2, "a[1]")),
        (lambda up, c: up.T @ c.a1 / c.N, TWICE, _twice_for("dL_dW2")),
        (lambda up, c: up.T @ c.z1, "z[1] in place of a[1]",
         "Layer 2's input is a[1] = tanh(z[1]), not z[1]: ∂L/∂W[2] = δ[2]ᵀ · a[1]."),
    ],
    "dL_db2": [
        (lambda up, c: up, NO_BATCH_SUM, _no_batch_sum(2)),
        (lambda up, c: up.sum(axis=1), WRONG_AXIS, _wrong_axis(2)),
        (lambda up, c: up.mean(axis=0), TWICE, _twice_for("dL_db2") + " Take the sum, not the mean."),
        (lambda up, c: np.zeros(up.shape[1]), "all zeros",
         "Every entry is 0: the bias gradient is δ[2] summed over the batch, .sum(axis=0)."),
    ],
    "dL_da1": [
        (lambda up, c: (up @ c.W2) * (1 - c.a1 ** 2), "already through tanh",
         "That already includes tanh's slope, so it is ∂L/∂z[1], the next line. ∂L/∂a[1] = δ[2] · W[2] alone."),
        (lambda up, c: up @ c.W2 / c.N, TWICE, _twice_for("dL_da1")),
        (lambda up, c: up @ c.W2.T, TRANSPOSED,
         "Use W[2] as it is, not W[2]ᵀ: row j of W[2] holds the weights into output j, so δ[2] · W[2] sends each "
         "output's error back along its own weights."),
    ],
    "dL_dz1": [
        (lambda up, c: up, NO_SLOPE,
         "∂L/∂z[1] is ∂L/∂a[1] times tanh's slope at each neuron: ⊙ (1 − a[1]²)."),
        (lambda up, c: up * c.a1 * (1 - c.a1), "the sigmoid's slope",
         "a(1 − a) is the sigmoid's slope; the hidden layer is tanh, whose slope is 1 − a[1]²."),
        (lambda up, c: up * (1 - c.z1 ** 2), "1 − z² in place of 1 − a²",
         "tanh′(z) = 1 − tanh(z)² = 1 − a[1]², with the activation a[1], not z[1]."),
        (lambda up, c: up * (1 - np.tanh(c.a1) ** 2), "tanh′ of a[1]",
         "You took tanh of a[1] again. tanh′(z[1]) = 1 − a[1]² (or 1 − np.tanh(z[1])²)."),
        (lambda up, c: up * (1 - c.a1 ** 2) / c.N, TWICE, _twice_for("dL_dz1")),
    ],
    "dL_dW1": [
        (lambda up, c: c.X.T @ up, TRANSPOSED, _transposed(1, "X")),
        (lambda up, c: up[:, :, None] * c.X[:, None, :], NO_BATCH_SUM, _per_sample(1, "X")),
        (lambda up, c: up.T @ c.X / c.N, TWICE, _twice_for("dL_dW1")),
    ],
    "dL_db1": [
        (lambda up, c: up, NO_BATCH_SUM, _no_batch_sum(1)),
        (lambda up, c: up.sum(axis=1), WRONG_AXIS, _wrong_axis(1)),
        (lambda up, c: up.mean(axis=0), TWICE, _twice_for("dL_db1") + " Take the sum, not the mean."),
        (lambda up, c: np.zeros(up.shape[1]), "all zeros",
         "Every entry is 0: the bias gradient is δ[1] summed over the batch, .sum(axis=0)."),
    ],
}
