"""One module of exercise checks per notebook: ``from helpers.exercises import nb02 as check``.

Importing this package in an IPython kernel also adds a friendly note below every NameError (a
cell run before the cells above it): see `helpers.friendly`. Outside IPython it does nothing.
"""

from ..checking import friendly as _friendly

_friendly.install()
