package imagefile

import (
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"testing"

	"github.com/pervichka/pervichka"
)

// BenchmarkDecodeJPEG decodes a messenger-sized photo (1600×1200), stored
// sideways with EXIF Orientation 6 as phones write it, and as-is.
func BenchmarkDecodeJPEG(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	for y := 0; y < 1200; y++ {
		for x := 0; x < 1600; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	jpg := encodeJPEG(b, img)
	for _, o := range []uint16{1, 6} {
		in := withEXIF(jpg, binary.LittleEndian, o)
		b.Run("orientation-"+string(rune('0'+o)), func(b *testing.B) {
			for b.Loop() {
				if _, err := Decode(context.Background(), in, pervichka.Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
