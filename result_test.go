package pervichka

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// The JSON schema in docs/ is what consumers read; it must name exactly the
// keys Result produces.
func TestSchemaMatchesResult(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("docs/extract.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	full := Result{
		File: "a.pdf", Pages: 1, PageTurns: []int{90}, TextSource: SourceOCR, DocType: DocAct,
		SupplierBank: &Bank{}, ContractRef: &ContractRef{},
		Confidence: map[string]float64{"number": 1}, TimingsMS: map[string]int64{"ocr": 1},
		Evidence:  map[string][]string{"total": {EvidenceItemsSum}},
		Locations: map[string][]Location{"total": {{Page: 0, Box: Rect{1, 2, 3, 4}, Words: []int{7}}}},
		Error:     &ErrorInfo{Code: CodeCorrupt},
	}
	out, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(out, &keys); err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for k := range keys {
		got = append(got, k)
	}
	for k := range schema.Properties {
		want = append(want, k)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Result keys %v\nschema keys %v", got, want)
	}
	// A location and its box: the schema closes both objects
	// (additionalProperties false), so their keys must match exactly.
	var loc struct {
		AdditionalProperties struct {
			Items struct {
				Properties map[string]struct {
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"properties"`
			} `json:"items"`
		} `json:"additionalProperties"`
	}
	if err := json.Unmarshal(schema.Properties["locations"], &loc); err != nil {
		t.Fatal(err)
	}
	var one []map[string]json.RawMessage
	if err := json.Unmarshal(keys["locations"], &struct{ Total *[]map[string]json.RawMessage }{&one}); err != nil || len(one) != 1 {
		t.Fatalf("locations as encoded: %s (%v)", keys["locations"], err)
	}
	props := loc.AdditionalProperties.Items.Properties
	if !slices.Equal(sortedKeys(one[0]), sortedKeys(props)) {
		t.Errorf("Location keys %v, schema %v", sortedKeys(one[0]), sortedKeys(props))
	}
	var box map[string]json.RawMessage
	if err := json.Unmarshal(one[0]["box"], &box); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sortedKeys(box), sortedKeys(props["box"].Properties)) {
		t.Errorf("Rect keys %v, schema %v", sortedKeys(box), sortedKeys(props["box"].Properties))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestTextNull(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Party{Name: "ИП Иванов", INN: "500100732259"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"ИП Иванов","inn":"500100732259","kpp":null}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	var p Party
	if err := json.Unmarshal(b, &p); err != nil || p.KPP != "" || p.INN != "500100732259" {
		t.Errorf("round trip: %+v, %v", p, err)
	}
	if err := json.Unmarshal([]byte(`{"kpp": 5}`), &p); err == nil {
		t.Error("a number for a text field was accepted")
	}
}

func TestParseKopecks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Kopecks
		ok   bool
	}{
		{"214500.00", 21450000, true},
		{"214 500,00", 21450000, true},
		{"214\u00a0500,5", 21450050, true},
		{"0,01", 1, true},
		{"-3.10", -310, true},
		{"12", 1200, true},
		{"1.234", 0, false},
		{"", 0, false},
		{"1.", 0, false},
		{"12a", 0, false},
		{"9999999999999999", 0, false},
	} {
		got, err := ParseKopecks(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseKopecks(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
	if s := Kopecks(-5).String(); s != "-0.05" {
		t.Errorf("Kopecks(-5) = %s", s)
	}
}

func TestAsError(t *testing.T) {
	t.Parallel()
	e := AsError(Errorf(CodeEncrypted, "x"))
	if e.Code != CodeEncrypted || e.Message() == "" || !e.Code.Permanent() {
		t.Errorf("typed error lost: %+v", e)
	}
	if AsError(os.ErrNotExist).Code != CodeInternal {
		t.Error("unknown errors must be internal")
	}
}
