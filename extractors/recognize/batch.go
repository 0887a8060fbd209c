package recognize

import (
	"context"
	"sync"

	pervichka "github.com/pervichka/pervichka"
)

// Files recognises paths with jobs files in flight at once and calls emit for
// each result in input order, as soon as it and all before it are done. emit
// is called from one goroutine at a time. Files parallelises across files,
// not pages: Tesseract runs single-threaded (OMP_THREAD_LIMIT=1), so one file
// per core keeps every core busy without oversubscribing.
func (r *Recognizer) Files(ctx context.Context, paths []string, jobs int, emit func(i int, res pervichka.Result)) {
	jobs = max(1, min(jobs, len(paths)))
	results := make([]*pervichka.Result, len(paths))
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	work := make(chan int)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var res pervichka.Result
				if err := ctx.Err(); err != nil {
					res = errorResult(paths[i], err)
				} else {
					res = r.File(ctx, paths[i])
				}
				mu.Lock()
				results[i] = &res
				for next < len(paths) && results[next] != nil {
					emit(next, *results[next])
					results[next] = nil
					next++
				}
				mu.Unlock()
			}
		}()
	}
	for i := range paths {
		work <- i
	}
	close(work)
	wg.Wait()
}
