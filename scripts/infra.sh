#!/usr/bin/env bash
# Throwaway PostgreSQL 15, Redis and RabbitMQ for the tests, without Docker (Debian packages).
#
#   scripts/infra.sh up              install if missing (root + apt), start all three, write and print $STATE/env
#   scripts/infra.sh down            stop all three and remove the state folder (never fails)
#   scripts/infra.sh status          say what runs; exit 0 only if all three are up
#   scripts/infra.sh rabbitmq-stop   stop the broker (clients lose their connections, AMQP port refuses)
#   scripts/infra.sh rabbitmq-start  start it again (same data) and wait until it accepts connections
#   scripts/infra.sh rabbitmq-queues [VHOST]   every queue and its messages (ready + unacknowledged), tab-separated
#   scripts/infra.sh rabbitmq-vhost NAME       add a virtual host guest may use (kept apart from other tests' queues)
#   scripts/infra.sh rabbitmq-vhost-delete NAME
#   scripts/infra.sh redis-kill      kill -9 the Redis server (a crash: nothing is saved, the cache is gone)
#   scripts/infra.sh redis-start     start it again, empty, and wait until it answers
#   scripts/infra.sh postgres-kill   kill -9 the postmaster and every backend (a crash: only what was committed stays)
#   scripts/infra.sh postgres-start  start it again (crash recovery from the WAL) and wait until it accepts connections
#
# The fault commands are for drills (make drill): they act only on the instances this state folder started.
# Sourced (`. scripts/infra.sh`), it only defines its functions: scripts/rabbitmq-cluster.sh runs its nodes with them.
#
# Settings (environment):
#   CREDITBANK_INFRA_DIR     state folder               (default /tmp/creditbank-infra)
#   CREDITBANK_PG_PORT       PostgreSQL port            (default 27432)
#   CREDITBANK_REDIS_PORT    Redis port                 (default 27379)
#   CREDITBANK_RABBIT_PORT   AMQP port; +1 is the Erlang distribution port, +2 a private epmd (default 27672)
#   Keep every port below the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768–60999 here): while the
#   broker is stopped, a client reconnecting to 127.0.0.1:<port> from an ephemeral port can be given that very port
#   and connect to itself (TCP simultaneous open), and the broker then cannot listen on it again (eaddrinuse).
#   CREDITBANK_INFRA_TIMEOUT seconds to wait for readiness (default 60)
#   CREDITBANK_RABBITMQCTL_TIMEOUT  seconds a rabbitmqctl call may take (default 90)
#   CREDITBANK_PG_OPTIONS    extra PostgreSQL server options, e.g. "-c shared_buffers=1GB" (make bench sets memory
#                            and WAL sizes; durability stays at the defaults whatever is passed here by the project)
#
# Progress goes to stderr; `up` prints the export lines on stdout, so `eval "$(scripts/infra.sh up)"` works,
# as does `. "$CREDITBANK_INFRA_DIR/env"` afterwards. Everything listens on 127.0.0.1 only.
set -euo pipefail

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/$(basename "${BASH_SOURCE[0]}")"
STATE="${CREDITBANK_INFRA_DIR:-/tmp/creditbank-infra}"
[[ "$STATE" == /* ]] || STATE="$PWD/$STATE"
STATE="${STATE%/}"
MARKER="$STATE/.creditbank-infra"
TIMEOUT="${CREDITBANK_INFRA_TIMEOUT:-60}"
RABBIT_OP_TIMEOUT=20   # rabbitmq-stop / rabbitmq-start

PG_BIN=/usr/lib/postgresql/15/bin
RMQ_BIN=/usr/lib/rabbitmq/bin
NODE="creditbank-test@localhost"

PG_DIR="$STATE/postgres"; PG_DATA="$PG_DIR/data"; PG_SOCK="$PG_DIR/run"; PG_LOG="$PG_DIR/postgres.log"
REDIS_DIR="$STATE/redis"; REDIS_PID="$REDIS_DIR/redis.pid"; REDIS_LOG="$REDIS_DIR/redis.log"
RMQ_DIR="$STATE/rabbitmq"; RMQ_PID="$RMQ_DIR/rabbit.pid"; RMQ_OUT="$RMQ_DIR/server.out"
RMQ_LOG="$RMQ_DIR/log/$NODE.log"

log() { printf 'infra: [%5.1fs] %s\n' "$(( ${EPOCHREALTIME/[.,]/} / 1000 - START_MS ))e-3" "$*" >&2; }
START_MS=$(( ${EPOCHREALTIME/[.,]/} / 1000 ))
die() { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# ---------------------------------------------------------------- ports
PORTS_FILE="$STATE/ports"
load_ports() {   # $1 = "requested": from the environment; otherwise what the running instances were started with
  PG_PORT="${CREDITBANK_PG_PORT:-27432}"
  REDIS_PORT="${CREDITBANK_REDIS_PORT:-27379}"
  AMQP_PORT="${CREDITBANK_RABBIT_PORT:-27672}"
  if [[ "${1:-}" != requested && -f "$PORTS_FILE" ]]; then
    local k v
    while IFS='=' read -r k v; do
      [[ "$v" =~ ^[0-9]+$ ]] || continue
      case "$k" in PG_PORT) PG_PORT=$v ;; REDIS_PORT) REDIS_PORT=$v ;; AMQP_PORT) AMQP_PORT=$v ;; esac
    done < "$PORTS_FILE"
  fi
  for v in "$PG_PORT" "$REDIS_PORT" "$AMQP_PORT"; do
    [[ "$v" =~ ^[0-9]+$ ]] && (( v > 0 && v < 65534 )) || die "bad port number '$v'"
  done
  DIST_PORT=$((AMQP_PORT + 1))
  EPMD_PORT=$((AMQP_PORT + 2))
}
save_ports() {
  printf 'PG_PORT=%s\nREDIS_PORT=%s\nAMQP_PORT=%s\n' "$PG_PORT" "$REDIS_PORT" "$AMQP_PORT" > "$PORTS_FILE"
}

# ---------------------------------------------------------------- process and port helpers
alive() {   # a live (not zombie) process
  local pid="${1:-}" st
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null || true)
  [[ "$st" != Z && "$st" != X ]]
}
read_pid() { [[ -f "$1" ]] && head -n1 "$1" 2>/dev/null | tr -dc 0-9 || true; }

port_accepts() {   # something accepts TCP connections on 127.0.0.1:$1
  timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}
port_busy() {      # something listens on port $1, on any address
  if command -v ss >/dev/null; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
  else
    port_accepts "$1"
  fi
}
listens() {        # process $2 listens on port $1 (assumed true when ss cannot tell)
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -q "pid=$2,"
}
listener_desc() {
  if command -v ss >/dev/null; then ss -Hltnp "sport = :$1" 2>/dev/null | head -n3; fi
}
require_free() {   # $1 port, $2 what for
  if port_busy "$1"; then
    die "port $1 ($2) is already in use by another process — not starting over it.
$(listener_desc "$1")
Free the port or choose other ports (CREDITBANK_PG_PORT / CREDITBANK_REDIS_PORT / CREDITBANK_RABBIT_PORT)."
  fi
}
tail_log() {   # $1 file, $2 title
  if [[ -s "$1" ]]; then
    printf -- '----- last lines of %s -----\n' "$1" >&2
    tail -n "${3:-30}" "$1" >&2
    printf -- '-----\n' >&2
  fi
}
# wait_until SECONDS CMD...: true when CMD succeeds within SECONDS
wait_until() {
  local secs=$1; shift
  local deadline=$((SECONDS + secs))
  while :; do
    "$@" && return 0
    (( SECONDS >= deadline )) && return 1
    sleep 0.2
  done
}
kill_and_wait() {   # $1 pid: TERM, then KILL after 15 s
  local pid=$1
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait_until 15 bash -c "! kill -0 $pid 2>/dev/null || grep -q '^[0-9]* ([^)]*) [ZX]' /proc/$pid/stat 2>/dev/null" && return 0
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}
not_alive() { ! alive "$1"; }
# Close every inherited descriptor above 2 (make's jobserver pipes, our lock on fd 9, a caller's pipes):
# used in a subshell right before exec'ing a daemon, so nothing long-lived keeps the caller waiting.
close_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# ---------------------------------------------------------------- installation
ensure_installed() {
  local missing=()
  [[ -x "$RMQ_BIN/rabbitmq-server" ]] || missing+=(rabbitmq-server)
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server)
  [[ -x "$PG_BIN/initdb" ]] || missing+=(postgresql-15)
  # Not a store: the scraper tests/Integration.Tests/MetricsScrape.cs runs against a service.
  command -v prometheus >/dev/null || missing+=(prometheus)
  (( ${#missing[@]} == 0 )) && return 0
  local hint="apt-get install -y rabbitmq-server redis-server postgresql-15 prometheus"
  if ! is_root; then
    die "missing: ${missing[*]}. Install them as root: apt-get update && $hint"
  fi
  command -v apt-get >/dev/null || die "missing: ${missing[*]} and no apt-get here. Install the Debian/Ubuntu packages rabbitmq-server, redis-server and postgresql-15 (PostgreSQL 15 binaries in $PG_BIN)."
  log "installing ${missing[*]} with apt-get (takes a minute or two)…"
  local aptlog="/tmp/creditbank-infra-apt.log"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update &&
         DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y "${missing[@]}"; } \
       </dev/null >"$aptlog" 2>&1; then
    tail_log "$aptlog" apt
    die "apt-get could not install ${missing[*]} (log: $aptlog). Install them by hand: apt-get update && $hint"
  fi
  [[ -x "$RMQ_BIN/rabbitmq-server" && -x "$PG_BIN/initdb" ]] && command -v redis-server >/dev/null \
    || die "apt-get finished but ${missing[*]} are still missing; expected $RMQ_BIN/rabbitmq-server, $PG_BIN/initdb, redis-server"
  log "installed ${missing[*]}"
}

# ---------------------------------------------------------------- PostgreSQL
as_pg() {   # initdb and pg_ctl refuse root: run them as the postgres user
  if is_root; then (cd / && close_fds && exec runuser -u postgres -- "$@"); else (cd / && close_fds && exec "$@"); fi
}
pg_pid() { read_pid "$PG_DATA/postmaster.pid"; }
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }
pg_running() { local p; p=$(pg_pid); alive "$p" && listens "$PG_PORT" "$p" && pg_ready; }

pg_up() {
  local pid; pid=$(pg_pid)
  if alive "$pid"; then
    if wait_until "$TIMEOUT" pg_running; then log "postgres: already running (pid $pid, port $PG_PORT)"; return 0; fi
    tail_log "$PG_LOG"
    die "postgres: our server (pid $pid) runs but does not answer on 127.0.0.1:$PG_PORT; run '$SCRIPT_PATH down' first"
  fi
  require_free "$PG_PORT" "PostgreSQL"
  local owner=postgres; is_root || owner=$(id -un)
  mkdir -p "$PG_DIR" "$PG_SOCK"
  if is_root; then chown postgres:postgres "$PG_DIR" "$PG_SOCK"; fi
  as_pg test -w "$PG_DIR" -a -x "$STATE" \
    || die "postgres: user $owner cannot write $PG_DIR; put CREDITBANK_INFRA_DIR somewhere $owner can reach (e.g. under /tmp)"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    local locale=C
    locale -a 2>/dev/null | grep -qixE 'c\.utf-?8' && locale=C.UTF-8
    if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --no-sync -E UTF8 --locale="$locale" \
           </dev/null >"$PG_DIR/initdb.log" 2>&1; then
      tail_log "$PG_DIR/initdb.log"; die "postgres: initdb failed"
    fi
  fi
  # Durability left at the defaults (fsync, synchronous_commit on); only --no-sync for the initdb itself.
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$TIMEOUT" \
         -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=300 ${CREDITBANK_PG_OPTIONS:-}" start \
         </dev/null >>"$PG_DIR/pg_ctl.log" 2>&1; then
    tail_log "$PG_DIR/pg_ctl.log"; tail_log "$PG_LOG"; die "postgres: did not start on 127.0.0.1:$PG_PORT"
  fi
  if ! wait_until "$TIMEOUT" pg_running; then
    tail_log "$PG_LOG"; die "postgres: not ready on 127.0.0.1:$PG_PORT after ${TIMEOUT}s"
  fi
  log "postgres: ready on 127.0.0.1:$PG_PORT (pid $(pg_pid))"
}

pg_down() {
  local pid; pid=$(pg_pid)
  alive "$pid" || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop </dev/null >>"$PG_DIR/pg_ctl.log" 2>&1 \
    || { log "postgres: pg_ctl stop failed, killing pid $pid"; kill_and_wait "$pid"; }
  log "postgres: stopped"
}

pg_family() {   # the postmaster and its children (backends, checkpointer, walwriter…)
  local pid=$1
  echo "$pid"
  ps -o pid= --ppid "$pid" 2>/dev/null | tr -d ' ' || true
}
pg_port_closed() { ! port_accepts "$PG_PORT"; }
pg_kill() {   # a crash: SIGKILL to the postmaster and every backend at once; the data folder keeps only what was committed
  local pid; pid=$(pg_pid)
  alive "$pid" && listens "$PG_PORT" "$pid" || die "postgres: our server is not running on port $PG_PORT"
  local family; family=$(pg_family "$pid")
  # shellcheck disable=SC2086
  kill -KILL $family 2>/dev/null || true
  local p
  for p in $family; do wait_until 10 not_alive "$p" || die "postgres: pid $p still alive after kill -9"; done
  wait_until 10 pg_port_closed || die "postgres: port $PG_PORT still accepts connections after kill -9"
  log "postgres: killed (postmaster $pid and $(( $(wc -w <<<"$family") - 1 )) children)"
}

# ---------------------------------------------------------------- Redis
redis_ready() { [[ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
redis_running() { local p; p=$(read_pid "$REDIS_PID"); alive "$p" && listens "$REDIS_PORT" "$p" && redis_ready; }

redis_up() {
  local pid; pid=$(read_pid "$REDIS_PID")
  if alive "$pid"; then
    if wait_until "$TIMEOUT" redis_running; then log "redis: already running (pid $pid, port $REDIS_PORT)"; return 0; fi
    tail_log "$REDIS_LOG"
    die "redis: our server (pid $pid) runs but does not answer on 127.0.0.1:$REDIS_PORT; run '$SCRIPT_PATH down' first"
  fi
  require_free "$REDIS_PORT" "Redis"
  mkdir -p "$REDIS_DIR"; rm -f "$REDIS_PID"
  if ! ( close_fds; exec redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$REDIS_DIR" \
           --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" --save '' --appendonly no ) \
         </dev/null >>"$REDIS_DIR/redis.out" 2>&1; then
    tail_log "$REDIS_DIR/redis.out"; tail_log "$REDIS_LOG"; die "redis: redis-server failed to start"
  fi
  if ! wait_until "$TIMEOUT" redis_running; then
    tail_log "$REDIS_DIR/redis.out"; tail_log "$REDIS_LOG"; die "redis: not ready on 127.0.0.1:$REDIS_PORT after ${TIMEOUT}s"
  fi
  log "redis: ready on 127.0.0.1:$REDIS_PORT (pid $(read_pid "$REDIS_PID"))"
}

redis_down() {
  local pid; pid=$(read_pid "$REDIS_PID")
  alive "$pid" || return 0
  # only ever shut down the server that is ours (the pid in our pid file listens on the port)
  if listens "$REDIS_PORT" "$pid"; then
    timeout 10 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  wait_until 10 not_alive "$pid" || kill_and_wait "$pid"
  log "redis: stopped"
}

redis_kill() {   # a crash: SIGKILL, no shutdown, nothing saved
  local pid; pid=$(read_pid "$REDIS_PID")
  alive "$pid" && listens "$REDIS_PORT" "$pid" || die "redis: our server is not running on port $REDIS_PORT"
  kill -KILL "$pid"
  wait_until 10 not_alive "$pid" || die "redis: pid $pid still alive after kill -9"
  log "redis: killed (pid $pid)"
}

# ---------------------------------------------------------------- RabbitMQ
# Every RabbitMQ command: the real scripts in $RMQ_BIN (the /usr/sbin wrappers switch to the rabbitmq
# user, lose HOME and hang), a clean environment, HOME = state folder (Erlang cookie), private epmd.
rmq_env_args() {   # after load_ports
  RMQ_ENV=(
    PATH="$PATH" LANG=C.UTF-8 LC_ALL=C.UTF-8
    HOME="$STATE"
    ERL_EPMD_PORT="$EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1
    RABBITMQ_NODENAME="$NODE"
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT" RABBITMQ_DIST_PORT="$DIST_PORT"
    RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" RABBITMQ_LOG_BASE="$RMQ_DIR/log"
    RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
    RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config"
    RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf"
    RABBITMQ_PID_FILE="$RMQ_PID"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    # the CLI tools must never start an epmd of their own (not even on the default port 4369)
    RABBITMQ_CTL_ERL_ARGS="-start_epmd false"
  )
}
rmq_env() { rmq_env_args; env -i "${RMQ_ENV[@]}" "$@"; }
rmq() {   # rmq TOOL ARGS...: rabbitmqctl / rabbitmq-diagnostics against our node, bounded in time
  local tool=$1; shift
  # Each call boots an Erlang VM: on two busy cores (a drill under load) that alone took more than 30 s.
  rmq_env timeout "${CREDITBANK_RABBITMQCTL_TIMEOUT:-90}" "$RMQ_BIN/$tool" -n "$NODE" "$@" </dev/null 9>&-
}
rmq_pid() { read_pid "$RMQ_PID"; }
rmq_node_alive() { alive "$(rmq_pid)"; }
rmq_amqp_up() { local p; p=$(rmq_pid); alive "$p" && listens "$AMQP_PORT" "$p" && port_accepts "$AMQP_PORT"; }
rmq_amqp_closed() { ! port_accepts "$AMQP_PORT"; }

rmq_fail() {
  tail_log "$RMQ_OUT"; tail_log "$RMQ_LOG"; die "rabbitmq: $*"
}

rmq_check_ports() {
  require_free "$AMQP_PORT" "RabbitMQ AMQP"
  require_free "$DIST_PORT" "RabbitMQ Erlang distribution"
  if port_busy "$EPMD_PORT"; then
    # an epmd left from an earlier run of ours can be reused, unless a node of that name is registered
    local names=""
    epmd_listens && names=$(timeout 5 epmd -port "$EPMD_PORT" -names 2>/dev/null) \
      || require_free "$EPMD_PORT" "RabbitMQ private epmd"
    if grep -q "^name ${NODE%@*} " <<<"$names"; then
      die "port $EPMD_PORT (private epmd) already has a node '${NODE%@*}' registered that is not ours"
    fi
  fi
}
epmd_listens() {   # the listener on the epmd port is an epmd (assumed when ss cannot tell)
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$EPMD_PORT" 2>/dev/null | grep -q '(("epmd",'
}

rmq_start_node() {
  rmq_check_ports
  mkdir -p "$RMQ_DIR/log" "$RMQ_DIR/mnesia"
  cat > "$RMQ_DIR/rabbitmq.conf" <<EOF
# throwaway test broker (scripts/infra.sh)
loopback_users = none
default_user = guest
default_pass = guest
log.console = false
log.file.level = info
EOF
  echo '[].' > "$RMQ_DIR/enabled_plugins"
  : > "$RMQ_DIR/rabbitmq-env.conf"
  rm -f "$RMQ_PID"
  # detached: own session, no terminal, nothing inherited that could keep the caller (make, a pipe) waiting
  rmq_env_args
  ( close_fds; exec setsid nohup env -i "${RMQ_ENV[@]}" "$RMQ_BIN/rabbitmq-server" ) </dev/null >>"$RMQ_OUT" 2>&1 &
  local launcher=$!
  echo "$launcher" > "$RMQ_DIR/launcher.pid"
  local deadline=$((SECONDS + TIMEOUT))
  until rmq_amqp_up; do
    alive "$launcher" || rmq_node_alive || rmq_fail "the broker exited during start-up"
    (( SECONDS >= deadline )) && rmq_fail "not accepting AMQP connections on 127.0.0.1:$AMQP_PORT after ${TIMEOUT}s"
    sleep 0.3
  done
}

rmq_confirm() {   # it speaks AMQP 0-9-1: the protocol header is answered with a method frame (Connection.Start)
  local first
  first=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$AMQP_PORT; printf 'AMQP\\0\\0\\11\\1' >&3; head -c 1 <&3 | od -An -tx1" 2>/dev/null | tr -d ' ') || true
  [[ "$first" == 01 ]] || rmq_fail "port $AMQP_PORT accepts connections but does not answer the AMQP 0-9-1 handshake"
}

rabbit_up() {
  if rmq_node_alive; then
    if rmq_amqp_up; then log "rabbitmq: already running (pid $(rmq_pid), AMQP port $AMQP_PORT)"; return 0; fi
    log "rabbitmq: node runs but the broker is stopped; starting it"
    rabbit_start_app "$TIMEOUT"
    return 0
  fi
  rmq_start_node
  rmq_confirm
  log "rabbitmq: ready on 127.0.0.1:$AMQP_PORT (node $NODE, pid $(rmq_pid))"
}

# rabbitmq-stop / rabbitmq-start: stop_app closes the AMQP listener and every client connection; the
# Erlang node (and its data: same mnesia folder) stays, so start_app is quick.
rabbit_stop_app() {
  rmq_node_alive || die "rabbitmq: our node is not running (run '$SCRIPT_PATH up')"
  rmq rabbitmqctl -q stop_app >/dev/null 2>&1 || rmq_fail "rabbitmqctl stop_app failed"
  wait_until "$RABBIT_OP_TIMEOUT" rmq_amqp_closed || rmq_fail "AMQP port $AMQP_PORT still accepts connections after stop_app"
  log "rabbitmq: broker stopped (AMQP port $AMQP_PORT closed; node still runs)"
}
rabbit_start_app() {   # $1 seconds
  local secs=${1:-$RABBIT_OP_TIMEOUT}
  if ! rmq_node_alive; then
    log "rabbitmq: node not running; starting it"
    local TIMEOUT=$secs
    rmq_start_node
    log "rabbitmq: ready on 127.0.0.1:$AMQP_PORT"
    return 0
  fi
  if ! rmq_amqp_up; then
    rmq rabbitmqctl -q start_app >/dev/null 2>&1 || rmq_fail "rabbitmqctl start_app failed"
    wait_until "$secs" rmq_amqp_up || rmq_fail "AMQP port $AMQP_PORT not accepting connections ${secs}s after start_app"
  fi
  log "rabbitmq: broker started (AMQP port $AMQP_PORT)"
}

rabbit_down() {
  local pid; pid=$(rmq_pid)
  if alive "$pid"; then
    rmq rabbitmqctl -q stop >/dev/null 2>&1 || log "rabbitmq: rabbitmqctl stop failed; terminating pid $pid"
    wait_until 15 not_alive "$pid" || kill_and_wait "$pid"
    log "rabbitmq: stopped"
  fi
  local launcher; launcher=$(read_pid "$RMQ_DIR/launcher.pid")
  alive "$launcher" && kill_and_wait "$launcher"
  if epmd_listens && port_busy "$EPMD_PORT"; then
    timeout 10 epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
  fi
}

rabbit_queues() {   # $1 vhost: "name<TAB>messages" per queue, messages = ready + unacknowledged
  rmq_amqp_up || die "rabbitmq: the broker is not accepting connections on port $AMQP_PORT"
  rmq rabbitmqctl -q list_queues -p "${1:-/}" --no-table-headers name messages \
    || rmq_fail "rabbitmqctl list_queues failed"
}
rabbit_vhost() {    # $1 vhost: added (if missing) with every permission for guest
  rmq rabbitmqctl -q add_vhost "$1" >/dev/null 2>&1 || true
  rmq rabbitmqctl -q set_permissions -p "$1" guest '.*' '.*' '.*' >/dev/null || rmq_fail "could not give guest vhost $1"
}
rabbit_vhost_delete() { rmq rabbitmqctl -q delete_vhost "$1" >/dev/null 2>&1 || true; }

# ---------------------------------------------------------------- commands
lock() {   # serialise concurrent calls on the same state folder (fd 9 is closed for every daemon)
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock -w 300 9 || die "another infra.sh holds $STATE/.lock"
}

env_lines() {
  cat <<EOF
export CREDITBANK_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Pooling=true'
export CREDITBANK_TEST_RABBITMQ='amqp://guest:guest@127.0.0.1:$AMQP_PORT/'
export CREDITBANK_TEST_REDIS='127.0.0.1:$REDIS_PORT'
export CREDITBANK_INFRA_SCRIPT='$SCRIPT_PATH'
export CREDITBANK_INFRA_DIR='$STATE'
EOF
}

cmd_up() {
  ensure_installed
  if [[ -d "$STATE" && ! -e "$MARKER" && -n "$(ls -A "$STATE" 2>/dev/null)" ]]; then
    die "$STATE exists, is not empty and was not made by this script; set CREDITBANK_INFRA_DIR to another folder"
  fi
  lock
  touch "$MARKER"; chmod 755 "$STATE"
  load_ports requested
  if [[ -f "$PORTS_FILE" ]]; then   # instances of an earlier 'up' on other ports must go first
    local PG_PORT_REQ=$PG_PORT REDIS_PORT_REQ=$REDIS_PORT AMQP_PORT_REQ=$AMQP_PORT
    load_ports
    if [[ "$PG_PORT/$REDIS_PORT/$AMQP_PORT" != "$PG_PORT_REQ/$REDIS_PORT_REQ/$AMQP_PORT_REQ" ]] &&
       { alive "$(pg_pid)" || alive "$(read_pid "$REDIS_PID")" || rmq_node_alive; }; then
      die "instances in $STATE run on ports $PG_PORT/$REDIS_PORT/$AMQP_PORT, not the requested $PG_PORT_REQ/$REDIS_PORT_REQ/$AMQP_PORT_REQ; run '$SCRIPT_PATH down' first"
    fi
    load_ports requested
  fi
  save_ports
  # refuse before starting anything if a port we still need is taken by someone else
  alive "$(read_pid "$REDIS_PID")" || require_free "$REDIS_PORT" "Redis"
  alive "$(pg_pid)" || require_free "$PG_PORT" "PostgreSQL"
  if ! rmq_node_alive; then
    rmq_check_ports
  fi
  trap 'rc=$?; (( rc == 0 )) || log "up failed; anything it did start is still running: $SCRIPT_PATH down stops it"' EXIT
  redis_up
  pg_up
  rabbit_up
  env_lines > "$STATE/env"
  trap - EXIT
  log "all up; environment in $STATE/env"
  cat "$STATE/env"
}

cmd_down() {
  if [[ ! -d "$STATE" ]]; then log "nothing to stop ($STATE does not exist)"; return 0; fi
  if [[ ! -e "$MARKER" ]]; then log "$STATE was not made by this script; leaving it alone"; return 0; fi
  lock
  load_ports
  rabbit_down || true
  pg_down || true
  redis_down || true
  case "$STATE" in /|/tmp|/root|/home|/var|/usr) die "refusing to remove $STATE" ;; esac
  rm -rf -- "$STATE"
  log "down; removed $STATE"
}

cmd_status() {
  load_ports
  local ok=0
  if pg_running; then echo "postgres: up   127.0.0.1:$PG_PORT (pid $(pg_pid))"; else echo "postgres: down (port $PG_PORT)"; ok=1; fi
  if redis_running; then echo "redis:    up   127.0.0.1:$REDIS_PORT (pid $(read_pid "$REDIS_PID"))"; else echo "redis:    down (port $REDIS_PORT)"; ok=1; fi
  if rmq_amqp_up; then echo "rabbitmq: up   127.0.0.1:$AMQP_PORT (node $NODE, pid $(rmq_pid))"
  elif rmq_node_alive; then echo "rabbitmq: down (node $NODE runs, broker stopped: rabbitmq-start)"; ok=1
  else echo "rabbitmq: down (port $AMQP_PORT)"; ok=1; fi
  [[ -f "$STATE/env" ]] && echo "env:      $STATE/env"
  return $ok
}

# Sourced by scripts/rabbitmq-cluster.sh for its functions only.
[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0

up_already() { [[ -e "$MARKER" ]] || die "not up ($STATE)"; }
case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  rabbitmq-stop) up_already; lock; load_ports; rabbit_stop_app ;;
  rabbitmq-start) up_already; lock; load_ports; rabbit_start_app "$RABBIT_OP_TIMEOUT" ;;
  rabbitmq-queues) up_already; load_ports; rabbit_queues "${2:-/}" ;;
  rabbitmq-vhost) up_already; [[ -n "${2:-}" ]] || die "rabbitmq-vhost NAME"; load_ports; rabbit_vhost "$2" ;;
  rabbitmq-vhost-delete) up_already; [[ -n "${2:-}" ]] || die "rabbitmq-vhost-delete NAME"; load_ports; rabbit_vhost_delete "$2" ;;
  redis-kill) up_already; lock; load_ports; redis_kill ;;
  redis-start) up_already; lock; load_ports; redis_up ;;
  postgres-kill) up_already; lock; load_ports; pg_kill ;;
  postgres-start) up_already; lock; load_ports; pg_up ;;
  *) echo "usage: $0 up|down|status|rabbitmq-stop|rabbitmq-start|rabbitmq-queues [VHOST]|rabbitmq-vhost NAME|rabbitmq-vhost-delete NAME|redis-kill|redis-start|postgres-kill|postgres-start" >&2
     exit 2 ;;
esac
