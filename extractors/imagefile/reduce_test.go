package imagefile

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/pervichka/pervichka"
)

// TestDecodeReducesHugePages: a page over OCRPixels is handed on scaled to
// fit (grey stays grey, colour becomes RGBA), its content kept: the left
// half dark, the right half light, averaged in between; a page within it
// comes back as decoded. Measure tells the cost from the headers alone.
func TestDecodeReducesHugePages(t *testing.T) {
	// halves paints the left half dark blue, the right half near white,
	// straight into the pixels (Set on 27 MP takes seconds).
	halves := func(img image.Image) image.Image {
		dark, light := color.RGBA{30, 40, 200, 255}, color.RGBA{250, 250, 250, 255}
		switch m := img.(type) {
		case *image.Gray:
			d, l := color.GrayModel.Convert(dark).(color.Gray).Y, color.GrayModel.Convert(light).(color.Gray).Y
			for y := 0; y < m.Rect.Dy(); y++ {
				row := m.Pix[y*m.Stride : y*m.Stride+m.Rect.Dx()]
				for x := range row {
					row[x] = d
					if x >= len(row)/2 {
						row[x] = l
					}
				}
			}
		case *image.NRGBA:
			w := m.Rect.Dx()
			for y := 0; y < m.Rect.Dy(); y++ {
				row := m.Pix[y*m.Stride : y*m.Stride+4*w]
				for x := 0; x < w; x++ {
					c := dark
					if x >= w/2 {
						c = light
					}
					copy(row[4*x:], []byte{c.R, c.G, c.B, c.A})
				}
			}
		}
		return img
	}
	tests := []struct {
		name      string
		img       image.Image
		reduced   bool
		wantBytes int64 // Measure's DecodedBytes
	}{
		{"grey 5200×5200", halves(image.NewGray(image.Rect(0, 0, 5200, 5200))), true, 5200 * 5200},
		{"colour 5200×5200", halves(image.NewNRGBA(image.Rect(0, 0, 5200, 5200))), true, 5200 * 5200 * 4},
		{"colour 2000×3000 stays", halves(image.NewNRGBA(image.Rect(0, 0, 2000, 3000))), false, 2000 * 3000 * 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, tc.img); err != nil {
				t.Fatal(err)
			}
			cost, err := Measure(buf.Bytes(), pervichka.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if cost.DecodedBytes != tc.wantBytes || cost.Pixels > OCRPixels {
				t.Errorf("cost %+v, want %d decoded bytes and ≤ %d pixels", cost, tc.wantBytes, OCRPixels)
			}
			pages, err := Decode(context.Background(), buf.Bytes(), pervichka.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got := pages[0]
			b := got.Bounds()
			px := int64(b.Dx()) * int64(b.Dy())
			if px != cost.Pixels {
				t.Errorf("handed on %d pixels, Measure said %d", px, cost.Pixels)
			}
			if !tc.reduced {
				if b != tc.img.Bounds() {
					t.Errorf("a page within OCRPixels was resized to %v", b)
				}
				return
			}
			if px > OCRPixels || px < OCRPixels*9/10 {
				t.Errorf("reduced to %v = %d pixels, want just under %d", b.Size(), px, OCRPixels)
			}
			if _, grey := tc.img.(*image.Gray); grey {
				if _, ok := got.(*image.Gray); !ok {
					t.Errorf("grey page reduced to %T", got)
				}
			}
			want := func(x int) color.RGBA {
				return color.RGBAModel.Convert(tc.img.At(x*tc.img.Bounds().Dx()/b.Dx(), 0)).(color.RGBA)
			}
			for _, x := range []int{0, b.Dx()/2 - 3, b.Dx()/2 + 3, b.Dx() - 1} {
				if c := color.RGBAModel.Convert(got.At(x, b.Dy()/2)).(color.RGBA); c != want(x) {
					t.Errorf("pixel %d: %v, want %v", x, c, want(x))
				}
			}
		})
	}
}
