# Sourced by load.sh and server-cost.sh: strict mode, the repository as working directory, a
# CARGO_TARGET_DIR; builds the servers, keeps a scratch directory and the started servers' pids,
# and stops every server on exit; a browser's request fields for wrk.
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

# The fields of a browser's navigation request, as wrk arguments: those of benches/src/lib.rs
# BROWSER but Host (wrk sends it) and `Connection: keep-alive` (HTTP/1.1 keeps alive anyway);
# eleven field lines with Host. What a page's requests repeat on a kept-alive connection.
BROWSER_FIELDS=(
  -H "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"
  -H "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
  -H "Accept-Language: en-US,en;q=0.9,de;q=0.7,fr;q=0.5"
  -H "Accept-Encoding: gzip, deflate, br, zstd"
  -H "Referer: https://www.example.com/articles/2024/06/index.html?page=2"
  -H "Cookie: session=6f1c2b9e4d8a47f0b3e5c7d9a1f3e5b7; theme=dark; consent=analytics%3D0%26ads%3D0; _ga=GA1.2.1234567890.1717171717"
  -H "Upgrade-Insecure-Requests: 1"
  -H "Sec-Fetch-Dest: document"
  -H "Sec-Fetch-Mode: navigate"
  -H "Sec-Fetch-Site: same-origin"
)

# build_servers [serve-only]: builds `serve` (unless SERVE_BIN names one) and the hyper hello
# world; sets SERVE_BIN and HYPER_BIN.
build_servers() {
  if [ -z "${SERVE_BIN:-}" ]; then
    cargo build -q --release -p h1conn-tokio --bin serve
    SERVE_BIN="$CARGO_TARGET_DIR/release/serve"
  fi
  [ "${1:-}" = serve-only ] && return
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
  # The files exist before the server starts, so the first look for its address cannot fail.
  : >"$WORK/$name.out"
  : >"$WORK/$name.err"
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

# free_port: prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_nginx BODY_BYTES [CONNECTIONS] [KEEPALIVE_SECS]: nginx with one worker answering every
# request with 200 and a body of BODY_BYTES, under the command prefix SERVER_ON (an array, may be
# unset); sets ADDR_nginx and NGINX_PID (the master's pid).
start_nginx() {
  local port body conns="${2:-1024}" keepalive="${3:-75}"
  port="$(free_port)"
  body="$(head -c "$1" /dev/zero | tr '\0' x)"
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections $conns; }
worker_rlimit_nofile $((conns * 2 + 100));
http {
    access_log off;
    keepalive_timeout $keepalive;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$port;
        location / { default_type text/plain; return 200 "$body"; }
    }
}
EOF
  "${SERVER_ON[@]}" "$(command -v nginx || echo /usr/sbin/nginx)" -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
    >"$WORK/nginx.out" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.1
  done
  ADDR_nginx="127.0.0.1:$port"
  echo "nginx listening on $ADDR_nginx (one worker, return 200)"
}
