package upload_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/intake"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

const chromiumBin = "/usr/bin/chromium"

// browser starts a headless Chromium for the test. Without it the test is
// skipped, but under CI=true it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumBin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed (%v): scripts/setup.sh --deps installs it", err)
		}
		t.Skipf("chromium is not installed: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumBin), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

type row struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Label  string `json:"label"`
	Note   string `json:"note"`
}

// TestUploadPageInBrowser opens a contractor's link in Chromium at a phone's
// viewport, uploads two photos through the file input, and watches their
// statuses change as a real pipeline with Tesseract works them: from
// received or processing to accepted or "needs a better photo".
func TestUploadPageInBrowser(t *testing.T) {
	ctx := browser(t)
	env := start(t, dbtest.SQLiteURL(t), true, pervichka.DefaultLimits())
	_, token, err := env.db.CreateContractor(t.Context(), "ИП Петров", nil)
	if err != nil {
		t.Fatal(err)
	}
	photos := []string{"008-act-photo.jpg", "002-invoice-photo.jpg"}
	var paths []string
	for _, p := range photos {
		paths = append(paths, corpusPath(p))
	}

	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(env.srv.URL+"/u/"+token),
		chromedp.WaitVisible(chromedp.CSS(`label[for=pick]`)),
	); err != nil {
		t.Fatal(err)
	}
	// Mobile-first: nothing wider than the phone.
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 390 {
		t.Fatalf("page is %d px wide at a 390 px viewport (%v)", width, err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("pick"), paths)); err != nil {
		t.Fatal(err)
	}

	// Watch the list as the contractor would, recording each file's
	// statuses in the order they were shown.
	seen := map[string][]string{}
	final := map[string]row{}
	deadline := time.Now().Add(4 * time.Minute)
	for len(final) < len(photos) {
		if time.Now().After(deadline) {
			t.Fatalf("statuses did not settle: %v", seen)
		}
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]row](`Array.from(document.querySelectorAll("#files li[data-id]")).map(li => ({
			name: li.querySelector(".name").textContent,
			status: li.querySelector(".status").dataset.status,
			label: li.querySelector(".status").textContent,
			note: (li.querySelector(".note") || {}).textContent || ""}))`))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if s := seen[r.Name]; len(s) == 0 || s[len(s)-1] != r.Status {
				seen[r.Name] = append(s, r.Status)
			}
			switch intake.Status(r.Status) {
			case intake.StatusAccepted, intake.StatusBetterPhoto:
				final[r.Name] = r
			case intake.StatusReceived, intake.StatusProcessing:
			default:
				t.Fatalf("%s: status %s (%s, %s)", r.Name, r.Status, r.Label, r.Note)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, name := range photos {
		s := seen[name]
		if len(s) < 2 || !slices.Contains([]string{"received", "processing"}, s[0]) {
			t.Errorf("%s: statuses shown %v; want received or processing before the verdict", name, s)
		}
		r := final[name]
		if r.Label != intake.Status(r.Status).Label() {
			t.Errorf("%s: label %q for %s", name, r.Label, r.Status)
		}
		if r.Status == string(intake.StatusBetterPhoto) && !strings.Contains(r.Note, "Сфотографируйте") {
			t.Errorf("%s: an unreadable photo must ask for a better one, says %q", name, r.Note)
		}
		t.Logf("%s: %s", name, strings.Join(s, " → "))
	}
	// PERVICHKA_SCREENSHOT_DIR=dir saves the page as the contractor saw it
	// at the end, for a person to look at.
	if dir := os.Getenv("PERVICHKA_SCREENSHOT_DIR"); dir != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "upload-page.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("message").textContent`))
	if err != nil || !strings.Contains(msg, "Получено: 2 файла") {
		t.Errorf("message after upload: %q, %v", msg, err)
	}
}
