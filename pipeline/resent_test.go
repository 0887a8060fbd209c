package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// forwarded re-encodes a photo as a messenger forwards it: another JPEG
// quality, no EXIF, other bytes.
func forwarded(t *testing.T, b []byte, quality int) []byte {
	t.Helper()
	imgs, err := imagefile.Decode(context.Background(), b, pervichka.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, imgs[0], &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func result(t *testing.T, doc db.Document) pervichka.Result {
	t.Helper()
	var r pervichka.Result
	if err := json.Unmarshal(doc.Result, &r); err != nil {
		t.Fatalf("document %d result: %v", doc.ID, err)
	}
	return r
}

// TestResentPhoto: a photo forwarded again (re-encoded) is linked to the
// first document and sent to review with its result, without reading a
// page; a retry reads it as a new document all the same.
func TestResentPhoto(t *testing.T) {
	for _, d := range deployments() {
		t.Run(d.name, func(t *testing.T) {
			e := start(t, d, pipeline.Config{Work: true})
			ctx := t.Context()
			photo := readFile(t, "008-act-photo.jpg")
			first, _, err := e.p.Submit(ctx, pipeline.Upload{Name: "акт.jpg", Body: photo, Source: db.SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			first = waitSettled(t, e.db, []int64{first.ID}, 3*time.Minute)[0]
			if first.Result == nil {
				t.Fatalf("first document %s without a result", first.State)
			}

			copyDoc, created, err := e.p.Submit(ctx, pipeline.Upload{Name: "акт (пересланный).jpg", Body: forwarded(t, photo, 60), Source: db.SourceEmail})
			if err != nil || !created {
				t.Fatalf("submit the forwarded copy: created=%v, %v", created, err)
			}
			copyDoc = waitSettled(t, e.db, []int64{copyDoc.ID}, time.Minute)[0]
			if copyDoc.State != db.StateNeedsReview {
				t.Fatalf("forwarded copy is %s, want needs_review", copyDoc.State)
			}
			got, want := result(t, copyDoc), result(t, first)
			reason := fmt.Sprintf("resent:%d", first.ID)
			if len(got.ReviewReasons) == 0 || got.ReviewReasons[0] != reason || !got.NeedsReview {
				t.Errorf("copy's reasons %v, want %s first", got.ReviewReasons, reason)
			}
			if got.Number != want.Number || got.Total != want.Total || got.Supplier.INN != want.Supplier.INN || !slices.Equal(got.ReviewReasons[1:], want.ReviewReasons) {
				t.Errorf("copy's proposal %+v is not the first's %+v", got, want)
			}
			// Where the first's values were read is on the first's pages.
			if len(want.Locations) == 0 || got.Locations != nil {
				t.Errorf("first's locations %d, copy's %d: want some, and none on the copy", len(want.Locations), len(got.Locations))
			}
			if !reflect.DeepEqual(copyDoc.Fields, first.Fields) {
				t.Errorf("copy's indexed fields %+v, want the first's %+v", copyDoc.Fields, first.Fields)
			}
			pages, err := e.db.Pages(ctx, nil, copyDoc.ID)
			if err != nil || len(pages) != 1 || pages[0].Read() || pages[0].ImageKey != "" {
				t.Errorf("copy's pages %+v, %v: want one page, not read", pages, err)
			}
			links, err := e.db.Links(ctx, nil, copyDoc.ID)
			if err != nil || len(links) != 1 || links[0].Kind != db.LinkResent || links[0].LinkedID != first.ID || links[0].Reason == "" {
				t.Errorf("copy's links %+v, %v: want one resent link to %d", links, err, first.ID)
			}
			events, err := e.db.Events(ctx, copyDoc.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := events[len(events)-1]
			if last.Actor != "pipeline:ingest" || !strings.Contains(last.Reason, fmt.Sprintf("№%d", first.ID)) {
				t.Errorf("last event %+v does not say why", last)
			}

			// The clerk says it is not a copy: it is read like any other.
			if err := e.p.Retry(ctx, copyDoc.ID, "clerk:test"); err != nil {
				t.Fatal(err)
			}
			copyDoc = waitSettled(t, e.db, []int64{copyDoc.ID}, 3*time.Minute)[0]
			if copyDoc.State == db.StateFailed {
				t.Fatalf("forced copy failed: %s", copyDoc.FailureReason)
			}
			got = result(t, copyDoc)
			if slices.Contains(got.ReviewReasons, reason) {
				t.Errorf("forced copy still says %s: %v", reason, got.ReviewReasons)
			}
			if got.TimingsMS["ocr"] == 0 {
				t.Errorf("forced copy not read: timings %v", got.TimingsMS)
			}
			pages, err = e.db.Pages(ctx, nil, copyDoc.ID)
			if err != nil || len(pages) != 1 || !pages[0].Read() {
				t.Errorf("forced copy's pages %+v, %v: want read", pages, err)
			}
			// Read again, it is still the first's duplicate when the
			// first had a number: never posted twice without a clerk.
			if first.Fields.Number != "" && first.Fields.SupplierINN != "" && first.Fields.Date != "" && copyDoc.State != db.StateNeedsReview {
				t.Errorf("forced copy is %s, want needs_review as a duplicate", copyDoc.State)
			}
			// Not a copy any more: nothing to force.
			if err := e.p.Retry(ctx, copyDoc.ID, "clerk:test"); copyDoc.State != db.StateFailed && !errors.Is(err, db.ErrIllegalTransition) {
				t.Errorf("second retry: %v, want ErrIllegalTransition", err)
			}
		})
	}
}

// TestResentOfRejectedDocument: a copy of a rejected document is read as a
// new one: the clerk refused the first, not what the sheet says.
func TestResentOfRejectedDocument(t *testing.T) {
	for _, d := range deployments() {
		t.Run(d.name, func(t *testing.T) {
			e := start(t, d, pipeline.Config{Work: true})
			ctx := t.Context()
			photo := readFile(t, "001-invoice-photo.jpg")
			first, _, err := e.p.Submit(ctx, pipeline.Upload{Name: "счёт.jpg", Body: photo, Source: db.SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			first = waitSettled(t, e.db, []int64{first.ID}, 3*time.Minute)[0]
			if err := e.db.InTx(ctx, func(tx *db.Tx) error {
				if first.State == db.StateAutoApproved {
					if err := e.db.Transition(ctx, tx, first.ID, first.State, db.StateNeedsReview, "clerk:test", "проверить"); err != nil {
						return err
					}
					first.State = db.StateNeedsReview
				}
				return e.db.Transition(ctx, tx, first.ID, first.State, db.StateRejected, "clerk:test", "не наш")
			}); err != nil {
				t.Fatal(err)
			}
			second, _, err := e.p.Submit(ctx, pipeline.Upload{Name: "счёт-2.jpg", Body: forwarded(t, photo, 70), Source: db.SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			second = waitSettled(t, e.db, []int64{second.ID}, 3*time.Minute)[0]
			if second.Result == nil || result(t, second).TimingsMS["ocr"] == 0 {
				t.Errorf("copy of a rejected document was not read: %s %s", second.State, second.Result)
			}
			if links, err := e.db.Links(ctx, nil, second.ID); err != nil || slices.ContainsFunc(links, func(l db.Link) bool { return l.Kind == db.LinkResent }) {
				t.Errorf("copy of a rejected document linked as resent: %+v, %v", links, err)
			}
		})
	}
}
