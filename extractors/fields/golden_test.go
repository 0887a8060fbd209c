package fields_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
	"github.com/pervichka/pervichka/corpus/eval"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/pdf"
)

var (
	update     = flag.Bool("update", false, "rewrite the golden results in testdata/golden")
	corpusFrom = flag.String("corpus", "", "with -update: a generated corpus directory to take the golden cases' words and truth from")
)

// goldenCases are generated documents (`pervichka corpus gen --seed 7
// --variants pdf`), one or two per type and layout family, kept small.
var goldenCases = []string{"002-invoice", "036-invoice", "025-act", "040-act", "034-vat_invoice", "016-upd", "038-contract"}

// goldenCase is what testdata holds for one document: the words of its
// pages as the PDF text layer gives them and the ground truth.
type goldenCase struct {
	Pages []pervichka.Page  `json:"pages"`
	Truth corpus.Truth      `json:"truth"`
	Own   []pervichka.Party `json:"own"`
}

var goldenNow = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// TestGolden reads born-digital documents of the corpus: every field must
// equal the truth, the result must equal the golden file (confidences and
// reasons included), and a document with every key field right may go
// without review only if nothing is wrong.
func TestGolden(t *testing.T) {
	if *update && *corpusFrom != "" {
		writeGoldenInputs(t)
	}
	for _, id := range goldenCases {
		t.Run(id, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "golden", id+".words.json"))
			if err != nil {
				t.Fatal(err)
			}
			var gc goldenCase
			if err := json.Unmarshal(b, &gc); err != nil {
				t.Fatal(err)
			}
			res := fields.Extract(context.Background(), gc.Pages, fields.Config{Own: gc.Own, Now: goldenNow}, nil)
			c := eval.Compare(&gc.Truth.Result, &res)
			if c.Right != c.Fields {
				t.Errorf("%d of %d fields wrong: %v", c.Fields-c.Right, c.Fields, c.Wrong)
			}
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", id+".result.json")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(want)) != string(got) {
				t.Errorf("result differs from %s (run with -update after checking):\n%s", path, got)
			}
		})
	}
}

// writeGoldenInputs reads the golden cases' PDFs from a generated corpus
// into testdata, so the test runs without poppler or the generator.
func writeGoldenInputs(t *testing.T) {
	truth, err := corpus.ReadTruth(filepath.Join(*corpusFrom, corpus.TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	var own []pervichka.Party
	if f, err := os.Open(filepath.Join(*corpusFrom, corpus.CompaniesFile)); err == nil {
		own, err = pervichka.ReadCompanies(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	byID := map[string]corpus.Truth{}
	for _, tr := range truth {
		byID[tr.ID] = tr
	}
	for _, id := range goldenCases {
		tr, ok := byID[id]
		if !ok {
			t.Fatalf("%s not in the corpus", id)
		}
		b, err := os.ReadFile(filepath.Join(*corpusFrom, tr.Variants["pdf"]))
		if err != nil {
			t.Fatal(err)
		}
		pp, err := pdf.Pages(context.Background(), b, pervichka.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		gc := goldenCase{Truth: tr, Own: own}
		for _, p := range pp {
			if p.Text == nil {
				t.Fatalf("%s page %d has no text layer", id, p.Index+1)
			}
			gc.Pages = append(gc.Pages, *p.Text)
		}
		out, err := json.Marshal(gc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "golden", id+".words.json"), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkExtract reads a one-page счёт-фактура (≈430 words).
func BenchmarkExtract(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "golden", "034-vat_invoice.words.json"))
	if err != nil {
		b.Fatal(err)
	}
	var gc goldenCase
	if err := json.Unmarshal(raw, &gc); err != nil {
		b.Fatal(err)
	}
	cfg := fields.Config{Own: gc.Own, Now: goldenNow}
	for b.Loop() {
		fields.Extract(context.Background(), gc.Pages, cfg, nil)
	}
}
