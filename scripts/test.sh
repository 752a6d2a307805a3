#!/usr/bin/env bash
# The whole check: codegen drift, typecheck (the build in setup), lint, the
# dependency rules, then every unit and integration test on node's runner.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/codegen.mjs --check
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --list-different .; exit 1; }
npx depcruise src --config .dependency-cruiser.cjs --output-type err
npx knip --no-progress

mapfile -t files < <(find dist/src dist/test -name '*.test.js' | sort)
exec node --test --test-concurrency=2 "${files[@]}"
