package eval

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
)

// TestPageTurnsScored: a page is read the right way up when the engine's
// turn undoes the truth's, (truth + engine) % 360 == 0; an engine turn the
// result leaves out is none; a page the engine did not read is wrong.
func TestPageTurnsScored(t *testing.T) {
	t.Parallel()
	read := func(pages int, turns ...int) *pervichka.Result {
		return &pervichka.Result{Pages: pages, PageTurns: turns}
	}
	failed := &pervichka.Result{Error: &pervichka.ErrorInfo{Code: pervichka.CodeCorrupt}}
	for _, tc := range []struct {
		name  string
		truth []int
		got   *pervichka.Result
		right []bool // per page
	}{
		{"no turns in the truth", nil, read(1), nil},
		{"upright, left upright", []int{0}, read(1), []bool{true}},
		{"quarter clockwise undone by three quarters", []int{90}, read(1, 270), []bool{true}},
		{"quarter turned further the same way", []int{90}, read(1, 90), []bool{false}},
		{"three quarters undone by a quarter", []int{270}, read(1, 90), []bool{true}},
		{"half undone", []int{180}, read(1, 180), []bool{true}},
		{"upright page turned over", []int{0}, read(1, 180), []bool{false}},
		{"turned page left as it is", []int{90, 0}, read(2), []bool{false, true}},
		{"second page turned back", []int{0, 270}, read(2, 0, 90), []bool{true, true}},
		{"file not read", []int{0, 90}, failed, []bool{false, false}},
		{"fewer pages read than the file has", []int{0, 0}, read(1), []bool{true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			turns := pageTurns("dir/a-photo_real.pdf", "photo_real", tc.truth, tc.got)
			if len(turns) != len(tc.right) {
				t.Fatalf("%d pages scored, want %d", len(turns), len(tc.right))
			}
			for k, p := range turns {
				if p.Right() != tc.right[k] {
					t.Errorf("page %d (truth %d°, engine %d°, failed %v): right %v, want %v", k+1, p.Truth, p.Engine, p.Failed, p.Right(), tc.right[k])
				}
				if p.Page != k+1 || p.File != "a-photo_real.pdf" || p.Variant != "photo_real" {
					t.Errorf("page %d named %+v", k+1, *p)
				}
			}
		})
	}
}

// TestScoreOrientation: groups count the pages with a known turn and those
// read upright; a group with none has no orientation score (null, "-"),
// not a perfect one, and truth without turns says so.
func TestScoreOrientation(t *testing.T) {
	t.Parallel()
	truth := []corpus.Truth{
		{ID: "a", Variants: map[string]string{"pdf": "a.pdf", "photo_real": "a-photo_real.jpg"},
			Turns: map[string][]int{"photo_real": {90}}, Result: base()},
		{ID: "b", Variants: map[string]string{"pdf": "b.pdf", "photo_real": "b-photo_real.pdf"},
			Turns: map[string][]int{"photo_real": {0, 270}}, Result: base()},
		{ID: "c", Variants: map[string]string{"photo_real": "c-photo_real.jpg"},
			Turns: map[string][]int{"photo_real": {180}}, Result: base()},
	}
	truth[1].Pages = 2
	res := func(file string, pages int, turns ...int) pervichka.Result {
		r := base()
		r.File, r.Pages, r.PageTurns = "/corpus/"+file, pages, turns
		return r
	}
	results := []pervichka.Result{
		res("a.pdf", 1),
		res("a-photo_real.jpg", 1, 270), // turned back: right
		res("b.pdf", 2),
		res("b-photo_real.pdf", 2, 0, 180), // page 1 right, page 2 wrong
		// c-photo_real.jpg has no result: its page counts as wrong.
	}
	rep := Score("pipeline", truth, results, nil)
	for _, tc := range []struct {
		variant, docType string
		pages, right     int
	}{
		{"photo_real", All, 4, 2},
		{"photo_real", string(pervichka.DocInvoice), 4, 2},
		{All, All, 4, 2},
		{"pdf", All, 0, 0},
	} {
		g := rep.Group(tc.variant, tc.docType)
		if g == nil {
			t.Fatalf("no group %s/%s", tc.variant, tc.docType)
		}
		if g.TurnPages != tc.pages || g.TurnRight != tc.right {
			t.Errorf("%s/%s: %d of %d pages upright, want %d of %d", tc.variant, tc.docType, g.TurnRight, g.TurnPages, tc.right, tc.pages)
		}
		switch {
		case tc.pages == 0 && g.Orient != nil:
			t.Errorf("%s/%s: orient %v without a known turn, want none", tc.variant, tc.docType, *g.Orient)
		case tc.pages > 0 && (g.Orient == nil || *g.Orient != float64(tc.right)/float64(tc.pages)):
			t.Errorf("%s/%s: orient %s, want %d/%d", tc.variant, tc.docType, orient(g), tc.right, tc.pages)
		}
	}
	if len(rep.Misturned) != 2 || rep.Misturned[0].File != "b-photo_real.pdf" || rep.Misturned[0].Page != 2 ||
		rep.Misturned[1].File != "c-photo_real.jpg" || !rep.Misturned[1].Failed {
		t.Errorf("misturned %+v, want page 2 of b and c's unread page", rep.Misturned)
	}
	b, err := json.Marshal(rep.Group("pdf", All))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"orient":null`) {
		t.Errorf("pdf group JSON %s, want orient null", b)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, []*Report{rep}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"orient", "photo_real 2/4", "b-photo_real.pdf p.2 (photo_real): turned 270°, engine turned 180°", "c-photo_real.jpg p.1 (photo_real): turned 180°, not read"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	// The same corpus without turns in its truth (as written before they
	// were recorded): no group is scored on orientation.
	for i := range truth {
		truth[i].Turns = nil
	}
	rep = Score("pipeline", truth, results, nil)
	for _, g := range rep.Groups {
		if g.Orient != nil || g.TurnPages != 0 {
			t.Errorf("%s/%s: orient %s over %d pages without turns in the truth", g.Variant, g.DocType, orient(g), g.TurnPages)
		}
	}
	buf.Reset()
	if err := WriteTable(&buf, []*Report{rep}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "no orientation truth") || strings.Contains(out, "read at the wrong turn") {
		t.Errorf("table without turns in the truth:\n%s", out)
	}
}
