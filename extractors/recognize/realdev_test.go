package recognize_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pervichka/pervichka/corpus/eval"
	"github.com/pervichka/pervichka/extractors/dewarp"
	"github.com/pervichka/pervichka/extractors/recognize"
)

// realDevDir is ../shared/real-dev beside the repository (or
// $PERVICHKA_REAL_DEV): real bills we measure on and never commit.
func realDevDir() string {
	if d := os.Getenv("PERVICHKA_REAL_DEV"); d != "" {
		return d
	}
	return "../../../shared/real-dev"
}

// The born-digital real bills (1C-like systems, issue 14) are read from
// their text layer: every key field and the bank details (БИК, account,
// corr account) must be right on each, and none posted wrong. The photos
// cost seconds of OCR each and are measured by `pervichka eval --real`.
func TestRealDevPDFs(t *testing.T) {
	t.Parallel()
	dir := realDevDir()
	if _, err := os.Stat(filepath.Join(dir, eval.RealTruthFile)); err != nil {
		t.Skipf("SKIP real documents: %v — they are never committed; put them in ../shared/real-dev (or set PERVICHKA_REAL_DEV) to test on them", err)
	}
	set, err := eval.ReadReal(dir)
	if err != nil {
		t.Fatal(err)
	}
	var pdfs []string
	for i := range set.Truth {
		for v := range set.Truth[i].Variants {
			if v != "pdf" {
				delete(set.Truth[i].Variants, v)
			}
		}
		if f, ok := set.Truth[i].Variants["pdf"]; ok {
			pdfs = append(pdfs, filepath.Join(dir, f))
		}
	}
	if len(pdfs) == 0 {
		t.Fatal("no born-digital documents in the real set")
	}
	rec := recognize.New(sharedPool(t), recognize.Options{Dewarper: dewarp.Dewarper{}})
	rep := eval.ScoreReal("real-pdf", set, recognizeAll(t, rec, pdfs), nil)
	for _, f := range rep.Files {
		if !f.KeyOK || f.Bank == "wrong" || f.Silent {
			t.Errorf("%s: key fields right %v, bank %s, silent %v; wrong: %+v", f.File, f.KeyOK, f.Bank, f.Silent, f.Diffs)
		}
	}
}
