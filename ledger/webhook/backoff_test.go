package webhook

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{1, 10 * time.Second},
		{2, 20 * time.Second},
		{4, 80 * time.Second},
		{9, 2560 * time.Second},
		{10, time.Hour}, // 5120 s capped
		{50, time.Hour},
	}
	for _, tt := range tests {
		for range 20 {
			got := Backoff(10*time.Second, time.Hour, tt.attempt)
			if lo, hi := tt.want*9/10, tt.want*11/10; got < lo || got > hi {
				t.Errorf("attempt %d: %s, want %s ±10%%", tt.attempt, got, tt.want)
			}
		}
	}
}
