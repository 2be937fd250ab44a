# Sourced by load.sh and server-cost.sh: strict mode, the repository as working directory, a
# CARGO_TARGET_DIR; builds the servers, keeps a scratch directory and the started servers' pids,
# and stops every server on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# need HINT TOOL...: exits unless every TOOL is installed, saying HINT.
need() {
  local hint="$1"
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing $tool ($hint)"; exit 1; }
  done
}

# build_servers: builds `serve` (unless SERVE_BIN names one) and the hyper hello world; sets
# SERVE_BIN and HYPER_BIN.
build_servers() {
  if [ -z "${SERVE_BIN:-}" ]; then
    cargo build -q --release -p h1conn-tokio --bin serve
    SERVE_BIN="$CARGO_TARGET_DIR/release/serve"
  fi
  (cd benches/hyper-hello && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/hyper-hello" cargo build -q --release)
  HYPER_BIN="$CARGO_TARGET_DIR/hyper-hello/release/hyper-hello"
}

# work_dir PREFIX: sets WORK to a new scratch directory, removed on exit with every server started.
work_dir() {
  WORK="$(mktemp -d "/tmp/$1.XXXXXX")"
  PIDS=()
  trap stop_all EXIT
}

stop_all() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}

# launch NAME CMD...: starts a server that prints `listening on ADDR` first (waiting up to 30 s);
# sets ADDR and PID.
launch() {
  local name="$1"
  shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PID=$!
  PIDS+=("$PID")
  ADDR=""
  for _ in $(seq 1 300); do
    ADDR="$(sed -n 's/^listening on //p' "$WORK/$name.out" | head -1)"
    [ -n "$ADDR" ] && return
    sleep 0.1
  done
  echo "$name did not start:"
  cat "$WORK/$name.err"
  exit 1
}
