package statehook

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/db"
)

// defaultPageLimit is a list's page when the caller names no limit, as the
// ledger's deliveries.
const defaultPageLimit = 100

// changeJSON is an outbox row for admins: the change and its delivery.
type changeJSON struct {
	Change
	State       db.DeliveryState `json:"state"`
	Attempts    int              `json:"attempts"`
	LastError   string           `json:"last_error,omitempty"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	DeliveredAt *time.Time       `json:"delivered_at,omitempty"`
}

func (h *Hooks) toJSON(w db.StateWebhook) changeJSON {
	out := changeJSON{Change: h.message(w).Change, State: w.State, Attempts: w.Attempts, LastError: w.LastError,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
	if !w.DeliveredAt.IsZero() {
		out.DeliveredAt = &w.DeliveredAt
	}
	return out
}

// ListHandler serves GET /api/v1/webhooks/state?state=dead&cursor=&limit=:
// the state webhook's changes in a delivery state (default dead: the dead
// letters), oldest first, paged like every list (next_cursor null on the
// last page). Mount it behind an admin check.
func (h *Hooks) ListHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after, limit, err := jsonhttp.IDPageParams(r, defaultPageLimit, db.MaxListLimit)
		if err != nil {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		state, ok := db.ParseDeliveryState(r.URL.Query().Get("state"))
		if !ok {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", "state: нужно dead, pending или delivered")
			return
		}
		rows, err := h.db.StateWebhooks(r.Context(), state, after, limit)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		out := make([]changeJSON, 0, len(rows))
		for _, row := range rows {
			out = append(out, h.toJSON(row))
		}
		var next *string
		if len(rows) > 0 {
			next = jsonhttp.NextIDCursor(len(rows), limit, rows[len(rows)-1].ID)
		}
		jsonhttp.Write(w, http.StatusOK, map[string]any{"changes": out, "next_cursor": next})
	})
}

// ResendHandler serves POST /api/v1/webhooks/state/{id}/resend: a dead
// change goes back to pending and its document's job is enqueued; it and
// the document's later changes are then delivered in order. actor names
// who asked (for the log). Mount it behind an admin check.
func (h *Hooks) ResendHandler(actor func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", "Номер изменения должен быть положительным числом")
			return
		}
		row, err := h.Resend(r.Context(), id, actor(r))
		switch {
		case errors.Is(err, errNotConfigured):
			jsonhttp.Error(w, r, http.StatusConflict, "conflict", "Вебхук состояний не настроен (PERVICHKA_STATE_WEBHOOK_URL)")
		case errors.Is(err, db.ErrNotFound):
			jsonhttp.Error(w, r, http.StatusNotFound, "not_found", "Такого изменения нет")
		case errors.Is(err, db.ErrConflict):
			jsonhttp.Error(w, r, http.StatusConflict, "conflict", "Повторить можно только недоставленное (dead) изменение")
		case err != nil:
			h.serverError(w, r, err)
		default:
			jsonhttp.Write(w, http.StatusAccepted, h.toJSON(row))
		}
	})
}

func (h *Hooks) serverError(w http.ResponseWriter, r *http.Request, err error) {
	jsonhttp.ServerError(w, r, h.log, "state webhook request failed", err, db.IsTransient(err))
}
