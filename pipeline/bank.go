package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

// checkBank sends a document to review when the supplier's bank details it
// prints differ from those of the supplier's latest approved document
// (db.LastApprovedWithBank): an invoice with another settlement account is
// the commonest invoice fraud there is. The reason names the document
// compared with (ReasonBankChanged + ":" + its id), so the review UI can
// show the old details beside the new and link it.
//
// Every approved document counts, whether the pipeline approved it
// automatically or a clerk did; the counterparty directory the review UI
// keeps learns only from clerks, so it is not the reference here.
// Because a document approved automatically passed this same check, the
// reference is always details a clerk confirmed or the first ones the
// supplier sent.
//
// It runs in the extract transaction, under a lock on the supplier's ИНН,
// so that of two documents of one supplier extracted at once the second
// sees the first once it is approved.
//
// Limits: only the details printed on both documents are compared, so a
// document printing the account alone is compared on the account; a
// supplier with two real accounts gets a review each time it switches
// between them; the first document of a supplier is compared with nothing.
func (p *Pipeline) checkBank(ctx context.Context, tx *db.Tx, id int64, res *pervichka.Result) error {
	inn := string(res.Supplier.INN)
	if res.Error != nil || inn == "" || res.SupplierBank == nil || !printsBank(*res.SupplierBank) {
		return nil
	}
	if err := p.db.LockKey(ctx, tx, "bank:"+inn); err != nil {
		return err
	}
	prev, err := p.db.LastApprovedWithBank(ctx, tx, inn, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var before pervichka.Result
	if err := json.Unmarshal(prev.Result, &before); err != nil {
		return fmt.Errorf("bank details of document %d: %w", prev.ID, err)
	}
	if before.SupplierBank == nil || !BankDiffers(*before.SupplierBank, *res.SupplierBank) {
		return nil
	}
	reason := fmt.Sprintf("%s:%d", pervichka.ReasonBankChanged, prev.ID)
	if !slices.Contains(res.ReviewReasons, reason) {
		res.ReviewReasons = append(res.ReviewReasons, reason)
	}
	res.NeedsReview = true
	return nil
}

func printsBank(b pervichka.Bank) bool { return b.Account != "" || b.BIK != "" }

// BankDiffers says whether the settlement account, БИК or correspondent
// account differ where both a and b print them (spaces aside). The bank's
// name is not compared: it is printed in many spellings, and the БИК names
// the bank.
func BankDiffers(a, b pervichka.Bank) bool {
	differs := func(x, y pervichka.Text) bool {
		x, y = pervichka.Text(strings.Join(strings.Fields(string(x)), "")), pervichka.Text(strings.Join(strings.Fields(string(y)), ""))
		return x != "" && y != "" && x != y
	}
	return differs(a.Account, b.Account) || differs(a.BIK, b.BIK) || differs(a.CorrAccount, b.CorrAccount)
}
