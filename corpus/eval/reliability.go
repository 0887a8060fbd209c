package eval

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
)

// ReliabilityEdges are the lower edges of the confidence buckets of the
// reliability table; the last bucket is [0.99, 1].
var ReliabilityEdges = []float64{0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99}

// SureAccuracy is the share of fields at or above the UI's "sure"
// threshold that must be right (issue 13: ≥ 99 %).
const SureAccuracy = 0.99

// Bucket is one confidence bucket of one field: how many values the engine
// gave a confidence in [Lo, next edge) and how many of them were right.
type Bucket struct {
	Lo       float64 `json:"lo"`
	N        int     `json:"n"`
	Right    int     `json:"right"`
	Accuracy float64 `json:"accuracy"`
}

// ReliabilityRow is one field's buckets (or all fields', Field "all").
type ReliabilityRow struct {
	Field   string   `json:"field"`
	Buckets []Bucket `json:"buckets"`
}

// Reliability is the calibration of the engine's confidence: per field and
// bucket, the observed accuracy. SureAt is the lowest bucket edge at which
// every field value at or above it, pooled over the fields, is right at
// least SureAccuracy of the time (1.01 when none is: nothing is sure);
// SureN and SureRight are those values' counts.
type Reliability struct {
	Rows      []ReliabilityRow `json:"rows"`
	SureAt    float64          `json:"sure_at"`
	SureN     int              `json:"sure_n"`
	SureRight int              `json:"sure_right"`
}

// reliabilityFields are the fields that carry a confidence and are scored
// as single values.
func reliabilityFields() []field {
	out := append([]field{}, scalarFields...)
	out = append(out, bankFields...)
	return append(out, contractRefFields...)
}

// ScoreReliability compares every field value that has a confidence with
// the truth. Files that failed or have no truth are left out, and so are
// the fields in unlabelled: a truth that does not record them (the real
// documents' truth.json has no contract reference) says nothing of a
// value read there.
func ScoreReliability(truth []corpus.Truth, results []pervichka.Result, unlabelled ...string) *Reliability {
	want := map[string]*pervichka.Result{}
	for i := range truth {
		for _, f := range truth[i].Variants {
			want[filepath.Base(f)] = &truth[i].Result
		}
	}
	fs := reliabilityFields()
	rows := make([]ReliabilityRow, len(fs)+1)
	for i := range rows {
		rows[i].Buckets = make([]Bucket, len(ReliabilityEdges))
		for j, e := range ReliabilityEdges {
			rows[i].Buckets[j].Lo = e
		}
	}
	all := &rows[len(fs)]
	all.Field = All
	for i, f := range fs {
		rows[i].Field = f.path
	}
	for ri := range results {
		got := &results[ri]
		w := want[filepath.Base(got.File)]
		if w == nil || got.Error != nil {
			continue
		}
		for i, f := range fs {
			c, ok := got.Confidence[f.path]
			if !ok || slices.Contains(unlabelled, f.path) {
				continue
			}
			b := bucketOf(c)
			right := normalize(f.kind, f.get(w)) == normalize(f.kind, f.get(got))
			for _, r := range []*ReliabilityRow{&rows[i], all} {
				r.Buckets[b].N++
				if right {
					r.Buckets[b].Right++
				}
			}
		}
	}
	rel := &Reliability{SureAt: 1.01}
	for i := range rows {
		if rows[i].Field != All && total(rows[i].Buckets) == 0 {
			continue
		}
		for j := range rows[i].Buckets {
			b := &rows[i].Buckets[j]
			if b.N > 0 {
				b.Accuracy = float64(b.Right) / float64(b.N)
			}
		}
		rel.Rows = append(rel.Rows, rows[i])
	}
	// The lowest edge from which the pooled values up are right often
	// enough.
	n, right := 0, 0
	for j := len(ReliabilityEdges) - 1; j >= 0; j-- {
		n += all.Buckets[j].N
		right += all.Buckets[j].Right
		if n == 0 {
			continue
		}
		if float64(right) < SureAccuracy*float64(n) {
			break
		}
		rel.SureAt, rel.SureN, rel.SureRight = ReliabilityEdges[j], n, right
	}
	return rel
}

func total(bs []Bucket) int {
	n := 0
	for _, b := range bs {
		n += b.N
	}
	return n
}

func bucketOf(c float64) int {
	for j := len(ReliabilityEdges) - 1; j > 0; j-- {
		if c >= ReliabilityEdges[j] {
			return j
		}
	}
	return 0
}

// WriteReliability prints the table: per field, accuracy (and count) per
// confidence bucket, then the sure threshold it supports.
func WriteReliability(w io.Writer, rel *Reliability) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"field"}
	for j, e := range ReliabilityEdges {
		if j+1 < len(ReliabilityEdges) {
			head = append(head, fmt.Sprintf("[%.2f,%.2f)", e, ReliabilityEdges[j+1]))
		} else {
			head = append(head, fmt.Sprintf("[%.2f,1]", e))
		}
	}
	fmt.Fprintln(w, "== reliability: accuracy (n) per confidence bucket")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, r := range rel.Rows {
		cells := []string{r.Field}
		for _, b := range r.Buckets {
			if b.N == 0 {
				cells = append(cells, "-")
				continue
			}
			cells = append(cells, fmt.Sprintf("%.3f (%d)", b.Accuracy, b.N))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if rel.SureN > 0 {
		fmt.Fprintf(w, "sure at ≥ %.2f: %d of %d values right (%.4f)\n\n", rel.SureAt, rel.SureRight, rel.SureN, float64(rel.SureRight)/float64(rel.SureN))
	} else {
		fmt.Fprintf(w, "no confidence at which %.0f %% of the values are right\n\n", SureAccuracy*100)
	}
	return nil
}
