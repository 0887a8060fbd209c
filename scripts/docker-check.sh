#!/usr/bin/env bash
# Proves the Dockerfile and compose.yaml on a machine with a Docker engine.
#   scripts/docker-check.sh               build, compare extract, run compose
#   scripts/docker-check.sh --seed-bases  first make local stand-ins of the
#                                         base images (no Docker Hub here)
# Steps:
#   1. build the runtime and s3 targets, printing build time and image size;
#   2. run `pervichka extract` in the runtime image on committed testdata
#      files and compare with the host's binary on the same files (skipped
#      when the host has no Tesseract: run scripts/setup.sh first);
#   3. bring compose.yaml up (Postgres, S3, api, two workers) under its own
#      project name and port, create a token, upload a file through the API,
#      wait until the pipeline has processed it, check the original is in
#      the S3 bucket, and take the stack down with its volumes.
# With no engine answering it prints SKIP and exits 0; any failed check
# exits 1. Not part of .ci/run: CI machines have no engine.
#
# --seed-bases, for machines that reach Debian's mirror and the Go module
# proxy but not Docker Hub: debootstrap makes a Debian 12 image, the host's
# Go 1.26 goes into a golang stand-in and Debian's postgresql-15 into a
# postgres stand-in with the official image's POSTGRES_* variables. They are
# tagged pervichka-base/* and passed as GO_IMAGE, DEBIAN_IMAGE and
# POSTGRES_IMAGE; existing ones are kept (docker rmi them to remake).
# Needs root, debootstrap and Go 1.26 on the host.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "docker-check: $*" >&2; }
die() {
  log "FAIL: $*"
  exit 1
}

seed=false
case "${1:-}" in
"") ;;
--seed-bases) seed=true ;;
*)
  sed -n '2,5p' "$0" >&2
  exit 2
  ;;
esac

if ! command -v docker >/dev/null; then
  log "SKIP: no docker command; nothing checked"
  exit 0
fi
if ! out=$(docker info 2>&1 >/dev/null); then
  log "SKIP: no Docker engine answers (docker info: ${out##*$'\n'}); nothing checked"
  exit 0
fi

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  compose=()
fi

work=$(mktemp -d)
project=pervichka-check
cleanup() {
  if ((${#compose[@]})) && [ -n "${compose_up:-}" ]; then
    "${compose[@]}" -p "$project" down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- base images -----------------------------------------------------------

seed_debian() {
  local tag=pervichka-base/debian:bookworm-slim
  if ! docker image inspect "$tag" >/dev/null 2>&1; then
    command -v debootstrap >/dev/null || die "--seed-bases needs debootstrap (apt-get install debootstrap)"
    log "seed: debootstrap bookworm (a few minutes)"
    debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
      die "debootstrap failed: $(tail -n3 "$work/debootstrap.log")"
    # The sources of the official image: main with updates and security.
    rm -f "$work/rootfs/etc/apt/sources.list"
    cat >"$work/rootfs/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -rf "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/cache/apt/archives/"*.deb
    tar -C "$work/rootfs" -c . | docker import --change 'CMD ["bash"]' - "$tag" >/dev/null
    rm -rf "$work/rootfs"
  fi
  DEBIAN_IMAGE=$tag
}

seed_golang() {
  local tag=pervichka-base/golang:1.26-bookworm goroot
  if ! docker image inspect "$tag" >/dev/null 2>&1; then
    goroot=$(go env GOROOT)
    go version | grep -q ' go1\.26' || die "--seed-bases needs Go 1.26 on the host (have: $(go version))"
    log "seed: $tag from $DEBIAN_IMAGE and the host's $goroot"
    mkdir -p "$work/golang/ca"
    # The host's own CAs go along (a TLS-inspecting proxy's, say): go mod
    # download in the build must trust the Go module proxy as the host does.
    cp /usr/local/share/ca-certificates/*.crt "$work/golang/ca/" 2>/dev/null || true
    # The packages of the official golang:bookworm image that builds use.
    cat >"$work/golang/Dockerfile" <<EOF
FROM $DEBIAN_IMAGE
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \\
      ca-certificates git gcc g++ libc6-dev make pkg-config >/dev/null && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
COPY go /usr/local/go
ENV GOLANG_VERSION=$(go env GOVERSION) GOTOOLCHAIN=local GOPATH=/go \\
    PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
EOF
    tar -c -C "$work/golang" Dockerfile ca -C "$(dirname "$goroot")" --transform "s,^$(basename "$goroot"),go," "$(basename "$goroot")" |
      docker build --force-rm -t "$tag" - >"$work/seed-golang.log" 2>&1 || die "seed $tag: $(tail -n20 "$work/seed-golang.log")"
  fi
  GO_IMAGE=$tag
}

seed_postgres() {
  local tag=pervichka-base/postgres:15-bookworm
  if ! docker image inspect "$tag" >/dev/null 2>&1; then
    log "seed: $tag from $DEBIAN_IMAGE and Debian's postgresql-15"
    mkdir -p "$work/postgres"
    # The official image's contract that compose.yaml uses: POSTGRES_USER,
    # POSTGRES_PASSWORD and POSTGRES_DB made on the first start, password
    # auth over TCP, data in /var/lib/postgresql/data, pg_isready.
    cat >"$work/postgres/entrypoint.sh" <<'EOF'
#!/bin/sh
set -eu
bin=/usr/lib/postgresql/15/bin
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "${POSTGRES_PASSWORD:?}" >/tmp/pw
  "$bin/initdb" -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=/tmp/pw --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm /tmp/pw
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    "$bin/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    createdb -U "$POSTGRES_USER" "$POSTGRES_DB"
    "$bin/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*'
EOF
    cat >"$work/postgres/Dockerfile" <<EOF
FROM $DEBIAN_IMAGE
RUN mkdir -p /etc/postgresql-common && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf \\
    && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \\
    && rm -rf /var/lib/apt/lists/* \\
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql && chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data
USER postgres
VOLUME /var/lib/postgresql/data
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
EOF
    chmod 755 "$work/postgres/entrypoint.sh"
    docker build --force-rm -t "$tag" "$work/postgres" >"$work/seed-postgres.log" 2>&1 ||
      die "seed $tag: $(tail -n20 "$work/seed-postgres.log")"
  fi
  POSTGRES_IMAGE=$tag
}

GO_IMAGE=${GO_IMAGE:-golang:1.26-bookworm}
DEBIAN_IMAGE=${DEBIAN_IMAGE:-debian:bookworm-slim}
POSTGRES_IMAGE=${POSTGRES_IMAGE:-postgres:15-bookworm}
if $seed; then
  seed_debian
  seed_golang
  seed_postgres
fi
for image in "$GO_IMAGE" "$DEBIAN_IMAGE" "$POSTGRES_IMAGE"; do
  if ! docker image inspect "$image" >/dev/null 2>&1 && ! docker pull -q "$image" >/dev/null 2>&1; then
    log "SKIP: base image $image is neither here nor pullable; on a machine without Docker Hub run: $0 --seed-bases"
    exit 0
  fi
done
export GO_IMAGE DEBIAN_IMAGE POSTGRES_IMAGE
log "bases: $GO_IMAGE, $DEBIAN_IMAGE, $POSTGRES_IMAGE"

# ---- 1. build ----------------------------------------------------------------

for target in runtime s3; do
  start=$(date +%s)
  docker build -q --force-rm --target "$target" -t "pervichka-check:$target" \
    --build-arg GO_IMAGE="$GO_IMAGE" --build-arg DEBIAN_IMAGE="$DEBIAN_IMAGE" \
    --build-arg VCS_REVISION="$(git rev-parse HEAD 2>/dev/null)" --build-arg VCS_TIME="$(git log -1 --format=%cI 2>/dev/null)" \
    --build-arg VCS_MODIFIED="$(test -z "$(git status --porcelain 2>/dev/null)" && echo false || echo true)" \
    . >"$work/build-$target.log" 2>&1 ||
    die "build of target $target: $(tail -n20 "$work/build-$target.log")"
  size=$(docker image inspect -f '{{.Size}}' "pervichka-check:$target")
  log "built $target in $(($(date +%s) - start)) s, image $((size / 1000000)) MB"
done
docker run --rm --entrypoint tesseract pervichka-check:runtime --list-langs 2>&1 | grep -qx rus ||
  die "the runtime image has no Tesseract rus model"
if rev=$(git rev-parse HEAD 2>/dev/null); then
  docker run --rm pervichka-check:runtime version | grep -q "revision $rev" ||
    die "the image's pervichka version does not name revision $rev"
fi

# ---- 2. extract: image against host ------------------------------------------

# Fields, confidences and words must match exactly; timings and the folder
# the file was read from may not.
normalise() { jq -S 'del(.timings_ms) | .file |= (split("/") | last)'; }
files=(001-invoice.pdf 001-invoice-scan.pdf 001-invoice-photo.jpg)
if ! command -v tesseract >/dev/null || ! pkg-config --exists tesseract 2>/dev/null || ! command -v jq >/dev/null; then
  log "extract comparison skipped: the host lacks Tesseract's headers or jq (scripts/setup.sh installs them)"
else
  go build -o "$work/pervichka" ./cmd/pervichka
  for f in "${files[@]}"; do
    start=$(date +%s)
    docker run --rm --network none -v "$PWD/testdata/corpus:/in:ro" pervichka-check:runtime extract "/in/$f" \
      >"$work/image.jsonl" 2>"$work/image.err" || die "extract $f in the image: $(tail -n5 "$work/image.err")"
    image_s=$(($(date +%s) - start))
    start=$(date +%s)
    "$work/pervichka" extract "testdata/corpus/$f" >"$work/host.jsonl" 2>"$work/host.err" ||
      die "extract $f on the host: $(tail -n5 "$work/host.err")"
    host_s=$(($(date +%s) - start))
    normalise <"$work/image.jsonl" >"$work/image.json"
    normalise <"$work/host.jsonl" >"$work/host.json"
    verdict=$(jq -r '"\(.doc_type), needs_review=\(.needs_review // false)"' "$work/image.json")
    if diff -u "$work/host.json" "$work/image.json" >"$work/extract.diff"; then
      log "extract $f: image = host ($verdict; image ${image_s} s, host ${host_s} s)"
    else
      head -n40 "$work/extract.diff" >&2
      die "extract $f: the image's result differs from the host's (diff above; host $(tesseract --version 2>&1 | head -n1), image $(docker run --rm --entrypoint tesseract pervichka-check:runtime --version 2>&1 | head -n1))"
    fi
  done
fi

# ---- 3. compose ----------------------------------------------------------------

if ! ((${#compose[@]})); then
  log "compose run skipped: neither 'docker compose' nor docker-compose is installed"
  log "OK (build and extract only)"
  exit 0
fi
port=${PERVICHKA_PORT:-18080}
export PERVICHKA_PORT=$port
compose_up=1
start=$(date +%s)
"${compose[@]}" -p "$project" up -d --build --scale worker=2 >"$work/compose.log" 2>&1 ||
  die "compose up: $(tail -n20 "$work/compose.log")"
base=http://127.0.0.1:$port
for _ in $(seq 120); do
  curl -fsS -o /dev/null "$base/readyz" 2>/dev/null && break
  sleep 1
done
curl -fsS -o /dev/null "$base/readyz" || die "the api is not ready after 120 s: $("${compose[@]}" -p "$project" logs --tail 20 api 2>&1)"
log "compose up and ready in $(($(date +%s) - start)) s (${compose[*]}, api on $base)"

token=$("${compose[@]}" -p "$project" exec -T api pervichka token create --name docker-check --role service | tail -n1)
[ -n "$token" ] || die "no token from 'pervichka token create'"
f=testdata/corpus/001-invoice-photo.jpg
id=$(curl -fsS -H "Authorization: Bearer $token" -F "file=@$f" "$base/api/v1/documents" | jq -r '.documents[0].id')
[[ "$id" =~ ^[0-9]+$ ]] || die "upload of $f gave no document id"
start=$(date +%s)
state=received
for _ in $(seq 300); do
  state=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/documents/$id" | jq -r .state)
  case "$state" in needs_review | auto_approved | posted | failed) break ;; esac
  sleep 1
done
case "$state" in
needs_review | auto_approved | posted) ;;
*) die "document $id is $state after 300 s: $("${compose[@]}" -p "$project" logs --tail 30 worker 2>&1)" ;;
esac
doc_type=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/documents/$id" | jq -r .doc_type)
objects=$("${compose[@]}" -p "$project" exec -T s3 find /data/pervichka -type f | wc -l)
((objects > 0)) || die "the S3 bucket holds no objects"
workers=$("${compose[@]}" -p "$project" ps -q worker | wc -l)
log "uploaded $f as document $id: $state ($doc_type) in $(($(date +%s) - start)) s; $objects files in the bucket; $workers workers"
log "OK"
