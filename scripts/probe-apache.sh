#!/usr/bin/env bash
# Runs h1probe against Debian's Apache httpd (installed if missing) on a free local port, with a
# temporary configuration: event MPM with one child, static files, mod_deflate (a chunked response
# for the probe to find), KeepAliveTimeout 2, RequestReadTimeout header=2 body=2.
#
#   scripts/probe-apache.sh [h1probe options]          e.g. --quick, --format json
#
# KEEP=1 leaves Apache running and prints its address instead of probing.
set -euo pipefail
cd "$(dirname "$0")/.."

apache_bin=/usr/sbin/apache2
if [ ! -x "$apache_bin" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq apache2 >/dev/null
fi
mods=/usr/lib/apache2/modules

work=$(mktemp -d /tmp/h1probe-apache.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/www"
printf 'hello from apache\n' > "$work/www/index.html"
chmod -R a+rX "$work/www"
port=${APACHE_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))}

cat > "$work/apache.conf" <<CONF
ServerName localhost
ServerRoot $work
Listen 127.0.0.1:$port
PidFile $work/apache.pid
DefaultRuntimeDir $work
Mutex file:$work default
ErrorLog $work/error.log
LogLevel warn
User nobody
Group nogroup
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule dir_module $mods/mod_dir.so
LoadModule reqtimeout_module $mods/mod_reqtimeout.so
LoadModule deflate_module $mods/mod_deflate.so
StartServers 1
ServerLimit 1
ThreadsPerChild 64
MaxRequestWorkers 64
KeepAlive On
KeepAliveTimeout 2
MaxKeepAliveRequests 100
RequestReadTimeout header=2 body=2
Timeout 5
DocumentRoot $work/www
DirectoryIndex index.html
<Directory $work/www>
    Require all granted
</Directory>
<Location />
    SetOutputFilter DEFLATE
</Location>
CONF

"$apache_bin" -f "$work/apache.conf" -DFOREGROUND &
apache_pid=$!
cleanup() {
  kill "$apache_pid" 2>/dev/null || true
  wait "$apache_pid" 2>/dev/null || true
  rm -rf "$work"
}
if [ "${KEEP:-}" != 1 ]; then trap cleanup EXIT; fi

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
echo "$("$apache_bin" -v | head -1 | sed 's/Server version: //') on 127.0.0.1:$port (pid $apache_pid)"
if [ "${KEEP:-}" = 1 ]; then
  echo "left running; stop it with: kill $apache_pid"
  exit 0
fi

cargo build -q -p h1probe
"${CARGO_TARGET_DIR:-target}/debug/h1probe" "127.0.0.1:$port" "$@"
