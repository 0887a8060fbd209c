package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/storage/db"
)

// formField is one input of the document form.
type formField struct {
	Key, Label, Value, Input string
	Conf                     string // "87 %" when the engine gave a confidence below 1
	Evidence                 string // «сумма строк, сумма прописью»: what corroborated the engine's value
	LowConf, Flagged         bool
	Check                    Check
	Current                  string // the stored value, when a stale save differs from it
	Conflict                 bool
	Options                  []option
}

type option struct{ Value, Label string }

type fieldGroup struct {
	Name   string
	Fields []formField
}

type itemRow struct {
	Index   int
	Cells   []formField
	Flagged bool // a cell needs attention: the row's arithmetic, a missing price or amount
}

type pageInfo struct {
	Index  int              `json:"index"`
	Width  int              `json:"width"`
	Height int              `json:"height"`
	Image  string           `json:"image,omitempty"`
	Text   bool             `json:"text,omitempty"` // from a PDF's text layer: the turn is the viewer's only
	Words  []pervichka.Word `json:"words"`
	Boxes  []fieldBox       `json:"boxes"`
}

type historyRow struct {
	At, Actor, What, Before, After string
	at                             time.Time
}

// sortHistory orders events and corrections by time, stably, so that a
// transition and the corrections saved with it keep their written order.
func sortHistory(h []historyRow) {
	slices.SortStableFunc(h, func(a, b historyRow) int { return a.at.Compare(b.at) })
}

type documentPage struct {
	pageBase
	Doc            db.Document
	StateName      string
	Editable       bool
	Groups         []fieldGroup
	ItemColumns    []itemColumn
	Items          []itemRow
	Reasons        []reasonView
	Pages          []pageInfo
	History        []historyRow
	ClaimedBy      string
	ClaimUntil     string
	Error, Message string
	Prev, Next     int64
	Postings       []postingRow
	Exports        []exportLink // download buttons of a posted document
	Original       string       // the received file's URL
	OriginalImage  bool         // it is an image the viewer can show
	Version        int
	Checks         map[string]Check
	BankChanges    []bankChange // bank.go
}

var stateName = map[db.State]string{
	db.StateReceived: "Получен", db.StateProcessing: "Обрабатывается", db.StateNeedsReview: "Требует проверки",
	db.StateAutoApproved: "Утверждён автоматически", db.StateApproved: "Утверждён", db.StatePosted: "Проведён в учёте",
	db.StateRejected: "Отклонён", db.StateFailed: "Ошибка обработки",
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// documentOf reads the document the path names. When it cannot, it has
// answered already (404 for a bad or unknown id, 503 with unavailable as
// the clerk's message otherwise) and ok is false.
func (s *Server) documentOf(w http.ResponseWriter, r *http.Request, unavailable string) (doc db.Document, ok bool) {
	id, ok := pathID(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return doc, false
	}
	doc, err := s.cfg.DB.GetDocument(r.Context(), nil, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return doc, false
	case err != nil:
		s.fail(w, r, http.StatusServiceUnavailable, unavailable, err)
		return doc, false
	}
	return doc, true
}

func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	doc, ok := s.documentOf(w, r, "Не удалось открыть документ, повторите")
	if !ok {
		return
	}
	id := doc.ID
	sess := sessionOf(r)
	var claimErr string
	if doc.State == db.StateNeedsReview {
		c, err := s.cfg.DB.ClaimDocument(r.Context(), nil, id, sess.User.Name, s.cfg.ClaimTTL)
		if err != nil {
			s.fail(w, r, http.StatusServiceUnavailable, "Не удалось открыть документ, повторите", err)
			return
		}
		if c.User != sess.User.Name {
			claimErr = claimMessage(c, s.cfg.Location)
		}
	}
	res, err := decodeResult(doc)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Результат распознавания повреждён", err)
		return
	}
	p, err := s.documentPage(r, doc, res, values(res), nil)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось открыть документ, повторите", err)
		return
	}
	p.Error = claimErr
	code := r.URL.Query().Get("msg")
	if flashIsError[code] && p.Error == "" {
		p.Error = flash(code)
	} else if !flashIsError[code] {
		p.Message = flash(code)
	}
	s.render(w, r, http.StatusOK, "document.html", p)
}

func claimMessage(c db.Claim, loc *time.Location) string {
	return fmt.Sprintf("Документ сейчас открыт у пользователя %s (до %s). Сохранить изменения вы сможете, когда он закроет документ.",
		c.User, c.ExpiresAt.In(loc).Format("15:04"))
}

func decodeResult(doc db.Document) (pervichka.Result, error) {
	var res pervichka.Result
	if len(doc.Result) == 0 {
		return res, nil
	}
	if err := json.Unmarshal(doc.Result, &res); err != nil {
		return res, fmt.Errorf("document %d result: %w", doc.ID, err)
	}
	return res, nil
}

// reasonFields maps a review reason to the form fields it concerns.
func reasonFields(reason string) []string {
	code, suffix, _ := strings.Cut(reason, ":")
	switch code {
	case pervichka.ReasonMissing, pervichka.ReasonLowConfidence, pervichka.ReasonRepaired, pervichka.ReasonUnconfirmed:
		return []string{suffix}
	case pervichka.ReasonNameInvalid:
		return []string{suffix + ".name"}
	case pervichka.ReasonNumberCharset:
		return []string{"number"}
	case pervichka.ReasonTotalNotPositive:
		return []string{"total"}
	case pervichka.ReasonVATOverTotal:
		return []string{"total", "vat_amount"}
	case pervichka.ReasonItemsUnread, pervichka.ReasonRowArithmetic:
		return []string{"items"}
	case pervichka.ReasonDocTypeMarkers:
		return []string{"doc_type"}
	case pervichka.ReasonRowsRepaired:
		return []string{"items"}
	case pervichka.ReasonINNChecksum, pervichka.ReasonOGRNChecksum:
		return []string{suffix + ".inn"}
	case pervichka.ReasonKPPFormat, pervichka.ReasonKPPNotINN, ReasonKPPChanged:
		return []string{suffix + ".kpp"}
	case ReasonNameChanged, pervichka.ReasonOwnNameMismatch:
		return []string{suffix + ".name"}
	case pervichka.ReasonBIK:
		return []string{"supplier_bank.bik"}
	case pervichka.ReasonAccountKey:
		return []string{"supplier_bank.account"}
	case pervichka.ReasonCorrAccountKey:
		return []string{"supplier_bank.corr_account"}
	case ReasonBankChanged:
		return []string{"supplier_bank.bank_name", "supplier_bank.bik", "supplier_bank.account", "supplier_bank.corr_account"}
	case pervichka.ReasonDateImplausible:
		return []string{"date"}
	case pervichka.ReasonVATRateIllegal:
		return []string{"vat_rate"}
	case pervichka.ReasonItemsSumMismatch, pervichka.ReasonAmountWords:
		return []string{"total"}
	case pervichka.ReasonVATMismatch:
		return []string{"vat_amount"}
	case pervichka.ReasonDocTypeUnknown:
		return []string{"doc_type"}
	case pervichka.ReasonSameParty:
		return []string{"supplier.inn", "buyer.inn"}
	case pervichka.ReasonOwnKPPMismatch:
		return []string{"buyer.kpp"}
	case pervichka.ReasonDuplicate:
		return []string{"number"}
	}
	return nil
}

// evidenceText joins the Russian labels of a field's evidence kinds
// (pervichka.EvidenceText); an unknown kind shows as itself.
func evidenceText(kinds []string) string {
	labels := make([]string, 0, len(kinds))
	for _, k := range kinds {
		if l := pervichka.EvidenceText[k]; l != "" {
			labels = append(labels, l)
		} else {
			labels = append(labels, k)
		}
	}
	return strings.Join(labels, ", ")
}

// lowConfidence is the engine's "sure" threshold: a field below it is
// highlighted even without a reason. Chosen from the reliability table of
// the trust soak (docs/benchmarks.md; `pervichka eval` prints it): on the
// unseen seed 4101, all variants, 252 of 252 field values at confidence
// ≥ 0.95 were right, while the [0.90, 0.95) bucket was right 53 of 56
// (0.946) — the former 0.9 showed wrong values as sure.
const lowConfidence = 0.95

// doubtful decides whether the page highlights a field and puts it first
// in the Tab order: a review reason names it, the engine's confidence is
// below lowConfidence, a check fails, or (item cells and the total) a
// row's arithmetic or the Σ of the rows does not add up. Every input of
// that decision passes through here, so that a verdict from the
// extractor's evidence replaces this one function.
func doubtful(key string, named bool, conf float64, hasConf bool, c Check) bool {
	switch {
	case named, hasConf && conf < lowConfidence, c.Error != "":
		return true
	case c.Warning != "" && (key == "total" || strings.HasPrefix(key, "items[")):
		return true
	}
	return false
}

// namedFields are the form keys the review reasons name.
func namedFields(reasons []string) map[string]bool {
	named := map[string]bool{}
	for _, rs := range reasons {
		for _, k := range reasonFields(rs) {
			named[k] = true
		}
	}
	return named
}

// attention is the set of keys the page highlights for a stored result,
// as documentPage decides them (doubtful per key).
func attention(stored pervichka.Result, today time.Time) map[string]bool {
	named := namedFields(stored.ReviewReasons)
	checks := validate(stored, today)
	out := map[string]bool{}
	for key := range values(stored) {
		c, has := stored.Confidence[key]
		if doubtful(key, named[key], c, has, checks[key]) {
			out[key] = true
		}
	}
	return out
}

// documentPage assembles the page from the stored document, the form
// values to show (the stored ones, or a refused form's) and, after a
// refused save, the stored values to compare with.
func (s *Server) documentPage(r *http.Request, doc db.Document, stored pervichka.Result, shown map[string]string, current map[string]string) (documentPage, error) {
	ctx := r.Context()
	p := documentPage{
		pageBase: base(r, fmt.Sprintf("Документ №%d", doc.ID)), Doc: doc, StateName: stateName[doc.State],
		Editable: doc.State == db.StateNeedsReview, ItemColumns: itemColumns, Version: doc.Version,
		Original: fmt.Sprintf("/review/%d/original", doc.ID), OriginalImage: inlineImage(doc.ContentType),
	}
	if doc.State == db.StateProcessing || doc.State == db.StateReceived {
		// The pipeline is reading it (after a turn, a merge or a split):
		// the page reloads itself until the document is back.
		p.Refresh = 3
	}
	named := namedFields(stored.ReviewReasons)
	for _, rs := range stored.ReviewReasons {
		if p.Editable {
			p.Reasons = append(p.Reasons, reasonViewOf(rs))
		}
	}
	p.BankChanges = s.bankChanges(ctx, stored)
	// Validate what is shown, so a refused form shows its own problems.
	shownRes := form{Values: shown, Items: countItems(shown), Version: doc.Version}.apply(stored)
	p.Checks = validate(shownRes, s.cfg.Now())
	mk := func(key, label string, k kind) formField {
		f := formField{Key: key, Label: label, Value: displayValue(k, shown[key]), Input: inputKind(k), Check: p.Checks[key]}
		c, hasConf := stored.Confidence[key]
		if hasConf && c < 1 {
			f.Conf = fmt.Sprintf("%.0f %%", c*100)
		}
		f.LowConf = hasConf && c < lowConfidence
		f.Evidence = evidenceText(stored.Evidence[key])
		f.Flagged = doubtful(key, named[key], c, hasConf, f.Check)
		if current != nil && normalise(k, current[key]) != normalise(k, shown[key]) {
			f.Current, f.Conflict = displayValue(k, current[key]), true
			if f.Current == "" {
				f.Current = "(пусто)"
			}
		}
		if k == kindDocType {
			f.Options = append(f.Options, option{"", "— выберите —"})
			for _, t := range pervichka.DocTypes {
				f.Options = append(f.Options, option{string(t), docTypeName[t]})
			}
		}
		return f
	}
	for _, fl := range fields {
		if n := len(p.Groups); n == 0 || p.Groups[n-1].Name != fl.Group {
			p.Groups = append(p.Groups, fieldGroup{Name: fl.Group})
		}
		g := &p.Groups[len(p.Groups)-1]
		g.Fields = append(g.Fields, mk(fl.Key, fl.Label, fl.Kind))
	}
	for i := range countItems(shown) {
		row := itemRow{Index: i}
		for _, c := range itemColumns {
			cell := mk(itemKey(i, c.Key), c.Label, c.Kind)
			row.Flagged = row.Flagged || cell.Flagged
			row.Cells = append(row.Cells, cell)
		}
		p.Items = append(p.Items, row)
	}
	pages, err := s.cfg.DB.Pages(ctx, nil, doc.ID)
	if err != nil {
		return p, err
	}
	var words []pervichka.Page
	for _, pg := range pages {
		info := pageInfo{Index: pg.Index}
		var wp pervichka.Page
		if pg.WordsKey != "" {
			if err := s.readJSON(ctx, pg.WordsKey, &wp); err != nil {
				s.cfg.Logger.Warn("review: page words unreadable", "document", doc.ID, "page", pg.Index, "err", err)
			}
		}
		info.Width, info.Height, info.Words = wp.Width, wp.Height, wp.Words
		info.Text = textPage(pg)
		if pg.ImageKey != "" || info.Text {
			info.Image = fmt.Sprintf("/review/%d/pages/%d/image", doc.ID, pg.Index)
		}
		if info.Words == nil {
			info.Words = []pervichka.Word{}
		}
		p.Pages = append(p.Pages, info)
		words = append(words, wp)
	}
	events, err := s.cfg.DB.Events(ctx, doc.ID)
	if err != nil {
		return p, err
	}
	corrections, err := s.cfg.DB.Corrections(ctx, nil, doc.ID)
	if err != nil {
		return p, err
	}
	// The values a clerk typed, saved or in the form shown, were read
	// nowhere: they are found among the words (fieldBoxes).
	corrected := map[string]bool{}
	for _, c := range corrections {
		corrected[c.Field] = true
	}
	for _, ch := range changes(stored, shownRes) {
		corrected[ch[0]] = true
	}
	for _, b := range fieldBoxes(words, shownRes, corrected) {
		p.Pages[b.Page].Boxes = append(p.Pages[b.Page].Boxes, b)
	}
	for i := range p.Pages {
		if p.Pages[i].Boxes == nil {
			p.Pages[i].Boxes = []fieldBox{}
		}
	}
	for _, e := range events {
		what := stateName[e.To]
		if e.Reason != "" {
			what += ": " + eventText(e.Reason)
		}
		p.History = append(p.History, historyRow{At: e.At.In(s.cfg.Location).Format("02.01.2006 15:04:05"), Actor: e.Actor, What: what, at: e.At})
	}
	for _, c := range corrections {
		p.History = append(p.History, historyRow{At: c.At.In(s.cfg.Location).Format("02.01.2006 15:04:05"), Actor: c.Actor,
			What: "Исправлено поле «" + fieldLabel(c.Field) + "»", Before: c.Before, After: c.After, at: c.At})
	}
	sortHistory(p.History)
	if c, err := s.cfg.DB.ClaimOf(ctx, nil, doc.ID); err == nil {
		p.ClaimedBy, p.ClaimUntil = c.User, c.ExpiresAt.In(s.cfg.Location).Format("15:04")
	}
	if doc.State == db.StateNeedsReview {
		for _, back := range []bool{false, true} {
			ds, err := s.cfg.DB.ReviewQueue(ctx, db.QueueFilter{State: db.StateNeedsReview, Limit: 1, Backward: back}, doc.Cursor())
			if err != nil {
				return p, err
			}
			if len(ds) == 1 {
				if back {
					p.Prev = ds[0].ID
				} else {
					p.Next = ds[0].ID
				}
			}
		}
	}
	postings, err := s.cfg.DB.DocumentPostings(ctx, nil, doc.ID)
	if err != nil {
		return p, err
	}
	for _, ps := range postings {
		p.Postings = append(p.Postings, postingView(ps, s.cfg.Location))
	}
	p.Exports = s.exportLinks(doc)
	return p, nil
}

// postingRow is one journal record of the document as the page shows it.
type postingRow struct {
	ID                        int64
	Kind, Register, At, Actor string
	Total, VAT                string
	Lines                     []lineRow
}

type lineRow struct{ Debit, Credit, Amount, Memo string }

var registerName = map[db.Register]string{
	db.RegisterJournal: "журнал проводок", db.RegisterPayables: "счета к оплате", db.RegisterContracts: "договоры",
}

func postingView(p db.Posting, loc *time.Location) postingRow {
	row := postingRow{ID: p.ID, Kind: "проводка", Register: registerName[p.Register], Actor: p.Actor,
		At:    p.CreatedAt.In(loc).Format("02.01.2006 15:04"),
		Total: money(pervichka.Kopecks(p.TotalKopecks).String()), VAT: money(pervichka.Kopecks(p.VATKopecks).String())}
	if p.Kind == db.KindStorno {
		row.Kind = fmt.Sprintf("сторно записи %d", p.ReversesID)
	}
	var lines []ledger.Line
	if len(p.Lines) > 0 && json.Unmarshal(p.Lines, &lines) == nil {
		for _, l := range lines {
			row.Lines = append(row.Lines, lineRow{Debit: l.Debit, Credit: l.Credit,
				Amount: money(pervichka.Kopecks(l.AmountKopecks).String()), Memo: l.Memo})
		}
	}
	return row
}

// countItems is the number of item rows in a form's values.
func countItems(v map[string]string) int {
	n := 0
	for {
		if _, ok := v[itemKey(n, "name")]; !ok {
			return n
		}
		n++
	}
}

func inputKind(k kind) string {
	switch k {
	case kindDocType:
		return "select"
	case kindINN, kindKPP, kindBIK, kindAccount, kindCorrAccount, kindMoney, kindQuantity:
		return "numeric"
	}
	return "text"
}

// maxWordsBytes bounds a page's words file read for display.
const maxWordsBytes = 16 << 20

func (s *Server) readJSON(ctx context.Context, key string, v any) error {
	body, _, err := s.cfg.Objects.Get(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	return json.NewDecoder(io.LimitReader(body, maxWordsBytes)).Decode(v)
}

// original sends the file as received. Images are shown inline (the
// viewer's «оригинал» switch); anything else is a download, so a PDF's
// scripts never run in the UI's origin.
func (s *Server) original(w http.ResponseWriter, r *http.Request) {
	doc, ok := s.documentOf(w, r, "Не удалось прочитать документ")
	if !ok {
		return
	}
	body, info, err := s.cfg.Objects.Get(r.Context(), doc.ObjectKey)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Исходный файл недоступен", err)
		return
	}
	defer body.Close()
	h := w.Header()
	ct := doc.ContentType
	if !inlineImage(ct) {
		name := pervichka.DownloadName(doc.FileName, doc.ID, doc.ContentType)
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, max-age=3600")
	_, _ = io.Copy(w, body)
}

func inlineImage(contentType string) bool {
	return contentType == "image/jpeg" || contentType == "image/png"
}

func (s *Server) pageImage(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		s.refuse(w, r, http.StatusNotFound, "Нет такой страницы")
		return
	}
	doc, ok := s.documentOf(w, r, "Не удалось прочитать страницу")
	if !ok {
		return
	}
	pages, err := s.cfg.DB.Pages(r.Context(), nil, doc.ID)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось прочитать страницу", err)
		return
	}
	for _, p := range pages {
		if p.Index != n {
			continue
		}
		if textPage(p) {
			s.servePicture(w, r, doc, p)
			return
		}
		if p.ImageKey == "" {
			break
		}
		body, info, err := s.cfg.Objects.Get(r.Context(), p.ImageKey)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, "Изображение страницы недоступно", err)
			return
		}
		defer body.Close()
		h := w.Header()
		h.Set("Content-Type", info.ContentType)
		h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "private, max-age=3600")
		_, _ = io.Copy(w, body)
		return
	}
	s.refuse(w, r, http.StatusNotFound, "У страницы нет изображения")
}
