package corpus

import (
	"math/rand/v2"
	"slices"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus/sheet"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// layoutFunc arranges a document on pages. It may draw from r for visual
// choices (fonts, wording); the data are fixed in d.
type layoutFunc func(r *rand.Rand, d *docData) sheet.Document

// layouts lists the visual layouts of each document type.
var layouts = map[pervichka.DocType][]layoutFunc{
	pervichka.DocInvoice:    {invoice1C, invoiceModern, invoiceCompact},
	pervichka.DocVATInvoice: {vatInvoiceClassic, vatInvoiceDense, vatInvoiceWide},
	pervichka.DocUPD:        {updClassic, updDense, updWide},
	pervichka.DocAct:        {act1C, actModern, actFormal},
	pervichka.DocContract:   {contractClassic, contractModern, contractDense},
}

// realLayouts are modelled on real printed forms (LayoutsReal); a type
// without its own real-world layout keeps the classic ones.
var realLayouts = map[pervichka.DocType][]layoutFunc{
	pervichka.DocInvoice:    {invoice1CStd, invoiceOffer},
	pervichka.DocVATInvoice: {vatInvoice1096},
	pervichka.DocUPD:        {upd1096},
	pervichka.DocAct:        {act1CStd},
	pervichka.DocTORG12:     {torg12Form},
}

// layoutsOf returns the layouts of type t in a layout set.
func layoutsOf(set string, t pervichka.DocType) []layoutFunc {
	classic, real := layouts[t], realLayouts[t]
	switch {
	case len(classic) == 0: // a type that exists only in real-world form
		return real
	case len(real) == 0:
		return classic
	case set == LayoutsReal:
		return real
	case set == LayoutsAll:
		return append(slices.Clone(classic), real...)
	}
	return classic
}

// fonts is the set of faces one layout uses.
type fonts struct {
	Family sheet.Family
	Body   sheet.Font
	Bold   sheet.Font
	Small  sheet.Font
	Title  sheet.Font
	Table  sheet.Font
	Head   sheet.Font // table heads
}

// pickFonts chooses a family and sizes around body points (7.5–11).
func pickFonts(r *rand.Rand, families []sheet.Family, body, table, title float64) fonts {
	fam := families[r.IntN(len(families))]
	f := fonts{Family: fam}
	f.Body = sheet.Font{Family: fam, Size: body}
	f.Bold = sheet.Font{Family: fam, Size: body, Bold: true}
	f.Small = sheet.Font{Family: fam, Size: max(body-2, 6.5)}
	f.Title = sheet.Font{Family: fam, Size: title, Bold: true}
	f.Table = sheet.Font{Family: fam, Size: table}
	f.Head = sheet.Font{Family: fam, Size: table, Bold: true}
	return f
}

var (
	sansFamilies  = []sheet.Family{sheet.LiberationSans, sheet.DejaVuSans, sheet.PTSans}
	serifFamilies = []sheet.Family{sheet.LiberationSerif, sheet.DejaVuSerif, sheet.PTSerif}
)

// kv draws «label value» with the value wrapped in [x+lw, x+w] and moves the
// cursor under the taller of the two.
func (c *canvas) kv(x, lw, w float64, lf, vf sheet.Font, label, value string) {
	y0 := c.y
	lines := wrap(vf, value, w-lw)
	llines := wrap(lf, label, lw-1)
	h := max(float64(len(lines))*lineHeight(vf), float64(len(llines))*lineHeight(lf))
	if c.ensure(h) {
		y0 = c.y
	}
	for i, ln := range llines {
		c.textBox(x, y0+ascent(lf)+float64(i)*lineHeight(lf), lw-1, lf, sheet.Left, ln)
	}
	for i, ln := range lines {
		c.textBox(x+lw, y0+ascent(vf)+float64(i)*lineHeight(vf), w-lw, vf, sheet.Left, ln)
	}
	c.y = y0 + h
}

// innKPP prints «ИНН 7701234567, КПП 770101001» or «ИНН 7701234567» for an ИП.
func innKPP(p *party, sep string) string {
	if p.IP() {
		return "ИНН " + p.INN
	}
	return "ИНН " + p.INN + sep + "КПП " + p.KPP
}

// innSlashKPP prints «7701234567/770101001» or just the ИНН of an ИП.
func innSlashKPP(p *party) string {
	if p.IP() {
		return p.INN
	}
	return p.INN + "/" + p.KPP
}

// ogrnLabel is «ОГРН» or «ОГРНИП».
func ogrnLabel(p *party) string {
	if p.IP() {
		return "ОГРНИП"
	}
	return "ОГРН"
}

// partyLine is the 1С form: «ООО "Ромашка", ИНН 7701…, КПП 7701…, адрес, тел.».
func partyLine(name string, p *party, phone bool) string {
	s := name + ", " + innKPP(p, ", ") + ", " + p.Address
	if phone {
		s += ", тел.: " + p.Phone
	}
	return s
}

// amountWords is the total in words with a capital letter.
func amountWords(k pervichka.Kopecks) string {
	s := ruvalid.AmountInWords(k)
	rs := []rune(s)
	if len(rs) > 0 {
		rs[0] = []rune(strings.ToUpper(string(rs[0])))[0]
	}
	return string(rs)
}

// headTitle is how the head of a party signs: «Генеральный директор» or
// «Индивидуальный предприниматель».
func headTitle(p *party) string { return p.HeadPost }

// signLine draws «Title ________ Фамилия И. О.» at the cursor, with a
// scribble over the line and optionally a stamp beside it; it returns the
// x of the line's middle so that a stamp can sit there.
func (c *canvas) signLine(x, w float64, f sheet.Font, title, name string, seed int64, scribble bool) float64 {
	lineW := min(35.0, w*0.35)
	nameW := textWidth(f, name) + 3
	tw := textWidth(f, title) + 2
	if tw+lineW+nameW > w { // squeeze the title down to its longest word, then the line
		longest := 0.0
		for _, word := range strings.Fields(title) {
			longest = max(longest, textWidth(f, word)+1)
		}
		tw = max(longest, w-lineW-nameW)
		lineW = max(15, min(lineW, w-tw-nameW))
	}
	tw = max(tw, 4)
	base := c.y + ascent(f) + 3
	titleLines := wrap(f, title, tw)
	for i, ln := range titleLines {
		c.textBox(x, base-float64(len(titleLines)-1-i)*lineHeight(f), tw, f, sheet.Left, ln)
	}
	lx := x + tw + 1
	c.hline(lx, lx+lineW, base+0.8, 0.2)
	c.textBox(lx+lineW+2, base, max(w-tw-lineW-3, 10), f, sheet.Left, name)
	if scribble {
		c.add(sheet.Signature{X: lx + 2, Y: base - 9, W: lineW - 4, H: 11, Seed: seed, Color: sheet.Blue})
	}
	c.y = base + 3
	return lx + lineW/2
}

// stamp draws the seal of p centred near (cx, cy), kept inside the page.
func (c *canvas) stamp(r *rand.Rand, p *party, cx, cy float64) {
	rad := 18 + r.Float64()*3
	cx = min(max(cx, rad+2), c.w-rad-2)
	cy = min(max(cy, rad+2), c.h-rad-2)
	var ring string
	if p.IP() {
		ring = "ИНДИВИДУАЛЬНЫЙ ПРЕДПРИНИМАТЕЛЬ " + strings.ToUpper(p.Head.Short())
	} else {
		ring = strings.ToUpper(p.FullName('"'))
	}
	ring += " * " + strings.ToUpper(p.Region.Short) + " *"
	center := []string{ogrnLabel(p) + " " + p.OGRN, p.Region.Short}
	if r.IntN(3) == 0 && !p.IP() {
		center = []string{"ИНН " + p.INN, p.Region.Short, "ОГРН " + p.OGRN}
	}
	c.add(sheet.Stamp{CX: cx, CY: cy, R: rad, Angle: r.Float64()*60 - 30, Ring: ring, Center: center, Color: sheet.Blue})
}

// itemCells are the printed cells of one goods or services line.
type itemCells struct {
	N, Name, Qty, Unit, Price, Amount, VAT, Rate, NetPrice, Net string
}

func (d *docData) cells(i int) itemCells {
	it := d.Items[i]
	c := itemCells{
		N: itoa(i + 1), Name: it.Name, Qty: it.Qty.printed(d.FixedQty), Unit: it.Unit,
		Price: d.money(it.Price), Amount: d.money(it.Amount), Rate: d.VAT.label(),
		NetPrice: d.money(it.NetPrice), Net: d.money(it.Net),
	}
	if d.VAT.None {
		c.VAT = "без НДС"
	} else {
		c.VAT = d.money(it.VAT)
	}
	return c
}

// wording returns one of the wordings, drawn from the layout's generator.
func wording(r *rand.Rand, options ...string) string { return options[r.IntN(len(options))] }
