package degrade

import (
	"image"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time: on a shared machine it
// says more about cost than wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchShots(b *testing.B, page image.Image, f func(*rand.Rand, image.Image) ([]byte, int, error)) {
	b.Helper()
	start := cpuTime()
	b.ResetTimer()
	n := 0
	for i := 0; b.Loop(); i++ {
		if _, _, err := f(rand.New(rand.NewPCG(uint64(i), 1)), page); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(n), "cpu-ms/op")
}

func BenchmarkScan(b *testing.B) {
	page, _, _ := pages()
	benchShots(b, page, func(r *rand.Rand, p image.Image) ([]byte, int, error) { Scan(r, p); return nil, 0, nil })
}

func BenchmarkPhoto(b *testing.B) {
	page, _, _ := pages()
	benchShots(b, page, Photo)
}

func BenchmarkHardPhoto(b *testing.B) {
	page, _, _ := pages()
	benchShots(b, page, HardPhoto)
}
