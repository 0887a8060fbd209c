package degrade

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"slices"
	"testing"
)

// cornerPage is a white page of w×h pixels with a solid blue block in its
// top-left quadrant and a green one in its bottom-right. Two blocks,
// because where the sheet lies in the frame varies (a landscape sheet
// shot small in a portrait frame may sit anywhere in it), while the one
// block's place relative to the other turns only with the content.
// Colours, not black: the darkest tables (cloth at 25–60 of 255) are as
// dark as print, but no surface, cast or shadow is anywhere near as blue
// or as green.
func cornerPage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	tl := image.Rect(w*6/100, h*6/100, w*42/100, h*42/100)
	draw.Draw(img, tl, image.NewUniform(color.RGBA{0, 0, 255, 255}), image.Point{}, draw.Src)
	br := image.Rect(w*58/100, h*58/100, w*94/100, h*94/100)
	draw.Draw(img, br, image.NewUniform(color.RGBA{0, 255, 0, 255}), image.Point{}, draw.Src)
	return img
}

// centroid is where the pixels of one colour channel that stands out from
// the other two (0 red, 1 green, 2 blue) lie in img, as shares of its
// width and height; ok is false when too few stand out to tell.
func centroid(img image.Image, channel int) (x, y float64, ok bool) {
	b := img.Bounds()
	var sx, sy, n float64
	for py := b.Min.Y; py < b.Max.Y; py += 2 {
		for px := b.Min.X; px < b.Max.X; px += 2 {
			r, g, bl, _ := img.At(px, py).RGBA()
			c := [3]int{int(r >> 8), int(g >> 8), int(bl >> 8)}
			if c[channel]-c[(channel+1)%3] > 70 && c[channel]-c[(channel+2)%3] > 70 {
				sx += float64(px - b.Min.X)
				sy += float64(py - b.Min.Y)
				n++
			}
		}
	}
	if n < 200 {
		return 0, 0, false
	}
	return sx / n / float64(b.Dx()), sy / n / float64(b.Dy()), true
}

// unturn maps a point of a picture whose content was turned clockwise by
// deg degrees (as shares of the picture's width and height) back to where
// it lies on the upright page. A clockwise quarter turn takes a page point
// (u, v) to (1-v, u): the top-left corner goes to the top right.
func unturn(x, y float64, deg int) (u, v float64) {
	switch deg {
	case 0:
		return x, y
	case 90:
		return y, 1 - x
	case 180:
		return 1 - x, 1 - y
	case 270:
		return 1 - y, x
	}
	panic(fmt.Sprintf("turn %d is not a quarter turn", deg))
}

// TestTurnedIsTheContentsTurn proves the turn every photo style reports by
// the picture itself: undoing it brings the block printed in the page's
// top-left quadrant back above and to the left of the one printed in its
// bottom-right, as on the page. Portrait and
// landscape sheets both, with the hard style's own turn on top of a
// landscape sheet's quarter turn in a portrait frame; and every turn the
// styles promise shows up.
func TestTurnedIsTheContentsTurn(t *testing.T) {
	t.Parallel()
	shapes := []struct {
		name string
		page image.Image
	}{
		{"portrait", cornerPage(850, 1200)},
		{"landscape", cornerPage(1200, 850)},
	}
	styles := []struct {
		name  string
		shoot func(*rand.Rand, image.Image) ([]byte, int, error)
		// want lists the turns that must all occur, per shape.
		want map[string][]int
	}{
		{"Photo", Photo, map[string][]int{"portrait": {0}, "landscape": {0, 90, 270}}},
		{"HardPhoto", HardPhoto, map[string][]int{"portrait": {90, 180, 270}, "landscape": {0, 90, 180, 270}}},
		{"RealPhoto", RealPhoto, map[string][]int{"portrait": {0}, "landscape": {0, 90, 270}}},
		{"ScanApp", ScanApp, map[string][]int{"portrait": {0}, "landscape": {0, 90, 270}}},
	}
	seeds := uint64(16)
	if testing.Short() {
		seeds = 6
	}
	for _, st := range styles {
		for _, sh := range shapes {
			t.Run(st.name+"/"+sh.name, func(t *testing.T) {
				t.Parallel()
				var seen []int
				for seed := range seeds {
					b, turned, err := st.shoot(seeded(seed), sh.page)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Contains(st.want[sh.name], turned) {
						t.Errorf("seed %d: turned %d°, want one of %v", seed, turned, st.want[sh.name])
						continue
					}
					if !slices.Contains(seen, turned) {
						seen = append(seen, turned)
					}
					img := decode(t, b)
					bx, by, okB := centroid(img, 2)
					gx, gy, okG := centroid(img, 1)
					if !okB || !okG {
						t.Errorf("seed %d: blue block found %v, green %v", seed, okB, okG)
						continue
					}
					bu, bv := unturn(bx, by, turned)
					gu, gv := unturn(gx, gy, turned)
					if du, dv := bu-gu, bv-gv; du > -0.15 || dv > -0.15 {
						t.Errorf("seed %d: turned %d°, undone the top-left block is (%+.2f, %+.2f) from the bottom-right one, want up and to the left (in the photo: blue at (%.2f, %.2f), green at (%.2f, %.2f))",
							seed, turned, du, dv, bx, by, gx, gy)
					}
				}
				if !testing.Short() {
					slices.Sort(seen)
					if !slices.Equal(seen, st.want[sh.name]) {
						t.Errorf("turns seen in %d photos %v, want all of %v", seeds, seen, st.want[sh.name])
					}
				}
			})
		}
	}
}
