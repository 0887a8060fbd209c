package upload_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/intake"
	"github.com/pervichka/pervichka/intake/upload"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// part is one multipart "file" field as a hostile client may send it.
type part struct {
	name string
	body []byte
}

func (e *env) postParts(t *testing.T, token string, parts []part) (int, http.Header, answer) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, p := range parts {
		fw, err := w.CreateFormFile("file", p.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(p.body)
	}
	_ = w.Close()
	resp, err := http.Post(e.srv.URL+"/u/"+token+"/files", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	_ = decodeJSON(resp, &a)
	return resp.StatusCode, resp.Header, a
}

// clock is a settable time for the quota.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// TestUploadLinkLimits: a contractor's link takes at most the API's number
// of files a request, makes nothing of empty parts, and keeps to its quota
// of files an hour and bytes a day with a Russian answer saying so.
func TestUploadLinkLimits(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			lim := pervichka.DefaultLimits()
			clk := &clock{t: time.Now()}
			env := start(t, eng.URL(t), false, lim, func(c *upload.Config) {
				c.FilesPerHour, c.BytesPerDay, c.Now = 3, 1<<20, clk.now
			})
			ctx := t.Context()
			link := func(name string) (int64, string) {
				c, token, err := env.db.CreateContractor(ctx, name, nil)
				if err != nil {
					t.Fatal(err)
				}
				return c.ID, token
			}
			receipts := func(id int64) int {
				files, err := env.db.ContractorFiles(ctx, id, 1000)
				if err != nil {
					t.Fatal(err)
				}
				return len(files)
			}

			// 150 empty parts: refused, and not one receipt.
			id, token := link("ИП Пустой")
			empty := make([]part, 150)
			status, _, a := env.postParts(t, token, empty)
			if status != http.StatusBadRequest || a.Error.Message != "Файлы не выбраны" || receipts(id) != 0 {
				t.Fatalf("150 empty parts: %d %q, %d receipts; want 400 and none", status, a.Error.Message, receipts(id))
			}
			// Empty parts beside a file: the file alone.
			status, _, a = env.postParts(t, token, []part{{}, {"счёт.pdf", corpus(t, "001-invoice.pdf")}, {"b.pdf", nil}})
			if status != http.StatusOK || len(a.Files) != 1 || receipts(id) != 1 {
				t.Fatalf("a file among empty parts: %d %+v, %d receipts", status, a, receipts(id))
			}

			// The API's bound on files a request; what came before it is kept.
			env2 := start(t, eng.URL(t), false, lim)
			c2, token2, err := env2.db.CreateContractor(ctx, "ИП Много", nil)
			if err != nil {
				t.Fatal(err)
			}
			many := make([]part, pervichka.MaxFilesPerRequest+1)
			for i := range many {
				many[i] = part{fmt.Sprintf("%d.txt", i), []byte("не документ")}
			}
			status, _, a = env2.postParts(t, token2, many)
			if status != http.StatusBadRequest || !strings.Contains(a.Error.Message, fmt.Sprint(pervichka.MaxFilesPerRequest)) ||
				len(a.Files) != pervichka.MaxFilesPerRequest {
				t.Fatalf("%d files: %d %q, %d files answered", len(many), status, a.Error.Message, len(a.Files))
			}
			if files, _ := env2.db.ContractorFiles(ctx, c2.ID, 1000); len(files) != pervichka.MaxFilesPerRequest {
				t.Fatalf("%d receipts, want %d", len(files), pervichka.MaxFilesPerRequest)
			}

			// Files an hour: the fourth is refused with a reason and no row;
			// an hour later the link takes files again.
			id, token = link("ИП Частый")
			small := func(n int) []part {
				var ps []part
				for i := range n {
					ps = append(ps, part{fmt.Sprintf("%d.txt", i), []byte(fmt.Sprintf("не документ %d", i))})
				}
				return ps
			}
			if status, _, a := env.postParts(t, token, small(2)); status != http.StatusOK || len(a.Files) != 2 {
				t.Fatalf("two files: %d %+v", status, a)
			}
			status, h, a := env.postParts(t, token, small(2))
			if status != http.StatusTooManyRequests || len(a.Files) != 1 || !strings.Contains(a.Error.Message, "не больше 3 файлов в час") ||
				h.Get("Retry-After") == "" || receipts(id) != 3 {
				t.Fatalf("over the hour's files: %d %q %+v, Retry-After %q, %d receipts", status, a.Error.Message, a.Files, h.Get("Retry-After"), receipts(id))
			}
			clk.add(61 * time.Minute)
			if status, _, a := env.postParts(t, token, small(1)); status != http.StatusOK || len(a.Files) != 1 {
				t.Fatalf("an hour later: %d %+v", status, a)
			}

			// Bytes a day: 1 MB here; 400 KB files, the third is refused.
			id, token = link("ИП Объёмный")
			chunk := func(i int) []part {
				return []part{{fmt.Sprintf("%d.txt", i), bytes.Repeat([]byte{byte('a' + i)}, 400<<10)}}
			}
			for i := range 2 {
				if status, _, a := env.postParts(t, token, chunk(i)); status != http.StatusOK {
					t.Fatalf("chunk %d: %d %+v", i, status, a)
				}
			}
			status, _, a = env.postParts(t, token, chunk(2))
			if status != http.StatusTooManyRequests || !strings.Contains(a.Error.Message, "не больше 1 МБ в сутки") || receipts(id) != 2 {
				t.Fatalf("over the day's bytes: %d %q, %d receipts", status, a.Error.Message, receipts(id))
			}
			clk.add(25 * time.Hour)
			if status, _, _ := env.postParts(t, token, chunk(2)); status != http.StatusOK {
				t.Fatalf("a day later: %d", status)
			}
		})
	}
}

// TestOthersFileAlreadyReceived: a contractor who sends bytes another
// sender sent first learns only that the file was received before — not
// that document's id or status; bytes of one's own sent again keep both.
func TestOthersFileAlreadyReceived(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			env := start(t, eng.URL(t), false, pervichka.DefaultLimits())
			ctx := t.Context()
			_, first, err := env.db.CreateContractor(ctx, "ООО «Первый»", nil)
			if err != nil {
				t.Fatal(err)
			}
			_, second, err := env.db.CreateContractor(ctx, "ООО «Второй»", nil)
			if err != nil {
				t.Fatal(err)
			}
			pdf := corpus(t, "001-invoice.pdf")
			_, _, a := env.postParts(t, first, []part{{"счёт.pdf", pdf}})
			if len(a.Files) != 1 || a.Files[0].DocumentID == 0 {
				t.Fatalf("first upload: %+v", a)
			}
			_, _, mine := env.postParts(t, first, []part{{"снова.pdf", pdf}})
			if len(mine.Files) != 1 || mine.Files[0].DocumentID != a.Files[0].DocumentID || !mine.Files[0].Duplicate {
				t.Errorf("own file again: %+v", mine.Files)
			}
			for _, path := range []string{"", "list"} {
				var f upload.FileStatus
				if path == "" {
					_, _, b := env.postParts(t, second, []part{{"чужой.pdf", pdf}})
					if len(b.Files) != 1 {
						t.Fatalf("another's file: %+v", b)
					}
					f = b.Files[0]
				} else {
					code, _, body := get(t, env.srv.URL+"/u/"+second+"/files")
					var l answer
					if err := decodeJSONString(body, &l); err != nil || code != 200 || len(l.Files) != 1 {
						t.Fatalf("list: %d %s", code, body)
					}
					f = l.Files[0]
				}
				if f.DocumentID != 0 || f.Status != string(intake.StatusAlreadyReceived) || f.Label != "Уже получен" ||
					!strings.Contains(f.Note, "уже был получен") {
					t.Errorf("another's file (%s): %+v; want only «already received»", path, f)
				}
			}
		})
	}
}

// TestFixableFailureAdvice: a password-protected PDF and one over the page
// limit are read by the pipeline, fail, and the contractor's page says
// what to do instead of «Ошибка обработки».
func TestFixableFailureAdvice(t *testing.T) {
	lim := pervichka.DefaultLimits()
	env := start(t, dbtest.SQLiteURL(t), true, lim)
	_, token, err := env.db.CreateContractor(t.Context(), "ИП Сидоров", nil)
	if err != nil {
		t.Fatal(err)
	}
	pdf := func(pages int, password string) []byte {
		d := fpdf.New("P", "mm", "A4", "")
		if password != "" {
			d.SetProtection(0, password, "owner")
		}
		for range pages {
			d.AddPage()
		}
		var b bytes.Buffer
		if err := d.Output(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	status, _, a := env.postParts(t, token, []part{{"пароль.pdf", pdf(1, "secret")}, {"толстый.pdf", pdf(lim.MaxPages+1, "")}})
	if status != http.StatusOK || len(a.Files) != 2 {
		t.Fatalf("upload: %d %+v", status, a)
	}
	want := map[string]string{"пароль.pdf": "Файл защищён паролем — пришлите его без пароля", "толстый.pdf": fmt.Sprintf("Больше %d страниц — разделите файл", lim.MaxPages)}
	deadline := time.Now().Add(time.Minute)
	for {
		code, _, body := get(t, env.srv.URL+"/u/"+token+"/files")
		var l answer
		if err := decodeJSONString(body, &l); err != nil || code != 200 {
			t.Fatalf("list: %d %s", code, body)
		}
		done := 0
		for _, f := range l.Files {
			if f.Status == string(intake.StatusRefused) && strings.HasPrefix(f.Note, want[f.FileName]) && f.Label == "Не принят" {
				done++
			}
		}
		if done == 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("files: %+v; want both refused with advice %v", l.Files, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPageCSP: the link's page runs no inline script and cannot be framed;
// its script file is served. (TestUploadPageInBrowser shows the page still
// works under this policy in Chromium.)
func TestPageCSP(t *testing.T) {
	env := start(t, dbtest.SQLiteURL(t), false, pervichka.DefaultLimits())
	_, token, err := env.db.CreateContractor(t.Context(), "ИП Петров", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(env.srv.URL + "/u/" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := map[string]string{}
	for _, d := range strings.Split(resp.Header.Get("Content-Security-Policy"), ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		csp[name] = value
	}
	if csp["frame-ancestors"] != "'none'" || csp["script-src"] != "'self'" || strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-eval") {
		t.Errorf("Content-Security-Policy %q: want script-src 'self' and frame-ancestors 'none'", resp.Header.Get("Content-Security-Policy"))
	}
	_, _, page := get(t, env.srv.URL+"/u/"+token)
	for _, s := range strings.Split(page, "<script")[1:] {
		tag, rest, _ := strings.Cut(s, ">")
		body, _, _ := strings.Cut(rest, "</script>")
		if !strings.Contains(tag, "src=") || strings.TrimSpace(body) != "" {
			t.Errorf("inline script on the page: <script%s>%.80s", tag, body)
		}
	}
	code, ctype, js := get(t, env.srv.URL+"/u/upload.js")
	if code != 200 || !strings.HasPrefix(ctype, "text/javascript") || !strings.Contains(js, "dataset.filesUrl") {
		t.Errorf("upload.js: %d %s", code, ctype)
	}
}
