package degrade

import (
	"bytes"
	"testing"
)

// RealPhoto keeps the messengers' sizes and qualities, shoots most
// landscape forms turned a quarter in a portrait frame (the real Telegram
// УПД photos), and is reproducible; its calibration against real photos is
// corpus/photostat's TestRealPhotoCalibrated.
func TestRealPhotoPromises(t *testing.T) {
	_, portrait, landscape := pages()
	turned := 0
	const shots = 6
	for seed := range uint64(shots) {
		b, _, err := RealPhoto(seeded(seed), landscape)
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, b)
		if l := longSide(img); l != 1280 && l != 1600 {
			t.Errorf("seed %d: long side %d, want 1280 or 1600", seed, l)
		}
		if q := jpegQuality(t, b); q < 70 || q > 87 {
			t.Errorf("seed %d: quality %d outside 70..87", seed, q)
		}
		switch s := markerSide(img); {
		case s == left || s == right:
			turned++
			if img.Bounds().Dx() > img.Bounds().Dy() {
				t.Errorf("seed %d: turned sheet in a landscape frame", seed)
			}
		case s != top:
			t.Errorf("seed %d: top of the sheet is at the %s", seed, s)
		}
	}
	if turned < shots/2 || turned == shots {
		t.Errorf("landscape sheets turned in %d of %d photos, want most but not all", turned, shots)
	}
	a, _, err := RealPhoto(seeded(3), portrait)
	if err != nil {
		t.Fatal(err)
	}
	if b, _, _ := RealPhoto(seeded(3), portrait); !bytes.Equal(a, b) {
		t.Error("same seed, different bytes")
	}
	if s := markerSide(decode(t, a)); s != top {
		t.Errorf("portrait sheet: top at the %s", s)
	}
	app, _, err := ScanApp(seeded(3), portrait)
	if err != nil {
		t.Fatal(err)
	}
	if s := markerSide(decode(t, app)); s != top {
		t.Errorf("scanner app: top at the %s", s)
	}
}
