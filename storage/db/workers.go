package db

import (
	"context"
	"fmt"
	"os"
	"syscall"
)

// WorkerLease marks a process working jobs on this database, for as long as
// it is held. See ClaimWorker.
type WorkerLease struct {
	f *os.File
}

// Release ends the lease; safe on a nil lease and more than once.
func (l *WorkerLease) Release() {
	if l == nil || l.f == nil {
		return
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
	l.f = nil
}

// ClaimWorker is called by a process about to work jobs, before it fetches
// any. On SQLite every worker holds a shared lock on "<database>.workers"
// for its lifetime (the kernel drops it when the process dies, SIGKILL
// included). A worker that finds it can take the lock exclusively is the
// only live worker on this file: every job still marked running belongs to
// a dead process, and is made available again at once — instead of after
// River's rescue interval (--rescue-after, minutes), which exists for
// workers that may still be alive elsewhere. When another worker is alive
// nothing is touched, so no job is ever run twice while its worker lives.
//
// On Postgres, workers may run on many hosts and no lock of this kind can
// tell a dead one from a slow one: nothing is resumed (resumed is 0) and
// River's rescuer alone hands orphaned jobs on after --rescue-after; the
// lease is nil. SQLite files are local to one host (SQLite itself needs
// working POSIX locks), so the flock is as reliable as the database.
func (db *DB) ClaimWorker(ctx context.Context) (lease *WorkerLease, resumed int64, err error) {
	if db.dialect != SQLite || db.path == "" {
		return nil, 0, nil
	}
	f, err := os.OpenFile(db.path+".workers", os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, 0, fmt.Errorf("worker lock: %w", err)
	}
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		res, err := db.sqlDB.ExecContext(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running'`)
		if err == nil {
			resumed, _ = res.RowsAffected()
		}
		if err != nil {
			_ = syscall.Flock(fd, syscall.LOCK_UN)
			f.Close()
			return nil, 0, translateSQLite("resume orphaned jobs", err)
		}
	}
	// Shared from here on: other workers may start beside this one. (The
	// conversion from exclusive is not atomic; a worker starting in that
	// instant may find itself alone and resume — this process has fetched
	// no job yet, so there is nothing of its own to run twice.)
	if err := syscall.Flock(fd, syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("worker lock: %w", err)
	}
	return &WorkerLease{f: f}, resumed, nil
}
