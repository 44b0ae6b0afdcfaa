#!/usr/bin/env bash
# Runs every test project against real RabbitMQ, PostgreSQL and Redis (started here, stopped afterwards) and ends with
# one line over all projects: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

infra=scripts/infra.sh
log_dir="${TMPDIR:-/tmp}/creditbank-test-$$"
mkdir -p "$log_dir"
output="$log_dir/dotnet-test.out"
export CREDITBANK_TEST_LOG="$log_dir/service-logs.txt"
: > "$CREDITBANK_TEST_LOG"

cleanup() { bash "$infra" down >/dev/null 2>&1 || true; }
trap cleanup EXIT

if ! env_lines="$(bash "$infra" up)"; then
  echo "make test: could not start RabbitMQ, PostgreSQL and Redis (see above)." >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
eval "$env_lines"

# The independent credential checker (tests/CredentialChecker, Node with jose and @digitalbazaar/vc-bitstring-status-list)
# runs offline inside the tests; its packages come from the npm registry here, once, as package-lock.json pins them.
checker=tests/CredentialChecker
if [ ! -f "$checker/node_modules/.package-lock.json" ] || [ "$checker/package-lock.json" -nt "$checker/node_modules/.package-lock.json" ]; then
  if ! (cd "$checker" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "make test: could not install the credential checker's npm packages (it needs node 20 and npm; see tests/CredentialChecker)." >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
  fi
fi

# tests/Portal.Tests drives Debian's chromium (Playwright); fonts-noto-cjk makes Chinese render as Chinese, not boxes;
# zbar-tools' zbarimg reads the QR codes the pages show.
portal_missing=()
[ -x /usr/lib/chromium/chromium ] || portal_missing+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || portal_missing+=(fonts-noto-cjk)
command -v zbarimg >/dev/null || portal_missing+=(zbar-tools)
if [ "${#portal_missing[@]}" -gt 0 ]; then
  echo "make test: installing ${portal_missing[*]} for the portal's browser tests (apt-get)…" >&2
  if [ "$(id -u)" -ne 0 ] || ! { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y "${portal_missing[@]}"; } </dev/null >"$log_dir/apt-portal.log" 2>&1; then
    echo "make test: could not install ${portal_missing[*]} (log: $log_dir/apt-portal.log). As root: apt-get install -y chromium fonts-noto-cjk zbar-tools" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
  fi
fi

# tests/Deployment.Tests renders the Kubernetes overlays with `kubectl kustomize` (installed here where it is missing).
if ! CREDITBANK_KUBECTL="$(bash scripts/ensure-kubectl.sh)"; then
  echo "make test: no kubectl to render the Kubernetes manifests with (see above)." >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
export CREDITBANK_KUBECTL

# Every project but the browser tests, in parallel; then the browser tests on their own (below): a page that waits for
# a redirect on two cores shared with a 100,000-line batch and four other suites once took over 90 s.
apart="$log_dir/without-browser"
dotnet new sln -n without-browser -o "$apart" --format sln >/dev/null &&
  dotnet sln "$apart/without-browser.sln" add $(dotnet sln CreditBank.sln list | grep '\.csproj$' | grep -v 'Portal\.Tests') >/dev/null ||
  { echo "make test: could not make a solution of every project but tests/Portal.Tests." >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
dotnet test --solution "$apart/without-browser.sln" --configuration "${CONFIGURATION:-Debug}" 2>&1 | tee "$output"
status=${PIPESTATUS[0]}

count() { grep -E "^\s+$2: [0-9]+" "$1" | tail -1 | grep -oE "[0-9]+" || echo 0; }
failed=$(count "$output" failed); passed=$(count "$output" succeeded); skipped=$(count "$output" skipped)

portal_output="$log_dir/dotnet-test-portal.out"
echo "== tests/Portal.Tests (chromium)"
dotnet test --project tests/Portal.Tests/CreditBank.Portal.Tests.csproj --configuration "${CONFIGURATION:-Debug}" 2>&1 | tee "$portal_output"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
failed=$((failed + $(count "$portal_output" failed))); passed=$((passed + $(count "$portal_output" succeeded)))
skipped=$((skipped + $(count "$portal_output" skipped)))

# The per-service suites once more with every service on PostgreSQL (TestSettings.OnPostgres): the run above kept
# their data in SQLite, the embedded default; production runs PostgreSQL's paths (bulk COPY, SKIP LOCKED claims, …).
for project in Recognition Accounts Conversion Credentials; do
  pg_output="$log_dir/dotnet-test-$project-postgres.out"
  echo "== tests/$project.Tests on PostgreSQL"
  CREDITBANK_TEST_DATABASES=postgres dotnet test --project "tests/$project.Tests/CreditBank.$project.Tests.csproj" --no-build \
    --configuration "${CONFIGURATION:-Debug}" 2>&1 | tee "$pg_output"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  failed=$((failed + $(count "$pg_output" failed))); passed=$((passed + $(count "$pg_output" succeeded)))
  skipped=$((skipped + $(count "$pg_output" skipped)))
done

# Personal data never reaches a log line: no 18-character 居民身份证 number anywhere in what the services logged.
if grep -qE "(^|[^0-9A-Za-z])[0-9]{17}[0-9X]([^0-9A-Za-z]|$)" "$CREDITBANK_TEST_LOG"; then
  echo "make test: a document number appears in clear in the services' logs ($CREDITBANK_TEST_LOG):" >&2
  grep -nE "(^|[^0-9A-Za-z])[0-9]{17}[0-9X]([^0-9A-Za-z]|$)" "$CREDITBANK_TEST_LOG" | head -5 >&2
  failed=$((failed + 1)); status=1
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before any test could report.
  failed=1
fi
# Each failed test once more at the end, with why (its message up to the stack trace, at most 12 lines), where a log's
# last lines show it: CI keeps only the tail of what make test printed.
if [ "$failed" -gt 0 ]; then
  echo "== failed tests"
  awk '/^failed CreditBank/ { print; from = NR + 2; lines = 0; next }
       from && NR >= from { if ($0 ~ /^[[:space:]]*(Stack Trace:|at )/ || $0 ~ /^(failed|passed|skipped) / || ++lines > 12) from = 0
                            else print "    " substr($0, 1, 600) }' "$log_dir"/dotnet-test*.out
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
