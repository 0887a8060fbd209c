package api

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/db"
)

// documentReply is GET /api/v1/documents/{id}. Times are RFC 3339 in UTC.
type documentReply struct {
	ID            int64           `json:"id"`
	State         db.State        `json:"state"`
	DocType       *string         `json:"doc_type"`
	FileName      string          `json:"file_name"`
	ContentType   string          `json:"content_type"`
	Size          int64           `json:"size"`
	Source        db.Source       `json:"source"`
	GroupID       *string         `json:"group_id"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
	Fields        json.RawMessage `json:"fields"`
	ReviewReasons []reviewReason  `json:"review_reasons"`
	Evidence      []fieldEvidence `json:"evidence"`
	Failure       *failureInfo    `json:"failure"`
	Events        []eventReply    `json:"events"`
	Pages         []pageReply     `json:"pages"`
	Links         []linkReply     `json:"links"`
}

// linkReply is a proposed relation to another document (see db.Link).
type linkReply struct {
	DocumentID int64       `json:"document_id"`
	LinkedID   int64       `json:"linked_id"`
	Kind       db.LinkKind `json:"kind"`
	Reason     string      `json:"reason"`
}

type reviewReason struct {
	Code    string `json:"code"`    // as in the result, e.g. "inn_checksum:buyer"
	Message string `json:"message"` // Russian text of the code without its suffix
}

// fieldEvidence is what corroborates one key field's value (the result's
// evidence, pervichka.Evidence* kinds), with the Russian labels the review
// UI shows.
type fieldEvidence struct {
	Field string         `json:"field"` // a key field path, e.g. "total"
	Kinds []evidenceKind `json:"kinds"`
}

type evidenceKind struct {
	Code  string `json:"code"`  // e.g. "items_sum"
	Label string `json:"label"` // e.g. «сумма строк»
}

// evidenceReply lists the evidence of the key fields in their order; a key
// field with none is absent.
func evidenceReply(ev map[string][]string) []fieldEvidence {
	out := []fieldEvidence{}
	for _, f := range pervichka.KeyFields {
		if len(ev[f]) == 0 {
			continue
		}
		fe := fieldEvidence{Field: f}
		for _, k := range ev[f] {
			label := pervichka.EvidenceText[k]
			if label == "" {
				label = k
			}
			fe.Kinds = append(fe.Kinds, evidenceKind{Code: k, Label: label})
		}
		out = append(out, fe)
	}
	return out
}

type failureInfo struct {
	Code    pervichka.ErrorCode `json:"code"`
	Message string              `json:"message"`
}

type eventReply struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	From   *db.State `json:"from"`
	To     db.State  `json:"to"`
	Reason string    `json:"reason"`
}

type pageReply struct {
	Index    int     `json:"index"`
	ImageURL *string `json:"image_url"` // null for a PDF text-layer page and until the page is read
	WordsURL *string `json:"words_url"` // null until the page is read
}

func (s *server) document(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.cfg.DB.GetDocument(ctx, nil, id)
	if err != nil {
		return err
	}
	events, err := s.cfg.DB.Events(ctx, id)
	if err != nil {
		return err
	}
	pages, err := s.cfg.DB.Pages(ctx, nil, id)
	if err != nil {
		return err
	}
	links, err := s.cfg.DB.Links(ctx, nil, id)
	if err != nil {
		return err
	}
	reply := documentReply{
		ID: d.ID, State: d.State, DocType: optional(string(d.Fields.DocType)), FileName: d.FileName,
		ContentType: d.ContentType, Size: d.Size, Source: d.Source, GroupID: optional(d.GroupID),
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Fields: json.RawMessage("null"), ReviewReasons: []reviewReason{}, Evidence: []fieldEvidence{},
		Events: make([]eventReply, 0, len(events)), Pages: make([]pageReply, 0, len(pages)),
		Links: make([]linkReply, 0, len(links)),
	}
	for _, l := range links {
		reply.Links = append(reply.Links, linkReply{DocumentID: l.DocumentID, LinkedID: l.LinkedID, Kind: l.Kind, Reason: l.Reason})
	}
	if d.Result != nil {
		reply.Fields = json.RawMessage(d.Result)
		var res struct {
			ReviewReasons []string            `json:"review_reasons"`
			Evidence      map[string][]string `json:"evidence"`
		}
		if err := json.Unmarshal(d.Result, &res); err != nil {
			return fmt.Errorf("document %d: stored result: %w", id, err)
		}
		for _, code := range res.ReviewReasons {
			reply.ReviewReasons = append(reply.ReviewReasons, reviewReason{Code: code, Message: reasonMessage(code)})
		}
		reply.Evidence = evidenceReply(res.Evidence)
	}
	if d.FailureCode != "" {
		reply.Failure = &failureInfo{Code: d.FailureCode, Message: d.FailureCode.Message()}
	}
	for _, e := range events {
		ev := eventReply{At: e.At, Actor: e.Actor, To: e.To, Reason: e.Reason}
		if e.From != "" {
			from := e.From
			ev.From = &from
		}
		reply.Events = append(reply.Events, ev)
	}
	base := fmt.Sprintf("/api/v1/documents/%d/pages/", id)
	for _, p := range pages {
		pr := pageReply{Index: p.Index}
		if p.ImageKey != "" {
			pr.ImageURL = optional(base + strconv.Itoa(p.Index) + "/image")
		}
		if p.WordsKey != "" {
			pr.WordsURL = optional(base + strconv.Itoa(p.Index) + "/words")
		}
		reply.Pages = append(reply.Pages, pr)
	}
	jsonhttp.Write(w, http.StatusOK, reply)
	return nil
}

// reasonMessage is the Russian text of a review reason; an unknown code
// (a newer extractor than this table) shows as itself.
func reasonMessage(code string) string {
	base, _, _ := strings.Cut(code, ":")
	if text, ok := pervichka.ReasonText[base]; ok {
		return text
	}
	return code
}

// original sends the file as the contractor sent it, as an attachment: the
// bytes are the sender's and must not be rendered by a browser on the
// API's origin.
func (s *server) original(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cfg.DB.GetDocument(r.Context(), nil, id)
	if err != nil {
		return err
	}
	// Named from the type sniffed from the bytes, not the sender's name:
	// a PDF that is also an HTML page, sent as «invoice.html», must not
	// download as a page a browser would open.
	return s.sendObject(w, r, d.ObjectKey, d.ContentType, pervichka.DownloadName(d.FileName, d.ID, d.ContentType))
}

func (s *server) pageImage(w http.ResponseWriter, r *http.Request) error {
	return s.pageArtifact(w, r, func(p db.Page) (key, contentType, missing string) {
		return p.ImageKey, "", "У страницы нет изображения: её текст взят из PDF или она ещё не обработана"
	})
}

func (s *server) pageWords(w http.ResponseWriter, r *http.Request) error {
	return s.pageArtifact(w, r, func(p db.Page) (key, contentType, missing string) {
		return p.WordsKey, "application/json", "Страница ещё не распознана"
	})
}

// pageArtifact sends one of a page's stored files, named by pick; an empty
// content type takes the stored object's.
func (s *server) pageArtifact(w http.ResponseWriter, r *http.Request, pick func(db.Page) (key, contentType, missing string)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		return badRequest("Номер страницы должен быть целым числом от 0")
	}
	ctx := r.Context()
	if _, err := s.cfg.DB.GetDocument(ctx, nil, id); err != nil {
		return err
	}
	pages, err := s.cfg.DB.Pages(ctx, nil, id)
	if err != nil {
		return err
	}
	for _, p := range pages {
		if p.Index != n {
			continue
		}
		key, contentType, missing := pick(p)
		if key == "" {
			return notFound(missing)
		}
		return s.sendObject(w, r, key, contentType, "")
	}
	return notFound("Такой страницы у документа нет")
}

// sendObject streams a stored object. attachmentName, when set, makes the
// answer a download under that name. A stored object the database names but
// the store lacks is an inconsistency for the operators (500, logged), not
// the client's 404.
func (s *server) sendObject(w http.ResponseWriter, r *http.Request, key, contentType, attachmentName string) error {
	body, info, err := s.cfg.Objects.Get(r.Context(), key)
	if err != nil {
		return fmt.Errorf("object %s: %w", key, err)
	}
	defer body.Close()
	if contentType == "" {
		contentType = info.ContentType
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	// Should a browser render the sender's bytes anyway (an inline PDF
	// viewer), they get no scripts and no origin.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	// Objects are written once under their key; a re-read page gets a new
	// key only if its bytes differ, so a private cache may keep them.
	h.Set("Cache-Control", "private, max-age=3600")
	if attachmentName != "" {
		// FormatMediaType percent-encodes a non-ASCII name (RFC 2231) and
		// quotes the rest; it returns "" for a name it cannot carry.
		if cd := mime.FormatMediaType("attachment", map[string]string{"filename": attachmentName}); cd != "" {
			h.Set("Content-Disposition", cd)
		} else {
			h.Set("Content-Disposition", "attachment")
		}
	}
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, body); err != nil {
		// The status is out; all that is left is to cut the answer short so
		// the client sees a short body against Content-Length.
		s.log.Warn("sending object failed", "key", key, "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

type retryReply struct {
	ID    int64    `json:"id"`
	State db.State `json:"state"`
}

// retry sends a failed document, or a re-sent copy that is not one, through
// the pipeline again (admin only).
func (s *server) retry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, actor := caller(r)
	if err := s.cfg.Pipeline.Retry(r.Context(), id, actor); err != nil {
		return err
	}
	d, err := s.cfg.DB.GetDocument(r.Context(), nil, id)
	if err != nil {
		return err
	}
	jsonhttp.Write(w, http.StatusAccepted, retryReply{ID: d.ID, State: d.State})
	return nil
}

// pathID reads {id}: a positive integer, else 404 as for any id that names
// no document.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound("Документ не найден")
	}
	return id, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
