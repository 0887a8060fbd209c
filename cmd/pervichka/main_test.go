package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// The extract command prints one JSON object per file in input order, a
// typed error for a file it cannot read, and exits 1 when any file failed.
func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "note.txt")
	if err := os.WriteFile(bad, []byte("не документ"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join("..", "..", "testdata", "corpus", "001-invoice.pdf")
	var stdout, stderr bytes.Buffer
	code := run([]string{"extract", "--jobs", "1", "--companies", filepath.Join("..", "..", "testdata", "corpus", "companies.json"), good, bad}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one file failed); stderr: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d output lines, want 2:\n%s", len(lines), stdout.String())
	}
	var first, second pervichka.Result
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if first.File != good || first.Error != nil || first.DocType != pervichka.DocInvoice || first.Total == "" {
		t.Errorf("first result: %+v", first)
	}
	if second.File != bad || second.Error == nil || second.Error.Code != pervichka.CodeUnsupported {
		t.Errorf("second result: %+v", second)
	}
}

// Exit codes follow Go's tools: help 0 everywhere, a command line that
// cannot run 2, a failure while running 1.
func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"nonsense"}, 2},
		{[]string{"eval"}, 2}, // neither a corpus nor --real
		{[]string{"eval", "--real", "/nonexistent/real-dev"}, 1},     // no truth.json there
		{[]string{"eval", "--real", "x", "--results", "r.jsonl"}, 2}, // --results scores a corpus only
		{[]string{"help"}, 0},
		{[]string{"-h"}, 0},
		{[]string{"extract"}, 2},
		{[]string{"extract", "-h"}, 0},
		{[]string{"extract", "--format", "xml", "x.pdf"}, 2},
		{[]string{"extract", "--nonsense"}, 2},
		{[]string{"eval", "-h"}, 0},
		{[]string{"eval", "--ablate", "magic", "dir"}, 2},
		{[]string{"eval", "/nonexistent/corpus"}, 1},
		{[]string{"serve", "-h"}, 0},
		{[]string{"serve", "--role", "boss"}, 2},
		{[]string{"serve", "stray"}, 2},
		{[]string{"migrate", "-h"}, 0},
		{[]string{"token"}, 2},
		{[]string{"token", "-h"}, 0},
		{[]string{"token", "create", "-h"}, 0},
		{[]string{"token", "frobnicate"}, 2},
		{[]string{"token", "create", "--db", "sqlite:" + filepath.Join(t.TempDir(), "none.db")}, 2}, // --name missing
		{[]string{"token", "list", "--db", "sqlite:" + filepath.Join(t.TempDir(), "none.db")}, 1},   // no such database
		{[]string{"user", "-h"}, 0},
		{[]string{"user", "add", "-h"}, 0},
		{[]string{"contractor", "-h"}, 0},
		{[]string{"ledger", "-h"}, 0},
		{[]string{"ledger", "export", "-h"}, 0},
		{[]string{"intake", "-h"}, 0},
		{[]string{"corpus", "-h"}, 0},
		{[]string{"corpus", "gen", "-h"}, 0},
		{[]string{"corpus", "gen"}, 2},
		{[]string{"version", "-h"}, 0},
		{[]string{"version"}, 0},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != tc.code {
			t.Errorf("pervichka %v: exit %d, want %d; stderr: %s", tc.args, code, tc.code, stderr.String())
		}
	}
}

// version names the revision: Go's VCS stamp, or the one the linker was
// given (the Docker build's way).
func TestVersion(t *testing.T) {
	old := vcsRevision
	vcsRevision = "0123abcd"
	t.Cleanup(func() { vcsRevision = old })
	want := vcsRevision
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				want = s.Value
			}
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"version"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "revision "+want) || !strings.Contains(stdout.String(), "go go1.") {
		t.Errorf("version printed %q, want revision %s and the Go version", stdout.String(), want)
	}
}

// eval --cpuprofile writes a CPU profile of the run that go tool pprof
// reads (gzip-compressed protobuf), and fails with a clear error when the
// file cannot be created.
func TestEvalCPUProfile(t *testing.T) {
	dir := t.TempDir()
	corpusDir := filepath.Join("..", "..", "testdata", "corpus")
	truth, err := os.ReadFile(filepath.Join(corpusDir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(truth), "\n")
	if err := os.WriteFile(filepath.Join(dir, "truth.jsonl"), []byte(first+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"001-invoice.pdf", "companies.json"} {
		b, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"eval", "--jobs", "1", "--variants", "pdf", "--cpuprofile", prof, dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr: %s", code, stderr.String())
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile of %d bytes is not gzip-compressed", len(b))
	}
	stderr.Reset()
	if code := run([]string{"eval", "--jobs", "1", "--variants", "pdf", "--cpuprofile", filepath.Join(dir, "missing", "cpu.prof"), dir}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "cpu profile") {
		t.Errorf("unwritable profile: exit %d, stderr %q; want 1 naming the profile", code, stderr.String())
	}
}
