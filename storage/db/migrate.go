package db

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/pervichka/pervichka/migrations"
)

// Migrate brings the schema up to date: River's tables first (rivermigrate
// with the dialect's driver), then Pervichka's own migrations, each recorded
// in schema_migrations. Running it again is a no-op.
//
// On SQLite everything runs in one transaction (BEGIN IMMEDIATE), so a
// failure leaves the schema as it was. On Postgres River's migrations cannot
// share one transaction (its version 006 adds an enum value and then uses it,
// which Postgres refuses inside the transaction that added it), so River runs
// its own per-version transactions and ours follow in one transaction; a
// session-level advisory lock held on a separate connection for the whole run
// makes two processes migrating at once take turns.
//
// Limits: there are no down migrations, and a migration already applied is
// never compared with its file again: edit by adding a new file.
func (db *DB) Migrate(ctx context.Context) error {
	return db.migrate(ctx, 0)
}

// migrate applies Pervichka's migrations up to version upTo (0: all). Only
// tests stop early: to lay down an older schema with rows in it and check
// that the later migrations carry the rows over.
func (db *DB) migrate(ctx context.Context, upTo int) error {
	ours, err := migrations.Load(string(db.dialect))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if upTo > 0 {
		ours = slices.DeleteFunc(ours, func(m migrations.Migration) bool { return m.Version > upTo })
	}
	start := time.Now()
	if db.dialect == Postgres {
		unlock, err := db.lockMigrations(ctx)
		if err != nil {
			return err
		}
		defer unlock()
		m, err := rivermigrate.New(riverpgxv5.New(db.pgPool), &rivermigrate.Config{Logger: db.log})
		if err == nil {
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
		if err != nil {
			return db.q.translate("migrate: river", err)
		}
	}
	var applied []int
	err = db.InTx(ctx, func(tx *Tx) error {
		if db.dialect == SQLite {
			m, err := rivermigrate.New(riversqlite.New(db.sqlDB), &rivermigrate.Config{Logger: db.log})
			if err == nil {
				// MigrateTx is deprecated because some River migrations
				// cannot share a Postgres transaction; on SQLite all of
				// them can, and running them in our BEGIN IMMEDIATE
				// transaction is what makes two processes migrating one
				// file at once take turns (Migrate's own per-version
				// transactions race: TestSQLiteStore/MigrateConcurrently
				// fails with it).
				//lint:ignore SA1019 see above: the one safe way on SQLite
				_, err = m.MigrateTx(ctx, tx.sqlTx, rivermigrate.DirectionUp, nil)
			}
			if err != nil {
				return db.q.translate("migrate: river", err)
			}
		}
		if _, err := tx.c.exec(ctx, db.q.migrationsCreate); err != nil {
			return db.q.translate("migrate: create schema_migrations", err)
		}
		done, err := db.appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range ours {
			if done[m.Version] {
				continue
			}
			op := fmt.Sprintf("migrate: %04d_%s", m.Version, m.Name)
			if _, err := tx.c.exec(ctx, m.SQL); err != nil {
				return db.q.translate(op, err)
			}
			if _, err := tx.c.exec(ctx, db.q.migrationsInsert, m.Version, m.Name, db.q.timeArg(now())); err != nil {
				return db.q.translate(op+": record", err)
			}
			applied = append(applied, m.Version)
		}
		return nil
	})
	if err != nil {
		return err
	}
	db.log.Info("database migrated", "dialect", db.dialect, "applied", applied, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// lockMigrations takes Postgres's session-level advisory lock for migrations
// on a connection of its own and returns the function that releases it.
func (db *DB) lockMigrations(ctx context.Context) (unlock func(), err error) {
	c, err := db.pgPool.Acquire(ctx)
	if err != nil {
		return nil, db.q.translate("migrate: lock", err)
	}
	if _, err := c.Exec(ctx, db.q.migrationsLock); err != nil {
		c.Release()
		return nil, db.q.translate("migrate: lock", err)
	}
	return func() {
		// Unlock even when ctx has ended; if that fails the connection is
		// closed, which releases the lock with the session.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := c.Exec(uctx, db.q.migrationsUnlock); err != nil {
			db.log.Warn("migration lock release failed; closing its connection", "err", err)
			_ = c.Conn().Close(uctx)
		}
		c.Release()
	}, nil
}

// appliedVersions reads schema_migrations.
func (db *DB) appliedVersions(ctx context.Context, tx *Tx) (map[int]bool, error) {
	rs, err := tx.c.query(ctx, db.q.migrationsList)
	if err != nil {
		return nil, db.q.translate("migrate: list applied", err)
	}
	defer rs.Close()
	done := map[int]bool{}
	for rs.Next() {
		var v int
		if err := rs.Scan(&v); err != nil {
			return nil, db.q.translate("migrate: list applied", err)
		}
		done[v] = true
	}
	return done, db.q.translate("migrate: list applied", rs.Err())
}
