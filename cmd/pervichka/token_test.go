package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// token create prints the token alone on its last line, and that token
// authenticates against the same database with the chosen role.
func TestTokenCommand(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t)
			runOK := func(args ...string) string {
				t.Helper()
				var stdout, stderr bytes.Buffer
				if code := run(args, &stdout, &stderr); code != 0 {
					t.Fatalf("pervichka %v: exit %d; stderr: %s", args, code, stderr.String())
				}
				return stdout.String()
			}
			// runFailCode: exit 1 is a failure while running, 2 a
			// command line that cannot run.
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

			// Before migrate: refused, naming the fix.
			runFail("run pervichka migrate", "token", "create", "--name", "ops", "--db", url)
			runOK("migrate", "--db", url)

			out := runOK("token", "create", "--name", "ops", "--role", "admin", "--db", url)
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			admin := lines[len(lines)-1]
			out = runOK("token", "create", "--name", "1c", "--db", url)
			lines = strings.Split(strings.TrimRight(out, "\n"), "\n")
			service := lines[len(lines)-1]

			d, err := db.Open(t.Context(), url, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for _, tc := range []struct {
				token string
				name  string
				role  db.Role
			}{{admin, "ops", db.RoleAdmin}, {service, "1c", db.RoleService}} {
				tok, err := d.Authenticate(context.Background(), tc.token)
				if err != nil || tok.Name != tc.name || tok.Role != tc.role {
					t.Errorf("token %q from the last line: %+v, %v; want %s %s", tc.token, tok, err, tc.name, tc.role)
				}
			}

			runFail("already exists", "token", "create", "--name", "ops", "--db", url)
			runFail("--role", "token", "create", "--name", "x", "--role", "root", "--db", url)
			runFailCode(2, "--name is required", "token", "create", "--db", url)
			runFail("no token named", "token", "revoke", "--name", "nobody", "--db", url)
			runFailCode(2, "unknown subcommand", "token", "delete", "--name", "ops", "--db", url)

			runOK("token", "revoke", "--name", "ops", "--db", url)
			if _, err := d.Authenticate(context.Background(), admin); err == nil {
				t.Error("revoked token still authenticates")
			}
			list := runOK("token", "list", "--db", url)
			if !strings.Contains(list, "1c") || !strings.Contains(list, "ops") || strings.Contains(list, "pvk_") {
				t.Errorf("token list:\n%s", list)
			}
			for _, line := range strings.Split(list, "\n") {
				if strings.HasPrefix(line, "1c ") && !strings.HasSuffix(strings.TrimSpace(line), "-") {
					t.Errorf("live token listed as revoked: %q", line)
				}
				if strings.HasPrefix(line, "ops ") && strings.HasSuffix(strings.TrimSpace(line), "-") {
					t.Errorf("revoked token listed as live: %q", line)
				}
			}
		})
	}
}

// A token command on a database file that does not exist refuses and does
// not create it.
func TestTokenCommandMissingSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "pervichka.db")
	var stdout, stderr bytes.Buffer
	code := run([]string{"token", "list", "--db", "sqlite://" + path}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "pervichka migrate") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the command created %s (%v)", path, err)
	}
}
