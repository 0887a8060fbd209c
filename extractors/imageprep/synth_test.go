package imageprep

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/disintegration/imaging"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Synthetic test pages: Russian document text rendered with DejaVu Sans,
// optionally a blue stamp, then photographed (perspective on a dark
// background, a light gradient, a shadow, noise, downscale, JPEG) or
// scanned (grey paper, skew, noise, a dark edge).

const fontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

var (
	fontOnce sync.Once
	fontData *opentype.Font
	fontErr  error
)

func loadFont(t testing.TB) *opentype.Font {
	t.Helper()
	fontOnce.Do(func() {
		b, err := os.ReadFile(fontPath)
		if err != nil {
			fontErr = err
			return
		}
		fontData, fontErr = opentype.Parse(b)
	})
	if fontErr != nil {
		t.Skipf("font %s: %v", fontPath, fontErr)
	}
	return fontData
}

func face(t testing.TB, px float64) font.Face {
	f, err := opentype.NewFace(loadFont(t), &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		t.Fatalf("face: %v", err)
	}
	return f
}

// capHeightPx is the true capital height of DejaVu Sans at px.
func capHeightPx(t testing.TB, px float64) float64 {
	m, err := loadFont(t).Metrics(nil, fixed.I(int(px*64)), font.HintingNone)
	if err != nil {
		t.Fatal(err)
	}
	return math.Abs(float64(m.CapHeight)) / 64 / 64
}

var words = []string{"поставка", "товара", "оплата", "договор", "услуги", "работы", "сумма", "итого", "без", "НДС",
	"количество", "цена", "руб.", "шт.", "поставщик", "покупатель", "грузополучатель", "основание", "счёт", "акт",
	"выполненных", "Москва", "ООО", "«Ромашка»", "АО", "«Вектор»", "банк", "получателя", "адрес", "ул.", "Ленина", "д."}

// pageText produces document-like lines with numbers that matter.
func pageText(r *rand.Rand, n int) []string {
	num := func(d int) string {
		var b strings.Builder
		for i := 0; i < d; i++ {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		return b.String()
	}
	lines := []string{
		fmt.Sprintf("Счёт на оплату № %d от %02d.%02d.2026", r.IntN(900)+10, r.IntN(28)+1, r.IntN(12)+1),
		fmt.Sprintf("ИНН %s КПП %s", num(10), num(9)),
		fmt.Sprintf("БИК %s Сч. № %s", num(9), num(20)),
	}
	for len(lines) < n {
		var b strings.Builder
		for b.Len() < 70 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			if r.IntN(6) == 0 {
				fmt.Fprintf(&b, "%d,%02d", r.IntN(99999), r.IntN(100))
			} else {
				b.WriteString(words[r.IntN(len(words))])
			}
		}
		lines = append(lines, b.String())
	}
	return lines
}

// renderPage draws lines on a white w×h page with text of size px
// (points at 72 dpi = pixels); stamp adds a blue ring with text over the
// lower lines.
func renderPage(t testing.TB, w, h int, px float64, lines []string, stamp bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{250, 250, 247, 255}), image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{25, 25, 30, 255}), Face: face(t, px)}
	margin := w / 10
	lh := px * 1.6
	for i, l := range lines {
		y := float64(margin) + lh*float64(i+1)
		if y > float64(h-margin) {
			break
		}
		d.Dot = fixed.P(margin, int(y))
		d.DrawString(l)
	}
	if stamp {
		cx, cy := float64(w)*0.62, float64(margin)+lh*float64(len(lines))*0.8
		rad := float64(w) * 0.11
		ink := color.RGBA{70, 80, 200, 255}
		for y := int(cy - rad - 4); y < int(cy+rad+4); y++ {
			for x := int(cx - rad - 4); x < int(cx+rad+4); x++ {
				r := math.Hypot(float64(x)-cx, float64(y)-cy)
				if math.Abs(r-rad) < px*0.15 || math.Abs(r-rad*0.7) < px*0.1 {
					img.Set(x, y, ink)
				}
			}
		}
		sd := &font.Drawer{Dst: img, Src: image.NewUniform(ink), Face: face(t, px*0.9)}
		sd.Dot = fixed.P(int(cx-rad*0.55), int(cy+px*0.3))
		sd.DrawString("ДЛЯ ДОКУМЕНТОВ")
	}
	return img
}

// photoParams describe one synthetic phone photo.
type photoParams struct {
	seed    uint64
	frameW  int     // frame before downscale; height is 4/3 of it
	long    int     // long side after downscale
	quality int     // JPEG quality
	tilt    float64 // page rotation in the frame, degrees
	persp   float64 // corner jitter as a share of the page width
	shadow  bool
	// cornerShadow darkens the page's top-right corner to the background's
	// level (a hand or a phone over it): the corner leaves the bright
	// region, as on generated photo_real 009-act of seed 31. The table is
	// then grey stone, as bright as the shaded paper.
	cornerShadow bool
	stamp        bool
	fontPx       float64 // on the 1654×2339 page (200 dpi): 10 pt ≈ 28 px
	pageFrac     float64 // page height as a share of the frame height
	rotateQuad   int     // quarter turns clockwise applied to the frame
}

type synthPhoto struct {
	img     image.Image
	corners [4]point // page TL, TR, BR, BL in the final image
	text    string
}

var photoCache sync.Map // photoParams → synthPhoto: tests share pages

func makePhoto(t testing.TB, pp photoParams) synthPhoto {
	t.Helper()
	if v, ok := photoCache.Load(pp); ok {
		return v.(synthPhoto)
	}
	ph := renderPhoto(t, pp)
	photoCache.Store(pp, ph)
	return ph
}

func renderPhoto(t testing.TB, pp photoParams) synthPhoto {
	r := rand.New(rand.NewPCG(pp.seed, 7))
	lines := pageText(r, 40)
	const pw, ph = 1654, 2339
	page := renderPage(t, pw, ph, pp.fontPx, lines, pp.stamp)
	fw := pp.frameW
	fh := fw * 4 / 3
	// Page quad in the frame: centred, scaled, tilted, jittered.
	s := pp.pageFrac * float64(fh) / ph
	cx, cy := float64(fw)/2+float64(r.IntN(41)-20), float64(fh)/2+float64(r.IntN(41)-20)
	th := pp.tilt * math.Pi / 180
	var q [4]point
	for i, c := range [4]point{{-pw / 2, -ph / 2}, {pw / 2, -ph / 2}, {pw / 2, ph / 2}, {-pw / 2, ph / 2}} {
		jx := (r.Float64()*2 - 1) * pp.persp * pw * s
		jy := (r.Float64()*2 - 1) * pp.persp * pw * s
		x, y := c.X*s, c.Y*s
		q[i] = point{cx + x*math.Cos(th) - y*math.Sin(th) + jx, cy + x*math.Sin(th) + y*math.Cos(th) + jy}
	}
	pageRect := [4]point{{0, 0}, {pw, 0}, {pw, ph}, {0, ph}}
	hm, ok := homographyFromQuads(q, pageRect)
	if !ok {
		t.Fatal("synthetic homography")
	}
	frame := image.NewRGBA(image.Rect(0, 0, fw, fh))
	// Shadow: a soft half-plane across one side.
	sa := r.Float64() * 2 * math.Pi
	snx, sny := math.Cos(sa), math.Sin(sa)
	sc := float64(fw)*0.5*snx + float64(fh)*0.5*sny + float64(fw)*0.15
	gx, gy := r.Float64()*2-1, r.Float64()*2-1
	for y := 0; y < fh; y++ {
		for x := 0; x < fw; x++ {
			px, py := hm.apply(float64(x)+0.5, float64(y)+0.5)
			var cr, cg, cb float64
			if px >= 0 && py >= 0 && px < pw-1 && py < ph-1 {
				cr, cg, cb = bilinearRGB(page, px, py)
			} else {
				n := r.Float64() * 20
				cr, cg, cb = 90+n, 65+n, 45+n // wooden table
				if pp.cornerShadow {
					cr, cg, cb = 105+n, 105+n, 105+n // grey stone: the shade of paper in shadow
				}
			}
			l := 0.8 + 0.2*(gx*(float64(x)/float64(fw)-0.5)+gy*(float64(y)/float64(fh)-0.5))*2
			if pp.shadow {
				d := float64(x)*snx + float64(y)*sny - sc
				l *= 1 - 0.45*smoothstep(-12, 12, d)
			}
			if pp.cornerShadow {
				// The half-plane beyond the line through the points a
				// third of the way from the top-right corner along the
				// top and the right sides.
				a := point{q[1].X + (q[0].X-q[1].X)/3, q[1].Y + (q[0].Y-q[1].Y)/3}
				b := point{q[1].X + (q[2].X-q[1].X)/4, q[1].Y + (q[2].Y-q[1].Y)/4}
				if cross(a, b, point{float64(x), float64(y)}) < 0 {
					l *= 0.35
				}
			}
			n := r.NormFloat64() * 3
			frame.Pix[y*frame.Stride+4*x] = sat(int(cr*l + n))
			frame.Pix[y*frame.Stride+4*x+1] = sat(int(cg*l + n))
			frame.Pix[y*frame.Stride+4*x+2] = sat(int(cb*l + n))
			frame.Pix[y*frame.Stride+4*x+3] = 255
		}
	}
	var img image.Image = frame
	f := float64(pp.long) / float64(fh)
	small := imaging.Resize(img, int(float64(fw)*f), pp.long, imaging.Lanczos)
	for i := range q {
		q[i] = point{q[i].X * f, q[i].Y * f}
	}
	var rotated image.Image = small
	for k := 0; k < pp.rotateQuad; k++ {
		rotated = imaging.Rotate270(rotated) // imaging turns counter-clockwise
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, rotated, &jpeg.Options{Quality: pp.quality}); err != nil {
		t.Fatal(err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return synthPhoto{img: dec, corners: q, text: strings.Join(lines, "\n")}
}

func smoothstep(a, b, x float64) float64 {
	t := (x - a) / (b - a)
	t = max(0, min(1, t))
	return t * t * (3 - 2*t)
}

func bilinearRGB(m *image.RGBA, x, y float64) (float64, float64, float64) {
	x -= 0.5
	y -= 0.5
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	x0, y0 = max(0, x0), max(0, y0)
	x1, y1 := min(x0+1, m.Rect.Dx()-1), min(y0+1, m.Rect.Dy()-1)
	var out [3]float64
	for c := 0; c < 3; c++ {
		p := func(x, y int) float64 { return float64(m.Pix[y*m.Stride+4*x+c]) }
		top := p(x0, y0) + (p(x1, y0)-p(x0, y0))*fx
		bot := p(x0, y1) + (p(x1, y1)-p(x0, y1))*fx
		out[c] = top + (bot-top)*fy
	}
	return out[0], out[1], out[2]
}

// makeScan renders a 200-dpi grey scan, skewed by deg, with noise and a
// dark edge on the left; returned as a JPEG q90-decoded image.
func makeScan(t testing.TB, seed uint64, deg float64) (image.Image, string) {
	r := rand.New(rand.NewPCG(seed, 11))
	lines := pageText(r, 40)
	page := renderPage(t, 1654, 2339, 28, lines, false)
	g := image.NewGray(page.Rect)
	for i := range g.Pix {
		g.Pix[i] = page.Pix[4*i+1]
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	g = warpGray(g, rotationMap(-deg, w, h, w, h), w, h, 250)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := float64(g.Pix[y*g.Stride+x])*0.94 + r.NormFloat64()*5
			if x < 45 {
				v = 30 + r.NormFloat64()*5
			}
			g.Pix[y*g.Stride+x] = sat(int(v))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, g, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return dec, strings.Join(lines, "\n")
}

// defaultPhoto is a messenger-like photo: 1400 px, q60, shadow, stamp.
func defaultPhoto(seed uint64) photoParams {
	return photoParams{seed: seed, frameW: 1500, long: 1400, quality: 60, tilt: 2.5, persp: 0.04,
		shadow: true, stamp: true, fontPx: 28, pageFrac: 0.8}
}
