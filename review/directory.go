package review

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
	"github.com/pervichka/pervichka/storage/db"
)

// Review reasons the counterparty directory adds (their Russian texts are
// in pervichka.ReasonText with the engine's).
const (
	// ReasonBankChanged: the supplier's bank details differ from those on
	// its last approved document (the suffix: that document's id) — the
	// classic sign of invoice fraud, so such a document is never approved
	// without a person. The pipeline adds it (pipeline/bank.go).
	ReasonBankChanged = pervichka.ReasonBankChanged
	// ReasonNameChanged: the party's name differs from the directory's.
	ReasonNameChanged = pervichka.ReasonNameChanged
	// ReasonKPPChanged: the party's КПП differs from the directory's (a
	// branch or a move; worth a look, not alarming).
	ReasonKPPChanged = pervichka.ReasonKPPChanged
)

// reasonText translates a reason code with its suffix.
func reasonText(reason string) string {
	code, suffix, _ := strings.Cut(reason, ":")
	t, ok := pervichka.ReasonText[code]
	if !ok {
		t = reason
	}
	if (code == pervichka.ReasonResent || code == pervichka.ReasonDuplicate) && suffix != "" {
		return t + " №" + suffix
	}
	if id, ok := earlierBankDocument(reason); ok {
		return t + " (прежние — в документе №" + strconv.FormatInt(id, 10) + ")"
	}
	switch suffix {
	case "supplier":
		t += " (поставщик)"
	case "buyer":
		t += " (покупатель)"
	case "":
	default:
		if l := fieldLabel(suffix); l != suffix {
			t += " (" + l + ")"
		} else {
			t += " (" + suffix + ")"
		}
	}
	return t
}

// Directory reads and writes the counterparty directory: database is the
// only thing it needs, and it never opens a transaction of its own.
type Directory struct{ DB *db.DB }

// CheckDirectory compares a freshly extracted result with the directory
// and adds review reasons for what differs: the name or КПП of a known
// ИНН. Any reason it adds also sets NeedsReview, so the document goes to a
// clerk instead of being approved automatically. The supplier's bank
// details are not compared here: the directory learns only from clerks'
// approvals, and a change after an automatically approved invoice must be
// caught too, so the pipeline compares them with the supplier's last
// approved document of any kind (pipeline/bank.go).
//
// It is meant for the pipeline's extract stage, in the transaction that
// saves the result (tx must not be nil on SQLite, which has one
// connection): call it after extraction and before the state is chosen.
// An ИНН the directory does not know is not an error: there is nothing to
// compare with yet.
//
// Limits: names are compared after ruvalid.NormalizeName (quotes, case,
// legal-form spelling), so «ООО "Ромашка"» equals «Общество с
// ограниченной ответственностью «Ромашка»» only as far as that function
// goes.
func (d Directory) CheckDirectory(ctx context.Context, tx *db.Tx, res *pervichka.Result) error {
	if res == nil || res.Error != nil {
		return nil
	}
	add := func(reason string) {
		if !slices.Contains(res.ReviewReasons, reason) {
			res.ReviewReasons = append(res.ReviewReasons, reason)
		}
		res.NeedsReview = true
	}
	for _, p := range []struct {
		role  string
		party pervichka.Party
	}{{"supplier", res.Supplier}, {"buyer", res.Buyer}} {
		inn := string(p.party.INN)
		if !ruvalid.ValidINN(inn) {
			continue
		}
		known, err := d.DB.CounterpartyByINN(ctx, tx, inn)
		if errors.Is(err, db.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check counterparty directory: %w", err)
		}
		switch {
		case p.party.Name == "" || known.Name == "":
		case ruvalid.NormalizeName(string(p.party.Name)) != ruvalid.NormalizeName(known.Name):
			add(ReasonNameChanged + ":" + p.role)
		case innVouched(res, p.role):
			confirmName(res, p.role)
		}
		if p.party.KPP != "" && known.KPP != "" && string(p.party.KPP) != known.KPP {
			add(ReasonKPPChanged + ":" + p.role)
		}
	}
	return nil
}

// innVouched reports whether the engine found evidence beyond the check
// digits for the role's ИНН: only then does the directory's entry for it
// speak for the document's party.
func innVouched(res *pervichka.Result, role string) bool {
	for _, e := range res.Evidence[role+".inn"] {
		if e != pervichka.EvidenceCheckDigit {
			return true
		}
	}
	return false
}

// confirmName records that the directory vouches for the role's name — a
// clerk approved this name for this ИНН before — and takes back the
// engine's doubt about the name alone (unconfirmed or low confidence):
// a name printed once and read the same way twice is not evidence (the
// recogniser repeats its misreadings), a name a person confirmed is. With
// no other blocking reason left, the document no longer needs a clerk.
func confirmName(res *pervichka.Result, role string) {
	f := role + ".name"
	if res.Evidence == nil {
		res.Evidence = map[string][]string{}
	}
	if !slices.Contains(res.Evidence[f], pervichka.EvidenceDirectory) {
		res.Evidence[f] = append(res.Evidence[f], pervichka.EvidenceDirectory)
	}
	if res.Confidence != nil {
		res.Confidence[f] = max(res.Confidence[f], directoryNameConf)
	}
	doubts := []string{pervichka.ReasonUnconfirmed + ":" + f, pervichka.ReasonLowConfidence + ":" + f}
	kept := res.ReviewReasons[:0]
	for _, r := range res.ReviewReasons {
		if !slices.Contains(doubts, r) {
			kept = append(kept, r)
		}
	}
	res.ReviewReasons = kept
	res.NeedsReview = pervichka.Blocking(res.ReviewReasons)
}

// directoryNameConf is the confidence of a name the directory vouches for:
// that of our own organisation's configured name (extractors/fields
// nameOwnConf), since both are names a person wrote down for the ИНН.
const directoryNameConf = 0.97

// Learn records what an approved document says about its parties. The
// supplier's bank details are taken only when the document prints them,
// so an act without requisites does not erase what a bill taught.
func (d Directory) Learn(ctx context.Context, tx *db.Tx, documentID int64, res pervichka.Result) error {
	for _, p := range []struct {
		role  string
		party pervichka.Party
	}{{"supplier", res.Supplier}, {"buyer", res.Buyer}} {
		inn := string(p.party.INN)
		if !ruvalid.ValidINN(inn) {
			continue
		}
		c := db.Counterparty{INN: inn, Name: string(p.party.Name), KPP: string(p.party.KPP), DocumentID: documentID}
		known, err := d.DB.CounterpartyByINN(ctx, tx, inn)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("learn counterparty %s: %w", inn, err)
		}
		if err == nil {
			c.BankName, c.BIK, c.Account, c.CorrAccount = known.BankName, known.BIK, known.Account, known.CorrAccount
			if c.Name == "" {
				c.Name = known.Name
			}
			if c.KPP == "" {
				c.KPP = known.KPP
			}
		}
		if p.role == "supplier" && res.SupplierBank != nil && (res.SupplierBank.Account != "" || res.SupplierBank.BIK != "") {
			b := res.SupplierBank
			c.BankName, c.BIK, c.Account, c.CorrAccount = string(b.BankName), string(b.BIK), string(b.Account), string(b.CorrAccount)
		}
		if err := d.DB.SaveCounterparty(ctx, tx, c); err != nil {
			return fmt.Errorf("learn counterparty %s: %w", inn, err)
		}
	}
	return nil
}

// CheckDirectory is Directory{database}.CheckDirectory, for the pipeline's
// extract stage.
func CheckDirectory(ctx context.Context, database *db.DB, tx *db.Tx, res *pervichka.Result) error {
	return Directory{DB: database}.CheckDirectory(ctx, tx, res)
}
