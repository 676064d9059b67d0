#!/usr/bin/env bash
# The published shape of every public package, from its built dist: publint (package.json
# fields, exports, files; warnings fail too) and attw --profile esm-only (the types resolve
# for Node 16+ ESM and bundlers; these packages are ESM-only, so node10/CJS are not checked).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for dir in packages/*/; do
  if node -e "process.exit(require('./${dir}package.json').private ? 1 : 0)"; then
    echo "-- ${dir}"
    (cd "$dir" && pnpm exec publint --strict) || status=1
    pnpm exec attw --pack "$dir" --profile esm-only --format table-flipped || status=1
  fi
done
exit "$status"
