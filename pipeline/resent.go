package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math/bits"
	"slices"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/fingerprint"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/storage/db"
)

// A photo forwarded through a messenger arrives with other bytes (another
// JPEG quality, another size, no EXIF), so Submit's content hash does not
// catch it. Ingest fingerprints the first page of every image file and, when
// an earlier live document has the same picture, links the new one to it
// instead of reading it again: the new document goes to review with the
// first one's result as its proposal and the reason "resent:<first id>". It
// is never approved automatically, and Retry sends it through the whole
// pipeline when the clerk says it is not a copy. PDFs are not fingerprinted:
// a forwarded PDF keeps its bytes, which the content hash already catches.

// resentCandidates bounds the band matches read for one document: ids and
// bands only, their hashes compared here; only those within
// fingerprint.MaxHashDistance are read whole and verified. With uniform
// hashes a band matches one stored page in 1000–2000, so six bands find
// about 4000 rows at a million image documents; past the bound the newest
// are not looked at (a copy of one of them is read again, never lost).
const resentCandidates = 5000

// fingerprintLockKey serialises the lookup and the insert of fingerprints
// (Postgres; SQLite's writer is alone anyway), so that two copies ingested
// at once find each other: the second waits for the first to commit.
const fingerprintLockKey = "fingerprints"

// errStopDecoding ends decoding after the first page.
var errStopDecoding = errors.New("first page decoded")

// firstPageFingerprint decodes the first page of an image file (the first
// frame of a TIFF) within the limits and fingerprints it. A file that does
// not decode gets no fingerprint and no error: its page job reports the
// problem as for any other file. Only cancellation is returned.
func (p *Pipeline) firstPageFingerprint(ctx context.Context, id int64, b []byte) (*fingerprint.Fingerprint, error) {
	cost, err := imagefile.Measure(b, p.lim)
	if err != nil {
		return nil, nil // the page job reports it
	}
	release, err := p.budget().Acquire(ctx, cost.DecodedBytes+reducedBytesPerPixel*cost.Pixels)
	if err != nil {
		return nil, err
	}
	defer release()
	var first image.Image
	err = imagefile.DecodeEach(ctx, b, p.lim, func(_ int, img image.Image) error {
		first = img
		return errStopDecoding
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err != nil && !errors.Is(err, errStopDecoding) || first == nil {
		p.log.InfoContext(ctx, "no fingerprint: the first page does not decode", "err", err)
		return nil, nil
	}
	fp, err := fingerprint.Of(first)
	if err != nil {
		p.log.InfoContext(ctx, "no fingerprint", "err", err)
		return nil, nil
	}
	return &fp, nil
}

// resentMatch is an earlier document with the same picture.
type resentMatch struct {
	doc      db.Document
	distance float64
}

// saveFingerprint stores the document's fingerprint and, unless check is
// false, looks for an earlier live document (not failed, not rejected) with
// the same picture: the oldest one whose hash is within
// fingerprint.MaxHashDistance and thumbnail within fingerprint.MaxDistance.
func (p *Pipeline) saveFingerprint(ctx context.Context, tx *db.Tx, id int64, fp *fingerprint.Fingerprint, check bool) (*resentMatch, error) {
	if err := p.db.LockKey(ctx, tx, fingerprintLockKey); err != nil {
		return nil, err
	}
	var match *resentMatch
	bands := fp.Bands()
	if check {
		cands, err := p.db.FingerprintCandidates(ctx, tx, bands, id, resentCandidates)
		if err != nil {
			return nil, err
		}
		for _, c := range cands {
			if bits.OnesCount64(fp.Hash^fingerprint.HashFromBands(c.Bands)) > fingerprint.MaxHashDistance {
				continue
			}
			data, err := p.db.FingerprintData(ctx, tx, c.DocumentID)
			if err != nil {
				return nil, err
			}
			var other fingerprint.Fingerprint
			if err := other.UnmarshalBinary(data); err != nil {
				p.log.WarnContext(ctx, "stored fingerprint unreadable", "candidate", c.DocumentID, "err", err)
				continue
			}
			d := fingerprint.Distance(*fp, other)
			if d > fingerprint.MaxDistance {
				continue
			}
			doc, err := p.db.GetDocument(ctx, tx, c.DocumentID)
			if err != nil {
				return nil, err
			}
			if doc.State == db.StateFailed || doc.State == db.StateRejected {
				continue
			}
			match = &resentMatch{doc: doc, distance: d}
			break
		}
	}
	data, err := fp.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("encode fingerprint: %w", err)
	}
	if err := p.db.SaveFingerprint(ctx, tx, db.Fingerprint{DocumentID: id, Bands: bands, Data: data}); err != nil {
		return nil, err
	}
	return match, nil
}

// linkResent records, in the ingest transaction, that document id (in
// processing) is the picture of m.doc sent again: a "resent" link, the first
// document's result as the proposal (its reasons kept, "resent:<id>" put
// first; a bare result with only that reason while the first is still being
// read), and needs_review with an event saying why. No page is read.
func (p *Pipeline) linkResent(ctx context.Context, tx *db.Tx, id int64, m resentMatch) error {
	first := m.doc
	reason := fmt.Sprintf("%s:%d", pervichka.ReasonResent, first.ID)
	var res pervichka.Result
	var fields db.Fields
	if first.Result != nil {
		if err := json.Unmarshal(first.Result, &res); err != nil {
			return pervichka.WrapError(pervichka.CodeInternal, err, fmt.Sprintf("stored result of document %d", first.ID))
		}
		fields = first.Fields
	}
	res.ReviewReasons = slices.DeleteFunc(slices.Clone(res.ReviewReasons), func(r string) bool {
		return strings.HasPrefix(r, pervichka.ReasonResent+":") // the first may itself be a copy
	})
	res.ReviewReasons = append([]string{reason}, res.ReviewReasons...)
	res.NeedsReview = true
	res.TimingsMS = nil // nothing was read for this document
	// The first document's locations are in its pages' pixels and words;
	// this one's pages are another file, never read.
	res.Locations = nil
	result, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	doc, err := p.db.GetDocument(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := p.db.SaveResult(ctx, tx, id, doc.Version, result, fields); err != nil {
		return err
	}
	similarity := fmt.Sprintf("%.1f%%", 100*(1-m.distance))
	if err := p.db.AddLink(ctx, tx, db.Link{DocumentID: id, LinkedID: first.ID, Kind: db.LinkResent,
		Reason: fmt.Sprintf("То же изображение, что у документа №%d (сходство %s): повторно присланное фото", first.ID, similarity)}); err != nil {
		return err
	}
	why := fmt.Sprintf("повторно присланное изображение документа №%d (сходство %s, документ %s): не распознаётся заново",
		first.ID, similarity, first.State)
	return p.db.Transition(ctx, tx, id, db.StateProcessing, db.StateNeedsReview, "pipeline:ingest", why)
}
