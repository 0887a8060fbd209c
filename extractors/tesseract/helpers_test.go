package tesseract

import (
	"context"
	"image"
	"log/slog"
	"sync"

	"golang.org/x/image/draw"
)

// logCounter counts log messages, to observe recycling from outside.
type logCounter struct {
	mu   sync.Mutex
	msgs map[string]int
}

func (l *logCounter) logger() *slog.Logger { return slog.New(l) }

func (l *logCounter) count(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.msgs[msg]
}

func (l *logCounter) Enabled(context.Context, slog.Level) bool { return true }
func (l *logCounter) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.msgs == nil {
		l.msgs = map[string]int{}
	}
	l.msgs[r.Message]++
	return nil
}
func (l *logCounter) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logCounter) WithGroup(string) slog.Handler      { return l }

// scaleInto resamples src into dst (Catmull-Rom).
func scaleInto(dst, src *image.Gray) {
	draw.CatmullRom.Scale(dst, dst.Rect, src, src.Rect, draw.Src, nil)
}

// rotateCW turns a gray image clockwise by 90, 180 or 270 degrees.
func rotateCW(src *image.Gray, deg int) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	var dst *image.Gray
	switch deg % 360 {
	case 90, 270:
		dst = image.NewGray(image.Rect(0, 0, h, w))
	default:
		dst = image.NewGray(image.Rect(0, 0, w, h))
	}
	for y := range h {
		for x := range w {
			v := src.Pix[y*src.Stride+x]
			switch deg % 360 {
			case 0:
				dst.Pix[y*dst.Stride+x] = v
			case 90:
				dst.Pix[x*dst.Stride+(h-1-y)] = v
			case 180:
				dst.Pix[(h-1-y)*dst.Stride+(w-1-x)] = v
			case 270:
				dst.Pix[(w-1-x)*dst.Stride+y] = v
			}
		}
	}
	return dst
}
