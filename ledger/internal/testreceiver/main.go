// Command testreceiver is an accounting system's webhook endpoint for the
// ledger's tests, run as a separate process so that deliveries cross a real
// network connection. It checks every delivery's signature and that its
// idempotency key names the posting in its body, fails the first N valid
// deliveries (or all of them until POST /recover), and books each posting
// once by idempotency key, counting repeats.
//
//	testreceiver -secret S [-fail-first N] [-always-fail]
//
// It prints "listening http://ADDR" when ready. GET /stats answers what it
// has seen as JSON.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/pervichka/pervichka/ledger/webhook"
)

type stats struct {
	Requests      int            `json:"requests"`
	BadSignatures int            `json:"bad_signatures"`
	Mismatches    int            `json:"mismatches"`
	Failed        int            `json:"failed"`
	Accepted      map[string]int `json:"accepted"` // idempotency key → 2xx answers given
}

func main() {
	secret := flag.String("secret", "", "HMAC secret")
	failFirst := flag.Int("fail-first", 0, "answer 503 to the first N valid deliveries")
	alwaysFail := flag.Bool("always-fail", false, "answer 503 to every delivery until POST /recover")
	flag.Parse()

	var mu sync.Mutex
	st := stats{Accepted: map[string]int{}}
	failing := *alwaysFail
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hook", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		st.Requests++
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		hmacKey, _ := webhook.Key(*secret)
		if webhook.VerifyStandard(hmacKey, r.Header, body, time.Now(), webhook.DefaultTolerance) != nil {
			st.BadSignatures++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var d struct {
			Event   string `json:"event"`
			Posting struct {
				ID int64 `json:"id"`
			} `json:"posting"`
		}
		key := r.Header.Get(webhook.IdempotencyHeader)
		if json.Unmarshal(body, &d) != nil || d.Event != "ledger.posting" || key != fmt.Sprintf("pervichka-posting-%d", d.Posting.ID) ||
			r.Header.Get(webhook.IDHeader) != key {
			st.Mismatches++
			http.Error(w, "body and idempotency key disagree", http.StatusBadRequest)
			return
		}
		if failing || st.Failed < *failFirst {
			st.Failed++
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		st.Accepted[key]++
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("POST /recover", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		failing = false
		mu.Unlock()
	})
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		_ = json.NewEncoder(w).Encode(st)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening http://%s\n", ln.Addr())
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
