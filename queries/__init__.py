"""Package data, not code: installed as ``kg.queries`` (setup.py maps this folder; pyproject.toml says why).

This file makes the folder a regular package, so that an editable install
(``pip install -e .``) finds it too; :mod:`kg.query` lists and reads the ``*.rq`` files.
"""
