# Pervichka in a container: Debian 12 with Tesseract 5 (rus, eng, osd) and
# poppler, the same packages scripts/setup.sh installs on a host.
#
#   docker build -t pervichka .
#   docker run --rm -p 8080:8080 -v pervichka:/var/lib/pervichka pervichka
#       the embedded deployment: SQLite and objects under /var/lib/pervichka
#   docker compose up
#       the shared deployment: Postgres, an S3 server and a worker (compose.yaml)
#
# scripts/docker-check.sh builds both targets, compares the image's
# `extract` with the host's and runs compose.yaml end to end.
#
# The base images are arguments so that a machine without Docker Hub can
# build from local stand-ins of the same Debian release
# (scripts/docker-check.sh --seed-bases makes them):
#   docker build --build-arg GO_IMAGE=… --build-arg DEBIAN_IMAGE=… .
ARG GO_IMAGE=golang:1.26-bookworm
ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${GO_IMAGE} AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libtesseract-dev libleptonica-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# .git is not in the context (.dockerignore), so Go cannot stamp the
# revision itself; `pervichka version` and pervichka_build_info read it from
# these arguments instead:
#   docker build --build-arg VCS_REVISION=$(git rev-parse HEAD) \
#     --build-arg VCS_TIME=$(git log -1 --format=%cI) \
#     --build-arg VCS_MODIFIED=$(test -z "$(git status --porcelain)" && echo false || echo true) .
ARG VCS_REVISION="" VCS_TIME="" VCS_MODIFIED=""
RUN go build -trimpath -buildvcs=false \
      -ldflags "-X main.vcsRevision=${VCS_REVISION} -X main.vcsTime=${VCS_TIME} -X main.vcsModified=${VCS_MODIFIED}" \
      -o /out/pervichka ./cmd/pervichka

# The S3 server compose.yaml runs beside Postgres: versitygw (Apache-2.0),
# the one the tests use, built from source at the same version.
FROM ${GO_IMAGE} AS versitygw
RUN go install github.com/versity/versitygw/cmd/versitygw@v1.8.0

FROM ${DEBIAN_IMAGE} AS s3
COPY --from=versitygw /go/bin/versitygw /usr/local/bin/versitygw
RUN useradd --system --home /data --create-home s3
USER s3
EXPOSE 7070
# ROOT_ACCESS_KEY and ROOT_SECRET_KEY come from the environment.
ENTRYPOINT ["versitygw", "--port", ":7070", "posix", "/data"]

FROM ${DEBIAN_IMAGE} AS runtime
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-osd poppler-utils \
      fonts-liberation fonts-dejavu-core fonts-paratype ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/pervichka --create-home pervichka
COPY --from=build /out/pervichka /usr/local/bin/pervichka
USER pervichka
WORKDIR /var/lib/pervichka
ENV PERVICHKA_HOME=/var/lib/pervichka \
    PERVICHKA_ADDR=0.0.0.0:8080
VOLUME /var/lib/pervichka
EXPOSE 8080
# No curl in the image: bash's /dev/tcp asks /healthz (dash, Debian's sh,
# has no /dev/tcp). Every role serves /healthz on --addr.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["bash", "-c", \
  "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["pervichka"]
CMD ["serve"]
