package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

// Pair is one proposed entry's accounts: Дт Debit Кт Credit.
type Pair struct {
	Debit  string `json:"debit"`
	Credit string `json:"credit"`
}

// Mapping turns a validated document into proposed double-entry lines. The
// accounts are the chart of accounts of Order 94n; the defaults are what a
// small Russian company books for a supplier's document, and a company with
// its own analytics (e.g. 44 instead of 26 for a trading firm) sets them in
// a JSON file (LoadMapping).
//
// Goods or services: an act is services; a счёт-фактура or УПД is services
// when it has items and every item is a service — its unit is one of
// ServiceUnits, or its name contains one of ServiceWords — and goods
// otherwise (a document with goods and services is booked whole as goods;
// the clerk splits it in the accounting system if that matters). Matching is
// case-insensitive, on word stems, so "Оказание услуг" and "УСЛУГИ связи"
// both match "услуг"; units match with case, spaces and dots ignored.
type Mapping struct {
	Services     Pair     `json:"services"`
	Goods        Pair     `json:"goods"`
	VAT          Pair     `json:"vat"`
	ServiceUnits []string `json:"service_units"`
	ServiceWords []string `json:"service_words"`
}

// DefaultMapping is the issue's: services and acts Дт 26 Кт 60.01, goods
// Дт 41.01 Кт 60.01, input VAT Дт 19 Кт 60.01.
func DefaultMapping() Mapping {
	return Mapping{
		Services:     Pair{"26", "60.01"},
		Goods:        Pair{"41.01", "60.01"},
		VAT:          Pair{"19", "60.01"},
		ServiceUnits: []string{"усл", "усл. ед", "услуга", "ч", "час", "чел.-ч", "чел.-час", "мес", "месяц"},
		ServiceWords: []string{"услуг", "работ", "обслуживан", "аренд", "консультац", "ремонт", "монтаж",
			"доставк", "перевозк", "разработк", "сопровожден", "абонентск", "подписк", "хостинг", "лиценз", "обучен"},
	}
}

// account is a synthetic account or a sub-account of the chart: "26", "60.01".
var account = regexp.MustCompile(`^\d{2}(\.\d{1,2})?$`)

// LoadMapping reads a JSON mapping; fields it leaves out keep their
// defaults. Unknown fields and malformed accounts are refused, so that a
// typo does not silently book to the default account.
func LoadMapping(path string) (Mapping, error) {
	m := DefaultMapping()
	b, err := os.ReadFile(path)
	if err != nil {
		return m, fmt.Errorf("ledger mapping: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("ledger mapping %s: %w", path, err)
	}
	if err := m.Validate(); err != nil {
		return m, fmt.Errorf("ledger mapping %s: %w", path, err)
	}
	return m, nil
}

// Validate checks every account against the chart's form.
func (m Mapping) Validate() error {
	var errs []error
	for name, p := range map[string]Pair{"services": m.Services, "goods": m.Goods, "vat": m.VAT} {
		for side, a := range map[string]string{"debit": p.Debit, "credit": p.Credit} {
			if !account.MatchString(a) {
				errs = append(errs, fmt.Errorf("%s.%s %q is not an account like 26 or 60.01", name, side, a))
			}
		}
	}
	return errors.Join(errs...)
}

// Line is one proposed entry. Amounts are kopecks: integers, never floats;
// a storno's are negative (red storno).
type Line struct {
	Debit         string `json:"debit"`
	Credit        string `json:"credit"`
	AmountKopecks int64  `json:"amount_kopecks"`
	Memo          string `json:"memo"`
}

// Class is how a document is booked.
type Class string

const (
	ClassServices  Class = "services"
	ClassGoods     Class = "goods"
	ClassPayables  Class = "payables"  // счёт на оплату
	ClassContracts Class = "contracts" // договор
)

// ErrUnmappable: the document lacks what a posting needs (a known type, a
// date, a total that parses). Nothing is posted; the caller's transaction
// should be rolled back.
var ErrUnmappable = errors.New("document cannot be posted")

// Classify decides how a document of this result is booked.
func (m Mapping) Classify(r pervichka.Result) (Class, error) {
	switch r.DocType {
	case pervichka.DocInvoice:
		return ClassPayables, nil
	case pervichka.DocContract:
		return ClassContracts, nil
	case pervichka.DocAct:
		return ClassServices, nil
	case pervichka.DocVATInvoice, pervichka.DocUPD, pervichka.DocTORG12:
		// A ТОРГ-12 is a goods receipt like a УПД with status 2: the
		// goods go to 41 against 60 and the VAT it states to 19, to be
		// deducted when the счёт-фактура arrives.
		if len(r.Items) == 0 {
			return ClassGoods, nil
		}
		for _, it := range r.Items {
			if !m.isService(it) {
				return ClassGoods, nil
			}
		}
		return ClassServices, nil
	}
	return "", fmt.Errorf("%w: document type %q has no mapping", ErrUnmappable, r.DocType)
}

// foldUnit compares units loosely: case, spaces and dots aside, so that
// "Усл. ед.", "усл.ед" and "УСЛ ЕД" are one unit.
func foldUnit(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

func (m Mapping) isService(it pervichka.Item) bool {
	unit := foldUnit(string(it.Unit))
	for _, u := range m.ServiceUnits {
		if unit != "" && unit == foldUnit(u) {
			return true
		}
	}
	name := strings.ToLower(string(it.Name))
	for _, w := range m.ServiceWords {
		if w != "" && strings.Contains(name, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// entry is what a posting says about a document beside its lines.
type entry struct {
	class    Class
	register db.Register
	total    pervichka.Kopecks
	vat      pervichka.Kopecks
	lines    []Line
}

// book turns a result into a posting's register, amounts and lines. A
// journal document needs a total; a register one records 0 when the
// document states none (a framework contract).
func (m Mapping) book(r pervichka.Result) (entry, error) {
	class, err := m.Classify(r)
	if err != nil {
		return entry{}, err
	}
	e := entry{class: class, register: db.RegisterJournal}
	switch class {
	case ClassPayables:
		e.register = db.RegisterPayables
	case ClassContracts:
		e.register = db.RegisterContracts
	}
	if r.Total != "" {
		if e.total, err = pervichka.ParseKopecks(string(r.Total)); err != nil {
			return entry{}, fmt.Errorf("%w: total %q: %v", ErrUnmappable, r.Total, err)
		}
	} else if e.register == db.RegisterJournal {
		return entry{}, fmt.Errorf("%w: no total", ErrUnmappable)
	}
	if r.VATAmount != "" && r.VATRate != pervichka.VATNone {
		if e.vat, err = pervichka.ParseKopecks(string(r.VATAmount)); err != nil {
			return entry{}, fmt.Errorf("%w: VAT amount %q: %v", ErrUnmappable, r.VATAmount, err)
		}
	}
	if e.total < 0 || e.vat < 0 || e.vat > e.total {
		return entry{}, fmt.Errorf("%w: VAT %s and total %s do not fit", ErrUnmappable, e.vat, e.total)
	}
	if e.register != db.RegisterJournal {
		return e, nil
	}
	ref := fmt.Sprintf("%s № %s от %s", docName[r.DocType], r.Number, r.Date)
	pair, what := m.Goods, "Товары"
	if class == ClassServices {
		pair, what = m.Services, "Услуги"
	}
	e.lines = append(e.lines, Line{pair.Debit, pair.Credit, int64(e.total - e.vat), what + " по " + ref})
	if e.vat > 0 {
		e.lines = append(e.lines, Line{m.VAT.Debit, m.VAT.Credit, int64(e.vat), "НДС по " + ref})
	}
	return e, nil
}

// docName is how a memo names a document type, in Russian for the
// accountant who reads it.
var docName = map[pervichka.DocType]string{
	pervichka.DocInvoice:    "счёт",
	pervichka.DocVATInvoice: "счёт-фактура",
	pervichka.DocUPD:        "УПД",
	pervichka.DocAct:        "акт",
	pervichka.DocContract:   "договор",
	pervichka.DocTORG12:     "ТОРГ-12",
}
