# Pervichka in a container: Debian 12 with Tesseract 5 (rus, eng, osd) and
# poppler, the same packages scripts/setup.sh installs on a host.
# Build: docker build -t pervichka .
# Run:   docker run --rm -v "$PWD/in:/in:ro" pervichka extract --format table /in
# (No Docker engine runs on the development machines, so this file is checked
# by review only; scripts/setup.sh is the tested path.)

FROM golang:1.26-bookworm AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libtesseract-dev libleptonica-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -o /out/pervichka ./cmd/pervichka

FROM debian:bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-osd poppler-utils \
      fonts-liberation fonts-dejavu-core fonts-paratype ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/pervichka --create-home pervichka
COPY --from=build /out/pervichka /usr/local/bin/pervichka
USER pervichka
WORKDIR /var/lib/pervichka
ENV PERVICHKA_HOME=/var/lib/pervichka
ENTRYPOINT ["pervichka"]
CMD ["--help"]
