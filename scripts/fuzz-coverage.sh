#!/usr/bin/env bash
# Line and region coverage of the core (h1conn/src) by the stored fuzz inputs: every input in
# fuzz/corpus/TARGET and fuzz/regressions/TARGET run through its target's checker again
# (h1conn-testkit/tests/fuzz_corpus.rs), under cargo-llvm-cov.
#
#   scripts/fuzz-coverage.sh           # summary per file
#   scripts/fuzz-coverage.sh --html    # and an HTML report in target/llvm-cov/html
#
# Needs cargo-llvm-cov and LLVM's llvm-cov / llvm-profdata of the compiler's LLVM version
# (rustc -vV; Debian's llvm-22 for rustc 1.95), installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

llvm=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
if ! command -v "llvm-cov-$llvm" >/dev/null; then
    apt-get install -y "llvm-$llvm"
fi
if ! cargo llvm-cov --version >/dev/null 2>&1; then
    cargo install cargo-llvm-cov --locked
fi
export LLVM_COV="/usr/bin/llvm-cov-$llvm" LLVM_PROFDATA="/usr/bin/llvm-profdata-$llvm"

others=()
for p in h1conn-testkit h1conn-tokio h1probe h1conn-demo h1conn-benches; do
    others+=(--exclude-from-report "$p")
done
# Stale objects of an earlier build would be reported as uncovered copies of the same files.
cargo llvm-cov clean --workspace
cargo llvm-cov --workspace --test fuzz_corpus "${others[@]}" "${@:---summary-only}"
