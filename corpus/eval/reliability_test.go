package eval

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
)

// The table counts each value with a confidence in its bucket, right or
// wrong by the scorer's normalisation, and the sure threshold is the lowest
// edge from which the pooled values are right at least 99 % of the time.
func TestScoreReliability(t *testing.T) {
	t.Parallel()
	want := pervichka.Result{Number: "А-17", Total: "100.00", Supplier: pervichka.Party{INN: "7707083893"}}
	var truth []corpus.Truth
	var results []pervichka.Result
	add := func(file string, got pervichka.Result, conf map[string]float64) {
		truth = append(truth, corpus.Truth{ID: file, Variants: map[string]string{"scan": file}, Result: want})
		got.File, got.Confidence = "/some/dir/"+file, conf
		results = append(results, got)
	}
	// 200 right totals at 0.97, one wrong number at 0.97 (200/201 ≥ 0.99
	// pooled with the totals), and at 0.85 four wrong numbers and one right
	// (a Latin look-alike), which pooled fall under 0.99.
	for i := range 200 {
		add(string(rune('a'+i%26))+string(rune('a'+i/26))+".pdf", pervichka.Result{Number: "А-17", Total: "100.00", Supplier: want.Supplier},
			map[string]float64{"total": 0.97})
	}
	add("w1.pdf", pervichka.Result{Number: "А-11", Total: "100.00"}, map[string]float64{"number": 0.97})
	for _, f := range []string{"w2.pdf", "w4.pdf", "w5.pdf", "w6.pdf"} {
		add(f, pervichka.Result{Number: "А-11", Total: "100.00"}, map[string]float64{"number": 0.85})
	}
	add("w3.pdf", pervichka.Result{Number: "A-17", Total: "100.00"}, map[string]float64{"number": 0.85}) // Latin A: right
	rel := ScoreReliability(truth, results)
	row := func(f string) ReliabilityRow {
		for _, r := range rel.Rows {
			if r.Field == f {
				return r
			}
		}
		t.Fatalf("no row %s in %+v", f, rel.Rows)
		return ReliabilityRow{}
	}
	if b := row("total").Buckets[bucketOf(0.97)]; b.N != 200 || b.Right != 200 {
		t.Errorf("total at 0.97: %+v", b)
	}
	if b := row("number").Buckets[bucketOf(0.85)]; b.N != 5 || b.Right != 1 {
		t.Errorf("number at 0.85: %+v", b)
	}
	if b := row("number").Buckets[bucketOf(0.97)]; b.N != 1 || b.Right != 0 {
		t.Errorf("number at 0.97: %+v", b)
	}
	if rel.SureAt != 0.9 || rel.SureN != 201 || rel.SureRight != 200 {
		t.Errorf("sure at %v (%d/%d), want 0.90, the empty [0.90,0.95) bucket included (200/201)", rel.SureAt, rel.SureRight, rel.SureN)
	}
	for _, r := range rel.Rows {
		if r.Field == "vat_rate" {
			t.Errorf("a field without any confidence has a row: %+v", r)
		}
	}
}

// A field the truth does not record is left out of the table: the real
// documents' truth has no contract reference, and a reference read there
// is not a wrong value.
func TestScoreReliabilityUnlabelled(t *testing.T) {
	t.Parallel()
	truth := []corpus.Truth{{ID: "a", Variants: map[string]string{"pdf": "a.pdf"}, Result: pervichka.Result{Number: "17"}}}
	got := []pervichka.Result{{File: "a.pdf", Number: "17", ContractRef: &pervichka.ContractRef{Number: "Д-1"},
		Confidence: map[string]float64{"number": 1, "contract_ref.number": 1}}}
	for _, tc := range []struct {
		unlabelled []string
		refN       int
	}{{nil, 1}, {RealUnlabelled, 0}} {
		rel := ScoreReliability(truth, got, tc.unlabelled...)
		n := 0
		for _, r := range rel.Rows {
			if r.Field == "contract_ref.number" {
				n = total(r.Buckets)
			}
		}
		if n != tc.refN {
			t.Errorf("unlabelled %v: %d contract references scored, want %d", tc.unlabelled, n, tc.refN)
		}
	}
}
