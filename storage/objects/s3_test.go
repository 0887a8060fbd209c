package objects

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// The S3 backend is tested against a real server that objectstest starts
// (versitygw); see there for when the test skips.

func TestS3Store(t *testing.T) {
	addr := objectstest.StartS3(t)
	var n atomic.Int64
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	runStoreSuite(t, func(t *testing.T) Store {
		bucket := fmt.Sprintf("suite-%d", n.Add(1))
		s, err := NewS3(context.Background(), S3Config{
			Endpoint: addr, AccessKey: objectstest.AccessKey, SecretKey: objectstest.SecretKey, Bucket: bucket,
			MaxRetries: 2,
		}, log)
		if err != nil {
			t.Fatal(err)
		}
		s.listPageSize = 40 // several pages for the List case
		return s
	})
}

// newTestS3 is a store on a versitygw of its own, in a fresh bucket, that
// gives up after one retry.
func newTestS3(t *testing.T, bucket string) *S3 {
	t.Helper()
	s, err := NewS3(context.Background(), S3Config{
		Endpoint: objectstest.StartS3(t), AccessKey: objectstest.AccessKey, SecretKey: objectstest.SecretKey, Bucket: bucket,
		MaxRetries: 1,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestS3DigestChecked: S3 checks the bytes of a Put against the digest its
// source was marked with, and refuses a mismatch for good, keeping the old
// object. (Local does not check; the digest is the caller's word.)
func TestS3DigestChecked(t *testing.T) {
	ctx := context.Background()
	s := newTestS3(t, "digest")
	old := []byte("the old version stays")
	put(t, s, "kept", old, "text/plain")
	data := randomBytes(13, 1<<20)
	for _, key := range []string{"new", "kept"} {
		wrong := sha256.Sum256(data[1:])
		err := s.Put(ctx, key, WithSHA256(bytes.NewReader(data), wrong), int64(len(data)), "image/png")
		if err == nil || IsTransient(err) {
			t.Fatalf("Put(%q) with a wrong digest = %v (transient %v), want a permanent refusal", key, err, IsTransient(err))
		}
	}
	_, err := s.Stat(ctx, "new")
	wantNotFound(t, err, "stat", "new")
	if got, info := get(t, s, "kept"); !bytes.Equal(got, old) || info.ContentType != "text/plain" {
		t.Fatalf("refused overwrite changed the object: %q %+v", got, info)
	}
}

// TestS3DigestCRC32C: a digested Put from a seekable source carries the
// bytes' CRC32C, which the server keeps as the object's checksum (so it
// computes none of its own), and the source read for it is still sent
// whole; from a source that cannot seek the Put goes without it.
func TestS3DigestCRC32C(t *testing.T) {
	ctx := context.Background()
	s := newTestS3(t, "crc")
	data := randomBytes(14, 2<<20+17)
	crc := crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli))
	want := base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, crc))
	// Started past a prefix, to show the checksum covers what is sent.
	src := bytes.NewReader(append([]byte("prefix"), data...))
	if _, err := src.Seek(6, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key     string
		r       io.Reader
		wantCRC string
	}{
		{"seekable", src, want},
		{"stream", struct{ io.Reader }{bytes.NewReader(data)}, ""},
	} {
		if err := s.Put(ctx, c.key, WithSHA256(c.r, sha256.Sum256(data)), int64(len(data)), "image/jpeg"); err != nil {
			t.Fatalf("Put(%q): %v", c.key, err)
		}
		if got, _ := get(t, s, c.key); !bytes.Equal(got, data) {
			t.Fatalf("Get(%q): %d bytes, not the %d put", c.key, len(got), len(data))
		}
		oi, err := s.client.StatObject(ctx, s.bucket, c.key, minio.StatObjectOptions{Checksum: true})
		if err != nil {
			t.Fatal(err)
		}
		if oi.ChecksumCRC32C != c.wantCRC {
			t.Errorf("%s: stored CRC32C %q, want %q", c.key, oi.ChecksumCRC32C, c.wantCRC)
		}
	}
}

// TestOpenS3URL opens the server through a URL, secret percent-encoded,
// and checks that the bucket is made once and reused.
func TestOpenS3URL(t *testing.T) {
	addr := objectstest.StartS3(t)
	ctx := context.Background()
	u := fmt.Sprintf("s3://%s:%s@%s/opened?secure=false&region=us-east-1",
		objectstest.AccessKey, strings.NewReplacer("/", "%2F", "+", "%2B", "=", "%3D").Replace(objectstest.SecretKey), addr)
	s, err := Open(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "k", []byte("v"), "")
	s2, err := Open(ctx, u, nil)
	if err != nil {
		t.Fatalf("second Open of an existing bucket: %v", err)
	}
	if got, _ := get(t, s2, "k"); string(got) != "v" {
		t.Fatalf("got %q through the second store", got)
	}

	// A wrong secret is refused at Open, permanently, without the secret
	// in the message.
	bad := strings.Replace(u, "%2F", "WRONG", 1)
	_, err = Open(ctx, bad, nil)
	if err == nil {
		t.Fatal("Open with a wrong secret succeeded")
	}
	if IsTransient(err) {
		t.Fatalf("IsTransient(%v) = true for a wrong secret", err)
	}
	if strings.Contains(err.Error(), "WRONG") {
		t.Fatalf("error shows the secret: %v", err)
	}
}

// TestS3Unreachable: nothing listens, so the error is transient.
func TestS3Unreachable(t *testing.T) {
	addr, err := objectstest.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewS3(context.Background(), S3Config{
		Endpoint: addr, AccessKey: "a", SecretKey: "b", Bucket: "bucket", MaxRetries: 1,
	}, nil)
	if err == nil {
		t.Fatal("NewS3 to a closed port succeeded")
	}
	if !IsTransient(err) {
		t.Fatalf("IsTransient(%v) = false for connection refused", err)
	}
	if errors.Is(err, ErrNotFound) {
		t.Fatalf("connection refused passed for not found: %v", err)
	}
}

// TestS3ErrorTranslation answers every object request with a given S3
// error and checks what fail and IsTransient make of it, for GET (error in
// the body) and HEAD (status only).
func TestS3ErrorTranslation(t *testing.T) {
	var status atomic.Int64
	var code atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bucket/" || r.URL.Path == "/bucket" {
			w.WriteHeader(http.StatusOK) // BucketExists in NewS3
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(int(status.Load()))
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>m</Message><Key>k</Key></Error>`, code.Load())
	}))
	defer srv.Close()
	s, err := NewS3(context.Background(), S3Config{
		Endpoint: strings.TrimPrefix(srv.URL, "http://"), AccessKey: "a", SecretKey: "b", Bucket: "bucket",
		Region: "us-east-1", MaxRetries: 1, // no location lookup, no retry delays
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		status        int
		code          string
		notFound      bool
		transient     bool
		headNotFound  bool // HEAD has no body: only the status speaks
		headTransient bool
	}{
		{404, "NoSuchKey", true, false, true, false},
		{404, "NoSuchBucket", false, false, true, false},
		{403, "AccessDenied", false, false, false, false},
		{400, "InvalidArgument", false, false, false, false},
		{500, "InternalError", false, true, false, true},
		{503, "SlowDown", false, true, false, true},
		{503, "ServiceUnavailable", false, true, false, true},
		{429, "TooManyRequests", false, true, false, true},
	} {
		status.Store(int64(tc.status))
		code.Store(tc.code)
		ctx := context.Background()
		_, _, getErr := s.Get(ctx, "k")
		_, statErr := s.Stat(ctx, "k")
		for _, c := range []struct {
			op                  string
			err                 error
			notFound, transient bool
		}{
			{"get", getErr, tc.notFound, tc.transient},
			{"stat", statErr, tc.headNotFound, tc.headTransient},
		} {
			var oe *OpError
			if !errors.As(c.err, &oe) || oe.Op != c.op || oe.Key != "k" {
				t.Errorf("%d %s: %s error %v is not an *OpError for %s k", tc.status, tc.code, c.op, c.err, c.op)
				continue
			}
			if got := errors.Is(c.err, ErrNotFound); got != c.notFound {
				t.Errorf("%d %s: %s: errors.Is(%v, ErrNotFound) = %v, want %v", tc.status, tc.code, c.op, c.err, got, c.notFound)
			}
			if got := IsTransient(c.err); got != c.transient {
				t.Errorf("%d %s: %s: IsTransient(%v) = %v, want %v", tc.status, tc.code, c.op, c.err, got, c.transient)
			}
		}
		// Delete of a missing key succeeds; other failures do not.
		if err := s.Delete(ctx, "k"); (err == nil) != tc.notFound {
			t.Errorf("%d %s: Delete = %v", tc.status, tc.code, err)
		}
	}
}
