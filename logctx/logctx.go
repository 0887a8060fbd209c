// Package logctx carries the ids a log line must name — the HTTP request's,
// the document's — in the context, and adds them to every record logged
// with that context. Handlers and stages set them once (With) instead of
// repeating them at every call, and a line logged deep inside (a storage
// retry, a recogniser's warning) names them too, as long as it is logged
// with the *Context methods of slog.
package logctx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
)

type key struct{}

// With returns ctx whose log records also carry args (slog key-value pairs
// or Attrs). Later values of the same key are added after earlier ones.
func With(ctx context.Context, args ...any) context.Context {
	r := slog.Record{}
	r.Add(args...)
	attrs := append([]slog.Attr(nil), attrsOf(ctx)...)
	r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	return context.WithValue(ctx, key{}, attrs)
}

func attrsOf(ctx context.Context) []slog.Attr {
	a, _ := ctx.Value(key{}).([]slog.Attr)
	return a
}

type requestIDKey struct{}

// WithRequestID marks ctx as serving the request id: log records carry it
// as request_id, and RequestID returns it for the error answer.
func WithRequestID(ctx context.Context, id string) context.Context {
	return With(context.WithValue(ctx, requestIDKey{}, id), "request_id", id)
}

// RequestID is the id of the request ctx serves, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// NewID is a random 12-hex-digit id: short enough to read out on the phone,
// unique enough among a day's requests.
func NewID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Handler wraps h so that records logged with a context carry that
// context's ids. A handler already wrapped is returned as it is.
func Handler(h slog.Handler) slog.Handler {
	if _, ok := h.(handler); ok {
		return h
	}
	return handler{h}
}

// Logger is log with Handler around its handler (nil: discard).
func Logger(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	if _, ok := log.Handler().(handler); ok {
		return log
	}
	return slog.New(handler{log.Handler()})
}

type handler struct{ slog.Handler }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if attrs := attrsOf(ctx); len(attrs) > 0 {
		r = r.Clone()
		r.AddAttrs(attrs...)
	}
	return h.Handler.Handle(ctx, r)
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return handler{h.Handler.WithAttrs(attrs)}
}
func (h handler) WithGroup(name string) slog.Handler { return handler{h.Handler.WithGroup(name)} }
