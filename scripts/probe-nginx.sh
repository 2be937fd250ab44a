#!/usr/bin/env bash
# Runs `h1probe --quick` against Debian's nginx (installed if missing) on a free local port, with a
# temporary configuration and one worker, and checks that the checks which fail are exactly those
# listed in h1probe/expected/nginx.txt. Exits non-zero on any difference.
#
#   scripts/probe-nginx.sh [extra h1probe options]     e.g. --format junit --output nginx.xml
#
# KEEP=1 leaves nginx running and prints its address instead of probing (for a full run by hand).
set -euo pipefail
cd "$(dirname "$0")/.."

nginx_bin=$(command -v nginx || true)
[ -n "$nginx_bin" ] || nginx_bin=/usr/sbin/nginx
if [ ! -x "$nginx_bin" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx-light >/dev/null
fi

work=$(mktemp -d /tmp/h1probe-nginx.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/tmp"
chmod 777 "$work/tmp"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}
port=${NGINX_PORT:-$(free_port)}
backend=$(free_port)

# nginx as a reverse proxy (its common deployment, and one that reads request bodies, so the body
# framing checks reach its chunked parser) in front of a second nginx server block answering
# 200 "ok" (404 for /h1probe-missing). Timeouts of 2 s so the timing checks finish quickly, but
# 3 s for the body: a body timeout of 2 s would race the probe's 2 s wait for a first response;
# `keepalive_timeout 2 2` also advertises `Keep-Alive: timeout=2`. gzip on the fly gives the
# probe a chunked response to find.
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    keepalive_timeout 2 2;
    client_header_timeout 2;
    client_body_timeout 3;
    default_type text/plain;
    gzip on;
    gzip_types text/plain;
    gzip_min_length 1;
    gzip_proxied any;
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://127.0.0.1:$backend;
        }
    }
    server {
        listen 127.0.0.1:$backend;
        location / { return 200 "hello from nginx\\n"; }
        location = /h1probe-missing { return 404; }
    }
}
CONF

"$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
nginx_pid=$!
cleanup() {
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
if [ "${KEEP:-}" != 1 ]; then trap cleanup EXIT; fi

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
echo "nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///') on 127.0.0.1:$port (pid $nginx_pid)"
if [ "${KEEP:-}" = 1 ]; then
  echo "left running; stop it with: kill $nginx_pid"
  exit 0
fi

cargo build -q -p h1probe
probe="${CARGO_TARGET_DIR:-target}/debug/h1probe"
"$probe" "127.0.0.1:$port" --quick --expect-fail h1probe/expected/nginx.txt "$@"
