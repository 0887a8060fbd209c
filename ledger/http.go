package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/ledger/fnsxml"
	"github.com/pervichka/pervichka/storage/db"
)

// Entry is a posting on the wire: in a webhook delivery and in the pull
// API's pages. Amounts are integer kopecks.
type Entry struct {
	ID              int64           `json:"id"`
	Position        int64           `json:"position"`
	Kind            db.PostingKind  `json:"kind"`
	ReversesID      int64           `json:"reverses_id,omitempty"`
	Register        db.Register     `json:"register"`
	DocumentID      int64           `json:"document_id"`
	DocumentVersion int             `json:"document_version"`
	DocType         string          `json:"doc_type"`
	Number          string          `json:"number"`
	Date            string          `json:"date"`
	SupplierINN     string          `json:"supplier_inn"`
	BuyerINN        string          `json:"buyer_inn"`
	TotalKopecks    int64           `json:"total_kopecks"`
	VATKopecks      int64           `json:"vat_kopecks"`
	Lines           json.RawMessage `json:"lines"`
	Document        json.RawMessage `json:"document"` // the validated result that was posted
	Links           Links           `json:"links"`
	Actor           string          `json:"actor"`
	CreatedAt       time.Time       `json:"created_at"`
}

// Links point at the document's files in the JSON API (a service token
// reads them). Exports are the document's files for the accountant's
// tools, by format (fns-xml for a УПД, счёт-фактура, act or ТОРГ-12; bank
// for an invoice; csv always); a storno has none.
type Links struct {
	Document string            `json:"document"`
	Original string            `json:"original"`
	Exports  map[string]string `json:"exports,omitempty"`
}

// Delivery is a webhook's body.
type Delivery struct {
	Event   string `json:"event"`
	Posting Entry  `json:"posting"`
}

func (l *Ledger) entry(p db.Posting) Entry {
	doc := fmt.Sprintf("%s/api/v1/documents/%d", l.base, p.DocumentID)
	var exports map[string]string
	if p.Kind == db.KindPosting {
		exports = map[string]string{}
		for _, f := range ExportFormats(p.DocType) {
			exports[f] = doc + "/export?format=" + f
		}
	}
	return Entry{
		ID: p.ID, Position: p.Position, Kind: p.Kind, ReversesID: p.ReversesID, Register: p.Register,
		DocumentID: p.DocumentID, DocumentVersion: p.DocumentVersion, DocType: p.DocType, Number: p.Number,
		Date: p.Date, SupplierINN: p.SupplierINN, BuyerINN: p.BuyerINN,
		TotalKopecks: p.TotalKopecks, VATKopecks: p.VATKopecks, Lines: p.Lines, Document: p.Result,
		Links: Links{Document: doc, Original: doc + "/original", Exports: exports}, Actor: p.Actor, CreatedAt: p.CreatedAt,
	}
}

// Page is the pull API's answer. NextCursor is the cursor to pass for the
// following page; it equals the request's cursor when nothing new has
// committed, so a poller can keep asking with it (the feed has no last
// page). Next is the same value under its older name.
type Page struct {
	Postings   []Entry `json:"postings"`
	NextCursor string  `json:"next_cursor"`
	// Deprecated: read next_cursor.
	Next string `json:"next"`
}

// DefaultPageLimit is the pull API's page size when none is asked for.
const DefaultPageLimit = 100

// PullHandler serves GET /api/v1/ledger?cursor=<cursor>&limit=<n> (after=
// is the cursor's deprecated name): postings
// in commit order after the cursor (the empty cursor is the start). Mount
// it behind a service-role check.
func (l *Ledger) PullHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after, limit, err := jsonhttp.IDPageParams(r, DefaultPageLimit, db.MaxListLimit)
		if err != nil {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		ps, err := l.db.PostingsAfter(r.Context(), after, limit)
		if err != nil {
			l.serverError(w, r, err)
			return
		}
		page := Page{Postings: make([]Entry, 0, len(ps)), Next: strconv.FormatInt(after, 10)}
		for _, p := range ps {
			page.Postings = append(page.Postings, l.entry(p))
			page.Next = strconv.FormatInt(p.Position, 10)
		}
		page.NextCursor = page.Next
		jsonhttp.Write(w, http.StatusOK, page)
	})
}

// DeliveriesHandler serves GET /api/v1/ledger/deliveries?state=dead&cursor=&limit=
// (state defaults to dead: the dead letters; after= is the cursor's
// deprecated name). next_cursor is null on the last page. Mount it behind an
// admin check.
func (l *Ledger) DeliveriesHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after, limit, err := jsonhttp.IDPageParams(r, DefaultPageLimit, db.MaxListLimit)
		if err != nil {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		state, ok := db.ParseDeliveryState(r.URL.Query().Get("state"))
		if !ok {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", "state: нужно dead, pending или delivered")
			return
		}
		ds, err := l.db.Deliveries(r.Context(), state, after, limit)
		if err != nil {
			l.serverError(w, r, err)
			return
		}
		out := make([]deliveryJSON, 0, len(ds))
		for _, d := range ds {
			out = append(out, toJSON(d))
		}
		var next *string
		if len(ds) > 0 {
			next = jsonhttp.NextIDCursor(len(ds), limit, ds[len(ds)-1].ID)
		}
		jsonhttp.Write(w, http.StatusOK, map[string]any{"deliveries": out, "next_cursor": next})
	})
}

type deliveryJSON struct {
	ID          int64            `json:"id"`
	PostingID   int64            `json:"posting_id"`
	State       db.DeliveryState `json:"state"`
	Attempts    int              `json:"attempts"`
	LastError   string           `json:"last_error,omitempty"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	DeliveredAt *time.Time       `json:"delivered_at,omitempty"`
}

func toJSON(d db.Delivery) deliveryJSON {
	out := deliveryJSON{ID: d.ID, PostingID: d.PostingID, State: d.State, Attempts: d.Attempts, LastError: d.LastError,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
	if !d.DeliveredAt.IsZero() {
		out.DeliveredAt = &d.DeliveredAt
	}
	return out
}

// ResendHandler serves POST /api/v1/ledger/deliveries/{id}/resend: a dead
// delivery goes back to pending with a new job on q. actor names who asked
// (for the log). Mount it behind an admin check.
func (l *Ledger) ResendHandler(q *db.Queue, actor func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", "Номер доставки должен быть положительным числом")
			return
		}
		d, err := l.Resend(r.Context(), q, id, actor(r))
		switch {
		case errors.Is(err, db.ErrNotFound):
			jsonhttp.Error(w, r, http.StatusNotFound, "not_found", "Такой доставки нет")
		case errors.Is(err, db.ErrConflict):
			jsonhttp.Error(w, r, http.StatusConflict, "conflict", "Повторить можно только недоставленную (dead) доставку")
		case err != nil && !l.Webhook():
			jsonhttp.Error(w, r, http.StatusConflict, "conflict", "Вебхук не настроен (PERVICHKA_WEBHOOK_URL)")
		case err != nil:
			l.serverError(w, r, err)
		default:
			jsonhttp.Write(w, http.StatusAccepted, toJSON(d))
		}
	})
}

func (l *Ledger) serverError(w http.ResponseWriter, r *http.Request, err error) {
	jsonhttp.ServerError(w, r, l.log, "ledger request failed", err, db.IsTransient(err))
}

// ExportFormats are the export formats a document of the type has.
func ExportFormats(docType string) []string {
	var out []string
	if _, err := fnsxml.Function(pervichka.Result{DocType: pervichka.DocType(docType)}); err == nil {
		out = append(out, FormatFNSXML)
	}
	if docType == string(pervichka.DocInvoice) {
		out = append(out, FormatBank)
	}
	return append(out, FormatCSV)
}

func exportFormat(r *http.Request) (string, error) {
	f := r.URL.Query().Get("format")
	for _, x := range Formats {
		if f == x {
			return f, nil
		}
	}
	return "", fmt.Errorf("format=%q: нужно fns-xml, bank или csv", f)
}

// ExportHandler serves GET /api/v1/documents/{id}/export?format=fns-xml|bank|csv:
// the posted document's file itself, with its content type and file name.
// A document the format cannot express (or not posted) is 422 with the
// reason. Mount it behind a service-role check.
func (l *Ledger) ExportHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", "Номер документа должен быть положительным числом")
			return
		}
		format, err := exportFormat(r)
		if err != nil {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		f, err := l.ExportDocument(r.Context(), id, format)
		var re *RefusedError
		switch {
		case errors.As(err, &re):
			jsonhttp.Error(w, r, http.StatusUnprocessableEntity, "not_exportable", re.Reason)
		case errors.Is(err, db.ErrNotFound):
			jsonhttp.Error(w, r, http.StatusNotFound, "not_found", "Такого документа нет")
		case err != nil:
			l.serverError(w, r, err)
		default:
			writeFile(w, f)
		}
	})
}

// BatchExportHandler serves GET /api/v1/ledger/export?format=…&after=…&limit=…
// (or &from=YYYY-MM-DD&to=YYYY-MM-DD instead of the cursor): a ZIP of the
// exported files and refused.txt, with the cursor to continue from in
// X-Pervichka-Next; 204 when nothing was exported or refused. Mount it
// behind a service-role check.
func (l *Ledger) BatchExportHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format, err := exportFormat(r)
		if err != nil {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		sel, err := selection(r)
		if err != nil {
			jsonhttp.Error(w, r, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		b, err := l.ExportBatch(r.Context(), sel, format)
		if err != nil {
			l.serverError(w, r, err)
			return
		}
		w.Header().Set("X-Pervichka-Next", strconv.FormatInt(b.Next, 10))
		if len(b.Files) == 0 && len(b.Refused) == 0 {
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		z, err := b.Zip()
		if err != nil {
			l.serverError(w, r, err)
			return
		}
		name := fmt.Sprintf("pervichka-%s-%d-%d.zip", format, sel.After, b.Next)
		if sel.From != "" {
			name = fmt.Sprintf("pervichka-%s-%s-%s.zip", format, sel.From, sel.To)
		}
		writeFile(w, ExportFile{Name: name, ContentType: zipType, Data: z})
	})
}

// selection reads from/to or after/limit.
func selection(r *http.Request) (Selection, error) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	if from != "" || to != "" {
		if q.Get("after") != "" {
			return Selection{}, clientMessagef("Укажите либо период (from, to), либо курсор after")
		}
		for _, v := range []string{from, to} {
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				return Selection{}, clientMessagef("Дата %q: нужен формат ГГГГ-ММ-ДД, и from, и to", v)
			}
		}
		if from > to {
			return Selection{}, clientMessagef("Период %s..%s: начало позже конца", from, to)
		}
		return Selection{From: from, To: to}, nil
	}
	after, limit, err := jsonhttp.IDPageParams(r, DefaultPageLimit, db.MaxListLimit)
	if err != nil {
		return Selection{}, clientMessagef("%s", err.Error())
	}
	return Selection{After: after, Limit: limit}, nil
}

// writeFile answers with a file to save: its type, and its name for the
// browser (ASCII names as they are; the RFC 6266 form for others).
func writeFile(w http.ResponseWriter, f ExportFile) {
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.Data)
}

// clientMessage is a refusal of a request's parameters, worded for the
// person or program that sent them (in Russian, as a sentence): handlers
// answer it as a 400 with the message as it is.
type clientMessage string

func (m clientMessage) Error() string { return string(m) }

func clientMessagef(format string, args ...any) error {
	return clientMessage(fmt.Sprintf(format, args...))
}
