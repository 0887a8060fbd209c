package ruvalid

import "testing"

func TestUnits(t *testing.T) {
	tests := []struct {
		in     string
		lookup string // code LookupUnit finds, "" for none
		snap   string // code SnapUnit finds, "" for none
	}{
		{"шт", "796", "796"},
		{"Шт.", "796", "796"},
		{"мес.", "362", "362"},
		{"мес", "362", "362"},
		{"усл. ед.", "876", "876"},
		{"усл.ед", "876", "876"},
		{"упак", "778", "778"},
		{"м2", "055", "055"},
		{"wt", "", "796"},      // Latin w for ш
		{"ит", "", "796"},      // и for ш
		{"упaк", "778", "778"}, // Latin a inside
		{"улак", "", "778"},    // one edit from упак
		{"мec", "362", "362"},
		{"kr", "166", "166"},   // Latin k and r for «кг»
		{"ynak", "778", "778"}, // Latin y and n for «упак»
		{"ab", "", ""},         // nothing close enough to guess
		{"ar", "", ""},         // nothing close enough to guess
		{"wr", "796", "796"},   // Latin w and r for «шт»
		{"=“", "", ""},
		{"", "", ""},
		{"к-т", "839", "839"},
		{"мм", "", ""}, // two letters, both wrong for "м"? no: not a two-letter spelling match
	}
	for _, tt := range tests {
		u, ok := LookupUnit(tt.in)
		if got := map[bool]string{true: u.Code, false: ""}[ok]; got != tt.lookup {
			t.Errorf("LookupUnit(%q) = %q, want %q", tt.in, got, tt.lookup)
		}
		u, ok = SnapUnit(tt.in)
		if got := map[bool]string{true: u.Code, false: ""}[ok]; got != tt.snap {
			t.Errorf("SnapUnit(%q) = %q, want %q", tt.in, got, tt.snap)
		}
	}
	if u, ok := UnitByCode("796"); !ok || u.Symbol != "шт" {
		t.Errorf("UnitByCode(796) = %v, %v", u, ok)
	}
	if _, ok := UnitByCode("999"); ok {
		t.Error("UnitByCode(999) found a unit")
	}
}

func FuzzSnapUnit(f *testing.F) {
	f.Add("шт")
	f.Add("усл. ед.")
	f.Fuzz(func(t *testing.T, s string) {
		if u, ok := SnapUnit(s); ok && u.Code == "" {
			t.Fatalf("SnapUnit(%q) found a unit without a code", s)
		}
	})
}
