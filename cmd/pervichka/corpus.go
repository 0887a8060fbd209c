package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/pervichka/pervichka/corpus"
)

func init() {
	commands["corpus"] = command{
		summary: "generate a benchmark corpus of Russian primary documents with ground truth",
		run:     runCorpus,
	}
}

const corpusUsage = `usage: pervichka corpus gen --seed N --out DIR [--mix invoice:12,act:10,...] [--variants pdf,scan,photo,hard]

Writes one file per document and variant into DIR, plus truth.jsonl (the
expected extract output of every document, one JSON object a line) and
companies.json (the organisations the back office serves).
`

func runCorpus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, corpusUsage)
		if len(args) == 0 {
			return errExitFailure
		}
		return nil
	}
	if args[0] != "gen" {
		fmt.Fprintf(stderr, "pervichka corpus: unknown subcommand %q\n%s", args[0], corpusUsage)
		return errExitFailure
	}
	fs := flag.NewFlagSet("corpus gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", 0, "seed of the random generator; the same seed gives the same corpus")
	out := fs.String("out", "", "output directory (created if missing)")
	mix := fs.String("mix", "", "documents per type, e.g. invoice:12,vat_invoice:8,upd:8,act:12,contract:5 (the default)")
	variants := fs.String("variants", "pdf,scan,photo,hard", "variants to write: pdf, scan, photo, hard, photo_real, scanapp")
	layouts := fs.String("layouts", corpus.LayoutsClassic, "layout set: classic (the benchmark's), real (modelled on 1C and real suppliers' forms, with ТОРГ-12) or all")
	scanQuality := fs.Int("scan-quality", 75, "JPEG quality of the pages inside scan PDFs (1-100)")
	scanEvery := fs.Int("scan-every", 1, "write the scan variant only for every n-th document")
	verbose := fs.Bool("v", false, "log every document")
	fs.Usage = func() { fmt.Fprint(stderr, corpusUsage+"\nflags:\n"); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errExitFailure
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *out == "" {
		return fmt.Errorf("--out DIR is required")
	}
	if !flagSet(fs, "seed") {
		return fmt.Errorf("--seed N is required, so that the corpus can be made again")
	}
	opt := corpus.Options{Seed: *seed, Out: *out, ScanQuality: *scanQuality, ScanEvery: *scanEvery, Layouts: *layouts}
	if *mix != "" {
		m, err := corpus.ParseMix(*mix)
		if err != nil {
			return err
		}
		opt.Mix = m
	}
	v, err := corpus.ParseVariants(*variants)
	if err != nil {
		return err
	}
	opt.Variants = v
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	opt.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	start := time.Now()
	if err := corpus.Generate(ctx, opt); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "corpus written to %s in %s\n", *out, time.Since(start).Round(time.Millisecond))
	return nil
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			found = true
		}
	})
	return found
}
