#!/usr/bin/env bash
# make k8s-smoke: the Kubernetes manifests, run for real on this machine.
#   1. builds the images (scripts/images.sh: Debian base by mmdebstrap, each service's publish on top);
#   2. starts PostgreSQL, RabbitMQ and Redis (scripts/infra.sh) and creates the Secrets the manifests name as podman
#      secrets (flat JSON) pointing at them, with fresh keys;
#   3. renders k8s/overlays/local/migrations with the images just built and runs each Job's pod once (podman has no
#      Jobs), then renders k8s/overlays/local and plays it with `podman kube play` (host network, loopback ports);
#   4. runs the main story against it (tests/LoadGenerator main-story: every service ready, an institution submits an
#      outcome, the learner's account is credited, the balance reads back over REST), and checks that credentials is
#      ready and publishes its signing key in its JWK Set, and that the portal is ready and sends a person who signs in to
#      identity, which knows the portal's callback;
#   5. tears everything down, whatever happened, and ends with one line: "k8s-smoke: passed" or "k8s-smoke: FAILED".
#
# Settings: CREDITBANK_INFRA_DIR / CREDITBANK_PG_PORT / CREDITBANK_REDIS_PORT / CREDITBANK_RABBIT_PORT as for
# scripts/infra.sh; CREDITBANK_IMAGES_DIR as for scripts/images.sh; CREDITBANK_K8S_KEEP=1 leaves the pods running;
# CREDITBANK_K8S_REUSE_IMAGES=1 skips the image build and plays the last one (when working on the manifests).
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

WORK="${CREDITBANK_IMAGES_DIR:-/tmp/creditbank-images}"
RUN=$(mktemp -d "${TMPDIR:-/tmp}/creditbank-k8s-smoke.XXXXXX")
SERVICES=(identity recognition accounts conversion credentials portal)
# The loopback ports of k8s/overlays/local (REST, gRPC, metrics per service; the portal has no gRPC port).
LOCAL_PORTS=(35701 35702 35703 35711 35712 35713 35721 35722 35723 35731 35732 35733 35741 35742 35743 35751 35753)
SECRETS=(creditbank-document-protection creditbank-identity-keys creditbank-identity creditbank-recognition creditbank-accounts creditbank-conversion
  creditbank-credentials-keys creditbank-credentials)
START=$SECONDS

say() { printf 'k8s-smoke: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }

export CONTAINERS_CONF="$WORK/containers.conf"

played=()
teardown() {
  local rc=$?
  if [[ "${CREDITBANK_K8S_KEEP:-}" == 1 ]]; then
    say "CREDITBANK_K8S_KEEP=1: leaving the pods, secrets and infrastructure running (podman kube down $RUN/*.yaml; scripts/infra.sh down)"
    return
  fi
  for file in "${played[@]}"; do podman kube down "$file" >/dev/null 2>&1 || true; done
  for secret in "${SECRETS[@]}"; do podman secret rm "$secret" >/dev/null 2>&1 || true; done
  bash scripts/infra.sh down >/dev/null 2>&1 || true
  local left; left=$(podman ps -a --format '{{.Names}}' 2>/dev/null | grep -cE "^($(IFS='|'; echo "${SERVICES[*]}"))-(pod-0|migrate)" || true)
  say "torn down: pods removed ($left of their containers left), podman secrets removed, infrastructure stopped"
  if (( rc == 0 )); then
    say "passed in $((SECONDS - START)) s"
    rm -rf "$RUN"
  else
    say "FAILED after $((SECONDS - START)) s (rendered manifests and logs kept in $RUN)"
  fi
}
trap teardown EXIT

# ---------------------------------------------------------------- 1. images
if [[ "${CREDITBANK_K8S_REUSE_IMAGES:-}" == 1 && -f "$WORK/revision" ]]; then
  say "CREDITBANK_K8S_REUSE_IMAGES=1: using the images of the last make images"
else
  bash scripts/images.sh || fail "make images failed"
fi
# shellcheck disable=SC1091
. "$WORK/revision"
say "images built for revision $REVISION:"
sed 's/^/  /' "$WORK/images.txt"

# ---------------------------------------------------------------- 2. infrastructure and secrets
for port in "${LOCAL_PORTS[@]}"; do
  if [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]; then
    fail "port $port (k8s/overlays/local) is already in use: $(ss -Hltnp "sport = :$port" | head -1)"
  fi
done
KUBECTL=$(bash scripts/ensure-kubectl.sh) || fail "no kubectl to render the overlays with"
env_lines=$(bash scripts/infra.sh up) || fail "could not start RabbitMQ, PostgreSQL and Redis"
eval "$env_lines"

# A podman secret for kube play's secretKeyRef is a flat JSON object of base64 values, named like the Kubernetes Secret.
secret() {   # secret NAME KEY VALUE [KEY VALUE]...
  local name=$1; shift
  local json='{}'
  while (( $# )); do
    json=$(jq -c --arg k "$1" --arg v "$2" '. + {($k): ($v | @base64)}' <<<"$json"); shift 2
  done
  podman secret rm "$name" >/dev/null 2>&1 || true
  printf '%s' "$json" | podman secret create "$name" - >/dev/null || fail "podman secret create $name"
}
secret creditbank-document-protection hash-key "$(openssl rand -base64 32)" seal-key "$(openssl rand -base64 32)" seal-key-id smoke1
secret creditbank-identity-keys \
  signing-key.pem "$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null)" \
  encryption-key.pem "$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null)"
database() { printf '%s;Database=creditbank_k8s_%s' "$CREDITBANK_TEST_POSTGRES" "$1"; }
secret creditbank-identity database "$(database identity)" rabbitmq "$CREDITBANK_TEST_RABBITMQ"
secret creditbank-recognition database "$(database recognition)" rabbitmq "$CREDITBANK_TEST_RABBITMQ"
secret creditbank-accounts database "$(database accounts)" rabbitmq "$CREDITBANK_TEST_RABBITMQ" redis "$CREDITBANK_TEST_REDIS"
secret creditbank-conversion database "$(database conversion)" rabbitmq "$CREDITBANK_TEST_RABBITMQ"
secret creditbank-credentials-keys signing-key.pem "$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)"
secret creditbank-credentials database "$(database credentials)" rabbitmq "$CREDITBANK_TEST_RABBITMQ"
say "podman secrets created: ${SECRETS[*]}"

# ---------------------------------------------------------------- 3. render and play
render() {   # render OVERLAY OUT: the overlay with every image pinned to the revision just built
  local dir="$RUN/render-${1//\//-}"
  mkdir -p "$dir"
  {
    # kustomize takes no absolute path as a resource: the overlay, relative to this folder
    echo "resources: [\"$(realpath --relative-to="$dir" "$REPO/k8s/overlays/$1")\"]"
    echo "images:"
    for s in "${SERVICES[@]}"; do echo "- {name: localhost/creditbank/$s, newTag: \"$REVISION\"}"; done
  } >"$dir/kustomization.yaml"
  "$KUBECTL" kustomize "$dir" >"$2" || fail "kubectl kustomize k8s/overlays/$1"
}

render local/migrations "$RUN/migrations.yaml"
# Each Job's pod template, as a Pod that runs once.
"$KUBECTL" annotate --local -f "$RUN/migrations.yaml" creditbank.smoke/from=job -o json \
  | jq -c 'if .kind == "List" then .items[] else . end
           | {apiVersion: "v1", kind: "Pod", metadata: {name: .metadata.name, labels: .spec.template.metadata.labels},
              spec: .spec.template.spec}' >"$RUN/migration-pods.jsonl" || fail "could not turn the Jobs into pods"
while read -r pod; do
  name=$(jq -r .metadata.name <<<"$pod")
  container=$(jq -r '.spec.containers[0].name' <<<"$pod")
  printf '%s\n' "$pod" >"$RUN/$name.yaml"
  played+=("$RUN/$name.yaml")
  podman kube play "$RUN/$name.yaml" >"$RUN/$name.play.log" 2>&1 || { cat "$RUN/$name.play.log"; fail "podman kube play $name"; }
  code=$(timeout 300 podman wait "$name-$container") || fail "$name did not finish in 300 s"
  podman logs "$name-$container" >"$RUN/$name.log" 2>&1
  [[ "$code" == 0 ]] || { tail -30 "$RUN/$name.log"; fail "$name exited with code $code"; }
  say "migrations Job $name: exit code 0 ($(grep -o 'is up to date ([0-9]* migrations applied)' "$RUN/$name.log" | head -1))"
  podman kube down "$RUN/$name.yaml" >/dev/null 2>&1 || true
done <"$RUN/migration-pods.jsonl"

render local "$RUN/services.yaml"
played+=("$RUN/services.yaml")
podman kube play "$RUN/services.yaml" >"$RUN/play.log" 2>&1 || { cat "$RUN/play.log"; fail "podman kube play k8s/overlays/local"; }
say "k8s/overlays/local played: $(podman pod ps --format '{{.Name}} ({{.Status}})' | grep -E "^($(IFS='|'; echo "${SERVICES[*]}"))-pod-0" | sort | tr '\n' ' ')"

# ---------------------------------------------------------------- 4. the story
dotnet build tests/LoadGenerator/CreditBank.LoadGenerator.csproj -c Release -nologo -v quiet >"$RUN/build.log" 2>&1 \
  || { tail -20 "$RUN/build.log"; fail "building the load generator"; }
if ! dotnet tests/LoadGenerator/bin/Release/net10.0/CreditBank.LoadGenerator.dll main-story \
      --identity http://127.0.0.1:35701 --recognition-grpc http://127.0.0.1:35712 \
      --accounts http://127.0.0.1:35721 --accounts-grpc http://127.0.0.1:35722 --conversion-grpc http://127.0.0.1:35732; then
  for s in "${SERVICES[@]}"; do
    podman logs "$s-pod-0-$s" >"$RUN/$s.log" 2>&1 || true
    echo "----- last lines of $s -----"; tail -15 "$RUN/$s.log"
  done
  fail "the main story did not pass against the local overlay"
fi

# Credentials (the main story does not go through it): ready, and publishing the JWK Set verifiers fetch, with the
# EC key made above, under the public URL the local overlay gives it.
for _ in $(seq 60); do curl -fsS -o /dev/null "http://127.0.0.1:35741/health/ready" && break; sleep 1; done
curl -fsS -o /dev/null "http://127.0.0.1:35741/health/ready" || fail "credentials is not ready after 60 s (GET /health/ready on 35741)"
curl -fsS "http://127.0.0.1:35741/.well-known/jwks.json" >"$RUN/credentials.jwks" || fail "credentials does not answer /.well-known/jwks.json"
jq -e '.keys | length == 1 and .[0].kty == "EC" and .[0].crv == "P-256" and .[0].alg == "ES256"
       and (.[0].kid | startswith("http://127.0.0.1:35741/credentials/keys/"))' "$RUN/credentials.jwks" >/dev/null \
  || fail "credentials' JWK Set is not the one EC P-256 key under http://127.0.0.1:35741: $(cat "$RUN/credentials.jwks")"
say "credentials is ready and publishes its ES256 key at http://127.0.0.1:35741/.well-known/jwks.json"

# The portal: ready on its loopback port, its home page served, and /signin sends the browser to identity's authorization
# endpoint with the portal's callback, which identity accepts (it answers with its sign-in page, not an error).
for _ in $(seq 60); do curl -fsS -o /dev/null "http://127.0.0.1:35751/health/ready" && break; sleep 1; done
curl -fsS -o /dev/null "http://127.0.0.1:35751/health/ready" || fail "the portal is not ready after 60 s (GET /health/ready on 35751)"
curl -fsS -o /dev/null "http://127.0.0.1:35751/" || fail "the portal does not serve its home page on 35751"
authorize=$(curl -sS -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:35751/signin")
[[ $authorize == http://127.0.0.1:35701/* && $authorize == *redirect_uri=http%3A%2F%2F127.0.0.1%3A35751%2Fsignin-callback* ]] \
  || fail "the portal's /signin does not lead to identity at http://127.0.0.1:35701/ with its callback: '$authorize'"
# A callback identity did not register is refused there (400); a known one leads to identity's sign-in page.
answer=$(curl -sS -o "$RUN/portal-authorize.html" -w '%{http_code} %{redirect_url}' "$authorize")
[[ $answer == "302 http://127.0.0.1:35701/account/login"* ]] \
  || fail "identity does not take the portal's authorization request to its sign-in page ($answer): $(head -c 300 "$RUN/portal-authorize.html")"
say "the portal is ready on http://127.0.0.1:35751 and sends a sign-in to identity, which accepts its callback and shows its sign-in page"

# Prometheus' scrape: every service answers /metrics on its metrics port (its requests, and the outbox's backlog where
# there is an outbox), and its REST port does not.
for entry in identity:3570 recognition:3571 accounts:3572 conversion:3573 credentials:3574 portal:3575; do
  s=${entry%%:*}; p=${entry##*:}
  curl -fsS "http://127.0.0.1:${p}3/metrics" >"$RUN/$s.metrics" || fail "$s does not answer /metrics on port ${p}3"
  grep -q '^http_server_request_duration_seconds_count' "$RUN/$s.metrics" || fail "$s's metrics lack http_server_request_duration_seconds"
  [[ $s == identity || $s == portal ]] || grep -q '^creditbank_outbox_pending' "$RUN/$s.metrics" || fail "$s's metrics lack creditbank_outbox_pending"
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${p}1/metrics") != 200 ]] || fail "$s answers /metrics on its REST port"
done
say "metrics: every service and the portal answer Prometheus on their metrics ports (35703-35753), none on its REST port"

# Nothing ran as root, and nothing could write outside /tmp.
for s in "${SERVICES[@]}"; do
  podman inspect "$s-pod-0-$s" --format "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}" | grep -qx "10001:10001 true" \
    || podman inspect "$s-pod-0-$s" --format "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}" | grep -qx "10001 true" \
    || fail "$s does not run as user 10001 on a read-only root: $(podman inspect "$s-pod-0-$s" --format '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}')"
done
say "every service container ran as user 10001 with a read-only root file system"
