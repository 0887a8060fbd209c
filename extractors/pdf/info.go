package pdf

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// docInfo is what pdfinfo tells about a document.
type docInfo struct {
	pages     int
	encrypted bool
	sizes     map[int]pageSize // by 1-based page number, for the pages listed
}

// pageSize is a page's crop box in points and its /Rotate.
type pageSize struct {
	w, h float64
	rot  int
}

// shown is the size of the page as displayed: turned by its /Rotate.
func (s pageSize) shown() (w, h float64) {
	if s.rot == 90 || s.rot == 270 {
		return s.h, s.w
	}
	return s.w, s.h
}

// parseInfo reads pdfinfo output. Metadata (title, author…) comes first and
// may hold anything, including a forged "Pages:" line after an embedded
// newline; the real lines come after it, so the last occurrence wins.
func parseInfo(out []byte) docInfo {
	info := docInfo{pages: -1, sizes: make(map[int]pageSize)}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch {
		case key == "Pages":
			if n, err := strconv.Atoi(val); err == nil {
				info.pages = n
			}
		case key == "Encrypted":
			info.encrypted = strings.HasPrefix(val, "yes")
		case strings.HasPrefix(key, "Page ") && (strings.HasSuffix(key, " size") || strings.HasSuffix(key, " rot")):
			f := strings.Fields(key) // "Page", "12", "size"
			if len(f) != 3 {
				continue
			}
			n, err := strconv.Atoi(f[1])
			if err != nil || n < 1 {
				continue
			}
			s := info.sizes[n]
			if f[2] == "rot" {
				r, err := strconv.Atoi(val)
				if err != nil {
					continue
				}
				s.rot = ((r % 360) + 360) % 360
			} else {
				// "595.28 x 841.89 pts (A4)"
				v := strings.Fields(val)
				if len(v) < 3 || v[1] != "x" {
					continue
				}
				w, err1 := strconv.ParseFloat(v[0], 64)
				h, err2 := strconv.ParseFloat(v[2], 64)
				if err1 != nil || err2 != nil || !(w > 0) || !(h > 0) {
					continue
				}
				s.w, s.h = w, h
			}
			info.sizes[n] = s
		}
	}
	return info
}
