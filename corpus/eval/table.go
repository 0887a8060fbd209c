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
		fmt.Fprintln(tw, "variant\tdoc_type\tdocs\tpages\tfailed\tfield_acc\tdoc_ok\tauto\tauto_own\tsilent\ts/page\t")
		for _, g := range r.Groups {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t\n",
				g.Variant, g.DocType, g.Docs, g.Pages, g.Failed, g.FieldAccuracy, g.DocOK,
				g.AutoApproved, g.AutoOwn, g.SilentRate, g.SecondsPerPage)
		}
		fmt.Fprintln(tw)
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w, "auto = auto-approved share; auto_own = the same among documents where one of our companies is a party (the rest must go to review); silent = auto-approved with a wrong key field")
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
