package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/storage/db"
)

// maxFormBytes bounds a posted form: 500 item rows of six cells fit well.
const maxFormBytes = 1 << 20

// errRefused is a save the clerk must see and fix; its message is Russian.
type errRefused struct {
	status int
	msg    string
	// current holds the stored values after a stale save, to show beside
	// the clerk's own.
	current map[string]string
}

func (e *errRefused) Error() string { return e.msg }

// indexed is the db.Fields of a result. Values that do not parse are left
// out of the index (the result JSON keeps them as typed).
func indexed(r pervichka.Result) db.Fields {
	f := db.Fields{DocType: r.DocType, Number: string(r.Number), SupplierINN: string(r.Supplier.INN), BuyerINN: string(r.Buyer.INN)}
	if len(r.Date) == 10 {
		if _, err := parseDay(string(r.Date)); err == nil {
			f.Date = string(r.Date)
		}
	}
	if k, err := pervichka.ParseKopecks(string(r.Total)); err == nil {
		f.Total = &k
	}
	return f
}

// decision is what a form post does after saving the corrected result.
type decision int

const (
	decideSave decision = iota
	decideApprove
)

// lockWaiting locks document id in tx for a clerk's action on it: the
// document must still wait for review and no other clerk may hold its
// claim; either refusal is an *errRefused naming the state or the holder,
// followed by then (what became of the clerk's action), when set.
func (s *Server) lockWaiting(ctx context.Context, tx *db.Tx, sess db.Session, id int64, then string) (db.Document, error) {
	doc, err := s.cfg.DB.LockDocument(ctx, tx, id)
	if err != nil {
		return db.Document{}, err
	}
	if doc.State != db.StateNeedsReview {
		msg := fmt.Sprintf("Документ №%d уже не ждёт проверки: он в состоянии «%s».", id, stateName[doc.State])
		if then != "" {
			msg += " " + then
		}
		return db.Document{}, &errRefused{status: http.StatusConflict, msg: msg}
	}
	if c, err := s.cfg.DB.ClaimOf(ctx, tx, id); err == nil && c.User != sess.User.Name {
		return db.Document{}, &errRefused{status: http.StatusConflict, msg: claimMessage(c, s.cfg.Location)}
	} else if err != nil && !errors.Is(err, db.ErrNotFound) {
		return db.Document{}, err
	}
	return doc, nil
}

// commit saves the clerk's form and, for approve, moves the document on and
// posts it — all in one transaction. Refusals the clerk must act on are
// *errRefused; anything else is an internal error.
func (s *Server) commit(ctx context.Context, id int64, sess db.Session, f form, d decision) error {
	who := actor(sess)
	return s.cfg.DB.InTx(ctx, func(tx *db.Tx) error {
		doc, err := s.lockWaiting(ctx, tx, sess, id, "Ваши правки не сохранены; они остались в форме.")
		if err != nil {
			return err
		}
		stored, err := decodeResult(doc)
		if err != nil {
			return err
		}
		if doc.Version != f.Version {
			return &errRefused{status: http.StatusConflict, current: values(stored),
				msg: "Документ уже изменён другим сохранением (другой сотрудник или другая вкладка). Ваши правки не записаны, но остались в форме: поля, где сохранено другое значение, отмечены — сверьте их и сохраните снова."}
		}
		next := f.apply(stored)
		if d == decideApprove {
			if checks := validate(next, s.cfg.Now()); blocking(checks) {
				return &errRefused{status: http.StatusUnprocessableEntity, msg: "Документ нельзя утвердить: исправьте поля, отмеченные красным."}
			}
		}
		body, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if _, err := s.cfg.DB.SaveResult(ctx, tx, id, doc.Version, body, indexed(next)); err != nil {
			if errors.Is(err, db.ErrStale) {
				return &errRefused{status: http.StatusConflict, current: values(stored), msg: "Документ уже изменён другим сохранением. Ваши правки остались в форме."}
			}
			return err
		}
		var cs []db.Correction
		for _, ch := range changes(stored, next) {
			cs = append(cs, db.Correction{DocumentID: id, Actor: who, Field: ch[0], Before: ch[1], After: ch[2]})
		}
		if err := s.cfg.DB.AddCorrections(ctx, tx, cs); err != nil {
			return err
		}
		if d != decideApprove {
			return nil
		}
		reason := "утверждён после проверки"
		if len(cs) > 0 {
			reason = fmt.Sprintf("утверждён после проверки, исправлено полей: %d", len(cs))
		}
		if err := s.cfg.DB.Transition(ctx, tx, id, db.StateNeedsReview, db.StateApproved, who, reason); err != nil {
			return err
		}
		if err := s.directory.Learn(ctx, tx, id, next); err != nil {
			return err
		}
		if s.cfg.Poster != nil {
			err := s.cfg.Poster.PostTx(ctx, tx, s.cfg.Queue, id, who)
			if errors.Is(err, ledger.ErrUnmappable) {
				return &errRefused{status: http.StatusUnprocessableEntity,
					msg: "Учёт не может провести документ: проверьте тип, дату и итоговую сумму. Ничего не сохранено, ваши правки остались в форме."}
			}
			if err != nil {
				return fmt.Errorf("post document %d: %w", id, err)
			}
		}
		return s.cfg.DB.ReleaseClaim(ctx, tx, id, sess.User.Name)
	})
}

func (s *Server) save(w http.ResponseWriter, r *http.Request)    { s.formAction(w, r, decideSave) }
func (s *Server) approve(w http.ResponseWriter, r *http.Request) { s.formAction(w, r, decideApprove) }

func (s *Server) formAction(w http.ResponseWriter, r *http.Request, d decision) {
	id, ok := pathID(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.refuse(w, r, http.StatusRequestEntityTooLarge, "Форма слишком велика")
		return
	}
	f, err := parseForm(r.PostForm.Get)
	if err != nil {
		s.refuse(w, r, http.StatusBadRequest, "Форма повреждена: "+err.Error())
		return
	}
	sess := sessionOf(r)
	err = s.commit(r.Context(), id, sess, f, d)
	var refused *errRefused
	switch {
	case err == nil && d == decideApprove:
		s.cfg.Logger.Info("review: approved", "document", id, "user", sess.User.Name)
		// The ledger sends a duplicate of a posted document back to
		// review instead of posting it: say so on the document itself.
		if doc, err := s.cfg.DB.GetDocument(r.Context(), nil, id); err == nil && doc.State == db.StateNeedsReview {
			http.Redirect(w, r, fmt.Sprintf("/review/%d?msg=duplicate", id), http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, s.nextURL(r.Context(), id, "approved"), http.StatusSeeOther)
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/review/%d?msg=saved", id), http.StatusSeeOther)
	case errors.As(err, &refused):
		s.rerender(w, r, id, f, refused)
	case errors.Is(err, db.ErrNotFound):
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
	default:
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось сохранить документ. Ваши правки не записаны — вернитесь назад и повторите.", err)
	}
}

// rerender shows the clerk's refused form again, with their values, the
// reason, and (after a stale save) the stored values to compare with. The
// form then carries the current version, so saving again is a deliberate
// choice made after seeing what changed.
func (s *Server) rerender(w http.ResponseWriter, r *http.Request, id int64, f form, refused *errRefused) {
	doc, err := s.cfg.DB.GetDocument(r.Context(), nil, id)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось открыть документ", err)
		return
	}
	stored, err := decodeResult(doc)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Результат распознавания повреждён", err)
		return
	}
	p, err := s.documentPage(r, doc, stored, f.Values, refused.current)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось открыть документ", err)
		return
	}
	p.Error = refused.msg
	s.render(w, r, refused.status, "document.html", p)
}

// refuseOnDocument answers a refused side action (reject, merge, split)
// with the document page and the reason in its red box, rather than a bare
// error page the clerk must go back from. The form shows the stored
// values: those actions never carry the clerk's field edits.
func (s *Server) refuseOnDocument(w http.ResponseWriter, r *http.Request, id int64, status int, msg string) {
	if wantsJSON(r) {
		s.refuse(w, r, status, msg)
		return
	}
	doc, err := s.cfg.DB.GetDocument(r.Context(), nil, id)
	if err != nil {
		s.refuse(w, r, status, msg)
		return
	}
	stored, err := decodeResult(doc)
	if err != nil {
		s.refuse(w, r, status, msg)
		return
	}
	p, err := s.documentPage(r, doc, stored, values(stored), nil)
	if err != nil {
		s.refuse(w, r, status, msg)
		return
	}
	p.Error = msg
	s.render(w, r, status, "document.html", p)
}

// nextURL is where to go after deciding on id: the next waiting document,
// or the queue when there is none.
func (s *Server) nextURL(ctx context.Context, id int64, msg string) string {
	doc, err := s.cfg.DB.GetDocument(ctx, nil, id)
	if err == nil {
		ds, err := s.cfg.DB.ReviewQueue(ctx, db.QueueFilter{State: db.StateNeedsReview, Limit: 1}, doc.Cursor())
		if err == nil && len(ds) == 1 {
			return fmt.Sprintf("/review/%d?msg=%s", ds[0].ID, msg)
		}
		if err == nil {
			ds, err = s.cfg.DB.ReviewQueue(ctx, db.QueueFilter{State: db.StateNeedsReview, Limit: 1}, db.Cursor{})
			if err == nil && len(ds) == 1 && ds[0].ID != id {
				return fmt.Sprintf("/review/%d?msg=%s", ds[0].ID, msg)
			}
		}
	}
	return "/review?msg=" + msg
}

func (s *Server) reject(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	reason := strings.TrimSpace(r.PostFormValue("reject_reason"))
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		s.refuseOnDocument(w, r, id, http.StatusUnprocessableEntity, "Укажите причину отказа (до 500 знаков)")
		return
	}
	sess := sessionOf(r)
	err := s.cfg.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if _, err := s.lockWaiting(r.Context(), tx, sess, id, ""); err != nil {
			return err
		}
		if err := s.cfg.DB.Transition(r.Context(), tx, id, db.StateNeedsReview, db.StateRejected, actor(sess), "отклонён: "+reason); err != nil {
			return err
		}
		return s.cfg.DB.ReleaseClaim(r.Context(), tx, id, sess.User.Name)
	})
	var refused *errRefused
	switch {
	case err == nil:
		http.Redirect(w, r, s.nextURL(r.Context(), id, "rejected"), http.StatusSeeOther)
	case errors.As(err, &refused):
		s.refuseOnDocument(w, r, id, refused.status, refused.msg)
	case errors.Is(err, db.ErrNotFound):
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
	default:
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось отклонить документ, повторите", err)
	}
}

// skip leaves the document as it is for someone else and opens the next.
func (s *Server) skip(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	if err := s.cfg.DB.ReleaseClaim(r.Context(), nil, id, sessionOf(r).User.Name); err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось освободить документ", err)
		return
	}
	http.Redirect(w, r, s.nextURL(r.Context(), id, ""), http.StatusSeeOther)
}

// claim renews the clerk's claim while the page is open (the page calls it
// every minute) and says who holds it.
func (s *Server) claim(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	sess := sessionOf(r)
	c, err := s.cfg.DB.ClaimDocument(r.Context(), nil, id, sess.User.Name, s.cfg.ClaimTTL)
	if err != nil {
		s.cfg.Logger.Error("review: claim", "document", id, "err", err)
		jsonhttp.Error(w, r, http.StatusServiceUnavailable, jsonhttp.CodeFor(http.StatusServiceUnavailable), "Не удалось продлить работу с документом")
		return
	}
	out := map[string]any{"user": c.User, "mine": c.User == sess.User.Name, "until": c.ExpiresAt.In(s.cfg.Location).Format("15:04")}
	if c.User != sess.User.Name {
		out["message"] = claimMessage(c, s.cfg.Location)
	}
	jsonhttp.Write(w, http.StatusOK, out)
}

func (s *Server) retry(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || s.cfg.Retrier == nil {
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
		return
	}
	err := s.cfg.Retrier.Retry(r.Context(), id, "admin:"+sessionOf(r).User.Name)
	switch {
	case err == nil:
		http.Redirect(w, r, "/review?tab=failed&msg=retried", http.StatusSeeOther)
	case errors.Is(err, db.ErrNotFound):
		s.refuse(w, r, http.StatusNotFound, "Нет такого документа")
	case errors.Is(err, db.ErrIllegalTransition), errors.Is(err, db.ErrConflict):
		s.refuse(w, r, http.StatusConflict, "Документ уже не в состоянии ошибки")
	default:
		s.fail(w, r, http.StatusServiceUnavailable, "Не удалось отправить документ на повторную обработку", err)
	}
}

// validateJSON runs the validators on the form as the clerk has it now
// (the page posts the whole form as it changes) and answers each field's
// check and the items' sum.
func (s *Server) validateJSON(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		jsonhttp.Error(w, r, http.StatusRequestEntityTooLarge, jsonhttp.CodeFor(http.StatusRequestEntityTooLarge), "Форма слишком велика")
		return
	}
	f, err := parseForm(r.PostForm.Get)
	if err != nil {
		jsonhttp.Error(w, r, http.StatusBadRequest, jsonhttp.CodeFor(http.StatusBadRequest), err.Error())
		return
	}
	res := f.apply(pervichka.Result{})
	checks := validate(res, s.cfg.Now())
	var sum pervichka.Kopecks
	for _, it := range res.Items {
		if a, err := pervichka.ParseKopecks(string(it.Amount)); err == nil {
			sum += a
		}
	}
	jsonhttp.Write(w, http.StatusOK, map[string]any{"checks": checks, "items_sum": money(sum.String()), "blocking": blocking(checks)})
}
