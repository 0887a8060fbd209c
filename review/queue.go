package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

// queuePageSize is how many documents one queue page lists.
const queuePageSize = 50

type queueRow struct {
	ID           int64
	Type         string
	SupplierName string
	SupplierINN  string
	Total        string
	Reasons      []string
	Age          string
	Source       string
	FileName     string
	Failure      string
}

type countItem struct {
	Key, Label string
	N          int64
	Active     bool
}

type queuePage struct {
	pageBase
	Tab                              string // "review" or "failed"
	Rows                             []queueRow
	Counts                           db.QueueCounts
	Types, Reasons, Sources          []countItem
	FilterType, FilterSupplier       string
	FilterReason, FilterSource, Next string
	Admin, CanRetry                  bool
	CanExport                        bool // the download of posted documents by period
	Message                          string
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	tab := "review"
	state := db.StateNeedsReview
	if q.Get("tab") == "failed" {
		tab, state = "failed", db.StateFailed
	}
	f := db.QueueFilter{
		State: state, DocType: pervichka.DocType(q.Get("type")), Supplier: strings.TrimSpace(q.Get("supplier")),
		Reason: q.Get("reason"), Source: db.Source(q.Get("source")), Limit: queuePageSize,
	}
	if f.DocType != "" && docTypeName[f.DocType] == "" && f.DocType != pervichka.DocUnknown {
		f.DocType = ""
	}
	if f.Source != db.SourceUpload && f.Source != db.SourceEmail {
		f.Source = ""
	}
	if !reasonCode.MatchString(f.Reason) {
		f.Reason = "" // a code is lower-case letters and '_'; anything else would be a LIKE pattern
	}
	after, err := parseCursor(q.Get("after"))
	if err != nil {
		s.refuse(w, r, http.StatusBadRequest, "Неверная ссылка на страницу очереди")
		return
	}
	docs, err := s.cfg.DB.ReviewQueue(ctx, f, after)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось прочитать очередь, повторите", err)
		return
	}
	counts, err := s.counts.get(ctx, s.cfg.DB, state)
	if err == nil && counts.Total < int64(len(docs)) {
		// Cached counts older than the rows just read (documents arrived
		// since the last count): a page listing eight documents under
		// «Всего в очереди: 0» is worse than one count's wait.
		counts, err = s.counts.recount(ctx, s.cfg.DB, state)
	}
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось прочитать очередь, повторите", err)
		return
	}
	sess := sessionOf(r)
	p := queuePage{
		pageBase: base(r, "Очередь проверки"), Tab: tab, Counts: counts,
		FilterType: string(f.DocType), FilterSupplier: f.Supplier, FilterReason: f.Reason, FilterSource: string(f.Source),
		Admin: sess.User.Role == db.UserAdmin, CanRetry: sess.User.Role == db.UserAdmin && s.cfg.Retrier != nil,
		CanExport: s.cfg.Exporter != nil,
		Message:   flash(q.Get("msg")),
	}
	if tab == "failed" {
		p.Title = "Ошибки обработки"
	}
	now := s.cfg.Now()
	for _, d := range docs {
		p.Rows = append(p.Rows, s.row(d, now))
	}
	if len(docs) == queuePageSize {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		last := docs[len(docs)-1]
		next.Set("after", fmt.Sprintf("%d_%d", last.CreatedAt.UnixMicro(), last.ID))
		p.Next = "/review?" + next.Encode()
	}
	for _, t := range pervichka.DocTypes {
		p.Types = append(p.Types, countItem{Key: string(t), Label: docTypeName[t], N: counts.ByType[t], Active: f.DocType == t})
	}
	if n := counts.ByType[""] + counts.ByType[pervichka.DocUnknown]; n > 0 {
		p.Types = append(p.Types, countItem{Key: string(pervichka.DocUnknown), Label: "Не определён", N: n, Active: f.DocType == pervichka.DocUnknown})
	}
	for code, n := range counts.ByReason {
		p.Reasons = append(p.Reasons, countItem{Key: code, Label: reasonText(code), N: n, Active: f.Reason == code})
	}
	sort.Slice(p.Reasons, func(i, j int) bool {
		if p.Reasons[i].N != p.Reasons[j].N {
			return p.Reasons[i].N > p.Reasons[j].N
		}
		return p.Reasons[i].Key < p.Reasons[j].Key
	})
	for _, src := range []db.Source{db.SourceUpload, db.SourceEmail} {
		p.Sources = append(p.Sources, countItem{Key: string(src), Label: sourceName[src], N: counts.BySource[src], Active: f.Source == src})
	}
	s.render(w, r, http.StatusOK, "queue.html", p)
}

var reasonCode = regexp.MustCompile(`^[a-z_]{0,64}$`)

var sourceName = map[db.Source]string{db.SourceUpload: "Загрузка", db.SourceEmail: "Почта"}

// row is what the queue shows of a document. Only the few fields shown are
// decoded from its result.
func (s *Server) row(d db.Document, now time.Time) queueRow {
	row := queueRow{ID: d.ID, Age: age(now.Sub(d.CreatedAt)), Source: sourceName[d.Source], FileName: d.FileName,
		SupplierINN: d.Fields.SupplierINN, Type: docTypeName[d.Fields.DocType]}
	if row.Type == "" {
		row.Type = "—"
	}
	if d.Fields.Total != nil {
		row.Total = money(d.Fields.Total.String())
	}
	if d.State == db.StateFailed {
		row.Failure = d.FailureReason
		if t := d.FailureCode.Message(); t != "" && d.FailureReason == "" {
			row.Failure = t
		}
	}
	if len(d.Result) > 0 {
		var res struct {
			Supplier struct {
				Name string `json:"name"`
			} `json:"supplier"`
			ReviewReasons []string `json:"review_reasons"`
		}
		if json.Unmarshal(d.Result, &res) == nil {
			row.SupplierName = res.Supplier.Name
			for _, rs := range res.ReviewReasons {
				row.Reasons = append(row.Reasons, reasonText(rs))
			}
		}
	}
	return row
}

func parseCursor(s string) (db.Cursor, error) {
	if s == "" {
		return db.Cursor{}, nil
	}
	a, b, ok := strings.Cut(s, "_")
	us, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return db.Cursor{}, errors.New("bad cursor")
	}
	return db.Cursor{CreatedAt: time.UnixMicro(us).UTC(), ID: id}, nil
}

// age is a short Russian duration: «5 мин», «3 ч», «2 дн».
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "только что"
	case d < time.Hour:
		return fmt.Sprintf("%d мин", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d ч", int(d.Hours()))
	default:
		return fmt.Sprintf("%d дн", int(d.Hours()/24))
	}
}

// money groups a "1234567.89" amount by thousands with a comma decimal:
// «1 234 567,89».
func money(s string) string {
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "," + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

// flashIsError are the flash codes that report a refusal: shown in the
// red box, not the green one.
var flashIsError = map[string]bool{"duplicate": true}

// flash turns a message code from a redirect into text; unknown codes show
// nothing, so a link cannot put words on the page.
func flash(code string) string {
	return map[string]string{
		"approved":    "Документ утверждён и передан в учёт",
		"rejected":    "Документ отклонён",
		"saved":       "Черновик сохранён",
		"retried":     "Документ отправлен на повторную обработку",
		"reprocessed": "Документ отправлен на распознавание как новый",
		"empty":       "В очереди больше нет документов",
		"gone":        "Документ уже обработан другим сотрудником",
		"merged":      "Страницы присоединены; документ отправлен на повторное извлечение и вернётся в очередь",
		"split":       "Страницы отделены в новый документ; оба документа отправлены на извлечение и вернутся в очередь",
		"rotated":     "Страница повёрнута и распознаётся заново; страница обновится сама, когда документ вернётся на проверку",
		"duplicate":   "Документ не проведён: такой же документ (ИНН поставщика, номер, дата) уже есть в учёте. Он возвращён на проверку.",
	}[code]
}

// countsTTL is how long the queue's counts are served without a
// recount. Counting reasons reads every waiting document's result JSON
// (about 100 ms for 10,000 on SQLite, 40-50 ms on Postgres, see
// BenchmarkPages): too slow for every page view. So the counts are cached
// per state and, once older than countsTTL, served as they are while one
// background recount replaces them: only the first queue view of a state
// after the process starts waits for a count. Counts a few seconds old are
// fine for filters; the listed documents are always read fresh.
const countsTTL = 15 * time.Second

// countCache keeps the last counts per state.
type countCache struct {
	mu         sync.Mutex
	m          map[db.State]cachedCounts
	refreshing map[db.State]bool
	log        *slog.Logger
}

type cachedCounts struct {
	at time.Time
	c  db.QueueCounts
}

func (cc *countCache) get(ctx context.Context, d *db.DB, state db.State) (db.QueueCounts, error) {
	now := time.Now()
	cc.mu.Lock()
	e, ok := cc.m[state]
	if ok && now.Sub(e.at) >= countsTTL && !cc.refreshing[state] {
		if cc.refreshing == nil {
			cc.refreshing = map[db.State]bool{}
		}
		cc.refreshing[state] = true
		go cc.refresh(context.WithoutCancel(ctx), d, state)
	}
	cc.mu.Unlock()
	if ok {
		return e.c, nil
	}
	return cc.recount(ctx, d, state)
}

// recount counts now and caches the result.
func (cc *countCache) recount(ctx context.Context, d *db.DB, state db.State) (db.QueueCounts, error) {
	c, err := d.CountQueue(ctx, state)
	if err != nil {
		return c, err
	}
	cc.put(state, c)
	return c, nil
}

func (cc *countCache) refresh(ctx context.Context, d *db.DB, state db.State) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c, err := d.CountQueue(ctx, state)
	cc.mu.Lock()
	cc.refreshing[state] = false
	cc.mu.Unlock()
	if err != nil {
		if cc.log != nil {
			cc.log.Warn("review: recount queue", "state", state, "err", err)
		}
		return
	}
	cc.put(state, c)
}

func (cc *countCache) put(state db.State, c db.QueueCounts) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.m == nil {
		cc.m = map[db.State]cachedCounts{}
	}
	cc.m[state] = cachedCounts{at: time.Now(), c: c}
}
