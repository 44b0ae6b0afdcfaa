#!/usr/bin/env bash
# make drill: the four services as separate Release processes on real RabbitMQ, PostgreSQL and Redis (started here on
# their own ports, stopped afterwards); one fault per phase under load (kill -9 of each service, RabbitMQ stopped,
# Redis and PostgreSQL killed), each followed by an audit by outcome id of every service's database; then the same on a
# three-node RabbitMQ cluster with the node the services use stopped mid-batch. Writes docs/reliability.md; exits 1 when
# any figure is wrong. SIZE=quick tries the whole harness in a few minutes; the default is the full size (~30 min).
# For one part: DRILL_ONLY=accounts,cluster (any of accounts,recognition,conversion,identity,rabbitmq,redis,postgres,cluster),
# DRILL_OUT=/tmp/r.md (keeps docs/ as it is).
set -uo pipefail
cd "$(dirname "$0")/.."

size="${SIZE:-full}"
work="$(mktemp -d "${TMPDIR:-/tmp}/creditbank-drill.XXXXXX")"
chmod 755 "$work"   # PostgreSQL runs as its own user and must reach its folder inside
# Own ports and state folders: make test or make bench may run beside it.
export CREDITBANK_INFRA_DIR="${CREDITBANK_INFRA_DIR:-$work/infra}"
export CREDITBANK_PG_PORT="${CREDITBANK_PG_PORT:-47432}"
export CREDITBANK_REDIS_PORT="${CREDITBANK_REDIS_PORT:-47379}"
export CREDITBANK_RABBIT_PORT="${CREDITBANK_RABBIT_PORT:-47672}"
# The services' eight ports, and the cluster's epmd and nodes (node N: AMQP at +10N+1, distribution at +10N+2).
export CREDITBANK_FLEET_PORT="${DRILL_PORT:-$((CREDITBANK_RABBIT_PORT + 100))}"
export CREDITBANK_CLUSTER_PORT="${DRILL_CLUSTER_PORT:-$((CREDITBANK_RABBIT_PORT + 130))}"
export CREDITBANK_CLUSTER_DIR="${CREDITBANK_CLUSTER_DIR:-$work/cluster}"
# Two busy cores: a RabbitMQ node took more than infra.sh's default minute to start.
export CREDITBANK_INFRA_TIMEOUT="${CREDITBANK_INFRA_TIMEOUT:-180}"
# Memory and WAL for a few million rows; durability stays at PostgreSQL's defaults (fsync, synchronous_commit on):
# what survives its kill -9 is what the drill is about.
export CREDITBANK_PG_OPTIONS="${CREDITBANK_PG_OPTIONS:--c shared_buffers=512MB -c max_wal_size=4GB}"

infra=scripts/infra.sh
cleanup() {
  bash scripts/rabbitmq-cluster.sh down >/dev/null 2>&1 || true
  bash "$infra" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "make drill ($size): building in Release"
dotnet build CreditBank.sln --configuration Release -nologo -clp:ErrorsOnly || exit 1

if ! env_lines="$(bash "$infra" up)"; then
  echo "make drill: could not start RabbitMQ, PostgreSQL and Redis (see above)." >&2
  exit 1
fi
eval "$env_lines"

dotnet tests/LoadGenerator/bin/Release/net10.0/CreditBank.LoadGenerator.dll drill --repository . --size "$size" \
  --out "${DRILL_OUT:-docs/reliability.md}" --work "$work" ${DRILL_ONLY:+--only "$DRILL_ONLY"}
status=$?
echo "make drill: the services' logs are in $work"
exit "$status"
