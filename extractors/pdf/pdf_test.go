package pdf

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
)

func codeOf(err error) pervichka.ErrorCode {
	var e *pervichka.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func mmToPx(mm float64) float64 { return mm / 25.4 * TextDPI }

// lines joins a page's words by their line numbers.
func lines(p *pervichka.Page) []string {
	var out []string
	last := -1
	for _, w := range p.Words {
		if w.Line != last {
			out = append(out, w.Text)
			last = w.Line
			continue
		}
		out[len(out)-1] += " " + w.Text
	}
	return out
}

func assertRequisites(t *testing.T, p *pervichka.Page) {
	t.Helper()
	if p == nil {
		t.Fatal("no text layer")
	}
	if p.Source != pervichka.SourcePDFText || p.Width != 2480 || p.Height != 3508 {
		t.Errorf("page source %q size %d×%d, want pdf_text 2480×3508", p.Source, p.Width, p.Height)
	}
	got := lines(p)
	if len(got) < len(requisites) {
		t.Fatalf("lines %q", got)
	}
	for i, want := range requisites {
		if got[i] != want.text {
			t.Errorf("line %d = %q, want %q", i+1, got[i], want.text)
		}
	}
	// The first word of each line starts at the line's x, and its box holds
	// the baseline.
	seen := map[int]bool{}
	for _, w := range p.Words {
		if w.Conf != 1 {
			t.Fatalf("word %q conf %v", w.Text, w.Conf)
		}
		if seen[w.Line] {
			continue
		}
		seen[w.Line] = true
		l := requisites[len(seen)-1]
		if x := mmToPx(l.x); math.Abs(float64(w.Box.X0)-x) > 3 {
			t.Errorf("%q starts at x=%d px, want %.0f", w.Text, w.Box.X0, x)
		}
		if y := mmToPx(l.y); float64(w.Box.Y0) > y || float64(w.Box.Y1) < y {
			t.Errorf("%q box %v does not hold the baseline y=%.0f px", w.Text, w.Box, y)
		}
		if len(seen) == len(requisites) {
			break
		}
	}
}

func assertRendered300(t *testing.T, p Page) {
	t.Helper()
	if p.Text != nil || p.Image == nil {
		t.Fatalf("text %v image %v", p.Text != nil, p.Image != nil)
	}
	if got := p.Image.Bounds().Size(); got.X < 2478 || got.X > 2482 || got.Y < 3506 || got.Y > 3510 {
		t.Errorf("image %v, want A4 rendered at 300 dpi", got)
	}
	if math.Abs(p.DPI-300) > 0.5 {
		t.Errorf("dpi %.2f, want 300", p.DPI)
	}
}

func TestPages(t *testing.T) {
	scan := scanImage(1240, 1754) // A4 at 150 dpi
	tests := []struct {
		name  string
		in    []byte
		lim   pervichka.Limits
		check func(t *testing.T, pages []Page)
	}{
		{"born-digital requisites", buildPDF(t, pageSpec{text: true}), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			if len(pages) != 1 || pages[0].Image != nil {
				t.Fatalf("pages %+v", pages)
			}
			assertRequisites(t, pages[0].Text)
		}},
		{"image-only page keeps the scan's resolution", buildPDF(t, pageSpec{scan: scan}), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			p := pages[0]
			if p.Text != nil || p.Image == nil {
				t.Fatalf("text %v image %v", p.Text != nil, p.Image != nil)
			}
			if got := p.Image.Bounds().Size(); got != (image.Point{1240, 1754}) {
				t.Errorf("image %v, want the embedded 1240×1754", got)
			}
			if math.Abs(p.DPI-150) > 1 {
				t.Errorf("dpi %.1f, want 150", p.DPI)
			}
		}},
		{"mixed: text page then scan", buildPDF(t, pageSpec{text: true}, pageSpec{scan: scan}), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			if len(pages) != 2 {
				t.Fatalf("%d pages", len(pages))
			}
			assertRequisites(t, pages[0].Text)
			if pages[1].Text != nil || pages[1].Image == nil || pages[1].Index != 1 {
				t.Errorf("page 2: %+v", pages[1])
			}
		}},
		{"vector page without text is rendered at 300 dpi", buildPDF(t, pageSpec{box: true, extra: "стр. 1"}), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			p := pages[0]
			assertRendered300(t, p)
			grey := func(xmm, ymm float64) uint8 {
				return color.GrayModel.Convert(p.Image.At(int(mmToPx(xmm)), int(mmToPx(ymm)))).(color.Gray).Y
			}
			if g := grey(100, 125); g > 20 {
				t.Errorf("inside the black box grey %d", g)
			}
			if g := grey(10, 10); g < 240 {
				t.Errorf("margin grey %d", g)
			}
		}},
		{"scan placed upside down is rendered", buildPDF(t, pageSpec{scan: scan, turn: 180}), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			assertRendered300(t, pages[0])
			// Rendered, the logo block of the scan is at the bottom right.
			grey := func(fx, fy float64) uint8 {
				b := pages[0].Image.Bounds()
				return color.GrayModel.Convert(pages[0].Image.At(int(fx*float64(b.Dx())), int(fy*float64(b.Dy())))).(color.Gray).Y
			}
			if g := grey(0.8, 0.92); g > 100 {
				t.Errorf("no logo at the bottom right: grey %d", g)
			}
		}},
		{"scan under a large drawing is rendered", buildPDF(t, pageSpec{scan: scan, box: true}), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			assertRendered300(t, pages[0])
		}},
		{"scan with a short stamp is a scan", buildPDF(t, pageSpec{scan: scan, extra: "Документ подписан электронной подписью"}), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			if pages[0].Text != nil || pages[0].Image == nil {
				t.Fatalf("text %v image %v", pages[0].Text != nil, pages[0].Image != nil)
			}
		}},
		{"scan with a full text layer is text", buildPDF(t, pageSpec{scan: scan, text: true}), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			assertRequisites(t, pages[0].Text)
		}},
		{"owner password only is read", func() []byte {
			d := newDoc(t)
			d.SetProtection(0, "", "owner")
			addPages(t, d, []pageSpec{{text: true}})
			return output(t, d)
		}(), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			assertRequisites(t, pages[0].Text)
		}},
		{"page turned by /Rotate 90", bytes.Replace(buildPDF(t, pageSpec{text: true}), []byte("/Type /Page\n"), []byte("/Type /Page\n/Rotate 90\n"), 1), pervichka.Limits{}, func(t *testing.T, pages []Page) {
			p := pages[0].Text
			if p == nil {
				t.Fatal("no text")
			}
			if p.Width != 3508 || p.Height != 2480 {
				t.Errorf("page %d×%d, want landscape 3508×2480", p.Width, p.Height)
			}
			for _, w := range p.Words {
				if w.Box.X0 < 0 || w.Box.Y0 < 0 || w.Box.X1 > p.Width || w.Box.Y1 > p.Height {
					t.Fatalf("word %q box %v outside the page", w.Text, w.Box)
				}
			}
			if got := lines(p)[0]; got != requisites[0].text {
				t.Errorf("first line %q", got)
			}
		}},
		{"page over the pixel limit is rendered smaller", buildPDF(t, pageSpec{box: true}), pervichka.Limits{MaxPixels: 1_000_000}, func(t *testing.T, pages []Page) {
			p := pages[0]
			s := p.Image.Bounds().Size()
			if int64(s.X)*int64(s.Y) > 1_000_000 || s.X < 500 {
				t.Errorf("image %v for a 1 Mpx limit", s)
			}
			if want := float64(s.X) * 72 / 595.28; math.Abs(p.DPI-want) > 0.5 || p.DPI > 100 {
				t.Errorf("dpi %.1f, want %.1f (under 100)", p.DPI, want)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages, err := Pages(context.Background(), tt.in, tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range pages {
				if p.Index != i || (p.Text == nil) == (p.Image == nil) {
					t.Fatalf("page %d: index %d, text %v, image %v", i, p.Index, p.Text != nil, p.Image != nil)
				}
			}
			tt.check(t, pages)
		})
	}
}

func TestPagesRefuses(t *testing.T) {
	text := buildPDF(t, pageSpec{text: true})
	encrypted := func() []byte {
		d := newDoc(t)
		d.SetProtection(0, "secret", "owner")
		addPages(t, d, []pageSpec{{text: true}})
		return output(t, d)
	}()
	tests := []struct {
		name string
		in   []byte
		lim  pervichka.Limits
		code pervichka.ErrorCode
	}{
		{"empty", nil, pervichka.Limits{}, pervichka.CodeEmpty},
		{"over byte limit", text, pervichka.Limits{MaxBytes: int64(len(text) - 1)}, pervichka.CodeTooLarge},
		{"user password", encrypted, pervichka.Limits{}, pervichka.CodeEncrypted},
		{"not a pdf", []byte("hello, this is not a PDF at all %%EOF"), pervichka.Limits{}, pervichka.CodeCorrupt},
		{"truncated", text[:len(text)/2], pervichka.Limits{}, pervichka.CodeCorrupt},
		{"header and trailer only", []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), pervichka.Limits{}, pervichka.CodeCorrupt},
		{"too many pages", buildPDF(t, pageSpec{text: true}, pageSpec{text: true}, pageSpec{text: true}), pervichka.Limits{MaxPages: 2}, pervichka.CodeTooManyPages},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages, err := Pages(context.Background(), tt.in, tt.lim)
			if got := codeOf(err); got != tt.code {
				t.Fatalf("err = %v (code %q), want %q", err, got, tt.code)
			}
			if pages != nil {
				t.Error("pages returned with an error")
			}
		})
	}
}

func TestPagesCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Pages(ctx, buildPDF(t, pageSpec{text: true}), pervichka.Limits{}); codeOf(err) != pervichka.CodeCanceled {
		t.Fatalf("pre-canceled: err = %v", err)
	}

	// Forty vector pages take seconds to render; a cancel must end it at once.
	specs := make([]pageSpec, 40)
	for i := range specs {
		specs[i] = pageSpec{box: true}
	}
	doc := buildPDF(t, specs...)
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	_, err := Pages(ctx, doc, pervichka.Limits{})
	if codeOf(err) != pervichka.CodeCanceled {
		t.Fatalf("err = %v, want canceled", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("returned %v after start, %v after the cancel", d, d-300*time.Millisecond)
	}
}

// TestRunKillsProcessGroup shows that a cancel kills what the child started
// too, not just the child.
func TestRunKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := run(ctx, time.Minute, 1024, "sh", "-c", "sleep 30 & echo $! > "+pidFile+"; wait")
		done <- err
	}()
	var grandchild int
	for deadline := time.Now().Add(5 * time.Second); grandchild == 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile(pidFile)
		grandchild, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if grandchild == 0 {
		t.Fatal("the child did not start")
	}
	cancel()
	select {
	case err := <-done:
		if codeOf(err) != pervichka.CodeCanceled {
			t.Fatalf("err = %v, want canceled", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(grandchild) + "/stat")
		if err != nil || strings.Contains(string(stat), ") Z ") {
			break // gone, or a zombie waiting for init
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(grandchild, syscall.SIGKILL)
			t.Fatalf("grandchild %d still running: %s", grandchild, stat)
		}
	}
}

func TestRunLimits(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code pervichka.ErrorCode
	}{
		{"output over the cap", []string{"sh", "-c", "yes"}, pervichka.CodeCorrupt},
		{"timeout", []string{"sleep", "60"}, pervichka.CodeCorrupt},
		{"exit status", []string{"sh", "-c", "echo broken >&2; exit 3"}, ""},
		{"memory limit", []string{"sh", "-c", "ulimit -v | grep -qx " + strconv.Itoa(childMemory>>10)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(context.Background(), 300*time.Millisecond, 1<<16, tt.args[0], tt.args[1:]...)
			switch tt.name {
			case "exit status":
				var child *childError
				if !errors.As(err, &child) || !strings.Contains(child.stderr, "broken") {
					t.Fatalf("err = %v, want a childError with stderr", err)
				}
			case "memory limit":
				if err != nil {
					t.Fatalf("the child does not see a %d KiB address-space limit: %v", childMemory>>10, err)
				}
			default:
				if codeOf(err) != tt.code {
					t.Fatalf("err = %v, want %q", err, tt.code)
				}
			}
		})
	}
}
