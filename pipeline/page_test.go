package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
)

// TestRawPageAfterMergeAndSplit: a photo page merged into another
// document, then moved up by a split, is still decoded from its own file,
// not from the document's original at its new index.
func TestRawPageAfterMergeAndSplit(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := t.Context()
			d, err := db.Open(ctx, e.URL(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = d.Close() })
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			store, err := objects.NewLocal(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			p, err := New(Config{DB: d, Objects: store})
			if err != nil {
				t.Fatal(err)
			}
			// Two one-page photos, each one flat colour.
			red, blue := color.RGBA{200, 0, 0, 255}, color.RGBA{0, 0, 200, 255}
			photo := func(c color.RGBA) db.Document {
				img := image.NewRGBA(image.Rect(0, 0, 40, 30))
				for i := 0; i < len(img.Pix); i += 4 {
					img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
				}
				var buf bytes.Buffer
				if err := png.Encode(&buf, img); err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(buf.Bytes())
				sha := hex.EncodeToString(sum[:])
				key := originalKey(sha)
				if err := p.put(ctx, key, buf.Bytes(), "image/png"); err != nil {
					t.Fatal(err)
				}
				doc, _, err := d.CreateDocument(ctx, nil, db.NewDocument{SHA256: sha, ObjectKey: key, FileName: "photo.png",
					ContentType: "image/png", Size: int64(buf.Len()), Source: db.SourceUpload})
				if err != nil {
					t.Fatal(err)
				}
				// As ingest records an image file's page: read from the original.
				if err := d.AddPages(ctx, nil, doc.ID, []db.Page{{Index: 0}}); err != nil {
					t.Fatal(err)
				}
				return doc
			}
			into, from := photo(red), photo(blue)
			colourOf := func(doc db.Document, index int) color.RGBA {
				t.Helper()
				pages, err := d.Pages(ctx, nil, doc.ID)
				if err != nil || index >= len(pages) {
					t.Fatalf("pages of %d: %+v, %v", doc.ID, pages, err)
				}
				img, release, err := p.rawPage(ctx, doc, pages[index])
				if err != nil {
					t.Fatalf("raw page %d of document %d: %v", index, doc.ID, err)
				}
				release()
				r, g, b, a := img.At(10, 10).RGBA()
				return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
			}

			if err := d.InTx(ctx, func(tx *db.Tx) error { _, err := d.MovePages(ctx, tx, from.ID, into.ID); return err }); err != nil {
				t.Fatal(err)
			}
			if got := colourOf(into, 0); got != red {
				t.Errorf("the document's own page: %v, want %v", got, red)
			}
			if got := colourOf(into, 1); got != blue {
				t.Errorf("the merged page: %v, want %v (the other file's)", got, blue)
			}

			// Splitting the first page off moves the merged one to index 0.
			var child db.Document
			err = d.InTx(ctx, func(tx *db.Tx) error {
				child, err = d.SplitPages(ctx, tx, db.Split{From: into.ID, Pages: []int{0}, Actor: "test", Reason: "test"})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := colourOf(into, 0); got != blue {
				t.Errorf("the merged page after the split: %v, want %v", got, blue)
			}
			if got := colourOf(child, 0); got != red {
				t.Errorf("the split-off page: %v, want %v", got, red)
			}
		})
	}
}
