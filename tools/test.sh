#!/usr/bin/env bash
# Install newskg with its test extras and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e '.[test,docs]'
if [ -x tools/jena-setup.sh ] && command -v java >/dev/null 2>&1 && [ ! -x .jena/jena.sh ]; then
  sh tools/jena-setup.sh "$PWD/.jena" || echo "jena setup failed; Jena tests will say why"
fi
python -m pytest -q "$@"
