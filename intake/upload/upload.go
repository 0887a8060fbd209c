// Package upload serves a contractor's upload link: a Russian, mobile-first
// page (pick files or take photos, a progress bar, the list of what was
// received and its status) and the same upload as a small JSON API for
// programs. The link holds the contractor's token; an unknown or revoked
// token gets a Russian 404 that does not say which.
//
// Routes, under the prefix the handler is mounted at (e.g. /u/):
//
//	GET  {prefix}{token}         the page
//	POST {prefix}{token}/files   multipart/form-data, one or more "file" fields → JSON receipts
//	GET  {prefix}{token}/files   JSON: the contractor's last 50 files and their status
package upload

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/intake"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/logctx"
	"github.com/pervichka/pervichka/storage/db"
)

//go:embed page.html notfound.html upload.js
var pages embed.FS

// pageCSP lets the page run only its own script file (no inline script,
// so injected markup could not run any) and be framed by nobody.
const pageCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; " +
	"img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

var (
	pageTmpl     = template.Must(template.ParseFS(pages, "page.html"))
	notFoundTmpl = template.Must(template.ParseFS(pages, "notfound.html"))
)

// Config configures the handler.
type Config struct {
	Receiver *intake.Receiver
	// Limits.MaxBytes bounds each file; default pervichka.DefaultLimits.
	Limits pervichka.Limits
	// MaxRequestBytes bounds one upload request; default 200 MB. A request
	// also carries at most pervichka.MaxFilesPerRequest files, as the API.
	MaxRequestBytes int64
	// FilesPerHour and BytesPerDay are each link's quota: files received
	// in the last hour and bytes in the last 24 hours, refused or not
	// (db.UploadUsage); 0 means DefaultFilesPerHour, DefaultBytesPerDay.
	FilesPerHour int
	BytesPerDay  int64
	Logger       *slog.Logger
	// Now is the clock of the quota; nil means time.Now.
	Now func() time.Time
}

// A link's default quota. Not measured: a policy that a contractor's
// busiest day (a quarter's closing papers: a few hundred pages, photos of
// up to 50 MB) fits while a leaked link cannot fill the disk or the
// queue — three full requests an hour, forty full-size photos a day.
const (
	DefaultFilesPerHour       = 3 * pervichka.MaxFilesPerRequest
	DefaultBytesPerDay  int64 = 2 << 30
)

// Handler serves the upload links.
type Handler struct {
	cfg    Config
	prefix string
	db     *db.DB
	mux    *http.ServeMux
	log    *slog.Logger
}

// New returns the handler for links under prefix ("/u/").
func New(prefix string, cfg Config) *Handler {
	if cfg.Limits == (pervichka.Limits{}) {
		cfg.Limits = pervichka.DefaultLimits()
	}
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = 200 << 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.FilesPerHour <= 0 {
		cfg.FilesPerHour = DefaultFilesPerHour
	}
	if cfg.BytesPerDay <= 0 {
		cfg.BytesPerDay = DefaultBytesPerDay
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{cfg: cfg, prefix: prefix, db: cfg.Receiver.DB(), mux: http.NewServeMux(), log: cfg.Logger}
	// More specific than {token}; no token is "upload.js" (they start pvu_).
	h.mux.HandleFunc("GET "+prefix+"upload.js", h.script)
	h.mux.HandleFunc("GET "+prefix+"{token}", h.page)
	h.mux.HandleFunc("POST "+prefix+"{token}/files", h.upload)
	h.mux.HandleFunc("GET "+prefix+"{token}/files", h.list)
	h.mux.HandleFunc(prefix, func(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) })
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The token is a secret in the URL: no referrer to other sites, no
	// caching, no framing.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// contractor authenticates the link, answering 404 itself when it fails.
func (h *Handler) contractor(w http.ResponseWriter, r *http.Request) (db.Contractor, bool) {
	c, err := h.db.ContractorByToken(r.Context(), r.PathValue("token"))
	if err == nil {
		return c, true
	}
	if errors.Is(err, db.ErrNotFound) {
		h.notFound(w, r)
	} else {
		h.log.Error("upload link lookup", "err", err)
		h.fail(w, r, http.StatusServiceUnavailable, "Сервис временно недоступен, попробуйте через минуту")
	}
	return db.Contractor{}, false
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	if wantsJSON(r) {
		h.fail(w, r, http.StatusNotFound, "Ссылка не найдена или больше не действует")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_ = notFoundTmpl.Execute(w, nil)
}

func wantsJSON(r *http.Request) bool {
	return r.Method != http.MethodGet || strings.HasSuffix(r.URL.Path, "/files") ||
		strings.Contains(r.Header.Get("Accept"), "application/json")
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	c, ok := h.contractor(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	err := pageTmpl.Execute(w, map[string]any{
		"Name":     c.Name,
		"MaxMB":    h.cfg.Limits.MaxBytes >> 20,
		"FilesURL": r.URL.Path + "/files",
		"Script":   h.prefix + "upload.js",
	})
	if err != nil {
		h.log.Warn("render upload page", "err", err)
	}
}

// script serves the page's script; it holds no secret, so any visitor may
// fetch it, and it may be cached briefly.
func (h *Handler) script(w http.ResponseWriter, r *http.Request) {
	b, err := pages.ReadFile("upload.js")
	if err != nil {
		h.fail(w, r, http.StatusInternalServerError, "Сервис временно недоступен")
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(b)
}

// FileStatus is one file in the JSON answers.
type FileStatus struct {
	ID         int64     `json:"id"`
	FileName   string    `json:"file_name"`
	Channel    string    `json:"channel"`
	ReceivedAt time.Time `json:"received_at"`
	Status     string    `json:"status"`
	Label      string    `json:"label"` // Russian
	// Note explains the status to the contractor (Russian): the reason a
	// file was refused, the advice for a better photo, or that the same
	// file had already been received.
	Note       string `json:"note,omitempty"`
	DocumentID int64  `json:"document_id,omitempty"`
	Duplicate  bool   `json:"duplicate"`
}

type listAnswer struct {
	Files []FileStatus `json:"files"`
}

// fail answers in the service's one JSON error shape (package jsonhttp):
// the phone page shows error.message; the code follows the status.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	jsonhttp.Error(w, r, status, jsonhttp.CodeFor(status), msg)
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	c, ok := h.contractor(w, r)
	if !ok {
		return
	}
	files, err := h.db.ContractorFiles(r.Context(), c.ID, 50)
	if err != nil {
		h.log.Error("list contractor files", "err", err)
		h.fail(w, r, http.StatusServiceUnavailable, "Сервис временно недоступен, попробуйте через минуту")
		return
	}
	out, err := h.statuses(r.Context(), c, files)
	if err != nil {
		h.log.Error("contractor file status", "err", err)
		h.fail(w, r, http.StatusServiceUnavailable, "Сервис временно недоступен, попробуйте через минуту")
		return
	}
	jsonhttp.Write(w, http.StatusOK, listAnswer{Files: out})
}

func (h *Handler) statuses(ctx context.Context, c db.Contractor, files []db.IntakeFile) ([]FileStatus, error) {
	out := make([]FileStatus, 0, len(files))
	owned := map[int64]bool{} // documents this contractor's own receipts created
	for _, f := range files {
		fs := FileStatus{ID: f.ID, FileName: f.FileName, Channel: string(f.Channel), ReceivedAt: f.CreatedAt,
			Duplicate: !f.Refused() && !f.CreatedDocument}
		if fs.Duplicate {
			own, ok := owned[f.DocumentID]
			if !ok {
				var err error
				if own, err = h.ownsDocument(ctx, c.ID, f.DocumentID); err != nil {
					return nil, err
				}
				owned[f.DocumentID] = own
			}
			if !own {
				// Someone else sent these bytes first: their document's
				// status and id are not this contractor's to learn.
				fs.Status, fs.Label, fs.Note = string(intake.StatusAlreadyReceived), intake.StatusAlreadyReceived.Label(), alreadyReceived
				out = append(out, fs)
				continue
			}
		}
		var doc db.Document
		if !f.Refused() {
			var err error
			if doc, err = h.db.GetDocument(ctx, nil, f.DocumentID); err != nil {
				return nil, err
			}
		}
		st := intake.StatusOf(f, doc)
		fs.Status, fs.Label, fs.DocumentID = string(st), st.Label(), f.DocumentID
		switch {
		case f.Refused():
			fs.Note = f.RefusalReason
		case st == intake.StatusRefused:
			fs.Note = intake.FailureAdvice(doc.FailureCode, h.cfg.Limits)
		case st == intake.StatusBetterPhoto:
			fs.Note = intake.BetterPhotoAdvice
		case fs.Duplicate:
			fs.Note = alreadyReceived
		}
		out = append(out, fs)
	}
	return out, nil
}

// alreadyReceived is the note under a file whose bytes had been received
// before.
const alreadyReceived = "Этот файл уже был получен раньше и повторно не обрабатывается"

// ownsDocument reports whether the contractor's own receipt created the
// document (its first copy came through this link or its mail).
func (h *Handler) ownsDocument(ctx context.Context, contractorID, documentID int64) (bool, error) {
	receipts, err := h.db.DocumentReceipts(ctx, documentID)
	if err != nil {
		return false, err
	}
	for _, r := range receipts {
		if r.CreatedDocument {
			return r.ContractorID == contractorID && contractorID != 0, nil
		}
	}
	return false, nil
}

// upload receives the files of one request. Each file is stored as it is
// read, so a request cut off midway keeps the files that arrived whole.
// Empty parts (a form's file field left empty) are skipped without a
// receipt, their cost bounded by MaxRequestBytes; a request stops, keeping
// what it stored, at a file past pervichka.MaxFilesPerRequest and when
// the link's quota runs out.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request) {
	c, ok := h.contractor(w, r)
	if !ok {
		return
	}
	if r.ContentLength > h.cfg.MaxRequestBytes {
		h.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("Слишком много за один раз: не больше %d МБ", h.cfg.MaxRequestBytes>>20))
		return
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		h.fail(w, r, http.StatusBadRequest, "Ожидается multipart/form-data с полями file")
		return
	}
	now := h.cfg.Now()
	files, bytes, err := h.db.UploadUsage(r.Context(), c.ID, now.Add(-time.Hour), now.Add(-24*time.Hour))
	if err != nil {
		h.log.Error("upload link usage", "contractor", c.Name, "err", err)
		h.fail(w, r, http.StatusServiceUnavailable, "Сервис временно недоступен, попробуйте через минуту")
		return
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, h.cfg.MaxRequestBytes), params["boundary"])
	o := intake.Origin{Channel: db.SourceUpload, ContractorID: c.ID, Sender: c.Name, GroupID: newGroupID()}
	var got []db.IntakeFile
	parts := 0
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			h.answerPartial(w, r, c, http.StatusBadRequest, got, "Загрузка прервалась: отправьте оставшиеся файлы ещё раз")
			return
		}
		if p.FormName() != "file" {
			_ = p.Close()
			continue
		}
		name := p.FileName()
		body, err := io.ReadAll(io.LimitReader(p, h.cfg.Limits.MaxBytes+1))
		if err != nil {
			h.answerPartial(w, r, c, http.StatusBadRequest, got, "Загрузка прервалась: отправьте оставшиеся файлы ещё раз")
			return
		}
		if len(body) == 0 {
			continue // nothing sent: no document, no receipt
		}
		if parts++; parts > pervichka.MaxFilesPerRequest {
			h.answerPartial(w, r, c, http.StatusBadRequest, got, fmt.Sprintf(
				"Слишком много файлов за один раз: не больше %d. Принятые показаны ниже, остальные отправьте отдельно", pervichka.MaxFilesPerRequest))
			return
		}
		if files >= h.cfg.FilesPerHour {
			w.Header().Set("Retry-After", "3600")
			h.answerPartial(w, r, c, http.StatusTooManyRequests, got, fmt.Sprintf(
				"По этой ссылке можно отправить не больше %d файлов в час. Отправьте остальные через час", h.cfg.FilesPerHour))
			return
		}
		if bytes+int64(len(body)) > h.cfg.BytesPerDay {
			w.Header().Set("Retry-After", "86400")
			h.answerPartial(w, r, c, http.StatusTooManyRequests, got, fmt.Sprintf(
				"По этой ссылке можно отправить не больше %s в сутки. Отправьте остальные завтра или свяжитесь с бухгалтерией",
				sizeText(h.cfg.BytesPerDay)))
			return
		}
		files, bytes = files+1, bytes+int64(len(body))
		var rec db.IntakeFile
		if int64(len(body)) > h.cfg.Limits.MaxBytes {
			_, _ = io.Copy(io.Discard, p) // the rest of this file
			rec, err = h.cfg.Receiver.Refuse(r.Context(), o, name, body, pervichka.CodeTooLarge,
				fmt.Sprintf("%s: файл больше %d МБ", name, h.cfg.Limits.MaxBytes>>20))
		} else {
			rec, err = h.cfg.Receiver.Receive(r.Context(), o, name, body)
		}
		if err != nil {
			h.log.Error("receive upload", "contractor", c.Name, "file", name, "err", err)
			h.answerPartial(w, r, c, http.StatusBadRequest, got, "Сервис временно недоступен: отправьте оставшиеся файлы ещё раз через минуту")
			return
		}
		got = append(got, rec)
	}
	if len(got) == 0 {
		h.fail(w, r, http.StatusBadRequest, "Файлы не выбраны")
		return
	}
	out, err := h.statuses(r.Context(), c, got)
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "Сервис временно недоступен, попробуйте через минуту")
		return
	}
	jsonhttp.Write(w, http.StatusOK, listAnswer{Files: out})
}

// sizeText says a byte count the way a contractor reads it: «2 ГБ», «500 МБ».
func sizeText(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d ГБ", n>>30)
	}
	return fmt.Sprintf("%d МБ", n>>20)
}

// answerPartial reports an upload that stopped midway: which files were
// stored, and that the rest must be sent again.
func (h *Handler) answerPartial(w http.ResponseWriter, r *http.Request, c db.Contractor, code int, got []db.IntakeFile, msg string) {
	out, _ := h.statuses(r.Context(), c, got)
	jsonhttp.Write(w, code, struct {
		Error jsonhttp.ErrorInfo `json:"error"`
		Files []FileStatus       `json:"files"`
	}{jsonhttp.ErrorInfo{Code: "incomplete", Message: msg, RequestID: logctx.RequestID(r.Context())}, out})
}

func newGroupID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "upload:" + hex.EncodeToString(b[:])
}
