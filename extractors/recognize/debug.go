package recognize

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/pervichka/pervichka"
)

// writeDebug stores the enhanced page image and its OCR words as
// DIR/<file>.p<N>.png and DIR/<file>.p<N>.words.json (with the DPI the
// page was read at).
func writeDebug(dir, name string, p Page) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create debug dir: %w", err)
	}
	stem := filepath.Join(dir, fmt.Sprintf("%s.p%d", strings.ReplaceAll(filepath.Base(name), string(filepath.Separator), "_"), p.Text.Index+1))
	f, err := os.Create(stem + ".png")
	if err != nil {
		return err
	}
	if err := png.Encode(f, p.Image); err != nil {
		f.Close()
		return fmt.Errorf("encode debug image: %w", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	// The DPI told to Tesseract goes beside the words: its page layout
	// depends on it.
	b, err := json.MarshalIndent(struct {
		DPI int `json:"dpi"`
		pervichka.Page
	}{p.DPI, p.Text}, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(stem+".words.json", b, 0o644)
}
