package pervichka

import (
	"context"
	"errors"
	"fmt"
)

// ErrorCode classifies why a file could not be read. Codes are stable strings
// used in JSON output, job failure reasons and the review UI.
type ErrorCode string

const (
	CodeTooLarge      ErrorCode = "too_large"        // file over the byte limit
	CodeTooManyPixels ErrorCode = "too_many_pixels"  // a page over the pixel limit
	CodeTooManyPages  ErrorCode = "too_many_pages"   // over the page limit
	CodeUnsupported   ErrorCode = "unsupported_type" // not JPEG/PNG/TIFF/WebP/PDF
	CodeCorrupt       ErrorCode = "corrupt"          // truncated or malformed
	CodeEncrypted     ErrorCode = "encrypted"        // password-protected PDF
	CodeEmpty         ErrorCode = "empty"            // zero bytes or no pages
	CodeOCR           ErrorCode = "ocr_failed"       // the OCR engine failed
	CodeCanceled      ErrorCode = "canceled"         // context canceled or timed out
	CodeIO            ErrorCode = "io"               // the file could not be read
	CodeInternal      ErrorCode = "internal"         // a bug: anything unexpected
	// CodeRecognitionFault is a bug in recognition itself (a panic while
	// reading the fields): the same words would crash it again, so it is
	// permanent, and it is not a verdict on the document.
	CodeRecognitionFault ErrorCode = "recognition_fault"
)

// Permanent reports whether retrying the same bytes cannot help.
func (c ErrorCode) Permanent() bool {
	switch c {
	case CodeCanceled, CodeIO, CodeInternal:
		return false
	}
	return true
}

// Error is a typed failure to read a document. Detail is for logs (English,
// technical); Message gives the Russian text a clerk or contractor sees.
type Error struct {
	Code   ErrorCode
	Detail string
	Err    error
}

// Errorf makes an Error with a formatted detail.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// WrapError makes an Error around a cause.
func WrapError(code ErrorCode, err error, detail string) *Error {
	return &Error{Code: code, Detail: detail, Err: err}
}

func (e *Error) Error() string {
	msg := string(e.Code)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Message is the Russian text shown to people for this error.
func (e *Error) Message() string { return e.Code.Message() }

// Message is the Russian text shown to people for an error code.
func (c ErrorCode) Message() string {
	switch c {
	case CodeTooLarge:
		return "Файл слишком большой"
	case CodeTooManyPixels:
		return "Изображение слишком большое (слишком много пикселей)"
	case CodeTooManyPages:
		return "В документе слишком много страниц"
	case CodeUnsupported:
		return "Формат файла не поддерживается: пришлите PDF, JPEG, PNG, TIFF или WebP"
	case CodeCorrupt:
		return "Файл повреждён или обрезан и не может быть прочитан"
	case CodeEncrypted:
		return "PDF защищён паролем: пришлите файл без пароля"
	case CodeEmpty:
		return "Файл пуст"
	case CodeOCR:
		return "Не удалось распознать текст"
	case CodeCanceled:
		return "Обработка прервана"
	case CodeIO:
		return "Не удалось прочитать файл"
	case CodeRecognitionFault:
		return "Внутренняя ошибка распознавания"
	}
	return "Внутренняя ошибка при обработке файла"
}

// AsError returns err as a typed Error, classifying unknown errors as
// internal. It is the one place where errors are translated for output.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: CodeCanceled, Err: err}
	}
	return &Error{Code: CodeInternal, Err: err}
}

// Info is the JSON form of the error.
func (e *Error) Info() *ErrorInfo { return &ErrorInfo{Code: e.Code, Message: e.Message()} }
