package review

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestClerkPageBugs: what a clerk saw wrong on the pages (issue 17), each
// checked on the served HTML.
func TestClerkPageBugs(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	c := e.client()
	_, csrf := c.login("ivanova", testPassword)
	good := func(r *pervichka.Result) {
		r.Supplier.INN = goodSupplierINN
		r.ReviewReasons = []string{pervichka.ReasonLowConfidence + ":total"}
	}

	t.Run("queue total counts the rows it lists", func(t *testing.T) {
		// The counts were cached empty before the documents arrived.
		if _, q, _ := c.get("/review"); !strings.Contains(q, `<strong id="total">0</strong>`) {
			t.Fatalf("empty queue total: %.300s", q)
		}
		for i := range 3 {
			e.seed(900+i, nil)
		}
		if _, q, _ := c.get("/review"); !strings.Contains(q, `<strong id="total">3</strong>`) {
			t.Errorf("queue lists 3 documents under another total")
		}
	})

	first := e.seed(1, good)
	second := e.seed(2, good) // the same supplier, number and date
	approve := func(id int64) (int, http.Header) {
		_, page, _ := c.get("/review/" + itoa(id))
		status, _, h := c.post("/review/"+itoa(id)+"/approve", docForm(t, page))
		return status, h
	}
	if status, _ := approve(first); status != http.StatusSeeOther {
		t.Fatalf("approve: %d", status)
	}

	t.Run("a posted document shows no actions and no review box", func(t *testing.T) {
		_, page, _ := c.get("/review/" + itoa(first))
		for _, gone := range []string{`id="approve"`, `id="reject"`, `id="skip"`, "Почему документ на проверке"} {
			if strings.Contains(page, gone) {
				t.Errorf("posted document page has %s", gone)
			}
		}
	})

	t.Run("the ledger's duplicate refusal is an error", func(t *testing.T) {
		status, h := approve(second)
		if status != http.StatusSeeOther {
			t.Fatalf("approve the duplicate: %d", status)
		}
		_, page, _ := c.get(h.Get("Location"))
		if !strings.Contains(page, `class="error" role="alert" id="error">Документ не проведён`) || strings.Contains(page, `class="message"`) {
			t.Errorf("duplicate refusal not in the red box:\n%.3000s", page)
		}
		// Its reason links to the posted document.
		link := `<a href="/review/` + itoa(first) + `">Возможный дубликат: тот же поставщик, номер и дата, что у другого документа №` + itoa(first) + `</a>`
		if !strings.Contains(page, link) {
			t.Errorf("duplicate reason without a link to document %d", first)
		}
	})

	t.Run("an empty reject reason keeps the clerk on the document", func(t *testing.T) {
		id := e.seed(3, nil)
		_, page, _ := c.get("/review/" + itoa(id))
		if !strings.Contains(page, `id="reject-reason" form="rejectform" placeholder="Причина отказа (X)" tabindex="3" maxlength="500" required`) {
			t.Errorf("the reason box is not required")
		}
		status, back, _ := c.post("/review/"+itoa(id)+"/reject", url.Values{"csrf": {csrf}, "reject_reason": {"  "}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(back, `id="docform"`) || !strings.Contains(back, "Укажите причину отказа") {
			t.Errorf("empty reason: %d, document page %v", status, strings.Contains(back, `id="docform"`))
		}
	})

	t.Run("codes, dates and amounts as a clerk reads them", func(t *testing.T) {
		id := e.seed(4, func(r *pervichka.Result) {
			r.VATRate, r.VATAmount = pervichka.VATNone, ""
			r.ReviewReasons = []string{pervichka.ReasonKPPNotINN + ":buyer", pervichka.ReasonLowConfidence + ":items"}
		})
		_, page, _ := c.get("/review/" + itoa(id))
		for _, want := range []string{
			"КПП не соответствует региону ИНН (покупатель)", "Низкая уверенность распознавания (Строки)",
			`name="f.date" id="f.date" data-key="date" value="27.05.2026"`, `name="f.total" id="f.total" data-key="total" value="43 399,59"`,
			`name="f.vat_rate" id="f.vat_rate" data-key="vat_rate" value="без НДС"`, `>Краска водно-дисперсионная белая, 10 л</textarea>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, raw := range []string{"kpp_inn_mismatch", "(items)", `value="none"`, `value="2026-05-27"`} {
			if strings.Contains(page, raw) {
				t.Errorf("page shows the raw %q", raw)
			}
		}
		// Shown that way, the form saves the very same values.
		form := docForm(t, page)
		if status, _, _ := c.post("/review/"+itoa(id)+"/save", form); status != http.StatusSeeOther {
			t.Fatalf("save: %d", status)
		}
		if cs, _ := e.db.Corrections(context.Background(), nil, id); len(cs) != 0 {
			t.Errorf("saving the shown form changed %+v", cs)
		}
	})

	t.Run("favicon", func(t *testing.T) {
		status, body, h := c.get("/favicon.ico")
		if status != 200 || h.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(body, "<svg") {
			t.Errorf("favicon: %d %s", status, h.Get("Content-Type"))
		}
	})
}

func TestEventText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"нужна проверка: kpp_inn_mismatch:buyer, missing:number, duplicate:12",
			"нужна проверка: КПП не соответствует региону ИНН (покупатель); Поле не найдено (Номер); Возможный дубликат: тот же поставщик, номер и дата, что у другого документа №12"},
		{"нужна проверка: low_confidence:items", "нужна проверка: Низкая уверенность распознавания (Строки)"},
		{"отклонён: нечитаемо", "отклонён: нечитаемо"},
	} {
		if got := eventText(tt.in); got != tt.want {
			t.Errorf("eventText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
