package review

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// merge moves every page of another waiting document (merge_from) to the
// end of this one — the second sheet of an invoice that arrived as its
// own file — and sends this one back through extraction with all its
// pages. The other document is rejected with a note of where its pages
// went; its original file stays stored and its history says what
// happened.
//
// Limits: merging is whole documents only; the opposite is split (pages
// off into a new document). Moved pages keep reading their pictures from
// the other document's file (db.MovePages).
func (s *Server) merge(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	if s.cfg.Queue == nil {
		s.refuse(w, r, http.StatusServiceUnavailable, "Объединение недоступно: сервис запущен без конвейера обработки")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	from, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("merge_from")), "№"), 10, 64)
	if err != nil || from <= 0 {
		s.refuseOnDocument(w, r, id, http.StatusUnprocessableEntity, "Укажите номер документа, страницы которого нужно присоединить")
		return
	}
	if from == id {
		s.refuseOnDocument(w, r, id, http.StatusUnprocessableEntity, "Нельзя присоединить документ к самому себе")
		return
	}
	sess := sessionOf(r)
	err = s.mergeTx(r.Context(), sess, id, from)
	var refused *errRefused
	switch {
	case err == nil:
		s.cfg.Logger.Info("review: merged", "into", id, "from", from, "user", sess.User.Name)
		http.Redirect(w, r, fmt.Sprintf("/review/%d?msg=merged", id), http.StatusSeeOther)
	case errors.As(err, &refused):
		s.refuseOnDocument(w, r, id, refused.status, refused.msg)
	case errors.Is(err, db.ErrNotFound):
		s.refuseOnDocument(w, r, id, http.StatusNotFound, fmt.Sprintf("Нет документа №%d", from))
	default:
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось объединить документы, повторите", err)
	}
}

func (s *Server) mergeTx(ctx context.Context, sess db.Session, id, from int64) error {
	who := actor(sess)
	return s.cfg.DB.InTx(ctx, func(tx *db.Tx) error {
		// Lower id first: two clerks merging the same pair in opposite
		// directions take the locks in one order.
		docs := map[int64]db.Document{}
		for _, d := range []int64{min(id, from), max(id, from)} {
			doc, err := s.lockWaiting(ctx, tx, sess, d, "Объединять можно только документы на проверке.")
			if err != nil {
				return err
			}
			docs[d] = doc
		}
		n, err := s.cfg.DB.MovePages(ctx, tx, from, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return &errRefused{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf("У документа №%d нет страниц", from)}
		}
		if err := s.cfg.DB.Transition(ctx, tx, from, db.StateNeedsReview, db.StateRejected, who,
			fmt.Sprintf("страницы (%d) присоединены к документу %d", n, id)); err != nil {
			return err
		}
		if err := s.cfg.DB.Transition(ctx, tx, id, db.StateNeedsReview, db.StateProcessing, who,
			fmt.Sprintf("присоединены страницы документа %d (%d): повторное извлечение", from, n)); err != nil {
			return err
		}
		// The run number makes the job distinct from the document's
		// earlier extract jobs under River's uniqueness by args.
		if _, err := s.cfg.Queue.InsertTx(ctx, tx, pipeline.ExtractArgs{DocumentID: id, Run: docs[id].Version + 1}, nil); err != nil {
			return err
		}
		for _, d := range []int64{id, from} {
			if err := s.cfg.DB.ReleaseClaim(ctx, tx, d, sess.User.Name); err != nil {
				return err
			}
		}
		return nil
	})
}
