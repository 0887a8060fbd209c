package pervichka

import (
	"fmt"
	"path"
	"strings"
	"unicode"
)

// extensions are the file name endings a download may keep for each type
// the intake sniffs; the first is the one added when the sender's is not
// among them.
var extensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
	"image/tiff":      {".tiff", ".tif"},
	"image/webp":      {".webp"},
}

// maxDownloadName bounds a download's name in runes: file systems take
// 255 bytes, and Cyrillic takes two a letter.
const maxDownloadName = 120

// DownloadName is the name a stored original is downloaded under: the
// sender's name with the ending of the type sniffed from its bytes
// (contentType), never the sender's word for it — a PDF that is also an
// HTML page, sent as «invoice.html», downloads as «invoice.pdf». Control
// and format characters (the bidi overrides that make «txt.exe» look like
// «exe.txt», zero-width ones) and path separators are taken out; a name
// left empty becomes «document-<id>».
func DownloadName(sent string, id int64, contentType string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\':
			return '_'
		case r == unicode.ReplacementChar, unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r),
			r == '\u2028', r == '\u2029':
			return -1
		}
		return r
	}, strings.ToValidUTF8(sent, ""))
	name = strings.Trim(strings.TrimSpace(name), ". ")
	exts, known := extensions[contentType]
	if !known {
		exts = []string{".bin"}
	}
	raw := fileExt(name)
	if raw != "" && !contains(exts, strings.ToLower(raw)) {
		name = strings.TrimRight(name[:len(name)-len(raw)], ". ")
		raw = fileExt(name)
	}
	ext := strings.ToLower(raw)
	if !contains(exts, ext) {
		raw, ext = "", ""
	}
	base := name[:len(name)-len(raw)]
	if r := []rune(base); len(r) > maxDownloadName {
		base = strings.TrimSpace(string(r[:maxDownloadName]))
	}
	if base == "" {
		base = fmt.Sprintf("document-%d", id)
	}
	if ext == "" {
		ext = exts[0]
	}
	return base + ext
}

// fileExt is name's ending when it looks like one (a dot and one to five
// letters or digits), else "".
func fileExt(name string) string {
	ext := path.Ext(name)
	if len(ext) < 2 || len(ext) > 6 {
		return ""
	}
	for _, r := range ext[1:] {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return ""
		}
	}
	return ext
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
