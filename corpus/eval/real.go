package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// RealTruthFile is the hand-made truth of a folder of real documents
// (../shared/real-dev): documents nobody here generated, labelled by eye.
// The files themselves sit in its "files" subfolder and are never committed
// into the repository (their licence is not stated).
const RealTruthFile = "truth.json"

// RealUnlabelled are the fields the real truth does not record: the
// contract reference (a bill's «по договору № …» is read, but nobody
// labelled it). The reliability table leaves them out; CompareReal scores
// them only where a truth has them, which none does.
var RealUnlabelled = []string{"contract_ref.number", "contract_ref.date"}

// RealSet is a folder of real documents read into the scorer's truth.
//
// The real truth labels the key fields, the parties, the bank block and the
// number of table lines, not the lines themselves: Items stays nil and the
// line count is scored as "items.count" alone (see CompareReal).
type RealSet struct {
	Dir   string
	Truth []corpus.Truth
	// LineCount is the number of table lines per truth ID (0 = not labelled).
	LineCount map[string]int
}

// Paths lists the files of the set in truth order.
func (s *RealSet) Paths() []string {
	out := make([]string, 0, len(s.Truth))
	for _, t := range s.Truth {
		for _, f := range t.Variants {
			out = append(out, filepath.Join(s.Dir, f))
		}
	}
	return out
}

// realDoc is one entry of truth.json as the people who labelled it wrote it:
// Russian document names, amounts as JSON numbers, null for what the
// document does not print.
type realDoc struct {
	File            string       `json:"file"`
	Kind            string       `json:"kind"`
	Pages           int          `json:"pages"`
	DocType         string       `json:"doc_type"`
	Number          string       `json:"number"`
	Date            string       `json:"date"`
	Supplier        realParty    `json:"supplier"`
	Buyer           realParty    `json:"buyer"`
	Bank            *realBank    `json:"bank"`
	Basis           string       `json:"basis"`
	Total           *json.Number `json:"total"`
	VAT             *json.Number `json:"vat"`
	VATRate         *string      `json:"vat_rate"`
	Currency        string       `json:"currency"`
	LineCount       int          `json:"line_count"`
	TotalWithoutVAT *json.Number `json:"total_without_vat"`
}

type realParty struct {
	Name string  `json:"name"`
	INN  string  `json:"inn"`
	KPP  *string `json:"kpp"`
}

type realBank struct {
	Name        string `json:"name"`
	BIK         string `json:"bik"`
	CorrAccount string `json:"corr_account"`
	Account     string `json:"account"`
}

// realKinds maps truth.json's "kind" to the scorer's variant names, so that
// real documents sit in the same per-variant rows as the generated ones.
var realKinds = map[string]string{
	"pdf-text-layer": "pdf",
	"scan":           "scan",
	"phone-photo":    "photo",
}

// ReadReal reads DIR/truth.json into the scorer's truth. Every file it names
// must exist under DIR/files; a document type, rate or amount it cannot map
// is an error naming the file, never a silent skip.
func ReadReal(dir string) (*RealSet, error) {
	b, err := os.ReadFile(filepath.Join(dir, RealTruthFile))
	if err != nil {
		return nil, fmt.Errorf("read real truth: %w", err)
	}
	var raw struct {
		Documents []realDoc `json:"documents"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("read real truth %s: %w", dir, err)
	}
	if len(raw.Documents) == 0 {
		return nil, fmt.Errorf("read real truth %s: no documents", dir)
	}
	set := &RealSet{Dir: dir, LineCount: map[string]int{}}
	for _, d := range raw.Documents {
		t, err := d.truth()
		if err != nil {
			return nil, fmt.Errorf("real truth %s: %w", d.File, err)
		}
		if _, err := os.Stat(filepath.Join(dir, t.Variants[firstKey(t.Variants)])); err != nil {
			return nil, fmt.Errorf("real truth %s: %w", d.File, err)
		}
		set.Truth = append(set.Truth, t)
		set.LineCount[t.ID] = d.LineCount
	}
	return set, nil
}

func firstKey(m map[string]string) string {
	for k := range m {
		return k
	}
	return ""
}

// basisRe reads «Договор № 0206-3 от 05.06.2025».
var basisRe = regexp.MustCompile(`№\s*(\S+)\s+от\s+(\d{2}\.\d{2}\.\d{4})`)

func (d *realDoc) truth() (corpus.Truth, error) {
	if d.File == "" || strings.ContainsAny(d.File, `/\`) {
		return corpus.Truth{}, fmt.Errorf("bad file name %q", d.File)
	}
	variant, ok := realKinds[d.Kind]
	if !ok {
		return corpus.Truth{}, fmt.Errorf("unknown kind %q", d.Kind)
	}
	dt, err := realDocType(d.DocType)
	if err != nil {
		return corpus.Truth{}, err
	}
	r := pervichka.Result{
		Pages:    max(d.Pages, 1),
		DocType:  dt,
		Number:   pervichka.Text(d.Number),
		Date:     pervichka.Text(d.Date),
		Supplier: d.Supplier.party(),
		Buyer:    d.Buyer.party(),
		Currency: pervichka.Text(d.Currency),
	}
	if r.Total, err = realAmount(d.Total); err != nil {
		return corpus.Truth{}, fmt.Errorf("total: %w", err)
	}
	if r.VATAmount, err = realAmount(d.VAT); err != nil {
		return corpus.Truth{}, fmt.Errorf("vat: %w", err)
	}
	if r.VATRate, err = realRate(d.VATRate); err != nil {
		return corpus.Truth{}, err
	}
	if d.Bank != nil {
		r.SupplierBank = &pervichka.Bank{
			BankName:    pervichka.Text(d.Bank.Name),
			BIK:         pervichka.Text(d.Bank.BIK),
			Account:     pervichka.Text(d.Bank.Account),
			CorrAccount: pervichka.Text(d.Bank.CorrAccount),
		}
	}
	if d.Basis != "" {
		m := basisRe.FindStringSubmatch(d.Basis)
		if m == nil {
			return corpus.Truth{}, fmt.Errorf("basis %q: want «… № N от DD.MM.YYYY»", d.Basis)
		}
		date, ok := ruvalid.ParseDate(m[2])
		if !ok {
			return corpus.Truth{}, fmt.Errorf("basis date %q", m[2])
		}
		r.ContractRef = &pervichka.ContractRef{Number: pervichka.Text(m[1]), Date: pervichka.Text(date.Format(time.DateOnly))}
	}
	return corpus.Truth{ID: d.File, Variants: map[string]string{variant: filepath.Join("files", d.File)}, Result: r}, nil
}

func (p realParty) party() pervichka.Party {
	out := pervichka.Party{Name: pervichka.Text(p.Name), INN: pervichka.Text(p.INN)}
	if p.KPP != nil {
		out.KPP = pervichka.Text(*p.KPP)
	}
	return out
}

// realDocType maps the printed title to our types: a счёт-оферта and a
// счёт-договор are bills to pay (pervichka.DocInvoice says so).
func realDocType(s string) (pervichka.DocType, error) {
	t := strings.ToLower(strings.ReplaceAll(s, "ё", "е"))
	switch {
	case strings.HasPrefix(t, "счет-фактура"):
		return pervichka.DocVATInvoice, nil
	case strings.HasPrefix(t, "счет"):
		return pervichka.DocInvoice, nil
	case strings.HasPrefix(t, "упд"), strings.HasPrefix(t, "универсальный передаточный"):
		return pervichka.DocUPD, nil
	case strings.HasPrefix(t, "акт"):
		return pervichka.DocAct, nil
	case strings.HasPrefix(t, "договор"):
		return pervichka.DocContract, nil
	}
	for _, d := range pervichka.DocTypes {
		if string(d) == t {
			return d, nil
		}
	}
	return "", fmt.Errorf("unknown doc_type %q", s)
}

func realAmount(n *json.Number) (pervichka.Text, error) {
	if n == nil {
		return "", nil
	}
	s := n.String()
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return "", err
	}
	d, ok := ruvalid.NormalizeDecimal(s)
	if !ok {
		return "", fmt.Errorf("amount %q is not in kopecks", s)
	}
	return pervichka.Text(d), nil
}

// realRate maps «20%» to "20" and «без НДС» to pervichka.VATNone.
func realRate(s *string) (pervichka.Text, error) {
	if s == nil {
		return "", nil
	}
	t := strings.ToLower(strings.TrimSpace(*s))
	if strings.Contains(t, "без") || strings.Contains(t, "не облага") {
		return pervichka.VATNone, nil
	}
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	if _, err := strconv.Atoi(t); err != nil {
		return "", fmt.Errorf("vat_rate %q: %w", *s, errors.New("want «N%» or «без НДС»"))
	}
	return pervichka.Text(t), nil
}
