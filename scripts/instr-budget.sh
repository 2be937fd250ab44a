#!/usr/bin/env bash
# What the performance targets leave for the state machine, in exact instructions per request
# (callgrind, the same workload and bench binary as scripts/instr-gate.sh).
#
# For each request (35 B and 718 B GET, 16 pipelined) it prints:
#   - the target: 2.0x (35 B) and 1.3x (718 B) bare httparse on the same bytes;
#   - a loop that parses with httparse and writes the same response bytes, nothing else;
#   - inside the h1conn run: its own httparse call, then the functions that apply the rules the
#     issue forbids dropping (request line and target form, the field-line pass with the special
#     fields, the response's field checks, the persistence decision, Expect) and the split that
#     hands the head over as owned bytes, each inclusive of what it calls;
#   - what the target leaves once those are paid: the budget for everything else (the input
#     copy, events, the exchange's state, framing, deadlines, the adapter's loop).
# And for a head fed one byte per input: the target's budget per byte, and what the adapter's loop
# (the testkit driver's own code, no h1conn code) costs per byte.
#
# A function the compiler inlined into its caller has no inclusive figure of its own: it is
# printed as "inlined" and left out, so the sum can only be lower than the real cost.
set -euo pipefail
export GLIBC_TUNABLES=glibc.cpu.x86_rep_movsb_threshold=1000000000
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install -y valgrind)"; exit 1; }
# Line tables (no change to the code) let callgrind tell the driver's lines from h1conn's; a target
# directory of its own keeps the gate's build as it is.
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/budget"
CARGO_TARGET_DIR="$target_dir" CARGO_PROFILE_BENCH_DEBUG=line-tables-only \
  cargo bench -q -p h1conn-benches --bench instr --no-run 2>/dev/null
bin=$(ls -t "$target_dir"/release/deps/instr-* | grep -v '\.d$' | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
N=3200

# Instructions of the adapter's own loop per unit (the testkit driver and the bench's application:
# their lines, h1conn's inlined into them not counted).
loop_cost() { # DUMP UNITS
  callgrind_annotate --inclusive=no --auto=yes --threshold=100 "$1" 2>/dev/null |
    awk -v n="$2" '/Auto-annotated source: / {
        p = ($0 ~ /h1conn-testkit\/src\/driver.rs|benches\/src\/lib.rs|benches\/benches\/instr.rs/); next }
      /^The following|events annotated/ {p = 0; next}
      p && !/=>/ && $1 ~ /^[0-9,]+$/ && $2 ~ /^\(/ {gsub(/,/, "", $1); s += $1}
      END {printf "%.1f", s / n}'
}

run() { # MODE REQUEST N -> dump file path
  local out="$work/$1.$2"
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured*' \
    --callgrind-out-file="$out" "$bin" "$1" "$2" "$3" >"$out.txt" 2>/dev/null
  echo "$out"
}

total() { # DUMP N -> instructions per request
  callgrind_annotate "$1" 2>/dev/null | awk -v n="$2" '/PROGRAM TOTALS/ {gsub(/,/, "", $1); print int($1 / n)}'
}

# Inclusive instructions per request of each function named (a symbol of its own, not inlined).
inclusive() { # DUMP N NAME...
  local dump=$1 n=$2
  shift 2
  [ -s "$dump.incl" ] || callgrind_annotate --inclusive=yes --auto=no --threshold=100 "$dump" 2>/dev/null >"$dump.incl"
  for name in "$@"; do
    awk -v n="$n" -v name="$name" '
      index($0, name " [") && $0 ~ /\[[^]]*\]$/ { gsub(/,/, "", $1); found = int($1 / n); exit }
      END { if (found == "") print "inlined"; else print found }' "$dump.incl"
  done
}

rules=(
  "h1conn::request::head::Method::from_bytes"
  "h1conn::request::parse::target_form"
  "h1conn::request::parse::quick_fields"
  "h1conn::request::head::RequestHead::expect"
  "h1conn::response::validate_fields"
  "h1conn::conn::persistence::close_reasons"
)
owned=(
  "bytes::bytes_mut::BytesMut::split_to"
  "bytes::bytes_mut::BytesMut::split"
)

for req in minimal browser; do
  case $req in
    minimal) ratio=2.0 label="35 B GET" ;;
    browser) ratio=1.3 label="718 B browser GET" ;;
  esac
  bare=$(total "$(run httparse "$req" $N)" $N)
  respond=$(total "$(run httparse_respond "$req" $N)" $N)
  dump=$(run h1conn "$req" $N)
  whole=$(total "$dump" $N)
  target=$(awk -v b="$bare" -v r="$ratio" 'BEGIN {print int(b * r)}')
  parse=$(inclusive "$dump" $N "httparse::Request::parse_with_uninit_headers")
  echo "== $label, 16 pipelined (instructions per request)"
  printf "  %-58s %6d\n" "bare httparse (the baseline)" "$bare"
  printf "  %-58s %6d\n" "the target, ${ratio}x" "$target"
  printf "  %-58s %6d\n" "h1conn now" "$whole"
  printf "  %-58s %6d\n" "httparse and writing the response, nothing else" "$respond"
  printf "  %-58s %6s\n" "h1conn's own httparse call" "$parse"
  # What writing the response costs in the hand-written loop, on top of its parse.
  write=$((respond - bare))
  printf "  %-58s %6d\n" "  writing the response in that loop" "$write"
  sum=0
  for f in "${rules[@]}" "${owned[@]}"; do
    v=$(inclusive "$dump" $N "$f")
    printf "  %-58s %6s\n" "  ${f##*::}" "$v"
    [ "$v" = inlined ] || sum=$((sum + v))
  done
  left=$((target - parse - write - sum))
  printf "  %-58s %6d\n" "the rules and the owned head, together" "$sum"
  printf "  %-58s %6d\n" "left by the target for all else (target - parse - write - rules)" "$left"
  printf "  %-58s %6s\n" "  the adapter's loop and application, their own code" "$(loop_cost "$dump" $N)"
done

# A head fed one byte per input: the target is 3x the head fed whole (one request per input).
echo "== one byte per input (718 B browser GET)"
single=$(total "$(run h1conn_single browser $N)" $N)
tn=160
dump=$(run h1conn_trickle browser $tn)
trickle=$(total "$dump" $tn)
bytes=$(awk '/bytes\/request/ {print $2}' "$dump.txt") # the bench says how long the head is
loop=$(loop_cost "$dump" $((tn * bytes)))
awk -v s="$single" -v t="$trickle" -v b="$bytes" -v l="$loop" 'BEGIN {
  printf "  %-58s %6d\n", "the head fed whole", s
  printf "  %-58s %6d (%.1fx)\n", "fed one byte per input", t, t / s
  printf "  %-58s %6.1f\n", "the target, 3x: instructions per byte", 3 * s / b
  printf "  %-58s %6.1f\n", "  of which over the head fed whole (the budget per read)", 2 * s / b
  printf "  %-58s %6.1f\n", "the adapter loop'"'"'s own code per read", l
}'
