package degrade

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkScan(b *testing.B) {
	page := testPage(sheetPortrait())
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Scan(rand.New(rand.NewPCG(uint64(i), 1)), page)
	}
}

func BenchmarkPhoto(b *testing.B) {
	page := testPage(sheetPortrait())
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Photo(rand.New(rand.NewPCG(uint64(i), 1)), page); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHardPhoto(b *testing.B) {
	page := testPage(sheetPortrait())
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := HardPhoto(rand.New(rand.NewPCG(uint64(i), 1)), page); err != nil {
			b.Fatal(err)
		}
	}
}
