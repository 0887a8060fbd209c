package objects

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// checkPut validates what both backends refuse alike before any I/O, and
// returns the content type to store.
func checkPut(key string, size int64, contentType string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	if size < -1 {
		return "", fmt.Errorf("negative size %d (use -1 for unknown)", size)
	}
	if contentType == "" {
		return DefaultContentType, nil
	}
	if len(contentType) > maxContentTypeLen {
		return "", fmt.Errorf("content type of %d bytes, over %d", len(contentType), maxContentTypeLen)
	}
	for _, c := range []byte(contentType) {
		if c < 0x20 || c >= 0x7f {
			return "", fmt.Errorf("content type %q has a byte outside printable ASCII", contentType)
		}
	}
	return contentType, nil
}

// sourceReader is the caller's reader in Put, for both backends alike. It
// stops with ctx.Err() once ctx ends, between reads; marks the reader's own
// failures, so that IsTransient does not take them for network trouble
// after an HTTP client wrapped them; and holds a known size to exactly that
// many bytes (net/http alone would report a longer body as a failed TCP
// write, and a multipart upload would not notice it at all).
type sourceReader struct {
	ctx  context.Context
	r    io.Reader
	size int64 // -1: unknown
	read int64
}

func newSourceReader(ctx context.Context, r io.Reader, size int64) *sourceReader {
	return &sourceReader{ctx: ctx, r: r, size: size}
}

func (s *sourceReader) Read(p []byte) (int, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	if s.size >= 0 {
		if s.read >= s.size {
			return 0, s.checkEnd()
		}
		if rest := s.size - s.read; int64(len(p)) > rest {
			p = p[:rest]
		}
	}
	n, err := s.r.Read(p)
	s.read += int64(n)
	switch {
	case err == io.EOF && s.size >= 0 && s.read < s.size:
		return n, &sourceError{fmt.Errorf("reader ended after %d of %d bytes", s.read, s.size)}
	case err != nil && err != io.EOF:
		return n, &sourceError{err}
	case err == nil && s.size >= 0 && s.read == s.size:
		// Tell the end now: a multipart upload reads no further than size.
		if err := s.checkEnd(); err != io.EOF {
			return n, err
		}
		return n, io.EOF
	}
	return n, err
}

// checkEnd is io.EOF when the reader has nothing past size, an error
// otherwise.
func (s *sourceReader) checkEnd() error {
	var b [1]byte
	for range 100 {
		n, err := s.r.Read(b[:])
		switch {
		case n > 0:
			return &sourceError{fmt.Errorf("reader has more than the %d bytes given as size", s.size)}
		case err == io.EOF:
			return io.EOF
		case err != nil:
			return &sourceError{err}
		}
	}
	return &sourceError{io.ErrNoProgress}
}

// sourceError is a failure of the reader given to Put.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return "read source: " + e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// WithSHA256 marks a Put source with the SHA-256 of the bytes it yields,
// for a caller that has computed it anyway (the pipeline keys originals by
// it). S3 then sends the digest as the request's signed payload hash instead
// of hashing the body again, and the server refuses a Put whose bytes do not
// match it: the object stored is the one the caller hashed. When r can seek
// (a bytes.Reader), S3 reads it once more before sending, for a CRC32C that
// spares the server a costlier checksum of its own. Local reads the source
// like any other and does not check the digest, which costs a pass over the
// bytes; a wrong digest is the caller's bug, found by S3 alone.
func WithSHA256(r io.Reader, sum [sha256.Size]byte) io.Reader {
	return &digestReader{r: r, sum: sum}
}

type digestReader struct {
	r   io.Reader
	sum [sha256.Size]byte
}

func (d *digestReader) Read(p []byte) (int, error) { return d.r.Read(p) }

func (d *digestReader) hex() string { return hex.EncodeToString(d.sum[:]) }
