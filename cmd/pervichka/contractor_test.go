package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// contractor add prints the link alone on its last line; the link's token
// finds the contractor; bad input is refused with a message naming the fix.
func TestContractorCommand(t *testing.T) {
	url := dbtest.SQLiteURL(t)
	runOK := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("pervichka %v: exit %d; stderr: %s", args, code, stderr.String())
		}
		return stdout.String()
	}
	// runFailCode runs a command that must fail with exit code want (1: a
	// failure while running, 2: a command line that cannot run).
	runFailCode := func(want int, wantInStderr string, args ...string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != want || !strings.Contains(stderr.String(), wantInStderr) {
			t.Fatalf("pervichka %v: exit %d, stderr %q; want %d and %q", args, code, stderr.String(), want, wantInStderr)
		}
	}
	runFail := func(wantInStderr string, args ...string) {
		t.Helper()
		runFailCode(1, wantInStderr, args...)
	}
	runFail("run pervichka migrate", "contractor", "add", "--name", "x", "--db", url)
	runOK("migrate", "--db", url)

	out := runOK("contractor", "add", "--name", "ООО «Ромашка»", "--email", "buh@romashka.ru", "--email", "Директор <boss@romashka.ru>",
		"--base-url", "https://docs.example.ru/pervichka", "--db", url)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	link := lines[len(lines)-1]
	token, ok := strings.CutPrefix(link, "https://docs.example.ru/pervichka/u/")
	if !ok {
		t.Fatalf("last line %q: want the link under the base URL", link)
	}
	d, err := db.Open(t.Context(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	c, err := d.ContractorByToken(t.Context(), token)
	if err != nil || c.Name != "ООО «Ромашка»" {
		t.Fatalf("the printed link's token: %+v, %v", c, err)
	}
	if c, err := d.ContractorByEmail(t.Context(), "boss@romashka.ru"); err != nil || c.Name != "ООО «Ромашка»" {
		t.Fatalf("by address: %+v, %v", c, err)
	}

	runFailCode(2, "--name is required", "contractor", "add", "--db", url)
	runFail("duplicate", "contractor", "add", "--name", "ООО «Ромашка»", "--db", url)
	runFail("--base-url", "contractor", "add", "--name", "y", "--base-url", "ftp://x", "--db", url)
	runFail("e-mail address", "contractor", "add", "--name", "y", "--email", "not-an-address", "--db", url)
	runFail("no contractor named", "contractor", "revoke", "--name", "nobody", "--db", url)
	runFailCode(2, "unknown subcommand", "contractor", "delete", "--db", url)
	runFailCode(2, "--outcome", "intake", "mail", "--outcome", "lost", "--db", url)

	runOK("contractor", "revoke", "--name", "ООО «Ромашка»", "--db", url)
	if _, err := d.ContractorByToken(t.Context(), token); err == nil {
		t.Fatal("a revoked link still finds its contractor")
	}
	list := runOK("contractor", "list", "--db", url)
	if !strings.Contains(list, "ООО «Ромашка»") || strings.Contains(list, token) {
		t.Errorf("contractor list:\n%s", list)
	}
	for _, line := range strings.Split(list, "\n") {
		if strings.HasPrefix(line, "ООО «Ромашка»") && (strings.HasSuffix(strings.TrimSpace(line), " -") || !strings.Contains(line, "boss@romashka.ru")) {
			t.Errorf("a revoked contractor listed as live, or without its addresses: %q", line)
		}
	}
}
