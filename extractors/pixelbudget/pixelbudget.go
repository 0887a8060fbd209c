// Package pixelbudget bounds the memory a process spends on decoded pixels.
//
// Page images are the big allocations of the pipeline: an A4 page at
// 300 dpi is 8.7 MB of grey, a 60-megapixel RGBA picture 240 MB. Per-file
// limits (pixels per page, pages per file) bound one image but not how many
// are held at once by concurrent jobs. A Budget is a semaphore counted in
// bytes: whoever is about to decode or render acquires what the pixels will
// cost and releases it when the pixels are handed on or dropped, so the sum
// held at once stays under the budget whatever arrives.
//
// Limits: the cost is an estimate the caller makes before decoding (width ×
// height × bytes per pixel, times a working-set factor where the pixels are
// processed further); memory the garbage collector has not yet returned is
// not counted, which is why a budget should be about half of the memory
// meant for pixels (Go's default GOGC lets the heap grow to twice what is
// live).
package pixelbudget

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"

	pervichka "github.com/pervichka/pervichka"
)

// Budget is a process-wide allowance of bytes for decoded pixels. A nil
// *Budget allows everything, so that tools and tests without one need no
// special case. Waiters are served in arrival order.
type Budget struct {
	total int64
	sem   *semaphore.Weighted
}

// New makes a budget of total bytes; total ≤ 0 gives nil, no budget.
func New(total int64) *Budget {
	if total <= 0 {
		return nil
	}
	return &Budget{total: total, sem: semaphore.NewWeighted(total)}
}

// Total is the budget's size in bytes; 0 for a nil budget.
func (b *Budget) Total() int64 {
	if b == nil {
		return 0
	}
	return b.total
}

// Acquire waits until n bytes are free and takes them; release gives them
// back and may be called more than once. A request larger than the whole
// budget takes the whole budget: it waits until nothing else holds any and
// then runs alone, rather than never. When ctx ends first the error is a
// *pervichka.Error with CodeCanceled.
func (b *Budget) Acquire(ctx context.Context, n int64) (release func(), err error) {
	if b == nil || n <= 0 {
		return func() {}, nil
	}
	n = min(n, b.total)
	if err := b.sem.Acquire(ctx, n); err != nil {
		return nil, pervichka.WrapError(pervichka.CodeCanceled, err, fmt.Sprintf("wait for %d bytes of pixel budget", n))
	}
	return sync.OnceFunc(func() { b.sem.Release(n) }), nil
}
