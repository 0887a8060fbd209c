package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints reports as plain tables for people: per run, one row per
// variant and document type, then the most-missed fields per variant, then —
// when there are several runs — the runs side by side per variant.
func WriteTable(w io.Writer, reports []*Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range reports {
		fmt.Fprintf(tw, "== %s\n", r.Name)
		fmt.Fprintln(tw, "variant\tdoc_type\tdocs\tpages\tfailed\tfield_acc\tdoc_ok\tauto\tauto_own\tsilent\torient\ts/page\t")
		known := false
		for _, g := range r.Groups {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%.2f\t\n",
				g.Variant, g.DocType, g.Docs, g.Pages, g.Failed, g.FieldAccuracy, g.DocOK,
				g.AutoApproved, g.AutoOwn, g.SilentRate, orient(g), g.SecondsPerPage)
			known = known || g.Orient != nil
		}
		fmt.Fprintln(tw)
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w, "auto = auto-approved share; auto_own = the same among documents where one of our companies is a party (the rest must go to review); silent = auto-approved with a wrong key field")
		if known {
			fmt.Fprintln(w, "orient = pages read the right way up of those whose turn the truth knows; - where it knows none")
			writeOrient(w, r)
		} else {
			fmt.Fprintln(w, "orient: no orientation truth (the truth records no page turns)")
		}
		fmt.Fprintln(w, "most missed fields (wrong/docs):")
		for _, g := range r.Groups {
			if g.DocType != All || len(g.MostMissed) == 0 {
				continue
			}
			parts := make([]string, len(g.MostMissed))
			for i, m := range g.MostMissed {
				parts[i] = fmt.Sprintf("%s %d/%d", m.Field, m.Wrong, g.Docs)
			}
			fmt.Fprintf(w, "  %-6s %s\n", g.Variant, strings.Join(parts, ", "))
		}
		fmt.Fprintln(w)
		if err := writeFiles(w, r.Files); err != nil {
			return err
		}
		writeSilent(w, r.Silent)
		if r.Reliability != nil {
			if err := WriteReliability(w, r.Reliability); err != nil {
				return err
			}
		}
	}
	if len(reports) < 2 {
		return nil
	}
	fmt.Fprintln(w, "== side by side (field_acc / doc_ok / auto / silent)")
	head := "variant\t"
	for _, r := range reports {
		head += r.Name + "\t"
	}
	fmt.Fprintln(tw, head)
	for _, v := range variantNames {
		row := v + "\t"
		any := false
		for _, r := range reports {
			g := r.Group(v, All)
			if g == nil {
				row += "-\t"
				continue
			}
			any = true
			row += fmt.Sprintf("%.3f / %.3f / %.3f / %.3f\t", g.FieldAccuracy, g.DocOK, g.AutoApproved, g.SilentRate)
		}
		if any {
			fmt.Fprintln(tw, row)
		}
	}
	return tw.Flush()
}

// orient is a group's orientation score for the table: the share of pages
// read the right way up, or "-" when no page's turn is known.
func orient(g *Group) string {
	if g.Orient == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *g.Orient)
}

// writeOrient gives the orientation counts per variant, then every page
// not read the right way up, the truth's turn first.
func writeOrient(w io.Writer, r *Report) {
	var parts []string
	for _, g := range r.Groups {
		if g.DocType == All && g.Orient != nil {
			parts = append(parts, fmt.Sprintf("%s %d/%d", g.Variant, g.TurnRight, g.TurnPages))
		}
	}
	fmt.Fprintf(w, "pages read upright of those with a known turn: %s\n", strings.Join(parts, ", "))
	if len(r.Misturned) == 0 {
		return
	}
	fmt.Fprintf(w, "read at the wrong turn (%d): content turned clockwise in the file, then the engine's turn\n", len(r.Misturned))
	for _, p := range r.Misturned {
		engine := fmt.Sprintf("engine turned %d°", p.Engine)
		if p.Failed {
			engine = "not read"
		}
		fmt.Fprintf(w, "  %s p.%d (%s): turned %d°, %s\n", p.File, p.Page, p.Variant, p.Truth, engine)
	}
}

// writeSilent lists the silent errors file by file, truth first.
func writeSilent(w io.Writer, files []*FileScore) {
	if len(files) == 0 {
		return
	}
	fmt.Fprintf(w, "silent errors (%d): auto-approved with a wrong key field\n", len(files))
	for _, f := range files {
		fmt.Fprintf(w, "  %s (%s):\n", f.File, f.Variant)
		for _, d := range f.Diffs {
			fmt.Fprintf(w, "    %-28s want %q got %q\n", d.Path, d.Want, d.Got)
		}
	}
	fmt.Fprintln(w)
}

// writeFiles prints one row per file of a real set, then what was read
// wrong in each, truth first.
func writeFiles(w io.Writer, files []*FileScore) error {
	if len(files) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\tvariant\tfields\tkey_ok\tbank\tauto\tsilent\t")
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, f := range files {
		bank := f.Bank
		if bank == "" {
			bank = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%s\t%s\t%s\t%s\t\n", f.File, f.Variant, f.Right, f.Fields,
			yes(f.KeyOK), bank, yes(f.Approved), yes(f.Silent))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range files {
		if len(f.Diffs) == 0 && len(f.Reasons) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s:\n", f.File)
		for _, d := range f.Diffs {
			fmt.Fprintf(w, "    %-28s want %q got %q\n", d.Path, d.Want, d.Got)
		}
		if len(f.Reasons) > 0 {
			fmt.Fprintf(w, "    review: %s\n", strings.Join(f.Reasons, ", "))
		}
	}
	fmt.Fprintln(w)
	return nil
}
