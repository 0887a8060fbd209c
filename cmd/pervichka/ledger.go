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
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

func init() {
	commands["ledger"] = command{summary: "export postings (CSV, ФНС XML for 1С, payment orders), list and resend webhook deliveries", run: runLedger}
}

const ledgerUsage = `usage:
  pervichka ledger export --from YYYY-MM-DD --to YYYY-MM-DD --out DIR [--format csv] [--db URL] [--storage URL]
      postings.csv (for people: Russian Excel), postings-machine.csv, and each document's original and page images
  pervichka ledger export --format fns-xml|bank|csv (--from YYYY-MM-DD --to YYYY-MM-DD | --after CURSOR) --out DIR [--companies FILE]
      fns-xml: the ФНС УПД XML of each УПД, счёт-фактура and act, for 1С («Загрузить из файла»)
      bank:    1c_to_kl.txt, payment orders for the invoices, for the bank client (needs --companies with our accounts)
      csv:     postings.csv for people
      what is left out and why goes to refused.txt; with --after the next cursor is printed
  pervichka ledger deliveries [--state dead|pending|delivered] [--db URL]
      webhook deliveries; dead ones failed their last attempt
  pervichka ledger resend --id N [--db URL]
      deliver a dead delivery again (needs PERVICHKA_WEBHOOK_URL and PERVICHKA_WEBHOOK_SECRET)`

// runLedger is the ledger's command. Like token it never migrates: it
// refuses a database that is missing or not up to date.
func runLedger(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, args, done, err := splitSubcommand(args, ledgerUsage, stderr)
	if done {
		return err
	}
	fs := flag.NewFlagSet("ledger "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := dbFlag(fs)
	var from, to, out, storeURL, state, format, after, companies *string
	var id *int64
	var hook serveConfig
	switch sub {
	case "export":
		from = fs.String("from", "", "first document date of the period, YYYY-MM-DD")
		to = fs.String("to", "", "last document date of the period, YYYY-MM-DD")
		after = fs.String("after", "", "ledger cursor: export the postings after it (instead of --from/--to)")
		format = fs.String("format", ledger.FormatCSV, "fns-xml, bank or csv")
		out = fs.String("out", "", "folder to write into; must not exist or be empty (required)")
		companies = fs.String("companies", "", "JSON file with our organisations and their bank accounts, for --format bank [PERVICHKA_COMPANIES]")
		storeURL = storageFlag(fs)
	case "deliveries":
		state = fs.String("state", string(db.DeliveryDead), "dead, pending or delivered")
	case "resend":
		id = fs.Int64("id", 0, "delivery id, from ledger deliveries (required)")
		ledgerFlags(fs, &hook) // the same webhook settings as serve's
	default:
		fmt.Fprintf(stderr, "pervichka ledger: unknown subcommand %q\n%s\n", sub, ledgerUsage)
		return errUsageReported
	}
	if done, err := parseFlags(fs, args); done {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	switch sub {
	case "export":
		if *out == "" {
			return errors.New("--out is required")
		}
		if !slices.Contains(ledger.Formats, *format) {
			return fmt.Errorf("--format %q: want fns-xml, bank or csv", *format)
		}
		if *after != "" {
			if *from != "" || *to != "" {
				return errors.New("give either --from and --to or --after, not both")
			}
			if n, err := strconv.ParseInt(*after, 10, 64); err != nil || n < 0 {
				return fmt.Errorf("--after %q: want the cursor, a number from an earlier export", *after)
			}
			break
		}
		for name, v := range map[string]string{"--from": *from, "--to": *to} {
			if v == "" {
				return usagef("%s is required (or --after)", name)
			}
		}
		for _, v := range []string{*from, *to} {
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				return fmt.Errorf("date %q is not YYYY-MM-DD", v)
			}
		}
		if *from > *to {
			return fmt.Errorf("--from %s is after --to %s", *from, *to)
		}
	case "resend":
		if *id <= 0 {
			return usagef("--id is required")
		}
	case "deliveries":
		if s := db.DeliveryState(*state); s != db.DeliveryDead && s != db.DeliveryPending && s != db.DeliveryDelivered {
			return fmt.Errorf("--state %q: want dead, pending or delivered", *state)
		}
	}
	d, err := openMigratedDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()

	switch sub {
	case "export":
		if *format == ledger.FormatCSV && *after == "" {
			store, err := objects.Open(ctx, *storeURL, log)
			if err != nil {
				return err
			}
			sum, err := ledger.Export(ctx, d, store, *from, *to, *out)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "exported %d postings (%d CSV rows) and %d files of %d documents to %s\n",
				sum.Postings, sum.Rows, sum.Files, sum.Documents, *out)
			return nil
		}
		return exportFormat(ctx, d, log, *format, *from, *to, *after, *out, *companies, stdout)
	case "deliveries":
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tPOSTING\tSTATE\tATTEMPTS\tUPDATED\tLAST ERROR")
		var after int64
		for {
			ds, err := d.Deliveries(ctx, db.DeliveryState(*state), after, db.MaxListLimit)
			if err != nil {
				return err
			}
			for _, dl := range ds {
				fmt.Fprintf(w, "%d\t%d\t%s\t%d\t%s\t%s\n", dl.ID, dl.PostingID, dl.State, dl.Attempts,
					dl.UpdatedAt.Format(time.RFC3339), dl.LastError)
				after = dl.ID
			}
			if len(ds) < db.MaxListLimit {
				break
			}
		}
		return w.Flush()
	case "resend":
		l, err := newLedger(hook.ledger, "", d, log)
		if err != nil {
			return err
		}
		// Insert-only: a serve process's workers deliver it.
		q, err := d.NewQueue(&river.Config{Logger: log})
		if err != nil {
			return err
		}
		dl, err := l.Resend(ctx, q, *id, "cli")
		switch {
		case errors.Is(err, db.ErrNotFound):
			return fmt.Errorf("no delivery %d", *id)
		case errors.Is(err, db.ErrConflict):
			cur, _ := d.Delivery(ctx, nil, *id)
			return fmt.Errorf("delivery %d is %s: only a dead delivery is resent", *id, cur.State)
		case err != nil:
			return err
		}
		fmt.Fprintf(stdout, "delivery %d of posting %d is pending again; a serve process will deliver it\n", dl.ID, dl.PostingID)
	}
	return nil
}

// exportFormat writes one format's batch into out: the files, refused.txt
// when documents were left out, and the summary (with the next cursor).
func exportFormat(ctx context.Context, d *db.DB, log *slog.Logger, format, from, to, after, out, companies string, stdout io.Writer) error {
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("export: %s is not empty", out)
	}
	// Exports need no webhook: the ledger's settings stay the defaults.
	l, err := newLedger(ledgerSettings{}, companies, d, log)
	if err != nil {
		return err
	}
	sel := ledger.Selection{From: from, To: to, Limit: -1}
	if after != "" {
		sel.After, _ = strconv.ParseInt(after, 10, 64)
	}
	b, err := l.ExportBatch(ctx, sel, format)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for _, f := range b.Files {
		if err := os.WriteFile(filepath.Join(out, f.Name), f.Data, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if len(b.Refused) > 0 {
		if err := os.WriteFile(filepath.Join(out, ledger.RefusedFileName), ledger.RefusedText(b.Refused), 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	fmt.Fprintf(stdout, "exported %d %s files from %d postings to %s; %d documents left out", len(b.Files), format, b.Postings, out, len(b.Refused))
	if len(b.Refused) > 0 {
		fmt.Fprintf(stdout, " (reasons in %s)", ledger.RefusedFileName)
	}
	fmt.Fprintln(stdout)
	if after != "" {
		fmt.Fprintf(stdout, "next cursor: %d\n", b.Next)
	}
	return nil
}
