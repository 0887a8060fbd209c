package recognize_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/corpus/degrade"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/recognize/recognizetest"
)

// TestPageTurns: a result says how far each page was turned to be read, in
// page order, and leaves the key out when no page was turned (a text
// layer, an upright photo), so that results of upright documents are as
// before.
func TestPageTurns(t *testing.T) {
	t.Parallel()
	portrait, landscape := recognizetest.LinesJPEG(t, 600, 850), recognizetest.LinesJPEG(t, 850, 600)
	var twoPages bytes.Buffer
	if err := degrade.JPEGsPDF(&twoPages, [][]byte{portrait, landscape}, 100); err != nil {
		t.Fatal(err)
	}
	textLayer, err := os.ReadFile(filepath.Join(corpusDir, "007-upd.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	rec := recognize.New(recognizetest.SidewaysOCR{}, recognize.Options{})
	for _, tc := range []struct {
		name string
		file []byte
		want []int
	}{
		{"upright photo.jpg", portrait, nil},
		{"sideways photo.jpg", landscape, []int{90}},
		{"second page sideways.pdf", twoPages.Bytes(), []int{0, 90}},
		{"text layer.pdf", textLayer, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := rec.Bytes(t.Context(), tc.name, tc.file)
			if res.Error != nil {
				t.Fatalf("error %+v", res.Error)
			}
			if !slices.Equal(res.PageTurns, tc.want) {
				t.Errorf("page turns %v, want %v", res.PageTurns, tc.want)
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(string(b), `"page_turns"`); has != (tc.want != nil) {
				t.Errorf("page_turns in the JSON %v, want %v: %s", has, tc.want != nil, b)
			}
		})
	}
}
