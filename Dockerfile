# Pervichka in a container: Debian 12 with Tesseract 5 (rus, eng, osd) and
# poppler, the same packages scripts/setup.sh installs on a host.
#
#   docker build -t pervichka .
#   docker run --rm -p 8080:8080 -v pervichka:/var/lib/pervichka pervichka
#       the embedded deployment: SQLite and objects under /var/lib/pervichka
#   docker compose up
#       the shared deployment: Postgres, an S3 server and a worker (compose.yaml)
#
# No Docker engine runs on the development machines, so this file and
# compose.yaml are checked by review only; scripts/setup.sh is the tested
# path, with the same packages and the same binary.

FROM golang:1.26-bookworm AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libtesseract-dev libleptonica-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -o /out/pervichka ./cmd/pervichka

# The S3 server compose.yaml runs beside Postgres: versitygw (Apache-2.0),
# the one the tests use, built from source at the same version.
FROM golang:1.26-bookworm AS versitygw
RUN go install github.com/versity/versitygw/cmd/versitygw@v1.8.0

FROM debian:bookworm-slim AS s3
COPY --from=versitygw /go/bin/versitygw /usr/local/bin/versitygw
RUN useradd --system --home /data --create-home s3
USER s3
EXPOSE 7070
# ROOT_ACCESS_KEY and ROOT_SECRET_KEY come from the environment.
ENTRYPOINT ["versitygw", "--port", ":7070", "posix", "/data"]

FROM debian:bookworm-slim AS runtime
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
HEALTHCHECK --interval=30s --timeout=5s CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["pervichka"]
CMD ["serve"]
