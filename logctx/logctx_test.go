package logctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/pervichka/pervichka/logctx"
)

// A record logged with a context names that context's ids, also through a
// logger made With attributes or a group; one logged without does not.
func TestHandlerAddsContextIDs(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(logctx.Handler(slog.NewJSONHandler(&buf, nil))).With("part", "api")
	ctx := logctx.WithRequestID(context.Background(), "abc123")
	ctx = logctx.With(ctx, "document", int64(42))
	log.InfoContext(ctx, "hello", "k", "v")
	log.WithGroup("g").WarnContext(ctx, "grouped")
	log.Info("no context")
	var lines []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, m)
	}
	if lines[0]["request_id"] != "abc123" || lines[0]["document"] != float64(42) || lines[0]["part"] != "api" || lines[0]["k"] != "v" {
		t.Errorf("first line %v", lines[0])
	}
	if g, _ := lines[1]["g"].(map[string]any); g["request_id"] != "abc123" {
		t.Errorf("grouped line %v", lines[1])
	}
	if _, ok := lines[2]["request_id"]; ok {
		t.Errorf("line without a context has a request id: %v", lines[2])
	}
	if logctx.RequestID(ctx) != "abc123" || logctx.RequestID(context.Background()) != "" {
		t.Error("RequestID")
	}
}
