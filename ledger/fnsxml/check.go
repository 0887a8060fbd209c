package fnsxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/pervichka/pervichka"
)

// cp1251Byte is r in windows-1251, if the code page has it.
func cp1251Byte(r rune) (byte, bool) { return charmap.Windows1251.EncodeRune(r) }

// MaxFileSize bounds what Check reads: a УПД of a few thousand lines is a
// few megabytes.
const MaxFileSize = 32 << 20

// The parts of a file Check reads back.
type cFile struct {
	ID  string `xml:"ИдФайл,attr"`
	Doc struct {
		Function string `xml:"Функция,attr"`
		DocName  string `xml:"НаимДокОпр,attr"`
		Invoice  struct {
			Seller   cParty     `xml:"СвПрод"`
			Buyer    cParty     `xml:"СвПокуп"`
			Shipment []struct{} `xml:"ДокПодтвОтгрНом"`
		} `xml:"СвСчФакт"`
		Table *struct {
			Lines []struct {
				N     string `xml:"НомСтр,attr"`
				Name  string `xml:"НаимТов,attr"`
				OKEI  string `xml:"ОКЕИ_Тов,attr"`
				Unit  string `xml:"НаимЕдИзм,attr"`
				Qty   string `xml:"КолТов,attr"`
				Price string `xml:"ЦенаТов,attr"`
				Net   string `xml:"СтТовБезНДС,attr"`
				Gross string `xml:"СтТовУчНал,attr"`
				VAT   cVAT   `xml:"СумНал"`
			} `xml:"СведТов"`
			Total struct {
				Net   string `xml:"СтТовБезНДСВсего,attr"`
				Gross string `xml:"СтТовУчНалВсего,attr"`
				VAT   cVAT   `xml:"СумНалВсего"`
			} `xml:"ВсегоОпл"`
		} `xml:"ТаблСчФакт"`
		Transfer *struct {
			Info struct {
				Date  string `xml:"ДатаПер,attr"`
				Start string `xml:"ДатаНачПер,attr"`
			} `xml:"СвПер"`
		} `xml:"СвПродПер"`
	} `xml:"Документ"`
}

type cParty struct {
	Address *struct{} `xml:"Адрес"`
}

type cVAT struct {
	Sum  *string `xml:"СумНал"`
	None *string `xml:"БезНДС"`
}

// Check runs on a file the schematron rules of the schema that xmllint
// does not: the file's name is its ИдФайл, the totals (ВсегоОпл) are the
// sums of the lines, and the function's conditional elements are present
// (the table for СЧФ and СЧФДОП, the transfer for ДОП and СЧФДОП, the
// document's name for ДОП and СЧФДОП, the shipping document for СЧФ, the
// parties' addresses for СЧФ and СЧФДОП, a line's name, unit name with a
// coded unit, quantity and price). name is the file name, with ".xml".
func Check(name string, data []byte) error {
	if len(data) > MaxFileSize {
		return fmt.Errorf("check %s: %d bytes, over the %d limit", name, len(data), MaxFileSize)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if l := strings.ToLower(label); l == "windows-1251" || l == "cp1251" {
			return charmap.Windows1251.NewDecoder().Reader(in), nil
		}
		return nil, fmt.Errorf("encoding %q is not windows-1251", label)
	}
	var f cFile
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("check %s: %w", name, err)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if want := strings.TrimSuffix(name, ".xml"); f.ID != want {
		bad("ИдФайл %q is not the file name %q", f.ID, want)
	}
	fn := f.Doc.Function
	withInvoice := fn == FuncInvoice || fn == FuncInvoiceTransfer
	withTransfer := fn == FuncTransfer || fn == FuncInvoiceTransfer
	if withInvoice && f.Doc.Table == nil {
		bad("Функция %s needs ТаблСчФакт", fn)
	}
	if withTransfer && f.Doc.Transfer == nil {
		bad("Функция %s needs СвПродПер", fn)
	}
	if withTransfer != (f.Doc.DocName != "") {
		bad("НаимДокОпр is present with Функция %s only for ДОП and СЧФДОП", fn)
	}
	if fn == FuncInvoice && len(f.Doc.Invoice.Shipment) == 0 {
		bad("Функция СЧФ needs ДокПодтвОтгрНом")
	}
	if withInvoice && (f.Doc.Invoice.Seller.Address == nil || f.Doc.Invoice.Buyer.Address == nil) {
		bad("Функция %s needs the seller's and buyer's Адрес", fn)
	}
	if t := f.Doc.Transfer; t != nil && t.Info.Date == "" && t.Info.Start == "" {
		bad("СвПер needs ДатаПер")
	}
	if t := f.Doc.Table; t != nil {
		var net, gross, vat pervichka.Kopecks
		var allNone = true
		amount := func(what, s string) pervichka.Kopecks {
			k, err := pervichka.ParseKopecks(s)
			if err != nil {
				bad("%s %q: %v", what, s, err)
			}
			return k
		}
		for _, l := range t.Lines {
			at := "СведТов " + l.N
			if withInvoice || l.Name == "" {
				if l.Name == "" {
					bad("%s has no НаимТов", at)
				}
			}
			if l.OKEI != "" && l.Unit == "" {
				bad("%s: ОКЕИ_Тов without НаимЕдИзм", at)
			}
			if withInvoice {
				if l.OKEI != "" && l.Qty == "" {
					bad("%s: ОКЕИ_Тов without КолТов", at)
				}
				if l.Qty != "" && (l.Price == "" || amount(at+" ЦенаТов", l.Price) <= 0) {
					bad("%s: КолТов without a positive ЦенаТов", at)
				}
				if l.Net == "" || l.Gross == "" {
					bad("%s needs СтТовБезНДС and СтТовУчНал", at)
				}
			}
			if l.Net != "" {
				net += amount(at+" СтТовБезНДС", l.Net)
			}
			if l.Gross != "" {
				gross += amount(at+" СтТовУчНал", l.Gross)
			}
			switch {
			case l.VAT.Sum != nil:
				vat += amount(at+" СумНал", *l.VAT.Sum)
				allNone = false
			case l.VAT.None == nil:
				bad("%s: СумНал is neither an amount nor «без НДС»", at)
			}
		}
		tot := t.Total
		if tot.Net != "" && amount("СтТовБезНДСВсего", tot.Net) != net {
			bad("СтТовБезНДСВсего %s is not the lines' sum %s", tot.Net, net)
		}
		if tot.Gross != "" && amount("СтТовУчНалВсего", tot.Gross) != gross {
			bad("СтТовУчНалВсего %s is not the lines' sum %s", tot.Gross, gross)
		}
		if withInvoice && (tot.Net == "" || tot.Gross == "") {
			bad("Функция %s needs СтТовБезНДСВсего and СтТовУчНалВсего", fn)
		}
		switch {
		case tot.VAT.Sum != nil:
			if amount("СумНалВсего", *tot.VAT.Sum) != vat {
				bad("СумНалВсего %s is not the lines' sum %s", *tot.VAT.Sum, vat)
			}
		case tot.VAT.None != nil:
			if !allNone {
				bad("СумНалВсего is «без НДС» but lines carry VAT")
			}
		default:
			bad("СумНалВсего is missing")
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("check %s: %w", name, err)
	}
	return nil
}
