package ledger

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

// ExportSummary says what Export wrote.
type ExportSummary struct {
	Postings  int // journal rows (postings and stornos)
	Rows      int // CSV rows: one per line, one per register posting
	Documents int // document folders
	Files     int // originals and page images copied
}

// CSVHeader is the first row of the machine CSV (MachineCSVName).
var CSVHeader = []string{"position", "posting_id", "kind", "reverses_id", "register", "document_id", "document_version",
	"doc_type", "number", "doc_date", "supplier_inn", "buyer_inn", "line", "debit", "credit", "amount", "amount_kopecks",
	"memo", "total_kopecks", "vat_kopecks", "actor", "created_at"}

// Export writes the postings of documents dated from..to (inclusive,
// YYYY-MM-DD) into dir: postings.csv for people (PeopleCSV: what Russian
// Excel opens) and postings-machine.csv for programs (CSVHeader: commas,
// decimal points, kopecks; one row per entry line, by date and position; a
// register posting without lines is one row with its total),
// and for each document documents/<id>/ with its original file and its
// enhanced page images (page-001.png, …; a PDF page read from its text
// layer has no image). dir must not exist or be empty, so that an export
// never mixes with or overwrites an earlier one.
func Export(ctx context.Context, d *db.DB, store objects.Store, from, to, dir string) (ExportSummary, error) {
	var sum ExportSummary
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return sum, fmt.Errorf("export: %s is not empty", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return sum, fmt.Errorf("export: %w", err)
	}
	ps, err := d.PostingsBetween(ctx, from, to)
	if err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	people, err := PeopleCSV(ps)
	if err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, PeopleCSVName), people, 0o644); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	f, err := os.Create(filepath.Join(dir, MachineCSVName))
	if err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	if err := w.Write(CSVHeader); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	var docs []int64
	seen := map[int64]bool{}
	for _, p := range ps {
		rows, err := csvRows(p)
		if err != nil {
			return sum, fmt.Errorf("export: %w", err)
		}
		if err := w.WriteAll(rows); err != nil {
			return sum, fmt.Errorf("export: %w", err)
		}
		sum.Postings++
		sum.Rows += len(rows)
		if !seen[p.DocumentID] {
			seen[p.DocumentID] = true
			docs = append(docs, p.DocumentID)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	if err := f.Close(); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	for _, id := range docs {
		n, err := exportFiles(ctx, d, store, id, filepath.Join(dir, "documents", strconv.FormatInt(id, 10)))
		if err != nil {
			return sum, fmt.Errorf("export document %d: %w", id, err)
		}
		sum.Documents++
		sum.Files += n
	}
	return sum, nil
}

func csvRows(p db.Posting) ([][]string, error) {
	var lines []Line
	if err := json.Unmarshal(p.Lines, &lines); err != nil {
		return nil, fmt.Errorf("lines of posting %d: %w", p.ID, err)
	}
	reverses := ""
	if p.ReversesID != 0 {
		reverses = strconv.FormatInt(p.ReversesID, 10)
	}
	row := func(n int, l Line) []string {
		line := ""
		if n > 0 {
			line = strconv.Itoa(n)
		}
		return []string{strconv.FormatInt(p.Position, 10), strconv.FormatInt(p.ID, 10), string(p.Kind), reverses,
			string(p.Register), strconv.FormatInt(p.DocumentID, 10), strconv.Itoa(p.DocumentVersion), p.DocType, p.Number,
			p.Date, p.SupplierINN, p.BuyerINN, line, l.Debit, l.Credit, pervichka.Kopecks(l.AmountKopecks).String(),
			strconv.FormatInt(l.AmountKopecks, 10), l.Memo, strconv.FormatInt(p.TotalKopecks, 10),
			strconv.FormatInt(p.VATKopecks, 10), p.Actor, p.CreatedAt.Format(time.RFC3339)}
	}
	if len(lines) == 0 {
		return [][]string{row(0, Line{AmountKopecks: p.TotalKopecks})}, nil
	}
	out := make([][]string, 0, len(lines))
	for i, l := range lines {
		out = append(out, row(i+1, l))
	}
	return out, nil
}

// exportFiles copies a document's original and enhanced page images.
func exportFiles(ctx context.Context, d *db.DB, store objects.Store, id int64, dir string) (int, error) {
	doc, err := d.GetDocument(ctx, nil, id)
	if err != nil {
		return 0, err
	}
	pages, err := d.Pages(ctx, nil, id)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	ext := strings.ToLower(filepath.Ext(doc.FileName))
	if ext == "" || len(ext) > 8 {
		ext = ".bin"
	}
	n := 0
	if err := copyObject(ctx, store, doc.ObjectKey, filepath.Join(dir, "original"+ext)); err != nil {
		return n, err
	}
	n++
	for _, pg := range pages {
		if pg.ImageKey == "" {
			continue
		}
		name := fmt.Sprintf("page-%03d%s", pg.Index+1, path.Ext(pg.ImageKey))
		if err := copyObject(ctx, store, pg.ImageKey, filepath.Join(dir, name)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func copyObject(ctx context.Context, store objects.Store, key, dst string) error {
	rc, _, err := store.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("read %s: %w", key, err)
	}
	defer rc.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		return fmt.Errorf("copy %s: %w", key, err)
	}
	return f.Close()
}
