package eval

import (
	"path/filepath"
	"sort"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
)

// All is the group name for totals across variants or document types.
const All = "all"

// FieldCount is how often one field was wrong.
type FieldCount struct {
	Field string `json:"field"`
	Wrong int    `json:"wrong"`
}

// Group holds the scores of one slice of the corpus: one variant ("pdf",
// "scan", "photo", "hard" or all) and one document type (or all).
type Group struct {
	Variant string `json:"variant"`
	DocType string `json:"doc_type"`
	Docs    int    `json:"docs"`
	Pages   int    `json:"pages"`
	// Failed counts files that produced an error (or no result at all);
	// they score zero on every field and are never auto-approved.
	Failed        int     `json:"failed"`
	FieldAccuracy float64 `json:"field_accuracy"`
	DocOK         float64 `json:"doc_ok"`
	AutoApproved  float64 `json:"auto_approved"`
	// OwnDocs and AutoOwn count only documents where one of our companies
	// is a party (by the truth): the others must go to review
	// (no_own_company), so AutoOwn is the auto-approval rate that the
	// engine could reach on them.
	OwnDocs        int          `json:"own_docs"`
	AutoOwn        float64      `json:"auto_approved_own"`
	SilentErrors   int          `json:"silent_errors"`
	SilentRate     float64      `json:"silent_error_rate"`
	SecondsPerPage float64      `json:"seconds_per_page"`
	MostMissed     []FieldCount `json:"most_missed,omitempty"`
	// TurnPages counts the pages whose turn the truth knows (corpus.Truth
	// Turns), TurnRight those the engine turned back upright; Orient is
	// their ratio, and null when no page's turn is known (truth written
	// before turns were recorded, a group of PDFs and scans): an
	// orientation nobody measured must not read as perfect. A page of a
	// file the engine did not read counts as wrong.
	TurnPages int      `json:"turn_pages"`
	TurnRight int      `json:"turn_right"`
	Orient    *float64 `json:"orient"`

	fields, right, docOK, auto, autoOwn int
	ms                                  int64
	missed                              map[string]int
}

// Report is the score of one run (the pipeline, the raw baseline, or an
// ablation) over a corpus.
type Report struct {
	Name   string   `json:"name"`
	Groups []*Group `json:"groups"`
	// Reliability is the confidence calibration over all the run's files.
	Reliability *Reliability `json:"reliability,omitempty"`
	// Files has one row per scored file; ScoreReal fills it (a handful of
	// real documents are read one by one), Score leaves it empty.
	Files []*FileScore `json:"files,omitempty"`
	// Silent names every auto-approved file with a wrong key field, with
	// what was wrong, whatever the corpus: a silent error is the one
	// figure a trust soak exists to find, and a count alone cannot be
	// looked into.
	Silent []*FileScore `json:"silent,omitempty"`
	// Misturned names every page with a known turn that was not read
	// upright, so that an orientation figure below target can be looked
	// into page by page.
	Misturned []*PageTurn `json:"misturned,omitempty"`
}

// PageTurn is one page whose turn the truth knows: how far its content is
// turned clockwise in the file, and how far the engine turned it to read
// it (Failed: the file was not read at all).
type PageTurn struct {
	File    string `json:"file"`
	Variant string `json:"variant"`
	Page    int    `json:"page"` // 1-based
	Truth   int    `json:"truth"`
	Engine  int    `json:"engine"`
	Failed  bool   `json:"failed,omitempty"`
}

// Right reports whether the engine's turn undid the page's.
func (p *PageTurn) Right() bool { return !p.Failed && (p.Truth+p.Engine)%360 == 0 }

// pageTurns pairs each page's truth turn with the engine's turn of it;
// nil when the truth has no turns for the file. A page the engine did not
// read (an error, or fewer pages than the truth) is Failed; an engine turn
// left out (no page_turns: none was turned) is 0.
func pageTurns(file, variant string, truth []int, got *pervichka.Result) []*PageTurn {
	out := make([]*PageTurn, 0, len(truth))
	for k, want := range truth {
		p := &PageTurn{File: filepath.Base(file), Variant: variant, Page: k + 1, Truth: want}
		switch {
		case got.Error != nil || k >= got.Pages:
			p.Failed = true
		case k < len(got.PageTurns):
			p.Engine = got.PageTurns[k]
		}
		out = append(out, p)
	}
	return out
}

// FileScore is the verdict on one file of a real set.
type FileScore struct {
	File    string `json:"file"`
	Variant string `json:"variant"`
	Fields  int    `json:"fields"`
	Right   int    `json:"right"`
	KeyOK   bool   `json:"key_ok"`
	// Bank is "ok" or "wrong" when the truth has a bank block, else "".
	Bank     string `json:"bank,omitempty"`
	Approved bool   `json:"auto_approved"`
	// Silent is an auto-approval with a wrong key field.
	Silent  bool     `json:"silent"`
	Failed  bool     `json:"failed"`
	Reasons []string `json:"review_reasons,omitempty"`
	Diffs   []Diff   `json:"wrong,omitempty"`
}

// Group returns the group for variant and docType, or nil.
func (r *Report) Group(variant, docType string) *Group {
	for _, g := range r.Groups {
		if g.Variant == variant && g.DocType == docType {
			return g
		}
	}
	return nil
}

// Score matches results to the truth by file name (the base name of
// Result.File against each truth variant's file) and aggregates per variant
// and per document type. A variant file without a result counts as failed.
//
// own lists our companies (the corpus's companies.json); nil means every
// document counts as ours.
func Score(name string, truth []corpus.Truth, results []pervichka.Result, own []pervichka.Party) *Report {
	rel := ScoreReliability(truth, results)
	return score(name, truth, results, own, rel, func(_ *corpus.Truth, want, got *pervichka.Result) Comparison {
		return Compare(want, got)
	}, false)
}

// ScoreReal scores a real set like Score, with its items scored by count
// (CompareReal), and lists every file with what was read wrong.
func ScoreReal(name string, set *RealSet, results []pervichka.Result, own []pervichka.Party) *Report {
	rel := ScoreReliability(set.Truth, results, RealUnlabelled...)
	return score(name, set.Truth, results, own, rel, func(t *corpus.Truth, want, got *pervichka.Result) Comparison {
		return CompareReal(want, got, set.LineCount[t.ID])
	}, true)
}

func score(name string, truth []corpus.Truth, results []pervichka.Result, own []pervichka.Party, rel *Reliability,
	compare func(t *corpus.Truth, want, got *pervichka.Result) Comparison, perFile bool) *Report {
	rep := &Report{Name: name, Reliability: rel}
	byFile := make(map[string]*pervichka.Result, len(results))
	for i := range results {
		byFile[filepath.Base(results[i].File)] = &results[i]
	}
	groups := map[[2]string]*Group{}
	get := func(v, t string) *Group {
		k := [2]string{v, t}
		g := groups[k]
		if g == nil {
			g = &Group{Variant: v, DocType: t, missed: map[string]int{}}
			groups[k] = g
		}
		return g
	}
	for i := range truth {
		want := &truth[i].Result
		variants := make([]string, 0, len(truth[i].Variants))
		for v := range truth[i].Variants {
			variants = append(variants, v)
		}
		sort.Strings(variants)
		for _, v := range variants {
			got, ok := byFile[filepath.Base(truth[i].Variants[v])]
			if !ok {
				got = &pervichka.Result{Error: &pervichka.ErrorInfo{Code: pervichka.CodeIO, Message: "no result"}}
			}
			var c Comparison
			if got.Error != nil {
				c = compare(&truth[i], want, &pervichka.Result{})
				c.Right = 0
				c.KeyOK, c.BankOK = false, false
			} else {
				c = compare(&truth[i], want, got)
			}
			ours := own == nil || hasOwn(want, own)
			turns := pageTurns(truth[i].Variants[v], v, truth[i].Turns[v], got)
			for _, g := range []*Group{get(v, string(want.DocType)), get(v, All), get(All, string(want.DocType)), get(All, All)} {
				g.add(want, got, c, ours)
				g.addTurns(turns)
			}
			for _, p := range turns {
				if !p.Right() {
					rep.Misturned = append(rep.Misturned, p)
				}
			}
			fs := fileScore(truth[i].Variants[v], v, want, got, c)
			if fs.Silent {
				rep.Silent = append(rep.Silent, fs)
			}
			if perFile {
				rep.Files = append(rep.Files, fs)
			}
		}
	}
	for _, g := range groups {
		g.finish()
		rep.Groups = append(rep.Groups, g)
	}
	sort.Slice(rep.Groups, func(i, j int) bool {
		a, b := rep.Groups[i], rep.Groups[j]
		if a.Variant != b.Variant {
			return variantOrder(a.Variant) < variantOrder(b.Variant)
		}
		return docTypeOrder(a.DocType) < docTypeOrder(b.DocType)
	})
	return rep
}

func fileScore(file, variant string, want, got *pervichka.Result, c Comparison) *FileScore {
	f := &FileScore{
		File: filepath.Base(file), Variant: variant, Fields: c.Fields, Right: c.Right,
		KeyOK: c.KeyOK, Failed: got.Error != nil, Reasons: got.ReviewReasons, Diffs: c.Diffs,
	}
	if want.SupplierBank != nil {
		f.Bank = "wrong"
		if c.BankOK {
			f.Bank = "ok"
		}
	}
	if got.Error == nil && !got.NeedsReview {
		f.Approved = true
		f.Silent = !c.KeyOK
	}
	if got.Error != nil {
		f.Reasons = []string{string(got.Error.Code) + ": " + got.Error.Message}
	}
	return f
}

func hasOwn(r *pervichka.Result, own []pervichka.Party) bool {
	for _, p := range own {
		if p.INN != "" && (p.INN == r.Supplier.INN || p.INN == r.Buyer.INN) {
			return true
		}
	}
	return false
}

func (g *Group) add(want, got *pervichka.Result, c Comparison, ours bool) {
	g.Docs++
	if ours {
		g.OwnDocs++
	}
	pages := want.Pages
	if got.Pages > 0 {
		pages = got.Pages
	}
	g.Pages += max(pages, 1)
	g.fields += c.Fields
	g.right += c.Right
	if got.Error != nil {
		g.Failed++
		return
	}
	for _, ms := range got.TimingsMS {
		g.ms += ms
	}
	for _, p := range c.Wrong {
		g.missed[genericPath(p)]++
	}
	if c.KeyOK {
		g.docOK++
	}
	if !got.NeedsReview {
		g.auto++
		if ours {
			g.autoOwn++
		}
		if !c.KeyOK {
			g.SilentErrors++
		}
	}
}

func (g *Group) addTurns(turns []*PageTurn) {
	for _, p := range turns {
		g.TurnPages++
		if p.Right() {
			g.TurnRight++
		}
	}
}

func (g *Group) finish() {
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	g.FieldAccuracy = ratio(g.right, g.fields)
	g.DocOK = ratio(g.docOK, g.Docs)
	g.AutoApproved = ratio(g.auto, g.Docs)
	g.AutoOwn = ratio(g.autoOwn, g.OwnDocs)
	g.SilentRate = ratio(g.SilentErrors, g.Docs)
	if g.Pages > 0 {
		g.SecondsPerPage = float64(g.ms) / 1000 / float64(g.Pages)
	}
	if g.TurnPages > 0 {
		o := ratio(g.TurnRight, g.TurnPages)
		g.Orient = &o
	}
	for f, n := range g.missed {
		g.MostMissed = append(g.MostMissed, FieldCount{f, n})
	}
	sort.Slice(g.MostMissed, func(i, j int) bool {
		a, b := g.MostMissed[i], g.MostMissed[j]
		if a.Wrong != b.Wrong {
			return a.Wrong > b.Wrong
		}
		return a.Field < b.Field
	})
	if len(g.MostMissed) > 5 {
		g.MostMissed = g.MostMissed[:5]
	}
}

var variantNames = []string{"pdf", "scan", "photo", "hard", "photo_real", "scanapp", All}

func variantOrder(v string) int {
	for i, n := range variantNames {
		if n == v {
			return i
		}
	}
	return len(variantNames)
}

func docTypeOrder(t string) int {
	for i, d := range pervichka.DocTypes {
		if string(d) == t {
			return i
		}
	}
	if t == All {
		return len(pervichka.DocTypes) + 1
	}
	return len(pervichka.DocTypes)
}
