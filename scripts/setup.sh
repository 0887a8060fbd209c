#!/usr/bin/env bash
# Installs what Pervichka needs on Debian 12 and builds bin/pervichka.
#   scripts/setup.sh           runtime packages + build
#   scripts/setup.sh --deps    runtime and test packages only (used by .ci/run)
# Safe to run again: packages already present are not reinstalled.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # OCR: Tesseract 5 with Russian, English and orientation models; the
  # headers for gosseract's cgo build.
  tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-osd
  libtesseract-dev libleptonica-dev pkg-config gcc
  # PDF text layers and page rendering (docs/pdf-renderer.md).
  poppler-utils
  # Fonts the corpus generator draws documents with.
  fonts-liberation fonts-dejavu-core fonts-paratype
)

# What only the tests need: a real browser for the UI tests, a real IMAP
# server for the mail intake tests, and xmllint to validate the ФНС XML
# exports against the official schema (ledger/fnsxml).
test_packages=(chromium dovecot-imapd libxml2-utils)
if [ "${1:-}" = "--deps" ]; then
  packages+=("${test_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--deps" ]; then
  exit 0
fi
mkdir -p bin
go build -o bin/pervichka ./cmd/pervichka
echo "setup: built bin/pervichka" >&2
