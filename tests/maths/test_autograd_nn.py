"""helpers.autograd_nn: Modules of Values give notebook 04's numbers, Network's gradients, and nudging's slopes."""

import math

import numpy as np
import pytest

from helpers import Network, TwoTwoOne
from helpers.autograd import Value, count_nodes, topological_order
from helpers.autograd_nn import MLP, Layer, Module, Neuron, TwoTwoOneModel, cross_entropy
from helpers.data import Standardizer, load_cat_dog, train_test_split
from helpers.tiny import EXAMPLE_ETA, EXAMPLE_INPUTS, EXAMPLE_TARGET

EPS = 1e-5
def example_loss(model):
    return (model(EXAMPLE_INPUTS) - EXAMPLE_TARGET) ** 2


# ---- the 2-2-1 example as three Neurons ----

def test_the_2_2_1_model_gives_notebook_04s_numbers_and_one_step_reaches_0_85():
    model = TwoTwoOneModel()
    y_hat = model(EXAMPLE_INPUTS)
    loss = (y_hat - EXAMPLE_TARGET) ** 2
    model.zero_grad()
    loss.backward(accumulate=True)
    assert f"{y_hat.data:.2f}" == "0.70" and f"{loss.data:.2f}" == "0.09"
    assert [p.label for p in model.parameters()] == ["w1", "w2", "w3", "w4"]
    expected = TwoTwoOne().gradients()
    assert {p.label: p.grad for p in model.parameters()} == expected  # bit for bit
    assert {k: round(v, 4) for k, v in expected.items()} == {"w1": -0.1410, "w2": -0.0447, "w3": -0.2265, "w4": -0.3225}
    for p in model.parameters():
        p.data -= EXAMPLE_ETA * p.grad
    assert f"{model(EXAMPLE_INPUTS).data:.2f}" == "0.85"


def test_the_2_2_1_hidden_neurons_each_see_one_input_and_no_neuron_has_a_bias():
    model = TwoTwoOneModel()
    assert [n.n_inputs for n in model.hidden] == [1, 1] and model.output.n_inputs == 2
    assert all(n.b is None for n in (*model.hidden, model.output))
    assert repr(model.hidden[0]) == "Neuron(1 input, sigmoid, no bias)"


def test_without_zero_grad_the_adding_convention_doubles_every_gradient_at_the_second_call():
    model = TwoTwoOneModel()
    example_loss(model).backward(accumulate=True)
    first = [p.grad for p in model.parameters()]
    example_loss(model).backward(accumulate=True)  # a fresh forward pass, same weights, no reset
    assert [p.grad for p in model.parameters()] == [2 * g for g in first]
    assert f"{model.output.w[0].grad:+.4f}" == "-0.4531"  # the notebook prints −0.2265, then −0.4531
    model.zero_grad()
    example_loss(model).backward(accumulate=True)
    assert [p.grad for p in model.parameters()] == first


def test_the_course_backward_resets_only_its_own_graph_so_an_unreached_parameter_keeps_a_stale_gradient():
    model = TwoTwoOneModel()
    example_loss(model).backward()
    first = [p.grad for p in model.parameters()]
    ((model.hidden[0]([EXAMPLE_INPUTS[0]]) - 1.0) ** 2).backward()
    now = [p.grad for p in model.parameters()]
    assert now[1:] == first[1:]                   # w2, w3, w4 still hold the first loss's gradients
    assert f"{now[0]:+.4f}" == "-0.2926" != f"{first[0]:+.4f}"
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_zero_grad_resets_every_parameter_of_every_module():
    model = MLP([3, 4, 2], "tanh", seed=1)
    for p in model.parameters():
        p.grad = 7.0
    model.layers[1].zero_grad()
    assert all(p.grad == 0.0 for p in model.layers[1].parameters())
    assert all(p.grad == 7.0 for p in model.layers[0].parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert Module().parameters() == [] and Module().zero_grad() is None


# ---- the cat-or-dog network ----

def _cat_dog():
    X, labels = load_cat_dog()
    X_train, X_test, y_train, y_test = train_test_split(X, labels, test_fraction=0.25, seed=0)
    scaler = Standardizer()
    return scaler.fit_transform(X_train), scaler.transform(X_test), y_train, y_test


def _train(model, X, y, *, reset, net=None, epochs=3, eta=0.5, batch_size=25):
    """Notebook 10's loop; returns the largest gradient difference from `net` (stepped beside it) and the last loss."""
    rng = np.random.default_rng(0)
    worst, loss = 0.0, None
    for _ in range(epochs):
        shuffled = rng.permutation(len(X))
        for start in range(0, len(shuffled), batch_size):
            batch = shuffled[start:start + batch_size]
            loss = sum(cross_entropy(model(x), label) for x, label in zip(X[batch], y[batch])) / len(batch)
            if reset:
                model.zero_grad()
            loss.backward(accumulate=True)
            for p in model.parameters():
                p.data -= eta * p.grad
            if net is not None:
                _, grads = net.gradients(X[batch], y[batch])
                net.step(grads, eta)
                got = model.gradients()
                worst = max(worst, *(np.max(np.abs(got.dL_dW[l] - grads.dL_dW[l])) for l in grads.dL_dW),
                            *(np.max(np.abs(got.dL_db[l] - grads.dL_db[l])) for l in grads.dL_db))
    return worst, loss


def _accuracy(model, X, y):
    return float(np.mean(np.array([int(np.argmax([z.data for z in model(x)])) for x in X]) == y))


def _training_loss(model, X, y):
    return sum(cross_entropy(model(x), label) for x, label in zip(X, y)).data / len(X)


def test_an_mlp_starts_from_the_weights_of_the_network_with_the_same_seed():
    for sizes, seed in (([2, 8, 2], 0), ([3, 5, 4, 1], 7)):
        model = MLP(sizes, "tanh", seed=seed)
        net = Network(sizes, "tanh", seed=seed)
        assert np.array_equal([p.data for p in model.parameters()], net.parameters())
        assert len(model.parameters()) == net.num_parameters


def test_the_cat_or_dog_mlp_trains_with_the_gradients_of_network_at_every_step():
    X_train, X_test, y_train, y_test = _cat_dog()
    net = Network([2, 8, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    model = MLP([2, 8, 2], ["tanh", "linear"], seed=0)
    worst, _ = _train(model, X_train, y_train, reset=True, net=net)
    assert worst < 1e-12
    assert np.max(np.abs(np.array([p.data for p in model.parameters()]) - net.parameters())) < 1e-12
    assert f"{_training_loss(model, X_train, y_train):.4f}" == "0.3910" and _accuracy(model, X_test, y_test) == 0.88


def test_a_forgotten_zero_grad_raises_nothing_but_steps_along_the_sum_of_all_gradients_so_far():
    X_train, X_test, y_train, y_test = _cat_dog()
    right = MLP([2, 8, 2], ["tanh", "linear"], seed=0)
    _train(right, X_train, y_train, reset=True)
    forgetful = MLP([2, 8, 2], ["tanh", "linear"], seed=0)
    _, loss = _train(forgetful, X_train, y_train, reset=False)
    held = np.array([p.grad for p in forgetful.parameters()])
    forgetful.zero_grad()
    loss.backward(accumulate=True)  # the last batch's own gradient: the graph keeps its local derivatives
    own = np.array([p.grad for p in forgetful.parameters()])
    angle = np.degrees(np.arccos(held @ own / (np.linalg.norm(held) * np.linalg.norm(own))))
    # the numbers section 10 states
    assert f"{np.linalg.norm(held) / np.linalg.norm(own):.1f}" == "7.6" and f"{angle:.0f}" == "85"
    assert f"{_training_loss(forgetful, X_train, y_train):.4f}" == "0.2632"
    assert _accuracy(forgetful, X_test, y_test) == 0.92
    assert f"{max(abs(p.data) for p in forgetful.parameters()):.2f}" == "5.31"
    assert f"{max(abs(p.data) for p in right.parameters()):.2f}" == "1.73"


def test_the_forgetful_run_loss_rises_between_epochs_2_and_3_while_the_right_one_keeps_falling():
    X_train, _, y_train, _ = _cat_dog()
    for reset, expected in ((True, ["0.4206", "0.4144", "0.3910"]), (False, ["0.4666", "0.2468", "0.2632"])):
        model = MLP([2, 8, 2], ["tanh", "linear"], seed=0)
        losses = []
        rng = np.random.default_rng(0)
        for _ in range(3):
            shuffled = rng.permutation(len(X_train))
            for start in range(0, len(shuffled), 25):
                batch = shuffled[start:start + 25]
                loss = sum(cross_entropy(model(x), label) for x, label in zip(X_train[batch], y_train[batch])) / 25
                if reset:
                    model.zero_grad()
                loss.backward(accumulate=True)
                for p in model.parameters():
                    p.data -= 0.5 * p.grad
            losses.append(f"{_training_loss(model, X_train, y_train):.4f}")
        assert losses == expected


def test_the_whole_training_set_as_values_has_22545_nodes_and_is_over_50_times_slower_than_arrays():
    import timeit

    X_train, _, y_train, _ = _cat_dog()
    model = MLP([2, 8, 2], ["tanh", "linear"], seed=0)
    net = Network([2, 8, 2], ["tanh", "softmax"], "cross_entropy", seed=0)

    def whole_set_loss():
        return sum(cross_entropy(model(x), label) for x, label in zip(X_train, y_train)) / len(X_train)

    assert count_nodes(whole_set_loss()) == 22_545
    seconds_values = min(timeit.repeat(lambda: whole_set_loss().backward(), number=1, repeat=3))
    seconds_arrays = min(timeit.repeat(lambda: net.gradients(X_train, y_train), number=20, repeat=3)) / 20
    assert seconds_values / seconds_arrays > 50


# ---- every gradient against centred differences ----

def _mlp_loss(model, X, y, kind):
    total = 0.0
    for x, target in zip(X, y):
        out = model(x)
        if kind == "cross_entropy":
            total = total + cross_entropy(out, int(target))
        else:
            total = total + sum((o - float(t)) ** 2 for o, t in zip(out, target))
    return total / len(X)


def test_mlp_gradients_agree_with_centred_differences_on_many_random_shapes():
    rng = np.random.default_rng(10)
    worst, checked = 0.0, 0
    names = ("sigmoid", "tanh", "relu", "linear")
    for trial in range(40):
        depth = int(rng.integers(1, 4))
        sizes = [int(n) for n in rng.integers(1, 5, size=depth + 1)]
        kind = "cross_entropy" if sizes[-1] >= 2 and trial % 2 else "squared_error"
        activations = [names[int(rng.integers(4))] for _ in range(depth - 1)] + ["linear" if kind == "cross_entropy"
                                                                               else names[int(rng.integers(4))]]
        model = MLP(sizes, activations, seed=trial)
        for p in model.parameters():
            p.data += float(rng.normal(0, 0.3))  # non-zero biases too
        N = int(rng.integers(1, 4))
        X = rng.normal(size=(N, sizes[0]))
        y = rng.integers(0, sizes[-1], size=N) if kind == "cross_entropy" else rng.normal(size=(N, sizes[-1]))
        loss = _mlp_loss(model, X, y, kind)
        if any(n.op == "relu" and abs(n.parents[0].data) < 1e-3 for n in topological_order(loss)):
            continue  # a relu kink within reach of the nudge: the slope is not defined there
        model.zero_grad()
        loss.backward(accumulate=True)
        for p in model.parameters():
            exact, start = p.grad, p.data
            p.data = start + EPS
            up = _mlp_loss(model, X, y, kind).data
            p.data = start - EPS
            down = _mlp_loss(model, X, y, kind).data
            p.data = start
            # relative to the gradient, or to 1e-3 for smaller ones: a centred difference of a loss near 1
            # carries an absolute error of about 1e-11 from rounding and from ε² times the third derivative
            nudged = (up - down) / (2 * EPS)
            worst = max(worst, abs(exact - nudged) / max(abs(exact) + abs(nudged), 1e-3))
            checked += 1
    assert checked > 500
    assert worst < 1e-6


def test_cross_entropy_of_values_agrees_with_network_and_with_nudging():
    rng = np.random.default_rng(3)
    for _ in range(20):
        k = int(rng.integers(2, 6))
        z = rng.normal(0, 3, size=k)
        label = int(rng.integers(k))
        logits = [Value(float(v)) for v in z]
        loss = cross_entropy(logits, label)
        loss.backward()
        expected = np.log(np.sum(np.exp(z - z.max()))) + z.max() - z[label]
        assert abs(loss.data - expected) < 1e-12
        p = np.exp(z - z.max()) / np.sum(np.exp(z - z.max()))
        onehot = np.eye(k)[label]
        assert np.max(np.abs(np.array([v.grad for v in logits]) - (p - onehot))) < 1e-12
        for i in range(k):
            up, down = z.copy(), z.copy()
            up[i] += EPS
            down[i] -= EPS
            nudged = (cross_entropy([Value(float(v)) for v in up], label).data
                      - cross_entropy([Value(float(v)) for v in down], label).data) / (2 * EPS)
            assert abs(logits[i].grad - nudged) < 1e-8
    big = [Value(1000.0), Value(-1000.0)]
    assert cross_entropy(big, 1).data == 2000.0  # the shift by the largest logit keeps exp() finite


def test_accumulate_adds_to_leaves_only_and_matches_the_sum_of_separate_walks():
    rng = np.random.default_rng(5)
    for _ in range(50):
        a, b = Value(float(rng.normal())), Value(float(rng.normal()))
        first = (a * b + a.tanh()) * b
        second = (a - b).sigmoid() * a
        first.backward()
        g1 = (a.grad, b.grad)
        second.backward()
        g2 = (a.grad, b.grad)
        a.grad = b.grad = 0.0
        first.backward(accumulate=True)
        second.backward(accumulate=True)
        for got, one, two in ((a.grad, g1[0], g2[0]), (b.grad, g1[1], g2[1])):
            assert abs(got - (one + two)) <= 1e-14 * (abs(one) + abs(two))  # the same sum, added in another order
    x = Value(2.0)
    middle = x * 3.0
    top = middle * middle
    top.backward(accumulate=True)
    top.backward(accumulate=True)  # the computed node starts from 0 on each walk: only x adds up
    assert middle.grad == 12.0 and x.grad == 2 * 36.0


# ---- bad input ----

@pytest.mark.parametrize("make, error, words", [
    (lambda: Neuron([], 0.0), ValueError, "weights is empty"),
    (lambda: Neuron("0.5"), TypeError, "weights must be a number or an array"),
    (lambda: Neuron([1.0], float("nan")), ValueError, "bias must be a finite number"),
    (lambda: Neuron([1.0], 0.0, "softmax"), ValueError, "a softmax is part of the loss here"),
    (lambda: Neuron([1.0, 2.0])([1.0]), ValueError, "x holds 1 input, but this neuron"),
    (lambda: Neuron([1.0])("a"), TypeError, "x must be one sample's 1 input, such as"),
    (lambda: TwoTwoOneModel("w1w2"), ValueError, "w1, w2, w3 and w4"),
    (lambda: Neuron([1.0])([None]), TypeError, r"x\[0\] must be a real number"),
    (lambda: Layer([[1.0, 2.0]], [0.0, 1.0]), ValueError, "one bias per neuron"),
    (lambda: MLP([2]), ValueError, "sizes must be a list such as"),
    (lambda: MLP([2, 0, 1]), ValueError, r"sizes\[1\]"),
    (lambda: MLP([2, 3, 1], ["tanh"]), ValueError, "activations must be one name or a list of 2"),
    (lambda: MLP([2, 3, 1], "swish"), ValueError, "layer 1's activation must be one of"),
    (lambda: MLP([2, 200, 200]), ValueError, "at most 10,000 are allowed"),
    (lambda: MLP.from_network("net"), TypeError, "net must be a helpers Network"),
    (lambda: TwoTwoOneModel({"w1": 1.0}), ValueError, "w1, w2, w3 and w4"),
    (lambda: cross_entropy(Value(1.0), 0), TypeError, "logits must be a list of at least 2 Values"),
    (lambda: cross_entropy([Value(1.0), Value(2.0)], 2), ValueError, "label must be a class number from 0 to 1"),
    (lambda: Value(1.0).backward(accumulate="yes"), TypeError, "accumulate must be True or False"),
])
def test_bad_input_gets_a_clear_error(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_from_network_turns_a_softmax_output_into_logits_and_copies_every_number():
    net = Network([3, 4, 2], ["relu", "softmax"], "cross_entropy", seed=4)
    model = MLP.from_network(net)
    assert [layer.activation for layer in model.layers] == ["relu", "linear"]
    assert np.array_equal([p.data for p in model.parameters()], net.parameters())
    X, y = np.random.default_rng(4).normal(size=(6, 3)), np.array([0, 1, 1, 0, 1, 0])
    loss = sum(cross_entropy(model(x), int(t)) for x, t in zip(X, y)) / 6
    loss.backward()
    expected_loss, grads = net.gradients(X, y)
    assert abs(loss.data - expected_loss) < 1e-12
    got = model.gradients()
    assert all(np.max(np.abs(got.dL_dW[l] - grads.dL_dW[l])) < 1e-12 for l in grads.dL_dW)
