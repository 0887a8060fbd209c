package review

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
	"github.com/pervichka/pervichka/storage/db"
)

// directoryShown bounds the rows of the directory list and of a
// counterparty's document history.
const directoryShown = 200

type directoryPage struct {
	pageBase
	Query   string
	Rows    []db.Counterparty
	More    bool
	Card    *counterpartyCard
	Message string
}

// counterpartyCard is one counterparty: what the directory holds, where
// its bank details were confirmed, and its documents.
type counterpartyCard struct {
	db.Counterparty
	Updated   string
	Confirmed []confirmation // approved documents printing these bank details, newest first
	Documents []dirDocument
	More      bool
}

type confirmation struct {
	DocumentID int64
	Actor, At  string
}

type dirDocument struct {
	ID                         int64
	Type, Number, Date, Total  string
	State, Created, BankChange string
}

// directoryPage is the counterparty directory: a search by name or ИНН, and
// with ?inn= one counterparty's card.
//
// Limits: the history lists the documents where the ИНН is the supplier
// (the documents table indexes the supplier's ИНН); a counterparty that
// only ever bought from us shows its card without documents.
func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := directoryPage{pageBase: base(r, "Справочник контрагентов"), Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if utf8.RuneCountInString(p.Query) > 200 {
		p.Query = string([]rune(p.Query)[:200])
	}
	if inn := r.URL.Query().Get("inn"); inn != "" {
		card, err := s.counterpartyCard(r, inn)
		if err != nil {
			s.fail(w, r, http.StatusServiceUnavailable, "Не удалось прочитать справочник, повторите", err)
			return
		}
		if card == nil {
			s.refuse(w, r, http.StatusNotFound, "В справочнике нет контрагента с ИНН "+inn)
			return
		}
		p.Card, p.Title = card, card.Name
		s.render(w, r, http.StatusOK, "directory.html", p)
		return
	}
	all, err := s.cfg.DB.Counterparties(ctx, db.MaxCounterparties)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось прочитать справочник, повторите", err)
		return
	}
	digits := strings.Trim(p.Query, "0123456789") == "" && p.Query != ""
	want := ruvalid.NormalizeName(p.Query)
	for _, c := range all {
		switch {
		case p.Query == "":
		case digits && strings.HasPrefix(c.INN, p.Query):
		case !digits && want != "" && strings.Contains(ruvalid.NormalizeName(c.Name), want):
		default:
			continue
		}
		if len(p.Rows) == directoryShown {
			p.More = true
			break
		}
		p.Rows = append(p.Rows, c)
	}
	s.render(w, r, http.StatusOK, "directory.html", p)
}

func (s *Server) counterpartyCard(r *http.Request, inn string) (*counterpartyCard, error) {
	ctx := r.Context()
	c, err := s.cfg.DB.CounterpartyByINN(ctx, nil, inn)
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	card := &counterpartyCard{Counterparty: c, Updated: c.UpdatedAt.In(s.cfg.Location).Format("02.01.2006 15:04")}
	docs, err := s.cfg.DB.ListDocuments(ctx, db.ListFilter{SupplierINN: inn, Limit: db.MaxListLimit}, db.Cursor{})
	if err != nil {
		return nil, err
	}
	// Newest first.
	for i, j := 0, len(docs)-1; i < j; i, j = i+1, j-1 {
		docs[i], docs[j] = docs[j], docs[i]
	}
	for _, d := range docs {
		var res pervichka.Result
		_ = json.Unmarshal(d.Result, &res)
		row := dirDocument{ID: d.ID, Type: docTypeName[d.Fields.DocType], Number: d.Fields.Number, State: stateName[d.State],
			Created: d.CreatedAt.In(s.cfg.Location).Format("02.01.2006")}
		if t, err := parseDay(d.Fields.Date); err == nil {
			row.Date = t.Format("02.01.2006")
		}
		if d.Fields.Total != nil {
			row.Total = money(d.Fields.Total.String())
		}
		for _, rs := range res.ReviewReasons {
			if strings.HasPrefix(rs, ReasonBankChanged) {
				row.BankChange = "другие реквизиты"
			}
		}
		decided := d.State == db.StateApproved || d.State == db.StatePosted
		b := res.SupplierBank
		if decided && c.Account != "" && b != nil && string(b.Account) == c.Account && string(b.BIK) == c.BIK && len(card.Confirmed) < 5 {
			card.Confirmed = append(card.Confirmed, s.confirmationOf(r, d.ID))
		}
		if len(card.Documents) == directoryShown {
			card.More = true
			continue
		}
		card.Documents = append(card.Documents, row)
	}
	return card, nil
}

// confirmationOf says who approved a document and when: its transition
// to approved (a clerk's) or, for one posted without a person, to
// auto_approved.
func (s *Server) confirmationOf(r *http.Request, id int64) confirmation {
	out := confirmation{DocumentID: id}
	events, err := s.cfg.DB.Events(r.Context(), id)
	if err != nil {
		return out
	}
	for _, e := range events {
		if e.To == db.StateApproved || e.To == db.StateAutoApproved {
			out.Actor, out.At = e.Actor, e.At.In(s.cfg.Location).Format("02.01.2006 15:04")
			if e.To == db.StateAutoApproved {
				out.Actor = "автоматически (" + e.Actor + ")"
			}
		}
	}
	return out
}

func isNotFound(err error) bool { return errors.Is(err, db.ErrNotFound) }
