package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// IntakeFile records one file as an intake channel received it: which
// document it became, or why it was refused. The same bytes sent twice, by
// either channel, yield two IntakeFiles pointing at one document; only the
// first has CreatedDocument set. This is how a duplicate across channels is
// linked rather than processed twice.
type IntakeFile struct {
	ID              int64
	Channel         Source
	ContractorID    int64  // 0 when the sender is not a known contractor
	Sender          string // the contractor's name or the e-mail address
	MessageKey      string // the e-mail's key (see IntakeMessage); "" for an upload
	FileName        string
	SHA256          string
	Size            int64
	DocumentID      int64 // 0 when refused
	CreatedDocument bool  // this receipt created the document (it was not a duplicate)
	RefusalCode     string
	RefusalReason   string // Russian, for the sender and the admin
	GroupID         string
	CreatedAt       time.Time
}

// Refused reports whether the file was refused rather than stored.
func (f IntakeFile) Refused() bool { return f.RefusalCode != "" }

// MessageOutcome is what became of an e-mail message.
type MessageOutcome string

const (
	// MessageStored: every usable file of the message is stored (some may
	// have been refused, as recorded in intake_files).
	MessageStored MessageOutcome = "stored"
	// MessageNoDocuments: the message had no PDF or image to take.
	MessageNoDocuments MessageOutcome = "no_documents"
	// MessageRefused: the message had files, and every one was refused
	// (too large, unreadable), or the message itself was over the limit.
	MessageRefused MessageOutcome = "refused"
	// MessageMalformed: the MIME structure could not be parsed; whatever
	// parts could be recovered were still taken.
	MessageMalformed MessageOutcome = "malformed"
)

// IntakeMessage records one e-mail message, whatever became of it.
type IntakeMessage struct {
	ID           int64
	Mailbox      string
	MessageKey   string // the Message-ID, or "sha256:<hex>" of the raw message
	Sender       string
	Subject      string
	ContractorID int64
	Outcome      MessageOutcome
	Detail       string
	Documents    int // files stored as documents (new or duplicate)
	ReceivedAt   time.Time
	UpdatedAt    time.Time
}

// intakeSQL is written once: every statement reads the same on SQLite and
// Postgres (ON CONFLICT … DO NOTHING/UPDATE, RETURNING and CAST are common
// to both); only how a boolean is passed differs (createdArg).
var intakeSQL = struct {
	insertFile, fileByMessage, filesOfContractor, filesOfDocument, filesOfMessage string
	upsertMessage, messageByKey, listMessages                                     string
}{
	insertFile: `INSERT INTO intake_files (channel, contractor_id, sender, message_key, file_name, sha256,
		size_bytes, document_id, created_document, refusal_code, refusal_reason, group_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (message_key, sha256) DO NOTHING RETURNING ` + intakeFileCols,
	fileByMessage:     `SELECT ` + intakeFileCols + ` FROM intake_files WHERE message_key = $1 AND sha256 = $2`,
	filesOfContractor: `SELECT ` + intakeFileCols + ` FROM intake_files WHERE contractor_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
	filesOfDocument:   `SELECT ` + intakeFileCols + ` FROM intake_files WHERE document_id = $1 ORDER BY created_at, id`,
	filesOfMessage:    `SELECT ` + intakeFileCols + ` FROM intake_files WHERE message_key = $1 ORDER BY created_at, id`,
	upsertMessage: `INSERT INTO intake_messages (mailbox, message_key, sender, subject, contractor_id, outcome,
		detail, documents, received_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
		ON CONFLICT (message_key) DO UPDATE SET outcome = excluded.outcome, detail = excluded.detail,
		documents = excluded.documents, contractor_id = excluded.contractor_id, updated_at = excluded.updated_at
		RETURNING ` + intakeMessageCols,
	messageByKey: `SELECT ` + intakeMessageCols + ` FROM intake_messages WHERE message_key = $1`,
	// Newest first by id: a message's row is made at its first receipt,
	// so ids follow received_at, and the id is the page cursor.
	listMessages: `SELECT ` + intakeMessageCols + ` FROM intake_messages
		WHERE (CAST($1 AS TEXT) = '' OR outcome = $1) AND (CAST($2 AS BIGINT) = 0 OR id < $2)
		ORDER BY id DESC LIMIT $3`,
}

// createdArg passes created_document: INTEGER 0/1 on SQLite, boolean on
// Postgres.
func (db *DB) createdArg(b bool) any {
	if db.dialect == Postgres {
		return b
	}
	if b {
		return 1
	}
	return 0
}

const intakeFileCols = `id, channel, contractor_id, sender, message_key, file_name, sha256, size_bytes,
	document_id, created_document, refusal_code, refusal_reason, group_id, created_at`

const intakeMessageCols = `id, mailbox, message_key, sender, subject, contractor_id, outcome, detail,
	documents, received_at, updated_at`

// RecordIntakeFile stores the record of a received file and returns it as
// stored. A file of an e-mail message already recorded (same message key and
// bytes: the message was fetched again) is not recorded twice: the first
// record comes back with inserted=false. A file must have either a document
// or a refusal.
func (db *DB) RecordIntakeFile(ctx context.Context, f IntakeFile) (rec IntakeFile, inserted bool, err error) {
	op := fmt.Sprintf("record intake file %q", f.FileName)
	switch {
	case f.Channel != SourceUpload && f.Channel != SourceEmail:
		return IntakeFile{}, false, fmt.Errorf("%s: channel %q is neither upload nor email", op, f.Channel)
	case (f.DocumentID == 0) == (f.RefusalCode == ""):
		return IntakeFile{}, false, fmt.Errorf("%s: a file has either a document or a refusal", op)
	case !sha256Hex.MatchString(f.SHA256):
		return IntakeFile{}, false, fmt.Errorf("%s: sha256 %q is not 64 lowercase hex digits", op, f.SHA256)
	}
	q := intakeSQL
	rec, err = scanIntakeFile(db.conn().queryRow(ctx, q.insertFile,
		string(f.Channel), nullID(f.ContractorID), f.Sender, nullString(f.MessageKey), f.FileName, f.SHA256,
		f.Size, nullID(f.DocumentID), db.createdArg(f.CreatedDocument), nullString(f.RefusalCode),
		nullString(f.RefusalReason), nullString(f.GroupID), db.q.timeArg(now())))
	if err == nil {
		return rec, true, nil
	}
	if !noRows(err) {
		return IntakeFile{}, false, db.q.translate(op, err)
	}
	// DO NOTHING: the message's file is already recorded.
	rec, err = scanIntakeFile(db.conn().queryRow(ctx, q.fileByMessage, f.MessageKey, f.SHA256))
	if err != nil {
		return IntakeFile{}, false, db.q.translate(op, err)
	}
	return rec, false, nil
}

// ContractorFiles returns the contractor's most recent received files, newest
// first, at most limit.
func (db *DB) ContractorFiles(ctx context.Context, contractorID int64, limit int) ([]IntakeFile, error) {
	return db.intakeFiles(ctx, fmt.Sprintf("files of contractor %d", contractorID), intakeSQL.filesOfContractor, contractorID, limit)
}

// DocumentReceipts returns every receipt of a document, first first: more
// than one when the same bytes came again, by the same or another channel.
func (db *DB) DocumentReceipts(ctx context.Context, documentID int64) ([]IntakeFile, error) {
	return db.intakeFiles(ctx, fmt.Sprintf("receipts of document %d", documentID), intakeSQL.filesOfDocument, documentID)
}

// MessageFiles returns the files recorded for an e-mail message.
func (db *DB) MessageFiles(ctx context.Context, messageKey string) ([]IntakeFile, error) {
	return db.intakeFiles(ctx, fmt.Sprintf("files of message %q", messageKey), intakeSQL.filesOfMessage, messageKey)
}

func (db *DB) intakeFiles(ctx context.Context, op, query string, args ...any) ([]IntakeFile, error) {
	return queryAll(ctx, db, db.conn(), op, scanIntakeFile, query, args...)
}

// RecordMessage stores what became of an e-mail message, or updates the
// record of a message seen before (its first receipt time stays).
func (db *DB) RecordMessage(ctx context.Context, m IntakeMessage) (IntakeMessage, error) {
	op := fmt.Sprintf("record message %q", m.MessageKey)
	if m.MessageKey == "" {
		return IntakeMessage{}, fmt.Errorf("%s: a message needs a key", op)
	}
	rec, err := scanIntakeMessage(db.conn().queryRow(ctx, intakeSQL.upsertMessage,
		m.Mailbox, m.MessageKey, m.Sender, m.Subject, nullID(m.ContractorID), string(m.Outcome),
		m.Detail, m.Documents, db.q.timeArg(now())))
	if err != nil {
		return IntakeMessage{}, db.q.translate(op, err)
	}
	return rec, nil
}

// MessageByKey returns the record of a message, or ErrNotFound.
func (db *DB) MessageByKey(ctx context.Context, key string) (IntakeMessage, error) {
	op := fmt.Sprintf("message %q", key)
	m, err := scanIntakeMessage(db.conn().queryRow(ctx, intakeSQL.messageByKey, key))
	if err != nil {
		return IntakeMessage{}, db.q.translate(op, err)
	}
	return m, nil
}

// ListMessages returns recorded messages, newest first, at most limit; with
// an outcome, only those that ended so; with before > 0, only those older
// than the message of that id (the last of the previous page).
func (db *DB) ListMessages(ctx context.Context, outcome MessageOutcome, before int64, limit int) ([]IntakeMessage, error) {
	const op = "list messages"
	return queryAll(ctx, db, db.conn(), op, scanIntakeMessage, intakeSQL.listMessages, string(outcome), before, limit)
}

func scanIntakeFile(r row) (IntakeFile, error) {
	var f IntakeFile
	var channel string
	var contractor, document sql.NullInt64
	var messageKey, code, reason, group sql.NullString
	var created scanFlag
	if err := r.Scan(&f.ID, &channel, &contractor, &f.Sender, &messageKey, &f.FileName, &f.SHA256, &f.Size,
		&document, &created, &code, &reason, &group, scanTime{&f.CreatedAt}); err != nil {
		return IntakeFile{}, err
	}
	f.Channel, f.ContractorID, f.MessageKey = Source(channel), contractor.Int64, messageKey.String
	f.DocumentID, f.CreatedDocument = document.Int64, bool(created)
	f.RefusalCode, f.RefusalReason, f.GroupID = code.String, reason.String, group.String
	return f, nil
}

func scanIntakeMessage(r row) (IntakeMessage, error) {
	var m IntakeMessage
	var outcome string
	var contractor sql.NullInt64
	if err := r.Scan(&m.ID, &m.Mailbox, &m.MessageKey, &m.Sender, &m.Subject, &contractor, &outcome, &m.Detail,
		&m.Documents, scanTime{&m.ReceivedAt}, scanTime{&m.UpdatedAt}); err != nil {
		return IntakeMessage{}, err
	}
	m.ContractorID, m.Outcome = contractor.Int64, MessageOutcome(outcome)
	return m, nil
}

// scanFlag reads a boolean stored as INTEGER 0/1 (SQLite) or boolean (Postgres).
type scanFlag bool

func (s *scanFlag) Scan(v any) error {
	switch x := v.(type) {
	case bool:
		*s = scanFlag(x)
	case int64:
		*s = x != 0
	default:
		return fmt.Errorf("scan flag: unexpected %T", v)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) }
