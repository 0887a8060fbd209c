package objects

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/minio/minio-go/v7"
)

// IsTransient reports whether retrying the same operation later may
// succeed: network failures (refused, reset, timed out, connection closed
// early), S3 server errors (5xx), throttling (429, SlowDown and kin), a
// full local disk and a local folder that cannot be written (permissions,
// read-only). False for everything a retry cannot fix: ErrNotFound,
// ErrInvalidKey, S3's access denied, a missing bucket, a failing caller's
// reader, and a cancelled or expired context (the caller chose to stop).
func IsTransient(err error) bool {
	switch {
	case err == nil,
		errors.Is(err, context.Canceled),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, ErrNotFound),
		errors.Is(err, ErrInvalidKey):
		return false
	}
	var src *sourceError
	if errors.As(err, &src) {
		return false
	}
	var resp minio.ErrorResponse
	if errors.As(err, &resp) && (resp.Code != "" || resp.StatusCode != 0) {
		if transientCodes[resp.Code] {
			return true
		}
		return resp.StatusCode >= 500 || resp.StatusCode == 429 || resp.StatusCode == 408
	}
	for _, errno := range transientErrnos {
		if errors.Is(err, errno) {
			return true
		}
	}
	// *net.OpError is a failure of the connection itself (dial, read,
	// write); *url.Error is not checked as such, since it also carries the
	// caller's reader errors.
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	// The server closed the connection mid-response.
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// transientCodes are S3 error codes that mean "later", as minio-go's own
// retry list has them, plus ServiceUnavailable.
var transientCodes = map[string]bool{
	"RequestError":          true,
	"RequestTimeout":        true,
	"Throttling":            true,
	"ThrottlingException":   true,
	"RequestLimitExceeded":  true,
	"RequestThrottled":      true,
	"InternalError":         true,
	"ServiceUnavailable":    true,
	"SlowDown":              true,
	"SlowDownWrite":         true,
	"SlowDownRead":          true,
	"ExpiredToken":          true,
	"ExpiredTokenException": true,
}

var transientErrnos = []error{
	syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
	syscall.EPIPE, syscall.ETIMEDOUT, syscall.EHOSTUNREACH,
	syscall.ENETUNREACH, syscall.ENETDOWN,
	syscall.ENOSPC, syscall.EDQUOT,
	// A folder the process may not write (permissions, a read-only
	// remount): the operator's fix makes the same call succeed, and until
	// then the sender should hear "later", not "internal error".
	syscall.EACCES, syscall.EPERM, syscall.EROFS,
}
