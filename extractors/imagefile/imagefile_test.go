package imagefile

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
)

// The upright test picture: four quadrants of distinct colours, wider than
// tall so that a missing 90° turn also shows in the size.
var quadrantColors = [4]color.RGBA{ // top-left, top-right, bottom-left, bottom-right
	{220, 30, 30, 255}, {30, 200, 30, 255}, {30, 30, 220, 255}, {240, 240, 240, 255},
}

const uprightW, uprightH = 64, 48

func uprightAt(x, y int) color.RGBA {
	q := 0
	if x >= uprightW/2 {
		q++
	}
	if y >= uprightH/2 {
		q += 2
	}
	return quadrantColors[q]
}

// storedFor builds the pixels a camera stores for an orientation value,
// written from the EXIF specification's wording ("the 0th row is the visual
// <side>, the 0th column is the visual <side>") rather than from Orient.
func storedFor(o int) *image.RGBA {
	sides := map[int][2]string{
		1: {"top", "left"}, 2: {"top", "right"}, 3: {"bottom", "right"}, 4: {"bottom", "left"},
		5: {"left", "top"}, 6: {"right", "top"}, 7: {"right", "bottom"}, 8: {"left", "bottom"},
	}[o]
	w, h := uprightW, uprightH
	if sides[0] == "left" || sides[0] == "right" {
		w, h = h, w
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for sy := 0; sy < h; sy++ {
		for sx := 0; sx < w; sx++ {
			var vx, vy int
			switch sides[0] { // the stored row index walks away from this side
			case "top":
				vy = sy
			case "bottom":
				vy = uprightH - 1 - sy
			case "left":
				vx = sy
			case "right":
				vx = uprightW - 1 - sy
			}
			switch sides[1] { // the stored column index walks away from this side
			case "left":
				vx = sx
			case "right":
				vx = uprightW - 1 - sx
			case "top":
				vy = sx
			case "bottom":
				vy = uprightH - 1 - sx
			}
			img.SetRGBA(sx, sy, uprightAt(vx, vy))
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exifTIFF is a TIFF header with one IFD holding Orientation.
func exifTIFF(order binary.ByteOrder, o uint16) []byte {
	b := make([]byte, 26)
	if order == binary.LittleEndian {
		copy(b, "II*\x00")
	} else {
		copy(b, "MM\x00*")
	}
	order.PutUint32(b[4:], 8)
	order.PutUint16(b[8:], 1)
	order.PutUint16(b[10:], tagOrientation)
	order.PutUint16(b[12:], 3) // SHORT
	order.PutUint32(b[14:], 1)
	order.PutUint16(b[18:], o)
	return b
}

// withEXIF inserts an APP1 EXIF segment right after SOI, behind a JFIF-like
// APP0 segment so that the parser has to walk past one.
func withEXIF(jpg []byte, order binary.ByteOrder, o uint16) []byte {
	payload := append([]byte("Exif\x00\x00"), exifTIFF(order, o)...)
	app0 := []byte{0xFF, 0xE0, 0, 7, 'T', 'e', 's', 't', 0}
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app0...)
	out = append(out, app1...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// tiffPage is one page of a hand-built uncompressed 8-bit grey TIFF.
type tiffPage struct {
	w, h        int
	value       func(x, y int) uint8
	orientation uint16 // 0: no tag
}

// buildTIFF writes a multi-page little-endian TIFF: each page's pixel strip,
// then its IFD, linked to the next.
func buildTIFF(pages []tiffPage) []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00\x00\x00\x00\x00")
	prevNext := 4 // where the offset of the next IFD goes
	for _, p := range pages {
		data := len(b)
		for y := 0; y < p.h; y++ {
			for x := 0; x < p.w; x++ {
				b = append(b, p.value(x, y))
			}
		}
		if len(b)%2 == 1 {
			b = append(b, 0)
		}
		type entry struct{ tag, typ, val uint32 }
		entries := []entry{
			{256, 4, uint32(p.w)}, {257, 4, uint32(p.h)}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1},
			{273, 4, uint32(data)}, {277, 3, 1}, {278, 4, uint32(p.h)}, {279, 4, uint32(p.w * p.h)},
		}
		if p.orientation != 0 {
			entries = append(entries[:6], append([]entry{{274, 3, uint32(p.orientation)}}, entries[6:]...)...)
		}
		ifd := len(b)
		le.PutUint32(b[prevNext:], uint32(ifd))
		b = le.AppendUint16(b, uint16(len(entries)))
		for _, e := range entries {
			b = le.AppendUint16(b, uint16(e.tag))
			b = le.AppendUint16(b, uint16(e.typ))
			b = le.AppendUint32(b, 1)
			if e.typ == 3 {
				b = le.AppendUint16(b, uint16(e.val))
				b = le.AppendUint16(b, 0)
			} else {
				b = le.AppendUint32(b, e.val)
			}
		}
		prevNext = len(b)
		b = le.AppendUint32(b, 0)
	}
	return b
}

// pngHeaderOnly is a valid PNG signature and IHDR claiming w×h RGBA pixels,
// followed by a tiny IDAT: a decompression bomb's header.
func pngHeaderOnly(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		c = append(c, typ...)
		c = append(c, data...)
		return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, chunk("IHDR", ihdr)...)
	b = append(b, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(b, chunk("IEND", nil)...)
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func near(a, b color.Color, tol int) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	d := func(x, y uint32) int { return abs(int(x>>8) - int(y>>8)) }
	return d(r1, r2) <= tol && d(g1, g2) <= tol && d(b1, b2) <= tol
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// assertUpright checks the size and the centre of each quadrant.
func assertUpright(t *testing.T, img image.Image, tol int) {
	t.Helper()
	b := img.Bounds()
	if b.Dx() != uprightW || b.Dy() != uprightH {
		t.Fatalf("size %v, want %d×%d", b, uprightW, uprightH)
	}
	for _, p := range []image.Point{{16, 12}, {48, 12}, {16, 36}, {48, 36}} {
		got := img.At(b.Min.X+p.X, b.Min.Y+p.Y)
		if want := uprightAt(p.X, p.Y); !near(got, want, tol) {
			t.Errorf("at %v got %v, want %v", p, got, want)
		}
	}
}

func codeOf(err error) pervichka.ErrorCode {
	var e *pervichka.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestSniff(t *testing.T) {
	jpg := encodeJPEG(t, storedFor(1))
	tests := []struct {
		name string
		in   []byte
		want Kind
		code pervichka.ErrorCode
	}{
		{"jpeg", jpg, KindJPEG, ""},
		{"png", encodePNG(t, storedFor(1)), KindPNG, ""},
		{"tiff little-endian", []byte("II*\x00\x08\x00\x00\x00"), KindTIFF, ""},
		{"tiff big-endian", []byte("MM\x00*\x00\x00\x00\x08"), KindTIFF, ""},
		{"webp", readTestdata(t, "quadrants.webp"), KindWebP, ""},
		{"pdf", []byte("%PDF-1.7\n"), KindPDF, ""},
		{"pdf after junk", append(bytes.Repeat([]byte{' '}, 300), "%PDF-1.4"...), KindPDF, ""},
		{"pdf header too late", append(bytes.Repeat([]byte{' '}, 2000), "%PDF-1.4"...), "", pervichka.CodeUnsupported},
		{"empty", nil, "", pervichka.CodeEmpty},
		{"text", []byte("hello, world"), "", pervichka.CodeUnsupported},
		{"riff not webp", []byte("RIFF\x00\x00\x00\x00WAVEfmt "), "", pervichka.CodeUnsupported},
		{"bigtiff", []byte("II+\x00\x08\x00\x00\x00"), "", pervichka.CodeUnsupported},
		{"one byte", []byte{0xFF}, "", pervichka.CodeUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sniff(tt.in)
			if codeOf(err) != tt.code || (tt.code == "" && err != nil) {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			if got != tt.want {
				t.Errorf("kind = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeJPEGOrientation(t *testing.T) {
	for o := 1; o <= 8; o++ {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			t.Run(order.String()+"/"+string(rune('0'+o)), func(t *testing.T) {
				b := withEXIF(encodeJPEG(t, storedFor(o)), order, uint16(o))
				imgs, err := Decode(context.Background(), b, pervichka.DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				if len(imgs) != 1 {
					t.Fatalf("%d images", len(imgs))
				}
				assertUpright(t, imgs[0], 24)
			})
		}
	}
}

func TestDecodeAsStoredIgnoresOrientation(t *testing.T) {
	stored := storedFor(6)
	b := withEXIF(encodeJPEG(t, stored), binary.LittleEndian, 6)
	img, err := DecodeAsStored(context.Background(), b, pervichka.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Size() != stored.Bounds().Size() {
		t.Fatalf("size %v, want the stored %v", img.Bounds().Size(), stored.Bounds().Size())
	}
}

func TestDecodeFormats(t *testing.T) {
	grey := func(v uint8) func(x, y int) uint8 { return func(x, y int) uint8 { return v } }
	threePages := buildTIFF([]tiffPage{
		{w: 40, h: 30, value: grey(10)},
		{w: 50, h: 20, value: func(x, y int) uint8 { // dark top half, turned 180° by its tag
			if y < 10 {
				return 20
			}
			return 200
		}, orientation: 3},
		{w: 30, h: 40, value: grey(250)},
	})
	tests := []struct {
		name  string
		in    []byte
		check func(t *testing.T, imgs []image.Image)
	}{
		{"png", encodePNG(t, storedFor(1)), func(t *testing.T, imgs []image.Image) {
			assertUpright(t, imgs[0], 0)
		}},
		{"jpeg without exif", encodeJPEG(t, storedFor(1)), func(t *testing.T, imgs []image.Image) {
			assertUpright(t, imgs[0], 24)
		}},
		{"jpeg with garbage exif", func() []byte {
			b := withEXIF(encodeJPEG(t, storedFor(1)), binary.LittleEndian, 1)
			i := bytes.Index(b, []byte("Exif\x00\x00")) + 6
			copy(b[i+4:], []byte{0xFF, 0xFF, 0xFF, 0x7F}) // IFD0 offset far outside
			return b
		}(), func(t *testing.T, imgs []image.Image) { assertUpright(t, imgs[0], 24) }},
		{"webp lossy", readTestdata(t, "quadrants.webp"), func(t *testing.T, imgs []image.Image) {
			assertUpright(t, imgs[0], 24)
		}},
		{"webp lossless", readTestdata(t, "quadrants-lossless.webp"), func(t *testing.T, imgs []image.Image) {
			assertUpright(t, imgs[0], 0)
		}},
		{"webp with exif orientation 6", readTestdata(t, "quadrants-exif6.webp"), func(t *testing.T, imgs []image.Image) {
			// The file's pixels are upright and its tag says "turn 90° clockwise":
			// what the tag asks for is what a viewer shows, so the result is turned.
			if got := imgs[0].Bounds().Size(); got != (image.Point{uprightH, uprightW}) {
				t.Fatalf("size %v, want %d×%d", got, uprightH, uprightW)
			}
			if c := imgs[0].At(uprightH-12, 16); !near(c, quadrantColors[0], 24) {
				t.Errorf("top right corner %v, want the stored top-left red", c)
			}
		}},
		{"tiff three pages", threePages, func(t *testing.T, imgs []image.Image) {
			if len(imgs) != 3 {
				t.Fatalf("%d pages, want 3", len(imgs))
			}
			wantSize := []image.Point{{40, 30}, {50, 20}, {30, 40}}
			for i, img := range imgs {
				if img.Bounds().Size() != wantSize[i] {
					t.Errorf("page %d size %v, want %v", i+1, img.Bounds().Size(), wantSize[i])
				}
			}
			if g := color.GrayModel.Convert(imgs[0].At(5, 5)).(color.Gray).Y; g != 10 {
				t.Errorf("page 1 grey %d, want 10", g)
			}
			if g := color.GrayModel.Convert(imgs[1].At(5, 2)).(color.Gray).Y; g != 200 {
				t.Errorf("page 2 top after 180° turn: grey %d, want 200", g)
			}
			if g := color.GrayModel.Convert(imgs[2].At(5, 5)).(color.Gray).Y; g != 250 {
				t.Errorf("page 3 grey %d, want 250", g)
			}
		}},
		{"tiff with a cycle in its IFD chain", func() []byte {
			b := buildTIFF([]tiffPage{{w: 8, h: 8, value: grey(1)}, {w: 8, h: 8, value: grey(2)}})
			first := binary.LittleEndian.Uint32(b[4:])
			binary.LittleEndian.PutUint32(b[len(b)-4:], first) // page 2 links back to page 1
			return b
		}(), func(t *testing.T, imgs []image.Image) {
			if len(imgs) != 2 {
				t.Fatalf("%d pages, want 2", len(imgs))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imgs, err := Decode(context.Background(), tt.in, pervichka.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if len(imgs) == 0 {
				t.Fatal("no images")
			}
			tt.check(t, imgs)
		})
	}
}

func TestDecodeRefuses(t *testing.T) {
	big := image.NewGray(image.Rect(0, 0, 300, 200))
	jpg := encodeJPEG(t, storedFor(1))
	pngb := encodePNG(t, storedFor(1))
	tif := buildTIFF([]tiffPage{
		{w: 10, h: 10, value: func(x, y int) uint8 { return 0 }},
		{w: 10, h: 10, value: func(x, y int) uint8 { return 0 }},
		{w: 10, h: 10, value: func(x, y int) uint8 { return 0 }},
	})
	webpb := readTestdata(t, "quadrants.webp")
	def := pervichka.DefaultLimits()
	tests := []struct {
		name string
		in   []byte
		lim  pervichka.Limits
		code pervichka.ErrorCode
	}{
		{"empty", nil, def, pervichka.CodeEmpty},
		{"garbage", []byte("this is not an image at all"), def, pervichka.CodeUnsupported},
		{"pdf", []byte("%PDF-1.4\n%%EOF\n"), def, pervichka.CodeUnsupported},
		{"over byte limit", jpg, pervichka.Limits{MaxBytes: int64(len(jpg)) - 1}, pervichka.CodeTooLarge},
		{"jpeg over pixel limit", encodeJPEG(t, big), pervichka.Limits{MaxPixels: 300*200 - 1}, pervichka.CodeTooManyPixels},
		{"png header bomb", pngHeaderOnly(100000, 100000), def, pervichka.CodeTooManyPixels},
		{"png zero width", pngHeaderOnly(0, 10), def, pervichka.CodeCorrupt},
		{"tiff over page limit", tif, pervichka.Limits{MaxPages: 2}, pervichka.CodeTooManyPages},
		{"tiff page over pixel limit", buildTIFF([]tiffPage{
			{w: 4, h: 4, value: func(x, y int) uint8 { return 0 }},
			{w: 40, h: 40, value: func(x, y int) uint8 { return 0 }},
		}), pervichka.Limits{MaxPixels: 100}, pervichka.CodeTooManyPixels},
		{"jpeg truncated", jpg[:len(jpg)/2], def, pervichka.CodeCorrupt},
		{"jpeg header only", jpg[:20], def, pervichka.CodeCorrupt},
		{"png truncated", pngb[:len(pngb)-20], def, pervichka.CodeCorrupt},
		{"png bad crc", func() []byte { b := bytes.Clone(pngb); b[20] ^= 0xFF; return b }(), def, pervichka.CodeCorrupt},
		{"tiff truncated in the last IFD", tif[:len(tif)-40], def, pervichka.CodeCorrupt},
		{"tiff truncated in pixels", func() []byte {
			b := buildTIFF([]tiffPage{{w: 100, h: 100, value: func(x, y int) uint8 { return 0 }}})
			// Move the IFD to the front by cutting the strip short: keep the
			// header, then the IFD copied from the end, pointing past the end.
			ifd := b[8+100*100:]
			out := append([]byte("II*\x00\x08\x00\x00\x00"), ifd...)
			return append(out, make([]byte, 50)...)
		}(), def, pervichka.CodeCorrupt},
		{"tiff IFD out of bounds", []byte("II*\x00\xFF\xFF\x00\x00"), def, pervichka.CodeCorrupt},
		{"webp truncated", webpb[:len(webpb)/2], def, pervichka.CodeCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imgs, err := Decode(context.Background(), tt.in, tt.lim)
			if got := codeOf(err); got != tt.code {
				t.Fatalf("err = %v (code %q), want code %q", err, got, tt.code)
			}
			if imgs != nil {
				t.Errorf("images returned with an error")
			}
		})
	}
}

// TestPixelLimitBeforeDecode shows that a header claiming 10^10 pixels is
// refused from the header alone: quickly and without allocating the image.
func TestPixelLimitBeforeDecode(t *testing.T) {
	b := pngHeaderOnly(100000, 100000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Decode(context.Background(), b, pervichka.DefaultLimits())
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if codeOf(err) != pervichka.CodeTooManyPixels {
		t.Fatalf("err = %v, want too_many_pixels", err)
	}
	if elapsed > 100*time.Millisecond {
		t.Errorf("took %v: the refusal should come from the header", elapsed)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("allocated %d bytes: the refusal should come before decoding", alloc)
	}
}

func TestDecodeCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, in := range [][]byte{encodePNG(t, storedFor(1)), buildTIFF([]tiffPage{{w: 4, h: 4, value: func(x, y int) uint8 { return 0 }}})} {
		if _, err := Decode(ctx, in, pervichka.Limits{}); codeOf(err) != pervichka.CodeCanceled {
			t.Errorf("err = %v, want canceled", err)
		}
	}
}

func TestDecodeEachStopsOnCallbackError(t *testing.T) {
	tif := buildTIFF([]tiffPage{
		{w: 4, h: 4, value: func(x, y int) uint8 { return 0 }},
		{w: 4, h: 4, value: func(x, y int) uint8 { return 0 }},
	})
	stop := errors.New("enough")
	calls := 0
	err := DecodeEach(context.Background(), tif, pervichka.Limits{}, func(int, image.Image) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("err = %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func TestDecoderPanicBecomesError(t *testing.T) {
	_, err := safeDecode(func(r io.Reader) (image.Image, error) { panic("index out of range") }, bytes.NewReader(nil))
	if !errors.Is(err, errPanic) {
		t.Fatalf("err = %v, want errPanic", err)
	}
	_, err = safeConfig(func(r io.Reader) (image.Config, error) { panic("boom") }, bytes.NewReader(nil))
	if !errors.Is(err, errPanic) {
		t.Fatalf("err = %v, want errPanic", err)
	}
}

func TestOrientKeepsTypes(t *testing.T) {
	src := image.NewGray(image.Rect(10, 20, 13, 22)) // not at the origin
	src.SetGray(10, 20, color.Gray{Y: 7})            // stored top-left
	if Orient(src, 1) != image.Image(src) {
		t.Fatal("orientation 1 must return the image itself")
	}
	for o := 2; o <= 8; o++ {
		out := Orient(src, o)
		if _, ok := out.(*image.Gray); !ok {
			t.Fatalf("orientation %d: type %T", o, out)
		}
		// Where the stored top-left pixel lands, from the EXIF wording.
		w, h := 3, 2
		want := map[int]image.Point{1: {0, 0}, 2: {w - 1, 0}, 3: {w - 1, h - 1}, 4: {0, h - 1},
			5: {0, 0}, 6: {h - 1, 0}, 7: {h - 1, w - 1}, 8: {0, w - 1}}[o]
		if got := out.(*image.Gray).GrayAt(want.X, want.Y).Y; got != 7 {
			t.Errorf("orientation %d: pixel at %v is %d, want the stored top-left", o, want, got)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(withEXIF(encodeJPEG(f, storedFor(6)), binary.BigEndian, 6))
	f.Add(encodePNG(f, storedFor(1)))
	f.Add(buildTIFF([]tiffPage{{w: 3, h: 2, value: func(x, y int) uint8 { return uint8(x) }, orientation: 8}, {w: 2, h: 2, value: func(x, y int) uint8 { return 1 }}}))
	for _, name := range []string{"quadrants.webp", "quadrants-lossless.webp", "quadrants-exif6.webp"} {
		f.Add(readTestdata(f, name))
	}
	f.Add(pngHeaderOnly(100000, 100000))
	lim := pervichka.Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxPages: 8}
	f.Fuzz(func(t *testing.T, b []byte) {
		imgs, err := Decode(context.Background(), b, lim)
		if err != nil {
			var e *pervichka.Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(imgs) == 0 || len(imgs) > lim.MaxPages {
			t.Fatalf("%d images", len(imgs))
		}
		for _, img := range imgs {
			if s := img.Bounds().Size(); int64(s.X)*int64(s.Y) > lim.MaxPixels {
				t.Fatalf("image %v over the pixel limit", s)
			}
		}
	})
}

// TestOrientYCbCrMatchesAt checks the fast YCbCr path against At on sub-
// images with odd origins, for every subsampling JPEG produces.
func TestOrientYCbCrMatchesAt(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410}
	for _, ratio := range ratios {
		full := image.NewYCbCr(image.Rect(0, 0, 17, 13), ratio)
		for i := range full.Y {
			full.Y[i] = uint8(i * 7)
		}
		for i := range full.Cb {
			full.Cb[i], full.Cr[i] = uint8(i*13), uint8(255-i*5)
		}
		src := full.SubImage(image.Rect(3, 1, 16, 12)).(*image.YCbCr)
		b := src.Bounds()
		for o := 2; o <= 8; o++ {
			out := Orient(src, o)
			ob := out.Bounds()
			for dy := 0; dy < ob.Dy(); dy++ {
				for dx := 0; dx < ob.Dx(); dx++ {
					sx, sy := sourcePoint(o, b.Dx(), b.Dy(), dx, dy)
					if got, want := out.At(dx, dy), src.At(b.Min.X+sx, b.Min.Y+sy); got != want {
						t.Fatalf("ratio %v orientation %d at (%d,%d): %v, want %v", ratio, o, dx, dy, got, want)
					}
				}
			}
		}
	}
}

func TestOrientPixMatchesAt(t *testing.T) {
	rgba := image.NewRGBA(image.Rect(0, 0, 9, 7))
	g16 := image.NewGray16(image.Rect(0, 0, 9, 7))
	cmyk := image.NewCMYK(image.Rect(0, 0, 9, 7))
	for i := range rgba.Pix {
		rgba.Pix[i], g16.Pix[i%len(g16.Pix)], cmyk.Pix[i] = uint8(i*31), uint8(i*17), uint8(i*3)
	}
	for _, full := range []interface {
		image.Image
		SubImage(image.Rectangle) image.Image
	}{rgba, g16, cmyk} {
		src := full.SubImage(image.Rect(2, 1, 8, 6))
		b := src.Bounds()
		for o := 2; o <= 8; o++ {
			out := Orient(src, o)
			if reflectType(out) != reflectType(src) {
				t.Fatalf("%T became %T", src, out)
			}
			for dy := 0; dy < out.Bounds().Dy(); dy++ {
				for dx := 0; dx < out.Bounds().Dx(); dx++ {
					sx, sy := sourcePoint(o, b.Dx(), b.Dy(), dx, dy)
					if got, want := out.At(dx, dy), src.At(b.Min.X+sx, b.Min.Y+sy); got != want {
						t.Fatalf("%T orientation %d at (%d,%d): %v, want %v", src, o, dx, dy, got, want)
					}
				}
			}
		}
	}
}

func reflectType(v any) string { return fmt.Sprintf("%T", v) }
