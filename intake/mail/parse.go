package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg" // image.DecodeConfig of inline images
	_ "image/png"
	"mime"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/jhillyerd/enmime/v2"
	_ "golang.org/x/image/webp"

	"github.com/pervichka/pervichka/extractors/imagefile"
)

// MaxDepth bounds how deep forwarded messages (.eml inside .eml) are opened:
// deep enough for a forward of a forward of a forward, not for a hostile
// nesting meant to exhaust the stack.
const MaxDepth = 5

// Part is a file found in a message: a candidate document.
type Part struct {
	Name string // as sent, or made up from its place and kind
	Body []byte
	// Where says how the part was carried, for the record: "attachment",
	// "inline", "body image" (a data: URI in the HTML body), prefixed by
	// "forwarded/" per level of message/rfc822 it sat in.
	Where string
	// Document reports whether the bytes are a PDF or an image the
	// pipeline reads. Other attachments (a .docx, a signature) are kept in
	// the list so that the admin sees them, but not submitted.
	Document bool
	// Small marks an inline image too small to be a document (a logo).
	Small bool
}

// Message is what intake needs of an e-mail.
type Message struct {
	Key     string // Message-ID as sent, or "sha256:<hex>" of the raw bytes when it has none
	Sender  string // the From address, bare and lowercased; "" when unparsable
	Subject string
	Parts   []Part
	// Problems lists what the MIME parser could not make sense of; when
	// Malformed, part of the message was lost.
	Problems  []string
	Malformed bool
}

// dataImage finds images carried in the HTML body as data: URIs.
var dataImage = regexp.MustCompile(`(?i)src\s*=\s*["']data:(image/[a-z0-9.+-]+|application/pdf);base64,([A-Za-z0-9+/=\s]+)["']`)

// Parse reads a raw message. It never fails on bad MIME: what cannot be
// parsed is reported in Problems (and Malformed), and whatever parts could
// be recovered are still returned. The message itself — its text — is never
// a Part: a document comes as a file, not as the words of a letter.
func Parse(raw []byte) Message {
	sum := sha256.Sum256(raw)
	m := Message{Key: "sha256:" + hex.EncodeToString(sum[:])}
	p := enmime.NewParser(enmime.SkipMalformedParts(true))
	root, err := p.ReadParts(bytes.NewReader(raw))
	if err != nil {
		m.Malformed = true
		m.problem(err.Error())
		m.fallbackHeaders(raw)
		return m
	}
	if id := strings.TrimSpace(root.Header.Get("Message-Id")); id != "" {
		m.Key = id
	}
	env, err := p.EnvelopeFromPart(root)
	if err != nil {
		// The root's structure is broken (a multipart without a
		// boundary): the headers are still readable.
		m.Malformed = true
		m.problem(err.Error())
		m.fallbackHeaders(raw)
		return m
	}
	m.Subject = env.GetHeader("Subject")
	if from, err := env.AddressList("From"); err == nil && len(from) > 0 {
		m.Sender = strings.ToLower(from[0].Address)
	}
	m.walk(p, root, env.HTML, "", 0)
	return m
}

// fallbackHeaders reads sender and subject with the standard library when
// enmime gave up on the message, so that the record still says who sent it.
func (m *Message) fallbackHeaders(raw []byte) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return
	}
	subject := msg.Header.Get("Subject")
	if dec, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = dec
	}
	m.Subject = subject
	if id := strings.TrimSpace(msg.Header.Get("Message-Id")); id != "" {
		m.Key = id
	}
	if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil {
		m.Sender = strings.ToLower(a.Address)
	}
}

// walk collects the leaf parts under root. html is the body's HTML, searched
// for data: images; prefix marks forwarded levels.
func (m *Message) walk(p *enmime.Parser, root *enmime.Part, html, prefix string, depth int) {
	n := 0
	_ = root.DepthMatchAll(func(part *enmime.Part) bool {
		for _, e := range part.Errors {
			// A lost part, a cut-off multipart or broken base64 means
			// bytes of a file may be missing; warnings about charsets
			// and the like do not.
			if e.Severe || e.Name == enmime.ErrorMissingBoundary || e.Name == enmime.ErrorMalformedBase64 {
				m.Malformed = true
				m.problem(prefix + e.Name + ": " + e.Detail)
			}
		}
		if part.FirstChild != nil || strings.HasPrefix(part.ContentType, "multipart/") {
			return false
		}
		n++
		if part.ContentType == "message/rfc822" || strings.HasSuffix(strings.ToLower(part.FileName), ".eml") {
			m.forwarded(p, part, prefix, depth)
			return false
		}
		if isBodyText(part) {
			return false
		}
		where := "attachment"
		if part.Disposition == "inline" || (part.Disposition == "" && part.ContentID != "") {
			where = "inline"
		}
		m.add(part.FileName, part.Content, prefix+where, n)
		return false
	})
	for i, match := range dataImage.FindAllStringSubmatch(html, -1) {
		body, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(match[2]), ""))
		if err != nil {
			m.problem(fmt.Sprintf("%sbody image %d: %v", prefix, i+1, err))
			continue
		}
		m.add("", body, prefix+"body image", i+1)
	}
}

// forwarded opens a message/rfc822 part as a message of its own.
func (m *Message) forwarded(p *enmime.Parser, part *enmime.Part, prefix string, depth int) {
	if depth+1 > MaxDepth {
		m.problem(fmt.Sprintf("%sforwarded message nested deeper than %d levels: not opened", prefix, MaxDepth))
		return
	}
	root, err := p.ReadParts(bytes.NewReader(part.Content))
	if err != nil {
		m.Malformed = true
		m.problem(fmt.Sprintf("%sforwarded message: %v", prefix, err))
		return
	}
	var html string
	if env, err := p.EnvelopeFromPart(root); err == nil {
		html = env.HTML
	} else {
		m.Malformed = true
		m.problem(fmt.Sprintf("%sforwarded message: %v", prefix, err))
		return
	}
	m.walk(p, root, html, prefix+"forwarded/", depth+1)
}

// isBodyText reports whether a part is the letter's own text (plain or
// HTML), not a file.
func isBodyText(p *enmime.Part) bool {
	if p.Disposition == "attachment" || p.FileName != "" {
		return false
	}
	return p.ContentType == "" || strings.HasPrefix(p.ContentType, "text/")
}

// problem notes a parse problem once.
func (m *Message) problem(text string) {
	if !slices.Contains(m.Problems, text) && len(m.Problems) < 20 {
		m.Problems = append(m.Problems, text)
	}
}

// minInlinePixels: an image carried inline or in the body that is smaller
// than this (e.g. 300 × 300) is a logo, an icon or a signature, not a photo
// of a document; it is listed, not submitted. An attachment of any size is
// taken: someone chose to attach it.
const minInlinePixels = 300 * 300

func (m *Message) add(name string, body []byte, where string, n int) {
	kind, err := imagefile.Sniff(body)
	doc := err == nil
	small := false
	if doc && kind != imagefile.KindPDF && !strings.HasSuffix(where, "attachment") {
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err == nil && cfg.Width*cfg.Height < minInlinePixels {
			doc, small = false, true
		}
	}
	if name == "" {
		ext := ".bin"
		if doc {
			ext = extensions[kind]
		}
		name = fmt.Sprintf("%s-%d%s", strings.ReplaceAll(where, "/", "-"), n, ext)
		name = strings.ReplaceAll(name, " ", "-")
	}
	m.Parts = append(m.Parts, Part{Name: name, Body: body, Where: where, Document: doc, Small: small})
}

var extensions = map[imagefile.Kind]string{
	imagefile.KindJPEG: ".jpg", imagefile.KindPNG: ".png", imagefile.KindTIFF: ".tif",
	imagefile.KindWebP: ".webp", imagefile.KindPDF: ".pdf",
}
