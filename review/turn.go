package review

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// Turner turns a page's picture and stores it (pipeline.(*Pipeline).TurnPage).
type Turner interface {
	TurnPage(ctx context.Context, doc db.Document, pg db.Page, quarter int) (string, error)
}

// rotate turns one page a quarter clockwise and reads it again: the turned
// picture becomes the page's own, the page is marked unread, the document
// goes back to processing with a page job, and the page job's extraction
// brings it back to the queue with fields read from the page the right
// way up. The form's version must be current, as for a save: a turn drops
// the page's words, and with them any unsaved reading of it.
//
// Limits: a page from a PDF's text layer has no picture to read; its turn
// is the viewer's only (the page script does not post it).
func (s *Server) rotate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	if s.cfg.Queue == nil || s.cfg.Turner == nil {
		s.refuseOnDocument(w, r, id, http.StatusServiceUnavailable, "Поворот с распознаванием недоступен: сервис запущен без конвейера обработки")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	index, err1 := strconv.Atoi(r.PostFormValue("page"))
	version, err2 := strconv.Atoi(r.PostFormValue("version"))
	if err1 != nil || err2 != nil || index < 0 {
		s.refuseOnDocument(w, r, id, http.StatusBadRequest, "Форма повреждена: нет страницы или версии")
		return
	}
	ctx := r.Context()
	doc, err := s.cfg.DB.GetDocument(ctx, nil, id)
	if err != nil {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	pages, err := s.cfg.DB.Pages(ctx, nil, id)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось повернуть страницу, повторите", err)
		return
	}
	var pg *db.Page
	for i := range pages {
		if pages[i].Index == index {
			pg = &pages[i]
		}
	}
	switch {
	case pg == nil:
		s.refuseOnDocument(w, r, id, http.StatusNotFound, fmt.Sprintf("Нет страницы %d", index+1))
		return
	case textPage(*pg):
		s.refuseOnDocument(w, r, id, http.StatusUnprocessableEntity, "Страница взята из текста PDF: её поворачивать не нужно")
		return
	}
	// The picture is turned and stored before the transaction: a refusal
	// below leaves only an unused object keyed by its content.
	key, err := s.cfg.Turner.TurnPage(ctx, doc, *pg, 1)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Не удалось повернуть страницу", err)
		return
	}
	sess := sessionOf(r)
	err = s.cfg.DB.InTx(ctx, func(tx *db.Tx) error {
		doc, err := s.lockWaiting(ctx, tx, sess, id, "")
		if err != nil {
			return err
		}
		if doc.Version != version {
			return &errRefused{status: http.StatusConflict, msg: "Документ уже изменён другим сохранением; страница не повёрнута. Откройте его заново."}
		}
		if err := s.cfg.DB.TurnPage(ctx, tx, id, index, key); err != nil {
			return err
		}
		if err := s.cfg.DB.Transition(ctx, tx, id, db.StateNeedsReview, db.StateProcessing, actor(sess),
			fmt.Sprintf("страница %d повёрнута на 90° по часовой стрелке: распознаётся заново", index+1)); err != nil {
			return err
		}
		// A new run: the page job is distinct from the page's first read
		// under River's uniqueness by args.
		if _, err := s.cfg.Queue.InsertTx(ctx, tx, pipeline.PageArgs{DocumentID: id, Index: index, Run: doc.Version + 1}, nil); err != nil {
			return err
		}
		return s.cfg.DB.ReleaseClaim(ctx, tx, id, sess.User.Name)
	})
	var refused *errRefused
	switch {
	case err == nil:
		s.cfg.Logger.Info("review: page turned", "document", id, "page", index, "user", sess.User.Name)
		http.Redirect(w, r, fmt.Sprintf("/review/%d?msg=rotated", id), http.StatusSeeOther)
	case errors.As(err, &refused):
		s.refuseOnDocument(w, r, id, refused.status, refused.msg)
	default:
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось повернуть страницу, повторите", err)
	}
}
