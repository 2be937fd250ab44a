#!/usr/bin/env bash
# Load against real peers on loopback: h1conn's `serve` example against a hyper 1.x hello world
# (benches/hyper-hello, its own cargo project) with the same tokio worker threads, and nginx (one
# worker, `return 200`) as a reference column when it is installed.
#
# Scenarios: wrk keep-alive (50 connections), wrk with `Connection: close`, ab -k (HTTP/1.0
# keep-alive), wrk keep-alive with a browser's eleven request fields, and wrk keep-alive with a
# page's requests (scripts/wrk-page.lua: document, stylesheets, scripts, images), all on
# `GET $LOAD_PATH` (default `/`; the page's requests have their own paths, which the demo `serve`
# answers with the page's own resources: compare on that scenario with
# SERVE_BIN=target/release/h1conn-hello, built by `cargo build --release -p h1conn-hello`, which
# answers every GET as hyper's hello does). hyper and nginx answer with a body as long as
# the one `serve` sends for that path (read from its Content-Length first); `serve` runs with
# `--max-requests 0` (unlimited, as hyper; nginx gets keepalive_requests 1000000) unless
# MAX_REQUESTS says otherwise.
#
# The servers run side by side (idle when not loaded) and are measured alternately, round after
# round (A B C, then C B A, ...), since the load generator shares the machine's cores; the table
# shows requests/second per round, the medians, and the ratios serve/hyper and serve/nginx (the
# median of the per-round ratios).
#
#   scripts/load.sh                        # 3 rounds of 5 s per scenario and server
#   ROUNDS=5 DURATION=10 scripts/load.sh
#   THREADS=2 WRK_THREADS=2 scripts/load.sh
#   SERVE_BIN=path/to/serve scripts/load.sh   # an already built serve binary
#   HYPER_ARGS="--header-read-timeout 30" scripts/load.sh
#                                           # hyper with its timer on (by default it keeps no
#                                           # deadline and runs tokio without a time driver)
#   SERVE_BIN=$CARGO_TARGET_DIR/hyper-hello/release/hyper-hello WITH_NGINX=0 scripts/load.sh
#                                           # A/A check: hyper in both columns (noise floor)
#   SCENARIOS="wrk_keepalive" ROUNDS=21 scripts/load.sh
#                                           # some scenarios only, over more rounds
#   PIN=1 scripts/load.sh                  # servers on CPU 0, the load generator on CPU 1
#                                           # (taskset): neither takes the other's core
#
# Needs wrk and ab (apt-get install -y wrk apache2-utils; nginx-light for the reference column).
# Every run is bounded (wrk -d, ab -t, timeouts) and the servers are stopped on exit.
. "$(dirname "$0")/servers.sh"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-5}"
CONNS="${CONNS:-50}"
THREADS="${THREADS:-1}"
WRK_THREADS="${WRK_THREADS:-1}"
WITH_NGINX="${WITH_NGINX:-auto}"
LOAD_PATH="${LOAD_PATH:-/}"
MAX_REQUESTS="${MAX_REQUESTS:-0}"
PIN="${PIN:-0}"
SERVER_ON=()
CLIENT_ON=()
if [ "$PIN" = 1 ]; then
  need "apt-get install -y util-linux" taskset
  [ "$(nproc)" -ge 2 ] || { echo "PIN=1 needs two CPUs"; exit 1; }
  SERVER_ON=(taskset -c 0)
  CLIENT_ON=(taskset -c 1)
fi

need "apt-get install -y wrk apache2-utils python3" wrk ab python3
if [ "$WITH_NGINX" = auto ]; then
  if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then WITH_NGINX=1; else WITH_NGINX=0; fi
fi

echo "== build"
build_servers
work_dir h1conn-load

# start NAME CMD...: runs a server that prints `listening on ADDR` first; sets ADDR_<NAME>.
start() {
  launch "$@"
  printf -v "ADDR_$1" '%s' "$ADDR"
  echo "$1 listening on $ADDR"
}


# check ADDR: one GET $LOAD_PATH over a raw socket; prints the status line and the response
# fields, sets BODY_BYTES from Content-Length.
check() {
  local host="${1%:*}" port="${1##*:}" head
  exec 3<>"/dev/tcp/$host/$port"
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$LOAD_PATH" "$1" >&3
  head="$(timeout 5 sed -u '/^\r*$/q' <&3 | tr -d '\r')"
  exec 3<&-
  echo "  GET $LOAD_PATH -> $(paste -sd'|' <<<"$head" | sed 's/|$//; s/|/ | /g')"
  case "$(head -1 <<<"$head")" in *" 200 "*) ;; *) echo "unexpected answer"; exit 1 ;; esac
  BODY_BYTES="$(awk -F': *' 'tolower($1) == "content-length" {print $2}' <<<"$head")"
}

echo "== servers (tokio worker threads: $THREADS)"
start serve "${SERVER_ON[@]}" "$SERVE_BIN" --listen 127.0.0.1:0 --threads "$THREADS" --max-requests "$MAX_REQUESTS"
check "$ADDR_serve"
SERVE_BODY_BYTES="$BODY_BYTES"
# shellcheck disable=SC2086 # HYPER_ARGS is a list of words
start hyper "${SERVER_ON[@]}" "$HYPER_BIN" --listen 127.0.0.1:0 --threads "$THREADS" --body-bytes "$SERVE_BODY_BYTES" ${HYPER_ARGS:-}
check "$ADDR_hyper"
SERVERS=(serve hyper)
if [ "$WITH_NGINX" = 1 ]; then
  start_nginx "$SERVE_BODY_BYTES"
  check "$ADDR_nginx"
  SERVERS+=(nginx)
fi

# measure SCENARIO ADDR: prints requests/second; notes errors on stderr.
measure() {
  local scenario="$1" addr="$2" out rps
  case "$scenario" in
    wrk_keepalive)
      out="$(timeout $((DURATION + 30)) "${CLIENT_ON[@]}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" "http://$addr$LOAD_PATH" || true)"
      rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" ;;
    wrk_close)
      out="$(timeout $((DURATION + 30)) "${CLIENT_ON[@]}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" \
        -H 'Connection: close' "http://$addr$LOAD_PATH" || true)"
      rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" ;;
    wrk_browser)
      out="$(timeout $((DURATION + 30)) "${CLIENT_ON[@]}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" \
        "${BROWSER_FIELDS[@]}" "http://$addr$LOAD_PATH" || true)"
      rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" ;;
    wrk_page)
      out="$(timeout $((DURATION + 30)) "${CLIENT_ON[@]}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" \
        -s scripts/wrk-page.lua "http://$addr$LOAD_PATH" || true)"
      rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" ;;
    ab_http10_keepalive)
      out="$(timeout $((DURATION + 30)) "${CLIENT_ON[@]}" ab -k -q -c "$CONNS" -t "$DURATION" -n 10000000 "http://$addr$LOAD_PATH" 2>&1 || true)"
      rps="$(awk '/^Requests per second:/ {print $4}' <<<"$out")"
      local failed
      failed="$(awk '/^Failed requests:/ {print $3}' <<<"$out")"
      [ "${failed:-0}" = 0 ] || echo "    ($scenario $addr: $failed failed requests)" >&2 ;;
  esac
  if grep -qE 'Socket errors|Non-2xx' <<<"$out"; then
    echo "    ($scenario $addr: $(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | paste -sd';'))" >&2
  fi
  echo "${rps:-0}"
}

# shellcheck disable=SC2206 # SCENARIOS is a list of words
SCENARIOS=(${SCENARIOS:-wrk_keepalive wrk_close ab_http10_keepalive wrk_browser wrk_page})
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
echo "== load: $ROUNDS rounds x ${DURATION}s, $CONNS connections, wrk threads $WRK_THREADS"
for round in $(seq 1 "$ROUNDS"); do
  # Odd rounds run the servers in order, even rounds in reverse (A B C, C B A, ...): in an A/A
  # check the first slot of a round measured a few percent high.
  order=("${SERVERS[@]}")
  if [ $((round % 2)) = 0 ]; then
    order=()
    for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do order+=("${SERVERS[$i]}"); done
  fi
  for scenario in "${SCENARIOS[@]}"; do
    line="round $round  $scenario"
    for s in "${order[@]}"; do
      a="ADDR_$s"
      rps="$(measure "$scenario" "${!a}")"
      printf '%s\t%s\t%s\t%s\n' "$round" "$scenario" "$s" "$rps" >>"$RESULTS"
      line="$line  $s $rps"
    done
    echo "$line"
  done
done

echo
echo "== requests/second, median of $ROUNDS rounds (order A B C, C B A, ... by round)"
python3 - "$RESULTS" "${SERVERS[@]}" <<'EOF'
import statistics, sys
path, servers = sys.argv[1], sys.argv[2:]
runs = {}
for line in open(path):
    rnd, scen, srv, rps = line.split("\t")
    runs.setdefault(scen, {}).setdefault(srv, []).append(float(rps))
head = f"{'scenario':<22}" + "".join(f"{s:>12}" for s in servers) + f"{'serve/hyper':>13}"
if "nginx" in servers:
    head += f"{'serve/nginx':>13}"
print(head)
for scen, by in runs.items():
    med = {s: statistics.median(by[s]) for s in servers}
    row = f"{scen:<22}" + "".join(f"{med[s]:>12.0f}" for s in servers)
    # Ratio per round (same round = closest conditions), then the median of those.
    ratio = statistics.median(a / b for a, b in zip(by["serve"], by["hyper"]) if b)
    row += f"{ratio:>13.2f}"
    if "nginx" in servers:
        row += f"{statistics.median(a / b for a, b in zip(by['serve'], by['nginx']) if b):>13.2f}"
    print(row)
EOF
