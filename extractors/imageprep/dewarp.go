package imageprep

// dewarpMaxSourceDPI: pages with a stated resolution at or above it are
// flatbed scans, pressed flat on the glass, and are not dewarped; phone
// pictures put into a PDF by a scanner app state 72–150 dpi (seed 31's
// scanner-app pages: 109).
const dewarpMaxSourceDPI = 200

// dewarpMinSpread is the least spread of the vertical correction, in
// capital heights, for which the dewarped page is taken: below it the
// lines are straight enough for Tesseract, and the resampling would only
// soften the print. On seed 31's realistic photos the pages whose rows a
// fold or curl had cost spread 1.3–3.2 capitals, the others 0.3–0.9;
// real-dev's bent photos spread 1.7–6.5.
const dewarpMinSpread = 1.0

// dewarp takes out the bend of a photographed sheet (see package dewarp)
// once the page is upright, straight and at its final scale: the model
// reads text lines, so it must see them horizontal and legible.
func (p *enhancer) dewarp() (bool, error) {
	if p.opt.Dewarper == nil || (p.opt.SourceDPI >= dewarpMaxSourceDPI) {
		return false, nil
	}
	capH := p.capHeight
	if capH <= 0 {
		capH = rescaleParams.target
	}
	// Fitting costs 0.2–0.4 s of a photo page's 4–5. A cheaper test
	// first (how differently the text of the page's quadrants tilts)
	// skipped two thirds of the generated photos and changed none of
	// their results, but it missed the bends of real-dev's photos
	// 18-13-06 and 18-12-43 (tilts 3 and 15 px apart where the model's
	// correction spread 63 and 40): every photo is fitted.
	out, spread, err := p.opt.Dewarper.Dewarp(p.ctx, p.gray, dewarpMinSpread*capH)
	if err != nil {
		return false, err
	}
	p.log.Debug("dewarp", "applied", out != nil, "spread_px", spread, "spread_caps", spread/capH)
	keystoned := false
	if out == nil {
		// No bend the text-line model could fit: the sheet may still
		// lie at a slant with its corners out of the frame (keystone).
		ks, kspread, err := keystone(p.ctx, p.gray, capH, keystoneMinSpread*capH)
		if err != nil {
			return false, err
		}
		p.log.Debug("keystone", "applied", ks != nil, "spread_px", kspread, "spread_caps", kspread/capH)
		out, keystoned = ks, ks != nil
	}
	if out == nil || keystoned {
		// Neither: a form's rules may still show a bend. Not instead of
		// keystone: on a sheet whose lines fan out strongly enough for
		// it (unseen seed 8911's realistic счёт-фактура 015, 6.8
		// capitals) levelling the rules one by one lost the table's
		// narrow columns that keystone's steady tilt kept. After it, on
		// what it levelled: one tilt per row of the page leaves a
		// perspective's slope across the table (seed 10031's realistic
		// счёт-фактура 006: keystone's 5.1 capitals, then its rules
		// still spread 4.1, the right columns' figures half a row above
		// their names, every row's amount lost; 48 of 86 fields right
		// before, 79 after).
		src := p.gray
		if out != nil {
			src = out
		}
		rb, rspread, n, err := ruleBend(p.ctx, src, capH, ruleMinSpreadCaps*capH)
		if err != nil {
			return false, err
		}
		p.log.Debug("rule bend", "applied", rb != nil, "rules", n, "spread_px", rspread, "spread_caps", rspread/capH)
		if rb != nil {
			out = rb
		}
	}
	changed := out != nil
	if out != nil {
		p.gray = out
	}
	// Last, on lines already level: the lean of the columns that the
	// steps above leave (see columnLean).
	cl, cspread, n, err := columnLean(p.ctx, p.gray, capH, columnMinSpreadCaps*capH)
	if err != nil {
		return false, err
	}
	p.log.Debug("column lean", "applied", cl != nil, "rules", n, "spread_px", cspread, "spread_caps", cspread/capH)
	if cl != nil {
		p.gray, changed = cl, true
	}
	return changed, nil
}
