package db

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestClaimsUsersSessions(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			doc, _, err := db.CreateDocument(ctx, nil, NewDocument{SHA256: fmt.Sprintf("%064x", 7), ObjectKey: "k", Size: 1, Source: SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			// Claims: the first clerk holds it; the second sees the first;
			// the holder renews; a lapsed claim goes to the next comer.
			c, err := db.ClaimDocument(ctx, nil, doc.ID, "a", time.Minute)
			if err != nil || c.User != "a" {
				t.Fatalf("claim a: %+v %v", c, err)
			}
			if c, _ := db.ClaimDocument(ctx, nil, doc.ID, "b", time.Minute); c.User != "a" {
				t.Fatalf("b took a live claim: %+v", c)
			}
			if _, err := db.ClaimDocument(ctx, nil, doc.ID, "a", 0); err == nil {
				t.Fatal("a claim for no time accepted")
			}
			// a renews for a moment and lets it lapse.
			if c, err := db.ClaimDocument(ctx, nil, doc.ID, "a", 10*time.Millisecond); err != nil || c.User != "a" {
				t.Fatalf("renew: %+v %v", c, err)
			}
			time.Sleep(20 * time.Millisecond)
			if _, err := db.ClaimOf(ctx, nil, doc.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("lapsed claim still live: %v", err)
			}
			if c, err := db.ClaimDocument(ctx, nil, doc.ID, "b", time.Minute); c.User != "b" {
				t.Fatalf("b could not take a lapsed claim: %+v %v", c, err)
			}
			if err := db.ReleaseClaim(ctx, nil, doc.ID, "a"); err != nil {
				t.Fatal(err)
			}
			if c, err := db.ClaimOf(ctx, nil, doc.ID); err != nil || c.User != "b" {
				t.Fatalf("a released b's claim: %+v %v", c, err)
			}
			if err := db.ReleaseClaim(ctx, nil, doc.ID, "b"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ClaimOf(ctx, nil, doc.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("after release: %v", err)
			}

			// Users and sessions.
			if err := db.CreateUser(ctx, "ivanova", UserClerk, "$2a$hash"); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateUser(ctx, "ivanova", UserAdmin, "$2a$hash"); !errors.Is(err, ErrDuplicate) {
				t.Errorf("second ivanova: %v", err)
			}
			for _, bad := range []struct {
				name string
				role UserRole
			}{{"", UserClerk}, {"with space", UserClerk}, {"x", "boss"}} {
				if err := db.CreateUser(ctx, bad.name, bad.role, "h"); err == nil {
					t.Errorf("user %q role %q accepted", bad.name, bad.role)
				}
			}
			u, err := db.UserByName(ctx, "ivanova")
			if err != nil || u.Role != UserClerk || u.PasswordHash != "$2a$hash" {
				t.Fatalf("user: %+v %v", u, err)
			}
			live, expired := fmt.Sprintf("%064x", 1), fmt.Sprintf("%064x", 2)
			if err := db.CreateSession(ctx, live, u.ID, "csrf1", time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateSession(ctx, expired, u.ID, "csrf2", time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			s, err := db.SessionByHash(ctx, live)
			if err != nil || s.User.Name != "ivanova" || s.CSRFToken != "csrf1" {
				t.Fatalf("session: %+v %v", s, err)
			}
			if _, err := db.SessionByHash(ctx, expired); !errors.Is(err, ErrNotFound) {
				t.Errorf("expired session: %v", err)
			}
			if n, err := db.DeleteExpiredSessions(ctx); err != nil || n != 1 {
				t.Errorf("delete expired: %d %v", n, err)
			}
			if err := db.DeleteSession(ctx, live); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SessionByHash(ctx, live); !errors.Is(err, ErrNotFound) {
				t.Errorf("deleted session: %v", err)
			}
		})
	}
}

func TestCountQueueReasons(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			waiting := func(n int, reasons string) Document {
				t.Helper()
				doc, _, err := db.CreateDocument(ctx, nil, NewDocument{SHA256: fmt.Sprintf("%064x", n), ObjectKey: "k", Size: 1, Source: SourceUpload})
				if err != nil {
					t.Fatal(err)
				}
				if err := db.Transition(ctx, nil, doc.ID, StateReceived, StateProcessing, "t", ""); err != nil {
					t.Fatal(err)
				}
				if _, err := db.SaveResult(ctx, nil, doc.ID, doc.Version+1, []byte(`{"review_reasons": `+reasons+`}`), Fields{DocType: "act"}); err != nil {
					t.Fatal(err)
				}
				if err := db.Transition(ctx, nil, doc.ID, StateProcessing, StateNeedsReview, "t", ""); err != nil {
					t.Fatal(err)
				}
				d, _ := db.GetDocument(ctx, nil, doc.ID)
				return d
			}
			a := waiting(1, `["inn_checksum:supplier", "inn_checksum:buyer", "missing:total"]`)
			waiting(2, `["missing:number"]`)
			waiting(3, `null`)
			check := func(want map[string]int64) {
				t.Helper()
				c, err := db.CountQueue(ctx, StateNeedsReview)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(c.ByReason) != fmt.Sprint(want) || c.Total != 3 || c.ByType["act"] != 3 {
					t.Errorf("counts %+v, want reasons %v", c, want)
				}
			}
			check(map[string]int64{"inn_checksum": 1, "missing": 2})
			// A corrected result counts with its new reasons.
			if _, err := db.SaveResult(ctx, nil, a.ID, a.Version, []byte(`{"review_reasons": ["bank_changed:supplier"]}`), Fields{DocType: "act"}); err != nil {
				t.Fatal(err)
			}
			check(map[string]int64{"bank_changed": 1, "missing": 1})
		})
	}
}
