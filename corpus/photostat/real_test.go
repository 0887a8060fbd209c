package photostat

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// realDev is where the project keeps real documents it may measure on but
// never commit.
const realDev = "../../../shared/real-dev/files"

// TestRealPhotos prints the measures of the real phone photos (the
// calibration targets in docs/corpus.md) and checks they are in the range
// a phone photo can be in.
func TestRealPhotos(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realDev, "*.jpg"))
	if len(files) == 0 {
		t.Skipf("no real photos in %s: the calibration against real photos is not checked here", realDev)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Measure(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		t.Log(row(filepath.Base(f), s))
	}
}

func row(name string, s Stats) string {
	return fmt.Sprintf("%-34s %4d×%-4d q%-3d bg %.2f text %4.1f px sharp %.2f noise %.1f paper %3.0f ink %3.0f",
		name, s.W, s.H, s.Quality, s.Background, s.TextPx, s.Sharpness, s.Noise, s.Paper, s.Ink)
}

// TestCommittedPhotos prints the same measures for the committed corpus's
// generated photos, for the calibration table.
func TestCommittedPhotos(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/corpus/*-*.jpg")
	if len(files) == 0 {
		t.Skip("no committed corpus")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Measure(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		t.Log(row(filepath.Base(f), s))
	}
}
