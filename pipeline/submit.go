package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

// Upload is a file as an intake channel received it.
type Upload struct {
	Name    string // file name as sent; may be empty
	Body    []byte // the file; the channel refuses more than Limits.MaxBytes while reading. Submit keeps no reference to it once it returns, so the channel may reuse the buffer
	Source  db.Source
	Sender  string // e-mail address, token or contractor name; may be empty
	GroupID string // shared by the files of one multi-file upload; "" for one file
	Actor   string // for the first event; "intake" when empty
}

// contentTypes maps a sniffed kind to the type the original is stored with.
var contentTypes = map[imagefile.Kind]string{
	imagefile.KindJPEG: "image/jpeg",
	imagefile.KindPNG:  "image/png",
	imagefile.KindTIFF: "image/tiff",
	imagefile.KindWebP: "image/webp",
	imagefile.KindPDF:  "application/pdf",
}

// Submit stores the original, keyed by its content hash, and creates the
// document with its ingest job in one transaction. The same bytes submitted
// again yield the first document and created=false: nothing is stored or
// processed twice. The type is sniffed from the bytes, never from the name.
//
// The hashing, storing and committing of concurrent calls is taken in
// turn, Config.MaxSubmits at a time, in arrival order; a call whose ctx ends
// while it waits stores nothing and returns the ctx's error.
//
// Errors: a file that is empty, over the byte limit or of an unsupported
// type is a *pervichka.Error and nothing is stored; storage and database
// outages satisfy objects.IsTransient or db.IsTransient and may be retried.
func (p *Pipeline) Submit(ctx context.Context, u Upload) (doc db.Document, created bool, err error) {
	if p.lim.MaxBytes > 0 && int64(len(u.Body)) > p.lim.MaxBytes {
		return db.Document{}, false, pervichka.Errorf(pervichka.CodeTooLarge, "%d bytes, limit %d", len(u.Body), p.lim.MaxBytes)
	}
	kind, err := imagefile.Sniff(u.Body)
	if err != nil {
		return db.Document{}, false, err
	}
	if err := p.submits.Acquire(ctx, 1); err != nil {
		return db.Document{}, false, fmt.Errorf("submit %q: wait for a turn: %w", u.Name, err)
	}
	defer p.submits.Release(1)
	sum := sha256.Sum256(u.Body)
	sha := hex.EncodeToString(sum[:])
	key := originalKey(sha)
	ct := contentTypes[kind]
	// The object first: a document row must never point at nothing. A
	// crash after the put leaves an orphan object that the next submission
	// of the same bytes reuses. The digest goes along so that S3 need not
	// hash the bytes again (and checks what it stores against it).
	body := objects.WithSHA256(bytes.NewReader(u.Body), sum)
	if err := p.store.Put(ctx, key, body, int64(len(u.Body)), ct); err != nil {
		return db.Document{}, false, fmt.Errorf("store original: %w", err)
	}
	// The database gets a bounded wait: a locked SQLite file or a
	// Postgres failover answers the sender "later" (503, Retry-After) in
	// seconds instead of holding the upload for the whole lock. The
	// original is stored already; the sender's retry finds it by content.
	dbCtx, cancel := context.WithTimeout(ctx, SubmitDBWait)
	defer cancel()
	err = p.inTx(dbCtx, func(tx *db.Tx, insert func(river.JobArgs) error) error {
		doc, created, err = p.db.CreateDocument(dbCtx, tx, db.NewDocument{
			SHA256: sha, ObjectKey: key, FileName: u.Name, ContentType: ct, Size: int64(len(u.Body)),
			Source: u.Source, Sender: u.Sender, GroupID: u.GroupID, Actor: u.Actor,
		})
		if err != nil || !created {
			return err
		}
		err = insert(IngestArgs{DocumentID: doc.ID, Run: doc.Version})
		return err
	})
	if err != nil {
		if dbCtx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("%w: no answer in %s: %w", db.ErrTransient, SubmitDBWait, err)
		}
		return db.Document{}, false, fmt.Errorf("submit %q: %w", u.Name, err)
	}
	return doc, created, nil
}

// SubmitDBWait is the longest Submit waits for the database to take a new
// document: SQLite's own busy timeout (5 s) once, plus a little. Longer
// than any commit takes on a working database (milliseconds; tens under a
// burst, docs/benchmarks.md), short enough that an HTTP client is answered
// 503 while it still waits.
const SubmitDBWait = 6 * time.Second

// Retry sends a document through the pipeline again, from ingest: a
// failed one, or one under review as a re-sent copy of another (its result
// carries pervichka.ReasonResent) that a person says is not a copy. Pages
// already read are kept and not read again; the look for an earlier
// document with the same picture is skipped. db.ErrNotFound when there is no
// such document, db.ErrIllegalTransition when it is neither.
func (p *Pipeline) Retry(ctx context.Context, id int64, actor string) error {
	return p.inTx(ctx, func(tx *db.Tx, insert func(river.JobArgs) error) error {
		doc, err := p.db.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		reason := "повторная обработка"
		switch first, resent := resentOf(doc); {
		case doc.State == db.StateFailed:
		case doc.State == db.StateNeedsReview && resent:
			reason = fmt.Sprintf("повторная обработка: не копия документа №%d", first)
		default:
			return fmt.Errorf("retry document %d: %w: it is %s, neither failed nor a re-sent copy", id, db.ErrIllegalTransition, doc.State)
		}
		if err := p.db.Transition(ctx, tx, id, doc.State, db.StateProcessing, actor, reason); err != nil {
			return err
		}
		// The run number makes the new jobs distinct from the finished
		// ones under River's uniqueness by args.
		err = insert(IngestArgs{DocumentID: id, Run: doc.Version + 1, Force: true})
		return err
	})
}

// resentOf reports whether doc's current result says it is a re-sent copy
// of another document (pervichka.ReasonResent), and of which.
func resentOf(doc db.Document) (first int64, ok bool) {
	if doc.Result == nil {
		return 0, false
	}
	var res struct {
		Reasons []string `json:"review_reasons"`
	}
	if json.Unmarshal(doc.Result, &res) != nil {
		return 0, false
	}
	return pervichka.ResentFrom(res.Reasons)
}

// Object keys. Originals are content-addressed; a page's derived files sit
// under the original's hash, so a re-run overwrites them with the same bytes
// rather than leaving orphans.
func originalKey(sha string) string { return objects.HashKey("originals", sha) }

func pageKey(sha string, index int, suffix string) string {
	return fmt.Sprintf("pages/%s/%s/%04d%s", sha[:2], sha, index, suffix)
}

// insertOpts gives every job kind its queue and makes it unique by its
// args: the same stage of the same document, page and run is enqueued once.
func insertOpts(queue string) river.InsertOpts {
	return river.InsertOpts{Queue: queue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}
