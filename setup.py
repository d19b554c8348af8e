"""Adds the data set to the package; everything else about it is in pyproject.toml.

The data set's home is the top-level data/ folder, beside the script that makes it and the note
that describes it. The installed package must carry it too, so data/ becomes the subpackage
`helpers.course_data`, where `helpers.data` finds it with importlib.resources. pyproject.toml
cannot both discover packages and add one that lives in another folder, hence these lines.
The page widgets' JavaScript modules (helpers/widgets/page/js/*.js) ship beside their package too.
"""

from setuptools import find_packages, setup

setup(
    # Discovered, not listed, so a new subpackage of helpers is never left out of the wheel.
    packages=[*find_packages(include=["helpers", "helpers.*"]), "helpers.course_data"],
    package_dir={"helpers.course_data": "data"},
    package_data={"helpers.course_data": ["*.csv", "*.md"],
                  # the page widgets' ES modules, read by helpers.widgets.page.module_source
                  "helpers.widgets.page": ["js/*.js"]},
)
