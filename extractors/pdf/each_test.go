package pdf

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/extractors/pixelbudget"
)

// blankPDF writes a PDF of n empty pages of w×h points: the shape of the
// 20 KB, 199-page file that once took a serve process to 3.8 GB (issue 15).
func blankPDF(n int, w, h float64) []byte {
	var buf bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	buf.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	var kids []string
	for i := range n {
		kids = append(kids, fmt.Sprintf("%d 0 R", 3+i))
	}
	obj(fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", n, strings.Join(kids, " ")))
	for range n {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] >>", w, h))
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return buf.Bytes()
}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestEachHoldsOnePageAtATime reads a 24-page blank A4 PDF (each page 8.7 MB
// of grey at 300 dpi; 209 MB together) and checks, while each page is in
// fn, that the pages come in order, that no more than two pages' pixels are
// live, and that the page's bytes are held from the budget until fn
// returns — then that all of the budget is free again.
func TestEachHoldsOnePageAtATime(t *testing.T) {
	const n = 24
	pageBytes := int64(2480 * 3508)
	budget := pixelbudget.New(pageBytes + 1<<20)
	base := liveHeap()
	next := 0
	err := Each(context.Background(), blankPDF(n, 595.28, 841.89), pervichka.Limits{}, budget, func(p Page) error {
		if p.Index != next {
			return fmt.Errorf("page %d handed on, want %d", p.Index, next)
		}
		next++
		if p.Image == nil {
			return fmt.Errorf("page %d has no image", p.Index+1)
		}
		if live := liveHeap() - base; live > 2*pageBytes {
			return fmt.Errorf("at page %d, %d MB live: more than one page held", p.Index+1, live>>20)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if release, err := budget.Acquire(ctx, 2<<20); err == nil {
			release()
			return fmt.Errorf("page %d: 2 MB of a budget of one page was free while the page was held", p.Index+1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if next != n {
		t.Fatalf("%d pages handed on, want %d", next, n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	release, err := budget.Acquire(ctx, budget.Total())
	if err != nil {
		t.Fatalf("budget not free after Each: %v", err)
	}
	release()
}

// TestEachScalesHugePages: a page 14400 pt square (5 m) would be 3.6
// gigapixels at 300 dpi; it is rendered to fit imagefile.OCRPixels, not to
// the 60 MP limit.
func TestEachScalesHugePages(t *testing.T) {
	pages, err := Pages(context.Background(), blankPDF(1, 14400, 14400), pervichka.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	b := pages[0].Image.Bounds()
	if px := int64(b.Dx()) * int64(b.Dy()); px > imagefile.OCRPixels || px < imagefile.OCRPixels/2 {
		t.Errorf("rendered %d×%d = %d pixels, want just under %d", b.Dx(), b.Dy(), px, imagefile.OCRPixels)
	}
	if pages[0].DPI > 25 {
		t.Errorf("dpi %.1f: a 200-inch page fits 24 MP at ~24 dpi", pages[0].DPI)
	}
}

// TestEachStopsOnCallbackError: an error from fn ends the read at once and
// comes back as is.
func TestEachStopsOnCallbackError(t *testing.T) {
	stop := fmt.Errorf("enough")
	calls := 0
	err := Each(context.Background(), blankPDF(12, 200, 200), pervichka.Limits{}, nil, func(Page) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Fatalf("err %v after %d calls, want %v after 1", err, calls, stop)
	}
}
