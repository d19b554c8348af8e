"""The computations notebook 10 walks backwards, built from `Value`s with every node named.

    five_factor_chain()   notebook 03's chain w1 → z1 → a1 → z2 → a2 → L (x = 1.0, y = 1.0, w1 = 0.8, w2 = 1.5)
    two_two_one()         notebook 04's 2-2-1 example (ŷ = 0.70, L = 0.09)
    fork()                one value on two paths: u = 2a, v = a², L = u·v with a = 1.5
    random_graph(rng)     a random computation with forks, for hidden test cases

Each returns the loss (the root) and a dict of its named nodes.
"""

from .autograd import Value
from .tiny import EXAMPLE_INPUTS, EXAMPLE_TARGET, EXAMPLE_WEIGHTS

FIVE_FACTOR = {"x": 1.0, "y": 1.0, "w1": 0.8, "w2": 1.5}
FORK_A = 1.5


def named(value, label):
    """Give a computed Value a name for figures, and return it. Used in notebook 10."""
    value.label = label
    return value


def five_factor_chain(x=FIVE_FACTOR["x"], y=FIVE_FACTOR["y"], w1=FIVE_FACTOR["w1"], w2=FIVE_FACTOR["w2"]):
    """L = (σ(w2·σ(w1·x)) − y)², the five links of notebook 03. Returns (L, nodes).

    The nodes are keyed "w1", "z1", "a1", "w2", "z2", "a2", "error", "L" and labelled with the layer in
    brackets (w[1], z[1], a[1], ...). The engine builds the loss from two nodes, a[2] − y and its square, so
    the path from w[1] to L crosses six arrows: notebook 03's five factors, with ∂L/∂a[2] = 2(a[2] − y) split
    into 2(a[2] − y) and the subtraction's 1.
    """
    # Labels carry the layer in brackets, as in notebook 03 (a subscript never names a layer).
    n = {"x": Value(x, label="x"), "w1": Value(w1, label="w[1]"), "w2": Value(w2, label="w[2]"),
         "y": Value(y, label="y")}
    n["z1"] = named(n["w1"] * n["x"], "z[1]")
    n["a1"] = named(n["z1"].sigmoid(), "a[1]")
    n["z2"] = named(n["w2"] * n["a1"], "z[2]")
    n["a2"] = named(n["z2"].sigmoid(), "a[2]")
    n["error"] = named(n["a2"] - n["y"], "a[2] − y")
    n["L"] = named(n["error"] ** 2, "L")
    return n["L"], n


def two_two_one(weights=None, x=EXAMPLE_INPUTS, y=EXAMPLE_TARGET):
    """The 2-2-1 example: h = σ(w·x) per hidden neuron, ŷ = w3·h1 + w4·h2, L = (ŷ − y)². Returns (L, nodes).

    Used in notebook 10.
    """
    weights = dict(EXAMPLE_WEIGHTS if weights is None else weights)
    n = {name: Value(w, label=name) for name, w in weights.items()}
    n["x1"], n["x2"], n["y"] = Value(x[0], label="x1"), Value(x[1], label="x2"), Value(y, label="y")
    n["z1"] = named(n["w1"] * n["x1"], "z1")
    n["z2"] = named(n["w2"] * n["x2"], "z2")
    n["h1"] = named(n["z1"].sigmoid(), "h1")
    n["h2"] = named(n["z2"].sigmoid(), "h2")
    # Each product is named by what it multiplies, so the two are told apart in a figure and a stepper.
    n["w3·h1"] = named(n["w3"] * n["h1"], "w3·h1")
    n["w4·h2"] = named(n["w4"] * n["h2"], "w4·h2")
    n["y_hat"] = named(n["w3·h1"] + n["w4·h2"], "ŷ")
    n["error"] = named(n["y_hat"] - n["y"], "ŷ − y")
    n["L"] = named(n["error"] ** 2, "L")
    return n["L"], n


def fork(a=FORK_A):
    """a feeds two paths, u = 2a and v = a², which meet in L = u·v (so dL/da = 6a²). Returns (L, nodes).

    Used in notebook 10.
    """
    n = {"a": Value(a, label="a")}
    n["u"] = named(n["a"] * 2.0, "u")
    n["v"] = named(n["a"] ** 2, "v")
    n["L"] = named(n["u"] * n["v"], "L")
    return n["L"], n


def random_graph(rng, n_inputs=3, n_operations=8):
    """A random computation on `n_inputs` inputs in [−1, 1], each operation reusing earlier nodes, so
    that forks are common. rng: a numpy Generator. Returns (root, nodes) with nodes keyed 'x0', 'x1', ...
    """
    nodes = [Value(float(v), label=f"x{i}") for i, v in enumerate(rng.uniform(-1.0, 1.0, size=n_inputs))]
    for _ in range(n_operations):
        a = nodes[int(rng.integers(len(nodes)))]
        b = nodes[int(rng.integers(len(nodes)))]
        kind = int(rng.integers(5))
        if kind == 0:
            nodes.append(a * b)
        elif kind == 1:
            nodes.append(a + b * 0.5)
        elif kind == 2:
            nodes.append((a - b).tanh())
        elif kind == 3:
            nodes.append(a.sigmoid() * a)
        else:
            nodes.append((a * a + 1.0).log())
    root = nodes[-1] + nodes[-2] * nodes[-3]
    return root, {f"x{i}": v for i, v in enumerate(nodes[:n_inputs])}


EXPRESSIONS = {
    "the five-factor chain of 03": five_factor_chain,
    "the 2-2-1 example of 04": two_two_one,
    "a fork: L = 2a · a²": fork,
}
