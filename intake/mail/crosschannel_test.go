package mail_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pervichka/pervichka/intake/upload"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestSamePhotoMailedAndUploaded: a contractor uploads a photo through the
// link and e-mails the same photo; both receipts point at one document,
// which was created (and its processing enqueued) once. The contractor's
// page lists both, the e-mailed one marked as already received.
func TestSamePhotoMailedAndUploaded(t *testing.T) {
	ctx := t.Context()
	env := newMailEnv(t, dbtest.SQLiteURL(t))
	c, token, err := env.db.CreateContractor(ctx, "ИП Петров", []string{"petrov@petrov.ru"})
	if err != nil {
		t.Fatal(err)
	}
	photo := corpus(t, "011-act-photo.jpg")

	srv := httptest.NewServer(upload.New("/u/", upload.Config{Receiver: env.recv}))
	t.Cleanup(srv.Close)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "акт.jpg")
	_, _ = fw.Write(photo)
	_ = w.Close()
	resp, err := http.Post(srv.URL+"/u/"+token+"/files", w.FormDataContentType(), &body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("upload: %v %v", resp, err)
	}
	resp.Body.Close()

	env.dc.Deliver(t, "INBOX", message("<same@petrov.ru>", "petrov@petrov.ru", "Акт", "multipart/mixed",
		text("Акт ещё и почтой"), attachment("image/jpeg", "IMG_2001.jpg", photo)))
	if _, err := env.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}

	docs, err := env.db.ListDocuments(ctx, db.ListFilter{Limit: 10}, db.Cursor{})
	if err != nil || len(docs) != 1 {
		t.Fatalf("%d documents, %v; want one", len(docs), err)
	}
	doc := docs[0]
	receipts, err := env.db.DocumentReceipts(ctx, doc.ID)
	if err != nil || len(receipts) != 2 {
		t.Fatalf("receipts %+v, %v", receipts, err)
	}
	if r := receipts[0]; r.Channel != db.SourceUpload || !r.CreatedDocument || r.ContractorID != c.ID {
		t.Errorf("first receipt %+v: want the upload, which created the document", r)
	}
	if r := receipts[1]; r.Channel != db.SourceEmail || r.CreatedDocument || r.ContractorID != c.ID || r.MessageKey != "<same@petrov.ru>" {
		t.Errorf("second receipt %+v: want the e-mail, linked, attributed to the contractor", r)
	}
	// Processed once: the document was received once and is still the
	// upload's (one creation event, no second ingest).
	events, err := env.db.Events(ctx, doc.ID)
	if err != nil || len(events) != 1 || doc.Source != db.SourceUpload {
		t.Fatalf("events %+v, %v; want the one creation event of the upload", events, err)
	}
	var jobs int
	if err := env.db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'ingest'`).Scan(&jobs); err != nil || jobs != 1 {
		t.Fatalf("%d ingest jobs, %v; want 1", jobs, err)
	}

	resp, err = http.Get(srv.URL + "/u/" + token + "/files")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Files []upload.FileStatus }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list.Files) != 2 {
		t.Fatalf("contractor's list: %+v, %v", list, err)
	}
	if f := list.Files[0]; f.Channel != "email" || !f.Duplicate || f.DocumentID != doc.ID || f.Note == "" {
		t.Errorf("the e-mailed copy on the page: %+v", f)
	}
}
