package review

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// Check is what a validator says about one field. Errors block approval;
// warnings are shown but the clerk may approve over them (a sum that does
// not add up may be printed so on the paper).
type Check struct {
	Error   string `json:"error,omitempty"`
	Warning string `json:"warning,omitempty"`
}

// normalise brings a typed value to the result's form where its kind has
// one; anything that does not parse stays as typed for the validator to
// flag.
func normalise(k kind, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	switch k {
	case kindINN, kindKPP, kindBIK, kindAccount, kindCorrAccount:
		if d := strings.Map(dropSpace, s); d != "" {
			return d
		}
	case kindMoney:
		if v, ok := ruvalid.NormalizeDecimal(s); ok {
			return v
		}
	case kindQuantity:
		if v, ok := ruvalid.NormalizeQuantity(s); ok {
			return v
		}
	case kindDate:
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t.Format(time.DateOnly)
		}
		if t, ok := ruvalid.ParseDate(s); ok {
			return t.Format(time.DateOnly)
		}
	case kindRate:
		r := strings.TrimSpace(strings.TrimSuffix(strings.ToLower(s), "%"))
		switch r {
		case "без ндс", "не облагается", "ндс не облагается":
			return pervichka.VATNone
		}
		return r
	}
	return s
}

func dropSpace(r rune) rune {
	if unicode.IsSpace(r) {
		return -1
	}
	return r
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// validate runs the engine's checks (extractors/ruvalid) on a result as
// the clerk has it now. Keys are field keys and item keys; a key absent
// from the map passed every check.
func validate(r pervichka.Result, today time.Time) map[string]Check {
	out := map[string]Check{}
	errf := func(key, format string, args ...any) { out[key] = Check{Error: fmt.Sprintf(format, args...)} }
	warnf := func(key, format string, args ...any) {
		if _, bad := out[key]; !bad {
			out[key] = Check{Warning: fmt.Sprintf(format, args...)}
		}
	}
	// Key fields: approval needs them (pervichka.KeyFields).
	required := map[string]bool{"doc_type": true, "number": true, "date": true, "supplier.inn": true, "buyer.inn": true, "total": true}
	if r.VATRate != pervichka.VATNone && r.VATRate != "0" {
		required["vat_amount"] = true
	}
	var date time.Time
	dateOK := false
	for _, fl := range fields {
		v := string(fl.get(&r))
		if v == "" {
			if required[fl.Key] {
				errf(fl.Key, "Обязательное поле")
			}
			continue
		}
		switch fl.Kind {
		case kindDocType:
			if pervichka.DocType(v) == pervichka.DocUnknown || docTypeName[pervichka.DocType(v)] == "" {
				errf(fl.Key, "Выберите тип документа")
			}
		case kindINN:
			switch {
			case !allDigits(v) || (len(v) != 10 && len(v) != 12):
				errf(fl.Key, "ИНН — 10 цифр (организация) или 12 (ИП)")
			case !ruvalid.ValidINN(v):
				errf(fl.Key, "Неверная контрольная сумма ИНН")
			}
		case kindKPP:
			if !ruvalid.ValidKPP(v) {
				errf(fl.Key, "КПП — 9 знаков: 4 цифры, 2 цифры или буквы, 3 цифры")
			}
		case kindBIK:
			if !ruvalid.ValidBIK(v) {
				errf(fl.Key, "БИК — 9 цифр, начинается с 04")
			}
		case kindAccount, kindCorrAccount:
			if !allDigits(v) || len(v) != 20 {
				errf(fl.Key, "Счёт — 20 цифр")
			}
		case kindMoney:
			if _, err := pervichka.ParseKopecks(v); err != nil {
				errf(fl.Key, "Сумма в рублях с копейками, например 1234.50")
			}
		case kindDate:
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				errf(fl.Key, "Дата в виде ДД.ММ.ГГГГ")
				continue
			}
			if fl.Key == "date" {
				date, dateOK = t, true
				if !ruvalid.PlausibleDate(t, today) {
					warnf(fl.Key, "Дата в будущем или старше десяти лет")
				}
			}
		}
	}
	// Cross-field checks, as the engine runs them.
	for _, role := range []struct {
		key   string
		party pervichka.Party
	}{{"supplier", r.Supplier}, {"buyer", r.Buyer}} {
		inn, kpp := string(role.party.INN), string(role.party.KPP)
		if kpp != "" && ruvalid.ValidINN(inn) && ruvalid.ValidKPP(kpp) && !ruvalid.KPPMatchesINN(kpp, inn) {
			warnf(role.key+".kpp", "КПП не соответствует региону ИНН")
		}
		if len(inn) == 12 && kpp != "" {
			warnf(role.key+".kpp", "У ИП (ИНН из 12 цифр) нет КПП")
		}
	}
	if r.Supplier.INN != "" && r.Supplier.INN == r.Buyer.INN {
		errf("buyer.inn", "Продавец и покупатель совпадают")
	}
	b := bankOf(&r)
	if ruvalid.ValidBIK(string(b.BIK)) {
		if allDigits(string(b.Account)) && len(b.Account) == 20 && !ruvalid.ValidAccount(string(b.Account), string(b.BIK)) {
			errf("supplier_bank.account", "Расчётный счёт не проходит контроль ключа с этим БИК")
		}
		if allDigits(string(b.CorrAccount)) && len(b.CorrAccount) == 20 && !ruvalid.ValidCorrAccount(string(b.CorrAccount), string(b.BIK)) {
			errf("supplier_bank.corr_account", "Корр. счёт не проходит контроль ключа с этим БИК")
		}
	}
	if r.VATRate != "" && r.VATRate != pervichka.VATMixed && dateOK && !ruvalid.VATRateLegal(string(r.VATRate), date) {
		warnf("vat_rate", "Ставка не действовала на дату документа (допустимы: %s)", strings.Join(ruvalid.LegalVATRates(date), ", "))
	}
	total, totalErr := pervichka.ParseKopecks(string(r.Total))
	if vat, err := pervichka.ParseKopecks(string(r.VATAmount)); err == nil && totalErr == nil {
		if rate, ok := ratePct(string(r.VATRate)); ok && rate > 0 {
			want := ruvalid.VATFromGross(total, rate)
			if d := want - vat; d > 1 || d < -1 {
				warnf("vat_amount", "При ставке %d%% НДС от итога %s — %s", rate, total, want)
			}
		}
	}
	// Items: each cell's form, each row's arithmetic, then Σ amounts
	// against the total. The Σ check runs even when a row lacks its
	// amount: a row read as «3» with no price or amount must not hide a
	// sum 36 000 short of the total.
	var sum pervichka.Kopecks
	missing := 0
	for i := range r.Items {
		it := &r.Items[i]
		for _, c := range itemColumns {
			v := string(c.get(it))
			if v == "" {
				continue
			}
			switch c.Kind {
			case kindMoney:
				if _, err := pervichka.ParseKopecks(v); err != nil {
					errf(itemKey(i, c.Key), "Сумма в рублях с копейками")
				}
			case kindQuantity:
				if _, ok := ruvalid.NormalizeQuantity(v); !ok {
					errf(itemKey(i, c.Key), "Количество — число, до трёх знаков после запятой")
				}
			}
		}
		if it.Price == "" {
			warnf(itemKey(i, "price"), "Нет цены")
		}
		if it.Quantity == "" && it.Price != "" && it.Amount != "" && normalise(kindMoney, string(it.Price)) != normalise(kindMoney, string(it.Amount)) {
			// Without a quantity the row cannot be checked, and a price
			// unequal to the amount means it was not 1.
			warnf(itemKey(i, "quantity"), "Нет количества, а цена не равна сумме строки")
		}
		a, err := pervichka.ParseKopecks(string(it.Amount))
		if it.Amount == "" {
			warnf(itemKey(i, "amount"), "Нет суммы строки")
		}
		if err != nil {
			missing++
			continue
		}
		sum += a
		if want, ok := rowProduct(it); ok && !rowAddsUp(it, a) {
			msg := fmt.Sprintf("Кол-во × цена = %s, а сумма строки %s", money(want.String()), money(a.String()))
			for _, col := range []string{"quantity", "price", "amount"} {
				warnf(itemKey(i, col), "%s", msg)
			}
		}
	}
	if len(r.Items) > 0 && totalErr == nil && sum != total {
		// Items are printed without VAT on some documents: the sum plus the
		// VAT amount is the other honest reading.
		vat, _ := pervichka.ParseKopecks(string(r.VATAmount))
		if sum+vat != total || missing > 0 {
			msg := fmt.Sprintf("Сумма строк %s не равна итогу %s", money(sum.String()), money(total.String()))
			if missing > 0 {
				msg += fmt.Sprintf(" (строк без суммы: %d)", missing)
			}
			warnf("total", "%s", msg)
		}
	}
	return out
}

// rowProduct is quantity × price in kopecks, rounded half up; ok is
// false when either does not parse.
func rowProduct(it *pervichka.Item) (pervichka.Kopecks, bool) {
	q, ok := ruvalid.NormalizeQuantity(string(it.Quantity))
	if !ok {
		return 0, false
	}
	p, err := pervichka.ParseKopecks(string(it.Price))
	if err != nil {
		return 0, false
	}
	qm, ok := milli(q)
	if !ok {
		return 0, false
	}
	return pervichka.Kopecks((int64(p)*qm + 500) / 1000), true
}

// rowAddsUp: the amount is quantity × price, with or without the row's
// VAT, give or take the rounding of a price printed to the kopeck
// (ruvalid.RowAddsUp, the rule the engine's gate uses too).
func rowAddsUp(it *pervichka.Item, amount pervichka.Kopecks) bool {
	q, _ := ruvalid.NormalizeQuantity(string(it.Quantity))
	qm, _ := milli(q)
	p, err := pervichka.ParseKopecks(string(it.Price))
	if err != nil {
		return false
	}
	vat, verr := pervichka.ParseKopecks(string(it.VATAmount))
	return ruvalid.RowAddsUp(qm, p, amount, vat, verr == nil, 0)
}

// milli reads a normalised quantity ("12.5") as thousandths (12500).
func milli(q string) (int64, bool) {
	whole, frac, _ := strings.Cut(q, ".")
	frac = (frac + "000")[:3]
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w > 1e12 || w < -1e12 {
		return 0, false
	}
	if strings.HasPrefix(whole, "-") {
		f = -f
	}
	return w*1000 + f, true
}

// ratePct reads a VAT rate in percent ("20" → 20).
func ratePct(s string) (int, bool) {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || fmt.Sprint(n) != s {
		return 0, false
	}
	return n, true
}

// docTypeName is the Russian name of each document type.
var docTypeName = map[pervichka.DocType]string{
	pervichka.DocInvoice:    "Счёт на оплату",
	pervichka.DocVATInvoice: "Счёт-фактура",
	pervichka.DocUPD:        "УПД",
	pervichka.DocAct:        "Акт",
	pervichka.DocContract:   "Договор",
	pervichka.DocTORG12:     "ТОРГ-12",
}

// blocking reports whether any check is an error.
func blocking(checks map[string]Check) bool {
	for _, c := range checks {
		if c.Error != "" {
			return true
		}
	}
	return false
}

func parseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
