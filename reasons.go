package pervichka

import (
	"strconv"
	"strings"
)

// Review reasons are machine-readable strings. A reason may carry a suffix
// after a colon naming the field or role it concerns: "inn_checksum:buyer",
// "low_confidence:total". The review UI translates them (ReasonText).
const (
	ReasonMissing          = "missing"            // :field — a key field was not found
	ReasonLowConfidence    = "low_confidence"     // :field
	ReasonRepaired         = "repaired"           // :field — a checksum repair changed OCR digits
	ReasonRowsRepaired     = "rows_repaired"      // advisory: row arithmetic changed a misread digit of the items and the rows add up to the total
	ReasonINNChecksum      = "inn_checksum"       // :role
	ReasonKPPFormat        = "kpp_format"         // :role
	ReasonKPPNotINN        = "kpp_inn_mismatch"   // :role — КПП region differs from ИНН region
	ReasonOGRNChecksum     = "ogrn_checksum"      // :role
	ReasonBIK              = "bik_invalid"        // БИК format
	ReasonAccountKey       = "account_key"        // settlement account fails the control key
	ReasonCorrAccountKey   = "corr_account_key"   // correspondent account fails the key
	ReasonDateImplausible  = "date_implausible"   // in the future or decades back
	ReasonVATRateIllegal   = "vat_rate_illegal"   // the rate did not exist at the date
	ReasonItemsSumMismatch = "items_sum_mismatch" // Σ items ≠ total
	ReasonVATMismatch      = "vat_mismatch"       // VAT ≠ amount × r/(100+r)
	ReasonAmountWords      = "amount_words_mismatch"
	ReasonDocTypeUnknown   = "doc_type_unknown"
	// The approval gate's (extractors/fields/evidence.go): a key field no
	// independent reading or check vouches for, and the invariants no
	// document may break.
	ReasonUnconfirmed      = "unconfirmed"        // :field — no evidence corroborates the value
	ReasonTotalNotPositive = "total_not_positive" // the total is zero or less
	ReasonVATOverTotal     = "vat_over_total"     // the VAT is not less than the total
	ReasonItemsUnread      = "items_unread"       // a row was read without its amount
	ReasonRowArithmetic    = "row_arithmetic"     // :N — row N's quantity × price is not its amount
	ReasonNumberCharset    = "number_charset"     // the number holds characters real numbers do not, or no digit
	ReasonNameInvalid      = "name_invalid"       // :role — title words or only an address, or no legal form
	ReasonDocTypeMarkers   = "doc_type_markers"   // the title's type and the form's markers disagree
	ReasonSameParty        = "same_party"         // supplier and buyer have one ИНН
	ReasonSidesCrossed     = "sides_crossed"      // each side's КПП fits the other side's ИНН: an ИНН or КПП read on the wrong side
	ReasonNoOwnCompany     = "no_own_company"     // none of our organisations is a party
	ReasonOwnKPPMismatch   = "own_kpp_mismatch"   // our ИНН printed with a wrong КПП
	ReasonOwnNameMismatch  = "own_name_mismatch"  // :role — our ИНН printed under a name that is not ours
	ReasonDuplicate        = "duplicate"          // :id — another document has the same supplier ИНН, number and date
	ReasonResent           = "resent"             // :id — the same picture as that document's, sent again; not read again
	// The party differs from what approved documents of the same ИНН said:
	// the bank details from the supplier's last approved document (package
	// pipeline), the name and КПП from the counterparty directory (package
	// review).
	ReasonBankChanged = "bank_changed"      // :id — the approved document with other bank details: a sign of invoice fraud (":supplier" in older results)
	ReasonNameChanged = "counterparty_name" // :role
	ReasonKPPChanged  = "counterparty_kpp"  // :role
)

// ReasonText gives the Russian text of a reason code (without its suffix).
var ReasonText = map[string]string{
	ReasonMissing:          "Поле не найдено",
	ReasonLowConfidence:    "Низкая уверенность распознавания",
	ReasonRepaired:         "Цифры исправлены по контрольной сумме",
	ReasonRowsRepaired:     "Цифры строк исправлены по арифметике строк, итог сходится",
	ReasonINNChecksum:      "Неверная контрольная сумма ИНН",
	ReasonKPPFormat:        "Неверный формат КПП",
	ReasonKPPNotINN:        "КПП не соответствует региону ИНН",
	ReasonOGRNChecksum:     "Неверная контрольная сумма ОГРН",
	ReasonBIK:              "Неверный БИК",
	ReasonAccountKey:       "Расчётный счёт не проходит контроль ключа",
	ReasonCorrAccountKey:   "Корреспондентский счёт не проходит контроль ключа",
	ReasonDateImplausible:  "Неправдоподобная дата",
	ReasonVATRateIllegal:   "Ставка НДС не действовала на дату документа",
	ReasonItemsSumMismatch: "Сумма строк не равна итогу",
	ReasonVATMismatch:      "Сумма НДС не сходится со ставкой",
	ReasonAmountWords:      "Сумма прописью не совпадает с итогом",
	ReasonDocTypeUnknown:   "Тип документа не определён",
	ReasonUnconfirmed:      "Значение не подтверждено ни одной независимой проверкой",
	ReasonTotalNotPositive: "Итог не больше нуля",
	ReasonVATOverTotal:     "НДС не меньше итога",
	ReasonItemsUnread:      "Сумма строки таблицы не прочитана",
	ReasonRowArithmetic:    "В строке таблицы количество × цена не равно сумме",
	ReasonNumberCharset:    "В номере документа недопустимые символы или нет ни одной цифры",
	ReasonNameInvalid:      "Наименование не похоже на название организации",
	ReasonDocTypeMarkers:   "Тип документа не совпадает с признаками формы",
	ReasonSameParty:        "Продавец и покупатель совпадают",
	ReasonSidesCrossed:     "КПП каждой стороны соответствует ИНН другой: ИНН или КПП, возможно, перепутаны местами",
	ReasonNoOwnCompany:     "Ни одна из наших организаций не участвует в документе",
	ReasonOwnKPPMismatch:   "Наш ИНН указан с чужим КПП",
	ReasonOwnNameMismatch:  "Наш ИНН указан с чужим наименованием",
	ReasonDuplicate:        "Возможный дубликат: тот же поставщик, номер и дата, что у другого документа",
	ReasonResent:           "Повторно присланное изображение документа",
	ReasonBankChanged:      "Банковские реквизиты отличаются от прежних документов этого контрагента",
	ReasonNameChanged:      "Наименование отличается от справочника контрагентов",
	ReasonKPPChanged:       "КПП отличается от справочника контрагентов",
}

// ResentFrom returns the document that reasons name as the one this is a
// re-sent copy of (ReasonResent's suffix), if they name one.
func ResentFrom(reasons []string) (int64, bool) {
	for _, r := range reasons {
		code, suffix, _ := strings.Cut(r, ":")
		if code != ReasonResent {
			continue
		}
		if id, err := strconv.ParseInt(suffix, 10, 64); err == nil && id > 0 {
			return id, true
		}
	}
	return 0, false
}

// advisory reasons are reported but do not by themselves stop a document:
// a КПП of a branch registered in another region is legal and common, and
// rows_repaired is given only where the repaired rows add up and the
// number and date are confirmed (extractors/fields, route).
var advisory = map[string]bool{ReasonKPPNotINN: true, ReasonRowsRepaired: true}

// Blocking reports whether any reason must send a document to review.
func Blocking(reasons []string) bool {
	for _, r := range reasons {
		code, _, _ := strings.Cut(r, ":")
		if !advisory[code] {
			return true
		}
	}
	return false
}
