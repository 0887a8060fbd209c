package review

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/storage/db"
)

// Exporter makes the accountant's files of posted documents: ФНС XML for
// 1С, payment orders for the bank client, CSV for Excel. The ledger
// implements it.
type Exporter interface {
	ExportDocument(ctx context.Context, documentID int64, format string) (ledger.ExportFile, error)
	ExportBatch(ctx context.Context, sel ledger.Selection, format string) (ledger.Batch, error)
}

// exportLink is a download button of a posted document.
type exportLink struct{ Label, URL string }

var exportLabels = map[string]string{
	ledger.FormatFNSXML: "Скачать XML для 1С",
	ledger.FormatBank:   "Платёжка",
	ledger.FormatCSV:    "CSV для Excel",
}

// exportLinks are the buttons of a posted document: the formats its type
// has.
func (s *Server) exportLinks(doc db.Document) []exportLink {
	if s.cfg.Exporter == nil || doc.State != db.StatePosted {
		return nil
	}
	var out []exportLink
	for _, f := range ledger.ExportFormats(string(doc.Fields.DocType)) {
		out = append(out, exportLink{Label: exportLabels[f], URL: fmt.Sprintf("/review/%d/export?format=%s", doc.ID, f)})
	}
	return out
}

// export serves GET /review/{id}/export?format=…: the document's file.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || s.cfg.Exporter == nil {
		s.refuse(w, r, http.StatusNotFound, "Такой страницы нет")
		return
	}
	f, err := s.cfg.Exporter.ExportDocument(r.Context(), id, r.URL.Query().Get("format"))
	var re *ledger.RefusedError
	switch {
	case errors.As(err, &re):
		s.refuse(w, r, http.StatusUnprocessableEntity, re.Reason)
	case errors.Is(err, db.ErrNotFound):
		s.refuse(w, r, http.StatusNotFound, "Такого документа нет")
	case err != nil:
		s.fail(w, r, http.StatusInternalServerError, "Не удалось выгрузить документ", err)
	default:
		sendFile(w, f)
	}
}

// exportBatch serves GET /review/export?format=…&from=…&to=…: a ZIP of the
// files of the documents posted and dated in the period, with refused.txt
// naming those left out and why.
func (s *Server) exportBatch(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Exporter == nil {
		s.refuse(w, r, http.StatusNotFound, "Такой страницы нет")
		return
	}
	q := r.URL.Query()
	from, to, format := q.Get("from"), q.Get("to"), q.Get("format")
	for _, v := range []string{from, to} {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			s.refuse(w, r, http.StatusBadRequest, "Укажите период: даты «с» и «по»")
			return
		}
	}
	if from > to {
		s.refuse(w, r, http.StatusBadRequest, "Начало периода позже конца")
		return
	}
	b, err := s.cfg.Exporter.ExportBatch(r.Context(), ledger.Selection{From: from, To: to}, format)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "Не удалось выгрузить: "+err.Error(), err)
		return
	}
	if len(b.Files) == 0 && len(b.Refused) == 0 {
		s.refuse(w, r, http.StatusNotFound, "За этот период выгружать нечего")
		return
	}
	z, err := b.Zip()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Не удалось выгрузить", err)
		return
	}
	sendFile(w, ledger.ExportFile{Name: fmt.Sprintf("pervichka-%s-%s-%s.zip", format, from, to), ContentType: "application/zip", Data: z})
}

func sendFile(w http.ResponseWriter, f ledger.ExportFile) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(f.Data)
}
