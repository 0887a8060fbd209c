package api

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// BenchmarkUpload posts distinct 2 MB photos from 20 concurrent clients over
// loopback HTTP through the real pipeline's Submit (original stored, document
// and ingest job created; no workers) and reports the p50 and p99 latency of
// one upload. The service target is p99 ≤ 200 ms on the deployment's engine.
func BenchmarkUpload(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			env := newEnv(b, e.URL(b), func(c *Config) { c.Limits.MaxBytes = 4 << 20; c.MaxRequestBytes = 5 << 20 })
			base := fakePNG(2 << 20)
			var seq atomic.Uint64
			var mu sync.Mutex
			var latencies []time.Duration
			b.SetParallelism(10) // 10 × GOMAXPROCS; 20 clients on two cores
			b.SetBytes(int64(len(base)))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				body := slices.Clone(base)
				var mine []time.Duration
				for pb.Next() {
					binary.LittleEndian.PutUint64(body[8:], seq.Add(1)) // distinct bytes: no duplicates
					ct, mp := multipartBody(b, file("photo.jpg.png", body))
					start := time.Now()
					req, _ := http.NewRequest(http.MethodPost, env.srv.URL+"/api/v1/documents", bytes.NewReader(mp))
					req.Header.Set("Authorization", "Bearer "+env.service)
					req.Header.Set("Content-Type", ct)
					resp, err := env.srv.Client().Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					resp.Body.Close()
					mine = append(mine, time.Since(start))
					if resp.StatusCode != http.StatusCreated {
						b.Errorf("upload: %s", resp.Status)
						return
					}
				}
				mu.Lock()
				latencies = append(latencies, mine...)
				mu.Unlock()
			})
			b.StopTimer()
			slices.Sort(latencies)
			if n := len(latencies); n > 0 {
				b.ReportMetric(float64(latencies[n/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(latencies[min(n-1, n*99/100)].Microseconds())/1000, "p99-ms")
			}
		})
	}
}
