package ruvalid

import "testing"

func TestPersonName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		first, patronymic string
		want              Gender
		ok                bool
	}{
		{"Юлия", "Романовна", Female, true},
		{"Игорь", "Павлович", Male, true},
		{"Ксения", "Николаевна", Female, true},
		{"Николай", "Олегович", Male, true},
		{"Дмитрий", "Дмитриевич", Male, true},
		{"Юрий", "Юрьевич", Male, true},
		{"Мария", "Ильинична", Female, true},
		{"Пётр", "Петрович", Male, true},
		{"Петр", "Петрович", Male, true},
		{"ФЁДОР", "МИХАЙЛОВИЧ", Male, true},
		{"Алексей", "Сергеевич", Male, true},
		{"Айдар", "Ильдарович", Male, true},
		// Gender of the first name and the patronymic disagree.
		{"Александр", "Ивановна", GenderUnknown, false},
		{"Александра", "Иванович", GenderUnknown, false},
		// OCR damage: a letter lost, a stroke for a letter, a Latin twin.
		{"Игорь", "Павлоич", GenderUnknown, false},
		{"Игорь", "Павло|ич", GenderUnknown, false},
		{"Юлня", "Романовна", GenderUnknown, false},
		{"Юлия", "Poмановна", GenderUnknown, false},
		{"Юлия", "Ромaновна", GenderUnknown, false},
		// Not a patronymic formed by rule: Никита gives Никитич, not
		// Никитович; Павел gives Павлович, not Павелович.
		{"Иван", "Никитович", GenderUnknown, false},
		{"Иван", "Павелович", GenderUnknown, false},
		{"", "Иванович", GenderUnknown, false},
		{"Иван", "", GenderUnknown, false},
	}
	for _, tt := range tests {
		g, ok := PersonName(tt.first, tt.patronymic)
		if g != tt.want || ok != tt.ok {
			t.Errorf("PersonName(%q, %q) = %v, %v; want %v, %v", tt.first, tt.patronymic, g, ok, tt.want, tt.ok)
		}
	}
}
