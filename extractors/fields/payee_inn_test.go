package fields

import (
	"context"
	"slices"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// cellRereader reads text in every box that takes in the middle of the
// page word word, and second instead once a box has been read (the cell
// read again with a margin); elsewhere it reads the page.
type cellRereader struct {
	pageRereader
	word         string
	text, second string
	read         *int
}

func (r cellRereader) ReadLine(ctx context.Context, page int, box pervichka.Rect, whitelist string) (string, float64, error) {
	for _, w := range r.pages[page].Words {
		cx, cy := (w.Box.X0+w.Box.X1)/2, (w.Box.Y0+w.Box.Y1)/2
		if w.Text == r.word && box.X0 <= cx && cx <= box.X1 && box.Y0 <= cy && cy <= box.Y1 {
			*r.read++
			if *r.read > 1 {
				return r.second, r.conf, nil
			}
			return r.text, r.conf, nil
		}
	}
	return r.pageRereader.ReadLine(ctx, page, box, whitelist)
}

// A sole trader's bill printing its ИНН only in the payee's requisites,
// the cell read as a letter (study seed 10281's bill 001: «ИНН и Р/с №
// 40802…»): the cell is read again as digits, and a valid ИНН that a
// second crop with a margin reads alike is the supplier's, with that
// second reading as its evidence. Disagreeing or invalid readings, or a
// label away from the account's line, leave the ИНН missing.
func TestPayeeINNReadAgain(t *testing.T) {
	t.Parallel()
	bill := func(innLine string) []string {
		lines := edit(invoice1C,
			"ИНН 7701234560 @25 КПП 770101001 @60 Сч. № @66 40702810200000012345", innLine,
			"ООО «Ромашка»\n", "ИП Кудрявцева Юлия Романовна",
			"Поставщик @12 ООО «Ромашка», ИНН 7701234560, КПП 770101001,", "Поставщик @12 ИП Кудрявцева Юлия Романовна,")
		lines[4] = "ИП Кудрявцева Юлия Романовна"
		return append(lines, "Предприниматель @30 Кудрявцева Ю. Р.")
	}
	const onAccountLine = "ИНН @7 и @60 Сч. № @66 40702810200000012345"
	for _, tc := range []struct {
		name, line, text, second, want string
	}{
		{"read twice alike", onAccountLine, "234336690223", "234336690223", "234336690223"},
		{"margin disagrees", onAccountLine, "234336690223", "234336690233", ""},
		{"invalid", onAccountLine, "234336690224", "234336690224", ""},
		{"not on the account's line", "ИНН @7 и", "234336690223", "234336690223", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lines := bill(tc.line)
			if tc.line != onAccountLine {
				lines = append(lines[:3:3], append([]string{tc.line, "@60 Сч. № @66 40702810200000012345"}, lines[4:]...)...)
			}
			ocr := pageScaled(1, 0.95, lines...)
			rr := cellRereader{pageRereader: pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95}, word: "и", text: tc.text, second: tc.second, read: new(int)}
			res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), rr)
			if string(res.Supplier.INN) != tc.want {
				t.Fatalf("supplier %+v, reasons %v", res.Supplier, res.ReviewReasons)
			}
			if tc.want == "" {
				if !hasReason(res, "missing:supplier.inn") {
					t.Errorf("reasons %v, want missing:supplier.inn", res.ReviewReasons)
				}
				return
			}
			if ev := res.Evidence["supplier.inn"]; !slices.Contains(ev, pervichka.EvidenceSecondReading) || !slices.Contains(ev, pervichka.EvidenceCheckDigit) {
				t.Errorf("evidence %v, want check digits and a second reading", ev)
			}
		})
	}
}

// The grid's «ИНН» label garbled with its value (study seed 10301's bill
// 013: «vel он КПП 610401001 Р/с № 40702…»): what stands before the КПП is
// read as digits, and an ИНН at the reading's end that passes the check in
// the КПП's region, read alike twice, is the supplier's.
func TestPayeeINNGarbledLabel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, kpp, text, want string
	}{
		{"region of the КПП", "770101001", "7701234560", "7701234560"},
		{"label read as digits", "770101001", "117701234560", "7701234560"},
		{"another region", "500301001", "7701234560", ""},
		{"invalid", "770101001", "7701234561", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lines := edit(invoice1C,
				"ИНН 7701234560 @25 КПП 770101001 @60 Сч. № @66 40702810200000012345", "vel @5 он @25 КПП @29 "+tc.kpp+" @60 Сч. № @66 40702810200000012345",
				"Поставщик @12 ООО «Ромашка», ИНН 7701234560, КПП 770101001,", "Поставщик @12 ООО «Ромашка»,")
			ocr := pageScaled(1, 0.95, lines...)
			rr := cellRereader{pageRereader: pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95}, word: "он", text: tc.text, second: tc.text, read: new(int)}
			res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), rr)
			if string(res.Supplier.INN) != tc.want {
				t.Fatalf("supplier %+v, reasons %v", res.Supplier, res.ReviewReasons)
			}
			if tc.want == "" && !hasReason(res, "missing:supplier.inn") {
				t.Errorf("reasons %v, want missing:supplier.inn", res.ReviewReasons)
			}
		})
	}
}
