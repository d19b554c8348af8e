"""helpers.autograd: every gradient it finds agrees with nudging, with TwoTwoOne and with Network."""

import math
import sys

import numpy as np
import pytest

from helpers import Network, TwoTwoOne
from helpers.autograd import Value, backward_steps, count_nodes, topological_order
from helpers.tiny import EXAMPLE_INPUTS, EXAMPLE_TARGET
from helpers.value_network import ValueParameters, batch_loss

EPS = 1e-5


# Below this size a gradient is lost in the rounding of a centred difference (about 1e-11 × |f| / ε),
# so the relative error is taken against this floor instead of against the gradient itself.
TINY = 1e-8


def pointwise_relative_error(exact, nudged):
    """|a − b| / (|a| + |b|), with |a| + |b| taken as at least TINY."""
    return abs(exact - nudged) / max(abs(exact) + abs(nudged), TINY)


# A random expression graph is a recipe: leaves, then operations on earlier nodes picked at random,
# so that many nodes feed several later ones (forks). Each operation keeps its inputs where the
# centred difference is accurate (no kink of relu within reach of the nudge, no log of ~0).
def _op(kind, a, b, c):
    if kind == "add":
        return a + b
    if kind == "sub":
        return a - b
    if kind == "mul":
        return a * b
    if kind == "div":
        return a / (1.0 + b * b)
    if kind == "rdiv":
        return 2.0 / (1.5 + a.tanh())
    if kind == "pow2":
        return a ** 2
    if kind == "pow3":
        return (a * 0.5) ** 3
    if kind == "exp":
        return (a.tanh() * 2.0).exp()
    if kind == "log":
        return (a * a + 0.5).log()
    if kind == "sigmoid":
        return (a * c).sigmoid()
    if kind == "tanh":
        return (a - b).tanh()
    if kind == "relu":
        return (a + c).relu()
    if kind == "neg":
        return -a + c
    if kind == "rsub":
        return c - a * b
    raise AssertionError(kind)


KINDS = ("add", "sub", "mul", "div", "rdiv", "pow2", "pow3", "exp", "log", "sigmoid", "tanh", "relu", "neg", "rsub")


def random_recipe(rng, n_leaves, n_ops):
    ops = []
    for k in range(n_ops):
        pool = n_leaves + k
        ops.append((KINDS[rng.integers(len(KINDS))], int(rng.integers(pool)), int(rng.integers(pool)),
                    float(rng.uniform(-1.5, 1.5))))
    return ops


def build(recipe, leaf_values):
    nodes = [Value(v, label=f"x{i}") for i, v in enumerate(leaf_values)]
    for kind, i, j, c in recipe:
        nodes.append(_op(kind, nodes[i], nodes[j], c))
    root = nodes[-1] + nodes[-2] * nodes[-3]  # the last nodes join, so most of the graph reaches the root
    return root, nodes


def kinks_nearby(recipe, leaf_values):
    """True if some relu's input is within a nudge of 0: there the slope is not defined."""
    _, nodes = build(recipe, leaf_values)
    for node in nodes:
        if node.op == "relu" and abs(node.parents[0].data) < 1e-3:
            return True
    return False


def test_gradients_of_random_graphs_with_forks_agree_with_centred_differences():
    rng = np.random.default_rng(14)
    checked, forks, worst, tiny, reached = 0, 0, 0.0, 0, 0
    while checked < 250:
        n_leaves = int(rng.integers(2, 5))
        recipe = random_recipe(rng, n_leaves, int(rng.integers(4, 14)))
        leaves = rng.uniform(-1.0, 1.0, size=n_leaves)
        if kinks_nearby(recipe, leaves):
            continue
        root, nodes = build(recipe, leaves)
        order = topological_order(root)
        # a fork: a node that is a parent of two or more nodes (or twice of the same node)
        uses = {}
        for node in order:
            for parent in node.parents:
                uses[id(parent)] = uses.get(id(parent), 0) + 1
        forks += any(n > 1 for n in uses.values())
        root.backward()
        for i in range(n_leaves):
            def f(v):
                values = leaves.copy()
                values[i] = v
                return build(recipe, values)[0].data
            nudged = (f(leaves[i] + EPS) - f(leaves[i] - EPS)) / (2 * EPS)
            error = pointwise_relative_error(nodes[i].grad, nudged)
            worst = max(worst, error)
            if id(nodes[i]) in uses:  # the leaf reaches the root
                reached += 1
                tiny += abs(nodes[i].grad) < TINY
            assert error < 1e-6, (recipe, i, nodes[i].grad, nudged)
        checked += 1
    assert forks >= 200, f"only {forks} of the graphs had a fork"
    assert reached > 2 * checked and tiny < 0.15 * reached, "the graphs must test real gradients, not mostly vanishing ones"
    assert worst < 1e-6


def test_the_2_2_1_example_gives_exactly_the_four_gradients_of_TwoTwoOne():
    net = TwoTwoOne()
    w = {name: Value(v, label=name) for name, v in net.weights.items()}
    x1, x2 = EXAMPLE_INPUTS
    h1 = (w["w1"] * x1).sigmoid()
    h2 = (w["w2"] * x2).sigmoid()
    y_hat = w["w3"] * h1 + w["w4"] * h2
    L = (y_hat - EXAMPLE_TARGET) ** 2
    L.backward()
    chain = net.chain()
    assert y_hat.data == chain.y_hat and L.data == chain.loss
    assert round(y_hat.data, 2) == 0.70 and round(L.data, 2) == 0.09
    assert {name: v.grad for name, v in w.items()} == chain.gradients  # bit for bit


@pytest.mark.parametrize("sizes, activations, loss, seed", [
    ([3, 4, 2], "sigmoid", "half_squared_error", 0),
    ([2, 5, 3, 1], ["tanh", "relu", "linear"], "squared_error", 1),
    ([2, 3, 2], ["tanh", "softmax"], "cross_entropy", 2),
    ([4, 3, 3], ["sigmoid", "linear"], "mse", 3),
])
def test_a_small_mlp_of_values_matches_network_gradients(sizes, activations, loss, seed):
    net = Network(sizes, activations, loss, seed=seed)
    rng = np.random.default_rng(seed)
    for l in net.b:
        net.b[l] = rng.normal(0, 0.5, size=net.b[l].shape)  # non-zero biases, so they are tested too
    X = rng.normal(size=(5, sizes[0]))
    y = rng.integers(0, sizes[-1], size=5) if loss == "cross_entropy" else rng.normal(size=(5, sizes[-1]))
    expected_loss, expected = net.gradients(X, y)
    params = ValueParameters(net)
    L = batch_loss(params, X, y)
    L.backward()
    got = params.gradients()
    assert abs(L.data - expected_loss) < 1e-12
    for l in net.W:
        assert np.max(np.abs(got.dL_dW[l] - expected.dL_dW[l])) < 1e-12
        assert np.max(np.abs(got.dL_db[l] - expected.dL_db[l])) < 1e-12


def test_a_step_of_value_parameters_updates_the_network_like_network_step():
    net = Network([2, 3, 2], ["tanh", "softmax"], "cross_entropy", seed=5)
    twin = net.copy()
    X, y = np.array([[0.5, -1.0], [1.5, 0.2]]), np.array([0, 1])
    params = ValueParameters(net)
    batch_loss(params, X, y).backward()
    params.step(0.3)
    twin.step(twin.gradients(X, y)[1], 0.3)
    assert np.max(np.abs(net.parameters() - twin.parameters())) < 1e-12


def test_a_fork_gets_the_sum_of_its_paths():
    a = Value(3.0, label="a")
    (a * a).backward()
    assert a.grad == 6.0  # 3 + 3, one per path: d(a²)/da = 2a
    u, v = a * 2.0, a ** 2
    (u * v).backward()    # L = 2a·a² = 2a³, dL/da = 6a² = 54
    assert a.grad == pytest.approx(54.0, rel=1e-15)


def test_backward_is_fresh_on_each_call():
    a = Value(2.0)
    L = a * a + a
    L.backward()
    L.backward()
    assert a.grad == 5.0
    other = a * 10.0
    other.backward()
    assert a.grad == 10.0


@pytest.mark.parametrize("base, n, value, slope", [
    (0.0, 0, 1.0, 0.0),     # x⁰ is the constant 1: slope 0, at x = 0 too (PyTorch agrees)
    (0.0, 1, 0.0, 1.0),
    (0.0, 2, 0.0, 0.0),
    (3.0, 0, 1.0, 0.0),
    (-2.0, 0, 1.0, 0.0),
    (-2.0, 2, 4.0, -4.0),   # 2x at x = −2
    (-2.0, 3, -8.0, 12.0),  # 3x² at x = −2
    (-2.0, -1, -0.5, -0.25),  # −1/x² at x = −2
])
def test_integer_powers_of_zero_and_of_negative_numbers_have_their_value_and_slope(base, n, value, slope):
    x = Value(base, label="x")
    y = x ** n
    y.backward()
    assert y.data == value and x.grad == slope


def test_two_backward_calls_keep_only_the_second_and_backward_of_the_sum_adds_them():
    x = Value(3.0, label="x")
    y1 = x * x        # dy1/dx = 2x = 6
    y2 = x * 4.0      # dy2/dx = 4
    y1.backward()
    y2.backward()
    assert x.grad == 4.0  # a fresh walk each call: micrograd and PyTorch would hold 6 + 4 = 10
    (y1 + y2).backward()
    assert x.grad == 10.0


def test_with_accumulate_two_backward_calls_add_up_as_in_pytorch_until_the_grad_is_reset():
    x = Value(3.0, label="x")
    y1 = x * x        # dy1/dx = 2x = 6
    y2 = x * 4.0      # dy2/dx = 4
    y1.backward(accumulate=True)
    y2.backward(accumulate=True)
    assert x.grad == 10.0
    y2.backward()     # the course's own walk resets first
    assert x.grad == 4.0
    x.grad = 0.0
    x.backward(accumulate=True)
    x.backward(accumulate=True)  # a leaf as the root adds its 1 each time, as torch's x.backward() would
    assert x.grad == 2.0


def test_accumulate_leaves_backward_steps_and_the_default_walk_unchanged():
    from helpers.autograd_examples import two_two_one
    L, nodes = two_two_one()
    L.backward()
    fresh = [n.grad for n in topological_order(L)]
    L.backward(accumulate=True)   # the leaves still hold the first walk's gradients: they double
    doubled = [n.grad for n in topological_order(L)]
    for node, one, two in zip(topological_order(L), fresh, doubled):
        assert two == (2 * one if not node.parents else one)
    backward_steps(L)
    assert [n.grad for n in topological_order(L)] == fresh


def test_each_local_derivative_sits_beside_its_operation():
    x, y = Value(0.8), Value(-2.0)
    assert (x * y).local_grads == (-2.0, 0.8)
    assert (x / y).local_grads == (1 / -2.0, -0.8 / 4.0)
    assert x.tanh().local_grads == (1 - math.tanh(0.8) ** 2,)
    assert x.exp().local_grads == (math.exp(0.8),)
    assert x.log().local_grads == (1 / 0.8,)
    assert (x ** 3).local_grads == (3 * 0.8 ** 2,)
    assert y.relu().local_grads == (0.0,) and x.relu().local_grads == (1.0,)
    s = 1 / (1 + math.exp(-0.8))
    assert x.sigmoid().data == pytest.approx(s, rel=1e-15)


def test_numbers_work_on_either_side():
    x = Value(2.0)
    assert (3 + x).data == 5.0 and (3 - x).data == 1.0 and (3 * x).data == 6.0 and (3 / x).data == 1.5
    assert (x - 3).data == -1.0 and (-x).data == -2.0 and (x / 4).data == 0.5
    (3 / x).backward()
    assert x.grad == -3 / 4


def test_a_graph_deeper_than_the_recursion_limit_works():
    depth = max(5_000, 3 * sys.getrecursionlimit())
    x = Value(0.5, label="x")
    node = x
    for _ in range(depth):
        node = node * 1.0 + 0.0
    node.backward()
    assert x.grad == 1.0
    assert count_nodes(node) == 1 + 4 * depth  # each level adds ×, a constant 1, +, a constant 0


def test_topological_order_puts_every_node_after_its_parents():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    position = {id(n): i for i, n in enumerate(order)}
    assert order[-1] is e and len(order) == 5
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]


def test_backward_steps_replay_backward_one_node_at_a_time():
    a = Value(1.5, label="a")
    L = (a * 2.0) * (a ** 2)
    steps = backward_steps(L)
    assert steps[0].node is L and steps[0].grad == 1.0
    assert len(steps) == count_nodes(L)
    into_a = [c for s in steps for c in s.contributions if c.parent is a]
    assert len(into_a) == 2  # the fork: two paths reach a
    assert into_a[0].before == 0.0 and into_a[1].before == into_a[0].after
    assert into_a[1].after == a.grad == pytest.approx(6 * 1.5 ** 2)
    for step in steps:  # when a node's turn comes, its gradient is already final
        assert step.grad == step.node.grad


@pytest.mark.parametrize("make, error, words", [
    (lambda: Value("3"), TypeError, "Value's data must be a single real number"),
    (lambda: Value([1.0, 2.0]), TypeError, "single real number"),
    (lambda: Value(np.array([1.0, 2.0])), TypeError, "single real number"),
    (lambda: Value(True), TypeError, "single real number"),
    (lambda: Value(1.0) + "2", TypeError, "the other operand of +"),
    (lambda: Value(1.0) * None, TypeError, "the other operand of *"),
    (lambda: Value(1.0, label="x") ** Value(2.0), TypeError, "exponent of ** must be a plain number"),
    (lambda: Value(0.0, label="x").log(), ValueError, "log(x) needs a positive number, but x = 0"),
    (lambda: Value(-2.0, label="q").log(), ValueError, "q = -2"),
    (lambda: Value(1.0) / Value(0.0, label="d"), ZeroDivisionError, "the divisor d is 0"),
    (lambda: Value(-8.0, label="x") ** 0.5, ValueError, "negative number"),
    (lambda: Value(1000.0, label="big").exp(), OverflowError, "exp(big) overflows"),
    (lambda: Value(1.0, label=3), TypeError, "label must be text"),
])
def test_bad_input_gets_a_clear_error(make, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")
                       .replace("+", r"\+")):
        make()


def test_backward_through_a_nan_names_the_node():
    x = Value(float("nan"), label="broken")
    L = x * 2.0 + 1.0
    with pytest.raises(ValueError, match="broken = nan"):
        L.backward()


def test_backward_needs_a_value():
    with pytest.raises(TypeError, match="root must be a Value"):
        topological_order(3.0)


def test_the_numbers_notebook_10_states():
    from helpers.autograd_examples import fork, named
    from helpers.exercises.nb10 import _overwrites
    from helpers.tiny import EXAMPLE_ETA, EXAMPLE_WEIGHTS

    c = Value(2.0) * Value(-3.0)
    assert c.data == -6.0 and c.local_grads == (-3.0, 2.0)
    # the fork: topological order a, 2, u, v, L; '=' keeps 4.5, '+=' gives 13.5 = 6a²
    L, nodes = fork()
    assert [n.name for n in topological_order(L)] == ["a", "2", "u", "v", "L"]
    _overwrites(L)
    assert nodes["a"].grad == 4.5
    L.backward()
    assert nodes["a"].grad == 13.5 == 6 * 1.5 ** 2
    # the 2-2-1 example rebuilt: ŷ = 0.70, L = 0.09, then one update to 0.85
    w = {name: Value(v, label=name) for name, v in EXAMPLE_WEIGHTS.items()}
    x1, x2 = Value(EXAMPLE_INPUTS[0]), Value(EXAMPLE_INPUTS[1])
    y_hat = named(w["w3"] * (w["w1"] * x1).sigmoid() + w["w4"] * (w["w2"] * x2).sigmoid(), "ŷ")
    L = (y_hat - EXAMPLE_TARGET) ** 2
    L.backward()
    assert f"{y_hat.data:.2f}" == "0.70" and f"{L.data:.2f}" == "0.09"
    for v in w.values():
        v.data -= EXAMPLE_ETA * v.grad
    after = w["w3"] * (w["w1"] * x1).sigmoid() + w["w4"] * (w["w2"] * x2).sigmoid()
    assert f"{after.data:.2f}" == "0.85"


def test_the_value_parameters_of_the_cat_or_dog_network_match_network_and_count_their_nodes():
    from helpers.data import Standardizer, load_cat_dog, train_test_split

    X, labels = load_cat_dog()
    X_train, _, y_train, _ = train_test_split(X, labels, test_fraction=0.25, seed=0)
    X_train_s = Standardizer().fit_transform(X_train)
    assert len(X_train_s) == 225  # 9 batches of 25 per epoch
    net = Network([2, 8, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    params = ValueParameters(net.copy())
    assert len(params.all()) == net.num_parameters == 42
    loss = batch_loss(params, X_train_s, y_train)
    assert count_nodes(loss) == 25_020
    loss.backward()
    _, grads = net.gradients(X_train_s, y_train)
    got = params.gradients()
    assert all(np.max(np.abs(got.dL_dW[l] - grads.dL_dW[l])) < 1e-12 for l in grads.dL_dW)


def test_a_topological_order_of_the_2_2_1_example_is_not_the_order_of_computation():
    from helpers.autograd_examples import two_two_one
    L, nodes = two_two_one()  # computes z1, z2, then h1, h2
    names = [n.name for n in topological_order(L)]
    assert names.index("z2") > names.index("h1")  # notebook 10 prints places 10 and 5
    assert (names.index("h1") + 1, names.index("z2") + 1) == (5, 10)
    position = {id(n): i for i, n in enumerate(topological_order(L))}
    for node in topological_order(L):  # what it does guarantee: every node after its parents
        assert all(position[id(p)] < position[id(node)] for p in node.parents)


def test_the_engine_s_five_factor_chain_crosses_six_arrows_from_w1_to_L():
    from helpers.autograd_examples import five_factor_chain
    L, nodes = five_factor_chain()
    path, node = [], L
    while node is not nodes["w1"]:
        parent, local = next((p, g) for p, g in zip(node.parents, node.local_grads)
                             if p is nodes["w1"] or nodes["w1"] in topological_order(p))
        path.append(local)
        node = parent
    assert len(path) == 6 and path[1] == 1.0  # the subtraction a2 − y passes its gradient on times 1
    L.backward()
    assert math.prod(path) == pytest.approx(nodes["w1"].grad, rel=1e-15)
