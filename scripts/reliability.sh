#!/usr/bin/env bash
# Reliability under load, faults and hostile clients, on loopback, side by side: h1conn's `serve`
# (h1conn-tokio), the hyper 1.x hello world (benches/hyper-hello) and nginx (one worker) when
# installed. Each scenario of scripts/reliability.py runs against a fresh instance of each server
# (one worker thread), bounded in time, and the script prints one table.
#
#   scripts/reliability.sh                 # every scenario, full size (about 12 minutes)
#   scripts/reliability.sh --quick         # the CI gate: slowloris, flood, faults and fdlimit on serve
#                                          # only, small (under 2 minutes); exits 1 unless all pass
#   SCENARIOS="idle soak" scripts/reliability.sh
#   SERVE_BIN=path/to/serve scripts/reliability.sh
#
# Timeouts given to every server: header 5 s, keep-alive 5 s (nginx: client_header_timeout,
# keepalive_timeout; hyper-hello has none, which the table shows). Needs python3 and wrk
# (apt-get install -y python3 wrk; nginx-light for the reference column).
. "$(dirname "$0")/servers.sh"
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
need "apt-get install -y python3 wrk" python3 wrk
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
WITH_NGINX="${WITH_NGINX:-auto}"
if [ "$WITH_NGINX" = auto ]; then
  if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then WITH_NGINX=1; else WITH_NGINX=0; fi
fi
HEADER_TIMEOUT=5
KEEP_ALIVE=5
# For the slow readers: serve's send timer with a minimum rate (nginx: send_timeout 10s, a stall
# timer only; hyper-hello has none).
SEND_TIMEOUT=10
SEND_MIN_RATE=16384
# For fdlimit: the descriptors the server may open.
FD_LIMIT=128

if [ $QUICK = 1 ]; then
  SCENARIOS="${SCENARIOS:-slowloris flood faults fdlimit}"
  SERVERS=(serve)
  declare -A ARGS=(
    [slowloris]="--conns 200 --load-seconds 3 --min-throughput-ratio 0.5"
    [flood]="--clients 10 --flood-seconds 3"
    [faults]="--fault-repeats 50"
    [fdlimit]="--conns 400"
  )
else
  SCENARIOS="${SCENARIOS:-slowloris slowread idle flood faults fdlimit soak}"
  SERVERS=(serve hyper)
  [ "$WITH_NGINX" = 1 ] && SERVERS+=(nginx)
  declare -A ARGS=(
    [slowloris]="--conns 1000 --load-seconds 10"
    [slowread]="--conns 500 --send-timeout 45"
    [idle]="--conns 10000"
    [flood]="--clients 20 --flood-seconds 10"
    [faults]="--fault-repeats 200"
    [fdlimit]="--conns 400"
    [soak]="--conns 1000 --duration 60"
  )
fi

echo "== build"
if [ $QUICK = 1 ]; then build_servers serve-only; else build_servers; fi
work_dir h1conn-reliability
head -c $((1024 * 1024)) /dev/zero | tr '\0' x >"$WORK/big.bin"

# start_server NAME SCENARIO: a fresh instance; sets SPID and SADDR.
start_server() {
  local limit=()
  [ "$2" = fdlimit ] && limit=(prlimit "--nofile=$FD_LIMIT:$FD_LIMIT")
  case "$1" in
    serve)
      launch serve "${limit[@]}" "$SERVE_BIN" --listen 127.0.0.1:0 --threads 1 --max-requests 0 \
        --header-timeout "$HEADER_TIMEOUT" --keep-alive-timeout "$KEEP_ALIVE" \
        --send-timeout "$SEND_TIMEOUT" --send-min-rate "$SEND_MIN_RATE"
      SPID=$PID SADDR=$ADDR ;;
    hyper)
      local body=6
      [ "$2" = slowread ] && body=$((1024 * 1024))
      launch hyper "${limit[@]}" "$HYPER_BIN" --listen 127.0.0.1:0 --threads 1 --body-bytes "$body"
      SPID=$PID SADDR=$ADDR ;;
    nginx)
      start_nginx 1322 20000 "$KEEP_ALIVE"
      # The reference timeouts, and a 1 MiB file for the slow readers.
      sed -i "s|^http {|http {\n    client_header_timeout ${HEADER_TIMEOUT}s;\n    send_timeout ${SEND_TIMEOUT}s;|; s|location / {|location /big { alias $WORK/big.bin; }\n        location / {|" \
        "$WORK/nginx/nginx.conf"
      kill -HUP "$NGINX_PID"
      sleep 1
      SPID="$(pgrep -P "$NGINX_PID" | head -1)" SADDR=$ADDR_nginx ;;
  esac
}

stop_server() {
  if [ "$1" = nginx ]; then kill "$NGINX_PID" 2>/dev/null || true; else kill "$SPID" 2>/dev/null || true; fi
  sleep 0.5
}

fail=0
results="$WORK/results.txt"
for sc in $SCENARIOS; do
  for srv in "${SERVERS[@]}"; do
    # nginx sets its own descriptor limit (worker_rlimit_nofile).
    [ "$sc" = fdlimit ] && [ "$srv" = nginx ] && continue
    start_server "$srv" "$sc"
    big=/stream?chunks=1024\&size=1024
    [ "$srv" = nginx ] && big=/big
    # shellcheck disable=SC2086
    out="$(timeout 300 python3 scripts/reliability.py "$sc" --addr "$SADDR" --pid "$SPID" \
      --server-kind "$srv" --header-timeout "$HEADER_TIMEOUT" --keep-alive-timeout "$KEEP_ALIVE" \
      --big-path "$big" ${ARGS[$sc]} 2>"$WORK/$sc.$srv.err" | tail -1)" || true
    [ -n "$out" ] || out="{\"ok\": false, \"error\": \"$(tail -1 "$WORK/$sc.$srv.err" | tr '"' "'")\"}"
    printf '%-10s %-6s %s\n' "$sc" "$srv" "$out" | tee -a "$results"
    if [ "$srv" = serve ] && ! grep -q '"ok": true' <<<"$out"; then fail=1; fi
    stop_server "$srv"
  done
done

echo
echo "== summary (ok: the scenario's target met; see docs/RELIABILITY.md)"
awk '{ok = ($0 ~ /"ok": true/) ? "ok" : "MISS"; printf "%-10s %-6s %s\n", $1, $2, ok}' "$results"
if [ $QUICK = 1 ] && [ $fail = 1 ]; then
  echo "reliability gate: serve missed a scenario"
  exit 1
fi
