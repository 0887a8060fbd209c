package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/pervichka/pervichka/storage/db"
)

// Every service command (serve, migrate, token, user, contractor) takes the
// same --db and --storage, each defaulting to its environment variable and
// then to the embedded deployment under $PERVICHKA_HOME (./data when unset):
// SQLite in pervichka.db and objects in objects/.

// home is the embedded deployment's folder.
func home() string {
	if h := os.Getenv("PERVICHKA_HOME"); h != "" {
		return h
	}
	return "data"
}

// envOr returns the environment variable's value, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// dbFlag registers --db on fs.
func dbFlag(fs *flag.FlagSet) *string {
	def := "sqlite:" + filepath.Join(home(), "pervichka.db")
	return fs.String("db", envOr("PERVICHKA_DB", def),
		"database URL: sqlite:PATH or postgres://… (env PERVICHKA_DB)")
}

// storageFlag registers --storage on fs.
func storageFlag(fs *flag.FlagSet) *string {
	def := "file:" + filepath.Join(home(), "objects")
	return fs.String("storage", envOr("PERVICHKA_STORAGE", def),
		"object storage URL: file:PATH or s3://KEY:SECRET@HOST:PORT/BUCKET (env PERVICHKA_STORAGE)")
}

// openDB opens the database at url, creating an embedded SQLite file's
// folder first so that a fresh machine needs no setup step.
func openDB(ctx context.Context, url string, log *slog.Logger) (*db.DB, error) {
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		path = strings.TrimPrefix(path, "//")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
	}
	return db.Open(ctx, url, log)
}

// splitSubcommand takes "SUB [flags]" apart for a command with
// subcommands (token, contractor, ledger, intake). With no arguments it
// prints usage and fails; with -h it prints usage and is done.
func splitSubcommand(args []string, usage string, stderr io.Writer) (sub string, rest []string, done bool, err error) {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, usage)
		if len(args) == 0 {
			return "", nil, true, errExitFailure
		}
		return "", nil, true, nil
	}
	return args[0], args[1:], false, nil
}

// parseFlags parses a command's flags and refuses positional arguments.
// done is true after -h (the flag package has printed the defaults); a bad
// flag has been reported by the flag package and fails with errExitFailure.
func parseFlags(fs *flag.FlagSet, args []string) (done bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return true, errExitFailure
	}
	if fs.NArg() > 0 {
		return true, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return false, nil
}
