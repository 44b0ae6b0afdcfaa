#!/usr/bin/env bash
# make bench: the hot paths with BenchmarkDotNet, then every service as its own Release process against real
# RabbitMQ, PostgreSQL and Redis (started here on their own ports, stopped afterwards), driven by the load generator
# (tests/LoadGenerator), with the raw baselines measured in the same run. Writes docs/benchmarks.md and
# docs/benchmarks.svg. SIZE=quick tries the whole harness in a few minutes; the default is the full size.
# For working on one figure: BENCH_ONLY=baselines,submits (any of baselines,batch,feed,submits,reads,scale,credentials,portal),
# BENCH_OUT=/tmp/b.md (keeps docs/ as it is), SKIP_HOT_PATHS=1.
set -uo pipefail
cd "$(dirname "$0")/.."

size="${SIZE:-full}"
work="$(mktemp -d "${TMPDIR:-/tmp}/creditbank-bench.XXXXXX")"
chmod 755 "$work"   # PostgreSQL runs as its own user and must reach its folder inside
# Own ports and state folder: make test may run beside it.
export CREDITBANK_INFRA_DIR="${CREDITBANK_INFRA_DIR:-$work/infra}"
export CREDITBANK_PG_PORT="${CREDITBANK_PG_PORT:-55432}"
export CREDITBANK_REDIS_PORT="${CREDITBANK_REDIS_PORT:-56379}"
export CREDITBANK_RABBIT_PORT="${CREDITBANK_RABBIT_PORT:-55672}"
# Memory and WAL sized for a 20-million-entry ledger; durability stays at PostgreSQL's defaults (fsync,
# synchronous_commit on).
export CREDITBANK_PG_OPTIONS="${CREDITBANK_PG_OPTIONS:--c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=15min}"

infra=scripts/infra.sh
# PostgreSQL's shared memory in 2 MB huge pages, where this user may reserve them (root): with 4 kB pages every new
# backend faults in, page by page, the buffers it touches — a spread-out working set such as reads across a million
# accounts ran 3-6x slower per connection for its first ~25 s (docs/performance.md, "Scale"). 640 pages hold the 1 GB
# of shared_buffers and the rest of its shared memory; PostgreSQL (huge_pages=try) falls back to 4 kB pages without
# them. Given back at the end. CREDITBANK_NO_HUGE_PAGES=1 leaves the machine alone.
huge_pages_before="$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)"
huge_pages_reserved=""
if [ -z "${CREDITBANK_NO_HUGE_PAGES:-}" ] && [ -w /proc/sys/vm/nr_hugepages ] && [ "$huge_pages_before" -lt 640 ] \
   && echo 640 >/proc/sys/vm/nr_hugepages 2>/dev/null; then
  huge_pages_reserved=1
  echo "make bench: reserved $(cat /proc/sys/vm/nr_hugepages) huge pages of 2 MB for PostgreSQL's shared memory (given back at the end)"
fi
cleanup() {
  bash "$infra" down >/dev/null 2>&1 || true
  if [ -n "$huge_pages_reserved" ]; then echo "$huge_pages_before" >/proc/sys/vm/nr_hugepages 2>/dev/null || true; fi
}
trap cleanup EXIT

echo "make bench ($size): building in Release"
dotnet build CreditBank.sln --configuration Release -nologo -clp:ErrorsOnly || exit 1

# Hot paths first, while nothing else runs on the machine. In process: no per-benchmark project builds.
job=short; [ "$size" = quick ] && job=dry
if [ -z "${SKIP_HOT_PATHS:-}" ]; then
  echo "make bench: hot paths (BenchmarkDotNet, job $job)"
  dotnet tests/Benchmarks/bin/Release/net10.0/CreditBank.Benchmarks.dll --filter '*' --job "$job" --inProcess \
    --exporters json --artifacts "$work/hot-paths" >"$work/hot-paths.log" 2>&1 \
    || { echo "make bench: BenchmarkDotNet failed, see $work/hot-paths.log" >&2; tail -20 "$work/hot-paths.log" >&2; }
fi

if ! env_lines="$(bash "$infra" up)"; then
  echo "make bench: could not start RabbitMQ, PostgreSQL and Redis (see above)." >&2
  exit 1
fi
eval "$env_lines"

dotnet tests/LoadGenerator/bin/Release/net10.0/CreditBank.LoadGenerator.dll bench --repository . --size "$size" \
  --hot-paths "$work/hot-paths/results" --out "${BENCH_OUT:-docs/benchmarks.md}" --work "$work" ${BENCH_ONLY:+--only "$BENCH_ONLY"}
status=$?
echo "make bench: services' logs and BenchmarkDotNet's output are in $work"
exit "$status"
