#!/usr/bin/env bash
# Exact, load-independent cost per request of h1conn's `serve` example and the hyper hello world
# (benches/hyper-hello), on the same bounded workload: `ab -c 10 -n $N` after a 2000-request
# warm-up, HTTP/1.0 keep-alive (ab -k) and one connection per request (ab without -k).
#
# - user-space instructions per request (valgrind --tool=callgrind, counters zeroed after the
#   warm-up, dumped after the run);
# - the same under `wrk -c 50` keep-alive for $WRK_SECONDS s (default 4), divided by the requests
#   wrk counted: HTTP/1.1 with Host as the only field, where a request's fixed cost decides;
#   with the eleven fields of a browser's navigation request, the same on every request; and a
#   page's requests (scripts/wrk-page.lua: the document, stylesheets, scripts and images, each
#   kind with its own Accept and Sec-Fetch fields, the other lines shared);
# - system calls per request (strace -c -f attached for the run).
#
#   scripts/server-cost.sh            # N=20000 on GET $LOAD_PATH (default /)
#   HYPER_ARGS="--header-read-timeout 30" scripts/server-cost.sh
#                                     # hyper with its one server timer on (by default it keeps
#                                     # no deadline at all), as `serve` keeps its own
#
# Needs valgrind, strace, ab and wrk. Servers get --threads 1; hyper answers with a body as long as
# serve's (read from its Content-Length). Everything is bounded and the servers are stopped.
. "$(dirname "$0")/servers.sh"
N="${N:-20000}"
LOAD_PATH="${LOAD_PATH:-/}"
WRK_SECONDS="${WRK_SECONDS:-4}"
need "apt-get install -y valgrind strace apache2-utils wrk" valgrind callgrind_control callgrind_annotate strace ab wrk

SERVE_BIN="${SERVE_BIN:-}"
build_servers
work_dir h1conn-cost

stop() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
}

body_bytes() {
  local host="${1%:*}" port="${1##*:}"
  exec 3<>"/dev/tcp/$host/$port"
  printf 'GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$LOAD_PATH" >&3
  timeout 5 sed -u '/^\r*$/q' <&3 | tr -d '\r' | awk -F': *' 'tolower($1) == "content-length" {print $2}'
  exec 3<&-
}

# load ADDR KEEPALIVE N
load() {
  local ka=()
  [ "$2" = 1 ] && ka=(-k)
  timeout 600 ab "${ka[@]}" -q -c 10 -n "$3" "http://$1$LOAD_PATH" >"$WORK/ab.out" 2>&1 || true
  local done failed
  done="$(awk '/^Complete requests:/ {print $3}' "$WORK/ab.out")"
  failed="$(awk '/^Failed requests:/ {print $3}' "$WORK/ab.out")"
  [ "${done:-0}" = "$3" ] && [ "${failed:-1}" = 0 ] || { echo "ab: $done done, $failed failed"; tail -5 "$WORK/ab.out"; exit 1; }
}

launch probe "$SERVE_BIN" --listen 127.0.0.1:0 --threads 1 --max-requests 0
BODY="$(body_bytes "$ADDR")"
stop
echo "GET $LOAD_PATH: serve's body is $BODY bytes; hyper answers with as many"

# server_cmd NAME: sets cmd to the command line of `serve` or of the hyper hello world.
server_cmd() {
  if [ "$1" = serve ]; then
    cmd=("$SERVE_BIN" --listen 127.0.0.1:0 --threads 1 --max-requests 0)
  else
    # shellcheck disable=SC2206 # HYPER_ARGS is a list of words
    cmd=("$HYPER_BIN" --listen 127.0.0.1:0 --threads 1 --body-bytes "$BODY" ${HYPER_ARGS:-})
  fi
}

# instructions NAME WARM MEASURE: runs NAME under callgrind, calls the function WARM, zeroes the
# counters, calls MEASURE, and sets IR_TOTAL to the user-space instructions counted since.
instructions() {
  server_cmd "$1"
  launch "$1" valgrind --tool=callgrind --callgrind-out-file="$WORK/$1.cg" "${cmd[@]}"
  "$2"
  callgrind_control -z "$PID" >/dev/null 2>&1
  "$3"
  callgrind_control -d "$PID" >/dev/null 2>&1
  sleep 1
  stop
  local dump
  dump="$(ls -t "$WORK/$1.cg".* | head -1)"
  IR_TOTAL="$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(/,/, "", $1); print $1}')"
  rm -f "$WORK/$1.cg"*
}

ab_warm() { load "$ADDR" "$ka" 2000; }
ab_measure() { load "$ADDR" "$ka" "$N"; }
# What wrk adds to each request: nothing (Host alone), a browser's fields, or a page's requests.
WRK_ARGS=()
wrk_warm() { timeout 60 wrk -t1 -c50 -d1s "${WRK_ARGS[@]}" "http://$ADDR$LOAD_PATH" >/dev/null; }
wrk_measure() {
  WRK_REQUESTS="$(timeout 120 wrk -t1 -c50 -d"${WRK_SECONDS}s" "${WRK_ARGS[@]}" "http://$ADDR$LOAD_PATH" | awk '/requests in/ {print $1}')"
}

declare -A IR SYS
for ka in 1 0; do
  for name in serve hyper; do
    instructions "$name" ab_warm ab_measure
    IR[$name$ka]=$((IR_TOTAL / N))
    # System calls.
    server_cmd "$name"
    launch "$name" "${cmd[@]}"
    load "$ADDR" "$ka" 2000
    strace -c -f -p "$PID" -o "$WORK/$name.strace" 2>/dev/null &
    st=$!
    sleep 1
    load "$ADDR" "$ka" "$N"
    kill -INT "$st"
    wait "$st" 2>/dev/null || true
    stop
    SYS[$name$ka]="$(awk -v n="$N" '
      $NF == "total" { printf "%.2f", $4 / n; next }
      /^ *[0-9]/ && $NF != "syscall" { d = (NF == 6) ? " (" $5 " failed)" : ""; s = s sprintf(" %s %.2f%s,", $NF, $4 / n, d) }
      END { printf " =%s", s }' "$WORK/$name.strace" | sed 's/,$//')"
  done
  mode="HTTP/1.0 keep-alive (ab -k)"
  [ "$ka" = 0 ] && mode="one connection per request (ab)"
  echo
  echo "== $mode, $N requests after 2000"
  for name in serve hyper; do
    printf '  %-6s %7d Ir/request   syscalls/request: %s\n' "$name" "${IR[$name$ka]}" "${SYS[$name$ka]}"
  done
  awk -v a="${IR[serve$ka]}" -v b="${IR[hyper$ka]}" 'BEGIN {printf "  serve/hyper instructions: %.2f\n", a / b}'
done

declare -A WIR
for run in one browser page; do
  case "$run" in
    one) WRK_ARGS=() title="one field" ;;
    browser) WRK_ARGS=("${BROWSER_FIELDS[@]}") title="a browser's 11 fields" ;;
    page) WRK_ARGS=(-s scripts/wrk-page.lua) title="a page's 11 kinds of request (scripts/wrk-page.lua)" ;;
  esac
  echo
  echo "== HTTP/1.1 keep-alive, $title (wrk -c 50, ${WRK_SECONDS} s after 1 s)"
  for name in serve hyper; do
    instructions "$name" wrk_warm wrk_measure
    WIR[$name]=$((IR_TOTAL / WRK_REQUESTS))
    printf '  %-6s %7d Ir/request   (%d requests)\n' "$name" "${WIR[$name]}" "$WRK_REQUESTS"
  done
  awk -v a="${WIR[serve]}" -v b="${WIR[hyper]}" 'BEGIN {printf "  serve/hyper instructions: %.2f\n", a / b}'
done
