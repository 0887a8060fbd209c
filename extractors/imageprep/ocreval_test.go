package imageprep

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TestOCRGain measures character error rate and number recall of the
// tesseract CLI on synthetic photos and scans, raw and enhanced with every
// step on and with each step off. It takes minutes, so it runs only with
// IMAGEPREP_OCR_EVAL=1 (it prints the table; regressions show there).
func TestOCRGain(t *testing.T) {
	if os.Getenv("IMAGEPREP_OCR_EVAL") == "" {
		t.Skip("set IMAGEPREP_OCR_EVAL=1 to run tesseract over synthetic pages")
	}
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("no tesseract")
	}
	type sample struct {
		name string
		img  image.Image
		text string
		dpi  float64
	}
	var samples []sample
	variants := []func(photoParams) photoParams{
		func(p photoParams) photoParams { return p },
		func(p photoParams) photoParams { p.long, p.quality, p.tilt = 1280, 80, -4; return p },
		func(p photoParams) photoParams { p.quality, p.persp, p.pageFrac = 50, 0.07, 0.7; return p },
		func(p photoParams) photoParams { p.long, p.quality, p.fontPx = 1280, 55, 22; return p }, // 8-pt table text
		func(p photoParams) photoParams { p.shadow, p.stamp, p.long = false, false, 1600; return p },
		func(p photoParams) photoParams { p.rotateQuad = 1; return p },
	}
	if s := os.Getenv("IMAGEPREP_OCR_EVAL_N"); s != "" {
		n, _ := strconv.Atoi(s)
		variants = variants[:min(n, len(variants))]
	}
	for i, v := range variants {
		pp := v(defaultPhoto(uint64(100 + i)))
		if q, _ := strconv.Atoi(os.Getenv("IMAGEPREP_OCR_EVAL_Q")); q > 0 {
			pp.quality = q
		}
		ph := makePhoto(t, pp)
		samples = append(samples, sample{fmt.Sprintf("photo%d", i), ph.img, ph.text, 0})
	}
	scan, text := makeScan(t, 200, 1.2)
	samples = append(samples, sample{"scan", scan, text, 200})

	configs := []string{"raw", "all"}
	for _, s := range Steps {
		configs = append(configs, "-"+s)
	}
	if s := os.Getenv("IMAGEPREP_OCR_EVAL_CONFIGS"); s != "" {
		configs = strings.Split(s, ",")
	}
	dir := t.TempDir()
	type cell struct{ cer, recall float64 }
	res := map[string]map[string]cell{}
	var ocrTime, prepTime time.Duration
	for _, s := range samples {
		res[s.name] = map[string]cell{}
		for _, c := range configs {
			var img image.Image = s.img
			dpi := 0
			if c != "raw" {
				opt := Options{SourceDPI: s.dpi, Orienter: cliOrienter{dir: dir}, Disabled: map[string]bool{}}
				for _, d := range strings.Split(c, "+") {
					if strings.HasPrefix(d, "-") {
						opt.Disabled[d[1:]] = true
					}
				}
				t0 := time.Now()
				out, err := Enhance(context.Background(), s.img, opt)
				if err != nil {
					t.Fatal(err)
				}
				if c == "all" {
					bp := &enhancer{}
					bp.convert(s.img, false)
					t.Logf("%s: blockiness %.2f", s.name, bp.stats.blockiness)
					prepTime += time.Since(t0) - out.Timings[StepOrient]
					t.Logf("%s: applied %v dpi %d size %v", s.name, out.Applied, out.DPI, out.Image.Rect.Size())
				}
				img, dpi = out.Image, out.DPI
			}
			t0 := time.Now()
			got, err := tesseractText(dir, img, dpi)
			if err != nil {
				t.Fatal(err)
			}
			if c == "all" {
				ocrTime += time.Since(t0)
			}
			res[s.name][c] = cell{cer(s.text, got), numberRecall(s.text, got)}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n| sample |")
	for _, c := range configs {
		fmt.Fprintf(&b, " %s |", c)
	}
	fmt.Fprintf(&b, "\n|---|")
	for range configs {
		fmt.Fprintf(&b, "---|")
	}
	mean := map[string]cell{}
	for _, s := range samples {
		fmt.Fprintf(&b, "\n| %s |", s.name)
		for _, c := range configs {
			v := res[s.name][c]
			fmt.Fprintf(&b, " %.1f%% / %.2f |", 100*v.cer, v.recall)
			m := mean[c]
			m.cer += v.cer / float64(len(samples))
			m.recall += v.recall / float64(len(samples))
			mean[c] = m
		}
	}
	fmt.Fprintf(&b, "\n| mean |")
	for _, c := range configs {
		fmt.Fprintf(&b, " %.1f%% / %.2f |", 100*mean[c].cer, mean[c].recall)
	}
	t.Logf("CER / number recall per configuration:%s", b.String())
	t.Logf("enhance (without OSD) %v, OCR of enhanced %v: %.0f%%", prepTime, ocrTime, 100*prepTime.Seconds()/ocrTime.Seconds())
}

// cliOrienter runs Tesseract OSD through the CLI.
type cliOrienter struct{ dir string }

var rotateRe = regexp.MustCompile(`Rotate: (\d+)`)
var confRe = regexp.MustCompile(`Orientation confidence: ([\d.]+)`)

func (o cliOrienter) Orientation(ctx context.Context, img image.Image) (int, float64, error) {
	f := filepath.Join(o.dir, "osd.png")
	if err := writePNG(f, img); err != nil {
		return 0, 0, err
	}
	cmd := exec.CommandContext(ctx, "tesseract", f, "-", "--psm", "0", "-l", "osd")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		return 0, 0, fmt.Errorf("tesseract osd: %w", err)
	}
	r, c := rotateRe.FindSubmatch(out), confRe.FindSubmatch(out)
	if r == nil || c == nil {
		return 0, 0, fmt.Errorf("tesseract osd: no answer in %q", out)
	}
	deg, _ := strconv.Atoi(string(r[1]))
	raw, _ := strconv.ParseFloat(string(c[1]), 64)
	// The CLI's "Rotate" is the clockwise turn that makes the page upright
	// (what Orienter returns); the raw confidence is mapped to 0..1 as the
	// tesseract package does.
	return deg, raw / (raw + 2), nil
}

func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func tesseractText(dir string, img image.Image, dpi int) (string, error) {
	f := filepath.Join(dir, "page.png")
	if err := writePNG(f, img); err != nil {
		return "", err
	}
	args := []string{f, "-", "-l", "rus+eng"}
	if dpi > 0 {
		args = append(args, "--dpi", strconv.Itoa(dpi))
	}
	cmd := exec.Command("tesseract", args...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("tesseract: %w", err)
	}
	return string(out), nil
}

func normalizeText(s string) []rune {
	var out []rune
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
		}
		space = false
		out = append(out, r)
	}
	return out
}

// cer is the Levenshtein distance between normalised texts divided by the
// length of the truth.
func cer(truth, got string) float64 {
	a, b := normalizeText(truth), normalizeText(got)
	if len(a) == 0 {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return float64(prev[len(b)]) / float64(len(a))
}

var numRe = regexp.MustCompile(`\d[\d,.]{3,}\d`)

// numberRecall is the share of numbers (5+ characters) of the truth found
// verbatim in the OCR text.
func numberRecall(truth, got string) float64 {
	nums := numRe.FindAllString(truth, -1)
	if len(nums) == 0 {
		return 1
	}
	found := 0
	for _, n := range nums {
		if strings.Contains(got, n) {
			found++
		}
	}
	return float64(found) / float64(len(nums))
}
