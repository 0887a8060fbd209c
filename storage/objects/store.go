// Package objects keeps the pipeline's blobs: contractors' originals
// (immutable, keyed by content hash, see HashKey) and derived artifacts
// (enhanced page images, OCR words). Two backends implement Store: Local, a
// folder on this machine, the embedded default; and S3, any S3-compatible
// server (MinIO, Ceph RGW, Yandex Object Storage, versitygw) for production.
// Open picks one from a URL so that configuration is a single string.
//
// Both backends promise the same things, checked by one shared test suite:
// a reader never sees a partly written object, a missing object is
// ErrNotFound, Delete of a missing object succeeds, List is in byte-wise
// lexical key order, and the same keys are refused with the same error.
package objects

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Store is what the pipeline needs of an object store. Implementations are
// safe for concurrent use.
type Store interface {
	// Put stores size bytes read from r under key, replacing any object
	// there. size -1 means "read r to EOF"; a known size must match what r
	// yields, or Put fails. It is atomic: a concurrent Get sees the old
	// object, or no object, or the whole new one, never a part; a failed Put
	// (reader error, cancelled ctx) leaves no object behind. An empty
	// contentType is stored as DefaultContentType. A source made with
	// WithSHA256 tells the store the bytes' digest (see there).
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the object for reading; the caller closes it. ErrNotFound
	// when missing.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Stat describes the object without reading it. ErrNotFound when missing.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object; deleting a missing object succeeds, so a
	// retried clean-up never fails on its own earlier success.
	Delete(ctx context.Context, key string) error
	// List calls fn for every object whose key starts with prefix ("" for
	// all), in byte-wise lexical key order. Info.ContentType is empty here:
	// S3 listings do not carry it, so neither backend pretends to; use Stat.
	// An error from fn stops the listing and is returned as it is.
	List(ctx context.Context, prefix string, fn func(Info) error) error
}

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string    // empty in List results
	Modified    time.Time // S3 servers keep whole seconds only
}

// DefaultContentType is what Put stores when given no content type; set
// explicitly so that both backends report the same value.
const DefaultContentType = "application/octet-stream"

var (
	// ErrNotFound is returned (wrapped in *OpError) by Get and Stat for a
	// key with no object.
	ErrNotFound = errors.New("object not found")
	// ErrInvalidKey is returned (wrapped in *OpError, with the reason) for a
	// key or prefix that ValidateKey refuses, before any I/O.
	ErrInvalidKey = errors.New("invalid object key")
)

// OpError is the error every Store operation returns: which operation, on
// which key (or list prefix), and why. Use errors.Is with ErrNotFound,
// ErrInvalidKey or context.Canceled, and IsTransient to decide on a retry.
type OpError struct {
	Op  string // "put", "get", "stat", "delete", "list"
	Key string
	Err error
}

func (e *OpError) Error() string {
	return fmt.Sprintf("objects: %s %q: %v", e.Op, e.Key, e.Err)
}

func (e *OpError) Unwrap() error { return e.Err }

func opError(op, key string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Key: key, Err: err}
}

// Key limits. S3 allows 1024 bytes of UTF-8 per key; a filesystem allows
// 255 bytes per name, and Local needs a few of those for its sidecar names.
const (
	MaxKeyLen     = 1024
	MaxSegmentLen = 240
)

// ValidateKey reports whether key may name an object, in both backends
// alike. A key is "/"-separated segments; it is refused when it is empty or
// longer than MaxKeyLen bytes, is not valid UTF-8, has a backslash, NUL or
// other control character, starts or ends with "/", has an empty segment
// ("a//b"), a segment longer than MaxSegmentLen, or a segment starting with
// "." (this covers "." and ".."; Local also keeps its temporary and sidecar
// files under dot-names, so no key can collide with them).
//
// The rules are stricter than S3's on purpose: keys are made by the
// pipeline, never taken from a contractor, and a key valid here is a safe
// relative path on any POSIX filesystem.
func ValidateKey(key string) error {
	if reason := keyProblem(key); reason != "" {
		return fmt.Errorf("%w: %s", ErrInvalidKey, reason)
	}
	return nil
}

func keyProblem(key string) string {
	switch {
	case key == "":
		return "empty"
	case len(key) > MaxKeyLen:
		return fmt.Sprintf("%d bytes, over %d", len(key), MaxKeyLen)
	case strings.HasPrefix(key, "/"):
		return "starts with /"
	case strings.HasSuffix(key, "/"):
		return "ends with /"
	case !utf8.ValidString(key):
		return "not valid UTF-8"
	}
	for i, r := range key {
		switch {
		case r == '\\':
			return fmt.Sprintf("backslash at byte %d", i)
		case r == 0:
			return fmt.Sprintf("NUL at byte %d", i)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return fmt.Sprintf("control character %U at byte %d", r, i)
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch {
		case seg == "":
			return "empty segment"
		case seg[0] == '.':
			return fmt.Sprintf("segment %q starts with a dot", seg)
		case len(seg) > MaxSegmentLen:
			return fmt.Sprintf("segment of %d bytes, over %d", len(seg), MaxSegmentLen)
		}
	}
	return ""
}

// validatePrefix accepts "" (everything) or a key, optionally followed by
// one "/" ("originals/" lists below originals). A prefix may end inside a
// segment ("originals/ab"), so that part is checked like a segment.
func validatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return ValidateKey(strings.TrimSuffix(prefix, "/"))
}

// HashKey returns the key for content with the given SHA-256 digest (64 hex
// digits, either case) under prefix, fanned out by the first two bytes so
// that no directory (Local) or listing page grows past 256 entries per
// level: HashKey("originals", "abcdef…") = "originals/ab/cd/abcdef…". An
// empty prefix gives "ab/cd/abcdef…".
//
// A digest that is not 64 hex digits yields "", which every Store operation
// refuses with ErrInvalidKey: a bad digest fails at the first use instead of
// becoming a plausible key.
func HashKey(prefix string, sha256hex string) string {
	if len(sha256hex) != 64 {
		return ""
	}
	h := strings.ToLower(sha256hex)
	for i := 0; i < len(h); i++ {
		if !(h[i] >= '0' && h[i] <= '9' || h[i] >= 'a' && h[i] <= 'f') {
			return ""
		}
	}
	key := h[0:2] + "/" + h[2:4] + "/" + h
	if p := strings.TrimSuffix(prefix, "/"); p != "" {
		key = p + "/" + key
	}
	return key
}

// Open returns the Store a URL names:
//
//	file:///var/lib/pervichka/objects   a local folder, absolute
//	file:relative/dir                   a local folder, relative to the working directory
//	s3://KEY:SECRET@host:port/bucket?secure=false&region=ru-central1
//
// For s3, the access key and secret are the URL's user info and must be
// percent-encoded where they hold reserved characters ("/" is "%2F", "+" is
// "%2B"); secure defaults to true (HTTPS); region is optional; the bucket is
// created when missing. Errors never repeat the secret.
func Open(ctx context.Context, rawURL string, log *slog.Logger) (Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	scheme, _, ok := strings.Cut(rawURL, ":")
	if !ok {
		return nil, fmt.Errorf("objects: open: store URL has no scheme (want file: or s3:)")
	}
	switch strings.ToLower(scheme) {
	case "file":
		dir, err := fileURLPath(rawURL)
		if err != nil {
			return nil, err
		}
		return NewLocal(dir)
	case "s3":
		cfg, err := parseS3URL(rawURL)
		if err != nil {
			return nil, err
		}
		return NewS3(ctx, cfg, log)
	}
	return nil, fmt.Errorf("objects: open: unknown store URL scheme %q (want file: or s3:)", scheme)
}

func fileURLPath(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("objects: open: bad file URL: %w", err)
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", fmt.Errorf("objects: open: file URL names host %q; only local folders are supported", u.Host)
	}
	dir := u.Path
	if u.Opaque != "" { // file:relative/dir
		dir, err = url.PathUnescape(u.Opaque)
		if err != nil {
			return "", fmt.Errorf("objects: open: bad file URL path: %w", err)
		}
	}
	if dir == "" {
		return "", fmt.Errorf("objects: open: file URL has no folder")
	}
	return dir, nil
}

func parseS3URL(rawURL string) (S3Config, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the whole URL, secret included.
		return S3Config{}, errors.New("objects: open: malformed s3 URL")
	}
	cfg := S3Config{Endpoint: u.Host, Secure: true}
	if u.User != nil {
		cfg.AccessKey = u.User.Username()
		cfg.SecretKey, _ = u.User.Password()
	}
	cfg.Bucket = strings.Trim(u.Path, "/")
	q := u.Query()
	for name := range q {
		switch name {
		case "secure", "region":
		default:
			return S3Config{}, fmt.Errorf("objects: open: unknown s3 URL parameter %q (known: secure, region)", name)
		}
	}
	if v := q.Get("secure"); v != "" {
		switch strings.ToLower(v) {
		case "true", "1", "yes":
			cfg.Secure = true
		case "false", "0", "no":
			cfg.Secure = false
		default:
			return S3Config{}, fmt.Errorf("objects: open: s3 URL parameter secure=%q is not true or false", v)
		}
	}
	cfg.Region = q.Get("region")
	if err := cfg.check(); err != nil {
		return S3Config{}, err
	}
	return cfg, nil
}
