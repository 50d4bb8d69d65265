"""What pyproject.toml cannot say: two top-level data folders installed inside the package.

``ontology/`` becomes ``kg.ontology`` and ``queries/`` ``kg.queries`` (a
``package_dir`` mapping; their subfolders, such as ``ontology/gazetteer``,
follow), beside every package found under ``kg/``. A pyproject.toml
``packages.find`` cannot list a mapped folder next to the found ones, and an
explicit list would miss a new subpackage. The reasons for the mapping are in
pyproject.toml; everything else is configured there.
"""

from setuptools import find_namespace_packages, setup

DATA_FOLDERS = {"kg.ontology": "ontology", "kg.queries": "queries"}
NOT_PACKAGES = ["__pycache__", "*.__pycache__"]

packages = find_namespace_packages(include=["kg", "kg.*"], exclude=NOT_PACKAGES)
for package, folder in DATA_FOLDERS.items():
    packages += [package, *(f"{package}.{sub}" for sub in find_namespace_packages(where=folder, exclude=NOT_PACKAGES))]

setup(packages=packages, package_dir=DATA_FOLDERS)
