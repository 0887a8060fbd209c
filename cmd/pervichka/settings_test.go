package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every serve setting is read one way: flag, then environment, then the
// --config file, then the default; values parse strictly and a bad one stops
// the start naming its variable.
func TestServeSettings(t *testing.T) {
	dir := t.TempDir()
	n := 0
	file := func(body string) string {
		n++
		p := filepath.Join(dir, fmt.Sprintf("%d.env", n))
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		env   map[string]string
		args  []string
		check func(c serveConfig) bool
		err   string // a usage error naming this
	}{
		{name: "bool 1 is true", env: map[string]string{"PERVICHKA_MIGRATE": "1"}, check: func(c serveConfig) bool { return c.migrate }},
		{name: "bool TRUE is true", env: map[string]string{"PERVICHKA_RESENT_CHECK": "TRUE"}, check: func(c serveConfig) bool { return c.resentCheck }},
		{name: "bool 0 is false", env: map[string]string{"PERVICHKA_MIGRATE": "0"}, check: func(c serveConfig) bool { return !c.migrate }},
		{name: "bool yes refused", env: map[string]string{"PERVICHKA_MIGRATE": "yes"}, err: "PERVICHKA_MIGRATE"},
		{name: "number words refused", env: map[string]string{"PERVICHKA_OCR_WORKERS": "four"}, err: "PERVICHKA_OCR_WORKERS"},
		{name: "duration refused", env: map[string]string{"PERVICHKA_JOB_TIMEOUT": "5"}, err: "PERVICHKA_JOB_TIMEOUT"},
		{name: "zero workers refused", env: map[string]string{"PERVICHKA_OCR_WORKERS": "0"}, err: "PERVICHKA_OCR_WORKERS"},
		{name: "review bool", env: map[string]string{"PERVICHKA_REVIEW_INSECURE_COOKIES": "1"}, check: func(c serveConfig) bool { return c.review.insecureCookies }},
		{name: "review bool refused", env: map[string]string{"PERVICHKA_REVIEW_TRUST_PROXY": "on"}, err: "PERVICHKA_REVIEW_TRUST_PROXY"},
		{name: "webhook attempts refused", env: map[string]string{"PERVICHKA_WEBHOOK_MAX_ATTEMPTS": "many"}, err: "PERVICHKA_WEBHOOK_MAX_ATTEMPTS"},
		{name: "state webhook without a secret refused", env: map[string]string{"PERVICHKA_STATE_WEBHOOK_URL": "https://acc.example/state"}, err: "PERVICHKA_STATE_WEBHOOK_URL"},
		{name: "state webhook read", env: map[string]string{"PERVICHKA_STATE_WEBHOOK_URL": "https://acc.example/state", "PERVICHKA_WEBHOOK_SECRET": "s"},
			check: func(c serveConfig) bool {
				return c.statehook.url == "https://acc.example/state" && c.ledger.secret == "s"
			}},
		{name: "imap interval too short", env: map[string]string{"PERVICHKA_IMAP_INTERVAL": "10ms"}, err: "PERVICHKA_IMAP_INTERVAL"},
		{name: "flag wins over env", env: map[string]string{"PERVICHKA_OCR_WORKERS": "3"}, args: []string{"--ocr-workers", "5"},
			check: func(c serveConfig) bool { return c.ocrWorkers == 5 }},
		{name: "env wins over file",
			env:   map[string]string{"PERVICHKA_OCR_WORKERS": "3", "PERVICHKA_CONFIG": file("PERVICHKA_OCR_WORKERS=7\nPERVICHKA_JOB_TIMEOUT=2m\n")},
			check: func(c serveConfig) bool { return c.ocrWorkers == 3 && c.jobTimeout == 2*time.Minute }},
		{name: "file read",
			args: []string{"--config", file("# settings\nPERVICHKA_WEBHOOK_URL=\"https://acc.example/hook\"\n\nexport PERVICHKA_REVIEW_TRUST_PROXY=true\nPERVICHKA_IMAP_INTERVAL=30s\n")},
			check: func(c serveConfig) bool {
				return c.ledger.webhookURL == "https://acc.example/hook" && c.review.trustProxy && c.intake.imapInterval == 30*time.Second
			}},
		{name: "file typo refused", args: []string{"--config", file("PERVICHKA_OCR_WORKRES=4\n")}, err: "PERVICHKA_OCR_WORKRES"},
		{name: "file bad value refused", args: []string{"--config", file("PERVICHKA_MIGRATE=ja\n")}, err: "PERVICHKA_MIGRATE"},
		{name: "file missing", args: []string{"--config", filepath.Join(dir, "absent.env")}, err: "absent.env"},
		{name: "defaults", check: func(c serveConfig) bool {
			return c.migrate && c.resentCheck && c.role == "all" && c.intake.imapInterval == time.Minute && c.rescueAfter == c.jobTimeout+30*time.Second
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := parseServe(tc.args, io.Discard)
			if tc.err != "" {
				var ue *usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want a usage error naming %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Errorf("config %+v", c)
			}
		})
	}
}

// A bad setting stops the command with exit 2 and the variable's name, and
// -h lists every setting with its variable.
func TestServeSettingsExitAndHelp(t *testing.T) {
	t.Setenv("PERVICHKA_OCR_WORKERS", "four")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"serve"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "PERVICHKA_OCR_WORKERS") {
		t.Fatalf("exit %d, stderr %q; want 2 naming PERVICHKA_OCR_WORKERS", code, stderr.String())
	}
	stderr.Reset()
	if code := run([]string{"serve", "-h"}, &stdout, &stderr); code != 0 {
		t.Fatalf("serve -h: exit %d", code)
	}
	help := stderr.String()
	for _, v := range []string{"PERVICHKA_WEBHOOK_URL", "PERVICHKA_WEBHOOK_SECRET", "PERVICHKA_REVIEW_INSECURE_COOKIES",
		"PERVICHKA_REVIEW_TRUST_PROXY", "PERVICHKA_IMAP_FILE", "PERVICHKA_IMAP_INTERVAL", "PERVICHKA_PUBLIC_URL",
		"PERVICHKA_LEDGER_MAPPING", "PERVICHKA_CONFIG", "PERVICHKA_HOME", "PERVICHKA_IMAP_1_URL"} {
		if !strings.Contains(help, v) {
			t.Errorf("serve -h does not name %s", v)
		}
	}
}

// Only a flag that names its variable reads the environment: token
// create's --role is an argument, not serve's PERVICHKA_ROLE.
func TestArgumentsIgnoreEnvironment(t *testing.T) {
	t.Setenv("PERVICHKA_ROLE", "worker")
	t.Setenv("PERVICHKA_NAME", "from-env")
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	role := fs.String("role", "service", "admin or service")
	name := fs.String("name", "", "token name")
	db := dbFlag(fs)
	t.Setenv("PERVICHKA_DB", "postgres://h/db")
	if done, err := parseFlags(fs, []string{"--name", "x"}); done || err != nil {
		t.Fatal(done, err)
	}
	if *role != "service" || *name != "x" || *db != "postgres://h/db" {
		t.Errorf("role %q name %q db %q", *role, *name, *db)
	}
}

// README lists every serve setting with its variable.
func TestReadmeListsSettings(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var help bytes.Buffer
	if _, err := parseServe([]string{"-h"}, &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("serve -h: %v", err)
	}
	for _, m := range settingVar.FindAllStringSubmatch(help.String(), -1) {
		if !bytes.Contains(readme, []byte("`"+m[1]+"`")) {
			t.Errorf("README.md does not list %s", m[1])
		}
	}
}
