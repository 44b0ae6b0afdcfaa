#!/usr/bin/env bash
# make images: one OCI image per service, without Docker.
#
#   base     a Debian root made by mmdebstrap from Debian's packages (only the libraries .NET needs, CA certificates,
#            time zones; no shell, no package manager) plus this machine's ASP.NET Core runtime
#   service  the base plus the service's framework-dependent `dotnet publish` in /app, run as user 10001
#
# Images land in podman's local storage as localhost/creditbank/<service>:<revision>, where the revision is the commit
# (12 hex digits, "-dirty" when the work tree has changes), and carry the OCI labels (revision, source, version,
# created, title, base). The list with sizes goes to $CREDITBANK_IMAGES_DIR/images.txt.
#
# Settings (environment):
#   CREDITBANK_IMAGES_DIR   work folder: root file system, publish output, containers.conf (default /tmp/creditbank-images)
#   CREDITBANK_SERVICES     which services, space-separated (default: all of SERVICES below)
#   DEBIAN_SUITE            the Debian release the base is made from (default bookworm)
set -euo pipefail
cd "$(dirname "$0")/.."

# Every service that has an image (the portal among them: the same base, the same user, nothing written outside /tmp —
# its Data Protection keys go under HOME=/tmp). Adding one (exchange) is adding its name here: the project is
# services/<Name>/CreditBank.<Name>.csproj.
SERVICES=(identity recognition accounts conversion credentials portal)

WORK="${CREDITBANK_IMAGES_DIR:-/tmp/creditbank-images}"
SUITE="${DEBIAN_SUITE:-bookworm}"
read -r -a WANTED <<<"${CREDITBANK_SERVICES:-${SERVICES[*]}}"
# What the base holds from Debian: libc, the C++ runtime, zlib, OpenSSL, ICU (globalization is on), GSSAPI (Npgsql
# asks for it on every new connection, and .NET prints an error line when it is missing), CA certificates, time zones,
# /etc/services and /etc/os-release.
BASE_PACKAGES=libc6,libgcc-s1,libstdc++6,zlib1g,libssl3,libicu72,libgssapi-krb5-2,ca-certificates,tzdata,base-files,netbase
APP_USER=10001
case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64) RID=linux-arm64 ;; *) RID="linux-$(uname -m)" ;; esac

log() { printf 'images: %s\n' "$*" >&2; }
die() { printf 'images: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- tools
ensure_tools() {
  local missing=()
  for tool in podman buildah mmdebstrap runc; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  command -v newuidmap >/dev/null || missing+=(uidmap)
  (( ${#missing[@]} == 0 )) && return 0
  [[ $(id -u) -eq 0 ]] || die "missing: ${missing[*]}. Install them as root: apt-get install -y podman buildah mmdebstrap runc uidmap"
  log "installing ${missing[*]} with apt-get…"
  { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y podman buildah mmdebstrap runc uidmap; } \
    </dev/null >"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log" >&2; die "apt-get could not install ${missing[*]}"; }
}

# podman and buildah on these machines need runc (crun fails on the kernel's cgroup setup) and raised limits.
containers_conf() {
  cat >"$WORK/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=8192:8192"]
[engine]
runtime = "runc"
EOF
  export CONTAINERS_CONF="$WORK/containers.conf"
}

# ---------------------------------------------------------------- revision
revision() {
  local sha; sha=$(git rev-parse HEAD)
  REVISION_FULL=$sha
  REVISION=${sha:0:12}
  if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then REVISION="$REVISION-dirty"; fi
}

# ---------------------------------------------------------------- base
dotnet_root() { dirname "$(readlink -f "$(command -v dotnet)")"; }
runtime_version() {   # the newest ASP.NET Core 10 runtime on this machine (the services target net10.0)
  local v
  v=$(ls "$(dotnet_root)/shared/Microsoft.AspNetCore.App" | grep -E '^10\.' | sort -V | tail -1)
  [[ -n "$v" && -d "$(dotnet_root)/shared/Microsoft.NETCore.App/$v" ]] || die "no .NET 10 runtime (Microsoft.AspNetCore.App 10.x) under $(dotnet_root)/shared"
  echo "$v"
}

build_base() {
  local runtime; runtime=$(runtime_version)
  # The base changes only with the Debian suite, the package list or the runtime.
  local key; key=$(printf '%s|%s|%s' "$SUITE" "$BASE_PACKAGES" "$runtime" | sha256sum | cut -c1-12)
  BASE_IMAGE="localhost/creditbank/base:$runtime-$key"
  if podman image exists "$BASE_IMAGE"; then log "base $BASE_IMAGE is there"; return 0; fi

  local ctx="$WORK/base"
  rm -rf "$ctx"; mkdir -p "$ctx"
  log "making the Debian $SUITE root with mmdebstrap (${BASE_PACKAGES//,/ })…"
  # extract: the packages are unpacked, none is configured, so nothing needs a shell; the CA bundle that
  # ca-certificates' configure step would write is concatenated here, and the runtime user is given a passwd entry.
  mmdebstrap --variant=extract --include="$BASE_PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --extract-hook='cat "$1"/usr/share/ca-certificates/mozilla/*.crt > "$1"/etc/ssl/certs/ca-certificates.crt' \
    --extract-hook="printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:$APP_USER:$APP_USER:app:/tmp:/usr/sbin/nologin\n' > \"\$1\"/etc/passwd" \
    --extract-hook="printf 'root:x:0:\napp:x:$APP_USER:\n' > \"\$1\"/etc/group" \
    "$SUITE" "$ctx/rootfs.tar" >"$WORK/mmdebstrap.log" 2>&1 \
    || { tail -20 "$WORK/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $WORK/mmdebstrap.log)"; }

  log "adding the ASP.NET Core runtime $runtime"
  local root; root=$(dotnet_root)
  mkdir -p "$ctx/dotnet/host/fxr" "$ctx/dotnet/shared/Microsoft.NETCore.App" "$ctx/dotnet/shared/Microsoft.AspNetCore.App"
  cp "$root/dotnet" "$root/LICENSE.txt" "$root/ThirdPartyNotices.txt" "$ctx/dotnet/"
  cp -r "$root/host/fxr/$runtime" "$ctx/dotnet/host/fxr/"
  cp -r "$root/shared/Microsoft.NETCore.App/$runtime" "$ctx/dotnet/shared/Microsoft.NETCore.App/"
  cp -r "$root/shared/Microsoft.AspNetCore.App/$runtime" "$ctx/dotnet/shared/Microsoft.AspNetCore.App/"

  local c; c=$(buildah from scratch)
  buildah add --quiet "$c" "$ctx/rootfs.tar" / >/dev/null
  buildah copy --quiet "$c" "$ctx/dotnet" /usr/lib/dotnet >/dev/null
  # HOME and TMPDIR are /tmp: the one writable place when the root file system is read-only (an emptyDir there).
  buildah config \
    --env PATH=/usr/lib/dotnet:/usr/bin:/bin --env DOTNET_ROOT=/usr/lib/dotnet --env HOME=/tmp --env TMPDIR=/tmp \
    --env DOTNET_NOLOGO=1 --env DOTNET_CLI_TELEMETRY_OPTOUT=1 --env ASPNETCORE_ENVIRONMENT=Production \
    --env MALLOC_ARENA_MAX=2 \
    --user "$APP_USER:$APP_USER" --workingdir /app \
    --label org.opencontainers.image.title="creditbank base" \
    --label org.opencontainers.image.description="Debian $SUITE (mmdebstrap: ${BASE_PACKAGES//,/ }) + ASP.NET Core runtime $runtime" \
    --label org.opencontainers.image.base.name="debian:$SUITE" \
    "$c"
  buildah commit --quiet --rm "$c" "$BASE_IMAGE" >/dev/null
  rm -rf "$ctx"
  log "base $BASE_IMAGE built"
}

# ---------------------------------------------------------------- services
project_of() {   # identity -> services/Identity/CreditBank.Identity.csproj
  local name="${1^}"
  echo "services/$name/CreditBank.$name.csproj"
}

build_service() {
  local service=$1 name="${1^}" project; project=$(project_of "$1")
  [[ -f "$project" ]] || die "no project $project for service '$service'"
  local out="$WORK/publish/$service"
  rm -rf "$out"
  log "$service: dotnet publish (framework-dependent, Release)"
  # For this machine's Linux RID only: the other platforms' native SQLite libraries would be 33 of a service's 53 MB.
  dotnet publish "$project" -c Release -o "$out" -r "$RID" --no-self-contained -p:UseAppHost=false \
    -nologo -v quiet >"$WORK/publish-$service.log" 2>&1 \
    || { tail -30 "$WORK/publish-$service.log" >&2; die "$service: dotnet publish failed (log: $WORK/publish-$service.log)"; }
  # Development settings never go into an image.
  rm -f "$out"/appsettings.Development.json

  local image="localhost/creditbank/$service:$REVISION"
  local source=(); local remote; remote=$(git config --get remote.origin.url 2>/dev/null || true)
  [[ -n "$remote" ]] && source=(--label org.opencontainers.image.source="$remote")
  local c; c=$(buildah from --pull=never "$BASE_IMAGE")
  # The application files belong to root: the service (user 10001) can read them, not change them.
  buildah copy --quiet --chown 0:0 "$c" "$out" /app >/dev/null
  buildah config \
    --entrypoint "[\"/usr/lib/dotnet/dotnet\", \"/app/CreditBank.$name.dll\"]" --cmd '' \
    --user "$APP_USER:$APP_USER" --workingdir /app \
    --label org.opencontainers.image.title="creditbank-$service" \
    --label org.opencontainers.image.description="CreditBank $name service" \
    --label org.opencontainers.image.revision="$REVISION_FULL" \
    --label org.opencontainers.image.version="$REVISION" \
    --label org.opencontainers.image.created="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "${source[@]}" \
    --label org.opencontainers.image.base.name="$BASE_IMAGE" \
    "$c"
  buildah commit --quiet --rm "$c" "$image" >/dev/null
  log "$service: $image"
  BUILT+=("$image")
}

# ---------------------------------------------------------------- main
mkdir -p "$WORK"
ensure_tools
containers_conf
revision
for s in "${WANTED[@]}"; do
  [[ " ${SERVICES[*]} " == *" $s "* ]] || die "unknown service '$s' (known: ${SERVICES[*]})"
done
build_base
BUILT=()
for s in "${WANTED[@]}"; do build_service "$s"; done

{
  printf '%-52s %10s\n' IMAGE SIZE
  for image in "$BASE_IMAGE" "${BUILT[@]}"; do
    printf '%-52s %7s MB\n' "$image" "$(( $(podman image inspect --format '{{.Size}}' "$image") / 1000000 ))"
  done
} | tee "$WORK/images.txt"
printf '%s\n' "${BUILT[@]}" >"$WORK/built.txt"
echo "REVISION=$REVISION" >"$WORK/revision"
