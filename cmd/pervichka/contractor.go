package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pervichka/pervichka/storage/db"
)

func init() {
	commands["contractor"] = command{summary: "create, list or revoke contractors' upload links (contractor add --name NAME)", run: runContractor}
	commands["intake"] = command{summary: "list received e-mail: what gave no document, what was refused (intake mail)", run: runIntake}
}

const contractorUsage = `usage:
  pervichka contractor add --name NAME [--email ADDR]... [--base-url URL] [--db URL]
  pervichka contractor list [--db URL]
  pervichka contractor revoke --name NAME [--db URL]

add prints the contractor's upload link alone on its last line; it is shown
only then. Mail from an --email address is attributed to the contractor.`

// emailList is a repeatable --email flag.
type emailList []string

func (l *emailList) String() string     { return strings.Join(*l, ",") }
func (l *emailList) Set(v string) error { *l = append(*l, v); return nil }

// runContractor manages contractors. Like token, it never migrates: run on
// a missing or old database it says so and changes nothing.
func runContractor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, args, done, err := splitSubcommand(args, contractorUsage, stderr)
	if done {
		return err
	}
	fs := flag.NewFlagSet("contractor "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := dbFlag(fs)
	var name, baseURL *string
	var emails emailList
	switch sub {
	case "add":
		name = fs.String("name", "", "the contractor's name as the accountant knows it, e.g. \"ООО «Ромашка»\" (required)")
		fs.Var(&emails, "email", "an address the contractor mails documents from; repeat for several")
		baseURL = fs.String("base-url", "http://127.0.0.1:8080",
			"the service's address as contractors reach it [PERVICHKA_PUBLIC_URL]")
	case "revoke":
		name = fs.String("name", "", "name of the contractor whose link to revoke (required)")
	case "list":
	default:
		fmt.Fprintf(stderr, "pervichka contractor: unknown subcommand %q\n%s\n", sub, contractorUsage)
		return errUsageReported
	}
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if name != nil && *name == "" {
		return usagef("--name is required")
	}
	var base *url.URL
	if baseURL != nil {
		u, err := url.Parse(strings.TrimSuffix(*baseURL, "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url %q: want http(s)://host[:port][/path]", *baseURL)
		}
		base = u
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := openMigratedDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()

	switch sub {
	case "add":
		c, token, err := d.CreateContractor(ctx, *name, emails)
		if errors.Is(err, db.ErrDuplicate) {
			return fmt.Errorf("%w (names are never reused, even after revoke; an address belongs to one contractor)", err)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created contractor %q", c.Name)
		if len(c.Emails) > 0 {
			fmt.Fprintf(stdout, " (mail from %s)", strings.Join(c.Emails, ", "))
		}
		fmt.Fprintln(stdout, "; the upload link is shown only now and cannot be recovered:")
		fmt.Fprintln(stdout, base.JoinPath("u", token).String())
	case "revoke":
		err := d.RevokeContractor(ctx, *name)
		if errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("no contractor named %q", *name)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked the upload link of %q\n", *name)
	case "list":
		list, err := d.ListContractors(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tEMAILS\tCREATED\tREVOKED")
		for _, c := range list {
			revoked, emails := "-", "-"
			if c.Revoked() {
				revoked = c.RevokedAt.Format(time.RFC3339)
			}
			if len(c.Emails) > 0 {
				emails = strings.Join(c.Emails, ",")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Name, emails, c.CreatedAt.Format(time.RFC3339), revoked)
		}
		return w.Flush()
	}
	return nil
}

const intakeUsage = `usage:
  pervichka intake mail [--outcome no_documents|refused|malformed|stored] [--limit N] [--db URL]

Lists recorded e-mail messages, newest first: with --outcome, only those that
ended so (no_documents: no PDF or image in it; refused: every file refused,
or the message over the size limit; malformed: broken MIME).`

// runIntake shows the admin what the e-mail channel received.
func runIntake(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, rest, done, err := splitSubcommand(args, intakeUsage, stderr)
	if done {
		return err
	}
	if sub != "mail" {
		fmt.Fprintf(stderr, "pervichka intake: unknown subcommand %q\n%s\n", sub, intakeUsage)
		return errUsageReported
	}
	fs := flag.NewFlagSet("intake mail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := dbFlag(fs)
	outcome := fs.String("outcome", "", "only messages that ended so: no_documents, refused, malformed or stored")
	limit := fs.Int("limit", 50, "at most this many messages")
	if done, err := parseFlags(fs, rest); done {
		return err
	}
	switch db.MessageOutcome(*outcome) {
	case "", db.MessageStored, db.MessageNoDocuments, db.MessageRefused, db.MessageMalformed:
	default:
		return usagef("--outcome %q: want no_documents, refused, malformed or stored", *outcome)
	}
	if *limit < 1 || *limit > 1000 {
		return errors.New("--limit must be 1 to 1000")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := openMigratedDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	msgs, err := d.ListMessages(ctx, db.MessageOutcome(*outcome), 0, *limit)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RECEIVED\tOUTCOME\tDOCS\tFROM\tSUBJECT\tMESSAGE-ID\tDETAIL")
	for _, m := range msgs {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", m.ReceivedAt.Format(time.RFC3339), m.Outcome, m.Documents,
			m.Sender, oneLine(m.Subject), m.MessageKey, oneLine(m.Detail))
	}
	return w.Flush()
}

// oneLine keeps a table row on one line whatever a subject holds.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	return s
}
