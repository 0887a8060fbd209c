package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
)

func init() {
	commands["migrate"] = command{summary: "create or update the database schema (River's tables, then ours)", run: runMigrate}
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := dbFlag(fs)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := openDB(ctx, *dbURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "schema is up to date")
	return nil
}
