package db

import (
	"path/filepath"
	"testing"

	"github.com/riverqueue/river"
)

// TestClaimWorkerResumesOnlyOrphans: a job left running by a dead worker is
// made available when the restarted process is the only worker on the
// SQLite file; while another worker lives (holds its lease), a starting
// worker touches nothing — that job may be the live worker's.
func TestClaimWorkerResumesOnlyOrphans(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "w.db")
	open := func() *DB {
		d, err := Open(ctx, "sqlite://"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	d := open()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	q, err := d.NewQueue(&river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := q.Insert(ctx, startArgs{DocumentID: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := res.Job.ID
	state := func() string {
		t.Helper()
		var s string
		if err := d.SQL().QueryRowContext(ctx, `SELECT state FROM river_job WHERE id = ?`, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	setRunning := func() {
		t.Helper()
		if _, err := d.SQL().ExecContext(ctx, `UPDATE river_job SET state = 'running' WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
	}

	// A live worker holds its lease; its job is running.
	live, resumed, err := open().ClaimWorker(ctx)
	if err != nil || live == nil {
		t.Fatalf("first worker: %v", err)
	}
	if resumed != 0 {
		t.Errorf("first worker with nothing running resumed %d jobs", resumed)
	}
	setRunning()
	starting, resumed, err := open().ClaimWorker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resumed != 0 || state() != "running" {
		t.Errorf("beside a live worker: resumed %d, job %s; want 0, running", resumed, state())
	}
	// Both die (the kernel drops their locks); a restarted worker is alone.
	live.Release()
	starting.Release()
	again, resumed, err := open().ClaimWorker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Release()
	if resumed != 1 || state() != "available" {
		t.Errorf("alone after a crash: resumed %d, job %s; want 1, available", resumed, state())
	}
}
