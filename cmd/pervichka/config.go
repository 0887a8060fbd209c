package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pervichka/pervichka/storage/db"
)

// Settings: one way to read every one.
//
// A setting is a flag whose usage names its environment variable in
// brackets, "[PERVICHKA_OCR_WORKERS]": -h shows the name, and that bracket is
// the only link between the two, so they cannot drift apart. A setting is
// taken from, in order: the command line; the environment; the file named
// by --config (serve only; lines PERVICHKA_NAME=value, as docker's
// --env-file and systemd's EnvironmentFile read them); the flag's default.
// Values are parsed by the flag's own type — booleans by strconv.ParseBool
// (1, t, true, TRUE, 0, f, false…), numbers and durations strictly — and a
// value that does not parse stops the command, naming the variable, rather
// than running with a default the operator did not mean.
//
// github.com/peterbourgon/ff/v3 (v3.4.0) does nearly this, but it maps every
// flag of a flag set to a variable: `token create --role` would read the
// PERVICHKA_ROLE that a container sets for `serve --role`, and fail or worse.
// Its v4 is only served as an alpha. The bracket rule above keeps command
// arguments (--name, --role of token) out of the environment.
//
// Every service command (serve, migrate, token, user, contractor, ledger,
// intake) takes the same --db and --storage, defaulting to the embedded
// deployment under $PERVICHKA_HOME (./data when unset): SQLite in
// pervichka.db and objects in objects/.

// settingVar finds the environment variable named in a flag's usage.
var settingVar = regexp.MustCompile(`\[(PERVICHKA_[A-Z0-9_]+)\]`)

// home is the embedded deployment's folder (PERVICHKA_HOME, environment
// only: it is the base of --db's and --storage's defaults, which -h shows).
func home() string {
	if h := os.Getenv("PERVICHKA_HOME"); h != "" {
		return h
	}
	return "data"
}

// dbFlag registers --db on fs.
func dbFlag(fs *flag.FlagSet) *string {
	def := "sqlite:" + filepath.Join(home(), "pervichka.db")
	return fs.String("db", def,
		"database URL: sqlite:PATH or postgres://…; the default is under PERVICHKA_HOME [PERVICHKA_DB]")
}

// storageFlag registers --storage on fs.
func storageFlag(fs *flag.FlagSet) *string {
	def := "file:" + filepath.Join(home(), "objects")
	return fs.String("storage", def,
		"object storage URL: file:PATH or s3://KEY:SECRET@HOST:PORT/BUCKET; the default is under PERVICHKA_HOME [PERVICHKA_STORAGE]")
}

// configFlag registers --config, the settings file, on fs.
func configFlag(fs *flag.FlagSet) {
	fs.String("config", "", "file of settings, one PERVICHKA_NAME=value a line (# comments); the command line and the environment win over it [PERVICHKA_CONFIG]")
}

// openDB opens the database at url, creating an embedded SQLite file's
// folder first so that a fresh machine needs no setup step.
func openDB(ctx context.Context, url string, log *slog.Logger) (*db.DB, error) {
	return openDBWait(ctx, url, 0, log)
}

// openDBWait is openDB that keeps trying an unreachable Postgres server for
// up to wait (db.OpenWait): serve's start beside a booting database.
func openDBWait(ctx context.Context, url string, wait time.Duration, log *slog.Logger) (*db.DB, error) {
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		path = strings.TrimPrefix(path, "//")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
	}
	return db.OpenWait(ctx, url, wait, log)
}

// splitSubcommand takes "SUB [flags]" apart for a command with
// subcommands (token, contractor, ledger, intake). With no arguments it
// prints usage and is a usage error; with -h it prints usage and is done.
func splitSubcommand(args []string, usage string, stderr io.Writer) (sub string, rest []string, done bool, err error) {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, usage)
		if len(args) == 0 {
			return "", nil, true, errUsageReported
		}
		return "", nil, true, nil
	}
	return args[0], args[1:], false, nil
}

// parseFlags parses a command's flags and settings (see above) and refuses
// positional arguments. done is true after -h (exit 0: the flag package has
// printed the defaults) and on any error, which is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) (done bool, err error) {
	if done, err := parseArgs(fs, args); done {
		return done, err
	}
	if fs.NArg() > 0 {
		return true, usagef("unexpected arguments %q", fs.Args())
	}
	return false, nil
}

// parseArgs is parseFlags for a command that takes positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) (done bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return true, errUsageReported // the flag package said what is wrong
	}
	if err := applySettings(fs, os.LookupEnv); err != nil {
		return true, &usageError{msg: err.Error()}
	}
	return false, nil
}

// applySettings sets every setting of fs not given on the command line from
// the environment, then from the --config file (when fs has one and it is
// set).
func applySettings(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	byVar := map[string]*flag.Flag{}
	var order []string
	fs.VisitAll(func(f *flag.Flag) {
		if m := settingVar.FindStringSubmatch(f.Usage); m != nil {
			byVar[m[1]] = f
			order = append(order, m[1])
		}
	})
	for _, name := range order {
		f := byVar[name]
		v, ok := lookup(name)
		if !ok || v == "" || given[f.Name] {
			continue
		}
		if err := fs.Set(f.Name, v); err != nil {
			return fmt.Errorf("%s=%q: %s (--%s: %v)", name, v, want(f), f.Name, err)
		}
		given[f.Name] = true
	}
	cf := fs.Lookup("config")
	if cf == nil || cf.Value.String() == "" {
		return nil
	}
	return applyConfigFile(fs, cf.Value.String(), byVar, given)
}

// applyConfigFile reads PERVICHKA_NAME=value lines. A name that is not a
// setting of this command is an error: a typo must not pass for a default.
func applyConfigFile(fs *flag.FlagSet, path string, byVar map[string]*flag.Flag, given map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, v, ok := strings.Cut(line, "=")
		name, v = strings.TrimSpace(strings.TrimPrefix(name, "export ")), strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		fl := byVar[name]
		if !ok || fl == nil {
			return fmt.Errorf("%s:%d: %q is not a setting of this command (want PERVICHKA_NAME=value; -h lists them)", path, n, name)
		}
		if given[fl.Name] {
			continue
		}
		if err := fs.Set(fl.Name, v); err != nil {
			return fmt.Errorf("%s:%d: %s=%q: %s (--%s: %v)", path, n, name, v, want(fl), fl.Name, err)
		}
		given[fl.Name] = true
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("--config %s: %w", path, err)
	}
	return nil
}

// want says what a setting's value must look like, for its error.
func want(f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return "want true or false (or 1, 0, t, f)"
	}
	switch kind, _ := flag.UnquoteUsage(f); kind {
	case "int", "uint":
		return "want a whole number"
	case "duration":
		return "want a duration such as 30s or 5m"
	case "float":
		return "want a number"
	}
	return "invalid value"
}
