package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	pervichka "github.com/pervichka/pervichka"
)

// Truth is the ground truth of one generated document: the extraction result
// a perfect reader would produce, plus the document's ID and the files of its
// variants. Result is embedded so that one line of truth.jsonl is the extract
// schema with two more keys, "id" and "variants".
//
// Names are as printed in the parties block. Item prices and amounts include
// VAT, except on a счёт-фактура and a УПД, where an item's price is column 4
// (without VAT) and its amount column 9 (with VAT), and on a ТОРГ-12
// (columns 11 and 15), as those forms print them; totals always include VAT. supplier_bank is set for bills and
// contracts only, contract_ref only where «Основание: Договор № … от …» (or
// its like) is printed.
type Truth struct {
	ID string `json:"id"`
	// Variants maps a variant name ("pdf", "scan", "photo", "hard") to the
	// file name of that rendering, relative to the corpus directory.
	Variants map[string]string `json:"variants"`
	// Turns gives, per photographed variant, how far each page's content
	// is turned clockwise in that variant's file (0, 90, 180 or 270
	// degrees, one per page in order): the turn a reader must undo, which
	// the eval scores orientation by. Upright pages are written as 0 like
	// any other, because a variant left out means its turns are unknown —
	// truth written before turns were recorded has none, and that says
	// nothing about orientation, not that every page is upright. The key
	// is left out when no variant has turns (a corpus of PDFs and scans).
	Turns map[string][]int `json:"turns,omitempty"`
	pervichka.Result
}

// TruthFile is the name of the ground-truth file inside a corpus directory.
const TruthFile = "truth.jsonl"

// CompaniesFile lists the organisations the back office serves.
const CompaniesFile = "companies.json"

// writeTruth writes one JSON object per line, in the order given.
func writeTruth(w io.Writer, truth []Truth) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range truth {
		if err := enc.Encode(&truth[i]); err != nil {
			return fmt.Errorf("encode truth %s: %w", truth[i].ID, err)
		}
	}
	return bw.Flush()
}

// ReadTruth reads a truth.jsonl file. Blank lines are skipped; any other line
// that is not a Truth object is an error naming its line number.
func ReadTruth(path string) ([]Truth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open truth: %w", err)
	}
	defer f.Close()
	return decodeTruth(f)
}

func decodeTruth(r io.Reader) ([]Truth, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var out []Truth
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var t Truth
		if err := json.Unmarshal(b, &t); err != nil {
			return nil, fmt.Errorf("truth line %d: %w", line, err)
		}
		if t.ID == "" {
			return nil, fmt.Errorf("truth line %d: no id", line)
		}
		for v, turns := range t.Turns {
			for i, d := range turns {
				if d < 0 || d >= 360 || d%90 != 0 {
					return nil, fmt.Errorf("truth line %d: %s page %d turned %d°, not 0, 90, 180 or 270", line, v, i+1, d)
				}
			}
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	return out, nil
}
