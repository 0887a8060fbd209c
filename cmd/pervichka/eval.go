package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
	"github.com/pervichka/pervichka/corpus/eval"
	"github.com/pervichka/pervichka/extractors/dewarp"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
)

func init() {
	commands["eval"] = command{
		summary: "score extraction on a corpus against its ground truth",
		run:     runEval,
	}
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, strings.Split(v, ",")...); return nil }

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("eval", flag.ContinueOnError)
	fset.SetOutput(stderr)
	truthPath := fset.String("truth", "", "ground truth JSONL (default DIR/truth.jsonl)")
	resultsPath := fset.String("results", "", "score this extract JSONL instead of running extraction")
	baseline := fset.Bool("baseline", false, "also run raw Tesseract (no enhancement) over the corpus")
	var ablate, variants stringList
	fset.Var(&ablate, "ablate", "also run with this enhancement step off (repeatable): "+strings.Join(recognize.Steps, ", "))
	fset.Var(&variants, "variants", "only these variants ("+strings.Join(corpus.Variants, ",")+")")
	jobs := fset.Int("jobs", runtime.NumCPU(), "files recognised at once")
	asJSON := fset.Bool("json", false, "print JSON instead of tables (orient is null where the truth knows no page's turn)")
	companies := fset.String("companies", "", "our organisations (default DIR/companies.json when present; for --real, FOLDER/companies.json)")
	saveDir := fset.String("save", "", "write each run's results as JSONL into this folder (RUN.jsonl), for --results later")
	realDir := fset.String("real", "", "also score the real documents in this folder (truth.json + files/, e.g. ../shared/real-dev), file by file")
	cpuProfile := fset.String("cpuprofile", "", "write a Go CPU profile of the recognition to this file (go tool pprof reads it; time inside Tesseract is charged to the Go call that entered it)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: pervichka eval [flags] [DIR]   (DIR or --real or both)")
		fset.PrintDefaults()
	}
	if done, err := parseArgs(fset, args); done {
		return err
	}
	if fset.NArg() > 1 || (fset.NArg() == 0 && *realDir == "") {
		fset.Usage()
		return usagef("want one corpus folder, --real FOLDER, or both")
	}
	var real *eval.RealSet
	if *realDir != "" {
		if *resultsPath != "" {
			return usagef("--results scores a generated corpus only; drop --real")
		}
		var err error
		if real, err = eval.ReadReal(*realDir); err != nil {
			return err
		}
		if len(variants) > 0 {
			for i := range real.Truth {
				for v := range real.Truth[i].Variants {
					if !slices.Contains(variants, v) {
						delete(real.Truth[i].Variants, v)
					}
				}
			}
		}
	}
	dir := fset.Arg(0)
	var realOwn []pervichka.Party
	if real != nil {
		p := filepath.Join(real.Dir, corpus.CompaniesFile)
		if *companies != "" {
			// The back office's own organisations, as its admin configures
			// them: the real set holds none of its own.
			p = *companies
		}
		if fileExists(p) {
			var err error
			if realOwn, err = loadCompanies(p); err != nil {
				return err
			}
		}
	}
	for _, s := range ablate {
		if !slices.Contains(recognize.Steps, s) {
			return usagef("unknown --ablate step %q: want one of %s", s, strings.Join(recognize.Steps, ", "))
		}
	}
	if *truthPath == "" && dir != "" {
		*truthPath = filepath.Join(dir, "truth.jsonl")
	}
	var truth []corpus.Truth
	if dir != "" {
		var err error
		if truth, err = corpus.ReadTruth(*truthPath); err != nil {
			return err
		}
	}
	if len(variants) > 0 {
		for i := range truth {
			for v := range truth[i].Variants {
				if !slices.Contains(variants, v) {
					delete(truth[i].Variants, v)
				}
			}
		}
	}

	if *companies == "" && dir != "" {
		if p := filepath.Join(dir, "companies.json"); fileExists(p) {
			*companies = p
		}
	}
	own, err := loadCompanies(*companies)
	if err != nil {
		return err
	}

	var reports []*eval.Report
	if *resultsPath != "" {
		results, err := readResults(*resultsPath)
		if err != nil {
			return err
		}
		reports = append(reports, eval.Score(filepath.Base(*resultsPath), truth, results, own))
		return printReports(stdout, reports, *asJSON)
	}

	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: max(1, *jobs), Logger: logger})
	if err != nil {
		return fmt.Errorf("start OCR engine: %w", err)
	}
	defer pool.Close()

	var paths []string
	for _, t := range truth {
		for _, v := range sortedKeys(t.Variants) {
			paths = append(paths, filepath.Join(dir, t.Variants[v]))
		}
	}
	type run struct {
		name string
		opt  recognize.Options
	}
	runs := []run{{name: "pipeline"}}
	if *baseline {
		runs = append(runs, run{name: "baseline", opt: recognize.Options{Mode: recognize.ModeRaw}})
	}
	for _, s := range ablate {
		runs = append(runs, run{name: "no-" + s, opt: recognize.Options{Disabled: map[string]bool{s: true}}})
	}
	for _, rn := range runs {
		opt := rn.opt
		opt.Fields = fields.Config{Own: own}
		opt.Dewarper = dewarp.Dewarper{}
		opt.Logger = logger
		if real != nil {
			// The real set is recognised on its own, before the corpus,
			// with its own organisations (none: every document counts).
			realOpt := opt
			realOpt.Fields = fields.Config{Own: realOwn}
			rec := recognize.New(pool, realOpt)
			start := time.Now()
			var results []pervichka.Result
			todo := real.Paths()
			if rn.name != "pipeline" {
				todo = imagePaths(real.Truth, real.Dir)
			}
			rec.Files(ctx, todo, *jobs, func(_ int, res pervichka.Result) { results = append(results, res) })
			if err := ctx.Err(); err != nil {
				return err
			}
			if *saveDir != "" {
				if err := saveResults(filepath.Join(*saveDir, "real-"+rn.name+".jsonl"), results); err != nil {
					return err
				}
			}
			fmt.Fprintf(stderr, "real/%s: %d files in %.1f s wall (%d jobs)\n", rn.name, len(todo), elapsed(start), *jobs)
			reports = append(reports, eval.ScoreReal("real/"+rn.name, &eval.RealSet{
				Dir: real.Dir, Truth: truthFor(real.Truth, rn.name == "pipeline"), LineCount: real.LineCount,
			}, results, realOwn))
		}
		if dir == "" {
			continue
		}
		rec := recognize.New(pool, opt)
		start := time.Now()
		results := make([]pervichka.Result, 0, len(paths))
		todo := paths
		if rn.name != "pipeline" {
			// Born-digital PDFs never reach the image stages: the baseline
			// and ablations differ only on images, so re-running them
			// would only cost time.
			todo = imagePaths(truth, dir)
		}
		rec.Files(ctx, todo, *jobs, func(_ int, res pervichka.Result) { results = append(results, res) })
		if err := ctx.Err(); err != nil {
			return err
		}
		if *saveDir != "" {
			if err := saveResults(filepath.Join(*saveDir, rn.name+".jsonl"), results); err != nil {
				return err
			}
		}
		rep := eval.Score(rn.name, truthFor(truth, rn.name == "pipeline"), results, own)
		fmt.Fprintf(stderr, "%s: %d files in %.1f s wall (%d jobs)\n", rn.name, len(todo), elapsed(start), *jobs)
		reports = append(reports, rep)
	}
	return printReports(stdout, reports, *asJSON)
}

// startCPUProfile starts profiling into path; stop ends it and closes the
// file.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// imagePaths lists the variant files that go through OCR (all but "pdf").
func imagePaths(truth []corpus.Truth, dir string) []string {
	var out []string
	for _, t := range truthFor(truth, false) {
		for _, v := range sortedKeys(t.Variants) {
			out = append(out, filepath.Join(dir, t.Variants[v]))
		}
	}
	return out
}

// truthFor drops the born-digital variant for runs that skip it.
func truthFor(truth []corpus.Truth, withPDF bool) []corpus.Truth {
	if withPDF {
		return truth
	}
	out := make([]corpus.Truth, len(truth))
	for i, t := range truth {
		t.Variants = make(map[string]string, len(truth[i].Variants))
		for v, f := range truth[i].Variants {
			if v != "pdf" {
				t.Variants[v] = f
			}
		}
		out[i] = t
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func printReports(w io.Writer, reports []*eval.Report, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(reports)
	}
	return eval.WriteTable(w, reports)
}

func readResults(path string) ([]pervichka.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	defer f.Close()
	var out []pervichka.Result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var r pervichka.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("read results %s line %d: %w", path, n, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	return out, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func saveResults(path string, results []pervichka.Result) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save results: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save results: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return fmt.Errorf("save results: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("save results: %w", err)
	}
	return f.Close()
}
