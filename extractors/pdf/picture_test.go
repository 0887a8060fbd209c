package pdf

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"testing"

	"github.com/pervichka/pervichka"
)

// TestPicture: a page is rendered at the asked size with the text layer's
// proportions (so the words laid over it fit), and bad requests are clear
// errors.
func TestPicture(t *testing.T) {
	b, err := os.ReadFile("../../testdata/corpus/007-upd.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out, err := Picture(ctx, b, 0, 1600, pervichka.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := Pages(ctx, b, pervichka.Limits{})
	if err != nil || pages[0].Text == nil {
		t.Fatalf("text layer: %v", err)
	}
	tw, th := pages[0].Text.Width, pages[0].Text.Height
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if max(w, h) != 1600 {
		t.Errorf("picture %d×%d, want the longer side 1600", w, h)
	}
	if d := float64(w)/float64(h) - float64(tw)/float64(th); d > 0.002 || d < -0.002 {
		t.Errorf("picture %d×%d, text layer %d×%d: proportions differ", w, h, tw, th)
	}
	for _, tt := range []struct {
		name  string
		b     []byte
		index int
		code  pervichka.ErrorCode
	}{
		{"no such page", b, 3, pervichka.CodeCorrupt},
		{"negative page", b, -1, pervichka.CodeCorrupt},
		{"not a pdf", []byte("GIF89a"), 0, pervichka.CodeCorrupt},
		{"empty", nil, 0, pervichka.CodeEmpty},
	} {
		if _, err := Picture(ctx, tt.b, tt.index, 1600, pervichka.Limits{}); codeOf(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
}
