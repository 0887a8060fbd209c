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
	"strings"

	"golang.org/x/term"

	"github.com/pervichka/pervichka/review"
	"github.com/pervichka/pervichka/storage/db"
)

func init() {
	commands["user"] = command{summary: "add a review UI user (user add --name NAME --role clerk|admin)", run: runUser}
}

const userUsage = `usage:
  pervichka user add --name NAME [--role clerk|admin] [--db URL]

The password is read from the terminal (asked twice, not echoed) or, when
stdin is not a terminal, from its first line — never from a flag, which
would leave it in the shell history and in ps.`

// userStdin is where the password comes from; tests replace it.
var userStdin io.Reader = os.Stdin

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, userUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errUsageReported
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := dbFlag(fs)
	name := fs.String("name", "", "user name, shown in history as clerk:NAME (required)")
	role := fs.String("role", string(db.UserClerk), "clerk (reviews documents) or admin (also retries failed ones)")
	if done, err := parseArgs(fs, args[1:]); done {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q (the password is read from stdin, not from arguments)", fs.Args())
	}
	if *name == "" {
		return usagef("--name is required")
	}
	r := db.UserRole(*role)
	if !r.Valid() {
		return fmt.Errorf("--role %q: want %s or %s", *role, db.UserClerk, db.UserAdmin)
	}
	password, err := readPassword(userStdin, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := openMigratedDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := review.AddUser(ctx, d, *name, r, password); err != nil {
		if errors.Is(err, db.ErrDuplicate) {
			return fmt.Errorf("user %q already exists", *name)
		}
		return err
	}
	fmt.Fprintf(stdout, "user %s (%s) added\n", *name, r)
	return nil
}

// readPassword asks twice on a terminal, or reads one line otherwise.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(prompt, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on stdin")
	}
	return line, nil
}
