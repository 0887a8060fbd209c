package api

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"sync"
	"unicode"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// maxFilesPerUpload bounds one request's files (the same bound as a
// contractor's link).
const maxFilesPerUpload = pervichka.MaxFilesPerRequest

// maxFileNameRunes bounds a stored file name.
const maxFileNameRunes = 255

type uploadedFile struct {
	name string
	body *bytes.Buffer // from bodyBuffers
}

// bodyBuffers keeps the buffers that uploaded files are read into for the
// next request: under a stream of photos a fresh multi-megabyte buffer per
// file costs its zeroing and a garbage collection every few uploads. A
// buffer goes back only after every file of its request was submitted
// (Submit keeps no reference to a body once it returns), and only up to
// maxPooledBody, so that one 50 MB upload does not stay in memory.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 8 << 20

func putBodyBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBody {
		b.Reset()
		bodyBuffers.Put(b)
	}
}

// bodyReaders puts a large buffer between the request body and the
// multipart parser, whose own buffer is 4 KB: without it a 2 MB photo costs
// some 500 reads from the connection instead of some 30.
var bodyReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bodyReadSize) }}

const bodyReadSize = 64 << 10

type uploadReply struct {
	Documents []uploadedDocument `json:"documents"`
}

// uploadedDocument answers one file, in the order of the request's file
// parts. FileName is the stored document's: for a duplicate, the name it
// was first sent under.
type uploadedDocument struct {
	ID        int64    `json:"id"`
	State     db.State `json:"state"`
	Duplicate bool     `json:"duplicate"`
	FileName  string   `json:"file_name"`
}

// upload takes one or more files in multipart field "file". Every file is
// read and its type checked before any is submitted, so a request with one
// bad file stores nothing and the client can fix and resend it whole. Once
// submitting has begun an outage can still stop it halfway; the files
// submitted by then stay, and resending the request is safe because the
// pipeline recognises the same bytes (they come back with duplicate=true).
func (s *server) upload(w http.ResponseWriter, r *http.Request) error {
	files, err := s.readFiles(w, r)
	if err != nil {
		return err
	}
	name, actor := caller(r)
	var group string
	if len(files) > 1 {
		group = newGroupID()
	}
	reply := uploadReply{Documents: make([]uploadedDocument, 0, len(files))}
	for _, f := range files {
		doc, created, err := s.cfg.Pipeline.Submit(r.Context(), pipeline.Upload{
			Name: f.name, Body: f.body.Bytes(), Source: db.SourceUpload, Sender: name, GroupID: group, Actor: actor,
		})
		if err != nil {
			// The buffers are not reused: a failed S3 put may still be
			// sending one from the HTTP client's own goroutine.
			return &fileError{name: f.name, err: fmt.Errorf("submit file %d of %d: %w", len(reply.Documents)+1, len(files), err)}
		}
		reply.Documents = append(reply.Documents, uploadedDocument{ID: doc.ID, State: doc.State, Duplicate: !created, FileName: doc.FileName})
	}
	for _, f := range files {
		putBodyBuffer(f.body)
	}
	jsonhttp.Write(w, http.StatusCreated, reply)
	return nil
}

// readFiles streams the multipart body, holding each "file" part to
// Limits.MaxBytes and the whole request to MaxRequestBytes, and sniffs each
// file's type from its bytes (the name and the part's Content-Type are the
// sender's word, not evidence). Other fields are read past and ignored.
func (s *server) readFiles(w http.ResponseWriter, r *http.Request) (_ []uploadedFile, err error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, badRequest("Ожидается multipart/form-data с файлом в поле file")
	}
	// A declared length over the limit is refused before reading a byte
	// (with "Expect: 100-continue", as curl sends for big files, the client
	// does not even send the body); an undeclared one is cut off while read.
	if r.ContentLength > s.cfg.MaxRequestBytes {
		return nil, &http.MaxBytesError{Limit: s.cfg.MaxRequestBytes}
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxRequestBytes)
	br := bodyReaders.Get().(*bufio.Reader)
	br.Reset(r.Body)
	defer func() {
		br.Reset(nil)
		bodyReaders.Put(br)
	}()
	mr := multipart.NewReader(br, params["boundary"])
	maxBytes := s.cfg.Limits.MaxBytes
	var files []uploadedFile
	// A refused request's buffers go back at once: nothing was submitted.
	defer func() {
		if err != nil {
			for _, f := range files {
				putBodyBuffer(f.body)
			}
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, multipartError(err)
		}
		if part.FormName() != "file" {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return nil, multipartError(err)
			}
			continue
		}
		if len(files) == maxFilesPerUpload {
			return nil, &httpError{http.StatusBadRequest, codeTooManyFiles,
				fmt.Sprintf("Слишком много файлов в одном запросе: не больше %d", maxFilesPerUpload)}
		}
		body := bodyBuffers.Get().(*bytes.Buffer)
		files = append(files, uploadedFile{body: body})
		if err := readPart(body, part, maxBytes+1, r.ContentLength); err != nil {
			return nil, multipartError(err)
		}
		name := cleanFileName(part.FileName())
		files[len(files)-1].name = name
		if int64(body.Len()) > maxBytes {
			return nil, &httpError{http.StatusRequestEntityTooLarge, string(pervichka.CodeTooLarge),
				fmt.Sprintf("%s: файл «%s» больше %s", pervichka.CodeTooLarge.Message(), name, sizeText(maxBytes))}
		}
		// The pipeline sniffs again; checking here too refuses the whole
		// request before any of its files is stored.
		if _, err := imagefile.Sniff(body.Bytes()); err != nil {
			return nil, &fileError{name: name, err: err}
		}
	}
	if len(files) == 0 {
		return nil, &httpError{http.StatusBadRequest, codeNoFile, "В запросе нет файла: передайте его в поле file"}
	}
	return files, nil
}

// fileError ties an error to the uploaded file it is about, so that the
// refusal of a many-file upload says which file to fix.
type fileError struct {
	name string
	err  error
}

func (e *fileError) Error() string { return fmt.Sprintf("upload %q: %v", e.name, e.err) }
func (e *fileError) Unwrap() error { return e.err }

// readPart reads up to limit bytes of a part into buf, grown first to the
// request's declared length (plus bytes.Buffer's MinRead, which ReadFrom
// wants free before every read, the last one that finds the end too),
// instead of io.ReadAll's dozen doublings and copies of a multi-megabyte
// photo. A lying Content-Length costs nothing more than a regrow: the
// limit, not the declaration, bounds the read.
func readPart(buf *bytes.Buffer, part io.Reader, limit, contentLength int64) error {
	if contentLength > 0 {
		buf.Grow(int(min(contentLength, limit)) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(part, limit))
	return err
}

// multipartError tells a request over MaxRequestBytes (413) and one that
// took longer than the server's ReadTimeout (408) from a body that is not
// well-formed multipart (400).
func multipartError(err error) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.Is(err, os.ErrDeadlineExceeded):
		return &httpError{http.StatusRequestTimeout, codeRequestTimeout, "Файл передавался слишком долго: повторите на более быстром соединении"}
	}
	return badRequest("Тело запроса не является корректным multipart/form-data")
}

// cleanFileName keeps a sender's file name printable: invalid UTF-8 and
// control characters (a newline in a name would forge lines in a log or a
// header) are replaced, and the length is capped. The name is only ever a
// label; object keys come from the content hash.
func cleanFileName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return '_'
		}
		return r
	}, name)
	if rs := []rune(name); len(rs) > maxFileNameRunes {
		name = string(rs[:maxFileNameRunes])
	}
	return strings.TrimSpace(name)
}

// sizeText writes a byte limit for people: "50 МБ", "64 КБ", "900 байт".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d МБ", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f МБ", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d КБ", n>>10)
	}
	return fmt.Sprintf("%d байт", n)
}

// newGroupID names the files of one upload as one group.
func newGroupID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "upload-" + hex.EncodeToString(b[:])
}
