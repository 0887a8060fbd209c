package recognize_test

import (
	"context"
	"os"
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/extractors/recognize"
)

// An upright messenger photo of a contract page (seed 1's 035-contract,
// page 1, as the generator of December 5 drew it) on which OSD guesses a
// half turn at 0.52: the page must stay upright. Before the upright turn
// was always read as well, its text upside down read as Cyrillic-looking
// words, scored over readEnough and the page was turned over and lost.
func TestUprightPhotoStaysUpright(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/upright-contract-photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := imagefile.Decode(context.Background(), b, pervichka.DefaultLimits())
	if err != nil || len(imgs) != 1 {
		t.Fatalf("decode: %d images, %v", len(imgs), err)
	}
	rec := newRecognizer(t, recognize.Options{})
	e, err := rec.Enhance(context.Background(), recognize.RawPage{Image: imgs[0]})
	if err != nil {
		t.Fatal(err)
	}
	if e.Rotated != 0 {
		t.Errorf("an upright page was turned %d°", e.Rotated)
	}
}
