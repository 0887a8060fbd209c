package pixelbudget

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
)

// TestBudgetBoundsWhatIsHeld runs many holders of different sizes at once and
// checks that the bytes held together never exceed the budget, that a request
// larger than the budget still runs (alone), and that all finish.
func TestBudgetBoundsWhatIsHeld(t *testing.T) {
	const total = 100
	b := New(total)
	var held, peak atomic.Int64
	var wg sync.WaitGroup
	sizes := []int64{10, 60, 30, 100, 250, 45, 5, 70}
	for _, n := range sizes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := b.Acquire(context.Background(), n)
			if err != nil {
				t.Error(err)
				return
			}
			cost := min(n, total)
			now := held.Add(cost)
			for {
				p := peak.Load()
				if now <= p || peak.CompareAndSwap(p, now) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			held.Add(-cost)
			release()
			release() // a second call gives nothing back twice
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > total {
		t.Errorf("held %d bytes at once, budget %d", p, total)
	}
	// Everything was given back: the whole budget can be taken again.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	release, err := b.Acquire(ctx, total)
	if err != nil {
		t.Fatalf("budget not whole again after all released: %v", err)
	}
	release()
}

func TestBudgetWaitEndsWithContext(t *testing.T) {
	b := New(10)
	release, err := b.Acquire(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = b.Acquire(ctx, 1)
	var pe *pervichka.Error
	if !errors.As(err, &pe) || pe.Code != pervichka.CodeCanceled {
		t.Fatalf("want CodeCanceled while the budget is held, got %v", err)
	}
}

func TestNilBudgetAllowsAll(t *testing.T) {
	var b *Budget
	if New(0) != nil {
		t.Error("New(0) should be no budget")
	}
	release, err := b.Acquire(context.Background(), 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	release()
}
