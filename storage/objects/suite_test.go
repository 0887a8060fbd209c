package objects

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// runStoreSuite checks the promises of Store that every backend must keep.
// newStore returns an empty store for one subtest.
func runStoreSuite(t *testing.T, newStore func(t *testing.T) Store) {
	cases := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"RoundTrip", suiteRoundTrip},
		{"Overwrite", suiteOverwrite},
		{"NotFound", suiteNotFound},
		{"Stat", suiteStat},
		{"DeleteIdempotent", suiteDelete},
		{"ListPrefixOrder", suiteList},
		{"ConcurrentPuts", suiteConcurrentPuts},
		{"ReadersNeverSeePartialObjects", suiteAtomicOverwrite},
		{"InvalidKeysRefused", suiteInvalidKeys},
		{"LargeObjectStreamed", suiteLarge},
		{"ContextCancellation", suiteCancel},
		{"FailingReaderLeavesNothing", suiteFailingReader},
		{"SourceWithSHA256", suiteWithSHA256},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			c.run(t, newStore(t))
			t.Logf("%s took %v", c.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

func put(t *testing.T, s Store, key string, data []byte, contentType string) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(data), int64(len(data)), contentType); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func get(t *testing.T, s Store, key string) ([]byte, Info) {
	t.Helper()
	r, info, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("Get(%q) read: %v", key, err)
	}
	return data, info
}

func listKeys(t *testing.T, s Store, prefix string) []string {
	t.Helper()
	var keys []string
	err := s.List(context.Background(), prefix, func(i Info) error {
		keys = append(keys, i.Key)
		return nil
	})
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return keys
}

func wantNotFound(t *testing.T, err error, op, key string) {
	t.Helper()
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("%s(%q) error = %v, want ErrNotFound", op, key, err)
	}
	var oe *OpError
	if !errors.As(err, &oe) || oe.Op != op || oe.Key != key {
		t.Fatalf("%s(%q) error = %#v, want *OpError with op and key", op, key, err)
	}
	if IsTransient(err) {
		t.Fatalf("IsTransient(%v) = true for a missing object", err)
	}
}

func randomBytes(seed uint64, n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 0))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func suiteRoundTrip(t *testing.T, s Store) {
	start := time.Now().Add(-2 * time.Second) // S3 keeps whole seconds
	for _, tc := range []struct {
		key, contentType, wantType string
		data                       []byte
		unknownSize                bool
	}{
		{"empty", "application/pdf", "application/pdf", nil, false},
		{"text.txt", "text/plain; charset=utf-8", "text/plain; charset=utf-8", []byte("Счёт-фактура № 17\n"), false},
		{"no-type", "", DefaultContentType, []byte{0}, false},
		{"docs/scan 1.jpg", "image/jpeg", "image/jpeg", randomBytes(1, 100<<10), false},
		{"docs/unknown-size.bin", "application/octet-stream", "application/octet-stream", randomBytes(2, 70<<10), true},
		{"docs/Договор.pdf", "application/pdf", "application/pdf", []byte("%PDF-1.7"), true},
	} {
		t.Run(tc.key, func(t *testing.T) {
			size := int64(len(tc.data))
			if tc.unknownSize {
				size = -1
			}
			if err := s.Put(context.Background(), tc.key, bytes.NewReader(tc.data), size, tc.contentType); err != nil {
				t.Fatalf("Put: %v", err)
			}
			got, info := get(t, s, tc.key)
			if !bytes.Equal(got, tc.data) {
				t.Fatalf("Get returned %d bytes, want the %d put", len(got), len(tc.data))
			}
			if info.Key != tc.key || info.Size != int64(len(tc.data)) || info.ContentType != tc.wantType {
				t.Fatalf("Get info = %+v, want key %q size %d type %q", info, tc.key, len(tc.data), tc.wantType)
			}
			if info.Modified.Before(start) || info.Modified.After(time.Now().Add(2*time.Second)) {
				t.Fatalf("Get info.Modified = %v, want about now", info.Modified)
			}
		})
	}
}

func suiteOverwrite(t *testing.T, s Store) {
	put(t, s, "k", []byte("first version, longer"), "text/plain")
	put(t, s, "k", []byte("second"), "application/json")
	data, info := get(t, s, "k")
	if string(data) != "second" || info.Size != 6 || info.ContentType != "application/json" {
		t.Fatalf("after overwrite: %q %+v", data, info)
	}
	if keys := listKeys(t, s, ""); !slices.Equal(keys, []string{"k"}) {
		t.Fatalf("List after overwrite = %q, want [k]", keys)
	}
}

func suiteNotFound(t *testing.T, s Store) {
	ctx := context.Background()
	put(t, s, "dir/object", []byte("x"), "")
	put(t, s, "file", []byte("x"), "")
	for _, key := range []string{
		"missing",
		"dir",          // a prefix of objects, not an object
		"dir/obj",      // a prefix of a key
		"dir/object/x", // below an object
		"file/x",
	} {
		_, err := s.Stat(ctx, key)
		wantNotFound(t, err, "stat", key)
		r, _, err := s.Get(ctx, key)
		if r != nil {
			r.Close()
			t.Fatalf("Get(%q) returned a reader with error %v", key, err)
		}
		wantNotFound(t, err, "get", key)
	}
}

func suiteStat(t *testing.T, s Store) {
	start := time.Now().Add(-2 * time.Second)
	data := randomBytes(3, 12345)
	put(t, s, "a/b/c.png", data, "image/png")
	info, err := s.Stat(context.Background(), "a/b/c.png")
	if err != nil {
		t.Fatal(err)
	}
	if info.Key != "a/b/c.png" || info.Size != 12345 || info.ContentType != "image/png" {
		t.Fatalf("Stat = %+v", info)
	}
	if info.Modified.Before(start) || info.Modified.After(time.Now().Add(2*time.Second)) {
		t.Fatalf("Stat.Modified = %v, want about now", info.Modified)
	}
}

func suiteDelete(t *testing.T, s Store) {
	ctx := context.Background()
	if err := s.Delete(ctx, "never/was"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	put(t, s, "x/y/z", []byte("1"), "")
	put(t, s, "x/w", []byte("2"), "")
	for i := range 2 {
		if err := s.Delete(ctx, "x/y/z"); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
		_, err := s.Stat(ctx, "x/y/z")
		wantNotFound(t, err, "stat", "x/y/z")
	}
	// A prefix of objects is not an object: deleting it touches nothing.
	if err := s.Delete(ctx, "x"); err != nil {
		t.Fatalf("Delete of a prefix: %v", err)
	}
	if keys := listKeys(t, s, ""); !slices.Equal(keys, []string{"x/w"}) {
		t.Fatalf("List after deletes = %q, want [x/w]", keys)
	}
	// The emptied "folder" may hold a new object again.
	put(t, s, "x/y/z2", []byte("3"), "")
	if keys := listKeys(t, s, "x/"); !slices.Equal(keys, []string{"x/w", "x/y/z2"}) {
		t.Fatalf("List = %q", keys)
	}
}

// listKeyCount keys are listed; the S3 test sets a page size of 40 so that
// they span several ListObjectsV2 pages (the real 1000-key page would need
// 1000 objects, seconds of setup, for the same continuation-token path).
const listKeyCount = 150

func suiteList(t *testing.T, s Store) {
	// Names that a per-folder walk would misorder: "a-c" < "a.b" < "a/…" <
	// "a0" < "ab" byte-wise, while a folder "a" sorts before "a-c" by name.
	tricky := []string{"a/b", "a-c", "a0", "a/c/d", "ab", "b", "Z", "a.b", "日本/x", "a/b2", "n"}
	keys := slices.Clone(tricky)
	for i := range listKeyCount {
		keys = append(keys, fmt.Sprintf("many/%04d", i))
	}
	putAll(t, s, keys, func(k string) []byte { return []byte(k) })
	sorted := slices.Sorted(slices.Values(keys))

	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", sorted},
		{"a", []string{"a-c", "a.b", "a/b", "a/b2", "a/c/d", "a0", "ab"}},
		{"a/", []string{"a/b", "a/b2", "a/c/d"}},
		{"a/b", []string{"a/b", "a/b2"}},
		{"many/01", func() []string {
			var w []string
			for i := 100; i < listKeyCount; i++ {
				w = append(w, fmt.Sprintf("many/%04d", i))
			}
			return w
		}()},
		{"日", []string{"日本/x"}},
		{"zzz", nil},
		{"n", []string{"n"}},
		{"n/", nil}, // below an object
		{"a/b/", nil},
	} {
		var got []string
		err := s.List(context.Background(), tc.prefix, func(i Info) error {
			if i.Size != int64(len(i.Key)) || i.ContentType != "" || i.Modified.IsZero() {
				return fmt.Errorf("List info %+v: want size %d, no content type, a time", i, len(i.Key))
			}
			got = append(got, i.Key)
			return nil
		})
		if err != nil {
			t.Fatalf("List(%q): %v", tc.prefix, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Fatalf("List(%q) = %d keys %q…, want %d %q…", tc.prefix, len(got), head(got), len(tc.want), head(tc.want))
		}
	}

	// fn's error stops the listing and comes back as it is.
	stop := errors.New("enough")
	n := 0
	err := s.List(context.Background(), "", func(Info) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Fatalf("List stopped by fn: err %v after %d calls, want %v after 3", err, n, stop)
	}
}

func head(keys []string) []string { return keys[:min(len(keys), 12)] }

// putAll puts the keys with 8 workers: a store is used concurrently anyway.
func putAll(t *testing.T, s Store, keys []string, data func(string) []byte) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(keys))
	work := make(chan string)
	for range 8 {
		wg.Go(func() {
			for k := range work {
				d := data(k)
				if err := s.Put(context.Background(), k, bytes.NewReader(d), int64(len(d)), "text/plain"); err != nil {
					errs <- err
				}
			}
		})
	}
	for _, k := range keys {
		work <- k
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func suiteConcurrentPuts(t *testing.T, s Store) {
	var keys []string
	for w := range 16 {
		for i := range 4 {
			// Same fan-out folders from many writers at once.
			keys = append(keys, HashKey("orig", fmt.Sprintf("%064x", w*4+i)))
		}
	}
	data := func(k string) []byte { return randomBytes(uint64(len(k))+uint64(k[len(k)-1]), 3000+int(k[len(k)-1])) }
	putAll(t, s, keys, data)
	for _, k := range keys {
		got, _ := get(t, s, k)
		if !bytes.Equal(got, data(k)) {
			t.Fatalf("Get(%q): wrong bytes after concurrent puts", k)
		}
	}
	if got := listKeys(t, s, "orig/"); len(got) != len(keys) {
		t.Fatalf("List found %d of %d keys", len(got), len(keys))
	}
}

// suiteAtomicOverwrite overwrites one key with two different payloads while
// readers check that every read is one payload, whole.
func suiteAtomicOverwrite(t *testing.T, s Store) {
	payloads := [][]byte{bytes.Repeat([]byte("a"), 300<<10), bytes.Repeat([]byte("b"), 200<<10)}
	put(t, s, "hot", payloads[0], "")
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	reads := make(chan int, 4)
	for range 3 {
		wg.Go(func() {
			n := 0
			defer func() { reads <- n }()
			for ctx.Err() == nil {
				r, _, err := s.Get(context.Background(), "hot")
				if err != nil {
					errs <- err
					return
				}
				data, err := io.ReadAll(r)
				r.Close()
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(data, payloads[0]) && !bytes.Equal(data, payloads[1]) {
					errs <- fmt.Errorf("read %d bytes that are neither payload", len(data))
					return
				}
				n++
			}
		})
	}
	for i := range 20 {
		p := payloads[(i+1)%2]
		if err := s.Put(context.Background(), "hot", bytes.NewReader(p), int64(len(p)), ""); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	wg.Wait()
	close(errs)
	close(reads)
	for err := range errs {
		t.Fatal(err)
	}
	total := 0
	for n := range reads {
		total += n
	}
	t.Logf("%d whole reads during 20 overwrites", total)
}

var invalidKeys = []string{
	"",
	"/abs",
	"trailing/",
	"a//b",
	"..",
	"../escape",
	"a/../../b",
	"./a",
	"a/.hidden",
	".tmp/x",
	`a\b`,
	"a\x00b",
	"a\nb",
	"a\x7fb",
	"bad\xffutf8",
	strings.Repeat("k", MaxKeyLen+1),
	strings.Repeat("s", MaxSegmentLen+1) + "/x",
}

func suiteInvalidKeys(t *testing.T, s Store) {
	ctx := context.Background()
	for _, key := range invalidKeys {
		want := ValidateKey(key)
		if want == nil {
			t.Fatalf("ValidateKey(%q) accepted a key the suite expects refused", key)
		}
		r, _, getErr := s.Get(ctx, key)
		if r != nil {
			r.Close()
		}
		_, statErr := s.Stat(ctx, key)
		for op, err := range map[string]error{
			"put":    s.Put(ctx, key, strings.NewReader("x"), 1, ""),
			"get":    getErr,
			"stat":   statErr,
			"delete": s.Delete(ctx, key),
		} {
			if !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("%s(%q) = %v, want ErrInvalidKey", op, key, err)
			}
			// Identical on every backend: the error is made before any I/O.
			if wantMsg := (&OpError{Op: op, Key: key, Err: want}).Error(); err.Error() != wantMsg {
				t.Fatalf("%s(%q) error %q, want %q", op, key, err, wantMsg)
			}
		}
	}
	for _, prefix := range []string{"/a", "a//", "../", `a\`, "a/.", "x\x00"} {
		err := s.List(ctx, prefix, func(Info) error { return nil })
		if !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("List(%q) = %v, want ErrInvalidKey", prefix, err)
		}
	}
	// Bad sizes and content types are refused alike too.
	for _, tc := range []struct {
		size int64
		ct   string
	}{{-2, ""}, {1, "text/plain\r\nX-Evil: 1"}, {1, strings.Repeat("t", 300)}} {
		if err := s.Put(ctx, "ok", strings.NewReader("x"), tc.size, tc.ct); err == nil {
			t.Fatalf("Put(size %d, type %q) succeeded", tc.size, tc.ct)
		}
	}
	if keys := listKeys(t, s, ""); len(keys) != 0 {
		t.Fatalf("refused calls left objects: %q", keys)
	}
}

// streamReader yields n pseudo-random bytes without holding them.
type streamReader struct {
	rng  *rand.ChaCha8
	left int64
}

func newStream(seed byte, n int64) *streamReader {
	var s [32]byte
	s[0] = seed
	return &streamReader{rng: rand.NewChaCha8(s), left: n}
}

func (s *streamReader) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	s.rng.Read(p)
	s.left -= int64(len(p))
	return len(p), nil
}

func streamSum(seed byte, n int64) [32]byte {
	h := sha256.New()
	io.Copy(h, newStream(seed, n))
	return [32]byte(h.Sum(nil))
}

func suiteLarge(t *testing.T, s Store) {
	const n = 20 << 20
	for _, size := range []int64{n, -1} {
		t.Run(fmt.Sprintf("size=%d", size), func(t *testing.T) {
			key := fmt.Sprintf("large/%d", size)
			start := time.Now()
			if err := s.Put(context.Background(), key, newStream(7, n), size, "image/tiff"); err != nil {
				t.Fatal(err)
			}
			putTime := time.Since(start)
			r, info, err := s.Get(context.Background(), key)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			h := sha256.New()
			got, err := io.Copy(h, r)
			if err != nil {
				t.Fatal(err)
			}
			if got != n || info.Size != n || [32]byte(h.Sum(nil)) != streamSum(7, n) {
				t.Fatalf("read %d bytes (info %d), want %d with the same hash", got, info.Size, n)
			}
			t.Logf("20 MiB: put %v, get %v", putTime.Round(time.Millisecond), (time.Since(start) - putTime).Round(time.Millisecond))
		})
	}
}

// cancelAfter cancels ctx once n bytes were read, then keeps yielding.
type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n -= int64(k)
	if c.n <= 0 {
		c.cancel()
	}
	return k, err
}

func suiteCancel(t *testing.T, s Store) {
	put(t, s, "present", randomBytes(4, 1<<20), "")

	done, cancel := context.WithCancel(context.Background())
	cancel()
	r, _, getErr := s.Get(done, "present")
	if r != nil {
		r.Close()
	}
	_, statErr := s.Stat(done, "present")
	for op, err := range map[string]error{
		"put":    s.Put(done, "new", strings.NewReader("x"), 1, ""),
		"get":    getErr,
		"stat":   statErr,
		"delete": s.Delete(done, "present"),
		"list":   s.List(done, "", func(Info) error { return nil }),
	} {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s with a cancelled context = %v, want context.Canceled", op, err)
		}
		if IsTransient(err) {
			t.Fatalf("IsTransient(%v) = true for a cancelled context", err)
		}
	}

	// Cancelled in the middle of the upload: an error, and no object.
	for _, size := range []int64{8 << 20, -1} {
		ctx, cancel := context.WithCancel(context.Background())
		src := &cancelAfter{r: newStream(5, 8<<20), n: 1 << 20, cancel: cancel}
		err := s.Put(ctx, "half", src, size, "")
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Put (size %d) cancelled midway = %v, want context.Canceled", size, err)
		}
		_, err = s.Stat(context.Background(), "half")
		wantNotFound(t, err, "stat", "half")
	}

	// Cancelled while reading.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, _, err := s.Get(ctx, "present")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := io.ReadFull(r, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.Copy(io.Discard, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("reading after cancel = %v, want context.Canceled", err)
	}

	if keys := listKeys(t, s, ""); !slices.Equal(keys, []string{"present"}) {
		t.Fatalf("after cancelled calls List = %q, want [present]", keys)
	}
}

var errBoom = errors.New("reader broke")

// failAfter yields n bytes of a stream, then errBoom.
type failAfter struct {
	r io.Reader
	n int64
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errBoom
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	k, err := f.r.Read(p)
	f.n -= int64(k)
	return k, err
}

func suiteFailingReader(t *testing.T, s Store) {
	ctx := context.Background()
	old := []byte("the old version stays")
	put(t, s, "kept", old, "text/plain")
	for _, tc := range []struct {
		name   string
		size   int64
		failAt int64
	}{
		{"known size, small", 1 << 20, 100 << 10},
		{"known size, multipart", 40 << 20, 20 << 20},
		{"unknown size", -1, 3 << 20},
		{"unknown size, nothing read", -1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, key := range []string{"broken", "kept"} {
				err := s.Put(ctx, key, &failAfter{r: newStream(9, 1<<30), n: tc.failAt}, tc.size, "")
				if !errors.Is(err, errBoom) {
					t.Fatalf("Put(%q) of a failing reader = %v, want errBoom", key, err)
				}
				if IsTransient(err) {
					t.Fatalf("IsTransient(%v) = true for the caller's reader failing", err)
				}
			}
			_, err := s.Stat(ctx, "broken")
			wantNotFound(t, err, "stat", "broken")
			if got, info := get(t, s, "kept"); !bytes.Equal(got, old) || info.ContentType != "text/plain" {
				t.Fatalf("failed overwrite changed the object: %q %+v", got, info)
			}
		})
	}
	// A reader shorter or longer than the size given is the caller's
	// mistake: refused alike, permanently, leaving nothing.
	for _, tc := range []struct {
		name string
		n    int
		size int64
	}{
		{"shorter", 3, 10},
		{"longer", 8, 3},
		{"not empty", 1, 0},
		{"shorter, multipart", 20 << 20, 30 << 20},
		{"longer, multipart", 20<<20 + 1, 20 << 20},
	} {
		err := s.Put(ctx, "mis-sized", newStream(3, int64(tc.n)), tc.size, "")
		want := fmt.Sprintf("reader ended after %d of %d bytes", tc.n, tc.size)
		if tc.n > int(tc.size) {
			want = fmt.Sprintf("reader has more than the %d bytes given as size", tc.size)
		}
		if err == nil || !strings.Contains(err.Error(), want) || IsTransient(err) {
			t.Fatalf("Put of %d bytes as size %d = %v (transient %v), want %q", tc.n, tc.size, err, IsTransient(err), want)
		}
		_, err = s.Stat(ctx, "mis-sized")
		wantNotFound(t, err, "stat", "mis-sized")
	}
	if keys := listKeys(t, s, ""); !slices.Equal(keys, []string{"kept"}) {
		t.Fatalf("after failed puts List = %q, want [kept]", keys)
	}
}

// suiteWithSHA256: a source marked with its digest is stored like any
// other, whatever its size (S3 sends it in one PUT), and the reader's
// failures, a wrong length and cancellation are refused alike, leaving
// nothing.
func suiteWithSHA256(t *testing.T, s Store) {
	ctx := context.Background()
	for _, n := range []int64{1, 1 << 20, 20 << 20} {
		key := fmt.Sprintf("digested/%d", n)
		if err := s.Put(ctx, key, WithSHA256(newStream(11, n), streamSum(11, n)), n, "image/jpeg"); err != nil {
			t.Fatalf("Put of %d bytes with their digest: %v", n, err)
		}
		r, info, err := s.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		got, err := io.Copy(h, r)
		r.Close()
		if err != nil || got != n || info.Size != n || info.ContentType != "image/jpeg" || [32]byte(h.Sum(nil)) != streamSum(11, n) {
			t.Fatalf("Get after a digested Put of %d bytes: %d bytes, %+v, %v", n, got, info, err)
		}
	}
	const n = 4 << 20
	sum := streamSum(12, n)
	err := s.Put(ctx, "broken", WithSHA256(&failAfter{r: newStream(12, n), n: 1 << 20}, sum), n, "")
	if !errors.Is(err, errBoom) || IsTransient(err) {
		t.Fatalf("digested Put of a failing reader = %v (transient %v), want errBoom", err, IsTransient(err))
	}
	err = s.Put(ctx, "broken", WithSHA256(newStream(12, n-1), sum), n, "")
	if want := fmt.Sprintf("reader ended after %d of %d bytes", n-1, n); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("digested Put of a short reader = %v, want %q", err, want)
	}
	cctx, cancel := context.WithCancel(ctx)
	err = s.Put(cctx, "broken", WithSHA256(&cancelAfter{r: newStream(12, n), n: 1 << 20, cancel: cancel}, sum), n, "")
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("digested Put cancelled midway = %v, want context.Canceled", err)
	}
	_, err = s.Stat(ctx, "broken")
	wantNotFound(t, err, "stat", "broken")
}
