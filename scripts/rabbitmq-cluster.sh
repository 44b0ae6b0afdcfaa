#!/usr/bin/env bash
# A RabbitMQ cluster of three nodes on loopback, from Debian's package (rabbitmq-server 3.10), without Docker: the
# broker a production deployment runs (quorum queues replicated on three nodes), for make drill. Each node is run the
# way scripts/infra.sh runs its single node (same functions: this script sources it), and the three share one
# private epmd and one Erlang cookie (HOME is the state folder), which lets them join.
#
#   scripts/rabbitmq-cluster.sh up             start node 1, 2 and 3, join 2 and 3 to 1, print the export lines
#   scripts/rabbitmq-cluster.sh down           stop every node and remove the state folder (never fails)
#   scripts/rabbitmq-cluster.sh status         each node: running and accepting AMQP, or not
#   scripts/rabbitmq-cluster.sh stop-node N    stop node N (1-3) altogether (SIGTERM: a graceful shutdown): its VM exits, its clients are cut off
#   scripts/rabbitmq-cluster.sh start-node N   start node N again; it rejoins the cluster
#   scripts/rabbitmq-cluster.sh queues [VHOST] "name<TAB>type<TAB>messages<TAB>leader<TAB>members<TAB>online" per queue
#   scripts/rabbitmq-cluster.sh connections    "node<TAB>established client connections" per node
#
# Settings (environment):
#   CREDITBANK_CLUSTER_DIR    state folder (default /tmp/creditbank-rabbit-cluster)
#   CREDITBANK_CLUSTER_PORT   the private epmd; node N listens for AMQP on PORT+10N+1 and for Erlang distribution on
#                             PORT+10N+2 (default 46700: AMQP 46711, 46721, 46731)
#   CREDITBANK_INFRA_TIMEOUT  seconds to wait for a node (default 60)
set -euo pipefail

# shellcheck source=infra.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/infra.sh"
SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/$(basename "${BASH_SOURCE[0]}")"

STATE="${CREDITBANK_CLUSTER_DIR:-/tmp/creditbank-rabbit-cluster}"
[[ "$STATE" == /* ]] || STATE="$PWD/$STATE"
STATE="${STATE%/}"
MARKER="$STATE/.creditbank-cluster"
BASE="${CREDITBANK_CLUSTER_PORT:-46700}"
[[ "$BASE" =~ ^[0-9]+$ ]] && (( BASE > 0 && BASE < 65500 )) || die "bad CREDITBANK_CLUSTER_PORT '$BASE'"
NODES=(1 2 3)

log() { printf 'cluster: [%5.1fs] %s\n' "$(( ${EPOCHREALTIME/[.,]/} / 1000 - START_MS ))e-3" "$*" >&2; }

node_vars() {   # $1 = 1, 2 or 3: the globals infra.sh's RabbitMQ functions work on, for that node
  local n=$1
  [[ "$n" =~ ^[123]$ ]] || die "no node '$n' (1, 2 or 3)"
  NODE="creditbank-drill-$n@localhost"
  AMQP_PORT=$((BASE + 10 * n + 1))
  DIST_PORT=$((BASE + 10 * n + 2))
  EPMD_PORT=$BASE
  RMQ_DIR="$STATE/node$n"; RMQ_PID="$RMQ_DIR/rabbit.pid"; RMQ_OUT="$RMQ_DIR/server.out"
  RMQ_LOG="$RMQ_DIR/log/$NODE.log"
}

first_running() {   # sets the node globals to a node that runs, for cluster-wide commands
  local n
  for n in "${NODES[@]}"; do
    node_vars "$n"
    if rmq_amqp_up; then return 0; fi
  done
  die "no node of the cluster accepts connections"
}

cluster_running_nodes() {   # how many nodes the cluster reports running, as node 1 sees it
  rmq rabbitmqctl -q cluster_status --formatter json 2>/dev/null \
    | grep -o '"running_nodes":\[[^]]*\]' | grep -o '@localhost' | wc -l
}

cmd_up() {
  ensure_installed
  if [[ -d "$STATE" && ! -e "$MARKER" && -n "$(ls -A "$STATE" 2>/dev/null)" ]]; then
    die "$STATE exists, is not empty and was not made by this script; set CREDITBANK_CLUSTER_DIR to another folder"
  fi
  lock
  touch "$MARKER"; chmod 755 "$STATE"
  trap 'rc=$?; (( rc == 0 )) || log "up failed; what did start is still running: $SCRIPT_PATH down stops it"' EXIT
  local n
  for n in "${NODES[@]}"; do
    node_vars "$n"
    if rmq_amqp_up; then log "node $n: already running"; continue; fi
    rmq_start_node
    rmq_confirm
    log "node $n: ready ($NODE, AMQP 127.0.0.1:$AMQP_PORT)"
  done
  for n in 2 3; do
    node_vars "$n"
    if rmq rabbitmqctl -q cluster_status 2>/dev/null | grep -q "creditbank-drill-1@localhost"; then continue; fi
    rmq rabbitmqctl -q stop_app >/dev/null || rmq_fail "node $n: stop_app before joining failed"
    rmq rabbitmqctl -q join_cluster "creditbank-drill-1@localhost" >/dev/null || rmq_fail "node $n: join_cluster failed"
    rmq rabbitmqctl -q start_app >/dev/null || rmq_fail "node $n: start_app after joining failed"
    wait_until "$TIMEOUT" rmq_amqp_up || rmq_fail "node $n: not accepting AMQP connections after joining"
    log "node $n: joined the cluster"
  done
  node_vars 1
  local running
  running=$(cluster_running_nodes)
  [[ "$running" == 3 ]] || die "the cluster reports $running running nodes, not 3"
  trap - EXIT
  local nodes="127.0.0.1:$((BASE + 11)),127.0.0.1:$((BASE + 21)),127.0.0.1:$((BASE + 31))"
  cat > "$STATE/env" <<EOF
export CREDITBANK_CLUSTER_RABBITMQ='amqp://guest:guest@127.0.0.1:$((BASE + 11))/'
export CREDITBANK_CLUSTER_NODES='$nodes'
export CREDITBANK_CLUSTER_SCRIPT='$SCRIPT_PATH'
export CREDITBANK_CLUSTER_DIR='$STATE'
export CREDITBANK_CLUSTER_PORT='$BASE'
EOF
  log "cluster of 3 up (AMQP $nodes); environment in $STATE/env"
  cat "$STATE/env"
}

cmd_down() {
  if [[ ! -d "$STATE" ]]; then log "nothing to stop ($STATE does not exist)"; return 0; fi
  if [[ ! -e "$MARKER" ]]; then log "$STATE was not made by this script; leaving it alone"; return 0; fi
  lock
  local n
  for n in 3 2 1; do
    node_vars "$n"
    if alive "$(rmq_pid)" || alive "$(read_pid "$RMQ_DIR/launcher.pid")"; then stop_node "$n" || true; fi
  done
  if epmd_listens && port_busy "$EPMD_PORT"; then   # the private epmd the three shared
    timeout 10 epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
  fi
  case "$STATE" in /|/tmp|/root|/home|/var|/usr) die "refusing to remove $STATE" ;; esac
  rm -rf -- "$STATE"
  log "down; removed $STATE"
}

cmd_status() {
  local n ok=0
  for n in "${NODES[@]}"; do
    node_vars "$n"
    if rmq_amqp_up; then echo "node $n: up   127.0.0.1:$AMQP_PORT ($NODE, pid $(rmq_pid))"
    elif rmq_node_alive; then echo "node $n: down (VM runs, broker stopped)"; ok=1
    else echo "node $n: down (port $AMQP_PORT)"; ok=1; fi
  done
  return $ok
}

stop_node() {   # $1 node: the whole VM shut down (its epmd registration goes with it; epmd itself stays)
  node_vars "$1"
  local pid; pid=$(rmq_pid)
  if alive "$pid"; then
    # SIGTERM is RabbitMQ's graceful shutdown, as `rabbitmqctl stop` asks for, without the CLI's own Erlang VM to boot
    # first (tens of seconds on two busy cores): the node goes when it is told to.
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 60 not_alive "$pid" || { log "node $1: still running 60 s after SIGTERM; killing pid $pid"; kill_and_wait "$pid"; }
  fi
  local launcher; launcher=$(read_pid "$RMQ_DIR/launcher.pid")
  alive "$launcher" && kill_and_wait "$launcher"
  log "node $1: stopped"
}

start_node() {
  node_vars "$1"
  if rmq_amqp_up; then log "node $1: already running"; return 0; fi
  rmq_start_node
  log "node $1: started again ($NODE, AMQP 127.0.0.1:$AMQP_PORT)"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  stop-node) [[ -e "$MARKER" ]] || die "not up ($STATE)"; lock; node_vars "${2:-}"; rmq_node_alive || die "node $2 is not running"; stop_node "$2" ;;
  start-node) [[ -e "$MARKER" ]] || die "not up ($STATE)"; lock; start_node "${2:-}" ;;
  queues)
    [[ -e "$MARKER" ]] || die "not up ($STATE)"; first_running
    rmq rabbitmqctl -q list_queues -p "${2:-/}" --no-table-headers name type messages leader members online ;;
  connections)   # from the sockets (ss), not rabbitmqctl: cheap, and answered even while a node is busy or stopping
    [[ -e "$MARKER" ]] || die "not up ($STATE)"
    for n in "${NODES[@]}"; do
      node_vars "$n"
      printf '%s\t%s\n' "$n" "$(ss -Htn state established "( dport = :$AMQP_PORT )" 2>/dev/null | wc -l)"
    done ;;
  *) echo "usage: $0 up|down|status|stop-node N|start-node N|queues [VHOST]|connections" >&2; exit 2 ;;
esac
