package review

import (
	"context"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
)

// TestOriginalDownloadName: a PDF sent as «….html» with a right-to-left
// override in its name downloads as a .pdf, the override gone, and as an
// attachment of no renderable type.
func TestOriginalDownloadName(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	ctx := context.Background()
	e.addUser("ivanova", db.UserClerk)
	sha := strings.Repeat("ab", 32)
	key := objects.HashKey("originals", sha)
	if err := e.store.Put(ctx, key, strings.NewReader("%PDF-1.4 <html>"), 15, "application/pdf"); err != nil {
		t.Fatal(err)
	}
	doc, _, err := e.db.CreateDocument(ctx, nil, db.NewDocument{SHA256: sha, ObjectKey: key, FileName: "акт\u202Efdp.html",
		ContentType: "application/pdf", Size: 15, Source: db.SourceUpload, Sender: "x"})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	if status, _ := c.login("ivanova", testPassword); status != http.StatusSeeOther {
		t.Fatalf("login: %d", status)
	}
	status, _, h := c.get("/review/" + itoa(doc.ID) + "/original")
	disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if status != http.StatusOK || err != nil || disp != "attachment" || params["filename"] != "актfdp.pdf" ||
		h.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("original: %d, Content-Disposition %q, Content-Type %q", status, h.Get("Content-Disposition"), h.Get("Content-Type"))
	}
}
