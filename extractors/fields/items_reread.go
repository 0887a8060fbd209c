package fields

import (
	pervichka "github.com/pervichka/pervichka"
)

// rereadRowAmounts reads again, on its own, the amount cell of each row
// whose quantity and price were read but whose amount was not, or does
// not come out of them (arithmeticBroken). A photo's last column, its
// figures set against the cell's right rule, is read as debris in the
// page's reading where the cell alone reads clean: seed 10021's realistic
// счёт-оферта 002 read «49 958,00» as «49 С» and «17 374,00» as «17 374, :»
// on 13 of its 26 rows, every other figure of those rows right. The
// figure read again is taken only when quantity × price gives it (within
// the rounding arithmeticBroken allows), so a misreading of the cell
// stays what the page read; a row is read again at most once, and at most
// maxRowRereads rows of a document.
func (x *extraction) rereadRowAmounts() {
	if x.rr == nil {
		return
	}
	// Per page, the median right edge of the amounts that add up.
	ends := map[int][]float64{}
	for i := range x.table.rows {
		r := &x.table.rows[i]
		if ts := r.cells[colAmount]; len(ts) > 0 && r.hasAmt && rowAddsUp(r) {
			ends[ts[0].page] = append(ends[ts[0].page], float64(boxOf(ts).X1))
		}
	}
	rights := map[int]int{}
	for pg, xs := range ends {
		rights[pg] = int(median(xs))
	}
	done := 0
	for i := range x.table.rows {
		if done == maxRowRereads || x.ctx.Err() != nil {
			return
		}
		r := &x.table.rows[i]
		qm, okQ := quantityMilli(string(r.item.Quantity))
		p, errP := pervichka.ParseKopecks(string(r.item.Price))
		if !okQ || qm <= 0 || errP != nil || p <= 0 || (r.hasAmt && !arithmeticBroken(r)) {
			continue
		}
		ts := r.cells[colAmount]
		if len(ts) == 0 || x.onTextLayer(ts) {
			continue
		}
		pt := r.cells[colPrice]
		if len(pt) == 0 || pt[0].page != ts[0].page {
			continue
		}
		// The row's band is its price's, read right; the cell's right
		// edge is where the amounts that were read right end on the
		// page: a garbled cell's words are neither as high nor as wide
		// as its figures («49 С»: «С» two rows tall; «17 374,» without
		// its kopecks).
		pb := boxOf(pt)
		u := float64(pb.Dy())
		box := boxOf(ts)
		box.Y0, box.Y1 = pb.Y0-int(rowRereadMargin*u), pb.Y1+int(rowRereadMargin*u)
		box.X0 -= int(rowRereadLeft * u)
		if right, ok := rights[ts[0].page]; ok {
			box.X1 = max(box.X1, right)
		}
		page := ts[0].page
		text, conf, err := x.rr.ReadLine(x.ctx, page, box, "0123456789 ,.")
		done++
		if err != nil {
			continue
		}
		money, ok := lastMoney(amounts(pseudoLine(text, page, box)))
		if !ok || !money.frac || money.fracLen != 2 {
			continue
		}
		old := *r
		r.amount, r.hasAmt = money.k, true
		r.item.Amount = money.k.Text()
		if arithmeticBroken(r) {
			*r = old
			continue
		}
		r.cells[colAmount] = []token{{text: text, key: wordKey(text), box: box, conf: conf, page: page}}
		r.conf = min(r.conf, conf)
	}
}

const (
	// maxRowRereads bounds the amount cells read again in one document:
	// one re-read costs about what a line of the page did, and a page
	// that reads most of its rows wrong is better sent to a clerk than
	// read again cell by cell.
	maxRowRereads = 30
	// rowRereadLeft is the room, in the cell's height, left of the
	// words read for the amount; rowRereadMargin above and below.
	rowRereadLeft   = 1.0
	rowRereadMargin = 0.3
)
