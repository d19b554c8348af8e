"""Numerical gradients by centred differences, and how to compare two gradients.

Centred differences, (f(θ + h) − f(θ − h)) / 2h, are accurate to about h², against h for the
one-sided kind, so in float64 with h = 1e-5 they agree with an exact gradient to 1e-8 or better.
"""

import numpy as np

from . import validate

# How to read relative_error(exact, numerical), in float64 with centred differences:
#   below 1e-7   the gradients agree: the backward pass is right;
#   1e-7 to 1e-4 suspicious: fine near a kink (ReLU at 0), otherwise look closer;
#   above 1e-4   almost certainly a bug in the backward pass.
AGREE = 1e-7
SUSPICIOUS = 1e-4


def numerical_derivative(f, x, h=1e-5):
    """df/dx at the number x by centred differences: (f(x + h) − f(x − h)) / 2h."""
    x = validate.as_number(x, "x")
    h = validate.as_number(h, "h")
    if h <= 0:
        raise ValueError(f"h (the nudge) must be a small positive number, but got {h}")
    return (f(x + h) - f(x - h)) / (2.0 * h)


def numerical_gradient(f, theta, h=1e-5):
    """∂f/∂θ for every entry of the array θ, nudging one entry at a time and holding the rest.

    f takes an array shaped like θ and returns a number. Returns a float64 array shaped like θ.
    θ itself is left unchanged.
    """
    theta = validate.as_array(theta, "theta").copy()
    h = validate.as_number(h, "h")
    if h <= 0:
        raise ValueError(f"h (the nudge) must be a small positive number, but got {h}")
    grad = np.zeros_like(theta)
    flat, grad_flat = theta.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f(theta)
        flat[i] = old - h
        f_minus = f(theta)
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖): 0 when the gradients are equal, 1 when they point opposite ways.

    Both zero counts as agreement (0.0). Compare the result with AGREE and SUSPICIOUS above.
    """
    a = validate.as_array(a, "a")
    b = validate.as_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; compare gradients of the same shape")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def network_numerical_gradient(net, X, y, h=1e-5):
    """The gradient of net's loss on (X, y) by centred differences, as one flat vector.

    The order matches `net.parameters()` and `net.flat_gradients(...)`. The network is unchanged.
    """
    X = net.check_inputs(X)
    Y = net.check_targets(y, X.shape[0])
    work = net.copy()

    def loss_at(theta):
        work.set_parameters(theta)
        return work._loss_value(work._forward(X), Y)

    return numerical_gradient(loss_at, net.parameters(), h)


def check_network_gradients(net, X, y, h=1e-5):
    """Relative error between the backward pass and centred differences for net on (X, y)."""
    _, grads = net.gradients(X, y)
    return relative_error(net.flat_gradients(grads), network_numerical_gradient(net, X, y, h))


def gradient_costs(net, n_samples):
    """Multiply-adds spent on one full gradient for a batch of n_samples, both ways.

    A layer's matrix product costs (neurons in) × (neurons out) multiply-adds per sample. The
    forward pass pays it once per layer; the backward pass pays it for ∂L/∂W and again to send δ
    down (except below layer 1). Finite differences run two forward passes per parameter.
    Returns {'backprop': ..., 'finite_differences': ...}.
    """
    n_samples = validate.positive_int(n_samples, "n_samples")
    products = [net.sizes[l - 1] * net.sizes[l] for l in range(1, net.depth + 1)]
    forward = n_samples * sum(products)
    backward = n_samples * (sum(products) + sum(products[1:]))
    return {"backprop": forward + backward, "finite_differences": 2 * net.num_parameters * forward}
