package api

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/db"
)

// List page sizes.
const (
	defaultListLimit = 50
	maxListLimit     = 200
)

type listReply struct {
	Documents  []listedDocument `json:"documents"`
	NextCursor *string          `json:"next_cursor"` // null on the last page
}

type listedDocument struct {
	ID          int64     `json:"id"`
	State       db.State  `json:"state"`
	DocType     *string   `json:"doc_type"`
	FileName    string    `json:"file_name"`
	Source      db.Source `json:"source"`
	SupplierINN *string   `json:"supplier_inn"`
	Number      *string   `json:"number"`
	Date        *string   `json:"date"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

var innPattern = regexp.MustCompile(`^(\d{10}|\d{12})$`)

// list answers GET /api/v1/documents: documents oldest first, filtered,
// paged by an opaque cursor. Unknown and repeated parameters are refused
// rather than ignored, so that a misspelt filter does not silently list
// everything, nor a second value of one silently drop out.
func (s *server) list(w http.ResponseWriter, r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return badRequest("Строка запроса повреждена: %s", err)
	}
	for name, values := range q {
		switch name {
		case "state", "doc_type", "supplier_inn", "source", "limit", "cursor":
		default:
			return badRequest("Неизвестный параметр %q: допустимы state, doc_type, supplier_inn, source, limit, cursor", name)
		}
		// Each filter takes one value: a repeated one (state=a&state=b)
		// would otherwise silently filter by the first.
		if len(values) > 1 {
			return badRequest("Параметр %q указан %d раза: каждый фильтр принимает одно значение", name, len(values))
		}
	}
	f := db.ListFilter{
		State: db.State(q.Get("state")), DocType: pervichka.DocType(q.Get("doc_type")),
		SupplierINN: q.Get("supplier_inn"), Source: db.Source(q.Get("source")), Limit: defaultListLimit,
	}
	if f.State != "" && !f.State.Valid() {
		return badRequest("Неизвестное состояние %q", f.State)
	}
	if f.DocType != "" && f.DocType != pervichka.DocUnknown && !containsDocType(f.DocType) {
		return badRequest("Неизвестный тип документа %q", f.DocType)
	}
	if f.SupplierINN != "" && !innPattern.MatchString(f.SupplierINN) {
		return badRequest("ИНН поставщика — 10 или 12 цифр")
	}
	if f.Source != "" && f.Source != db.SourceUpload && f.Source != db.SourceEmail {
		return badRequest("Неизвестный источник %q: upload или email", f.Source)
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxListLimit {
			return badRequest("limit — целое число от 1 до %d", maxListLimit)
		}
		f.Limit = n
	}
	var after db.Cursor
	if v := q.Get("cursor"); v != "" {
		c, err := decodeCursor(v)
		if err != nil {
			return badRequest("Неверный cursor: передайте next_cursor из предыдущего ответа как есть")
		}
		after = c
	}
	limit := f.Limit
	f.Limit++ // one more tells whether a next page exists
	docs, err := s.cfg.DB.ListDocuments(r.Context(), f, after)
	if err != nil {
		return err
	}
	reply := listReply{Documents: make([]listedDocument, 0, min(len(docs), limit))}
	if len(docs) > limit {
		docs = docs[:limit]
		next := encodeCursor(docs[limit-1].Cursor())
		reply.NextCursor = &next
	}
	for _, d := range docs {
		reply.Documents = append(reply.Documents, listedDocument{
			ID: d.ID, State: d.State, DocType: optional(string(d.Fields.DocType)), FileName: d.FileName,
			Source: d.Source, SupplierINN: optional(d.Fields.SupplierINN), Number: optional(d.Fields.Number),
			Date: optional(d.Fields.Date), CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		})
	}
	jsonhttp.Write(w, http.StatusOK, reply)
	return nil
}

func containsDocType(t pervichka.DocType) bool {
	for _, k := range pervichka.DocTypes {
		if k == t {
			return true
		}
	}
	return false
}

// A cursor is "<created_at in Unix microseconds>.<id>" in base64url: opaque
// to clients, so its form may change, and exact to the microsecond both
// engines keep.
func encodeCursor(c db.Cursor) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%d", c.CreatedAt.UnixMicro(), c.ID))
}

func decodeCursor(s string) (db.Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return db.Cursor{}, err
	}
	micros, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return db.Cursor{}, fmt.Errorf("cursor %q: no separator", raw)
	}
	us, err := strconv.ParseInt(micros, 10, 64)
	if err != nil {
		return db.Cursor{}, fmt.Errorf("cursor %q: %w", raw, err)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return db.Cursor{}, fmt.Errorf("cursor %q: bad id", raw)
	}
	return db.Cursor{CreatedAt: time.UnixMicro(us).UTC(), ID: n}, nil
}
