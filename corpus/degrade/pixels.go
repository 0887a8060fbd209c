// Package degrade turns a clean 300-dpi page render into what actually
// arrives at an intake desk: a flatbed scan, a messenger photo of the sheet
// on a table, a badly taken photo, and PDFs made of such images. Every
// function is deterministic given its *rand.Rand, so a corpus is
// reproducible from its seed.
package degrade

import (
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// toRGBA returns page as *image.RGBA with origin (0, 0), copying only when
// it is some other kind of image.
func toRGBA(page image.Image) *image.RGBA {
	if m, ok := page.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := page.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, page, b.Min, draw.Src)
	return m
}

// halve averages 2×2 blocks: a fast, alias-free way to shrink a 300-dpi page
// towards the size it takes in a photo before the perspective warp.
func halve(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx()/2, src.Rect.Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			a := src.Pix[2*y*src.Stride:]
			b := src.Pix[(2*y+1)*src.Stride:]
			d := dst.Pix[y*dst.Stride:]
			for x := range w {
				i := 8 * x
				for c := range 4 {
					d[4*x+c] = uint8((uint32(a[i+c]) + uint32(a[i+4+c]) + uint32(b[i+c]) + uint32(b[i+4+c]) + 2) >> 2)
				}
			}
		}
	})
	return dst
}

// parallelRows splits [0, h) into bands processed on all cores. Work is
// split by rows only, so results do not depend on scheduling.
func parallelRows(h int, fn func(y0, y1 int)) {
	n := runtime.GOMAXPROCS(0)
	if n > h {
		n = h
	}
	if n <= 1 {
		fn(0, h)
		return
	}
	var wg sync.WaitGroup
	band := (h + n - 1) / n
	for y := 0; y < h; y += band {
		wg.Add(1)
		go func(y0, y1 int) {
			defer wg.Done()
			fn(y0, y1)
		}(y, min(y+band, h))
	}
	wg.Wait()
}

// hash64 is splitmix64: a cheap, good per-pixel random source that can be
// evaluated in any order.
func hash64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// gauss returns an approximately normal value (mean 0, sd 1) for a pixel,
// as the sum of four uniforms from one hash.
func gauss(seed uint64, x, y int) float64 {
	h := hash64(seed ^ uint64(y)<<32 ^ uint64(x))
	s := float64(h&0xffff) + float64(h>>16&0xffff) + float64(h>>32&0xffff) + float64(h>>48)
	return (s/65535 - 2) * 1.7320508 // sd of sum of 4 U(0,1) is sqrt(4/12)
}

// gauss3 returns three roughly normal values (mean 0, sd 1; triangular
// sums of two uniforms) for a pixel from one hash: luma noise plus two
// chroma noises.
func gauss3(seed uint64, x, y int) (float64, float64, float64) {
	h := hash64(seed ^ uint64(y)<<32 ^ uint64(x))
	a := float64(h&0xffff) + float64(h>>16&0xffff) - 65535
	b := float64(h>>32&0xff) + float64(h>>40&0xff) - 255
	c := float64(h>>48&0xff) + float64(h>>56) - 255
	return a / 26754, b / 104.1, c / 104.1
}

// valueNoise is smooth random noise in [0, 1]: random values on a grid,
// interpolated with a smoothstep; cells may be stretched (wood grain).
type valueNoise struct {
	cx, cy float64
	gw, gh int
	v      []float64
}

func newValueNoise(rng *rand.Rand, w, h int, cx, cy float64) valueNoise {
	gw, gh := int(float64(w)/cx)+3, int(float64(h)/cy)+3
	v := make([]float64, gw*gh)
	for i := range v {
		v[i] = rng.Float64()
	}
	return valueNoise{cx: cx, cy: cy, gw: gw, gh: gh, v: v}
}

func (n valueNoise) at(x, y float64) float64 {
	fx, fy := x/n.cx, y/n.cy
	if fx < 0 {
		fx = 0
	}
	if fy < 0 {
		fy = 0
	}
	ix, iy := int(fx), int(fy)
	if ix > n.gw-2 {
		ix = n.gw - 2
	}
	if iy > n.gh-2 {
		iy = n.gh - 2
	}
	tx, ty := math.Min(fx-float64(ix), 1), math.Min(fy-float64(iy), 1)
	tx, ty = tx*tx*(3-2*tx), ty*ty*(3-2*ty)
	i := iy*n.gw + ix
	a := n.v[i] + (n.v[i+1]-n.v[i])*tx
	b := n.v[i+n.gw] + (n.v[i+n.gw+1]-n.v[i+n.gw])*tx
	return a + (b-a)*ty
}

// uniform returns a value in [lo, hi).
func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + rng.Float64()*(hi-lo) }

func clamp8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// blurKernel is a normalised Gaussian kernel in 16.16 fixed point, cut at
// two sigmas (the tails change nothing visible at 8 bits).
func blurKernel(sigma float64) []int32 {
	r := int(math.Ceil(sigma * 2))
	if r < 1 {
		r = 1
	}
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	out := make([]int32, len(k))
	var tot int32
	for i := range k {
		out[i] = int32(k[i] / sum * 65536)
		tot += out[i]
	}
	out[r] += 65536 - tot
	return out
}

// blurPix applies a separable Gaussian to an interleaved 8-bit image with
// ch bytes per pixel, in place, blurring the first min(ch, 3) channels (an
// RGBA image's alpha stays as it is).
func blurPix(pix []uint8, w, h, stride, ch int, sigma float64) {
	if sigma <= 0.05 || w < 2 || h < 2 {
		return
	}
	k := blurKernel(sigma)
	r := len(k) / 2
	nc := min(ch, 3)
	n := w * ch
	tmp := make([]uint8, len(pix))
	// Horizontal: pix -> tmp, the row padded by repeating its end pixels.
	parallelRows(h, func(y0, y1 int) {
		pad := make([]uint8, (w+2*r)*ch)
		for y := y0; y < y1; y++ {
			row := pix[y*stride : y*stride+n]
			copy(pad[r*ch:], row)
			for i := range r {
				copy(pad[i*ch:(i+1)*ch], row[:ch])
				copy(pad[(r+w+i)*ch:(r+w+i+1)*ch], row[n-ch:])
			}
			out := tmp[y*stride : y*stride+n]
			copy(out, row) // keeps untouched channels
			for x := range w {
				base := x * ch
				for c := range nc {
					var acc int32
					p := pad[base+c:]
					for i, kv := range k {
						acc += kv * int32(p[i*ch])
					}
					out[base+c] = uint8((acc + 32768) >> 16)
				}
			}
		}
	})
	// Vertical: tmp -> pix.
	parallelRows(h, func(y0, y1 int) {
		acc := make([]int32, n)
		for y := y0; y < y1; y++ {
			clear(acc)
			for i, kv := range k {
				yy := min(max(y+i-r, 0), h-1)
				src := tmp[yy*stride : yy*stride+n]
				for j, v := range src {
					acc[j] += kv * int32(v)
				}
			}
			out := pix[y*stride : y*stride+n]
			for j, a := range acc {
				out[j] = uint8((a + 32768) >> 16)
			}
		}
	})
}

// sinTable holds one period of sin in sinSteps steps, for per-pixel waves
// (wood rings, the bow of the paper) where math.Sin's precision is wasted.
const sinSteps = 4096

var sinTable = func() [sinSteps + 1]float64 {
	var t [sinSteps + 1]float64
	for i := range t {
		t[i] = math.Sin(2 * math.Pi * float64(i) / sinSteps)
	}
	return t
}()

// fastSin approximates sin(2π·turns) by linear interpolation in sinTable.
func fastSin(turns float64) float64 {
	turns -= math.Floor(turns)
	f := turns * sinSteps
	i := int(f)
	if i >= sinSteps {
		i = sinSteps - 1
	}
	t := f - float64(i)
	return sinTable[i] + (sinTable[i+1]-sinTable[i])*t
}
