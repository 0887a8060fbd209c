package recognize

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
)

// writeDebug stores the enhanced page image and its OCR words as
// DIR/<file>.p<N>.png and DIR/<file>.p<N>.words.json.
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
	b, err := json.MarshalIndent(p.Text, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(stem+".words.json", b, 0o644)
}
