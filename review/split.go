package review

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// split makes a new document of some pages of this one (split_pages, page
// numbers as the page switcher shows them: «3-4», «2, 5») — two documents
// that arrived as one file — and sends both back through extraction. The
// new document's original is this one's file (db.SplitPages says why it
// has no file of its own); a split_from link and both histories record
// what happened.
//
// Limits: only a document waiting for review, only by whoever holds its
// claim (or nobody), and at least one page must stay. A split is not
// undone by a button: merge the new document back.
func (s *Server) split(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	if s.cfg.Queue == nil {
		s.refuse(w, r, http.StatusServiceUnavailable, "Разделение недоступно: сервис запущен без конвейера обработки")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	pages, msg := parsePages(r.PostFormValue("split_pages"))
	if msg != "" {
		s.refuseOnDocument(w, r, id, http.StatusUnprocessableEntity, msg)
		return
	}
	sess := sessionOf(r)
	child, err := s.splitTx(r.Context(), sess, id, pages)
	var refused *errRefused
	switch {
	case err == nil:
		s.cfg.Logger.Info("review: split", "from", id, "into", child, "pages", pages, "user", sess.User.Name)
		http.Redirect(w, r, fmt.Sprintf("/review/%d?msg=split", child), http.StatusSeeOther)
	case errors.As(err, &refused):
		s.refuseOnDocument(w, r, id, refused.status, refused.msg)
	case errors.Is(err, db.ErrNotFound):
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
	default:
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось отделить страницы, повторите", err)
	}
}

// splitTx splits pages (1-based, sorted) off document id in one
// transaction and returns the new document's id.
func (s *Server) splitTx(ctx context.Context, sess db.Session, id int64, pages []int) (int64, error) {
	who := actor(sess)
	var child db.Document
	err := s.cfg.DB.InTx(ctx, func(tx *db.Tx) error {
		doc, err := s.lockWaiting(ctx, tx, sess, id, "Отделять страницы можно только у документа на проверке.")
		if err != nil {
			return err
		}
		have, err := s.cfg.DB.Pages(ctx, tx, id)
		if err != nil {
			return err
		}
		if last := pages[len(pages)-1]; last > len(have) {
			return &errRefused{status: http.StatusUnprocessableEntity,
				msg: fmt.Sprintf("Страницы %d нет: в документе страниц %d", last, len(have))}
		}
		if len(pages) >= len(have) {
			return &errRefused{status: http.StatusUnprocessableEntity,
				msg: "Хотя бы одна страница должна остаться в документе: укажите не все страницы"}
		}
		indexes := make([]int, len(pages))
		for i, p := range pages {
			indexes[i] = p - 1
		}
		list := pageList(pages)
		child, err = s.cfg.DB.SplitPages(ctx, tx, db.Split{From: id, Pages: indexes, Actor: who,
			Reason: fmt.Sprintf("отделён от документа %d: его страницы %s", id, list)})
		if err != nil {
			return err
		}
		if err := s.cfg.DB.Transition(ctx, tx, id, db.StateNeedsReview, db.StateProcessing, who,
			fmt.Sprintf("страницы %s отделены в документ %d: повторное извлечение", list, child.ID)); err != nil {
			return err
		}
		if err := s.cfg.DB.Transition(ctx, tx, child.ID, db.StateReceived, db.StateProcessing, who,
			fmt.Sprintf("страниц: %d; извлечение", len(pages))); err != nil {
			return err
		}
		// Run numbers as merge's: distinct from the parent's earlier
		// extract jobs under River's uniqueness by args.
		for _, job := range []pipeline.ExtractArgs{{DocumentID: id, Run: doc.Version + 1}, {DocumentID: child.ID, Run: child.Version + 1}} {
			if _, err := s.cfg.Queue.InsertTx(ctx, tx, job, nil); err != nil {
				return err
			}
		}
		return s.cfg.DB.ReleaseClaim(ctx, tx, id, sess.User.Name)
	})
	return child.ID, err
}

// maxPageNumber bounds a typed page number before it is compared with the
// document's pages, so that «1-1000000000» costs nothing.
const maxPageNumber = 10000

// parsePages reads page numbers as a clerk types them: numbers and ranges
// separated by commas, semicolons or spaces («3-4», «1, 3–5»). It returns
// them sorted without repeats, or a Russian message saying what is wrong.
func parsePages(s string) ([]int, string) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return nil, "Укажите номера страниц, которые нужно отделить, например «3-4» или «2, 5»"
	}
	bad := func(f string) string {
		return fmt.Sprintf("Не понял «%s»: укажите номера страниц, например «3-4» или «2, 5»", f)
	}
	seen := map[int]bool{}
	var out []int
	for _, f := range fields {
		lo, hi, isRange := strings.Cut(strings.NewReplacer("–", "-", "—", "-").Replace(f), "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 1 || a > maxPageNumber {
			return nil, bad(f)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a || b > maxPageNumber {
				return nil, bad(f)
			}
		}
		for p := a; p <= b; p++ {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out, ""
}

// pageList writes sorted page numbers back compactly: «1, 3–5».
func pageList(pages []int) string {
	var parts []string
	for i := 0; i < len(pages); {
		j := i
		for j+1 < len(pages) && pages[j+1] == pages[j]+1 {
			j++
		}
		switch {
		case j == i:
			parts = append(parts, strconv.Itoa(pages[i]))
		case j == i+1:
			parts = append(parts, strconv.Itoa(pages[i]), strconv.Itoa(pages[j]))
		default:
			parts = append(parts, fmt.Sprintf("%d–%d", pages[i], pages[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
