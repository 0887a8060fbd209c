package db

import (
	"errors"
	"testing"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestIntakeRecords(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			testIntakeRecords(t, db)
		})
	}
}

func testIntakeRecords(t *testing.T, db *DB) {
	ctx := t.Context()
	c, _, err := db.CreateContractor(ctx, "ИП Петров", []string{"petrov@example.ru"})
	if err != nil {
		t.Fatal(err)
	}
	nd := newDoc("photo")
	var doc Document
	if err := db.InTx(ctx, func(tx *Tx) error {
		doc, _, err = db.CreateDocument(ctx, tx, nd)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// The same bytes by upload, then by e-mail: two receipts of one document.
	up, ins, err := db.RecordIntakeFile(ctx, IntakeFile{Channel: SourceUpload, ContractorID: c.ID, Sender: c.Name,
		FileName: "фото.jpg", SHA256: nd.SHA256, Size: 10, DocumentID: doc.ID, CreatedDocument: true, GroupID: "g1"})
	if err != nil || !ins || up.ID == 0 || !up.CreatedDocument || up.ContractorID != c.ID || up.GroupID != "g1" {
		t.Fatalf("upload receipt: %+v, inserted=%v, %v", up, ins, err)
	}
	mail := IntakeFile{Channel: SourceEmail, ContractorID: c.ID, Sender: "petrov@example.ru", MessageKey: "<m1@example.ru>",
		FileName: "scan.jpg", SHA256: nd.SHA256, Size: 10, DocumentID: doc.ID}
	em, ins, err := db.RecordIntakeFile(ctx, mail)
	if err != nil || !ins || em.CreatedDocument || em.MessageKey != "<m1@example.ru>" {
		t.Fatalf("e-mail receipt: %+v, inserted=%v, %v", em, ins, err)
	}
	// The message fetched again: the same record, not a second one.
	again, ins, err := db.RecordIntakeFile(ctx, mail)
	if err != nil || ins || again.ID != em.ID {
		t.Fatalf("e-mail receipt again: %+v, inserted=%v, %v; want the first (%d)", again, ins, err, em.ID)
	}
	receipts, err := db.DocumentReceipts(ctx, doc.ID)
	if err != nil || len(receipts) != 2 || receipts[0].Channel != SourceUpload || receipts[1].Channel != SourceEmail {
		t.Fatalf("receipts: %+v, %v", receipts, err)
	}

	// A refused file has a reason and no document.
	big := IntakeFile{Channel: SourceEmail, Sender: "x@example.ru", MessageKey: "<m2@example.ru>", FileName: "huge.pdf",
		SHA256: sha("huge"), Size: 1 << 30, RefusalCode: "too_large", RefusalReason: "файл больше 50 МБ"}
	if r, _, err := db.RecordIntakeFile(ctx, big); err != nil || !r.Refused() || r.DocumentID != 0 || r.RefusalReason != big.RefusalReason {
		t.Fatalf("refused: %+v, %v", r, err)
	}
	for name, bad := range map[string]IntakeFile{
		"neither":     {Channel: SourceUpload, SHA256: sha("a")},
		"both":        {Channel: SourceUpload, SHA256: sha("a"), DocumentID: doc.ID, RefusalCode: "x"},
		"bad channel": {Channel: "fax", SHA256: sha("a"), DocumentID: doc.ID},
		"bad sha":     {Channel: SourceUpload, SHA256: "abc", DocumentID: doc.ID},
	} {
		if _, _, err := db.RecordIntakeFile(ctx, bad); err == nil {
			t.Errorf("%s: recorded", name)
		}
	}
	files, err := db.ContractorFiles(ctx, c.ID, 10)
	if err != nil || len(files) != 2 || files[0].ID != em.ID {
		t.Fatalf("contractor files: %+v, %v; want 2, newest first", files, err)
	}

	// Messages: recorded once, updated when seen again.
	m, err := db.RecordMessage(ctx, IntakeMessage{Mailbox: "INBOX", MessageKey: "<m3@example.ru>", Sender: "a@b.ru",
		Subject: "Привет", Outcome: MessageNoDocuments, Detail: "нет вложений"})
	if err != nil || m.ID == 0 || m.Outcome != MessageNoDocuments {
		t.Fatalf("record message: %+v, %v", m, err)
	}
	m2, err := db.RecordMessage(ctx, IntakeMessage{Mailbox: "INBOX", MessageKey: "<m3@example.ru>", Sender: "a@b.ru",
		Subject: "Привет", Outcome: MessageStored, Documents: 1})
	if err != nil || m2.ID != m.ID || m2.Outcome != MessageStored || m2.Documents != 1 || !m2.ReceivedAt.Equal(m.ReceivedAt) {
		t.Fatalf("record message again: %+v, %v", m2, err)
	}
	if _, err := db.RecordMessage(ctx, IntakeMessage{Mailbox: "INBOX", MessageKey: "<m4@example.ru>", Outcome: "lost"}); err == nil {
		t.Fatal("an unknown outcome was recorded")
	}
	if _, err := db.RecordMessage(ctx, IntakeMessage{Mailbox: "INBOX", MessageKey: "<m5@example.ru>", Outcome: MessageMalformed, Detail: "bad"}); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListMessages(ctx, MessageMalformed, 0, 10)
	if err != nil || len(list) != 1 || list[0].MessageKey != "<m5@example.ru>" {
		t.Fatalf("list malformed: %+v, %v", list, err)
	}
	all, err := db.ListMessages(ctx, "", 0, 10)
	if err != nil || len(all) != 2 || all[0].MessageKey != "<m5@example.ru>" {
		t.Fatalf("list all: %+v, %v", all, err)
	}
	// Paged: one at a time, newest first, the last id as the cursor.
	first, err := db.ListMessages(ctx, "", 0, 1)
	if err != nil || len(first) != 1 || first[0].ID != all[0].ID {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	second, err := db.ListMessages(ctx, "", first[0].ID, 1)
	if err != nil || len(second) != 1 || second[0].ID != all[1].ID {
		t.Fatalf("second page: %+v, %v", second, err)
	}
	if rest, err := db.ListMessages(ctx, "", second[0].ID, 1); err != nil || len(rest) != 0 {
		t.Fatalf("past the end: %+v, %v", rest, err)
	}
	if _, err := db.MessageByKey(ctx, "<nope>"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown message: %v", err)
	}
}
