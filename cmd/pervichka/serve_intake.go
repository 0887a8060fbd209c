package main

import (
	"flag"
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
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/db"
)

// The intake channels in a serve process that takes uploads (roles all and
// api): contractors' upload links under /u/, the admin's view of received
// mail under /intake/, and one IMAP poller per configured mailbox.
//
// Mailboxes come from PERVICHKA_IMAP_1_URL, PERVICHKA_IMAP_2_URL, … (the
// environment only: they are numbered) or the JSON file --imap-file (see
// docs/intake.md); they are polled every --imap-interval. Each api process
// polls them; that is harmless (receipts and documents are unique) but
// wasteful, so configure the mailboxes on one process when running several.
func init() {
	extensions["intake"] = extension{name: "intake", mount: mountIntake,
		flags: func(fs *flag.FlagSet, c *serveConfig) {
			fs.StringVar(&c.intake.imapFile, "imap-file", "", `JSON file of mailboxes to poll, [{"url": "imaps://…"}, …] [PERVICHKA_IMAP_FILE]`)
			fs.DurationVar(&c.intake.imapInterval, "imap-interval", time.Minute, "how often each mailbox is polled, at least 1s [PERVICHKA_IMAP_INTERVAL]")
			fs.IntVar(&c.intake.filesPerHour, "upload-files-per-hour", 0, "files one contractor link may send in an hour; 0: the default (docs/intake.md) [PERVICHKA_UPLOAD_FILES_PER_HOUR]")
			fs.Int64Var(&c.intake.bytesPerDay, "upload-bytes-per-day", 0, "bytes one contractor link may send in a day; 0: the default (docs/intake.md) [PERVICHKA_UPLOAD_BYTES_PER_DAY]")
		},
		check: func(c *serveConfig) error {
			if c.intake.filesPerHour < 0 || c.intake.bytesPerDay < 0 {
				return fmt.Errorf("--upload-files-per-hour and --upload-bytes-per-day must not be negative")
			}
			if c.intake.imapInterval < time.Second {
				return fmt.Errorf("--imap-interval [PERVICHKA_IMAP_INTERVAL] %s: want at least 1s, e.g. 1m", c.intake.imapInterval)
			}
			return nil
		},
	}
}

// intakeSettings are the intake channels' serve settings.
type intakeSettings struct {
	imapFile     string
	imapInterval time.Duration
	// Each contractor link's quota; 0 keeps upload's defaults.
	filesPerHour int
	bytesPerDay  int64
}

func mountIntake(d *serveDeps, mux *http.ServeMux) error {
	if d.cfg.role == "worker" {
		return nil
	}
	recv := intake.NewReceiver(d.db, d.pipeline, d.log)
	lcfg := upload.Config{
		Receiver: recv, Limits: pervichka.DefaultLimits(), MaxRequestBytes: d.cfg.maxRequestBytes, Logger: d.log,
	}
	// Each link's quota (docs/intake.md); 0 keeps the defaults.
	if n := d.cfg.intake.filesPerHour; n > 0 {
		lcfg.FilesPerHour = n
	}
	if n := d.cfg.intake.bytesPerDay; n > 0 {
		lcfg.BytesPerDay = n
	}
	links := upload.New("/u/", lcfg)
	mux.Handle("/u/", d.metrics.Middleware("/u/", links))
	mux.Handle("GET /intake/messages", api.RequireRole(d.db, db.RoleAdmin, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		listMessages(d, w, r)
	}), d.log))
	mux.Handle("GET /intake/documents/{id}/receipts", api.RequireRole(d.db, db.RoleAdmin, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		listReceipts(d, w, r)
	}), d.log))

	boxes, err := mail.MailboxesFromEnv(func(name string) string {
		if name == "PERVICHKA_IMAP_FILE" {
			return d.cfg.intake.imapFile // the setting, from wherever it came
		}
		return os.Getenv(name)
	})
	if err != nil {
		return err
	}
	interval := d.cfg.intake.imapInterval
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

// listMessages: GET /intake/messages[?outcome=no_documents&cursor=&limit=50],
// newest first, paged like every list (jsonhttp.PageParams).
func listMessages(d *serveDeps, w http.ResponseWriter, r *http.Request) {
	outcome := db.MessageOutcome(r.URL.Query().Get("outcome"))
	switch outcome {
	case "", db.MessageStored, db.MessageNoDocuments, db.MessageRefused, db.MessageMalformed:
	default:
		jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", "outcome: нужно stored, no_documents, refused или malformed")
		return
	}
	// Newest first: the cursor is the last id shown, and the next page
	// holds the ids before it (0: from the newest).
	before, limit, err := jsonhttp.IDPageParams(r, 50, 1000)
	if err != nil {
		jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	msgs, err := d.db.ListMessages(r.Context(), outcome, before, limit)
	if err != nil {
		intakeFailed(d, w, r, err)
		return
	}
	out := make([]messageJSON, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, messageJSON{ID: m.ID, Mailbox: m.Mailbox, MessageID: m.MessageKey, Sender: m.Sender, Subject: m.Subject,
			Contractor: m.ContractorID, Outcome: string(m.Outcome), Detail: m.Detail, Documents: m.Documents, ReceivedAt: m.ReceivedAt})
	}
	var next *string
	if len(msgs) > 0 {
		next = jsonhttp.NextIDCursor(len(msgs), limit, msgs[len(msgs)-1].ID)
	}
	jsonhttp.Write(w, http.StatusOK, map[string]any{"messages": out, "next_cursor": next})
}

// intakeFailed answers a failed database read: 503 when it may pass, 500
// (logged with the request id) otherwise.
func intakeFailed(d *serveDeps, w http.ResponseWriter, r *http.Request, err error) {
	jsonhttp.ServerError(w, r, d.log, "intake request failed", err, db.IsTransient(err))
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
		jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", "Номер документа должен быть положительным числом")
		return
	}
	recs, err := d.db.DocumentReceipts(r.Context(), id)
	if err != nil {
		intakeFailed(d, w, r, err)
		return
	}
	if len(recs) == 0 {
		jsonhttp.Error(w, r, http.StatusNotFound, "not_found", "У этого документа нет записей о получении")
		return
	}
	out := make([]receiptJSON, 0, len(recs))
	for _, f := range recs {
		out = append(out, receiptJSON{ID: f.ID, Channel: string(f.Channel), Contractor: f.ContractorID, Sender: f.Sender,
			MessageID: f.MessageKey, FileName: f.FileName, CreatedDocument: f.CreatedDocument, ReceivedAt: f.CreatedAt})
	}
	jsonhttp.Write(w, http.StatusOK, map[string]any{"receipts": out})
}
