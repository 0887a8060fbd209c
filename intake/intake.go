// Package intake receives documents from the channels contractors use
// without installing anything — an upload link opened on a phone
// (intake/upload) and e-mail (intake/mail) — and hands every file to the
// pipeline's Submit, recording each receipt.
//
// A receipt (db.IntakeFile) names the document the file became. The same
// bytes sent again, by the same channel or another, become no new document:
// Submit returns the first one, and the new receipt points at it. That is how
// a photo both e-mailed and uploaded is linked, not processed twice. A file
// the pipeline refuses (too large, not a PDF or an image, empty) is recorded
// as refused with its Russian reason, so that nothing received is lost
// silently.
package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// Submitter is the pipeline's entry point (*pipeline.Pipeline).
type Submitter interface {
	Submit(ctx context.Context, u pipeline.Upload) (db.Document, bool, error)
}

// Origin is where a file came from.
type Origin struct {
	Channel      db.Source
	ContractorID int64  // 0 when the sender is not a known contractor
	Sender       string // the contractor's name, or the e-mail address
	MessageKey   string // the e-mail's Message-ID (or raw hash); "" for an upload
	GroupID      string // shared by the files of one upload or one message
}

// actor names the channel in a document's first event.
func (o Origin) actor() string {
	if o.Channel == db.SourceEmail {
		return "intake:email"
	}
	return "intake:upload"
}

// Receiver submits received files and records their receipts.
type Receiver struct {
	db     *db.DB
	submit Submitter
	log    *slog.Logger
}

// NewReceiver returns a Receiver submitting to s and recording in d.
func NewReceiver(d *db.DB, s Submitter, log *slog.Logger) *Receiver {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Receiver{db: d, submit: s, log: log}
}

// DB is the database receipts are recorded in.
func (r *Receiver) DB() *db.DB { return r.db }

// Receive submits one file and records its receipt. A file the pipeline
// refuses for what it is (a *pervichka.Error: too large, unsupported type,
// empty) is recorded as refused and is not an error: the receipt says so. An
// error is returned only when nothing could be recorded (storage or database
// trouble); the caller should keep the file and try again later.
//
// For an e-mail, Receive is idempotent by message and content: a message
// fetched again yields the first receipt and submits nothing new (Submit of
// the same bytes returns the same document anyway).
func (r *Receiver) Receive(ctx context.Context, o Origin, name string, body []byte) (db.IntakeFile, error) {
	name, o = CleanText(name, maxNameRunes), o.clean()
	sum := sha256.Sum256(body)
	rec := db.IntakeFile{
		Channel: o.Channel, ContractorID: o.ContractorID, Sender: o.Sender, MessageKey: o.MessageKey,
		FileName: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body)), GroupID: o.GroupID,
	}
	doc, created, err := r.submit.Submit(ctx, pipeline.Upload{
		Name: name, Body: body, Source: o.Channel, Sender: o.Sender, GroupID: o.GroupID, Actor: o.actor(),
	})
	var perr *pervichka.Error
	switch {
	case errors.As(err, &perr) && perr.Code.Permanent():
		rec.RefusalCode, rec.RefusalReason = string(perr.Code), refusalText(perr, name)
	case err != nil:
		return db.IntakeFile{}, fmt.Errorf("receive %q: %w", name, err)
	default:
		rec.DocumentID, rec.CreatedDocument = doc.ID, created
	}
	stored, _, err := r.db.RecordIntakeFile(ctx, rec)
	if err != nil {
		return db.IntakeFile{}, fmt.Errorf("receive %q: %w", name, err)
	}
	r.log.Info("file received", "channel", o.Channel, "sender", o.Sender, "file", name,
		"document", stored.DocumentID, "new", stored.CreatedDocument, "refused", stored.RefusalCode)
	return stored, nil
}

// Refuse records a file that the channel itself refused before the pipeline
// saw it (an e-mail attachment that is not a PDF nor an image, a message over
// the size limit), so that the admin sees it.
func (r *Receiver) Refuse(ctx context.Context, o Origin, name string, body []byte, code pervichka.ErrorCode, reason string) (db.IntakeFile, error) {
	name, o = CleanText(name, maxNameRunes), o.clean()
	reason = CleanText(reason, 2000)
	sum := sha256.Sum256(body)
	rec, _, err := r.db.RecordIntakeFile(ctx, db.IntakeFile{
		Channel: o.Channel, ContractorID: o.ContractorID, Sender: o.Sender, MessageKey: o.MessageKey,
		FileName: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body)), GroupID: o.GroupID,
		RefusalCode: string(code), RefusalReason: reason,
	})
	if err != nil {
		return db.IntakeFile{}, fmt.Errorf("refuse %q: %w", name, err)
	}
	return rec, nil
}

// maxNameRunes bounds a file name or a sender as recorded.
const maxNameRunes = 255

// CleanText makes text from a sender (a file name, a subject, an address)
// safe to store: valid UTF-8 (bad bytes become U+FFFD), no NUL (Postgres
// text refuses it), at most max runes. A message with a broken header must
// be recorded like any other, not wedge the mailbox by failing its insert.
func CleanText(s string, max int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

func (o Origin) clean() Origin {
	o.Sender = CleanText(o.Sender, maxNameRunes)
	o.MessageKey = CleanText(o.MessageKey, 998) // a header line's limit
	return o
}

// refusalText is the Russian reason a contractor reads.
func refusalText(e *pervichka.Error, name string) string {
	msg := e.Message()
	if name != "" {
		msg = name + ": " + msg
	}
	return msg
}
