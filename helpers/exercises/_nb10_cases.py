"""What notebook 10's code exercises share: the seed of their hidden cases and how those are drawn."""

import numpy as np

from ..checking.codecheck import Case

# The hidden cases are drawn from fixed seeds: the same every run, different from the example.
_SEED = 909
N_HIDDEN = 6


def _hidden(rng_args, show):
    rng = np.random.default_rng(_SEED)
    cases = []
    for _ in range(N_HIDDEN):
        args = rng_args(rng)
        cases.append(Case("a hidden random case", (lambda args=args: args), show(*args)))
    return cases


def _away_from_one(rng):
    """An incoming gradient that is clearly not 1, so that forgetting it shows."""
    g = rng.uniform(0.2, 2.0) * rng.choice([-1.0, 1.0])
    return g if abs(abs(g) - 1.0) > 0.1 else 2.0 * g
