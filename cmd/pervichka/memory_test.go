package main

import (
	"bufio"
	"bytes"
	"compress/zlib"
	be "encoding/binary"
	"fmt"
	"hash/crc32"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// BenchmarkHostileMemory uploads the files a hostile review used to blow a
// serve process up (issue 15) to a real `serve --ocr-workers 2`, one case per
// fresh process, waits until every document has left received/processing,
// and reports the process's peak resident memory (VmHWM). Targets: ≤ 1 GB
// for any one upload within the limits, ≤ 1.5 GB for two at once. The files
// are made here, small on the wire: a 199-page blank PDF (~20 KB), a 60 MP
// PNG (7740×7740 RGBA, ~200 KB) and a PDF with one 14400 pt square page.
func BenchmarkHostileMemory(b *testing.B) {
	if testing.Short() {
		b.Skip("starts serve and OCRs hundreds of pages")
	}
	blank := blankPDF(199, 595, 842)
	cases := []struct {
		name  string
		files map[string][]byte
	}{
		{"blank-pdf-199-pages", map[string][]byte{"blank.pdf": blank}},
		{"two-blank-pdfs-at-once", map[string][]byte{"blank.pdf": blank, "blank2.pdf": variant(blank, 2)}},
		{"png-60MP", map[string][]byte{"big.png": hugePNG(7740, 7740)}},
		{"pdf-page-14400pt", map[string][]byte{"poster.pdf": blankPDF(1, 14400, 14400)}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				dbURL, storeURL := dbtest.SQLiteURL(b), objectstest.FileURL(b)
				runBinaryTB(b, "migrate", "--db", dbURL)
				out := strings.Split(strings.TrimSpace(runBinaryTB(b, "token", "create", "--name", "mem", "--db", dbURL)), "\n")
				token := out[len(out)-1]
				srv := startServerTB(b, dbURL, storeURL, "--ocr-workers", "2", "--job-timeout", "20m")
				start := time.Now()
				states := uploadAndSettle(b, srv.url, token, c.files, 30*time.Minute)
				b.ReportMetric(float64(vmHWM(b, srv.cmd.Process.Pid))/(1<<20), "peak-RSS-MB")
				b.ReportMetric(time.Since(start).Seconds(), "s-to-settle")
				b.Logf("%s: states %v", c.name, states)
			}
		})
	}
}

// uploadAndSettle sends files in one request and waits until no document
// is received or processing; it returns the documents' final states.
func uploadAndSettle(t testing.TB, base, token string, files map[string][]byte, timeout time.Duration) []string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, b := range files {
		part, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(b)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	var up struct {
		Documents []struct {
			ID int64 `json:"id"`
		} `json:"documents"`
	}
	if code := doJSON(t, req, &up); code != http.StatusCreated {
		t.Fatalf("upload: %d", code)
	}
	deadline := time.Now().Add(timeout)
	var states []string
	for _, d := range up.Documents {
		for {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/documents/%d", base, d.ID), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			var doc struct {
				State string `json:"state"`
			}
			if code := doJSON(t, req, &doc); code != http.StatusOK {
				t.Fatalf("get %d: %d", d.ID, code)
			}
			if doc.State != "received" && doc.State != "processing" {
				states = append(states, doc.State)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("document %d still %s after %s", d.ID, doc.State, timeout)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	return states
}

// vmHWM is a process's peak resident set size in bytes.
func vmHWM(t testing.TB, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// blankPDF writes a PDF of n empty pages of w×h points, with a correct
// cross-reference table: a few hundred bytes a page.
func blankPDF(n int, w, h float64) []byte {
	var buf bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	buf.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	var kids []string
	for i := range n {
		kids = append(kids, fmt.Sprintf("%d 0 R", 3+i))
	}
	obj(fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", n, strings.Join(kids, " ")))
	for range n {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] >>", w, h))
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return buf.Bytes()
}

// hugePNG writes a w×h white 8-bit RGBA PNG row by row, without holding the
// pixels: the costliest kind of PNG to decode per pixel that is still 8-bit.
func hugePNG(w, h int) []byte {
	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		be.Write(&buf, be.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		buf.WriteString(typ)
		buf.Write(data)
		be.Write(&buf, be.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	be.BigEndian.PutUint32(ihdr[0:], uint32(w))
	be.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := bytes.Repeat([]byte{0xff}, 1+4*w)
	row[0] = 0 // filter: none
	for range h {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return buf.Bytes()
}
