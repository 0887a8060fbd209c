package review

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
	scorer "github.com/pervichka/pervichka/corpus/eval"
)

// attentionBefore is the highlighting before issue 17: a reason names the
// field, confidence below lowConfidence, or a failing check (errors only).
func attentionBefore(stored pervichka.Result, today time.Time) map[string]bool {
	named := namedFields(stored.ReviewReasons)
	checks := validate(stored, today)
	out := map[string]bool{}
	for key := range values(stored) {
		c, has := stored.Confidence[key]
		if named[key] || has && c < lowConfidence || checks[key].Error != "" {
			out[key] = true
		}
	}
	return out
}

// TestAttentionAgainstTruth compares the page's highlighted fields with the
// committed corpus truth, on the real extract outputs kept in the
// repository (the recognizer's and the extractor's golden files): every
// wrong key field of a document sent to review must be highlighted. It
// logs how many correct fields are highlighted, before and after.
func TestAttentionAgainstTruth(t *testing.T) {
	truth := map[string]pervichka.Result{}
	f, err := os.Open("../testdata/corpus/truth.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row struct {
			ID       string            `json:"id"`
			Variants map[string]string `json:"variants"`
			pervichka.Result
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		for _, file := range row.Variants {
			truth[file] = row.Result
		}
		truth[row.ID] = row.Result
	}
	results := map[string]pervichka.Result{}
	for _, glob := range []string{"../extractors/recognize/testdata/golden/*.json", "../extractors/fields/testdata/golden/*.result.json"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			var r pervichka.Result
			b, err := os.ReadFile(file)
			if err != nil || json.Unmarshal(b, &r) != nil {
				t.Fatalf("%s: %v", file, err)
			}
			name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(file), ".json"), ".result")
			results[name] = r
		}
	}
	if extra := os.Getenv("ATTENTION_RESULTS"); extra != "" {
		// A jsonl of `pervichka extract` output, for a wider measurement.
		b, err := os.ReadFile(extra)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			var r pervichka.Result
			if json.Unmarshal([]byte(line), &r) == nil && r.File != "" {
				results[filepath.Base(r.File)] = r
			}
		}
	}
	today := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	var names []string
	for n := range results {
		names = append(names, n)
	}
	sort.Strings(names)
	var docs, wrong, wrongLit, correctBefore, correctAfter, fields int
	for _, name := range names {
		res := results[name]
		want, ok := truth[name]
		if !ok {
			continue // a golden file of another seed's document
		}
		if !res.NeedsReview {
			continue
		}
		docs++
		cmp := scorer.Compare(&want, &res)
		bad := map[string]bool{}
		for _, p := range cmp.Wrong {
			bad[p] = true
		}
		before, after := attentionBefore(res, today), attention(res, today)
		for key := range values(res) {
			fields++
			switch {
			case bad[key]:
				wrong++
				if after[key] {
					wrongLit++
				} else if isKey(key) {
					t.Errorf("%s: wrong key field %s is not highlighted", name, key)
				} else {
					t.Logf("%s: wrong field %s (%q) not highlighted", name, key, values(res)[key])
				}
			default:
				if before[key] {
					correctBefore++
				}
				if after[key] {
					correctAfter++
				}
			}
		}
	}
	if docs == 0 {
		t.Fatal("no document in review among the results")
	}
	t.Logf("%d documents in review, %d fields: %d wrong, %d of them highlighted; correct fields highlighted: before %d, after %d",
		docs, fields, wrong, wrongLit, correctBefore, correctAfter)
}

func isKey(key string) bool {
	for _, k := range pervichka.KeyFields {
		if k == key {
			return true
		}
	}
	return false
}
