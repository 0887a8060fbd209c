package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// TestAPIDocLimits: docs/api.md states the upload limits `serve` really
// has by default: the request limit and the files a request.
func TestAPIDocLimits(t *testing.T) {
	t.Setenv("PERVICHKA_MAX_REQUEST_BYTES", "")
	c, err := parseServe(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "api.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The Limits bullet of the upload section, joined onto one line.
	m := regexp.MustCompile(`(?s)\n- Limits: (.*?)\n\n`).FindSubmatch(b)
	if m == nil {
		t.Fatal("docs/api.md has no «- Limits:» bullet")
	}
	text := strings.Join(strings.Fields(string(m[1])), " ")
	for _, want := range []string{
		fmt.Sprintf("%d MiB by default", c.maxRequestBytes>>20),
		fmt.Sprintf("%d MiB by default", pervichka.DefaultLimits().MaxBytes>>20),
		fmt.Sprintf("at most %d files per request", pervichka.MaxFilesPerRequest),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("docs/api.md's limits %q do not say %q", text, want)
		}
	}
}
