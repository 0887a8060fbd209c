package mail_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/intake"
	"github.com/pervichka/pervichka/intake/mail"
	"github.com/pervichka/pervichka/intake/mail/mailtest"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

func corpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// part is one MIME part of a test message.
type part struct {
	header string // Content-* lines, CRLF-separated, without the final blank line
	body   []byte // encoded as base64 unless header says otherwise
}

func attachment(ctype, name string, body []byte) part {
	return part{header: fmt.Sprintf("Content-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"", ctype, name, name), body: body}
}

func text(s string) part {
	return part{header: "Content-Type: text/plain; charset=utf-8", body: []byte(s)}
}

// message composes a multipart message; raw header lines may be added.
func message(id, from, subject, ctype string, parts ...part) []byte {
	var b bytes.Buffer
	boundary := "b-" + strings.Trim(id, "<>@.")
	fmt.Fprintf(&b, "From: %s\r\nTo: docs@pervichka.test\r\nSubject: =?utf-8?B?%s?=\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n",
		from, base64.StdEncoding.EncodeToString([]byte(subject)), id)
	fmt.Fprintf(&b, "Content-Type: %s; boundary=\"%s\"\r\n\r\n", ctype, boundary)
	writeParts(&b, boundary, parts)
	return b.Bytes()
}

func writeParts(b *bytes.Buffer, boundary string, parts []part) {
	for _, p := range parts {
		fmt.Fprintf(b, "--%s\r\n%s\r\n", boundary, p.header)
		if strings.Contains(p.header, "Content-Type: text/") || strings.Contains(p.header, "message/rfc822") {
			fmt.Fprintf(b, "\r\n%s\r\n", p.body)
			continue
		}
		fmt.Fprintf(b, "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n", wrap(base64.StdEncoding.EncodeToString(p.body)))
	}
	fmt.Fprintf(b, "--%s--\r\n", boundary)
}

func wrap(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

// mailEnv is a real pipeline (submitting only: the mail channel's job ends
// at Submit) on a real database, a receiver, and a Dovecot.
type mailEnv struct {
	db     *db.DB
	recv   *intake.Receiver
	p      *pipeline.Pipeline
	dc     *mailtest.Dovecot
	poller *mail.Poller
}

// maxBytes is the file limit in these tests, so that a "huge" attachment
// need not be 50 MB.
const maxBytes = 1 << 20

func newMailEnv(t *testing.T, dbURL string) *mailEnv {
	t.Helper()
	ctx := t.Context()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := db.Open(ctx, dbURL, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store, err := objects.Open(ctx, objectstest.FileURL(t), log)
	if err != nil {
		t.Fatal(err)
	}
	lim := pervichka.DefaultLimits()
	lim.MaxBytes = maxBytes
	p, err := pipeline.New(pipeline.Config{DB: d, Objects: store, Limits: lim, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	recv := intake.NewReceiver(d, p, log)
	dc := mailtest.Start(t)
	return &mailEnv{db: d, recv: recv, p: p, dc: dc, poller: mail.NewPoller(dc.Mailbox, recv, mail.Options{Logger: log, MaxMessageBytes: 3 * maxBytes})}
}

// want is what one message must become.
type want struct {
	outcome db.MessageOutcome
	files   []string // receipts' file names that became documents, sorted
	refused []string // receipts' refusal codes, sorted
}

func TestMailFromDovecot(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) { testMailFromDovecot(t, e.URL(t)) })
	}
}

func testMailFromDovecot(t *testing.T, dbURL string) {
	ctx := t.Context()
	env := newMailEnv(t, dbURL)
	romashka, _, err := env.db.CreateContractor(ctx, "ООО «Ромашка»", []string{"buh@romashka.ru"})
	if err != nil {
		t.Fatal(err)
	}

	pdf, photo1, photo2 := corpus(t, "001-invoice.pdf"), corpus(t, "002-invoice-photo.jpg"), corpus(t, "004-vat_invoice-photo.jpg")
	inlinePhoto, bodyPhoto, fwdPhoto := corpus(t, "005-upd-photo.jpg"), corpus(t, "009-act-photo.jpg"), corpus(t, "010-act-photo.jpg")
	huge := append([]byte("%PDF-1.4\n"), make([]byte, maxBytes+maxBytes/2)...)
	_, _ = rand.Read(huge[9:])

	forwardedInner := message("<inner@supplier.test>", "supplier@supplier.test", "Акт", "multipart/mixed",
		text("Акт во вложении"), attachment("image/jpeg", "akt.jpg", fwdPhoto))
	html := fmt.Sprintf(`<html><body><p>Счёт-фактура ниже</p><img src="cid:upd@x"><p>и акт:</p><img alt="акт" src="data:image/jpeg;base64,%s"></body></html>`,
		base64.StdEncoding.EncodeToString(bodyPhoto))

	messages := []struct {
		id   string
		raw  []byte
		want want
	}{
		{"<pdf@romashka.ru>", message("<pdf@romashka.ru>", "Бухгалтерия <BUH@romashka.ru>", "Счёт", "multipart/mixed",
			text("Добрый день, счёт во вложении."), attachment("application/pdf", "schet-1.pdf", pdf)),
			want{db.MessageStored, []string{"schet-1.pdf"}, nil}},
		{"<photos@petrov.ru>", message("<photos@petrov.ru>", "petrov@petrov.ru", "Фото документов", "multipart/mixed",
			text("Вот фото"), attachment("image/jpeg", "IMG_0001.jpg", photo1), attachment("image/jpeg", "IMG_0002.jpg", photo2)),
			want{db.MessageStored, []string{"IMG_0001.jpg", "IMG_0002.jpg"}, nil}},
		{"<inline@petrov.ru>", message("<inline@petrov.ru>", "petrov@petrov.ru", "Документы в письме", "multipart/related",
			part{header: "Content-Type: text/html; charset=utf-8", body: []byte(html)},
			part{header: "Content-Type: image/jpeg\r\nContent-ID: <upd@x>\r\nContent-Disposition: inline", body: inlinePhoto},
			part{header: "Content-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Disposition: inline", body: logo(t)}),
			want{db.MessageStored, []string{"body-image-1.jpg", "inline-2.jpg"}, []string{string(pervichka.CodeUnsupported)}}},
		{"<fwd@petrov.ru>", message("<fwd@petrov.ru>", "petrov@petrov.ru", "Fwd: Акт", "multipart/mixed",
			text("Пересылаю"), part{header: "Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"akt.eml\"", body: forwardedInner}),
			want{db.MessageStored, []string{"akt.jpg"}, nil}},
		{"<huge@petrov.ru>", message("<huge@petrov.ru>", "petrov@petrov.ru", "Большой скан", "multipart/mixed",
			text("Скан"), attachment("application/pdf", "scan-600dpi.pdf", huge)),
			want{db.MessageRefused, nil, []string{string(pervichka.CodeTooLarge)}}},
		{"<noboundary@petrov.ru>", []byte("From: petrov@petrov.ru\r\nSubject: broken\r\nMessage-ID: <noboundary@petrov.ru>\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n--zz\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--zz--\r\n"),
			want{db.MessageMalformed, nil, nil}},
		{"<badbase64@petrov.ru>", []byte("From: petrov@petrov.ru\r\nSubject: broken too\r\nMessage-ID: <badbase64@petrov.ru>\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: image/jpeg\r\n" +
			"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"a.jpg\"\r\n\r\n!!!!not base64@@@@\r\n"),
			want{db.MessageMalformed, nil, []string{string(pervichka.CodeUnsupported)}}},
		{"<toobig@petrov.ru>", message("<toobig@petrov.ru>", "petrov@petrov.ru", "Архив сканов", "multipart/mixed",
			text("Всё сразу"), attachment("application/pdf", "all.pdf", append(huge, huge...))),
			want{db.MessageRefused, nil, nil}},
		{"<badbytes@petrov.ru>", []byte("From: petrov@petrov.ru\r\nSubject: \xff\xfe\x00 счёт\r\nMessage-ID: <badbytes@petrov.ru>\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: image/jpeg\r\n" +
			"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"sc\xffan.jpg\"\r\n\r\n" +
			wrap(base64.StdEncoding.EncodeToString(corpus(t, "011-act-photo.jpg"))) + "\r\n--zz--\r\n"),
			want{db.MessageStored, []string{"sc\uFFFDan.jpg"}, nil}},
		{"<hello@petrov.ru>", message("<hello@petrov.ru>", "petrov@petrov.ru", "Привет", "multipart/alternative",
			text("Документы пришлю завтра"), part{header: "Content-Type: text/html; charset=utf-8", body: []byte("<p>Документы пришлю завтра</p>")}),
			want{db.MessageNoDocuments, nil, nil}},
		{"<docx@petrov.ru>", message("<docx@petrov.ru>", "petrov@petrov.ru", "Договор в Word", "multipart/mixed",
			text("Договор"), attachment("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "dogovor.docx", []byte("PK\x03\x04 not really a docx"))),
			want{db.MessageNoDocuments, nil, []string{string(pervichka.CodeUnsupported)}}},
	}
	for _, m := range messages {
		env.dc.Deliver(t, "INBOX", m.raw)
	}
	// The first message again, as a second delivery of the same mail:
	// the same Message-ID and bytes add nothing.
	env.dc.Deliver(t, "INBOX", messages[0].raw)

	st, err := env.poller.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != len(messages)+1 {
		t.Fatalf("poll took %d messages, want %d", st.Messages, len(messages)+1)
	}
	wantDocs := 0
	for _, m := range messages {
		t.Run(strings.Trim(m.id, "<>"), func(t *testing.T) {
			rec, err := env.db.MessageByKey(ctx, m.id)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Outcome != m.want.outcome {
				t.Errorf("outcome %s (%s), want %s", rec.Outcome, rec.Detail, m.want.outcome)
			}
			files, err := env.db.MessageFiles(ctx, m.id)
			if err != nil {
				t.Fatal(err)
			}
			var stored, refused []string
			for _, f := range files {
				if f.Refused() {
					refused = append(refused, f.RefusalCode)
					if f.RefusalReason == "" {
						t.Errorf("%s refused without a reason", f.FileName)
					}
					continue
				}
				stored = append(stored, f.FileName)
				doc, err := env.db.GetDocument(ctx, nil, f.DocumentID)
				if err != nil {
					t.Fatal(err)
				}
				if doc.Source != db.SourceEmail || doc.GroupID == "" || doc.GroupID != f.GroupID {
					t.Errorf("%s: document %+v: want source email and the message's group", f.FileName, doc)
				}
			}
			sort.Strings(stored)
			sort.Strings(refused)
			if !slices.Equal(stored, m.want.files) || !slices.Equal(refused, m.want.refused) {
				t.Errorf("documents %q, refused %q; want %q, %q (detail: %s)", stored, refused, m.want.files, m.want.refused, rec.Detail)
			}
			if rec.Outcome == db.MessageRefused && len(files) == 0 && !strings.Contains(rec.Detail, "больше предела") {
				t.Errorf("a message refused whole must say why: %q", rec.Detail)
			}
			if rec.Documents != len(m.want.files) {
				t.Errorf("message counts %d documents, want %d", rec.Documents, len(m.want.files))
			}
		})
		wantDocs += len(m.want.files)
	}
	first, err := env.db.MessageByKey(ctx, "<pdf@romashka.ru>")
	if err != nil || first.ContractorID != romashka.ID || first.Sender != "buh@romashka.ru" || first.Subject != "Счёт" {
		t.Errorf("the known sender's message: %+v, %v; want contractor %d, bare sender, decoded subject", first, err, romashka.ID)
	}
	if files, _ := env.db.MessageFiles(ctx, "<pdf@romashka.ru>"); len(files) != 1 {
		t.Errorf("the message delivered twice has %d receipts, want 1", len(files))
	}
	docs, err := env.db.ListDocuments(ctx, db.ListFilter{Limit: 100}, db.Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != wantDocs {
		for _, d := range docs {
			t.Logf("document %d %s", d.ID, d.FileName)
		}
		t.Fatalf("%d documents in all, want %d: the letters themselves must not be documents", len(docs), wantDocs)
	}

	// Every message is flagged done and seen.
	for id, flags := range env.dc.Flags(t, "INBOX") {
		if !slices.Contains(flags, imap.Flag(mail.DoneFlag)) || !slices.Contains(flags, imap.FlagSeen) {
			t.Errorf("message %s flags %v: want \\Seen and %s", id, flags, mail.DoneFlag)
		}
	}
	// A second poll finds nothing new.
	st, err = env.poller.Poll(ctx)
	if err != nil || st.Messages != 0 {
		t.Fatalf("second poll: %+v, %v; want nothing", st, err)
	}
	// The admin's list of mail that gave no document.
	for _, o := range []db.MessageOutcome{db.MessageNoDocuments, db.MessageMalformed, db.MessageRefused} {
		list, err := env.db.ListMessages(ctx, o, 0, 10)
		if err != nil || len(list) == 0 {
			t.Errorf("list %s: %d, %v", o, len(list), err)
		}
	}
}

// logo is a small PNG like a company's logo in a signature.
func logo(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 160, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
