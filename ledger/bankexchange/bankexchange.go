// Package bankexchange writes and reads payment orders in the
// 1CClientBankExchange text format (version 1.03), which Russian bank
// clients import («Импорт платёжных поручений из 1С») and 1С exports: a
// header, one «СекцияДокумент=Платежное поручение» … «КонецДокумента»
// block per order, and «КонецФайла»; lines of key=value in windows-1251
// separated by CRLF.
//
// Only what a supplier payment needs is written: no budget (tax) fields,
// no electronic signatures. Parse reads such files back, for the tests and
// for a bank's export of the same shape; it is fuzzed, as it reads bytes
// from outside.
package bankexchange

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/pervichka/pervichka"
)

// Version and encoding of the files written.
const (
	Version  = "1.03"
	Encoding = "Windows"
	// DocumentKind is the section of a payment order.
	DocumentKind = "Платежное поручение"
)

// Side is the payer or the payee of an order.
type Side struct {
	Name        string
	INN         string
	KPP         string // "" for an ИП
	Account     string // расчётный счёт
	BankName    string
	BIK         string
	CorrAccount string
}

// Order is one payment order.
type Order struct {
	Number   string
	Date     time.Time // day only
	Amount   pervichka.Kopecks
	Payer    Side
	Payee    Side
	Kind     string // ВидОплаты: "01", a payment order
	Priority string // Очередность: "5", an ordinary supplier payment
	Purpose  string // НазначениеПлатежа, at most 210 characters
}

// File is a whole exchange file.
type File struct {
	Sender   string    // Отправитель: the program
	Created  time.Time // ДатаСоздания and ВремяСоздания (local time as given)
	From, To time.Time // ДатаНачала, ДатаКонца: the period the orders cover
	Accounts []string  // РасчСчет: the payers' accounts
	Orders   []Order
}

// MaxPurpose is the length of НазначениеПлатежа the Bank of Russia's
// payment order allows (поле 24, Положение 762-П).
const MaxPurpose = 210

// MaxFileSize bounds what Parse reads.
const MaxFileSize = 16 << 20

const dateLayout = "02.01.2006"

// Encode writes the file: windows-1251, CRLF. A value with a character
// windows-1251 lacks, or with a line break, is an error naming the field:
// a bank client would garble it.
func (f File) Encode() ([]byte, error) {
	var b strings.Builder
	var errs []error
	put := func(key, value string) {
		if strings.ContainsAny(value, "\r\n") {
			errs = append(errs, fmt.Errorf("%s: a line break in %q", key, value))
		}
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(value)
		b.WriteString("\r\n")
	}
	b.WriteString("1CClientBankExchange\r\n")
	put("ВерсияФормата", Version)
	put("Кодировка", Encoding)
	put("Отправитель", f.Sender)
	put("Получатель", "")
	put("ДатаСоздания", f.Created.Format(dateLayout))
	put("ВремяСоздания", f.Created.Format("15:04:05"))
	put("ДатаНачала", f.From.Format(dateLayout))
	put("ДатаКонца", f.To.Format(dateLayout))
	for _, a := range f.Accounts {
		put("РасчСчет", a)
	}
	put("Документ", DocumentKind)
	for _, o := range f.Orders {
		if len([]rune(o.Purpose)) > MaxPurpose {
			errs = append(errs, fmt.Errorf("order %s: purpose of %d characters, over %d", o.Number, len([]rune(o.Purpose)), MaxPurpose))
		}
		put("СекцияДокумент", DocumentKind)
		put("Номер", o.Number)
		put("Дата", o.Date.Format(dateLayout))
		put("Сумма", o.Amount.String())
		side := func(prefix string, s Side) {
			put(prefix+"Счет", s.Account)
			put(prefix, s.Name)
			put(prefix+"ИНН", s.INN)
			put(prefix+"КПП", s.KPP)
			put(prefix+"1", s.Name)
			put(prefix+"РасчСчет", s.Account)
			put(prefix+"Банк1", s.BankName)
			put(prefix+"БИК", s.BIK)
			put(prefix+"Корсчет", s.CorrAccount)
		}
		side("Плательщик", o.Payer)
		side("Получатель", o.Payee)
		put("ВидОплаты", o.Kind)
		put("Очередность", o.Priority)
		put("НазначениеПлатежа", o.Purpose)
		b.WriteString("КонецДокумента\r\n")
	}
	b.WriteString("КонецФайла\r\n")
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("bank exchange file: %w", err)
	}
	out := make([]byte, 0, b.Len())
	for _, r := range b.String() {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		c, ok := charmap.Windows1251.EncodeRune(r)
		if !ok {
			return nil, fmt.Errorf("bank exchange file: %q is not in windows-1251", r)
		}
		out = append(out, c)
	}
	return out, nil
}

// Parse reads a file Encode wrote, or a bank's of the same shape: the
// header keys above, payment-order sections, other sections skipped. Keys
// it does not know are ignored, as the format allows.
func Parse(data []byte) (File, error) {
	var f File
	if len(data) > MaxFileSize {
		return f, fmt.Errorf("bank exchange file: %d bytes, over the %d limit", len(data), MaxFileSize)
	}
	text, err := charmap.Windows1251.NewDecoder().Bytes(data)
	if err != nil {
		return f, fmt.Errorf("bank exchange file: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	var cur *Order
	var section string // the kind of the section being read; "" outside one
	ended := false
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			if line != "1CClientBankExchange" {
				return f, fmt.Errorf("bank exchange file: line 1 is %q, not 1CClientBankExchange", line)
			}
			continue
		}
		if ended {
			if strings.TrimSpace(line) != "" {
				return f, fmt.Errorf("bank exchange file: line %d after КонецФайла", n)
			}
			continue
		}
		switch line {
		case "":
			continue
		case "КонецФайла":
			if section != "" {
				return f, fmt.Errorf("bank exchange file: line %d: КонецФайла inside a section", n)
			}
			ended = true
			continue
		case "КонецДокумента":
			if section == "" {
				return f, fmt.Errorf("bank exchange file: line %d: КонецДокумента outside a section", n)
			}
			if cur != nil {
				f.Orders = append(f.Orders, *cur)
			}
			cur, section = nil, ""
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return f, fmt.Errorf("bank exchange file: line %d: %q is not key=value", n, line)
		}
		if key == "СекцияДокумент" {
			if section != "" {
				return f, fmt.Errorf("bank exchange file: line %d: a section inside a section", n)
			}
			section = value
			if value == DocumentKind {
				cur = &Order{}
			}
			continue
		}
		if section != "" {
			if cur != nil {
				if err := cur.set(key, value); err != nil {
					return f, fmt.Errorf("bank exchange file: line %d: %w", n, err)
				}
			}
			continue
		}
		if err := f.set(key, value); err != nil {
			return f, fmt.Errorf("bank exchange file: line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return f, fmt.Errorf("bank exchange file: %w", err)
	}
	if n == 0 {
		return f, errors.New("bank exchange file: empty")
	}
	if !ended {
		return f, errors.New("bank exchange file: no КонецФайла (cut short?)")
	}
	return f, nil
}

func parseDate(key, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return t, fmt.Errorf("%s=%q is not ДД.ММ.ГГГГ", key, v)
	}
	return t, nil
}

func (f *File) set(key, v string) error {
	var err error
	switch key {
	case "ВерсияФормата":
		if v != Version && v != "1.02" {
			return fmt.Errorf("unsupported ВерсияФормата=%s: only 1.02 and 1.03 are read", v)
		}
	case "Кодировка":
		if v != Encoding {
			return fmt.Errorf("unsupported Кодировка=%s: only Windows is read", v)
		}
	case "Отправитель":
		f.Sender = v
	case "ДатаСоздания":
		d, err := parseDate(key, v)
		if err != nil {
			return err
		}
		f.Created = time.Date(d.Year(), d.Month(), d.Day(), f.Created.Hour(), f.Created.Minute(), f.Created.Second(), 0, time.UTC)
	case "ВремяСоздания":
		t, err := time.Parse("15:04:05", v)
		if err != nil {
			return fmt.Errorf("ВремяСоздания=%q is not ЧЧ:ММ:СС", v)
		}
		f.Created = time.Date(f.Created.Year(), f.Created.Month(), f.Created.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	case "ДатаНачала":
		f.From, err = parseDate(key, v)
	case "ДатаКонца":
		f.To, err = parseDate(key, v)
	case "РасчСчет":
		f.Accounts = append(f.Accounts, v)
	}
	return err
}

func (o *Order) set(key, v string) error {
	var err error
	if s, field, ok := o.side(key); ok {
		switch field {
		case "Счет", "РасчСчет":
			s.Account = v
		case "", "1":
			s.Name = v
		case "ИНН":
			s.INN = v
		case "КПП":
			s.KPP = v
		case "Банк1":
			s.BankName = v
		case "БИК":
			s.BIK = v
		case "Корсчет":
			s.CorrAccount = v
		}
		return nil
	}
	switch key {
	case "Номер":
		o.Number = v
	case "Дата":
		o.Date, err = parseDate(key, v)
	case "Сумма":
		o.Amount, err = pervichka.ParseKopecks(v)
		if err == nil && o.Amount < 0 {
			err = fmt.Errorf("negative Сумма=%s", v)
		}
	case "ВидОплаты":
		o.Kind = v
	case "Очередность":
		o.Priority = v
	case "НазначениеПлатежа":
		o.Purpose = v
	}
	return err
}

func (o *Order) side(key string) (*Side, string, bool) {
	for prefix, s := range map[string]*Side{"Плательщик": &o.Payer, "Получатель": &o.Payee} {
		if rest, ok := strings.CutPrefix(key, prefix); ok {
			return s, rest, true
		}
	}
	return nil, "", false
}
