package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/logctx"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

// httpError is an answer a handler has already decided on: bad input it
// recognised, a missing page. Message is Russian, for the person who reads
// the integrator's error log or screen; Code is for the integrator's code.
type httpError struct {
	status  int
	code    string
	message string
}

func (e *httpError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

// Error codes of the API's own (the pervichka.ErrorCode strings are used
// for content errors).
const (
	codeBadRequest       = "bad_request"
	codeNoFile           = "no_file"
	codeTooManyFiles     = "too_many_files"
	codeRequestTooLarge  = "request_too_large"
	codeRequestTimeout   = "request_timeout"
	codeUnauthorized     = "unauthorized"
	codeForbidden        = "forbidden"
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeConflict         = "conflict"
	codeUnavailable      = "unavailable"
	codeInternal         = "internal"
)

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, codeBadRequest, fmt.Sprintf(format, args...)}
}

func notFound(message string) error {
	return &httpError{http.StatusNotFound, codeNotFound, message}
}

var (
	errNoRoute          = notFound("Такого адреса в API нет")
	errMethodNotAllowed = &httpError{http.StatusMethodNotAllowed, codeMethodNotAllowed, "Этот метод для адреса не поддерживается"}
	errNoToken          = &httpError{http.StatusUnauthorized, codeUnauthorized, "Нужен токен API: заголовок Authorization: Bearer pvk_…"}
	errBadToken         = &httpError{http.StatusUnauthorized, codeUnauthorized, "Токен API недействителен или отозван"}
	errUnavailable      = &httpError{http.StatusServiceUnavailable, codeUnavailable, "Сервис временно недоступен, повторите запрос позже"}
)

// retryAfterSeconds is what a 503 asks the client to wait: long enough for
// a database failover or a busy SQLite writer, short enough for an upload
// script to retry without a person noticing.
const retryAfterSeconds = "5"

// errorInfo is the one JSON error shape (package jsonhttp): code, Russian
// message, and the request id that the server's log lines of the request
// name (on a 500 the only way to find the error, which is not shown).
type errorInfo = jsonhttp.ErrorInfo

// errorResponse is the one place an error becomes an HTTP answer. Anything
// it does not recognise is a 500 whose details stay in the log.
func errorResponse(err error) (status int, info errorInfo) {
	var fe *fileError
	if errors.As(err, &fe) {
		status, info = errorResponse(fe.err)
		if status < 500 && fe.name != "" {
			info.Message += " (файл «" + fe.name + "»)"
		}
		return status, info
	}
	var he *httpError
	var pe *pervichka.Error
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he.status, errorInfo{Code: he.code, Message: he.message}
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, errorInfo{Code: codeRequestTooLarge,
			Message: fmt.Sprintf("Запрос больше %s: отправьте файлы несколькими запросами", sizeText(mbe.Limit))}
	case errors.Is(err, db.ErrNotFound):
		return http.StatusNotFound, errorInfo{Code: codeNotFound, Message: "Документ не найден"}
	case errors.Is(err, db.ErrIllegalTransition), errors.Is(err, db.ErrConflict), errors.Is(err, db.ErrStale):
		return http.StatusConflict, errorInfo{Code: codeConflict, Message: "Действие невозможно в текущем состоянии документа"}
	case db.IsTransient(err), objects.IsTransient(err),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, errorInfo{Code: errUnavailable.code, Message: errUnavailable.message}
	case errors.As(err, &pe):
		switch pe.Code {
		case pervichka.CodeTooLarge:
			return http.StatusRequestEntityTooLarge, errorInfo{Code: string(pe.Code), Message: pe.Message()}
		case pervichka.CodeUnsupported:
			return http.StatusUnsupportedMediaType, errorInfo{Code: string(pe.Code), Message: pe.Message()}
		case pervichka.CodeEmpty, pervichka.CodeCorrupt, pervichka.CodeEncrypted,
			pervichka.CodeTooManyPages, pervichka.CodeTooManyPixels:
			return http.StatusUnprocessableEntity, errorInfo{Code: string(pe.Code), Message: pe.Message()}
		}
	}
	return http.StatusInternalServerError, errorInfo{Code: codeInternal, Message: "Внутренняя ошибка сервера"}
}

// writeError answers err in the JSON error shape. 5xx errors are logged
// with an id the client also gets; 4xx are the client's own and logged at
// debug level only.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	writeErrorTo(s.log, w, r, err)
}

func writeErrorTo(log *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	status, info := errorResponse(err)
	ctx := r.Context()
	switch {
	case status == http.StatusInternalServerError:
		info.Message += " (код для поддержки: " + requestID(r) + ")"
		log.ErrorContext(ctx, "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case status >= 500:
		w.Header().Set("Retry-After", retryAfterSeconds)
		log.WarnContext(ctx, "request refused for now", "status", status, "method", r.Method, "path", r.URL.Path, "err", err)
	default:
		log.DebugContext(ctx, "request refused", "status", status, "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		challenge := `Bearer realm="pervichka"`
		if err == errBadToken {
			challenge += `, error="invalid_token"`
		}
		// Bearer for programs; Basic makes a browser ask for the token.
		w.Header().Add("WWW-Authenticate", challenge)
		w.Header().Add("WWW-Authenticate", `Basic realm="pervichka", charset="UTF-8"`)
	}
	jsonhttp.Error(w, r, status, info.Code, info.Message)
}

// requestID is the request's id, made here if no middleware gave one (a
// handler mounted without jsonhttp.RequestID), so that a 500 always has a
// code for support.
func requestID(r *http.Request) string {
	if id := logctx.RequestID(r.Context()); id != "" {
		return id
	}
	id := logctx.NewID()
	*r = *r.WithContext(logctx.WithRequestID(r.Context(), id))
	return id
}

// recoverPanics turns a handler's panic into a logged 500, so that a bug
// answers one request badly instead of dropping the connection without a
// word. http.ErrAbortHandler is the deliberate way to drop a connection and
// passes through.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			id := requestID(r)
			log.ErrorContext(r.Context(), "handler panicked", "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
			if tw.wrote {
				// Part of an answer is out: the only honest thing left is to
				// break the connection so the client sees a failure.
				panic(http.ErrAbortHandler)
			}
			jsonhttp.Error(w, r, http.StatusInternalServerError, codeInternal, "Внутренняя ошибка сервера (код для поддержки: "+id+")")
		}()
		next.ServeHTTP(tw, r)
	})
}

// trackingWriter notes whether the answer has started.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection underneath.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
