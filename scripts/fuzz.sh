#!/bin/sh
# Runs every go test -fuzz target of the module for $1 (default 10m) each.
#
# -fuzzminimizetime is the point: by default Go spends up to 60 s
# minimizing every input that finds new coverage, and its status line
# counts none of those runs. On a target where nearly every early input is
# new (FuzzExtract: the whole field extractor, ~40 ms a run) the fuzzer
# then showed ~10 execs in 30 s, all its time going to minimizing. 50 runs
# per minimization keeps the corpus small enough and leaves the time to
# fuzzing.
set -eu
time=${1:-10m}
cd "$(dirname "$0")/.."
grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u | while read -r pkg; do
	for target in $(grep -h '^func Fuzz' "$pkg"/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do
		echo "== $pkg $target"
		go test -run '^$' -fuzz "^$target\$" -fuzztime "$time" -fuzzminimizetime 50x "$pkg" 2>&1 | tail -3
	done
done
