#!/usr/bin/env bash
# A fuzz campaign: every target for SECONDS (default 3600), two at a time, each from a scratch
# copy of its stored corpus, with debug assertions (overflow checks) on. Findings land in
# $OUT/art-TARGET/, logs (libFuzzer's final stats, /usr/bin/time -v) in $OUT/log-TARGET.txt, and
# the grown corpus in $OUT/TARGET/. Then keep what the corpus gained with
#
#   scripts/fuzz-campaign.sh --merge OUT   # minimise OUT's corpora into fuzz/corpus/TARGET/min-*
#
# and measure coverage with scripts/fuzz-coverage.sh.
#
#   scripts/fuzz-campaign.sh [SECONDS] [OUT]     # default 3600 s, OUT=/tmp/h1conn-fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

if [ "${1:-}" = --merge ]; then
    out="${2:?--merge OUT}"
    cd fuzz
    for target in $(cargo fuzz list); do
        [ -d "$out/$target" ] || continue
        min="$(mktemp -d)"
        # -set_cover_merge=1 keeps a small set of inputs with every feature the whole corpus has.
        dirs=("corpus/$target" "$out/$target")
        [ -d "regressions/$target" ] && dirs+=("regressions/$target")
        "$out/bin/$target" -set_cover_merge=1 "$min" "${dirs[@]}" >/dev/null 2>&1
        rm -f "corpus/$target"/min-*
        # libFuzzer names each kept input by the SHA-1 of its bytes: seeds and findings already
        # stored are not stored twice.
        stored=$(sha1sum "corpus/$target"/seed-* "regressions/$target"/* 2>/dev/null | cut -d' ' -f1)
        for f in "$min"/*; do
            grep -qx "$(basename "$f")" <<<"$stored" || cp "$f" "corpus/$target/min-$(basename "$f")"
        done
        echo "$target: $(ls "corpus/$target" | wc -l) inputs kept ($(du -sh "corpus/$target" | cut -f1))"
        rm -rf "$min"
    done
    exit 0
fi

secs="${1:-3600}"
out="${2:-/tmp/h1conn-fuzz}"
mkdir -p "$out/bin"
cd fuzz
cargo fuzz build -s none --debug-assertions
targets=$(cargo fuzz list)
for target in $targets; do
    cp "target/x86_64-unknown-linux-gnu/release/$target" "$out/bin/"
    mkdir -p "$out/$target" "$out/art-$target"
    cp -r "corpus/$target/." "$out/$target/"
    cp -r "regressions/$target/." "$out/$target/" 2>/dev/null || true
done
cp http.dict "$out/"

run() {
    (cd "$out" && nice -n 10 /usr/bin/time -v "bin/$1" "$1" -dict=http.dict -max_len=4096 \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="art-$1/" >"log-$1.txt" 2>&1) || true
}

set -- $targets
while [ $# -gt 0 ]; do
    run "$1" &
    [ $# -gt 1 ] && run "$2" &
    wait
    shift $(($# > 1 ? 2 : 1))
done

printf '%-16s %12s %8s %6s %7s %9s %s\n' target executions exec/s cov ft cpu_s findings
for target in $targets; do
    log="$out/log-$target.txt"
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.0f", u + s}' "$log")
    found=$(ls "$out/art-$target" | wc -l)
    printf '%-16s %12s %8s %6s %7s %9s %s\n' "$target" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$cpu" "$found"
done
echo "findings, if any, are in $out/art-TARGET/ (reproduce: cd fuzz && cargo fuzz run TARGET -s none FILE)"
cd "$root"
