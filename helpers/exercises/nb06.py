"""Checks for notebook 06, backprop at any depth.

The notebook's network and batch are rebuilt here from the same recipe, so the checks always
agree with what the notebook prints: Network([3, 4, 4, 1], seed=0), all sigmoid, loss ½(ŷ − y)²,
and a batch of 5 samples drawn with np.random.default_rng(1).
"""

import numpy as np

from ..activations import sigmoid_derivative
from ..checks import check_array, check_number, check_shape
from ..network import Network

SIZES = [3, 4, 4, 1]
SEED = 0
BATCH_SEED = 1
N_SAMPLES = 5

# Exercise 1: the shape of ∂L/∂W^{[1]} for a batch of this many samples. W^{[1]} is 4×3, not square,
# so writing the shape the wrong way round gives an answer the check can tell apart.
BIG_BATCH = 32

# Exercise 3: the largest sigmoid slope, multiplied once per layer, over this many layers.
SIGMOID_MAX_SLOPE = 0.25
LAYERS = 10
# The solution says "about 9.5e-07", and 1e-6 is the same number to one digit: accept both,
# and nothing as far off as the nearest slip (0.25 ** 11 ≈ 2.4e-7).
BOUND_TOLERANCE = 6e-8


def example():
    """The notebook's network and batch: (net, X (5, 3), y (5, 1))."""
    net = Network(SIZES, seed=SEED)
    rng = np.random.default_rng(BATCH_SEED)
    X = rng.normal(size=(N_SAMPLES, SIZES[0]))
    y = rng.uniform(size=(N_SAMPLES, SIZES[-1]))
    return net, X, y


def gradient_shape(answer):
    """The shape of ∂L/∂W[1] for a batch of BIG_BATCH samples: the shape of W[1], (4, 3)."""
    n_out, n_in, batch = SIZES[1], SIZES[0], BIG_BATCH
    return check_shape(
        answer, (n_out, n_in), what="a shape such as (2, 3)",
        hints={
            (n_in, n_out): (f"({n_in}, {n_out}) is the right pair the wrong way round. W[1] has one row per "
                            f"neuron of layer 1 ({n_out}) and one column per input ({n_in}): row j holds the "
                            f"weights coming into neuron j. δ[1]ᵀ · a[0] is ({n_out}, {batch}) · ({batch}, {n_in})."),
            (batch, n_out): (f"({batch}, {n_out}) is the shape of δ[1]: one row per sample. The gradient is "
                             f"δ[1]ᵀ · a[0], and the {batch} samples are summed away in that product."),
            (n_out, batch): (f"({n_out}, {batch}) is δ[1]ᵀ alone. Multiply it by a[0] = X, shape ({batch}, {n_in}): "
                             "the samples cancel out."),
            (batch, n_in): (f"({batch}, {n_in}) is the shape of the batch X = a[0], the other factor of "
                            f"δ[1]ᵀ · a[0]. The product has the shape of W[1]."),
            (batch, n_out, n_in): ("One gradient per sample is what you would have before adding them up. The "
                                   "backward pass sums over the batch, so one number per weight remains."),
        },
        fallback=("Every weight gets one number in the gradient, so ∂L/∂W[1] has the shape of W[1]: "
                  "(neurons in layer 1, inputs)."),
        praise=(f"∂L/∂W[1] = δ[1]ᵀ · a[0] is ({n_out}, {batch}) · ({batch}, {n_in}) = ({n_out}, {n_in}): "
                "the shape of W[1]. The batch is summed away."),
    )


def delta_1(answer):
    """δ[1] for the notebook's batch: (δ[2] · W[2]) ⊙ σ′(z[1]), shape (5, 4)."""
    net, X, y = example()
    fp = net.forward(X)
    grads = net.backward(fp, y)
    passed_back = grads.delta[2] @ net.W[2]
    expected = passed_back * sigmoid_derivative(fp.z[1])
    return check_array(
        answer, expected, what="δ[1], an array of shape (5, 4)", tol=1e-9,
        hints=[
            (passed_back,
             "You passed δ[2] back through W[2] but did not multiply by the sigmoid's slope: "
             "⊙ sigmoid_derivative(fp.z[1])."),
            ((grads.delta[2] @ net.W[2].T) * sigmoid_derivative(fp.z[1]),
             "Use W[2] as it is, not W[2].T. Row j of W[2] holds the weights into neuron j of layer 2, so "
             "δ[2] · W[2] sends each neuron's error back along its own weights. (W[2] is square here, so the "
             "transpose fits too: a shape that fits proves nothing.)"),
            (passed_back * sigmoid_derivative(fp.z[2]),
             "The slope belongs to layer 1: use fp.z[1], not fp.z[2]."),
            (passed_back * fp.a[1],
             "σ′(z) is a(1 − a), not a. Use sigmoid_derivative(fp.z[1]) or fp.a[1] * (1 - fp.a[1])."),
            (passed_back * sigmoid_derivative(fp.a[1]),
             "sigmoid_derivative takes z, the weighted sum, and you gave it fp.a[1], the activation: that "
             "computes σ′(σ(z)). Use sigmoid_derivative(fp.z[1]), or the activation directly as "
             "fp.a[1] * (1 - fp.a[1])."),
            (lambda a: a.shape == expected.T.shape and np.allclose(a, expected.T, rtol=1e-6, atol=1e-12),
             "Right numbers, transposed. δ[1] has one row per sample: shape (5, 4)."),
            (lambda a: a.shape == (5, 4) and np.allclose(a, -expected, rtol=1e-6, atol=1e-12),
             "Right size, wrong sign. δ[1] carries the sign of δ[2]; there is no minus in the recursion."),
        ],
        praise=("δ[1] = (δ[2] · W[2]) ⊙ σ′(z[1]): the same recursion as every other layer, and equal to "
                "net.backward's δ[1]."),
    )


def vanishing_bound(answer):
    """The largest product of LAYERS sigmoid slopes: 0.25 ** 10 ≈ 9.5e-7 (1e-6 is accepted too)."""
    expected = SIGMOID_MAX_SLOPE ** LAYERS
    return check_number(
        answer, expected, what="the largest possible product", tol=BOUND_TOLERANCE,
        hints=[
            (SIGMOID_MAX_SLOPE * LAYERS, "You multiplied 0.25 by 10. The slopes are multiplied together, "
                                         "one factor per layer: 0.25 × 0.25 × ... (10 times) = 0.25 ** 10."),
            (SIGMOID_MAX_SLOPE ** (LAYERS - 1), "One factor short: ten layers give ten slopes, 0.25 ** 10."),
            (SIGMOID_MAX_SLOPE ** (LAYERS + 1), "One factor too many: ten layers give ten slopes, 0.25 ** 10."),
            (0.5 ** LAYERS, "σ′ is at most 0.25, at z = 0 where σ = 0.5: σ′ = 0.5 × (1 − 0.5). "
                            "Use 0.25 per layer."),
            (1.0, "A slope of at most 1 is tanh's or ReLU's. The sigmoid's slope is at most 0.25."),
            (SIGMOID_MAX_SLOPE, "That is one layer's slope. Ten layers multiply ten of them."),
        ],
        praise=(f"0.25 ** 10 = {expected:.2e}: about one millionth. Along a path whose weights are at most 1 in "
                "size, ten sigmoid layers shrink the signal at least a million-fold. Larger weights, or many paths "
                "adding up, can make up for the small slopes: the depth explorer below shows it at weight scale 3."),
    )


def finite_difference_evaluations(answer):
    """Loss evaluations for a centred finite-difference gradient of Network([3, 4, 4, 1]): 2 × 41 = 82."""
    net = Network(SIZES, seed=SEED)
    n_params = net.num_parameters
    n_weights = sum(w.size for w in net.W.values())
    expected = 2 * n_params
    return check_number(
        answer, expected, what="a whole number of loss evaluations", tol=1e-9,
        hints=[
            (n_params, f"{n_params} is the number of parameters. The centred difference evaluates the loss twice "
                       "for each one: at θ + ε and at θ − ε."),
            (2 * n_weights, f"You counted the {n_weights} weights but not the {n_params - n_weights} biases. "
                            "Each bias needs its own two evaluations too."),
            (n_weights, f"{n_weights} is the number of weights alone. Add the biases, then count two "
                        "evaluations per parameter."),
            (2, "Two passes is the cost of backprop (one forward, one backward). Finite differences nudge "
                "each parameter on its own."),
            (n_params + 1, "That is the count for one-sided differences (one base loss plus one per parameter). "
                           "The centred kind uses two per parameter."),
        ],
        praise=(f"{n_params} parameters × 2 = {expected} loss evaluations, against one forward and one backward "
                "pass for backprop."),
    )
