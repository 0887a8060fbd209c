package review

import (
	"encoding/json"
	"errors"
	"net/http"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

// The pipeline links a photo whose picture an earlier document already has
// (a re-sent copy, pervichka.ReasonResent) to that document instead of
// reading it. When the pictures only look alike, one click here reads it
// as a new document: a false match costs the clerk that click and loses
// nothing. Clerks may do this, unlike retrying a failed document (admins),
// but only for such a copy.

// reprocess sends a re-sent copy through the whole pipeline
// (pipeline.(*Pipeline).Retry skips the look-up for copies on that run).
func (s *Server) reprocess(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Retrier == nil {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	doc, ok := s.documentOf(w, r, "Не удалось открыть документ, повторите")
	if !ok {
		return
	}
	if resentFrom(doc) == 0 {
		s.refuse(w, r, http.StatusConflict, "Документ не отмечен как повторно присланный или уже не ждёт проверки")
		return
	}
	id, sess := doc.ID, sessionOf(r)
	// Another clerk who has the document open keeps it: the same check as
	// for every other action. Retry moves the document on in a transaction
	// of its own, which refuses it too if it stopped waiting meanwhile.
	err := s.cfg.DB.InTx(r.Context(), func(tx *db.Tx) error {
		_, err := s.lockWaiting(r.Context(), tx, sess, id, "")
		return err
	})
	if err == nil {
		err = s.cfg.Retrier.Retry(r.Context(), id, actor(sess))
	}
	if err == nil {
		// The document is being read again, no longer this clerk's to
		// hold; a claim that stayed would only expire.
		if rerr := s.cfg.DB.ReleaseClaim(r.Context(), nil, id, sess.User.Name); rerr != nil {
			s.cfg.Logger.WarnContext(r.Context(), "release claim after reprocess", "document", id, "error", rerr)
		}
	}
	var refused *errRefused
	switch {
	case errors.As(err, &refused):
		s.refuse(w, r, refused.status, refused.msg)
	case err == nil:
		http.Redirect(w, r, "/review?msg=reprocessed", http.StatusSeeOther)
	case errors.Is(err, db.ErrNotFound):
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
	case errors.Is(err, db.ErrIllegalTransition), errors.Is(err, db.ErrConflict):
		s.refuse(w, r, http.StatusConflict, "Документ уже не ждёт проверки")
	default:
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось отправить документ на распознавание", err)
	}
}

// resentFrom returns the document that doc is a re-sent copy of, when doc
// waits for review as one; 0 otherwise. The document page shows the
// reprocess button for it.
func resentFrom(doc db.Document) int64 {
	if doc.State != db.StateNeedsReview || doc.Result == nil {
		return 0
	}
	var res struct {
		Reasons []string `json:"review_reasons"`
	}
	if json.Unmarshal(doc.Result, &res) != nil {
		return 0
	}
	first, _ := pervichka.ResentFrom(res.Reasons)
	return first
}
