package objects

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Local is a Store in a folder of this machine, the embedded default.
//
// Each object is a plain file at <root>/<key>, so originals can be copied out
// or backed up with ordinary tools. Its content type sits in a sidecar file
// "<dir>/.<name>.type" next to it. Put writes to <root>/.tmp, fsyncs, and
// renames into place, so a reader sees the old bytes or the new ones, never a
// mixture; the sidecar is renamed first, so a new object never appears
// without its type. Limits: overwriting an object with a different content
// type has a short window where the new type goes with the old bytes (keys
// here are content hashes or derived from them, so the type of a key does
// not change); and a key cannot be both an object and a folder of others
// ("a" and "a/b"), which S3 allows: Put fails for the second one.
//
// All file access goes through os.Root, so no key and no symlink placed in
// the folder can make Local read, write or delete outside it; symlinks and
// other non-regular files inside are not objects (Stat says ErrNotFound,
// List skips them), nor are names that ValidateKey refuses.
type Local struct {
	root *os.Root
	dir  string
}

var _ Store = (*Local)(nil)

const (
	localTempDir  = ".tmp"
	sidecarSuffix = ".type"
	// Temporary files not written for this long are leftovers of a crash
	// between create and rename; NewLocal removes them, and looks once
	// more this long after it starts (for the files of a crash just before
	// the restart). A Put writes from memory and fsyncs in seconds: no
	// live Put leaves its file untouched for a minute, even one of another
	// process sharing the folder.
	staleTempAge = time.Minute
	filePerm     = 0o640
	dirPerm      = 0o750
	// Content types are HTTP header values for S3; a longer one is a bug.
	maxContentTypeLen = 256
)

// NewLocal opens (creating if needed) a local store in dir, and removes
// temporary files that a crashed process left there: at once those not
// written for staleTempAge, the rest staleTempAge later.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("objects: local store: empty folder name")
	}
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return nil, fmt.Errorf("objects: local store: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("objects: local store: %w", err)
	}
	if err := root.MkdirAll(localTempDir, dirPerm); err != nil {
		root.Close()
		return nil, fmt.Errorf("objects: local store %s: temp folder: %w", dir, err)
	}
	l := &Local{root: root, dir: dir}
	start := time.Now()
	l.removeStaleTemps(start.Add(-staleTempAge))
	// After Close the second look finds no folder and does nothing.
	time.AfterFunc(staleTempAge, func() { l.removeStaleTemps(start) })
	return l, nil
}

// Dir is the folder the store keeps its objects in.
func (l *Local) Dir() string { return l.dir }

// Close releases the folder handle; the store is unusable afterwards.
func (l *Local) Close() error { return l.root.Close() }

func (l *Local) removeStaleTemps(before time.Time) {
	d, err := l.root.Open(localTempDir)
	if err != nil {
		return
	}
	defer d.Close()
	entries, err := d.ReadDir(-1)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().Before(before) {
			l.root.Remove(path.Join(localTempDir, e.Name())) // best effort: the next start retries
		}
	}
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	contentType, err := checkPut(key, size, contentType)
	if err != nil {
		return opError("put", key, err)
	}
	if err := ctx.Err(); err != nil {
		return opError("put", key, err)
	}
	return opError("put", key, l.put(ctx, key, r, size, contentType))
}

func (l *Local) put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (err error) {
	// The type's temporary file is written and fsynced while the data's is:
	// two fsyncs at once can share one commit of the filesystem's journal,
	// where one after the other wait for a commit each.
	typeDone := make(chan tempFile, 1)
	go func() {
		name, err := l.writeTemp(ctx, strings.NewReader(contentType), int64(len(contentType)))
		typeDone <- tempFile{name, err}
	}()
	dataTmp, err := l.writeTemp(ctx, r, size)
	typ := <-typeDone
	typeTmp := typ.name
	defer l.removeTemp(&dataTmp)
	defer l.removeTemp(&typeTmp)
	if err != nil {
		return err
	}
	if typ.err != nil {
		return typ.err
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	dir := path.Dir(key)
	_, statErr := l.root.Lstat(dir)
	newDir := errors.Is(statErr, fs.ErrNotExist)
	// A concurrent Delete may prune the (empty) folder between MkdirAll and
	// the rename; the rename then fails with ErrNotExist and is tried again.
	for attempt := 0; ; attempt++ {
		if err := l.root.MkdirAll(dir, dirPerm); err != nil {
			return fmt.Errorf("make folder: %w", err)
		}
		err = l.root.Rename(typeTmp, sidecarName(key))
		if err == nil {
			typeTmp = ""
			err = l.root.Rename(dataTmp, key)
			if err == nil {
				dataTmp = ""
				break
			}
			if _, serr := l.root.Lstat(key); errors.Is(serr, fs.ErrNotExist) {
				l.root.Remove(sidecarName(key)) // no object: leave no type behind
			}
		}
		if !errors.Is(err, fs.ErrNotExist) || attempt == 2 {
			return fmt.Errorf("move into place: %w", err)
		}
		if typeTmp == "" { // the sidecar went in and was removed above: write it again
			if typeTmp, err = l.writeTemp(ctx, strings.NewReader(contentType), int64(len(contentType))); err != nil {
				return err
			}
		}
	}
	// Make the renames durable: the object's folder, and every folder above
	// it when MkdirAll may have made new ones.
	for d := dir; ; d = path.Dir(d) {
		if err := l.syncDir(d); err != nil {
			return err
		}
		if !newDir || d == "." {
			break
		}
	}
	return nil
}

// tempFile is what writeTemp made, for a result passed over a channel.
type tempFile struct {
	name string
	err  error
}

// writeTemp copies r into a new file under .tmp and fsyncs it. A known size
// must be met exactly: fewer bytes is an error, more are not read.
func (l *Local) writeTemp(ctx context.Context, r io.Reader, size int64) (string, error) {
	var rnd [12]byte
	rand.Read(rnd[:])
	name := path.Join(localTempDir, hex.EncodeToString(rnd[:]))
	f, err := l.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
	if err != nil {
		return "", fmt.Errorf("create temporary file: %w", err)
	}
	src := newSourceReader(ctx, r, size)
	// os.File.ReadFrom copies in 32 KB writes. Larger ones are slower, not
	// faster: a 2 MB photo written in 512 KB pieces, or in one write, cost
	// ext4 (Linux 6.18) about twice the CPU, measured under 20 concurrent
	// Puts.
	_, err = io.Copy(f, src)
	if err == nil && size == 0 {
		// Nothing was read, so nothing checked that r is empty.
		if err = src.checkEnd(); err == io.EOF {
			err = nil
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		l.root.Remove(name)
		return "", err
	}
	return name, nil
}

func (l *Local) removeTemp(name *string) {
	if *name != "" {
		l.root.Remove(*name)
	}
}

func (l *Local) syncDir(dir string) error {
	d, err := l.root.Open(dir)
	if err != nil {
		return fmt.Errorf("open folder to sync: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder: %w", err)
	}
	return nil
}

// Get implements Store. The reader also stops with ctx.Err() once ctx ends.
func (l *Local) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Info{}, opError("get", key, err)
	}
	// A Put may replace the file between the Lstat that checks it is a
	// regular file and the Open; then the two differ and we look again. Any
	// other replacement (a symlink put there by hand) is not an object.
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, Info{}, opError("get", key, err)
		}
		before, err := l.lstatObject(key)
		if err != nil {
			return nil, Info{}, opError("get", key, err)
		}
		f, err := l.root.Open(key)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, Info{}, opError("get", key, ErrNotFound)
		} else if err != nil {
			return nil, Info{}, opError("get", key, err)
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, Info{}, opError("get", key, err)
		}
		if !os.SameFile(before, fi) {
			f.Close()
			if attempt < 3 {
				continue
			}
			return nil, Info{}, opError("get", key, ErrNotFound)
		}
		info := Info{Key: key, Size: fi.Size(), ContentType: l.contentType(key), Modified: fi.ModTime()}
		return &localReader{ctx: ctx, f: f, key: key}, info, nil
	}
}

// Stat implements Store.
func (l *Local) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidateKey(key); err != nil {
		return Info{}, opError("stat", key, err)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, opError("stat", key, err)
	}
	fi, err := l.lstatObject(key)
	if err != nil {
		return Info{}, opError("stat", key, err)
	}
	return Info{Key: key, Size: fi.Size(), ContentType: l.contentType(key), Modified: fi.ModTime()}, nil
}

// lstatObject returns the key's file info when it names a regular file, and
// ErrNotFound for anything else: missing, a folder, a symlink, a path
// through a file ("a/b" when "a" is an object).
func (l *Local) lstatObject(key string) (fs.FileInfo, error) {
	fi, err := l.root.Lstat(key)
	switch {
	case err == nil && fi.Mode().IsRegular():
		return fi, nil
	case err == nil, errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return nil, ErrNotFound
	}
	// Also a path through a symlink pointing out of the root: os.Root
	// refuses it with its own error, and so do we.
	return nil, err
}

func (l *Local) contentType(key string) string {
	b, err := l.root.ReadFile(sidecarName(key))
	if err != nil || len(b) == 0 || len(b) > maxContentTypeLen {
		return DefaultContentType
	}
	return string(b)
}

// Delete implements Store. Only regular files are removed; folders emptied
// by it are removed too, so the tree does not fill with empty fan-out
// folders.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return opError("delete", key, err)
	}
	if err := ctx.Err(); err != nil {
		return opError("delete", key, err)
	}
	if _, err := l.lstatObject(key); errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return opError("delete", key, err)
	}
	if err := l.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return opError("delete", key, err)
	}
	if err := l.root.Remove(sidecarName(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return opError("delete", key, err)
	}
	for d := path.Dir(key); d != "."; d = path.Dir(d) {
		if l.root.Remove(d) != nil { // not empty (or gone): stop pruning
			break
		}
	}
	return nil
}

// List implements Store. It walks only the folder the prefix points into,
// reading each folder's names once and sorting them so that the order is
// byte-wise over whole keys: a folder "a" sorts as "a/", after "a-b".
func (l *Local) List(ctx context.Context, prefix string, fn func(Info) error) error {
	if err := validatePrefix(prefix); err != nil {
		return opError("list", prefix, err)
	}
	if err := ctx.Err(); err != nil {
		return opError("list", prefix, err)
	}
	dir, partial := ".", prefix
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		dir, partial = prefix[:i], prefix[i+1:]
	}
	err := l.walk(ctx, dir, partial, fn)
	var stop fnError
	if errors.As(err, &stop) {
		return stop.err
	}
	return opError("list", prefix, err)
}

// fnError carries the callback's own error out of walk untouched.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

func (l *Local) walk(ctx context.Context, dir, partial string, fn func(Info) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d, err := l.root.Open(dir)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	} else if err != nil {
		return err
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if errors.Is(err, syscall.ENOTDIR) {
		return nil // the prefix runs through an object: "a/" when "a" is one
	} else if err != nil {
		return err
	}
	type entry struct {
		sortKey string
		e       fs.DirEntry
	}
	sorted := make([]entry, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		if name[0] == '.' || !strings.HasPrefix(name, partial) {
			continue // temp folder, sidecars, hidden files; or outside the prefix
		}
		switch {
		case e.Type().IsDir():
			sorted = append(sorted, entry{name + "/", e})
		case e.Type().IsRegular():
			sorted = append(sorted, entry{name, e})
		}
	}
	slices.SortFunc(sorted, func(a, b entry) int { return strings.Compare(a.sortKey, b.sortKey) })
	for _, s := range sorted {
		key := s.e.Name()
		if dir != "." {
			key = dir + "/" + key
		}
		if ValidateKey(key) != nil {
			continue // a name put there by hand that no Store call could reach
		}
		if s.e.IsDir() {
			if err := l.walk(ctx, key, "", fn); err != nil {
				return err
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := s.e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted while listing
		} else if err != nil {
			return err
		}
		if err := fn(Info{Key: key, Size: fi.Size(), Modified: fi.ModTime()}); err != nil {
			return fnError{err}
		}
	}
	return nil
}

func sidecarName(key string) string {
	dir, name := path.Split(key)
	return dir + "." + name + sidecarSuffix
}

// localReader is what Get returns: the open file, stopping with ctx.Err()
// once ctx ends, errors wrapped like every other as *OpError.
type localReader struct {
	ctx context.Context
	f   *os.File
	key string
}

func (r *localReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, opError("get", r.key, err)
	}
	n, err := r.f.Read(p)
	if err != nil && err != io.EOF {
		err = opError("get", r.key, err)
	}
	return n, err
}

func (r *localReader) Close() error { return r.f.Close() }
