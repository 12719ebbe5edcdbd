#!/usr/bin/env bash
# Shows the pre-commit hooks working end to end with `pre-commit try-repo`: a scratch repository
# with one plan and one rubric, checked by the hooks of this checkout (committed HEAD).
# Needs pre-commit (pip install pre-commit) and the package index, as pre-commit builds the hook.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q .
mkdir plans rubrics
python3 "$repo/bench/generate.py" 40 > plans/ready.yaml   # a plan that is ready whatever the date
printf 'name: ours\nextends: strict\n' > rubrics/ours.yaml
git add . && git -c user.email=ci@example.invalid -c user.name=ci commit -qm scratch
echo "== a ready plan passes"
pre-commit try-repo "$repo" readiness --files plans/ready.yaml
echo "== the rubric hook validates rubric files"
pre-commit try-repo "$repo" readiness-rubric --files rubrics/ours.yaml
echo "== a broken plan fails the hook"
printf 'schema_version: 2\n' > plans/broken.yaml && git add plans/broken.yaml
if pre-commit try-repo "$repo" readiness --files plans/broken.yaml; then
  echo "expected the hook to fail on an invalid plan" >&2
  exit 1
fi
echo "pre-commit hooks work"
