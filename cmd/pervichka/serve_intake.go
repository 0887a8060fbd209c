package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/api"
	"github.com/pervichka/pervichka/intake"
	"github.com/pervichka/pervichka/intake/mail"
	"github.com/pervichka/pervichka/intake/upload"
	"github.com/pervichka/pervichka/storage/db"
)

// The intake channels in a serve process that takes uploads (roles all and
// api): contractors' upload links under /u/, the admin's view of received
// mail under /intake/, and one IMAP poller per configured mailbox.
//
// Mailboxes come from PERVICHKA_IMAP_1_URL, PERVICHKA_IMAP_2_URL, … or the
// JSON file PERVICHKA_IMAP_FILE (see docs/intake.md); they are polled every
// PERVICHKA_IMAP_INTERVAL (default 1m). Each api process polls them; that is
// harmless (receipts and documents are unique) but wasteful, so configure
// the mailboxes on one process when running several.
func init() {
	extensions["intake"] = extension{name: "intake", mount: mountIntake}
}

func mountIntake(d *serveDeps, mux *http.ServeMux) error {
	if d.cfg.role == "worker" {
		return nil
	}
	recv := intake.NewReceiver(d.db, d.pipeline, d.log)
	lcfg := upload.Config{
		Receiver: recv, Limits: pervichka.DefaultLimits(), MaxRequestBytes: d.cfg.maxRequestBytes, Logger: d.log,
	}
	// Each link's quota (docs/intake.md); unset or 0 keeps the defaults.
	for _, q := range []struct {
		env string
		set func(n int64)
	}{
		{"PERVICHKA_UPLOAD_FILES_PER_HOUR", func(n int64) { lcfg.FilesPerHour = int(n) }},
		{"PERVICHKA_UPLOAD_BYTES_PER_DAY", func(n int64) { lcfg.BytesPerDay = n }},
	} {
		if v := os.Getenv(q.env); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > 1<<40 {
				return fmt.Errorf("%s %q: want a whole number ≥ 0", q.env, v)
			}
			q.set(n)
		}
	}
	links := upload.New("/u/", lcfg)
	mux.Handle("/u/", d.metrics.Middleware("/u/", links))
	mux.Handle("GET /intake/messages", api.RequireRole(d.db, db.RoleAdmin, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		listMessages(d, w, r)
	}), d.log))
	mux.Handle("GET /intake/documents/{id}/receipts", api.RequireRole(d.db, db.RoleAdmin, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		listReceipts(d, w, r)
	}), d.log))

	boxes, err := mail.MailboxesFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	interval := time.Minute
	if v := os.Getenv("PERVICHKA_IMAP_INTERVAL"); v != "" {
		if interval, err = time.ParseDuration(v); err != nil || interval < time.Second {
			return fmt.Errorf("PERVICHKA_IMAP_INTERVAL %q: want a duration of at least 1s, e.g. 1m", v)
		}
	}
	for _, mb := range boxes {
		p := mail.NewPoller(mb, recv, mail.Options{Interval: interval, Logger: d.log})
		go p.Run(d.life)
		d.log.Info("polling mailbox", "mailbox", mb.Name(), "security", mb.Security, "interval", interval)
	}
	return nil
}

type messageJSON struct {
	ID         int64     `json:"id"`
	Mailbox    string    `json:"mailbox"`
	MessageID  string    `json:"message_id"`
	Sender     string    `json:"sender"`
	Subject    string    `json:"subject"`
	Contractor int64     `json:"contractor_id,omitempty"`
	Outcome    string    `json:"outcome"`
	Detail     string    `json:"detail"`
	Documents  int       `json:"documents"`
	ReceivedAt time.Time `json:"received_at"`
}

// listMessages: GET /intake/messages[?outcome=no_documents&limit=50].
func listMessages(d *serveDeps, w http.ResponseWriter, r *http.Request) {
	outcome := db.MessageOutcome(r.URL.Query().Get("outcome"))
	switch outcome {
	case "", db.MessageStored, db.MessageNoDocuments, db.MessageRefused, db.MessageMalformed:
	default:
		intakeJSON(w, http.StatusBadRequest, map[string]string{"error": "outcome: want stored, no_documents, refused or malformed"})
		return
	}
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			intakeJSON(w, http.StatusBadRequest, map[string]string{"error": "limit: want 1 to 1000"})
			return
		}
		limit = n
	}
	msgs, err := d.db.ListMessages(r.Context(), outcome, limit)
	if err != nil {
		d.log.Error("list messages", "err", err)
		intakeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "database unavailable"})
		return
	}
	out := make([]messageJSON, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, messageJSON{ID: m.ID, Mailbox: m.Mailbox, MessageID: m.MessageKey, Sender: m.Sender, Subject: m.Subject,
			Contractor: m.ContractorID, Outcome: string(m.Outcome), Detail: m.Detail, Documents: m.Documents, ReceivedAt: m.ReceivedAt})
	}
	intakeJSON(w, http.StatusOK, map[string]any{"messages": out})
}

type receiptJSON struct {
	ID              int64     `json:"id"`
	Channel         string    `json:"channel"`
	Contractor      int64     `json:"contractor_id,omitempty"`
	Sender          string    `json:"sender"`
	MessageID       string    `json:"message_id,omitempty"`
	FileName        string    `json:"file_name"`
	CreatedDocument bool      `json:"created_document"`
	ReceivedAt      time.Time `json:"received_at"`
}

// listReceipts: GET /intake/documents/{id}/receipts — every time the
// document's bytes arrived, by which channel and from whom.
func listReceipts(d *serveDeps, w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		intakeJSON(w, http.StatusBadRequest, map[string]string{"error": "id: want a document number"})
		return
	}
	recs, err := d.db.DocumentReceipts(r.Context(), id)
	if err != nil {
		d.log.Error("list receipts", "err", err)
		intakeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "database unavailable"})
		return
	}
	if len(recs) == 0 {
		intakeJSON(w, http.StatusNotFound, map[string]string{"error": "no receipts of this document"})
		return
	}
	out := make([]receiptJSON, 0, len(recs))
	for _, f := range recs {
		out = append(out, receiptJSON{ID: f.ID, Channel: string(f.Channel), Contractor: f.ContractorID, Sender: f.Sender,
			MessageID: f.MessageKey, FileName: f.FileName, CreatedDocument: f.CreatedDocument, ReceivedAt: f.CreatedAt})
	}
	intakeJSON(w, http.StatusOK, map[string]any{"receipts": out})
}

func intakeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
