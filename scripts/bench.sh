#!/usr/bin/env bash
# Runs the micro-benchmarks with short measurement times, ROUNDS times (default 3; the machine is
# shared and noisy), and prints every figure as a ratio to its baseline from the same run, the median
# over the rounds; then allocation / idle-memory counts and, when valgrind is installed, exact
# instruction counts per request (machine against bare httparse).
#
#   scripts/bench.sh                 # everything
#   ROUNDS=1 scripts/bench.sh        # one round
#   ONLY=request scripts/bench.sh    # one criterion bench (request, chunked or timers)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ROUNDS="${ROUNDS:-3}"
BENCHES="${ONLY:-request chunked timers}"
OUT="$CARGO_TARGET_DIR/bench-rounds"
CRIT_ARGS=(--measurement-time 3 --warm-up-time 1 --noplot)

echo "== machine"
echo "cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
COMMIT="${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (dirty)')}"
echo "commit: $COMMIT"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

cargo bench -p h1conn-benches --no-run >/dev/null 2>&1 || cargo bench -p h1conn-benches --no-run
rm -rf "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$CARGO_TARGET_DIR/criterion"
  for b in $BENCHES; do
    echo "== round $round/$ROUNDS: $b"
    log="$CARGO_TARGET_DIR/bench-$b.log"
    cargo bench -q -p h1conn-benches --bench "$b" -- "${CRIT_ARGS[@]}" >"$log" 2>&1 || { tail -20 "$log"; exit 1; }
    awk '
      /^[A-Za-z_0-9]+\// { name = $1 }
      /time:/ { match($0, /\[[^]]*\]/); split(substr($0, RSTART + 1, RLENGTH - 2), t, " ");
                printf "  %-55s %s %s\n", name, t[3], t[4] }' "$log"
  done
  mkdir -p "$OUT"
  cp -r "$CARGO_TARGET_DIR/criterion" "$OUT/$round"
done

echo
echo "== ratios (median over $ROUNDS round(s), spread in brackets)"
python3 scripts/bench_ratios.py "$OUT"/*

if [ -z "${ONLY:-}" ]; then
  echo
  cargo bench -q -p h1conn-benches --bench alloc
fi

if [ -z "${ONLY:-}" ] && command -v valgrind >/dev/null; then
  echo
  echo "== instructions per request (callgrind, 3200 requests after a warm-up)"
  bin=$(ls -t "$CARGO_TARGET_DIR"/release/deps/instr-* | grep -v '\.d$' | head -1)
  n=3200
  for req in minimal browser; do
    base=""
    for mode in httparse httparse_respond h1conn h1conn_keep h1conn_single h1conn_keep_single \
      h1conn_at_once_single; do
      ir=$(valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured*' \
        --callgrind-out-file=/dev/null "$bin" "$mode" "$req" "$n" 2>&1 |
        awk '/Collected/ {print $4}')
      per=$((ir / n))
      [ -z "$base" ] && base=$per
      awk -v r="$req" -v m="$mode" -v p="$per" -v b="$base" \
        'BEGIN {printf "  %-8s %-20s %7d Ir/request  %5.2fx httparse\n", r, m, p, p / b}'
    done
  done
fi

if [ -z "${ONLY:-}" ] && command -v valgrind >/dev/null; then
  echo
  echo "== handle_timeout + poll_timeout on an idle connection (callgrind, 10000 rounds)"
  for served in 1 1000 100000; do
    ir=$(valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured_timers*' \
      --callgrind-out-file=/dev/null "$bin" timers "$served" 2>&1 | awk '/Collected/ {print $4}')
    echo "  after $served requests: $((ir / 10000)) Ir per round"
  done
fi
