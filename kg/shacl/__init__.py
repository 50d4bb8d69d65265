"""newskg's SHACL engine: SHACL Core and SHACL-SPARQL validation at the speed of the build.

* :mod:`kg.shacl.shapes` compiles a shapes graph into plain objects;
* :mod:`kg.shacl.data` indexes the data graph (pyoxigraph terms);
* :mod:`kg.shacl.engine` walks the shapes over the data and returns results;
* :mod:`kg.shacl.literals` says what a literal's datatype and order are.

:mod:`kg.validate` turns the results into the report ``kg validate`` prints;
pyshacl stays the reference (``kg validate --engine pyshacl``), and
``tests/test_shacl_agreement.py`` holds the two to the same verdicts.
"""

from kg.shacl.data import DataGraph
from kg.shacl.engine import Result, run
from kg.shacl.shapes import ShapesModel, UnsupportedShapes, compile_shapes

__all__ = ["DataGraph", "Result", "ShapesModel", "UnsupportedShapes", "compile_shapes", "run"]
