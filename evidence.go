package pervichka

// Evidence kinds name what corroborates a key field's value beyond the
// reading itself (Result.Evidence). A key field with none goes to a clerk
// (ReasonUnconfirmed): the absence of a detected problem is not evidence.
const (
	// EvidencePDFText: the value's words come from a born-digital text
	// layer, so the characters are exact. Which value is which (the
	// number after the title's «№», the date after its «от») is still the
	// layout's reading; for money a text layer alone is not enough.
	EvidencePDFText = "pdf_text"
	// EvidenceSecondReading: the engine read the value's box again (a
	// crop at another scale, with a whitelist) and got the same value.
	EvidenceSecondReading = "second_reading"
	// EvidenceRepeated: the same value printed in another place of the
	// document («Документ об отгрузке № … от …», УПД lines [14]/[19],
	// signature blocks, a second total label).
	EvidenceRepeated = "repeated"
	// EvidenceCheckDigit: the ИНН's check digits pass (as read, not after
	// a repair). Required of every ИНН but not enough alone: one check
	// digit lets about one wrong digit in eleven through.
	EvidenceCheckDigit = "check_digit"
	// EvidenceOwnCompany: the value equals one of our organisations'.
	EvidenceOwnCompany = "own_company"
	// EvidenceItemsSum: the rows' amounts, all read, add up to the total.
	EvidenceItemsSum = "items_sum"
	// EvidenceAmountWords: the amount in words parses to the total.
	EvidenceAmountWords = "amount_words"
	// EvidenceVATRate: the VAT read equals the rate read applied to the
	// total (per line or in total, within a kopeck per line).
	EvidenceVATRate = "vat_rate"
	// EvidenceVATColumn: the rows' VAT column adds up to the VAT read.
	EvidenceVATColumn = "vat_column"
	// EvidenceNoVAT: «Без НДС» is printed and no VAT figure anywhere.
	EvidenceNoVAT = "no_vat"
	// EvidenceFormMarkers: the form's own markers agree with the title's
	// type (a УПД's status box, a счёт-фактура's (2б)/(6б) rows, the role
	// labels of the type, a contract's «Реквизиты сторон»).
	EvidenceFormMarkers = "form_markers"
	// EvidenceDirectory: the name equals the one a clerk confirmed for the
	// same ИНН in the counterparty directory (review.CheckDirectory adds
	// it after extraction; the engine itself knows no directory).
	EvidenceDirectory = "directory"
	// EvidenceSignature: a sole trader's name whose surname is printed
	// again with the initials of its first name and patronymic
	// («Кудрявцева Ю. Р.» under a signature line), its first name and
	// patronymic known ones of one gender (ruvalid.PersonName).
	EvidenceSignature = "signature"
)

// EvidenceText gives the Russian label of an evidence kind, as the review
// UI lists them: «подтверждено: сумма строк, сумма прописью».
var EvidenceText = map[string]string{
	EvidencePDFText:       "текстовый слой PDF",
	EvidenceSecondReading: "повторное распознавание",
	EvidenceRepeated:      "напечатано в документе дважды",
	EvidenceCheckDigit:    "контрольное число",
	EvidenceOwnCompany:    "наша организация",
	EvidenceItemsSum:      "сумма строк",
	EvidenceAmountWords:   "сумма прописью",
	EvidenceVATRate:       "НДС по ставке",
	EvidenceVATColumn:     "НДС по строкам",
	EvidenceNoVAT:         "надпись «Без НДС»",
	EvidenceFormMarkers:   "признаки формы",
	EvidenceDirectory:     "справочник контрагентов",
	EvidenceSignature:     "расшифровка подписи",
}
