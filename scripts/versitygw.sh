#!/usr/bin/env bash
# Installs versitygw (Apache-2.0 S3 gateway), the real S3 server that the
# tests of storage/objects start on a loopback port. Safe to run again: an
# installed binary of the pinned version is kept.
#   scripts/versitygw.sh          install if missing, print the binary's path
# Building it from source takes about 3.5 minutes on 2 cores the first time.
set -euo pipefail

version=v1.8.0
gobin="$(go env GOBIN)"
bin="${gobin:-$(go env GOPATH | cut -d: -f1)/bin}/versitygw"

# A go-installed binary reports "Version: git"; its build info has the
# module version.
if [ -x "$bin" ] && go version -m "$bin" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/versity/versitygw[[:space:]]+$version([[:space:]]|$)"; then
  echo "$bin"
  exit 0
fi
echo "versitygw.sh: installing versitygw $version (go install, a few minutes)" >&2
# Outside the module tree, so that the project's go.mod is not touched.
(cd / && go install "github.com/versity/versitygw/cmd/versitygw@$version")
echo "$bin"
