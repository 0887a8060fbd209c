package ruvalid

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRepairDigits(t *testing.T) {
	t.Parallel()
	innOrBlank := func(s string) bool { return ValidINN(s) }
	for _, tc := range []struct {
		name         string
		in           string
		valid        func(string) bool
		fixed        string
		repaired, ok bool
	}{
		{"valid as is", "7707083893", innOrBlank, "7707083893", false, true},
		{"spaces only", "7707 083 893", innOrBlank, "7707083893", false, true},
		{"Cyrillic О for zero", "77О7083893", innOrBlank, "7707083893", true, true},
		{"Latin O and З", "77O7O8З893", innOrBlank, "7707083893", true, true},
		{"l and б", "5001OO732259", innOrBlank, "500100732259", true, true},
		// 5 read as 8 in a 12-digit ИНН: two check digits leave one valid
		// neighbour among the confusions.
		{"one confusion", "800100732259", innOrBlank, "500100732259", true, true},
		{"letter and confusion", "8OO1OO732259", innOrBlank, "500100732259", true, true},
		{"transposition", "501000732259", innOrBlank, "500100732259", true, true},
		// Several valid neighbours: refusing is the only safe answer. With a
		// single check digit this is the usual outcome (see TestRepairRate).
		{"ambiguous", "7707083898", innOrBlank, "7707083898", false, false},
		{"ambiguous ОГРН", "1027700132198", ValidOGRN, "1027700132198", false, false},
		{"hopeless", "12", innOrBlank, "12", false, false},
		{"not digits", "77Ж7083893", innOrBlank, "77Ж7083893", false, false},
		{"empty", "", innOrBlank, "", false, false},
		// Letters a code may legitimately hold are not turned into digits.
		{"КПП with Latin reason code", "7736AB001", ValidKPP, "7736AB001", false, true},
		{"КПП with О for zero", "7736О1001", ValidKPP, "773601001", true, true},
	} {
		fixed, repaired, ok := RepairDigits(tc.in, tc.valid)
		if fixed != tc.fixed || repaired != tc.repaired || ok != tc.ok {
			t.Errorf("%s: RepairDigits(%q) = %q, %v, %v; want %q, %v, %v",
				tc.name, tc.in, fixed, repaired, ok, tc.fixed, tc.repaired, tc.ok)
		}
	}
}

func TestRepairCandidates(t *testing.T) {
	t.Parallel()
	got := RepairCandidates("7707083898", ValidINN)
	if !slices.Contains(got, "7707083893") {
		t.Errorf("RepairCandidates = %v, want the true ИНН among them", got)
	}
	for _, c := range got {
		if !ValidINN(c) {
			t.Errorf("candidate %q is not valid", c)
		}
	}
	// Transposition: 7770083893 ← 7707083893 with digits 3 and 4 swapped.
	if got := RepairCandidates("7770083893", ValidINN); !slices.Contains(got, "7707083893") {
		t.Errorf("RepairCandidates(transposed) = %v", got)
	}
}

// TestRepairRate measures what single-digit repair achieves on random valid
// codes with one confusion each: how often it is fixed, refused or — never
// acceptable — "fixed" to a different valid code.
func TestRepairRate(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, kind := range []struct {
		name  string
		make  func() string
		valid func(string) bool
	}{
		{"ИНН-10", func() string {
			b := randDigits(rng, 9)
			c, _ := INNCheckDigits(b)
			return b + c
		}, ValidINN},
		{"ИНН-12", func() string {
			b := randDigits(rng, 10)
			c, _ := INNCheckDigits(b)
			return b + c
		}, ValidINN},
		{"ОГРН", func() string {
			b := "1" + randDigits(rng, 11)
			c, _ := OGRNCheckDigit(b)
			return b + c
		}, ValidOGRN},
		{"р/с", func() string {
			a := "40702810" + "0" + randDigits(rng, 11)
			k, _ := AccountKeyDigit("225", a)
			return a[:8] + k + a[9:]
		}, func(s string) bool { return ValidAccount(s, "044525225") }},
	} {
		const n = 2000
		fixed, refused, wrong := 0, 0, 0
		for i := 0; i < n; i++ {
			orig := kind.make()
			b := []byte(orig)
			p := rng.IntN(len(b))
			alts := digitConfusions[b[p]-'0']
			b[p] = alts[rng.IntN(len(alts))]
			if kind.valid(string(b)) {
				continue // the misread happens to be valid: nothing to repair
			}
			got, _, ok := RepairDigits(string(b), kind.valid)
			switch {
			case !ok:
				refused++
			case got == orig:
				fixed++
			default:
				wrong++
			}
		}
		t.Logf("%s, one confusion: fixed %d, refused %d, wrong %d", kind.name, fixed, refused, wrong)
		if fixed == 0 {
			t.Errorf("%s: nothing repaired", kind.name)
		}
		// A wrong repair happens only when the true code is not among the
		// candidates yet exactly one other is; keep it rare.
		if wrong*20 > fixed+refused+wrong {
			t.Errorf("%s: %d wrong repairs", kind.name, wrong)
		}
	}
}

func randDigits(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rng.IntN(10))
	}
	return string(b)
}

func TestKPPMatchesINN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kpp, inn string
		want     bool
	}{
		{"773601001", "7736050003", true},
		{"770701001", "7736050003", false},
		{"77", "7736050003", false},
		{"", "", false},
		{"ABCD01001", "ABCD050003", false},
	} {
		if got := KPPMatchesINN(tc.kpp, tc.inn); got != tc.want {
			t.Errorf("KPPMatchesINN(%q, %q) = %v, want %v", tc.kpp, tc.inn, got, tc.want)
		}
	}
}

func TestIsIPINN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"500100732259", true},
		{"7707083893", false},
		{"50010073225Х", false},
		{"", false},
	} {
		if got := IsIPINN(tc.in); got != tc.want {
			t.Errorf("IsIPINN(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
