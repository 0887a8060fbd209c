package objects

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/minio/minio-go/v7"
)

func TestValidateKey(t *testing.T) {
	valid := []string{
		"a",
		"originals/ab/cd/abcd",
		"pages/1/enhanced.png",
		"Счета/2026/счёт №5.pdf",
		"a..b/c.d",
		"with space/and-dash_and+plus=eq",
		strings.Repeat("s", MaxSegmentLen),
		strings.Repeat(strings.Repeat("k", 100)+"/", 10) + strings.Repeat("k", MaxKeyLen-1010),
	}
	for _, key := range valid {
		if err := ValidateKey(key); err != nil {
			t.Errorf("ValidateKey(%q) = %v, want nil", key, err)
		}
	}
	for _, key := range invalidKeys {
		err := ValidateKey(key)
		if !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ValidateKey(%q) = %v, want ErrInvalidKey", key, err)
		}
	}
}

func TestValidatePrefix(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		ok     bool
	}{
		{"", true}, {"a", true}, {"a/", true}, {"a/b", true}, {"originals/ab/c", true},
		{"/", false}, {"a//", false}, {"./", false}, {"a/.", false}, {`a\`, false}, {"a\x00", false},
	} {
		if err := validatePrefix(tc.prefix); (err == nil) != tc.ok {
			t.Errorf("validatePrefix(%q) = %v, want ok=%v", tc.prefix, err, tc.ok)
		}
	}
}

func TestHashKey(t *testing.T) {
	const sum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	for _, tc := range []struct {
		prefix, hex, want string
	}{
		{"originals", sum, "originals/e3/b0/" + sum},
		{"originals/", sum, "originals/e3/b0/" + sum},
		{"tenant/7/originals", strings.ToUpper(sum), "tenant/7/originals/e3/b0/" + sum},
		{"", sum, "e3/b0/" + sum},
		{"originals", sum[:63], ""},
		{"originals", sum + "0", ""},
		{"originals", "g" + sum[1:], ""},
		{"originals", "../" + sum[3:], ""},
		{"originals", "", ""},
	} {
		got := HashKey(tc.prefix, tc.hex)
		if got != tc.want {
			t.Errorf("HashKey(%q, %q) = %q, want %q", tc.prefix, tc.hex, got, tc.want)
		}
		if got != "" && ValidateKey(got) != nil {
			t.Errorf("HashKey(%q, %q) = %q, which ValidateKey refuses", tc.prefix, tc.hex, got)
		}
	}
}

func TestOpenFileURL(t *testing.T) {
	abs := t.TempDir()
	t.Chdir(t.TempDir())
	for _, tc := range []struct {
		url, wantDir string
	}{
		{"file://" + abs + "/store", abs + "/store"},
		{"file://localhost" + abs + "/x", abs + "/x"},
		{"file:relative/dir", "relative/dir"},
		{"file:with%20space", "with space"},
	} {
		s, err := Open(context.Background(), tc.url, nil)
		if err != nil {
			t.Fatalf("Open(%q): %v", tc.url, err)
		}
		l, ok := s.(*Local)
		if !ok || l.Dir() != tc.wantDir {
			t.Fatalf("Open(%q) = %T %v, want Local in %q", tc.url, s, s, tc.wantDir)
		}
		l.Close()
	}
}

func TestOpenRefusesBadURLs(t *testing.T) {
	for _, tc := range []struct {
		url, wantErr string
	}{
		{"/var/lib/objects", "no scheme"},
		{"ftp://host/x", "unknown store URL scheme"},
		{"file://otherhost/x", "names host"},
		{"file:", "no folder"},
		{"s3://key:hunter2x@host:9000", "no bucket"},
		{"s3://key:hunter2x@/bucket", "no endpoint"},
		{"s3://host:9000/bucket", "access key and secret"},
		{"s3://key:hunter2x@host:9000/bucket/extra", "has a slash"},
		{"s3://key:hunter2x@host:9000/bucket?secure=maybe", "not true or false"},
		{"s3://key:hunter2x@host:9000/bucket?pathstyle=1", "unknown s3 URL parameter"},
		{"s3://key:hun%zzter2x@host:9000/bucket", "malformed s3 URL"},
	} {
		_, err := Open(context.Background(), tc.url, nil)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Open(%q) = %v, want an error with %q", tc.url, err, tc.wantErr)
		}
		if err != nil && (strings.Contains(err.Error(), "hunter") || strings.Contains(err.Error(), "ter2x")) {
			t.Errorf("Open(%q) error shows the secret: %v", tc.url, err)
		}
	}
}

func TestParseS3URL(t *testing.T) {
	cfg, err := parseS3URL("s3://AK%2FID:se%2Bcr%2Fet@storage.yandexcloud.net:443/pervichka?region=ru-central1")
	if err != nil {
		t.Fatal(err)
	}
	want := S3Config{Endpoint: "storage.yandexcloud.net:443", AccessKey: "AK/ID", SecretKey: "se+cr/et",
		Bucket: "pervichka", Secure: true, Region: "ru-central1"}
	if cfg != want {
		t.Fatalf("parseS3URL = %+v, want %+v", cfg, want)
	}
	cfg, err = parseS3URL("s3://k:s@127.0.0.1:7070/b?secure=false")
	if err != nil || cfg.Secure || cfg.Endpoint != "127.0.0.1:7070" || cfg.Bucket != "b" {
		t.Fatalf("parseS3URL insecure = %+v, %v", cfg, err)
	}
}

func TestIsTransient(t *testing.T) {
	wrap := func(err error) error { return &OpError{Op: "put", Key: "k", Err: fmt.Errorf("upload: %w", err)} }
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"not found", wrap(ErrNotFound), false},
		{"invalid key", wrap(ValidateKey("../x")), false},
		{"canceled", wrap(context.Canceled), false},
		{"deadline", wrap(context.DeadlineExceeded), false},
		{"plain error", wrap(errors.New("something")), false},
		{"connection refused", wrap(syscall.ECONNREFUSED), true},
		{"connection reset", wrap(syscall.ECONNRESET), true},
		{"net.OpError", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("no route")}), true},
		{"unexpected EOF", wrap(io.ErrUnexpectedEOF), true},
		{"disk full", wrap(syscall.ENOSPC), true},
		{"source reader failed with a network errno", wrap(&sourceError{syscall.ECONNRESET}), false},
		{"503", wrap(minio.ErrorResponse{StatusCode: 503, Code: "ServiceUnavailable"}), true},
		{"500", wrap(minio.ErrorResponse{StatusCode: 500, Code: "InternalError"}), true},
		{"502 no code", wrap(minio.ErrorResponse{StatusCode: 502}), true},
		{"429", wrap(minio.ErrorResponse{StatusCode: 429, Code: "TooManyRequests"}), true},
		{"SlowDown", wrap(minio.ErrorResponse{StatusCode: 503, Code: "SlowDown"}), true},
		{"throttling code on 400", wrap(minio.ErrorResponse{StatusCode: 400, Code: "Throttling"}), true},
		{"403", wrap(minio.ErrorResponse{StatusCode: 403, Code: "AccessDenied"}), false},
		{"NoSuchBucket", wrap(minio.ErrorResponse{StatusCode: 404, Code: "NoSuchBucket"}), false},
		{"400", wrap(minio.ErrorResponse{StatusCode: 400, Code: "InvalidArgument"}), false},
	} {
		if got := IsTransient(tc.err); got != tc.want {
			t.Errorf("%s: IsTransient(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

// FuzzValidateKey: an accepted key is a clean, local, slash-separated
// relative path of valid UTF-8, so Local can use it as a file name as is.
func FuzzValidateKey(f *testing.F) {
	for _, k := range append([]string{"a", "a/b", "originals/ab/cd/x", "a..b", "счёт.pdf"}, invalidKeys...) {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		err := ValidateKey(key)
		if err != nil {
			if !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("ValidateKey(%q) = %v, not ErrInvalidKey", key, err)
			}
			return
		}
		if path.Clean(key) != key || !filepath.IsLocal(key) || !utf8.ValidString(key) ||
			len(key) > MaxKeyLen || strings.ContainsAny(key, "\\\x00") {
			t.Fatalf("ValidateKey accepted %q", key)
		}
		for _, seg := range strings.Split(key, "/") {
			if seg == "" || seg[0] == '.' || len(seg) > MaxSegmentLen {
				t.Fatalf("ValidateKey accepted %q with segment %q", key, seg)
			}
		}
		if err := validatePrefix(key + "/"); err != nil {
			t.Fatalf("key %q accepted, but not as prefix %q: %v", key, key+"/", err)
		}
	})
}

// FuzzOpenURL: any s3 URL is refused or parsed to a config that passes
// its own check, without a panic. (That refusals never quote the secret is
// checked by TestOpenRefusesBadURLs: a fuzzed secret can be any word of
// the message itself.)
func FuzzOpenURL(f *testing.F) {
	for _, u := range []string{
		"s3://key:hunter2x@host:9000/bucket?secure=false&region=r",
		"s3://key:hunter2x@/b", "s3://:hunter2x@h/b", "s3://k:hunter2x@h:1/b?secure=x",
		"s3://k:hun%zzter2x@h/b", "s3:", "s3://k:hunter2x@h/b/c",
	} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if len(raw) < 3 || !strings.EqualFold(raw[:3], "s3:") {
			return // file: URLs would make folders
		}
		cfg, err := parseS3URL(raw)
		if err == nil && cfg.check() != nil {
			t.Fatalf("parseS3URL(%q) accepted a config check refuses", raw)
		}
	})
}

// TestUnwritableFolderIsTransient: a Put into a folder the process may not
// write fails with an error that says "later" (the API's 503), as a full
// disk does: the operator's fix makes the same Put succeed. Root ignores
// permissions, so as root the folder is made immutable instead.
func TestUnwritableFolderIsTransient(t *testing.T) {
	dir := t.TempDir()
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	tmp := filepath.Join(dir, localTempDir)
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", tmp).CombinedOutput(); err != nil {
			t.Skipf("as root, chattr +i is needed to make a folder unwritable: %v %s", err, out)
		}
		defer exec.Command("chattr", "-i", tmp).Run()
	} else {
		if err := os.Chmod(tmp, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(tmp, 0o750)
	}
	err = l.Put(context.Background(), "k", strings.NewReader("x"), 1, "")
	if err == nil || !IsTransient(err) {
		t.Fatalf("Put into an unwritable folder: %v (transient %v), want a transient error", err, IsTransient(err))
	}
}
