"""The maths a learner reads: activations, losses, the network with its forward and backward passes,
the 2-2-1 worked example (and the 2-2-2 one with biases), forward against reverse mode, and the tiny
autograd engine with the networks built from it.

Called "core" because everything else in `helpers` (training, figures, widgets, checks) is built on
these modules and none of them depends on a picture. Most names a notebook needs are also importable
from the top: ``from helpers import Network, sigmoid``.
"""
