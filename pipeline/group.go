package pipeline

import (
	"context"
	"fmt"

	"github.com/pervichka/pervichka/storage/db"
)

// proposeLinks records, in tx, what the extract stage can tell about how a
// document relates to the other files of its upload or message (its group):
// the same number and supplier means pages of one document sent as several
// files; a file with no number and no parties of its own next to one that
// has them is probably its continuation. Duplicates found elsewhere are
// linked too. These are proposals with reasons for a clerk, who merges or
// dismisses them; nothing is merged automatically.
//
// The caller holds the lock of the group's first document, so extract jobs
// of one group take turns and of two files extracted at once the second
// sees the first.
func (p *Pipeline) proposeLinks(ctx context.Context, tx *db.Tx, doc db.Document, f db.Fields, duplicates []db.Document) error {
	for _, d := range duplicates {
		reason := fmt.Sprintf("Тот же поставщик (ИНН %s), номер %s и дата %s, что у документа %d", f.SupplierINN, f.Number, f.Date, d.ID)
		if err := p.db.AddLink(ctx, tx, db.Link{DocumentID: doc.ID, LinkedID: d.ID, Kind: db.LinkDuplicate, Reason: reason}); err != nil {
			return err
		}
	}
	if doc.GroupID == "" {
		return nil
	}
	group, err := p.db.GroupDocuments(ctx, tx, doc.GroupID)
	if err != nil {
		return err
	}
	bare := func(f db.Fields) bool { return f.Number == "" && f.SupplierINN == "" && f.BuyerINN == "" }
	for _, o := range group {
		if o.ID == doc.ID || o.Result == nil {
			continue // itself, or not extracted yet: that one will look at this one
		}
		var l db.Link
		switch {
		case f.Number != "" && f.SupplierINN != "" && f.Number == o.Fields.Number && f.SupplierINN == o.Fields.SupplierINN:
			l = db.Link{DocumentID: doc.ID, LinkedID: o.ID, Kind: db.LinkSameDocument,
				Reason: fmt.Sprintf("Тот же номер %s и поставщик, что у файла «%s» из того же отправления", f.Number, o.FileName)}
		case bare(f) && o.Fields.Number != "":
			l = db.Link{DocumentID: doc.ID, LinkedID: o.ID, Kind: db.LinkContinuation,
				Reason: fmt.Sprintf("Нет своего номера и сторон: похоже на продолжение документа «%s»", o.FileName)}
		case bare(o.Fields) && f.Number != "":
			l = db.Link{DocumentID: o.ID, LinkedID: doc.ID, Kind: db.LinkContinuation,
				Reason: fmt.Sprintf("Нет своего номера и сторон: похоже на продолжение документа «%s»", doc.FileName)}
		default:
			continue
		}
		if err := p.db.AddLink(ctx, tx, l); err != nil {
			return err
		}
	}
	return nil
}
