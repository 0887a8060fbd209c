package imagefile

import (
	"context"
	"testing"

	"github.com/pervichka/pervichka"
)

// Count agrees with Decode on the number of pages, and refuses from the
// headers alone what Decode refuses before decoding.
func TestCount(t *testing.T) {
	zero := func(x, y int) uint8 { return 0 }
	tif := buildTIFF([]tiffPage{{w: 10, h: 10, value: zero}, {w: 12, h: 8, value: zero}, {w: 10, h: 10, value: zero}})
	jpg := encodeJPEG(t, storedFor(1))
	def := pervichka.DefaultLimits()
	tests := []struct {
		name  string
		in    []byte
		lim   pervichka.Limits
		pages int
		code  pervichka.ErrorCode
	}{
		{"jpeg", jpg, def, 1, ""},
		{"png", encodePNG(t, storedFor(1)), def, 1, ""},
		{"webp", readTestdata(t, "quadrants.webp"), def, 1, ""},
		{"tiff three pages", tif, def, 3, ""},
		{"empty", nil, def, 0, pervichka.CodeEmpty},
		{"garbage", []byte("not an image"), def, 0, pervichka.CodeUnsupported},
		{"pdf", []byte("%PDF-1.4\n%%EOF\n"), def, 0, pervichka.CodeUnsupported},
		{"over byte limit", jpg, pervichka.Limits{MaxBytes: int64(len(jpg)) - 1}, 0, pervichka.CodeTooLarge},
		{"png header bomb", pngHeaderOnly(100000, 100000), def, 0, pervichka.CodeTooManyPixels},
		{"png zero width", pngHeaderOnly(0, 10), def, 0, pervichka.CodeCorrupt},
		{"tiff over page limit", tif, pervichka.Limits{MaxPages: 2}, 0, pervichka.CodeTooManyPages},
		{"jpeg header only", jpg[:20], def, 0, pervichka.CodeCorrupt},
		{"tiff IFD out of bounds", []byte("II*\x00\xFF\xFF\x00\x00"), def, 0, pervichka.CodeCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Count(tt.in, tt.lim)
			if got := codeOf(err); got != tt.code {
				t.Fatalf("err = %v (code %q), want code %q", err, got, tt.code)
			}
			if n != tt.pages {
				t.Fatalf("%d pages, want %d", n, tt.pages)
			}
			if tt.code == "" {
				imgs, err := Decode(context.Background(), tt.in, tt.lim)
				if err != nil || len(imgs) != n {
					t.Fatalf("Decode: %d pages, %v; Count said %d", len(imgs), err, n)
				}
			}
		})
	}
}

func FuzzCount(f *testing.F) {
	f.Add([]byte("II*\x00\x08\x00\x00\x00"))
	f.Add(pngHeaderOnly(10, 10))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := Count(b, pervichka.Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxPages: 16})
		if err == nil && (n < 1 || n > 16) {
			t.Fatalf("%d pages without an error", n)
		}
	})
}
