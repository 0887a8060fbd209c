package imageprep

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"github.com/disintegration/imaging"
	"github.com/pervichka/pervichka/extractors/tesseract"
)

// TestCorpusRecall measures, on the committed corpus (testdata/corpus),
// the share of the born-digital page's tokens (runs of letters or digits,
// counted as a multiset) that the real tesseract pool finds after Enhance,
// for each rescale setting in recallVariants. Photos and hard photos are
// page 1 of their document; scans are rendered at 300 dpi and given
// SourceDPI. Slow (one OCR per file and setting): IMAGEPREP_CORPUS_RECALL=1
// only. IMAGEPREP_RECALL_FILES takes comma-separated file name prefixes
// (e.g. "005-upd-photo,007-upd-scan"), IMAGEPREP_RECALL_VARIANTS variant
// names; both default to all.
func TestCorpusRecall(t *testing.T) {
	if os.Getenv("IMAGEPREP_CORPUS_RECALL") == "" {
		t.Skip("set IMAGEPREP_CORPUS_RECALL=1 to measure OCR token recall on testdata/corpus")
	}
	dir := filepath.Join("..", "..", "testdata", "corpus")
	files, err := recallFiles(dir, os.Getenv("IMAGEPREP_RECALL_FILES"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	want := os.Getenv("IMAGEPREP_RECALL_VARIANTS")
	saved, savedStretch := rescaleParams, stretchParams
	defer func() { rescaleParams, stretchParams = saved, savedStretch }()

	var b strings.Builder
	fmt.Fprintf(&b, "\n| variant | kind | files | tokens | digits | digits≥5 | OCR cpu-s | enhance s | out MP |\n|---|---|---|---|---|---|---|---|---|")
	for _, v := range recallVariants {
		if want != "" && !slices.Contains(strings.Split(want, ","), v.name) {
			continue
		}
		rescaleParams, stretchParams = v.tune, v.stretch
		type acc struct{ n, tok, dig, num, cpu, enh, mp float64 }
		sums := map[string]*acc{}
		for _, f := range files {
			img, dpi, err := f.load()
			if err != nil {
				t.Fatal(err)
			}
			t0 := time.Now()
			opt := Options{Orienter: pool, SourceDPI: dpi}
			if testing.Verbose() && os.Getenv("IMAGEPREP_RECALL_DEBUG") != "" {
				opt.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
			}
			out, err := Enhance(ctx, img, opt)
			if err != nil {
				t.Fatal(err)
			}
			enh := time.Since(t0) - out.Timings[StepOrient]
			c0 := cpuTime()
			words, err := pool.Words(ctx, out.Image, out.DPI)
			if err != nil {
				t.Fatal(err)
			}
			cpu := (cpuTime() - c0).Seconds()
			if d := os.Getenv("IMAGEPREP_DUMP"); d != "" {
				if err := imaging.Save(out.Image, filepath.Join(d, v.name+"-"+strings.TrimSuffix(f.name, filepath.Ext(f.name))+".png")); err != nil {
					t.Fatal(err)
				}
			}
			var text []string
			for _, w := range words {
				text = append(text, w.Text)
			}
			got := tokenize(strings.Join(text, " "))
			tok, dig, num := tokenRecall(f.truth, got)
			mp := float64(out.Image.Rect.Dx()*out.Image.Rect.Dy()) / 1e6
			t.Logf("%s %s: tokens %.3f digits %.3f num %.3f cpu %.2fs enh %.2fs %.1f MP dpi %d applied %v",
				v.name, f.name, tok, dig, num, cpu, enh.Seconds(), mp, out.DPI, out.Applied)
			for _, k := range []string{f.kind, f.kind + "/" + f.shape} {
				a := sums[k]
				if a == nil {
					a = &acc{}
					sums[k] = a
				}
				a.n++
				a.tok += tok
				a.dig += dig
				a.num += num
				a.cpu += cpu
				a.enh += enh.Seconds()
				a.mp += mp
			}
		}
		keys := make([]string, 0, len(sums))
		for k := range sums {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			a := sums[k]
			fmt.Fprintf(&b, "\n| %s | %s | %.0f | %.3f | %.3f | %.3f | %.2f | %.2f | %.1f |",
				v.name, k, a.n, a.tok/a.n, a.dig/a.n, a.num/a.n, a.cpu/a.n, a.enh/a.n, a.mp/a.n)
		}
	}
	t.Log(b.String())
}

// recallVariants are the rescale settings TestCorpusRecall compares.
var recallVariants = []struct {
	name    string
	tune    rescaleTuning
	stretch stretchTuning
}{
	{"base24x3", rescaleTuning{target: 24, maxUp: 3}, stretchTuning{}},
	{"t20x3", rescaleTuning{target: 20, maxUp: 3}, stretchTuning{}},
	{"t28x4", rescaleTuning{target: 28, maxUp: 4}, stretchTuning{}},
	{"t32x4", rescaleTuning{target: 32, maxUp: 4}, stretchTuning{}},
	{"base24x3+usm", rescaleTuning{target: 24, maxUp: 3, sharpen: 0.6}, stretchTuning{}},
	{"soft95", rescaleTuning{target: 24, maxUp: 3}, stretchTuning{white: 0.95, maxBlack: 0.12}},
	{"soft95+usm", rescaleTuning{target: 24, maxUp: 3, sharpen: 0.6}, stretchTuning{white: 0.95, maxBlack: 0.12}},
	{"white92", rescaleTuning{target: 24, maxUp: 3}, stretchTuning{white: 0.92, maxBlack: 0.5}},
	{"soft92+usm", rescaleTuning{target: 24, maxUp: 3, sharpen: 0.6}, stretchTuning{white: 0.92, maxBlack: 0.12}},
	{"white95", rescaleTuning{target: 24, maxUp: 3}, stretchTuning{white: 0.95, maxBlack: 0.5}},
	{"soft95+usm1", rescaleTuning{target: 24, maxUp: 3, sharpen: 1}, stretchTuning{white: 0.95, maxBlack: 0.12}},
	{"committed", rescaleParams, stretchParams},
}

type recallFile struct {
	name, path  string
	kind, shape string         // photo/hard/scan; landscape/portrait of the truth page
	truth       map[string]int // born-digital page tokens
}

func (f recallFile) load() (image.Image, float64, error) {
	if strings.HasSuffix(f.path, ".jpg") {
		img, err := imaging.Open(f.path)
		return img, 0, err
	}
	out, err := exec.Command("pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", f.path).Output()
	if err != nil {
		return nil, 0, fmt.Errorf("render %s: %w", f.path, err)
	}
	img, err := imaging.Decode(bytes.NewReader(out))
	return img, 300, err
}

func recallFiles(dir, prefixes string) ([]recallFile, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*-*-*"))
	if err != nil {
		return nil, err
	}
	var files []recallFile
	for _, p := range names {
		base := filepath.Base(p)
		var kind string
		switch {
		case strings.HasSuffix(base, "-photo.jpg"):
			kind = "photo"
		case strings.HasSuffix(base, "-hard.jpg"):
			kind = "hard"
		case strings.HasSuffix(base, "-scan.pdf"):
			kind = "scan"
		default:
			continue
		}
		if prefixes != "" && !slices.ContainsFunc(strings.Split(prefixes, ","), func(s string) bool { return strings.HasPrefix(base, s) }) {
			continue
		}
		src := base[:strings.LastIndex(base, "-")] + ".pdf"
		txt, err := exec.Command("pdftotext", "-layout", "-f", "1", "-l", "1", filepath.Join(dir, src), "-").Output()
		if err != nil {
			return nil, fmt.Errorf("pdftotext %s: %w", src, err)
		}
		shape := "portrait"
		info, err := exec.Command("pdfinfo", filepath.Join(dir, src)).Output()
		if err != nil {
			return nil, fmt.Errorf("pdfinfo %s: %w", src, err)
		}
		for _, l := range strings.Split(string(info), "\n") {
			if f := strings.Fields(l); len(f) >= 5 && f[0] == "Page" && f[1] == "size:" {
				w, _ := strconv.ParseFloat(f[2], 64)
				h, _ := strconv.ParseFloat(f[4], 64)
				if w > h {
					shape = "landscape"
				}
			}
		}
		files = append(files, recallFile{name: base, path: p, kind: kind, shape: shape, truth: tokenize(string(txt))})
	}
	return files, nil
}

// tokenize counts the runs of letters or digits in s, lower-cased, ё as е.
func tokenize(s string) map[string]int {
	m := map[string]int{}
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		m[strings.ReplaceAll(strings.ToLower(t), "ё", "е")]++
	}
	return m
}

// tokenRecall is the multiset share of truth found in got: over all
// tokens, over all-digit tokens and over all-digit tokens of 5+ digits
// (ИНН, КПП, accounts, amounts without separators).
func tokenRecall(truth, got map[string]int) (all, digits, long float64) {
	var n, hit, dn, dhit, ln, lhit int
	for t, c := range truth {
		h := min(c, got[t])
		n, hit = n+c, hit+h
		if strings.IndexFunc(t, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
			dn, dhit = dn+c, dhit+h
			if len(t) >= 5 {
				ln, lhit = ln+c, lhit+h
			}
		}
	}
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 1
		}
		return float64(a) / float64(b)
	}
	return ratio(hit, n), ratio(dhit, dn), ratio(lhit, ln)
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
