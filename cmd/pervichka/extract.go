package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/dewarp"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
)

func init() {
	commands["extract"] = command{
		summary: "read documents (PDF, JPEG, PNG, TIFF, WebP) and print their fields as JSON",
		run:     runExtract,
	}
}

// inputExts are the files taken from folders; files named explicitly are
// always tried, whatever their name.
var inputExts = map[string]bool{".pdf": true, ".jpg": true, ".jpeg": true, ".png": true, ".tif": true, ".tiff": true, ".webp": true}

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("extract", flag.ContinueOnError)
	fset.SetOutput(stderr)
	jobs := fset.Int("jobs", runtime.NumCPU(), "files recognised at once (one OCR engine each)")
	format := fset.String("format", "jsonl", "output: jsonl (one object per line), json (an array) or table")
	debugDir := fset.String("debug-dir", "", "write enhanced page images and OCR words here")
	verbose := fset.Bool("v", false, "log every enhancement and recognition step (what was measured and decided) to stderr")
	companies := fset.String("companies", "", "JSON file with our organisations ({\"companies\":[{name,inn,kpp}]}) [PERVICHKA_COMPANIES]")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: pervichka extract [flags] PATH...\n\nPATH may be files or folders (searched recursively).")
		fset.PrintDefaults()
	}
	if done, err := parseArgs(fset, args); done {
		return err
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return usagef("no input paths")
	}
	if *format != "jsonl" && *format != "json" && *format != "table" {
		return usagef("unknown --format %q: want jsonl, json or table", *format)
	}
	paths, err := expandPaths(fset.Args())
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	own, err := loadCompanies(*companies)
	if err != nil {
		return err
	}
	pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: max(1, *jobs), Logger: logger})
	if err != nil {
		return fmt.Errorf("start OCR engine: %w", err)
	}
	defer pool.Close()
	rec := recognize.New(pool, recognize.Options{
		Fields:   fields.Config{Own: own},
		DebugDir: *debugDir,
		Dewarper: dewarp.Dewarper{},
		Logger:   logger,
	})

	var bar *progressbar.ProgressBar
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar = progressbar.NewOptions(len(paths), progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("extract"), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish())
	}
	var (
		failed int
		all    []pervichka.Result
		enc    = json.NewEncoder(stdout)
		encErr error
	)
	enc.SetEscapeHTML(false)
	rec.Files(ctx, paths, *jobs, func(_ int, res pervichka.Result) {
		if res.Error != nil {
			failed++
		}
		if bar != nil {
			_ = bar.Add(1)
		}
		if *format == "jsonl" {
			if err := enc.Encode(res); err != nil && encErr == nil {
				encErr = err
			}
			return
		}
		all = append(all, res)
	})
	if encErr != nil {
		return fmt.Errorf("write output: %w", encErr)
	}
	switch *format {
	case "json":
		enc.SetIndent("", "  ")
		if all == nil {
			all = []pervichka.Result{}
		}
		if err := enc.Encode(all); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	case "table":
		writeResultTable(stdout, all)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "pervichka extract: %d of %d files failed\n", failed, len(paths))
		return errExitFailure
	}
	return nil
}

// expandPaths turns files and folders into a sorted, de-duplicated list of
// files; folders contribute the files with a known extension.
func expandPaths(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			// A missing file is reported as that file's error, not as a
			// failure of the whole run.
			add(a)
			continue
		}
		if !st.IsDir() {
			add(a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != a && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && inputExts[strings.ToLower(filepath.Ext(p))] {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk %s: %w", a, err)
		}
		sort.Strings(found)
		for _, p := range found {
			add(p)
		}
	}
	return out, nil
}

func loadCompanies(path string) ([]pervichka.Party, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read companies: %w", err)
	}
	defer f.Close()
	return pervichka.ReadCompanies(f)
}

func writeResultTable(w io.Writer, results []pervichka.Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\ttype\tnumber\tdate\tsupplier inn\tbuyer inn\ttotal\tvat\treview\treasons")
	for _, r := range results {
		if r.Error != nil {
			fmt.Fprintf(tw, "%s\terror\t%s\t\t\t\t\t\t\t%s\n", r.File, r.Error.Code, r.Error.Message)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%v\t%s\n", r.File, r.DocType, r.Number, r.Date,
			r.Supplier.INN, r.Buyer.INN, r.Total, r.VATAmount, r.NeedsReview, strings.Join(r.ReviewReasons, " "))
	}
	tw.Flush()
}

// elapsed is a small helper for commands that report wall time.
func elapsed(start time.Time) float64 { return time.Since(start).Seconds() }
