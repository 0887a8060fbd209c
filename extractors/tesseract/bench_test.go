package tesseract

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/otiai10/gosseract/v2"
	"golang.org/x/image/bmp"
	"golang.org/x/image/draw"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// photoSize scales a 300-dpi page to a messenger photo's 1600 px long side
// and returns it with its resolution.
func photoSize(src *image.Gray) (*image.Gray, int) {
	b := src.Bounds()
	k := 1600.0 / float64(b.Dy())
	dst := image.NewGray(image.Rect(0, 0, int(float64(b.Dx())*k), 1600))
	draw.CatmullRom.Scale(dst, dst.Rect, src, b, draw.Src, nil)
	return dst, int(300 * k)
}

// BenchmarkWords reports seconds per page and the process's CPU time per
// wall time (about 1 when Tesseract keeps to one core). The per-thread
// OpenMP limit is measured by running the benchmark twice in fresh
// processes, since the limit sticks to OS threads once set:
//
//	go test -run - -bench Words -benchtime 3x
//	TESSERACT_BENCH_OMP=unlimited go test -run - -bench Words -benchtime 3x
//	TESSERACT_BENCH_OMP=unlimited OMP_THREAD_LIMIT=1 go test ...
func BenchmarkWords(b *testing.B) {
	setOMPUnlimited(os.Getenv("TESSERACT_BENCH_OMP") == "unlimited")
	defer setOMPUnlimited(false)
	a4 := invoicePage(b, 300)
	photo, photoDPI := photoSize(a4)
	cases := []struct {
		name string
		img  image.Image
		dpi  int
	}{
		{"A4-300dpi", a4, 300},
		{"photo-1600px", photo, photoDPI},
	}
	p, err := NewPool(context.Background(), Options{Size: 1, RecycleAfter: 1000})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if _, err := p.Words(context.Background(), c.img, c.dpi); err != nil { // warm
				b.Fatal(err)
			}
			cpu0, wall0 := cpuTime(), time.Now()
			for b.Loop() {
				if _, err := p.Words(context.Background(), c.img, c.dpi); err != nil {
					b.Fatal(err)
				}
			}
			wall, cpu := time.Since(wall0), cpuTime()-cpu0
			b.ReportMetric(wall.Seconds()/float64(b.N), "s/page")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/page")
			b.ReportMetric(float64(cpu)/float64(wall), "cpu/wall")
		})
	}
}

// invoiceValues are the tokens of invoicePage a reader must get verbatim.
var invoiceValues = []string{
	"7707083893", "773601001", "40702810938000012345", "044525225",
	"30101810400000000225", "5032123457", "503201001", "142", "17/2024",
	"35 000,00", "125 000,00", "14 500,00", "40 000,00", "214 500,00", "35 750,00",
	"12 500,00", "350,00", "290,00", "CF259X",
}

// invoicePairs are label and value read together on one line, which a
// field extractor reading lines needs (a box-aware one can do without).
var invoicePairs = []string{
	"ИНН 7707083893", "КПП 773601001", "БИК 044525225", "Итого: 214 500,00",
	"Покупатель: АО «Вектор», ИНН 5032123457", "НДС 20%: 35 750,00",
	"Сч. № 30101810400000000225", "Сч. № 40702810938000012345",
}

// valueRecall is the share of want found in the text.
func valueRecall(text string, want []string) (float64, []string) {
	var missed []string
	for _, v := range want {
		if !strings.Contains(text, v) {
			missed = append(missed, v)
		}
	}
	return 1 - float64(len(missed))/float64(len(want)), missed
}

// lineText joins words into lines the way a field extractor sees them.
func lineText(boxes []gosseract.BoundingBox) string {
	var sb strings.Builder
	prev := [3]int{-1, -1, -1}
	for _, bx := range boxes {
		k := [3]int{bx.BlockNum, bx.ParNum, bx.LineNum}
		if k != prev {
			sb.WriteByte('\n')
			prev = k
		} else {
			sb.WriteByte(' ')
		}
		sb.WriteString(bx.Word)
	}
	return sb.String()
}

// BenchmarkPSM compares page segmentation modes 3 (auto) and 6 (one block)
// on the invoice page at 300 dpi and at photo size: value recall (values
// found verbatim within one line) and time.
func BenchmarkPSM(b *testing.B) {
	a4 := invoicePage(b, 300)
	photo, photoDPI := photoSize(a4)
	p, err := NewPool(context.Background(), Options{Size: 1, RecycleAfter: 1000})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for _, img := range []struct {
		name string
		g    *image.Gray
		dpi  int
	}{{"A4-300dpi", a4, 300}, {"photo-1600px", photo, photoDPI}} {
		data := bmp8(img.g.Pix, img.g.Rect.Dx(), img.g.Rect.Dy(), img.dpi)
		for _, psm := range []gosseract.PageSegMode{gosseract.PSM_AUTO, gosseract.PSM_SINGLE_BLOCK} {
			b.Run(fmt.Sprintf("%s/psm%d", img.name, psm), func(b *testing.B) {
				var text string
				cpu0 := cpuTime()
				for b.Loop() {
					s, err := p.acquire(context.Background())
					if err != nil {
						b.Fatal(err)
					}
					boxes, err := p.recognise(context.Background(), s, data, psm, "", img.dpi)
					if err != nil {
						b.Fatal(err)
					}
					text = lineText(boxes)
				}
				r, missed := valueRecall(text, invoiceValues)
				b.ReportMetric(r, "recall")
				pr, pmissed := valueRecall(text, invoicePairs)
				b.ReportMetric(pr, "pairs")
				missed = append(missed, pmissed...)
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/page")
				b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/page")
				if os.Getenv("TESSERACT_BENCH_TEXT") != "" {
					_ = os.WriteFile(os.Getenv("TESSERACT_BENCH_TEXT")+"-"+strings.ReplaceAll(b.Name(), "/", "-")+".txt", []byte(text), 0o644)
				}
				if len(missed) > 0 {
					b.Logf("missed: %q", missed)
				}
			})
		}
	}
}

// BenchmarkEncode compares the formats an image can reach Leptonica in:
// encoding in Go plus decoding by pixReadMem (gosseract.SetImageFromBytes).
func BenchmarkEncode(b *testing.B) {
	a4 := invoicePage(b, 300)
	c := gosseract.NewClient()
	defer c.Close()
	encoders := map[string]func() []byte{
		"pnm": func() []byte {
			g, w, h := toGray(a4)
			return pnm(g, w, h)
		},
		"bmp8": func() []byte { return grayBMP(a4, 300) },
		"bmp": func() []byte {
			var buf bytes.Buffer
			_ = bmp.Encode(&buf, a4)
			return buf.Bytes()
		},
		"png-nocompression": func() []byte {
			var buf bytes.Buffer
			_ = (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, a4)
			return buf.Bytes()
		},
		"png-bestspeed": func() []byte {
			var buf bytes.Buffer
			_ = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, a4)
			return buf.Bytes()
		},
	}
	for _, name := range []string{"pnm", "bmp8", "bmp", "png-nocompression", "png-bestspeed"} {
		b.Run(name+"/encode", func(b *testing.B) {
			for b.Loop() {
				encoders[name]()
			}
		})
		b.Run(name+"/decode", func(b *testing.B) {
			data := encoders[name]()
			for b.Loop() {
				if err := c.SetImageFromBytes(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// pnm encodes gray pixels as a binary PGM (P5) file, for comparison.
func pnm(pix []byte, w, h int) []byte {
	hdr := "P5\n" + strconv.Itoa(w) + " " + strconv.Itoa(h) + "\n255\n"
	out := make([]byte, 0, len(hdr)+len(pix))
	out = append(out, hdr...)
	return append(out, pix...)
}

// BenchmarkOrientation measures OSD time and accuracy over the four turns of
// the invoice page: by the long side the image is reduced to, and through
// Orientation (fast pass, retried at full size when weak) on the 300-dpi
// page and at photo size.
func BenchmarkOrientation(b *testing.B) {
	page := invoicePage(b, 300)
	photo, _ := photoSize(page)
	turns := []int{0, 90, 180, 270}
	p, err := NewPool(context.Background(), Options{Size: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	var cpu0 time.Duration
	report := func(b *testing.B, right, total int, conf float64, unit string) {
		b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(total), "cpu-s/page")
		b.ReportMetric(float64(right)/float64(total), "accuracy")
		b.ReportMetric(conf/float64(total), unit)
		b.ReportMetric(b.Elapsed().Seconds()/float64(total), "s/page")
		b.ReportMetric(0, "ns/op")
	}
	for _, src := range []struct {
		name string
		g    *image.Gray
	}{{"A4-300dpi", page}, {"photo-1600px", photo}} {
		turned := map[int]*image.Gray{}
		for _, r := range turns {
			turned[r] = rotateCW(src.g, r)
		}
		b.Run(src.name+"/Orientation", func(b *testing.B) {
			right, total, conf := 0, 0, 0.0
			cpu0 = cpuTime()
			for b.Loop() {
				for _, r := range turns {
					deg, c, err := p.Orientation(context.Background(), turned[r])
					if err != nil {
						b.Fatal(err)
					}
					total++
					if deg == (360-r)%360 {
						right++
					}
					conf += c
				}
			}
			report(b, right, total, conf, "conf")
		})
		if src.name != "A4-300dpi" {
			continue
		}
		s, err := p.acquire(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		for _, long := range []int{800, 1000, 1200, 1600, 2400} {
			b.Run(src.name+"/long-"+strconv.Itoa(long), func(b *testing.B) {
				right, total, raw := 0, 0, 0.0
				cpu0 = cpuTime()
				for b.Loop() {
					for _, r := range turns {
						deg, c, ok := p.detect(s.osd, turned[r], long)
						total++
						if ok && deg == r {
							right++
						}
						raw += c
					}
				}
				report(b, right, total, raw, "rawconf")
			})
		}
		p.release(s, 0)
	}
}
