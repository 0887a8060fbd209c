package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka/intake/mail/mailtest"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// TestServeIntake is the intake channels as an admin sets them up: a
// contractor added with `pervichka contractor add`, a serve process polling
// a real Dovecot named by PERVICHKA_IMAP_1_URL, the contractor's link used,
// the same photo mailed too, mail without a document listed for the admin,
// and the link revoked.
func TestServeIntake(t *testing.T) {
	dc := mailtest.Start(t)
	dbURL, storeURL := dbtest.SQLiteURL(t), objectstest.FileURL(t)
	runBinary(t, "migrate", "--db", dbURL)
	out := runBinary(t, "contractor", "add", "--name", "ИП Петров", "--email", "Petrov@petrov.ru", "--base-url", "http://pervichka.example/", "--db", dbURL)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	link := lines[len(lines)-1]
	token, ok := strings.CutPrefix(link, "http://pervichka.example/u/pvu_")
	if !ok || len(token) < 40 {
		t.Fatalf("contractor add printed %q: want the link alone on the last line", out)
	}
	token = "pvu_" + token
	out = runBinary(t, "token", "create", "--name", "ops", "--role", "admin", "--db", dbURL)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	admin := lines[len(lines)-1]

	mb := dc.Mailbox
	t.Setenv("PERVICHKA_IMAP_1_URL", fmt.Sprintf("imap://%s:%s@%s/INBOX?plaintext=allow", mb.User, url.QueryEscape(mb.Password), mb.Addr))
	t.Setenv("PERVICHKA_IMAP_INTERVAL", "1s")
	srv := startServer(t, dbURL, storeURL)

	resp, err := http.Get(srv.url + "/u/" + token)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "ИП Петров") {
		t.Fatalf("link: %d\n%.300s", resp.StatusCode, page)
	}

	photo, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "009-act-photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "акт.jpg")
	_, _ = fw.Write(photo)
	_ = w.Close()
	resp, err = http.Post(srv.url+"/u/"+token+"/files", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	var up struct {
		Files []struct {
			DocumentID int64 `json:"document_id"`
		} `json:"files"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&up); err != nil || resp.StatusCode != 200 || len(up.Files) != 1 || up.Files[0].DocumentID == 0 {
		t.Fatalf("upload: %d %+v %v", resp.StatusCode, up, err)
	}
	resp.Body.Close()
	docID := up.Files[0].DocumentID

	dc.Deliver(t, "INBOX", []byte("From: petrov@petrov.ru\r\nTo: docs@pervichka.example\r\nSubject: akt\r\nMessage-ID: <akt@petrov.ru>\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nАкт\r\n"+
		"--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"akt.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"+
		base64.StdEncoding.EncodeToString(photo)+"\r\n--b--\r\n"))
	dc.Deliver(t, "INBOX", []byte("From: someone@example.com\r\nSubject: hello\r\nMessage-ID: <hello@example.com>\r\n\r\nДокументы завтра\r\n"))

	adminGet := func(path string, v any) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if v != nil {
			_ = json.NewDecoder(resp.Body).Decode(v)
		}
		return resp.StatusCode
	}
	var msgs struct {
		Messages []struct {
			MessageID string `json:"message_id"`
			Outcome   string `json:"outcome"`
			Sender    string `json:"sender"`
		} `json:"messages"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(msgs.Messages) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the poller recorded %d messages in 30 s:\n%s\n%s", len(msgs.Messages), srv.out.String(), dc.Logs())
		}
		time.Sleep(300 * time.Millisecond)
		if code := adminGet("/intake/messages", &msgs); code != 200 {
			t.Fatalf("/intake/messages: %d", code)
		}
	}
	outcomes := map[string]string{}
	for _, m := range msgs.Messages {
		outcomes[m.MessageID] = m.Outcome
	}
	if outcomes["<akt@petrov.ru>"] != "stored" || outcomes["<hello@example.com>"] != "no_documents" {
		t.Fatalf("outcomes %v", outcomes)
	}
	var recs struct {
		Receipts []struct {
			Channel         string `json:"channel"`
			CreatedDocument bool   `json:"created_document"`
		} `json:"receipts"`
	}
	if code := adminGet(fmt.Sprintf("/intake/documents/%d/receipts", docID), &recs); code != 200 || len(recs.Receipts) != 2 ||
		recs.Receipts[0].Channel != "upload" || !recs.Receipts[0].CreatedDocument || recs.Receipts[1].Channel != "email" || recs.Receipts[1].CreatedDocument {
		t.Fatalf("receipts of document %d: %d %+v; want the upload, then the e-mail linked to it", docID, code, recs)
	}
	// Paged like every list: one at a time, newest first, next_cursor null at the end.
	var seen []string
	for cursor, n := "", 0; ; n++ {
		var p struct {
			Messages []struct {
				MessageID string `json:"message_id"`
			} `json:"messages"`
			NextCursor *string `json:"next_cursor"`
		}
		if code := adminGet("/intake/messages?limit=1&cursor="+cursor, &p); code != 200 || n > 3 {
			t.Fatalf("page %d: %d", n, code)
		}
		for _, m := range p.Messages {
			seen = append(seen, m.MessageID)
		}
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
	}
	if len(seen) != 2 || seen[0] != msgs.Messages[0].MessageID || seen[1] != msgs.Messages[1].MessageID {
		t.Errorf("paged %v, want %v %v", seen, msgs.Messages[0].MessageID, msgs.Messages[1].MessageID)
	}
	if code := adminGet("/intake/messages?outcome=lost", nil); code != 400 {
		t.Fatalf("bad outcome: %d", code)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.url+"/intake/messages", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("/intake/messages without a token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	list := runBinary(t, "intake", "mail", "--outcome", "no_documents", "--db", dbURL)
	if !strings.Contains(list, "<hello@example.com>") || strings.Contains(list, "<akt@petrov.ru>") {
		t.Errorf("intake mail --outcome no_documents:\n%s", list)
	}

	runBinary(t, "contractor", "revoke", "--name", "ИП Петров", "--db", dbURL)
	resp, err = http.Get(srv.url + "/u/" + token)
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(string(page), "Ссылка не найдена") {
		t.Fatalf("revoked link: %d\n%.300s", resp.StatusCode, page)
	}
	if list := runBinary(t, "contractor", "list", "--db", dbURL); !strings.Contains(list, "petrov@petrov.ru") || strings.Contains(list, "pvu_") {
		t.Errorf("contractor list:\n%s", list)
	}
}
