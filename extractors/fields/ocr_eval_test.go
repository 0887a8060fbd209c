package fields

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
	"github.com/pervichka/pervichka/corpus/eval"
)

// TestOCREval scores Extract offline on the OCR words that
// `pervichka extract --debug-dir` wrote for the corpus images, so that
// extraction rules can be tuned on real OCR output without re-running
// Tesseract. FIELDS_OCR_EVAL lists debug directories (comma separated);
// FIELDS_OCR_VERBOSE=1 prints every wrong field. Rereader is nil here while
// the pipeline re-OCRs boxes, so figures are a lower bound.
// FIELDS_OCR_CORPUS names the corpus the words come from (default the
// committed one), to score a generated held-out corpus the same way;
// FIELDS_OCR_OUT writes the results there as JSONL.
func TestOCREval(t *testing.T) {
	dirs := os.Getenv("FIELDS_OCR_EVAL")
	if dirs == "" {
		t.Skip("FIELDS_OCR_EVAL not set")
	}
	root := "../../testdata/corpus"
	if r := os.Getenv("FIELDS_OCR_CORPUS"); r != "" {
		root = r
	}
	truth, err := corpus.ReadTruth(filepath.Join(root, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var own []pervichka.Party
	if f, err := os.Open(filepath.Join(root, "companies.json")); err == nil {
		own, err = pervichka.ReadCompanies(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	wantByFile := map[string]*pervichka.Result{}
	for i := range truth {
		for _, f := range truth[i].Variants {
			wantByFile[f] = &truth[i].Result
		}
	}
	var results []pervichka.Result
	seen := map[string]bool{}
	for _, dir := range strings.Split(dirs, ",") {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.words.json"))
		byFile := map[string][]pervichka.Page{}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var pg pervichka.Page
			if err := json.Unmarshal(b, &pg); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			base := filepath.Base(p)
			file := base[:strings.LastIndex(base[:len(base)-len(".words.json")], ".p")]
			byFile[file] = append(byFile[file], pg)
		}
		files := make([]string, 0, len(byFile))
		for f := range byFile {
			files = append(files, f)
		}
		sort.Strings(files)
		for _, f := range files {
			pages := byFile[f]
			sort.Slice(pages, func(i, j int) bool { return pages[i].Index < pages[j].Index })
			// Extract lets a panic through to its caller; catch it here
			// so that a bug names its file and the other files go on.
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s: panic: %v", f, p)
					}
				}()
				newExtraction(context.Background(), pages, Config{Own: own, MinConfidence: DefaultMinConfidence, Now: time.Now()}, nil).run()
			}()
			res := Extract(context.Background(), pages, Config{Own: own}, nil)
			res.File = f
			res.Pages = len(pages)
			results = append(results, res)
			seen[f] = true
			if os.Getenv("FIELDS_OCR_VERBOSE") != "" {
				if want := wantByFile[f]; want != nil {
					c := eval.Compare(want, &res)
					fmt.Printf("%s review=%v keyok=%v %d/%d reasons=%v\n", f, res.NeedsReview, c.KeyOK, c.Right, c.Fields, res.ReviewReasons)
					for _, w := range c.Wrong {
						fmt.Printf("   %s\n", w)
					}
					if os.Getenv("FIELDS_OCR_VERBOSE") == "items" {
						for i := range max(len(want.Items), len(res.Items)) {
							if i < len(want.Items) {
								fmt.Printf("   want %+v\n", want.Items[i])
							}
							if i < len(res.Items) {
								fmt.Printf("   got  %+v\n", res.Items[i])
							}
						}
					}
				}
			}
		}
	}
	// Score only the variants that have words here.
	var sub []corpus.Truth
	for _, tr := range truth {
		v := map[string]string{}
		for k, f := range tr.Variants {
			if seen[f] {
				v[k] = f
			}
		}
		if len(v) > 0 {
			tr.Variants = v
			sub = append(sub, tr)
		}
	}
	if out := os.Getenv("FIELDS_OCR_OUT"); out != "" {
		// The results as `pervichka extract` prints them, for
		// `pervichka eval --results` or a closer look.
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(f)
		enc.SetEscapeHTML(false)
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	rep := eval.Score("ocr-words", sub, results, nil)
	for _, g := range rep.Groups {
		if g.Variant == eval.All {
			continue
		}
		fmt.Printf("%-6s %-12s docs=%2d fields=%.3f doc_ok=%.2f auto=%.2f silent=%d missed=%v\n",
			g.Variant, g.DocType, g.Docs, g.FieldAccuracy, g.DocOK, g.AutoApproved, g.SilentErrors, g.MostMissed)
		if g.SilentErrors > 0 {
			t.Errorf("%s/%s: %d silent errors", g.Variant, g.DocType, g.SilentErrors)
		}
	}
}

// TestOCRDumpLines prints the lines Extract rebuilds from one debug words
// file (FIELDS_OCR_DUMP=/tmp/words-photo/x.jpg.p1.words.json), to see what
// the rules are given.
func TestOCRDumpLines(t *testing.T) {
	p := os.Getenv("FIELDS_OCR_DUMP")
	if p == "" {
		t.Skip("FIELDS_OCR_DUMP not set")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var pg pervichka.Page
	if err := json.Unmarshal(b, &pg); err != nil {
		t.Fatal(err)
	}
	for i, l := range buildLines([]pervichka.Page{pg}) {
		fmt.Printf("%3d y=%4d %s\n", i, l.box.Y0, l.text())
	}
}
