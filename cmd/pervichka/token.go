package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pervichka/pervichka/storage/db"
)

func init() {
	commands["token"] = command{summary: "create, list or revoke API tokens (token create --name NAME)", run: runToken}
}

const tokenUsage = `usage:
  pervichka token create --name NAME [--role admin|service] [--db URL]
  pervichka token list [--db URL]
  pervichka token revoke --name NAME [--db URL]`

// runToken manages API tokens. It never migrates: a token command run on a
// missing or old database (a typo in --db, a forgotten migrate after an
// upgrade) says so and changes nothing, rather than creating an empty
// database with one token in it that no server will ever read.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, args, done, err := splitSubcommand(args, tokenUsage, stderr)
	if done {
		return err
	}
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := dbFlag(fs)
	var name, role *string
	switch sub {
	case "create":
		name = fs.String("name", "", "token name, shown in document events as api:NAME (required)")
		role = fs.String("role", string(db.RoleService), "admin (may also retry documents and see River UI and metrics) or service")
	case "revoke":
		name = fs.String("name", "", "name of the token to revoke (required)")
	case "list":
	default:
		fmt.Fprintf(stderr, "pervichka token: unknown subcommand %q\n%s\n", sub, tokenUsage)
		return errUsageReported
	}
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if name != nil && *name == "" {
		return usagef("--name is required")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := openMigratedDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()

	switch sub {
	case "create":
		r := db.Role(*role)
		if !r.Valid() {
			return fmt.Errorf("--role %q: want %s or %s", *role, db.RoleAdmin, db.RoleService)
		}
		plaintext, err := d.CreateToken(ctx, *name, r)
		if errors.Is(err, db.ErrDuplicate) {
			return fmt.Errorf("a token named %q already exists (names are never reused, even after revoke)", *name)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s token %q; it is shown only now and cannot be recovered:\n", r, *name)
		fmt.Fprintln(stdout, plaintext)
	case "revoke":
		err := d.RevokeToken(ctx, *name)
		if errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("no token named %q", *name)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked token %q\n", *name)
	case "list":
		tokens, err := d.ListTokens(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tROLE\tCREATED\tREVOKED")
		for _, t := range tokens {
			revoked := "-"
			if t.Revoked() {
				revoked = t.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.Name, t.Role, t.CreatedAt.Format(time.RFC3339), revoked)
		}
		return w.Flush()
	}
	return nil
}

// openMigratedDB opens an existing, fully migrated database, or explains
// what to do instead. An SQLite file that does not exist is refused before
// opening, since opening would create it.
func openMigratedDB(ctx context.Context, url string, log *slog.Logger) (*db.DB, error) {
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		path = strings.TrimPrefix(path, "//")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s: run pervichka migrate --db %s first", path, url)
		}
	}
	d, err := openDB(ctx, url, log)
	if err != nil {
		return nil, err
	}
	if err := d.CheckSchema(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}
