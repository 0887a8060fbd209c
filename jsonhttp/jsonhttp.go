// Package jsonhttp writes the service's JSON answers: one encoder and one
// error shape for every JSON endpoint (the API, the ledger's, the intake
// admin's), so that an integrator parses errors once:
//
//	{"error": {"code": "not_found", "message": "Документ не найден", "request_id": "3f9c0a1b2c4d"}}
//
// code is stable and for programs; message is Russian, for the person who
// reads the integrator's log or screen; request_id is the X-Request-Id the
// answer carries and the server's log lines of that request name.
//
// Lists page one way (PageParams): ?cursor=&limit= in, next_cursor out.
package jsonhttp

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/pervichka/pervichka/logctx"
)

// ErrorBody is the one JSON shape of every error answer.
type ErrorBody struct {
	Error ErrorInfo `json:"error"`
}

// ErrorInfo says what went wrong.
type ErrorInfo struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// RequestID is the request's id (also in the X-Request-Id header and
	// in the server's log lines of the request).
	RequestID string `json:"request_id,omitempty"`
	// ID is the request id again on 500s, under the name older clients
	// read. Deprecated: read request_id.
	ID string `json:"id,omitempty"`
}

// Write answers v as JSON. The encoding is done before the header is sent,
// so that a value that cannot be encoded (a bug) still gets a proper 500
// rather than half a body.
func Write(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"code":"internal","message":"Внутренняя ошибка сервера"}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n')) // a client gone mid-answer needs nothing more
}

// Error answers an error in the one shape, with the request's id.
func Error(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	info := ErrorInfo{Code: code, Message: message, RequestID: logctx.RequestID(r.Context())}
	if status == http.StatusInternalServerError {
		info.ID = info.RequestID
	}
	Write(w, status, ErrorBody{Error: info})
}

// CodeFor is the code of an error answer that has none more specific than
// its status: the codes the API uses for the same statuses (docs/api.md,
// Errors), so that a program reading any surface's errors meets one list.
func CodeFor(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestTimeout:
		return "request_timeout"
	case http.StatusConflict:
		return "conflict"
	case http.StatusRequestEntityTooLarge:
		return "request_too_large"
	case http.StatusUnprocessableEntity:
		return "unprocessable"
	case http.StatusTooManyRequests:
		return "too_many_requests"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	if status >= 500 {
		return "internal"
	}
	return "bad_request"
}

// RequestIDHeader carries a request's id both ways: a proxy's id is kept
// (when it looks like one), otherwise one is made; the answer always has it.
const RequestIDHeader = "X-Request-Id"

// RequestID gives every request an id in its context (for log lines, see
// package logctx) and in the answer's X-Request-Id header. A request that
// has one already (an outer RequestID) keeps it.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if logctx.RequestID(r.Context()) != "" {
			next.ServeHTTP(w, r)
			return
		}
		id := r.Header.Get(RequestIDHeader)
		if !plausibleID(id) {
			id = logctx.NewID()
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(logctx.WithRequestID(r.Context(), id)))
	})
}

// plausibleID accepts a caller's id only if it cannot forge log lines:
// 1–64 letters, digits, '-', '_' or '.'.
func plausibleID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// PageParams reads the one paging dialect of every list: ?cursor=…&limit=…,
// where cursor is the next_cursor of the previous answer ("" for the first
// page) and limit is 1…max (default def). The ledger's older ?after= is
// still read as cursor. Deprecated: after, to be removed once integrators
// have moved. The error is Russian, for a 400.
func PageParams(r *http.Request, def, max int) (cursor string, limit int, err error) {
	q := r.URL.Query()
	cursor = q.Get("cursor")
	if cursor == "" {
		cursor = q.Get("after")
	}
	limit = def
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > max {
			return "", 0, fmt.Errorf("limit=%q: нужно целое число от 1 до %d", s, max)
		}
		limit = n
	}
	return cursor, limit, nil
}

// IDPageParams is PageParams for lists keyed by a row id: the cursor, when
// given, must be a non-negative integer (the previous page's next_cursor).
func IDPageParams(r *http.Request, def, max int) (after int64, limit int, err error) {
	cursor, limit, err := PageParams(r, def, max)
	if err != nil {
		return 0, 0, err
	}
	if cursor != "" {
		if after, err = strconv.ParseInt(cursor, 10, 64); err != nil || after < 0 {
			return 0, 0, fmt.Errorf("cursor=%q: нужно значение next_cursor предыдущей страницы", cursor)
		}
	}
	return after, limit, nil
}

// NextIDCursor is the next_cursor of a page of n rows keyed by id whose
// last row has lastID: nil (JSON null) when the page was not full, so it
// was the last.
func NextIDCursor(n, limit int, lastID int64) *string {
	if n < limit || n == 0 {
		return nil
	}
	c := strconv.FormatInt(lastID, 10)
	return &c
}

// ServerError answers an error that is not the client's: 503 with
// Retry-After when transient says it may pass (a database or store that is
// briefly away), else 500, logged on log under what with the request's id
// (the client gets the same id in the answer).
func ServerError(w http.ResponseWriter, r *http.Request, log *slog.Logger, what string, err error, transient bool) {
	if transient {
		w.Header().Set("Retry-After", "5")
		Error(w, r, http.StatusServiceUnavailable, "unavailable", "Сервис временно недоступен, повторите запрос позже")
		return
	}
	log.ErrorContext(r.Context(), what, "method", r.Method, "path", r.URL.Path, "error", err)
	Error(w, r, http.StatusInternalServerError, "internal", "Внутренняя ошибка сервера")
}
