package fingerprint_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/draw"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/fingerprint"
	"github.com/pervichka/pervichka/extractors/imagefile"
)

// The thresholds the pipeline uses, chosen from the distributions that
// TestCorpusSeparation prints (see docs/ledger.md, "Duplicates").
const (
	maxHash     = fingerprint.MaxHashDistance
	maxDistance = fingerprint.MaxDistance
)

// resend is one way a messenger may pass a photo on.
type resend struct {
	name    string
	longest int // long side in pixels; 0 keeps the size
	quality int
}

var resends = []resend{
	{"q50", 0, 50}, {"q65", 0, 65}, {"q80", 0, 80},
	{"1280q50", 1280, 50}, {"1280q65", 1280, 65}, {"1280q80", 1280, 80},
	{"1600q50", 1600, 50}, {"1600q65", 1600, 65}, {"1600q80", 1600, 80},
}

// recode re-encodes img as a messenger would: rescaled (area-averaging
// like a phone's downscaler when shrinking, Catmull-Rom when enlarging) and
// saved at the given JPEG quality, without EXIF.
func recode(t testing.TB, img image.Image, r resend) []byte {
	t.Helper()
	if r.longest > 0 {
		b := img.Bounds()
		w, h := b.Dx(), b.Dy()
		if w >= h {
			w, h = r.longest, h*r.longest/w
		} else {
			w, h = w*r.longest/h, r.longest
		}
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		img = dst
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: r.quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decode(t testing.TB, b []byte) image.Image {
	t.Helper()
	imgs, err := imagefile.Decode(context.Background(), b, pervichka.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return imgs[0]
}

type photo struct {
	name, doc string // file name; the document's number prefix ("001")
	img       image.Image
	fp        fingerprint.Fingerprint
}

func corpusPhotos(t testing.TB) []photo {
	t.Helper()
	var names []string
	for _, pat := range []string{"*-photo.jpg", "*-hard.jpg"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "testdata", "corpus", pat))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	slices.Sort(names)
	if len(names) < 20 {
		t.Fatalf("only %d corpus photos", len(names))
	}
	var out []photo
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, b)
		fp, err := fingerprint.Of(img)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(n)
		out = append(out, photo{name: base, doc: strings.SplitN(base, "-", 2)[0], img: img, fp: fp})
	}
	return out
}

// TestCorpusSeparation measures both distances on the committed corpus:
// every photo re-sent in each of the ways above must match its source;
// every pair of photos of different documents must not. It prints the
// distributions so that the thresholds can be checked against the gap:
//
//	go test -run TestCorpusSeparation -v ./extractors/fingerprint/
func TestCorpusSeparation(t *testing.T) {
	photos := corpusPhotos(t)
	variants := resends
	if testing.Short() {
		variants = []resend{resends[0], resends[3]} // the worst quality, as is and shrunk
	}
	var posHash, negHash []int
	var posDist, negDist, sameDocDist []float64
	var closest string
	for _, p := range photos {
		for _, r := range variants {
			fp, err := fingerprint.Of(decode(t, recode(t, p.img, r)))
			if err != nil {
				t.Fatal(err)
			}
			hd, d := fingerprint.HashDistance(p.fp, fp), fingerprint.Distance(p.fp, fp)
			posHash, posDist = append(posHash, hd), append(posDist, d)
			if hd > maxHash || d > maxDistance {
				t.Errorf("%s re-sent as %s: hash distance %d (max %d), distance %.4f (max %.4f): not matched",
					p.name, r.name, hd, maxHash, d, maxDistance)
			}
		}
	}
	for i, a := range photos {
		for _, b := range photos[i+1:] {
			d := fingerprint.Distance(a.fp, b.fp)
			if a.doc == b.doc {
				// Two photos of one sheet: not the same picture; the
				// extract stage's duplicate check finds these.
				sameDocDist = append(sameDocDist, d)
				continue
			}
			hd := fingerprint.HashDistance(a.fp, b.fp)
			if len(negDist) == 0 || d < slices.Min(negDist) {
				closest = a.name + " ~ " + b.name
			}
			negHash, negDist = append(negHash, hd), append(negDist, d)
			if hd <= maxHash && d <= maxDistance {
				t.Errorf("%s and %s are different documents but match: hash distance %d, distance %.4f", a.name, b.name, hd, d)
			}
		}
	}
	slices.Sort(posHash)
	slices.Sort(negHash)
	slices.Sort(posDist)
	slices.Sort(negDist)
	slices.Sort(sameDocDist)
	t.Logf("re-sent copies (%d): hash distance %s; distance %s", len(posHash), quantiles(posHash), quantiles(posDist))
	t.Logf("different documents (%d pairs): hash distance %s; distance %s", len(negHash), quantiles(negHash), quantiles(negDist))
	t.Logf("two photos of one document (%d pairs): distance %s", len(sameDocDist), quantiles(sameDocDist))
	t.Logf("thresholds: hash ≤ %d, distance ≤ %.3f; gap in distance: max re-sent %.4f, min different %.4f (%s)",
		maxHash, maxDistance, posDist[len(posDist)-1], negDist[0], closest)
}

func quantiles[T int | float64](s []T) string {
	q := func(f float64) T { return s[int(f*float64(len(s)-1))] }
	return fmt.Sprintf("min %v p50 %v p99 %v max %v", s[0], q(0.5), q(0.99), s[len(s)-1])
}

// BenchmarkOf: fingerprinting a decoded phone photo (decoding it, ~30 ms,
// is not counted). Ingest pays both once per image file.
func BenchmarkOf(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "019-invoice-photo.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	img := decode(b, raw)
	for b.Loop() {
		if _, err := fingerprint.Of(img); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDistance: verifying one candidate.
func BenchmarkDistance(b *testing.B) {
	photos := corpusPhotos(b)[:2]
	for b.Loop() {
		fingerprint.Distance(photos[0].fp, photos[1].fp)
	}
}
