package imageprep

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/disintegration/imaging"
	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
)

// TestCorpusGain runs the corpus generator's photo and hard variants
// through Enhance and the tesseract CLI and reports value recall (share of
// the truth's digit values — ИНН, КПП, БИК, accounts, numbers — found in
// the OCR text) raw and enhanced. Slow: IMAGEPREP_CORPUS_EVAL=1 only;
// IMAGEPREP_DUMP=dir also keeps the enhanced pages for looking at.
func TestCorpusGain(t *testing.T) {
	if os.Getenv("IMAGEPREP_CORPUS_EVAL") == "" {
		t.Skip("set IMAGEPREP_CORPUS_EVAL=1 to evaluate on generated corpus photos")
	}
	dir := t.TempDir()
	mix, err := corpus.ParseMix("act:3,invoice:3")
	if err != nil {
		t.Fatal(err)
	}
	if err := corpus.Generate(context.Background(), corpus.Options{Seed: 1, Out: dir, Mix: mix, Variants: []string{"photo", "hard"}}); err != nil {
		t.Fatal(err)
	}
	truth, err := corpus.ReadTruth(filepath.Join(dir, corpus.TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	dump := os.Getenv("IMAGEPREP_DUMP")
	var b strings.Builder
	fmt.Fprintf(&b, "\n| file | values | raw | enhanced | applied | ms |\n|---|---|---|---|---|---|")
	sum := map[string][2]float64{}
	for _, tr := range truth {
		vals := digitValues(tr.Result)
		variants := make([]string, 0, len(tr.Variants))
		for v := range tr.Variants {
			variants = append(variants, v)
		}
		sort.Strings(variants)
		for _, v := range variants {
			name := tr.Variants[v]
			if !strings.HasSuffix(name, ".jpg") {
				continue // multi-page photo PDFs are the pdf package's business
			}
			img, err := imaging.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := tesseractText(dir, img, 0)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Enhance(context.Background(), img, Options{Orienter: cliOrienter{dir: dir}})
			if err != nil {
				t.Fatal(err)
			}
			enh, err := tesseractText(dir, out.Image, out.DPI)
			if err != nil {
				t.Fatal(err)
			}
			if dump != "" {
				if err := imaging.Save(out.Image, filepath.Join(dump, strings.TrimSuffix(name, ".jpg")+"-enh.png")); err != nil {
					t.Fatal(err)
				}
				if err := imaging.Save(img, filepath.Join(dump, name)); err != nil {
					t.Fatal(err)
				}
			}
			var ms float64
			for s, d := range out.Timings {
				if s != StepOrient {
					ms += float64(d.Milliseconds())
				}
			}
			r0, r1 := valueRecall(vals, raw), valueRecall(vals, enh)
			s := sum[v]
			sum[v] = [2]float64{s[0] + r0, s[1] + r1}
			fmt.Fprintf(&b, "\n| %s | %d | %.2f | %.2f | %s | %.0f |", name, len(vals), r0, r1, strings.Join(out.Applied, ","), ms)
		}
	}
	for v, s := range sum {
		fmt.Fprintf(&b, "\n| mean %s | | %.2f | %.2f | | |", v, s[0]/float64(len(truth)), s[1]/float64(len(truth)))
	}
	t.Log(b.String())
}

// digitValues collects the all-digit strings of 5+ digits in a result.
func digitValues(r pervichka.Result) []string {
	data, err := json.Marshal(r)
	if err != nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case string:
			if len(x) >= 5 && strings.IndexFunc(x, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	walk(v)
	return out
}

func valueRecall(vals []string, text string) float64 {
	if len(vals) == 0 {
		return 1
	}
	flat := strings.Join(strings.Fields(text), "")
	n := 0
	for _, v := range vals {
		if strings.Contains(flat, v) {
			n++
		}
	}
	return float64(n) / float64(len(vals))
}
