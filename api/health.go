package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/objects"
)

// probeTimeout bounds each readiness check, so that a hung database makes
// /readyz answer 503 in time for the orchestrator rather than time out.
const probeTimeout = 2 * time.Second

// probeKey is written to check the object store: a store that answers
// reads but refuses writes (a full or read-only folder, a bucket policy)
// cannot take an upload, so reading alone said "ok" too early. Every probe
// writes the same two bytes to the same key: nothing accumulates.
const probeKey = "readyz/probe"

type readyReply struct {
	Status string            `json:"status"` // "ok", "unavailable" or "shutting_down"
	Checks map[string]string `json:"checks"` // "database", "objects": "ok" or "failed"
}

// healthz says the process serves HTTP; it checks no dependency, so that an
// orchestrator does not restart a healthy process for a database outage.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	jsonhttp.Write(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz says whether the process can do its work now: the database answers
// a ping and the object store takes a write. On failure it answers 503 and
// names the failing dependency; the error itself goes to the log only,
// since the endpoint is unauthenticated.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Draining != nil && s.cfg.Draining() {
		w.Header().Set("Retry-After", retryAfterSeconds)
		jsonhttp.Write(w, http.StatusServiceUnavailable, readyReply{Status: "shutting_down", Checks: map[string]string{}})
		return nil
	}
	reply := readyReply{Status: "ok", Checks: map[string]string{"database": "ok", "objects": "ok"}}
	status := http.StatusOK
	check := func(name string, fn func(ctx context.Context) error) {
		ctx, cancel := context.WithTimeout(r.Context(), probeTimeout)
		defer cancel()
		if err := fn(ctx); err != nil {
			s.log.Warn("readiness check failed", "check", name, "err", err)
			reply.Checks[name] = "failed"
			reply.Status = "unavailable"
			status = http.StatusServiceUnavailable
		}
	}
	check("database", s.pingDB)
	check("objects", s.pingObjects)
	if status != http.StatusOK {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	jsonhttp.Write(w, status, reply)
	return nil
}

func (s *server) pingDB(ctx context.Context) error {
	if sqlDB := s.cfg.DB.SQL(); sqlDB != nil {
		return sqlDB.PingContext(ctx)
	}
	return s.cfg.DB.Pgx().Ping(ctx)
}

// putter is the write half of an object store; every store the service
// runs on has it (Config.Objects is declared as a Getter, what the
// handlers need).
type putter interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
}

func (s *server) pingObjects(ctx context.Context) error {
	if p, ok := s.cfg.Objects.(putter); ok {
		return p.Put(ctx, probeKey, strings.NewReader("ok"), 2, "text/plain")
	}
	body, _, err := s.cfg.Objects.Get(ctx, probeKey)
	if errors.Is(err, objects.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return body.Close()
}
