package intake

import (
	"encoding/json"
	"fmt"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

// Status is what a contractor is told about a file sent.
type Status string

const (
	StatusReceived    Status = "received"           // stored, waiting for a worker
	StatusProcessing  Status = "processing"         // being read
	StatusAccepted    Status = "accepted"           // read well enough; the accountant takes it from here
	StatusBetterPhoto Status = "needs_better_photo" // unreadable: send a better photo
	StatusRefused     Status = "refused"            // not taken at all (too large, not a document file)
	StatusFailed      Status = "failed"             // our side failed; the accountant will see to it
	StatusRejected    Status = "rejected"           // the accountant rejected the document
	// StatusAlreadyReceived: the same bytes had come before from someone
	// else; nothing more is said about that document.
	StatusAlreadyReceived Status = "already_received"
)

// Label is the status's Russian text for the contractor's page.
func (s Status) Label() string {
	switch s {
	case StatusReceived:
		return "Получен"
	case StatusProcessing:
		return "Обрабатывается"
	case StatusAccepted:
		return "Принят"
	case StatusBetterPhoto:
		return "Нужно фото получше"
	case StatusRefused:
		return "Не принят"
	case StatusFailed:
		return "Ошибка обработки"
	case StatusRejected:
		return "Отклонён бухгалтерией"
	case StatusAlreadyReceived:
		return "Уже получен"
	}
	return string(s)
}

// BetterPhotoAdvice is what the page says under an unreadable document.
const BetterPhotoAdvice = "Мы не смогли прочитать этот документ. Сфотографируйте его ещё раз: " +
	"весь лист целиком, ровно сверху, при хорошем свете, без бликов и теней, и отправьте снова."

// A document is unreadable — the contractor is asked for a better photo —
// when the engine's verdict says the picture, not the document, is at fault:
//
//   - it failed on its content: corrupt, empty, too many pixels, OCR failed
//     (failures on our side — internal, I/O, canceled — are not the
//     contractor's to fix);
//   - or it needs review and the engine could not tell what the document is
//     (doc_type_unknown), or could not find or could not trust most of the
//     key fields: at least unreadableKeyFields of the seven
//     (pervichka.KeyFields) are missing or of low confidence.
//
// Anything else that needs review (a checksum, a sum that does not add up, a
// duplicate) is for the accountant, not the contractor: the file counts as
// accepted.
const unreadableKeyFields = 4

// StatusOf tells the contractor's status of a receipt whose document is doc
// (ignored for a refused file).
func StatusOf(f db.IntakeFile, doc db.Document) Status {
	if f.Refused() {
		return StatusRefused
	}
	switch doc.State {
	case db.StateReceived:
		return StatusReceived
	case db.StateProcessing:
		return StatusProcessing
	case db.StateFailed:
		switch doc.FailureCode {
		case pervichka.CodeCorrupt, pervichka.CodeEmpty, pervichka.CodeTooManyPixels, pervichka.CodeOCR:
			return StatusBetterPhoto
		case pervichka.CodeEncrypted, pervichka.CodeTooManyPages, pervichka.CodeTooLarge, pervichka.CodeUnsupported:
			return StatusRefused // the sender can fix it: FailureAdvice says how
		}
		return StatusFailed
	case db.StateNeedsReview:
		if Unreadable(doc.Result) {
			return StatusBetterPhoto
		}
		return StatusAccepted
	case db.StateRejected:
		return StatusRejected
	}
	return StatusAccepted // auto_approved, approved, posted
}

// Unreadable applies the rule above to an extract result (JSON).
func Unreadable(result []byte) bool {
	var r struct {
		ReviewReasons []string `json:"review_reasons"`
	}
	if len(result) == 0 || json.Unmarshal(result, &r) != nil {
		return false
	}
	key := map[string]bool{}
	for _, k := range pervichka.KeyFields {
		key[k] = true
	}
	bad := map[string]bool{}
	for _, reason := range r.ReviewReasons {
		code, field, _ := strings.Cut(reason, ":")
		switch code {
		case pervichka.ReasonDocTypeUnknown:
			return true
		case pervichka.ReasonMissing, pervichka.ReasonLowConfidence:
			if key[field] {
				bad[field] = true
			}
		}
	}
	return len(bad) >= unreadableKeyFields
}

// FailureAdvice tells the sender what to do about a file the pipeline
// could not take for a reason the sender can fix (a failure code that
// StatusOf reports as StatusRefused); "" for other codes.
func FailureAdvice(code pervichka.ErrorCode, lim pervichka.Limits) string {
	switch code {
	case pervichka.CodeEncrypted:
		return "Файл защищён паролем — пришлите его без пароля"
	case pervichka.CodeTooManyPages:
		return fmt.Sprintf("Больше %d страниц — разделите файл на части и пришлите их по отдельности", lim.MaxPages)
	case pervichka.CodeTooLarge:
		return fmt.Sprintf("Файл больше %d МБ — пришлите его частями или фото меньшего размера", lim.MaxBytes>>20)
	case pervichka.CodeUnsupported:
		return "Такой файл не принимается — пришлите PDF или фото (JPEG, PNG, TIFF, WebP)"
	}
	return ""
}
