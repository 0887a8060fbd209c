package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"nonsense"}, 2},
		{[]string{"extract"}, 1},
		{[]string{"extract", "--format", "xml", "x.pdf"}, 1},
		{[]string{"eval", "--ablate", "magic", "dir"}, 1},
		{[]string{"eval"}, 1},                                        // neither a corpus nor --real
		{[]string{"eval", "--real", "/nonexistent/real-dev"}, 1},     // no truth.json there
		{[]string{"eval", "--real", "x", "--results", "r.jsonl"}, 1}, // --results scores a corpus only
		{[]string{"help"}, 0},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != tc.code {
			t.Errorf("pervichka %v: exit %d, want %d; stderr: %s", tc.args, code, tc.code, stderr.String())
		}
	}
}
