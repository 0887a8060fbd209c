package pervichka

import (
	"bytes"
	"encoding/json"
)

// DocType is the kind of primary document.
type DocType string

const (
	DocInvoice    DocType = "invoice"     // счёт на оплату, счёт-договор, счёт-оферта
	DocVATInvoice DocType = "vat_invoice" // счёт-фактура
	DocUPD        DocType = "upd"         // универсальный передаточный документ
	DocAct        DocType = "act"         // акт выполненных работ / оказанных услуг
	DocContract   DocType = "contract"    // договор
	DocTORG12     DocType = "torg12"      // товарная накладная ТОРГ-12 (ОКУД 0330212)
	DocUnknown    DocType = "unknown"
)

// DocTypes lists the known document types in a stable order.
var DocTypes = []DocType{DocInvoice, DocVATInvoice, DocUPD, DocAct, DocContract, DocTORG12}

// TextSource tells where the words of a document came from.
type TextSource string

const (
	SourcePDFText TextSource = "pdf_text" // text layer of a born-digital PDF
	SourceOCR     TextSource = "ocr"      // Tesseract on page images
	SourceMixed   TextSource = "mixed"    // some pages each way
)

// VAT rates as printed in the output. A rate is the percentage as a string;
// VATNone is «Без НДС», VATMixed means items carry different rates.
const (
	VATNone  = "none"
	VATMixed = "mixed"
)

// Text is a string that is JSON null when empty. Extraction leaves a field
// empty when it was not found, and consumers (the scorer, the review UI) must
// tell "not found" from any printed value.
type Text string

// MarshalJSON encodes the empty Text as null.
func (t Text) MarshalJSON() ([]byte, error) {
	if t == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(t))
}

// UnmarshalJSON accepts a string or null.
func (t *Text) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*t = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*t = Text(s)
	return nil
}

// Party is one side of a document: supplier (продавец, поставщик, исполнитель,
// подрядчик) or buyer (покупатель, заказчик). KPP is empty for an individual
// entrepreneur (ИП).
type Party struct {
	Name Text `json:"name"`
	INN  Text `json:"inn"`
	KPP  Text `json:"kpp"`
}

// IsZero reports whether nothing of the party was found.
func (p Party) IsZero() bool { return p.Name == "" && p.INN == "" && p.KPP == "" }

// Bank holds the supplier's bank requisites as printed on bills and contracts.
type Bank struct {
	BankName    Text `json:"bank_name"`
	BIK         Text `json:"bik"`
	Account     Text `json:"account"`
	CorrAccount Text `json:"corr_account"`
}

// ContractRef is «Основание: Договор № … от …».
type ContractRef struct {
	Number Text `json:"number"`
	Date   Text `json:"date"`
}

// Item is one line of a document's table. Decimal fields are strings with a
// dot as the separator ("1234.50"); quantities may have up to three decimals.
// UnitCode is the unit's ОКЕИ code (three digits) when extraction knows it —
// printed in column 2 of a счёт-фактура or УПД, or the code of a known unit;
// it is left out of the JSON when unknown, and consumers that need a code
// (the ФНС XML export) fall back to looking the unit up.
type Item struct {
	Name      Text `json:"name"`
	Quantity  Text `json:"quantity"`
	Unit      Text `json:"unit"`
	UnitCode  Text `json:"unit_code,omitempty"`
	Price     Text `json:"price"`
	Amount    Text `json:"amount"`
	VATAmount Text `json:"vat_amount"`
}

// Result is what extraction makes of one input file; its JSON form is the
// output schema of `pervichka extract` (docs/extract.schema.json) and the
// ground-truth schema of the corpus. Decimals are strings, never floats.
type Result struct {
	File  string `json:"file"`
	Pages int    `json:"pages"`
	// PageTurns gives, per page in order, how far clockwise the engine
	// turned the page's picture to read it (0, 90, 180 or 270): a page
	// photographed sideways or upside down is read turned back, and
	// `pervichka eval` scores that turn against the truth. Left out when
	// no page was turned, as for every PDF text layer. Only the engine's
	// own turn counts: a page a clerk turned the right way up is read as
	// it is (0).
	PageTurns    []int              `json:"page_turns,omitempty"`
	TextSource   TextSource         `json:"text_source,omitempty"`
	DocType      DocType            `json:"doc_type,omitempty"`
	Number       Text               `json:"number"`
	Date         Text               `json:"date"`
	Supplier     Party              `json:"supplier"`
	Buyer        Party              `json:"buyer"`
	SupplierBank *Bank              `json:"supplier_bank"`
	ContractRef  *ContractRef       `json:"contract_ref"`
	Currency     Text               `json:"currency"`
	Total        Text               `json:"total"`
	VATRate      Text               `json:"vat_rate"`
	VATAmount    Text               `json:"vat_amount"`
	Items        []Item             `json:"items"`
	Confidence   map[string]float64 `json:"confidence,omitempty"`
	// Evidence lists, per key field path, what corroborates its value
	// (Evidence* kinds); a key field absent here was approved by no one.
	Evidence map[string][]string `json:"evidence,omitempty"`
	// Locations lists, per field path, where its value was read: one
	// Location per line of its words. Paths are those of Confidence,
	// plus each item row as "items[N]" (all its words) with its cells
	// as "items[N].quantity" and the like, and the total in words as
	// "total_words". A value computed rather than read (a total summed
	// from the rows, a VAT from the rate, an item's VAT with no VAT
	// column) has none; a result stored before extraction recorded them
	// has none at all.
	Locations     map[string][]Location `json:"locations,omitempty"`
	NeedsReview   bool                  `json:"needs_review"`
	ReviewReasons []string              `json:"review_reasons"`
	TimingsMS     map[string]int64      `json:"timings_ms,omitempty"`
	// Error is set instead of the fields when the file could not be read.
	Error *ErrorInfo `json:"error,omitempty"`
}

// KeyFields are the fields that must all be present, validated, confident
// and corroborated by evidence for a document to be posted without a
// clerk. A wrong key field on an auto-approved document is a silent error.
var KeyFields = []string{"doc_type", "number", "date", "supplier.inn", "buyer.inn", "total", "vat_amount", "supplier.name", "buyer.name"}

// ErrorInfo is the JSON form of an Error in the output.
type ErrorInfo struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
}
