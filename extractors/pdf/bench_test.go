package pdf

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
)

// BenchmarkPages measures whole documents end to end (temp file, every child
// process, parsing, decoding) and reports the time per page.
func BenchmarkPages(b *testing.B) {
	repeat := func(n int, p pageSpec) []pageSpec {
		s := make([]pageSpec, n)
		for i := range s {
			s[i] = p
		}
		return s
	}
	scan := scanImage(2480, 3508) // A4 at 300 dpi
	docs := []struct {
		name  string
		pages []pageSpec
	}{
		{"born-digital/1", repeat(1, pageSpec{text: true})},
		{"born-digital/10", repeat(10, pageSpec{text: true})},
		{"scan-300dpi/1", repeat(1, pageSpec{scan: scan})},
		{"vector-rendered/1", repeat(1, pageSpec{box: true})},
		{"mixed/2", []pageSpec{{text: true}, {scan: scan}}},
	}
	for _, d := range docs {
		doc := buildPDF(b, d.pages...)
		b.Run(d.name, func(b *testing.B) {
			for b.Loop() {
				pages, err := Pages(context.Background(), doc, pervichka.Limits{})
				if err != nil || len(pages) != len(d.pages) {
					b.Fatalf("%d pages, err %v", len(pages), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(d.pages)), "ms/page")
		})
	}
}

func FuzzPages(f *testing.F) {
	small := scanImage(124, 175)
	f.Add(buildPDF(f, pageSpec{text: true}))
	f.Add(buildPDF(f, pageSpec{scan: small}))
	f.Add(buildPDF(f, pageSpec{text: true}, pageSpec{scan: small, extra: "стр. 2"}))
	f.Add(buildPDF(f, pageSpec{box: true}))
	d := newDoc(f)
	d.SetProtection(0, "secret", "owner")
	addPages(f, d, []pageSpec{{text: true}})
	f.Add(output(f, d))
	f.Add([]byte("%PDF-1.4\n%%EOF"))
	lim := pervichka.Limits{MaxBytes: 1 << 20, MaxPixels: 4_000_000, MaxPages: 4}
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		pages, err := Pages(ctx, b, lim)
		if err != nil {
			var e *pervichka.Error
			if !errors.As(err, &e) || e.Code == pervichka.CodeInternal {
				t.Fatalf("error %v", err)
			}
			return
		}
		if len(pages) == 0 || len(pages) > lim.MaxPages {
			t.Fatalf("%d pages", len(pages))
		}
		for _, p := range pages {
			if (p.Text == nil) == (p.Image == nil) {
				t.Fatalf("page %d: text %v image %v", p.Index, p.Text != nil, p.Image != nil)
			}
			if p.Image != nil {
				if s := p.Image.Bounds().Size(); int64(s.X)*int64(s.Y) > lim.MaxPixels || p.DPI <= 0 {
					t.Fatalf("page %d image %v dpi %v", p.Index, s, p.DPI)
				}
			}
		}
	})
}
