package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// An operator's view of a running serve: /metrics on its own address
// without a token (the admin-token way on --addr kept), JSON log lines that
// name the request id an error answer also carries, and /readyz turning 503
// at SIGTERM while the listener still answers.
func TestServeProbesLogsAndMetrics(t *testing.T) {
	metricsAddr, err := objectstest.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, dbtest.SQLiteURL(t), objectstest.FileURL(t), "--ocr-workers", "1",
		"--metrics-addr", metricsAddr, "--log-format", "json", "--log-level", "debug", "--drain-delay", "3s")

	get := func(url string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	if resp, body := get("http://" + metricsAddr + "/metrics"); resp.StatusCode != 200 || !strings.Contains(string(body), "pervichka_build_info{") {
		t.Errorf("metrics address: %d, build info there: %v", resp.StatusCode, strings.Contains(string(body), "pervichka_build_info"))
	}
	if resp, _ := get(srv.url + "/metrics"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/metrics on --addr without a token: %d, want 401", resp.StatusCode)
	}
	resp, body := get(srv.url+"/api/v1/documents/1", "X-Request-Id", "req-from-proxy-1")
	var answer struct {
		Error struct {
			RequestID string `json:"request_id"`
		}
	}
	_ = json.Unmarshal(body, &answer)
	if resp.StatusCode != 401 || answer.Error.RequestID != "req-from-proxy-1" || resp.Header.Get("X-Request-Id") != "req-from-proxy-1" {
		t.Errorf("error answer %d %s, header id %q: want the request id in both", resp.StatusCode, body, resp.Header.Get("X-Request-Id"))
	}

	if err := srv.worker.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		r, err := http.Get(srv.url + "/readyz")
		if err != nil {
			t.Fatalf("/readyz not 503 before the listener closed: %v", err)
		}
		r.Body.Close()
		if r.StatusCode == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d after SIGTERM", r.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if resp, _ := get(srv.url + "/healthz"); resp.StatusCode != 200 {
		t.Errorf("/healthz while draining: %d, want 200 (the process is alive)", resp.StatusCode)
	}
	select {
	case <-srv.worker.done:
	case <-time.After(60 * time.Second):
		t.Fatal("serve still running 60s after SIGTERM")
	}
	found := false
	sc := bufio.NewScanner(strings.NewReader(srv.worker.out.String()))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "{") {
			continue // the stdout banner
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("--log-format json wrote a line that is not JSON: %q", line)
		}
		if rec["request_id"] == "req-from-proxy-1" {
			found = true
		}
	}
	if !found {
		t.Errorf("no log line names the request id:\n%s", srv.worker.out.String())
	}
}
