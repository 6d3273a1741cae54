#!/usr/bin/env bash
# One device check: the adapter, the parity tests and the benchmark table, written to one folder.
#
#   tools/device/check.sh            on a machine with a real GPU: every kernel/nets parity test and
#                                    the whole benchmark (its Vulkan driver through Chromium)
#   tools/device/check.sh --tiny     a few parity tests and one small bench row: the script's own
#                                    check, minutes on SwiftShader
#   OUT=<dir>                        where to write (default reports/device-<date>)
#
# Writes <out>/adapter.json, <out>/tests-<package>.log, <out>/bench.json, <out>/bench.txt and
# <out>/summary.md (adapter line, test counts, the table). Exit status: non-zero when a step failed.
set -uo pipefail
cd "$(dirname "$0")/../.."

tiny=0
[[ "${1:-}" == "--tiny" ]] && tiny=1
out="${OUT:-reports/device-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
status=0

node tools/setup/ensure.mjs || exit 1

echo "== adapter"
if ! npx tsx tools/device/adapter.ts >"$out/adapter.json"; then
  echo "device check: no WebGPU adapter (see above)" >&2
  exit 1
fi
cat "$out/adapter.json"

if ((tiny)); then
  tests=("packages/kernels:src/conv/conv2d.test.ts src/pool/pool.test.ts")
  bench=(--filter 'bilinear' --runs 2 --warmup 1)
else
  tests=("packages/kernels:" "packages/nets:")
  bench=()
fi

for entry in "${tests[@]}"; do
  pkg="${entry%%:*}"
  files="${entry#*:}"
  log="$out/tests-$(basename "$pkg").log"
  echo "== parity tests: $pkg ${files:-(all)}"
  # shellcheck disable=SC2086 # files is a list of paths
  if ! (cd "$pkg" && npx vitest run $files) >"$log" 2>&1; then
    status=1
    echo "   failed (see $log)"
  fi
  tail -n 6 "$log"
done

echo "== bench ${bench[*]:-(every row)}"
if ! node tools/bin/bench.mjs "${bench[@]}" --out "$out/bench.json" | tee "$out/bench.txt"; then
  status=1
fi

{
  echo "# Device check $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Adapter: $(node -e 'const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`${a.vendor} / ${a.architecture} ${a.description}, ${a.userAgent}`)' "$out/adapter.json")"
  echo
  echo "Command: \`tools/device/check.sh${1:+ $1}\` (exit status $status)"
  echo
  for log in "$out"/tests-*.log; do
    echo "- $(basename "$log" .log): $(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests ' | tail -n 1 | sed 's/^ *//')"
  done
  echo
  echo '```'
  grep '^|' "$out/bench.txt"
  echo '```'
} >"$out/summary.md"
echo "== wrote $out/summary.md"
exit "$status"
