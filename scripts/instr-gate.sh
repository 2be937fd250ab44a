#!/usr/bin/env bash
# Exact instructions per request under callgrind, for the 35-byte GET and the 718-byte browser GET,
# 16 pipelined, one per input, in two inputs (halves) and one byte per input (trickled), with the
# ratio to bare httparse on the same bytes in the same run.
# Fails when any figure is more than 3 % above benches/instr-baseline.txt: instruction counts are
# exact, so the gate is stable on a shared machine where wall clock is not.
#
#   scripts/instr-gate.sh            # measure and compare
#   scripts/instr-gate.sh --update   # measure and write the baseline (commit it with the change)
#
# Copies of 4 KiB and more (the 16 pipelined browser requests, 11.5 KB, copied into the
# connection's input buffer) would run glibc's `rep movsb`, which callgrind counts as one
# instruction per byte. The gate raises that threshold so every copy runs the vector loop, whose
# instructions are counted as executed. `RAW=1` measures without it.
set -euo pipefail
[ "${RAW:-0}" = 1 ] || export GLIBC_TUNABLES=glibc.cpu.x86_rep_movsb_threshold=1000000000
cd "$(dirname "$0")/.."

BASELINE=benches/instr-baseline.txt
N=3200
TOLERANCE_PERCENT=3

command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install -y valgrind)"; exit 1; }
cargo bench -q -p h1conn-benches --bench instr --no-run 2>/dev/null
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin=$(ls -t "$target_dir"/release/deps/instr-* | grep -v '\.d$' | head -1)

measure() { # MODE REQUEST -> instructions per request
  local ir n=$N
  # A trickled request costs a call per byte: fewer requests keep the run short.
  [[ $1 == *_trickle ]] && n=160
  ir=$(valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured*' \
    --callgrind-out-file=/dev/null "$bin" "$1" "$2" "$n" 2>&1 | awk '/Collected/ {print $4}')
  echo $((ir / n))
}

current=$(mktemp)
trap 'rm -f "$current"' EXIT
for req in minimal browser; do
  base=$(measure httparse "$req")
  echo "$req httparse $base" >>"$current"
  for mode in h1conn h1conn_single h1conn_halves h1conn_trickle; do
    per=$(measure "$mode" "$req")
    echo "$req $mode $per" >>"$current"
    # A head in pieces is also compared with the same head fed whole (one request per input).
    whole=$(awk -v r="$req" '$1 == r && $2 == "h1conn_single" {print $3}' "$current")
    awk -v r="$req" -v m="$mode" -v p="$per" -v b="$base" -v w="$whole" \
      'BEGIN {printf "  %-8s %-14s %7d instructions/request  %5.2fx httparse", r, m, p, p / b;
        if (m ~ /_(halves|trickle)$/) printf "  %5.2fx the head fed whole", p / w; printf "\n"}'
  done
done

if [ "${1:-}" = "--update" ]; then
  {
    echo "# Instructions per request (callgrind, scripts/instr-gate.sh); update with --update."
    cat "$current"
  } >"$BASELINE"
  echo "baseline written to $BASELINE"
  exit 0
fi

fail=0
while read -r req mode per; do
  [ "$mode" = httparse ] && continue
  was=$(awk -v r="$req" -v m="$mode" '$1 == r && $2 == m {print $3}' "$BASELINE")
  [ -n "$was" ] || { echo "no baseline for $req $mode"; fail=1; continue; }
  limit=$((was + was * TOLERANCE_PERCENT / 100))
  if [ "$per" -gt "$limit" ]; then
    echo "REGRESSION: $req $mode $per instructions/request, baseline $was (limit $limit)"
    fail=1
  fi
done <"$current"
[ "$fail" = 0 ] && echo "instructions per request within ${TOLERANCE_PERCENT}% of $BASELINE"
exit "$fail"
