#!/usr/bin/env bash
# What `CI=true bash .ci/run` prints on a machine without chromium, python3-sentencepiece,
# python3-numpy or a C++ compiler, shown on this (full) machine by simulation:
#   - the compiler: the native addon is compiled into a scratch copy of packages/backends/native
#     with ALBERT_TS_NATIVE_BUILD=fail (a compiler that does not exist), exactly as the install
#     script does when g++ is missing, and ALBERT_TS_NATIVE_DIR points the loader at that copy;
#   - the rest: ALBERT_TS_TEST_HIDE=chromium,numpy,sentencepiece (test-utils/requirements.ts).
# By default it runs one test file per missing thing (seconds, not the 9 minutes of the whole
# suite); --full runs `bash .ci/run` itself under the same simulation.
# Exits 0 when the run FAILED and every missing thing was named with how to install it; 1 otherwise.
#
#   bash scripts/ci-simulate.sh [--full]
set -uo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d /tmp/albert-ci-simulate.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/native"
cp -r packages/backends/native/binding.gyp packages/backends/native/src "$scratch/native/"

echo "== install without a compiler (ALBERT_TS_NATIVE_BUILD=fail) =="
ALBERT_TS_NATIVE_BUILD=fail node packages/backends/scripts/build-native.mjs \
  --dir "$scratch/native" --prebuilds "$scratch/prebuilds"

export CI=true
export ALBERT_TS_NATIVE_DIR="$scratch/native"
export ALBERT_TS_TEST_HIDE=chromium,numpy,sentencepiece
log="$scratch/run.log"

if [ "${1:-}" = "--full" ]; then
  echo "== CI=true bash .ci/run (simulated machine) =="
  bash .ci/run >"$log" 2>&1
  status=$?
else
  echo "== CI=true: one test file per missing thing (simulated machine) =="
  rm -f .vitest/report.json
  pnpm vitest \
    packages/tokenizer/test/browser.test.ts \
    packages/core/test/safetensors/python-interop.test.ts \
    packages/tokenizer/test/trainer/python-compat.test.ts \
    packages/core/test/fused-attention.test.ts >"$log" 2>&1
  status=$?
  # The closing line .ci/run prints from the same report.
  node -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped > 0 ? `, ${skipped} skipped` : ""));
  ' "$PWD/.vitest/report.json" >>"$log" 2>&1 || true
fi

echo "-- the lines naming what is missing (from $([ "${1:-}" = "--full" ] && echo '.ci/run' || echo 'vitest')) --"
# One line per missing thing, as the failing tests print them.
grep -ohE "CI=true: [^\"]*is missing \([^)]*\); install it: [^\"']*|native: the native addon did not load[^\"']*" "$log" |
  sed -E 's/\\n.*//; s/\x1b\[[0-9;]*m//g' | sort -u
echo "-- closing line --"
grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1

ok=1
if [ "$status" -eq 0 ]; then
  echo "ci-simulate: the run PASSED on the simulated machine (exit 0); it must fail" >&2
  ok=0
fi
for want in 'chromium.*install it: apt-get install chromium' \
  'numpy.*install it: apt-get install python3-numpy' \
  'sentencepiece.*install it: apt-get install python3-sentencepiece' \
  'native: the native addon did not load.*g\+\+'; do
  if ! grep -qE "$want" "$log"; then
    echo "ci-simulate: no line matching /$want/ in the output" >&2
    ok=0
  fi
done
if [ "$ok" -eq 1 ]; then
  echo "ci-simulate: OK — the run failed (exit $status) and named chromium, python3-numpy, python3-sentencepiece and the compiler"
  exit 0
fi
echo "ci-simulate: FAILED — full output in the log above ($log is removed on exit):" >&2
tail -60 "$log" >&2
exit 1
