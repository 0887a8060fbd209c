package objects

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says how to reach an S3-compatible server.
type S3Config struct {
	Endpoint  string // host:port, no scheme
	AccessKey string
	SecretKey string
	Bucket    string
	Secure    bool   // HTTPS
	Region    string // optional; some servers (Yandex: ru-central1) want it
	// MaxRetries bounds minio-go's own retries of transient failures, with
	// backoff up to a second each; 0 keeps its default of 10.
	MaxRetries int
	// PartSize is the multipart part size, and so the memory one Put of
	// unknown size (-1) buffers; 0 means 16 MiB, which caps such objects at
	// 160 GiB (10,000 parts). minio-go's own default for unknown sizes is
	// ~537 MiB per Put, too much for a small machine.
	PartSize uint64
}

const defaultPartSize = 16 << 20

// maxIdleConns is how many connections to the server are kept open between
// requests: about as many as Puts and Gets a busy process has in flight.
const maxIdleConns = 64

// checksumCRC32CHeader is S3's whole-object CRC32C of a PUT (base64 of the
// big-endian value). minio-go sends a user metadata key with the
// x-amz-checksum- prefix as that header, not as x-amz-meta-.
const checksumCRC32CHeader = "x-amz-checksum-crc32c"

// maxSinglePut is S3's largest object sent in one PUT request.
const maxSinglePut = 5 << 30

func (c S3Config) check() error {
	switch {
	case c.Endpoint == "":
		return errors.New("objects: s3: no endpoint host")
	case strings.Contains(c.Endpoint, "/"):
		return fmt.Errorf("objects: s3: endpoint %q must be host:port without a scheme or path", c.Endpoint)
	case c.Bucket == "":
		return errors.New("objects: s3: no bucket")
	case strings.Contains(c.Bucket, "/"):
		return fmt.Errorf("objects: s3: bucket %q has a slash; keys go in Put, not in the bucket", c.Bucket)
	case c.AccessKey == "" || c.SecretKey == "":
		return errors.New("objects: s3: access key and secret are both required")
	case c.PartSize != 0 && c.PartSize < 5<<20:
		return fmt.Errorf("objects: s3: part size %d under the S3 minimum of 5 MiB", c.PartSize)
	}
	return nil
}

// S3 is a Store in a bucket of an S3-compatible server, through minio-go.
//
// S3 itself gives the Store promises: a PUT becomes visible whole or not at
// all, and a multipart upload that fails is aborted (minio-go does this), so
// a failed Put leaves no object. Errors are translated in one place (fail):
// a missing key is ErrNotFound, the cancelled context shows through
// errors.Is, and IsTransient tells network trouble, 5xx and throttling from
// permanent refusals. Limits: List does not report content types (S3
// listings lack them), Modified has whole seconds, and keys that
// ValidateKey refuses (made by other tools in the same bucket) are skipped
// by List and logged.
type S3 struct {
	client   *minio.Client
	bucket   string
	partSize uint64
	log      *slog.Logger
	// listPageSize is the keys per ListObjectsV2 request; 0 is the server's
	// default (1000). Tests lower it to cross page boundaries cheaply.
	listPageSize int
}

var _ Store = (*S3)(nil)

// NewS3 connects to the server and creates the bucket when missing. It
// makes a request (the bucket check), so a wrong endpoint or key fails here
// rather than at the first Put.
func NewS3(ctx context.Context, cfg S3Config, log *slog.Logger) (*S3, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tr, err := minio.DefaultTransport(cfg.Secure)
	if err != nil {
		return nil, fmt.Errorf("objects: s3 %s: %w", cfg.Endpoint, err)
	}
	// minio-go keeps 16 idle connections per host; an API under a burst of
	// uploads has more Puts in flight than that, and would dial (and leave
	// in TIME_WAIT) a connection for each one over the 16.
	tr.MaxIdleConnsPerHost = maxIdleConns
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:      credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:     cfg.Secure,
		Region:     cfg.Region,
		MaxRetries: cfg.MaxRetries,
		Transport:  tr,
	})
	if err != nil {
		return nil, fmt.Errorf("objects: s3 %s: %w", cfg.Endpoint, err)
	}
	s := &S3{client: client, bucket: cfg.Bucket, partSize: cfg.PartSize, log: log}
	if s.partSize == 0 {
		s.partSize = defaultPartSize
	}
	if err := s.ensureBucket(ctx, cfg.Region); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *S3) ensureBucket(ctx context.Context, region string) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.fail(ctx, "open bucket", s.bucket, err)
	}
	if exists {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	var resp minio.ErrorResponse
	if errors.As(err, &resp) && (resp.Code == "BucketAlreadyOwnedByYou" || resp.Code == "BucketAlreadyExists") {
		err = nil // made meanwhile by another process of ours
	}
	if err != nil {
		return s.fail(ctx, "make bucket", s.bucket, err)
	}
	s.log.InfoContext(ctx, "objects: made bucket", "bucket", s.bucket)
	return nil
}

// Bucket is the bucket the store keeps its objects in.
func (s *S3) Bucket() string { return s.bucket }

// Close exists for symmetry with Local; the HTTP client needs no closing.
func (s *S3) Close() error { return nil }

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	contentType, err := checkPut(key, size, contentType)
	if err != nil {
		return opError("put", key, err)
	}
	if err := ctx.Err(); err != nil {
		return opError("put", key, err)
	}
	// The reader checks ctx between reads so that a cancelled Put stops
	// sending even while the server keeps accepting.
	src := newSourceReader(ctx, r, size)
	if size == 0 {
		// minio-go sends an empty body without reading: check r is empty.
		if err := src.checkEnd(); err != io.EOF {
			return opError("put", key, err)
		}
	}
	if d, ok := r.(*digestReader); ok && size > 0 && size <= maxSinglePut {
		// One PUT signed with the caller's digest as the payload hash: the
		// server checks the bytes against it, and minio-go does not hash
		// them again (over plain HTTP it would sign each 64 KB chunk).
		opts := minio.PutObjectOptions{
			ContentType:          contentType,
			DisableContentSha256: true, // no chunk signatures: the digest is the payload hash
		}
		crc, ok, err := sourceCRC32C(d.r, size)
		if err != nil {
			return opError("put", key, err)
		}
		if ok {
			opts.UserMetadata = map[string]string{checksumCRC32CHeader: crc}
		}
		_, err = minio.Core{Client: s.client}.PutObject(ctx, s.bucket, key, src, size, "", d.hex(), opts)
		return s.fail(ctx, "put", key, err)
	}
	_, err = s.client.PutObject(ctx, s.bucket, key, src, size, minio.PutObjectOptions{
		ContentType: contentType,
		PartSize:    s.partSize,
	})
	return s.fail(ctx, "put", key, err)
}

// sourceCRC32C is the CRC32C of the next size bytes of a seekable source,
// which is then put back where it was; ok is false for a source that cannot
// seek, or that ends early (the send finds that out). S3 servers compute a
// checksum of every object they are sent without one, and versitygw's
// default, CRC64NVME, runs in generic code at about a tenth of its CPU per
// 2 MB Put; CRC32C has an instruction of its own (some 0.1 ms per 2 MB
// here) and the server checks and keeps it all the same. AWS's SDKs send
// one by default too.
func sourceCRC32C(r io.Reader, size int64) (crc string, ok bool, err error) {
	sk, isSeeker := r.(io.Seeker)
	if !isSeeker {
		return "", false, nil
	}
	start, err := sk.Seek(0, io.SeekCurrent)
	if err != nil {
		return "", false, &sourceError{err}
	}
	h := crc32.New(castagnoli)
	n, err := io.CopyN(h, r, size)
	if _, serr := sk.Seek(start, io.SeekStart); serr != nil {
		return "", false, &sourceError{serr}
	}
	if err != nil && err != io.EOF {
		return "", false, &sourceError{err}
	}
	if n < size {
		return "", false, nil
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), true, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Get implements Store. It makes one GET request, whose headers give the
// Info and whose body streams as the caller reads. (minio-go's Client.GetObject
// would send a HEAD first and then a GET conditional on its ETag, which fails
// with 412 when a Put replaces the object in between.)
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Info{}, opError("get", key, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, Info{}, opError("get", key, err)
	}
	body, oi, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, s.fail(ctx, "get", key, err)
	}
	return &s3Reader{body: body, s: s, ctx: ctx, key: key}, s.info(key, oi), nil
}

// s3Reader passes read errors through the same translation as the calls,
// and checks ctx itself: net/http notices a cancelled request
// asynchronously, and may still hand out buffered bytes meanwhile.
type s3Reader struct {
	body io.ReadCloser
	s    *S3
	ctx  context.Context
	key  string
}

func (r *s3Reader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, opError("get", r.key, err)
	}
	n, err := r.body.Read(p)
	if err != nil && err != io.EOF {
		err = r.s.fail(r.ctx, "get", r.key, err)
	}
	return n, err
}

func (r *s3Reader) Close() error { return r.body.Close() }

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidateKey(key); err != nil {
		return Info{}, opError("stat", key, err)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, opError("stat", key, err)
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, s.fail(ctx, "stat", key, err)
	}
	return s.info(key, oi), nil
}

func (s *S3) info(key string, oi minio.ObjectInfo) Info {
	ct := oi.ContentType
	if ct == "" {
		ct = DefaultContentType
	}
	return Info{Key: key, Size: oi.Size, ContentType: ct, Modified: oi.LastModified}
}

// Delete implements Store. S3 answers a delete of a missing key with
// success already; a server that says NoSuchKey instead is taken the same
// way.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return opError("delete", key, err)
	}
	if err := ctx.Err(); err != nil {
		return opError("delete", key, err)
	}
	err := s.fail(ctx, "delete", key, s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// List implements Store, with ListObjectsV2 pages of up to 1000 keys, which
// S3 returns in byte-wise order of the keys' UTF-8.
func (s *S3) List(ctx context.Context, prefix string, fn func(Info) error) error {
	if err := validatePrefix(prefix); err != nil {
		return opError("list", prefix, err)
	}
	if err := ctx.Err(); err != nil {
		return opError("list", prefix, err)
	}
	// minio-go lists in a goroutine; cancelling lets it go when fn stops us.
	listCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	for oi := range s.client.ListObjectsIter(listCtx, s.bucket, minio.ListObjectsOptions{
		Prefix: prefix, Recursive: true, MaxKeys: s.listPageSize,
	}) {
		if oi.Err != nil {
			return s.fail(ctx, "list", prefix, oi.Err)
		}
		if err := ValidateKey(oi.Key); err != nil {
			s.log.DebugContext(ctx, "objects: list skips a key no Store call can reach", "bucket", s.bucket, "key", oi.Key, "err", err)
			continue
		}
		if err := fn(Info{Key: oi.Key, Size: oi.Size, Modified: oi.LastModified}); err != nil {
			return err
		}
	}
	return opError("list", prefix, ctx.Err())
}

// fail is the one place where minio-go's errors become this package's: a
// missing key becomes ErrNotFound, a cancelled or expired ctx shows through
// errors.Is even when minio-go reports it as a network error, and the rest
// keep their cause (minio.ErrorResponse, *url.Error, …) for IsTransient.
// Everything comes back as *OpError with the operation and key.
func (s *S3) fail(ctx context.Context, op, key string, err error) error {
	if err == nil {
		return nil
	}
	var resp minio.ErrorResponse
	if errors.As(err, &resp) && isNotFound(resp) {
		return opError(op, key, ErrNotFound)
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return opError(op, key, err)
}

// isNotFound tells a missing object from a missing bucket: the latter is
// a configuration error that must not pass for "no such object".
func isNotFound(resp minio.ErrorResponse) bool {
	switch resp.Code {
	case "NoSuchKey", "NotFound":
		return true
	case "":
		return resp.StatusCode == 404
	}
	return false
}
