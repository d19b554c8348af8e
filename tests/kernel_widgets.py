"""The kernel version of any course widget, for tests of what Python draws and computes.

Six widgets draw in the page by default (home="page"); their kernel versions, drawn by Python as a
PNG, stay behind the same constructor with home="kernel". The tests that sweep every widget's
controls or pictures in Python build the kernel versions with `kernel_build(name)`.
"""

import inspect

import helpers.widgets as course_widgets


def kernel_version(build):
    """`build` (a widget constructor) made to return the kernel version of its widget."""
    if "home" not in inspect.signature(build).parameters:
        return build

    def kernel(*args, **kwargs):
        return build(*args, home="kernel", **kwargs)

    kernel.__name__ = build.__name__
    return kernel


def kernel_build(name, *args, **kwargs):
    """The kernel version of helpers.widgets.<name>, built with these arguments."""
    return kernel_version(getattr(course_widgets, name))(*args, **kwargs)
