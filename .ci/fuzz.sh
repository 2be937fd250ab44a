#!/usr/bin/env bash
# Builds every fuzz target and runs each for a short while (FUZZ_SECONDS, default 30).
# Works on the stable toolchain: `-s none` turns off the sanitizer, which would need nightly.
# Usage: bash .ci/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-${FUZZ_SECONDS:-30}}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

cd fuzz
cargo fuzz build -s none
for target in $(cargo fuzz list); do
    echo "== fuzz $target for ${secs}s"
    # Run from a scratch copy of the corpus so a CI run leaves the checked-in seeds unchanged.
    work="$(mktemp -d)"
    mkdir -p "corpus/$target"
    cp -r "corpus/$target/." "$work/"
    cargo fuzz run "$target" -s none "$work" -- \
        -dict=http.dict -max_len=4096 -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1
    rm -rf "$work"
done
echo "fuzz: every target ran ${secs}s without a finding"
