#!/usr/bin/env bash
# Rewrites constraints.txt with the newest releases that pyproject.toml's ranges allow.
# Installs them into a throwaway venv, runs the whole test suite there, and only then replaces the file.
# Usage: scripts/update_constraints.sh [PYTHON]   (default python3)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install -q --upgrade pip
# eager: also what the venv came with (setuptools) goes to the newest release its range allows
"$work/venv/bin/pip" install -q --upgrade --upgrade-strategy eager -e '.[dev]'
"$work/venv/bin/fitness" models fetch all
"$work/venv/bin/python" -m pytest -q
{
  echo "# The exact versions the test suite passed with; the README and .ci/run install with '-c constraints.txt'."
  echo "# Regenerate with scripts/update_constraints.sh (docs/dependencies.md); never edit by hand."
  "$work/venv/bin/pip" freeze --all --exclude-editable | grep -v -i -E '^(fitness|pip)[= @]' | sort -f
} > constraints.txt.new
mv constraints.txt.new constraints.txt
echo "constraints.txt updated; review 'git diff constraints.txt' and commit it with the test run's result."
