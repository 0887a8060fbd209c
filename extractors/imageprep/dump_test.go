package imageprep

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/disintegration/imaging"
)

// TestDumpSynthetic writes synthetic inputs and their enhanced outputs to
// $IMAGEPREP_DUMP for looking at; skipped otherwise.
func TestDumpSynthetic(t *testing.T) {
	dir := os.Getenv("IMAGEPREP_DUMP")
	if dir == "" {
		t.Skip("set IMAGEPREP_DUMP=dir to write images")
	}
	ph := makePhoto(t, defaultPhoto(100))
	scan, _ := makeScan(t, 2, 1.5)
	if err := os.WriteFile(filepath.Join(dir, "photo_truth.txt"), []byte(ph.text), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, img := range map[string]image.Image{"photo": ph.img, "scan": scan} {
		if err := imaging.Save(img, filepath.Join(dir, name+"_in.png")); err != nil {
			t.Fatal(err)
		}
		out, err := Enhance(context.Background(), img, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: applied %v dpi %d size %v timings %v", name, out.Applied, out.DPI, out.Image.Rect.Size(), out.Timings)
		if err := imaging.Save(out.Image, filepath.Join(dir, name+"_out.png")); err != nil {
			t.Fatal(err)
		}
	}
}
