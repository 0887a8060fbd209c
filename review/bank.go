package review

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
)

// bankChange is the bank-details warning on the document page: the
// supplier's details on the approved document the pipeline compared with
// (the reason's suffix, see pipeline/bank.go) beside this document's, so
// the clerk sees what changed without opening anything, and a link to the
// earlier document.
type bankChange struct {
	Earlier      int64
	EarlierTitle string // «Счёт на оплату № 1434/26 от 20.11.2026», when it reads
	Rows         []bankRow
}

type bankRow struct {
	Label, Before, After string
	Differs              bool
}

// earlierBankDocument returns the document a bank_changed reason names;
// false for other reasons and for the reasons of older versions, which
// named only the role ("bank_changed:supplier").
func earlierBankDocument(reason string) (int64, bool) {
	code, suffix, _ := strings.Cut(reason, ":")
	if code != ReasonBankChanged {
		return 0, false
	}
	id, err := strconv.ParseInt(suffix, 10, 64)
	return id, err == nil && id > 0
}

// bankChanges builds the warnings for res's bank_changed reasons. An
// earlier document that cannot be read still gets its link, with empty
// old details; the page must open whatever happened to it.
func (s *Server) bankChanges(ctx context.Context, res pervichka.Result) []bankChange {
	var out []bankChange
	for _, r := range res.ReviewReasons {
		id, ok := earlierBankDocument(r)
		if !ok {
			continue
		}
		c := bankChange{Earlier: id}
		var before pervichka.Result
		doc, err := s.cfg.DB.GetDocument(ctx, nil, id)
		if err == nil {
			before, err = decodeResult(doc)
		}
		if err != nil {
			s.cfg.Logger.Warn("review: earlier document of a bank change unreadable", "document", id, "err", err)
		}
		c.EarlierTitle = documentTitle(before)
		old, now := bankOf(&before), bankOf(&res)
		for _, f := range []struct {
			label      string
			before, at pervichka.Text
		}{
			{"Банк", old.BankName, now.BankName},
			{"БИК", old.BIK, now.BIK},
			{"Расчётный счёт", old.Account, now.Account},
			{"Корр. счёт", old.CorrAccount, now.CorrAccount},
		} {
			row := bankRow{Label: f.label, Before: string(f.before), After: string(f.at)}
			row.Differs = squeeze(row.Before) != squeeze(row.After)
			if row.Before == "" {
				row.Before = "—"
			}
			if row.After == "" {
				row.After = "—"
			}
			c.Rows = append(c.Rows, row)
		}
		out = append(out, c)
	}
	return out
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// documentTitle names a document as a clerk would: its type, number and
// date; "" when none of them was read.
func documentTitle(r pervichka.Result) string {
	var parts []string
	if n := docTypeName[r.DocType]; n != "" && r.DocType != pervichka.DocUnknown {
		parts = append(parts, n)
	}
	if r.Number != "" {
		parts = append(parts, "№ "+string(r.Number))
	}
	if r.Date != "" {
		d := string(r.Date)
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			d = t.Format("02.01.2006")
		}
		parts = append(parts, "от "+d)
	}
	return strings.Join(parts, " ")
}
