package ruvalid

import "testing"

func TestValidINN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"7707083893", true},    // Сбербанк
		{"7707083894", false},   // last digit off
		{"500100732259", true},  // a valid individual ИНН
		{"500100732258", false}, // second check digit off
		{"500100732269", false}, // first check digit off
		{"770708389", false},
		{"77070838933", false},
		{"77O7083893", false},
		{"0000000000", false},
		{"", false},
	} {
		if got := ValidINN(tc.in); got != tc.want {
			t.Errorf("ValidINN(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestValidKPP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"773601001", true},
		{"7736AB001", true},
		{"7736ab001", false},
		{"77360100", false},
		{"77360100X", false},
	} {
		if got := ValidKPP(tc.in); got != tc.want {
			t.Errorf("ValidKPP(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestValidOGRN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"1027700132195", true}, // Сбербанк
		{"1027700132196", false},
		{"304500116000157", true}, // ОГРНИП
		{"304500116000158", false},
		{"102770013219", false},
	} {
		if got := ValidOGRN(tc.in); got != tc.want {
			t.Errorf("ValidOGRN(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestAccounts(t *testing.T) {
	t.Parallel()
	const bik = "044525225" // Сбербанк, Москва
	for _, tc := range []struct {
		name, acc string
		corr      bool
		want      bool
	}{
		{"corr ok", "30101810400000000225", true, true},
		{"corr key off", "30101810500000000225", true, false},
		{"corr wrong tail", "30101810400000000226", true, false},
		{"settlement ok", "40702810938000000001", false, true},
		{"settlement off", "40702810938000000002", false, false},
		{"short", "4070281003800000000", false, false},
	} {
		var got bool
		if tc.corr {
			got = ValidCorrAccount(tc.acc, bik)
		} else {
			got = ValidAccount(tc.acc, bik)
		}
		if got != tc.want {
			t.Errorf("%s: %s = %v, want %v", tc.name, tc.acc, got, tc.want)
		}
	}
	// The generator's key digit makes any account pass.
	k, ok := AccountKeyDigit(bik[6:], "40702810X38000000777"[:8]+"0"+"38000000777"[0:11])
	if !ok {
		t.Fatal("AccountKeyDigit refused a 20-digit account")
	}
	acc := "40702810" + k + "38000000777"[:11]
	if !ValidAccount(acc, bik) {
		t.Errorf("account %s with generated key %s does not validate", acc, k)
	}
}

func TestINNCheckDigitsRoundTrip(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"770708389", "500100732", "5001007322", "123456789", "0000000001"} {
		c, ok := INNCheckDigits(body)
		if !ok || !ValidINN(body+c) {
			t.Errorf("INNCheckDigits(%q) = %q, %v: result does not validate", body, c, ok)
		}
	}
}

func TestPlausibleAccount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s                   string
		account, settlement bool
	}{
		{"40702810200000012345", true, true},
		{"40802810500000601096", true, true},
		{"30101810400000000225", true, false},
		{"14080281050000060109", false, false}, // the window one place early
		{"10702810200000012345", false, false}, // the first digit lost in a border
		{"40702840200000012345", false, false}, // dollars, not roubles
		{"4070281020000001234", false, false},
	} {
		if got := PlausibleAccount(tc.s); got != tc.account {
			t.Errorf("PlausibleAccount(%s) = %v", tc.s, got)
		}
		if got := PlausibleSettlement(tc.s); got != tc.settlement {
			t.Errorf("PlausibleSettlement(%s) = %v", tc.s, got)
		}
	}
}
