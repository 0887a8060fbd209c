package objects

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func newLocal(t *testing.T) *Local {
	t.Helper()
	l, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestLocalStore(t *testing.T) {
	runStoreSuite(t, func(t *testing.T) Store { return newLocal(t) })
}

// TestLocalStaysInsideRoot plants symlinks in the folder pointing out of it
// and checks that no operation reads, writes, lists or deletes outside.
func TestLocalStaysInsideRoot(t *testing.T) {
	ctx := context.Background()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := newLocal(t)
	root := l.Dir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(outside, filepath.Join(root, "outdir")))                   // folder link out
	must(os.Symlink(secret, filepath.Join(root, "outfile")))                   // file link out
	must(os.Symlink("../"+filepath.Base(outside), filepath.Join(root, "rel"))) // relative link out
	put(t, l, "inside/real", []byte("in"), "")
	must(os.Symlink("real", filepath.Join(root, "inside", "alias"))) // link within

	for _, key := range []string{"outdir/secret", "outfile", "rel/secret", "inside/alias"} {
		if r, _, err := l.Get(ctx, key); err == nil {
			data, _ := io.ReadAll(r)
			r.Close()
			t.Errorf("Get(%q) read %q through a symlink", key, data)
		}
		if info, err := l.Stat(ctx, key); err == nil {
			t.Errorf("Stat(%q) = %+v through a symlink", key, info)
		}
		l.Delete(ctx, key)
	}
	if err := l.Put(ctx, "outdir/planted", strings.NewReader("x"), 1, ""); err == nil {
		t.Error("Put through a folder symlink out of the root succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "planted")); err == nil {
		t.Error("Put wrote outside the root")
	}
	// Put over a file symlink replaces the link, not its target.
	put(t, l, "outfile", []byte("mine"), "")
	if data, _ := os.ReadFile(secret); string(data) != "outside" {
		t.Errorf("outside file changed to %q", data)
	}
	if got := listKeys(t, l, ""); !slices.Equal(got, []string{"inside/real", "outfile"}) {
		t.Errorf("List = %q, want only the real objects", got)
	}
	for _, prefix := range []string{"outdir/", "rel/"} {
		if err := l.List(ctx, prefix, func(i Info) error {
			t.Errorf("List(%q) showed %q from outside", prefix, i.Key)
			return nil
		}); err == nil {
			t.Logf("List(%q) through a symlink: empty", prefix)
		}
	}
	if data, err := os.ReadFile(secret); err != nil || string(data) != "outside" {
		t.Errorf("outside file after all: %q, %v", data, err)
	}
}

// TestLocalLayout pins what is on disk: plain files at their key, so an
// operator can copy originals out, and nothing left in .tmp.
func TestLocalLayout(t *testing.T) {
	l := newLocal(t)
	key := HashKey("originals", strings.Repeat("ab", 32))
	put(t, l, key, []byte("%PDF-1.7 body"), "application/pdf")
	data, err := os.ReadFile(filepath.Join(l.Dir(), filepath.FromSlash(key)))
	if err != nil || string(data) != "%PDF-1.7 body" {
		t.Fatalf("object file: %q, %v", data, err)
	}
	tmp, err := os.ReadDir(filepath.Join(l.Dir(), localTempDir))
	if err != nil || len(tmp) != 0 {
		t.Fatalf(".tmp after Put: %v, %v", tmp, err)
	}
	if err := l.Delete(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(l.Dir())
	if len(entries) != 1 || entries[0].Name() != localTempDir {
		t.Fatalf("after Delete the folder holds %v, want only .tmp (empty fan-out folders pruned)", entries)
	}
}

// TestLocalIgnoresForeignFiles: files put in the folder by hand under names
// no key can have are not listed.
func TestLocalIgnoresForeignFiles(t *testing.T) {
	l := newLocal(t)
	put(t, l, "a/ok", []byte("1"), "")
	for _, name := range []string{"a/.hidden", "a/back\\slash", "a/new\nline", ".DS_Store"} {
		if err := os.WriteFile(filepath.Join(l.Dir(), name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(l.Dir(), "a", "empty"), 0o700); err != nil {
		t.Fatal(err)
	}
	if got := listKeys(t, l, ""); !slices.Equal(got, []string{"a/ok"}) {
		t.Fatalf("List = %q, want [a/ok]", got)
	}
}

// TestLocalObjectFolderConflict: S3 allows "a" and "a/b" together, a
// folder cannot; Local refuses the second cleanly and keeps the first.
func TestLocalObjectFolderConflict(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	put(t, l, "a", []byte("1"), "")
	if err := l.Put(ctx, "a/b", strings.NewReader("2"), 1, ""); err == nil {
		t.Fatal(`Put("a/b") over object "a" succeeded`)
	}
	put(t, l, "c/d", []byte("3"), "")
	err := l.Put(ctx, "c", strings.NewReader("4"), 1, "")
	if err == nil {
		t.Fatal(`Put("c") over folder "c" succeeded`)
	}
	var oe *OpError
	if !errors.As(err, &oe) || oe.Op != "put" || oe.Key != "c" {
		t.Fatalf("error %v is not an *OpError for put c", err)
	}
	if got := listKeys(t, l, ""); !slices.Equal(got, []string{"a", "c/d"}) {
		t.Fatalf("List = %q", got)
	}
	if entries, _ := os.ReadDir(filepath.Join(l.Dir(), localTempDir)); len(entries) != 0 {
		t.Fatalf("failed Puts left %d temporary files", len(entries))
	}
}

// TestLocalRemovesStaleTemps: leftovers of a crash two minutes ago go at the
// next NewLocal (once they stayed for a day); one written just now (another
// process's Put in progress) stays.
func TestLocalRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	stale := filepath.Join(dir, localTempDir, "stale")
	fresh := filepath.Join(dir, localTempDir, "fresh")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Minute)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	l, err = NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temp file still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file removed: %v", err)
	}
}

// TestLocalGetSurvivesOverwrite: an open reader keeps the bytes it opened
// even when a Put replaces the object meanwhile (rename, not rewrite).
func TestLocalGetSurvivesOverwrite(t *testing.T) {
	l := newLocal(t)
	old := bytes.Repeat([]byte("o"), 1<<20)
	put(t, l, "k", old, "")
	r, _, err := l.Get(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	put(t, l, "k", []byte("new"), "")
	if data, err := io.ReadAll(r); err != nil || !bytes.Equal(data, old) {
		t.Fatalf("reader opened before overwrite read %d bytes, %v", len(data), err)
	}
}
