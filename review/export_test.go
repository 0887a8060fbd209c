package review

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestExportButtons: an approved (posted) УПД shows «Скачать XML для 1С»
// and no «Платёжка» (not an invoice); the button downloads the ФНС XML;
// a payment order of it is refused with the reason; the queue's download
// by period gives a ZIP of the period's files.
func TestExportButtons(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.srv.cfg.Exporter = e.ledger
	e.addUser("ivanova", db.UserClerk)
	id := e.seed(1, nil)
	c := e.client()
	c.login("ivanova", testPassword)
	_, page, _ := c.get("/review/" + itoa(id))
	if strings.Contains(page, `id="exports"`) {
		t.Fatal("export buttons before approval")
	}
	f := docForm(t, page)
	f.Set("f.supplier.inn", goodSupplierINN)
	if status, _, _ := c.post("/review/"+itoa(id)+"/approve", f); status != http.StatusSeeOther {
		t.Fatalf("approve: %d", status)
	}
	_, page, _ = c.get("/review/" + itoa(id))
	link := "/review/" + itoa(id) + "/export?format=fns-xml"
	if !strings.Contains(page, `href="`+link+`" download>Скачать XML для 1С</a>`) || strings.Contains(page, "Платёжка") {
		t.Fatalf("buttons of the posted УПД:\n%s", page[strings.Index(page, "<h1>"):][:800])
	}
	status, body, h := c.get(link)
	if status != http.StatusOK || h.Get("Content-Type") != "application/xml; charset=windows-1251" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment; filename=ON_NSCHFDOPPR_") || !strings.HasPrefix(body, "<?xml") {
		t.Fatalf("download: %d %v %.200s", status, h, body)
	}
	if status, body, _ := c.get("/review/" + itoa(id) + "/export?format=bank"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "только по счёту на оплату") {
		t.Errorf("payment order of a УПД: %d %.300s", status, body)
	}
	_, queue, _ := c.get("/review")
	if !strings.Contains(queue, `id="export-batch"`) {
		t.Error("no batch download in the queue")
	}
	status, body, h = c.get("/review/export?format=fns-xml&from=2000-01-01&to=2099-12-31")
	if status != http.StatusOK || h.Get("Content-Type") != "application/zip" {
		t.Fatalf("batch: %d %v", status, h)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil || len(zr.File) != 1 || !strings.HasPrefix(zr.File[0].Name, "ON_NSCHFDOPPR_") {
		t.Fatalf("zip: %v %v", err, zr)
	}
	if status, _, _ := c.get("/review/export?format=fns-xml&from=2099-01-01&to=2000-01-01"); status != http.StatusBadRequest {
		t.Errorf("reversed period: %d", status)
	}
}
