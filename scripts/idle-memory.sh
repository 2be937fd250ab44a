#!/usr/bin/env bash
# User-space memory per idle keep-alive connection, end to end: the server's RSS growth while
# CONNS clients (default 2000) each made one keep-alive request and then sit idle, divided by
# CONNS. Measured for h1conn's `serve`, the hyper 1.x hello world (benches/hyper-hello) and nginx
# (one worker) when installed, one after the other, each with one worker thread.
#
#   scripts/idle-memory.sh
#   CONNS=10000 scripts/idle-memory.sh
#   SERVE_BIN=path/to/serve scripts/idle-memory.sh
#   GATE=2560 scripts/idle-memory.sh   # serve alone; fails above 2560 bytes per idle connection
#
# RSS is read from /proc/PID/status (VmRSS) once the connections are idle (IDLE_WAIT seconds after
# the last response, default 2: past serve's release of idle buffers, 1 s by default) and compared
# with the RSS after a warm-up of 20 connections. Loopback only; stops by itself.
. "$(dirname "$0")/servers.sh"
CONNS="${CONNS:-2000}"
IDLE_WAIT="${IDLE_WAIT:-2}"
WITH_NGINX="${WITH_NGINX:-auto}"
GATE="${GATE:-}"
[ -n "$GATE" ] && WITH_NGINX=0

need "apt-get install -y python3" python3
ulimit -n $((CONNS * 2 + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$WITH_NGINX" = auto ]; then
  if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then WITH_NGINX=1; else WITH_NGINX=0; fi
fi

echo "== build"
if [ -n "$GATE" ]; then build_servers serve-only; else build_servers; fi
work_dir h1conn-idle

# The client: opens N keep-alive connections, one GET each, reads every response, prints
# "idle", then holds the connections until its input ends.
cat >"$WORK/client.py" <<'EOF'
import socket, sys, time, selectors
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sel = selectors.DefaultSelector()
socks = []
for _ in range(n):
    s = socket.create_connection((host, port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    sel.register(s, selectors.EVENT_READ)
    socks.append(s)
pending = {s: b"" for s in socks}
deadline = time.time() + 30
while pending and time.time() < deadline:
    for key, _ in sel.select(1):
        s = key.fileobj
        if s not in pending:
            continue
        data = s.recv(65536)
        pending[s] += data
        head, sep, body = pending[s].partition(b"\r\n\r\n")
        if sep:
            length = 0
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v)
            if len(body) >= length:
                del pending[s]
                sel.unregister(s)
        if not data and s in pending:
            del pending[s]
            sel.unregister(s)
print("idle" if not pending else "incomplete %d" % len(pending), flush=True)
sys.stdin.read()
EOF

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# measure NAME PID ADDR: RSS growth per idle connection, in bytes.
measure() {
  local name="$1" pid="$2" addr="$3" before after
  local host="${addr%:*}" port="${addr##*:}"
  # Warm-up: the server's first connections allocate its one-off structures.
  python3 "$WORK/client.py" "$host" "$port" 20 </dev/null >/dev/null
  sleep "$IDLE_WAIT"
  before="$(rss_kb "$pid")"
  mkfifo "$WORK/hold.$name"
  python3 "$WORK/client.py" "$host" "$port" "$CONNS" <"$WORK/hold.$name" >"$WORK/client.$name.out" &
  local client=$!
  exec 4>"$WORK/hold.$name"
  for _ in $(seq 1 600); do
    grep -q . "$WORK/client.$name.out" 2>/dev/null && break
    sleep 0.1
  done
  local state
  state="$(cat "$WORK/client.$name.out")"
  sleep "$IDLE_WAIT"
  after="$(rss_kb "$pid")"
  exec 4>&-
  wait "$client" || true
  PER_CONN=$(((after - before) * 1024 / CONNS))
  printf '%-8s %6d connections (%s): RSS %7d KB -> %7d KB, %6d bytes per idle connection\n' \
    "$name" "$CONNS" "$state" "$before" "$after" "$PER_CONN"
  [ "$state" = idle ] || { echo "$name: not every connection got its response ($state)"; exit 1; }
}

launch serve "$SERVE_BIN" --listen 127.0.0.1:0 --threads 1 --keep-alive-timeout 600 --max-requests 0
measure serve "$PID" "$ADDR"
if [ -n "$GATE" ]; then
  [ "$PER_CONN" -le "$GATE" ] || { echo "FAIL: $PER_CONN bytes per idle connection, over $GATE"; exit 1; }
  echo "ok: $PER_CONN bytes per idle connection, within $GATE"
  exit 0
fi
launch hyper "$HYPER_BIN" --listen 127.0.0.1:0 --threads 1
measure hyper "$PID" "$ADDR"

if [ "$WITH_NGINX" = 1 ]; then
  start_nginx 5 $((CONNS + 100)) 600
  measure nginx "$(pgrep -P "$NGINX_PID" | head -1)" "$ADDR_nginx"
fi
