package db

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestFingerprints(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			testFingerprints(t, db)
		})
	}
}

func testFingerprints(t *testing.T, db *DB) {
	ctx := t.Context()
	a, b, c, d := create(t, db, "fp-a"), create(t, db, "fp-b"), create(t, db, "fp-c"), create(t, db, "fp-d")
	save := func(id int64, bands [FingerprintBands]int64, data string) {
		t.Helper()
		if err := db.SaveFingerprint(ctx, nil, Fingerprint{DocumentID: id, Bands: bands, Data: []byte(data)}); err != nil {
			t.Fatal(err)
		}
	}
	save(a.ID, [6]int64{1, 2, 3, 4, 5, 6}, "a")
	save(b.ID, [6]int64{9, 9, 9, 9, 9, 6}, "b")         // shares the last band only
	save(c.ID, [6]int64{6, 5, 4, 3, 2, 1}, "c")         // shares values, not positions
	save(d.ID, [6]int64{2047, 2047, 0, 0, 0, 0}, "old") // replaced below
	save(d.ID, [6]int64{1, 0, 0, 0, 0, 0}, "d")

	for _, tc := range []struct {
		name    string
		bands   [6]int64
		exclude int64
		limit   int
		want    []int64
	}{
		{"one band each", [6]int64{1, 7, 7, 7, 7, 6}, 0, 10, []int64{a.ID, b.ID, d.ID}},
		{"itself excluded", [6]int64{1, 2, 3, 4, 5, 6}, a.ID, 10, []int64{b.ID, d.ID}},
		{"limit keeps the oldest", [6]int64{1, 7, 7, 7, 7, 6}, 0, 2, []int64{a.ID, b.ID}},
		{"replaced bands are gone", [6]int64{2047, 2047, 7, 7, 7, 7}, 0, 10, nil},
		{"nothing shared", [6]int64{7, 7, 7, 7, 7, 7}, 0, 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.FingerprintCandidates(ctx, nil, tc.bands, tc.exclude, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, f := range got {
				ids = append(ids, f.DocumentID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("candidates %v, want %v", ids, tc.want)
			}
		})
	}
	got, err := db.FingerprintCandidates(ctx, nil, [6]int64{1, 2, 3, 4, 5, 6}, 0, 1)
	if err != nil || len(got) != 1 || got[0].Bands != [6]int64{1, 2, 3, 4, 5, 6} {
		t.Errorf("stored bands read back as %+v, %v", got, err)
	}
	for id, want := range map[int64]string{a.ID: "a", d.ID: "d"} {
		if data, err := db.FingerprintData(ctx, nil, id); err != nil || !bytes.Equal(data, []byte(want)) {
			t.Errorf("fingerprint of %d = %q, %v; want %q", id, data, err, want)
		}
	}
	if _, err := db.FingerprintData(ctx, nil, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("fingerprint of a missing document: %v, want ErrNotFound", err)
	}
	if err := db.SaveFingerprint(ctx, nil, Fingerprint{DocumentID: 999, Data: []byte("x")}); err == nil {
		t.Error("a fingerprint of a missing document accepted")
	}
	// The link kind the pipeline records for such a match.
	if err := db.AddLink(ctx, nil, Link{DocumentID: b.ID, LinkedID: a.ID, Kind: LinkResent, Reason: "повторно"}); err != nil {
		t.Fatal(err)
	}
	links, err := db.Links(ctx, nil, a.ID)
	if err != nil || len(links) != 1 || links[0].Kind != LinkResent {
		t.Errorf("links = %+v, %v", links, err)
	}
}
