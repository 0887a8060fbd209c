package fields

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
	"github.com/pervichka/pervichka/corpus/eval"
	"github.com/pervichka/pervichka/extractors/pdf"
)

// The mutation test of the approval gate (issue 13, item 4): OCR faults
// injected into the word streams of the committed corpus, no OCR needed.
// Whatever the fault, a document may go to a clerk, but none may be
// auto-approved with a wrong key field.
//
// The streams (testdata/mutation/streams.json.gz) are the committed
// corpus's born-digital text layers, turned into OCR streams (source
// "ocr", word confidence 0.96: the gate gets nothing from a text layer),
// and the words real Tesseract read on some of its scans and photos
// (`pervichka extract --debug-dir`). Rewrite them with
//
//	go test -run TestMutationGate -mutation-streams /tmp/dbg ./extractors/fields
//
// where /tmp/dbg holds *.words.json of the committed corpus.
//
// The second reading the gate asks for reads the unmutated words of the
// box: an OCR fault of the first reading that a crop at another scale does
// not repeat. Faults of the layout (a lost line, a shifted column) are in
// both readings. A fault both readings make in a field no check guards
// (a document number) cannot be caught by any gate; the soak on unseen
// seeds measures how often real OCR does that.
var mutationStreams = flag.String("mutation-streams", "", "rewrite testdata/mutation/streams.json.gz from the committed corpus PDFs and the OCR words in this debug directory")

// mutationDump names a directory where each wrongly approved mutated
// document is written (its pages and the second reading's), to replay.
var mutationDump = flag.String("mutation-dump", "", "write each wrongly approved mutated document's pages as JSON into this directory")

var mutationNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// mutationShort and mutationLong are how many mutations the short test and
// the long soak apply (issue 13: thousands, at least 10,000 in the long).
const (
	mutationShort = 400
	mutationLong  = 10000
)

// stream is one document's words as stored.
type stream struct {
	File  string       `json:"file"`
	Pages []streamPage `json:"pages"`
}

type streamPage struct {
	W, H  int
	Src   pervichka.TextSource
	Words [][6]any // text, x0, y0, x1, y1, conf×100
}

func (p streamPage) page(i int) pervichka.Page {
	pg := pervichka.Page{Index: i, Width: p.W, Height: p.H, Source: p.Src}
	for _, w := range p.Words {
		n := func(k int) int { return int(w[k].(float64)) }
		pg.Words = append(pg.Words, pervichka.Word{Text: w[0].(string), Box: pervichka.Rect{X0: n(1), Y0: n(2), X1: n(3), Y1: n(4)}, Conf: w[5].(float64) / 100})
	}
	return pg
}

func toStream(file string, pages []pervichka.Page) stream {
	s := stream{File: file}
	for _, p := range pages {
		sp := streamPage{W: p.Width, H: p.Height, Src: pervichka.SourceOCR}
		for _, w := range p.Words {
			c := w.Conf
			if p.Source == pervichka.SourcePDFText {
				c = 0.96
			}
			sp.Words = append(sp.Words, [6]any{w.Text, w.Box.X0, w.Box.Y0, w.Box.X1, w.Box.Y1, float64(int(c * 100))})
		}
		s.Pages = append(s.Pages, sp)
	}
	return s
}

const streamsPath = "testdata/mutation/streams.json.gz"

func writeStreams(t *testing.T, dbg string) {
	root := "../../testdata/corpus"
	truth, err := corpus.ReadTruth(filepath.Join(root, corpus.TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	var out []stream
	for _, tr := range truth {
		f := tr.Variants["pdf"]
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		pp, err := pdf.Pages(context.Background(), b, pervichka.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		var pages []pervichka.Page
		for _, p := range pp {
			if p.Text != nil {
				pages = append(pages, *p.Text)
			}
		}
		out = append(out, toStream(f, pages))
	}
	paths, _ := filepath.Glob(filepath.Join(dbg, "*.words.json"))
	byFile := map[string][]pervichka.Page{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var pg pervichka.Page
		if err := json.Unmarshal(b, &pg); err != nil {
			t.Fatal(err)
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
		out = append(out, toStream(f, pages))
	}
	if err := os.MkdirAll(filepath.Dir(streamsPath), 0o755); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Create(streamsPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(fh)
	if err := json.NewEncoder(zw).Encode(out); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
}

func readStreams(t testing.TB) []stream {
	fh, err := os.Open(streamsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	var out []stream
	if err := json.NewDecoder(zr).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// mutationCase is one stream with its truth, ready to mutate.
type mutationCase struct {
	file  string
	pages []pervichka.Page
	want  *pervichka.Result
}

func mutationCases(t testing.TB) ([]mutationCase, []pervichka.Party) {
	root := "../../testdata/corpus"
	truth, err := corpus.ReadTruth(filepath.Join(root, corpus.TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(filepath.Join(root, corpus.CompaniesFile))
	if err != nil {
		t.Fatal(err)
	}
	own, err := pervichka.ReadCompanies(fh)
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*pervichka.Result{}
	for i := range truth {
		for _, f := range truth[i].Variants {
			want[f] = &truth[i].Result
		}
	}
	var cs []mutationCase
	for _, s := range readStreams(t) {
		w := want[s.File]
		if w == nil {
			t.Fatalf("%s: no truth", s.File)
		}
		c := mutationCase{file: s.File, want: w}
		for i, p := range s.Pages {
			c.pages = append(c.pages, p.page(i))
		}
		cs = append(cs, c)
	}
	return cs, own
}

// A mutation changes the pages of one document. layout says the fault is in
// what both readings see (the second reading reads the mutated pages).
type mutation struct {
	name   string
	layout bool
	apply  func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool
}

// keyValueWords returns the (page, word) places whose text holds a piece of
// a key value of want: the digits of the ИНН, total, VAT, number, date.
func keyValueWords(pages []pervichka.Page, want *pervichka.Result) [][2]int {
	var keys []string
	for _, v := range []pervichka.Text{want.Supplier.INN, want.Buyer.INN, want.Number} {
		if v != "" {
			keys = append(keys, string(v))
		}
	}
	for _, v := range []pervichka.Text{want.Total, want.VATAmount} {
		if v != "" {
			// «14 500,00» prints as «14», «500,00»: the group with the
			// kopecks identifies the amount.
			whole, frac, _ := strings.Cut(string(v), ".")
			if len(whole) > 3 {
				keys = append(keys, whole[len(whole)-3:]+","+frac)
			}
			keys = append(keys, whole+","+frac)
		}
	}
	if d, err := time.Parse("2006-01-02", string(want.Date)); err == nil {
		keys = append(keys, d.Format("02.01.2006"), d.Format("2006"))
	}
	var out [][2]int
	for pi, p := range pages {
		for wi, w := range p.Words {
			for _, k := range keys {
				if len(k) >= 3 && strings.Contains(w.Text, k) || strings.Contains(k, w.Text) && len(w.Text) >= 4 {
					out = append(out, [2]int{pi, wi})
					break
				}
			}
		}
	}
	return out
}

// pick returns a random key-value word, or a random word with a digit.
func pick(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result, needDigit bool) (int, int, bool) {
	places := keyValueWords(pages, want)
	if len(places) == 0 || r.IntN(5) == 0 {
		for range 50 {
			pi := r.IntN(len(pages))
			if len(pages[pi].Words) == 0 {
				continue
			}
			wi := r.IntN(len(pages[pi].Words))
			if !needDigit || strings.ContainsFunc(pages[pi].Words[wi].Text, unicode.IsDigit) {
				return pi, wi, true
			}
		}
		if len(places) == 0 {
			return 0, 0, false
		}
	}
	for range 20 {
		p := places[r.IntN(len(places))]
		if !needDigit || strings.ContainsFunc(pages[p[0]].Words[p[1]].Text, unicode.IsDigit) {
			return p[0], p[1], true
		}
	}
	return 0, 0, false
}

func digitPositions(s []rune, ok func(rune) bool) []int {
	var out []int
	for i, c := range s {
		if ok(c) {
			out = append(out, i)
		}
	}
	return out
}

var digitConfusions = map[rune]rune{'3': '8', '8': '3', '5': '6', '6': '5', '1': '7', '7': '1', '0': '8', '4': '9', '9': '4'}

var cyrToLatin = map[rune]rune{'А': 'A', 'В': 'B', 'С': 'C', 'Е': 'E', 'Н': 'H', 'К': 'K', 'М': 'M', 'О': 'O', 'Р': 'P', 'Т': 'T', 'Х': 'X', 'а': 'a', 'с': 'c', 'е': 'e', 'о': 'o', 'р': 'p', 'х': 'x', 'у': 'y'}

var mutations = []mutation{
	{name: "digit swap", apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		pi, wi, ok := pick(r, pages, want, true)
		if !ok {
			return false
		}
		w := &pages[pi].Words[wi]
		rs := []rune(w.Text)
		pos := digitPositions(rs, func(c rune) bool { _, ok := digitConfusions[c]; return ok })
		if len(pos) == 0 {
			return false
		}
		i := pos[r.IntN(len(pos))]
		rs[i] = digitConfusions[rs[i]]
		w.Text = string(rs)
		return true
	}},
	{name: "dropped digit", apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		pi, wi, ok := pick(r, pages, want, true)
		if !ok {
			return false
		}
		w := &pages[pi].Words[wi]
		rs := []rune(w.Text)
		pos := digitPositions(rs, unicode.IsDigit)
		i := pos[r.IntN(len(pos))]
		w.Text = string(append(rs[:i:i], rs[i+1:]...))
		return w.Text != ""
	}},
	{name: "doubled digit", apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		pi, wi, ok := pick(r, pages, want, true)
		if !ok {
			return false
		}
		w := &pages[pi].Words[wi]
		rs := []rune(w.Text)
		pos := digitPositions(rs, unicode.IsDigit)
		i := pos[r.IntN(len(pos))]
		w.Text = string(rs[:i+1]) + string(rs[i:])
		return true
	}},
	{name: "lost thousands group", apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		// «1 424 000,00» read as «1 000,00»: a group word of an amount
		// printed in groups is lost, or a run-together amount loses three
		// digits before its last group.
		pi, wi, ok := pick(r, pages, want, true)
		if !ok {
			return false
		}
		ws := pages[pi].Words
		w := ws[wi]
		if wi > 0 && isGroup(ws[wi-1].Text) && (isGroup(w.Text) || strings.Contains(w.Text, ",")) {
			pages[pi].Words = append(ws[:wi-1:wi-1], ws[wi:]...)
			return true
		}
		whole, frac, hasFrac := strings.Cut(w.Text, ",")
		if !hasFrac || len(whole) < 4 || strings.ContainsFunc(whole, func(c rune) bool { return !unicode.IsDigit(c) }) {
			return false
		}
		if len(whole) >= 7 {
			ws[wi].Text = whole[:len(whole)-6] + whole[len(whole)-3:] + "," + frac
		} else {
			ws[wi].Text = whole[len(whole)-3:] + "," + frac
		}
		return true
	}},
	{name: "latin look-alikes", apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		pi, wi, ok := pick(r, pages, want, false)
		if !ok || r.IntN(2) == 0 {
			// Half the time a label or name word anywhere.
			pi = r.IntN(len(pages))
			if len(pages[pi].Words) == 0 {
				return false
			}
			wi = r.IntN(len(pages[pi].Words))
		}
		w := &pages[pi].Words[wi]
		changed := false
		w.Text = strings.Map(func(c rune) rune {
			if l, ok := cyrToLatin[c]; ok && r.IntN(2) == 0 {
				changed = true
				return l
			}
			return c
		}, w.Text)
		return changed
	}},
	{name: "OCR debris", apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		// «C®-2647» for «СФ-2647»: a letter read as a symbol.
		pi, wi, ok := pick(r, pages, want, false)
		if !ok {
			return false
		}
		w := &pages[pi].Words[wi]
		rs := []rune(w.Text)
		i := r.IntN(len(rs))
		rs[i] = []rune("®©|«»")[r.IntN(5)]
		w.Text = string(rs)
		return true
	}},
	{name: "label glued to value", apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		pi, wi, ok := pick(r, pages, want, false)
		if !ok || wi == 0 {
			return false
		}
		ws := pages[pi].Words
		prev, w := ws[wi-1], ws[wi]
		if prev.Box.Y1 < w.Box.Y0 || w.Box.Y1 < prev.Box.Y0 {
			return false // not on one line
		}
		ws[wi-1] = pervichka.Word{Text: prev.Text + w.Text, Box: prev.Box.Union(w.Box), Conf: min(prev.Conf, w.Conf)}
		pages[pi].Words = append(ws[:wi:wi], ws[wi+1:]...)
		return true
	}},
	{name: "lost line", layout: true, apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		pi, wi, ok := pick(r, pages, want, false)
		if !ok {
			return false
		}
		ws := pages[pi].Words
		y := (ws[wi].Box.Y0 + ws[wi].Box.Y1) / 2
		kept := ws[:0:0]
		for _, w := range ws {
			if w.Box.Y0 <= y && y <= w.Box.Y1 {
				continue
			}
			kept = append(kept, w)
		}
		pages[pi].Words = kept
		return len(kept) < len(ws)
	}},
	{name: "shifted table column", layout: true, apply: func(r *rand.Rand, pages []pervichka.Page, want *pervichka.Result) bool {
		// The words of one column (those overlapping the picked word's
		// x-range, below the title) move down by one line: every cell
		// lands in the next row.
		pi, wi, ok := pick(r, pages, want, true)
		if !ok {
			return false
		}
		ws := pages[pi].Words
		c := ws[wi].Box
		pitch := c.Dy() * 3 / 2
		n := 0
		for i := range ws {
			b := ws[i].Box
			if b.X0 < c.X1 && c.X0 < b.X1 && b.Y0 > pages[pi].Height/6 {
				ws[i].Box.Y0 += pitch
				ws[i].Box.Y1 += pitch
				n++
			}
		}
		return n > 1
	}},
}

func isGroup(s string) bool {
	return len(s) >= 1 && len(s) <= 3 && !strings.ContainsFunc(s, func(c rune) bool { return !unicode.IsDigit(c) })
}

func clonePages(pages []pervichka.Page) []pervichka.Page {
	out := make([]pervichka.Page, len(pages))
	for i, p := range pages {
		p.Words = append([]pervichka.Word(nil), p.Words...)
		out[i] = p
	}
	return out
}

// mutationOutcome counts what the mutations did.
type mutationOutcome struct {
	applied, onApproved, stillApproved, wrongApproved int
	byName                                            map[string]int
	wrong                                             []string
}

// runMutations applies n mutations, spread over the cases and the kinds of
// fault, with a fixed seed.
func runMutations(t testing.TB, n int, seed uint64) mutationOutcome {
	cs, own := mutationCases(t)
	cfg := Config{Own: own, Now: mutationNow}
	approved := make([]bool, len(cs))
	for i, c := range cs {
		res := Extract(context.Background(), c.pages, cfg, pageRereader{pages: c.pages, conf: 0.95})
		approved[i] = !res.NeedsReview
		if !res.NeedsReview && !eval.Compare(c.want, &res).KeyOK {
			t.Errorf("%s: approved unmutated with a wrong key field: %v", c.file, eval.Compare(c.want, &res).Wrong)
		}
	}
	r := rand.New(rand.NewPCG(seed, 13))
	out := mutationOutcome{byName: map[string]int{}}
	for tries := 0; out.applied < n && tries < 20*n; tries++ {
		ci := r.IntN(len(cs))
		c := cs[ci]
		m := mutations[r.IntN(len(mutations))]
		pages := clonePages(c.pages)
		// One to three faults of the kind on the same document.
		k := 1 + r.IntN(3)
		applied := false
		for range k {
			applied = m.apply(r, pages, c.want) || applied
		}
		if !applied {
			continue
		}
		out.applied++
		out.byName[m.name]++
		second := c.pages
		if m.layout {
			second = pages
		}
		res := Extract(context.Background(), pages, cfg, pageRereader{pages: second, conf: 0.95})
		if approved[ci] {
			out.onApproved++
		}
		if res.NeedsReview {
			continue
		}
		out.stillApproved++
		if cmp := eval.Compare(c.want, &res); !cmp.KeyOK {
			out.wrongApproved++
			if d := *mutationDump; d != "" {
				b, _ := json.Marshal(map[string]any{"file": c.file, "mutation": m.name, "pages": pages, "second": second})
				_ = os.WriteFile(filepath.Join(d, fmt.Sprintf("%s-%d.json", c.file, out.applied)), b, 0o644)
			}
			if len(out.wrong) < 20 {
				out.wrong = append(out.wrong, fmt.Sprintf("%s / %s: wrong %v, evidence %v", c.file, m.name, cmp.Wrong, res.Evidence))
			}
		}
	}
	return out
}

// TestMutationGate: a short run of the mutation test in every `go test`.
func TestMutationGate(t *testing.T) {
	if *mutationStreams != "" {
		writeStreams(t, *mutationStreams)
	}
	t.Parallel()
	checkMutations(t, mutationShort, 1)
}

// TestMutationGateSoak is the long run (issue 13: ≥ 10,000 mutations),
// skipped under -short.
func TestMutationGateSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the long mutation soak runs without -short")
	}
	t.Parallel()
	checkMutations(t, mutationLong, 2)
}

func checkMutations(t *testing.T, n int, seed uint64) {
	// Two halves with seeds of their own, at once: the cores, not the
	// gate, bound the long run.
	var halves [2]mutationOutcome
	var wg sync.WaitGroup
	for i := range halves {
		wg.Go(func() { halves[i] = runMutations(t, n/2, seed*1000+uint64(i)) })
	}
	wg.Wait()
	o := mutationOutcome{byName: map[string]int{}}
	for _, h := range halves {
		o.applied += h.applied
		o.onApproved += h.onApproved
		o.stillApproved += h.stillApproved
		o.wrongApproved += h.wrongApproved
		o.wrong = append(o.wrong, h.wrong...)
		for k, v := range h.byName {
			o.byName[k] += v
		}
	}
	t.Logf("%d mutations (%d on documents approved unmutated): %d still approved, %d approved with a wrong key field; by kind %v",
		o.applied, o.onApproved, o.stillApproved, o.wrongApproved, o.byName)
	if o.applied < n/2*2 {
		t.Errorf("only %d of %d mutations applied", o.applied, n)
	}
	for _, w := range o.wrong {
		t.Error(w)
	}
	if o.wrongApproved > 0 {
		t.Errorf("%d mutated documents auto-approved with a wrong key field", o.wrongApproved)
	}
	// The test means something only if the gate lets right documents
	// through: most unmutated streams must be approved.
	if o.onApproved < o.applied/3 {
		t.Errorf("only %d of %d mutations hit a document approved unmutated", o.onApproved, o.applied)
	}
}
