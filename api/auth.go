package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/pervichka/pervichka/storage/db"
)

// TokenChecker finds the live API token a bearer string names; *db.DB is
// one. Unknown and revoked tokens are db.ErrNotFound.
type TokenChecker interface {
	Authenticate(ctx context.Context, plaintext string) (db.Token, error)
}

type tokenKey struct{}

// TokenFrom returns the token RequireRole authenticated for this request.
func TokenFrom(ctx context.Context) (db.Token, bool) {
	t, ok := ctx.Value(tokenKey{}).(db.Token)
	return t, ok
}

// RequireRole lets a request through to h only with an
// "Authorization: Bearer pvk_…" header (or Basic credentials with the token
// as the password, for browsers) naming a live token whose role allows role
// (an admin token allows everything). A missing or unknown token is 401
// with a WWW-Authenticate challenge, a token of too small a role 403, a
// database that cannot answer now 503; all in the API's JSON error shape.
// cmd uses it to put other admin pages (River UI, metrics) behind the same
// tokens. log receives unexpected failures; nil discards.
//
// Every request costs one indexed lookup; tokens are not cached, so a
// revocation takes effect on the next request.
func RequireRole(tokens TokenChecker, role db.Role, h http.Handler, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plaintext, ok := bearer(r)
		if !ok {
			writeErrorTo(log, w, r, errNoToken)
			return
		}
		tok, err := tokens.Authenticate(r.Context(), plaintext)
		if errors.Is(err, db.ErrNotFound) {
			writeErrorTo(log, w, r, errBadToken)
			return
		} else if err != nil {
			writeErrorTo(log, w, r, err)
			return
		}
		if !tok.Role.Allows(role) {
			writeErrorTo(log, w, r, &httpError{http.StatusForbidden, codeForbidden,
				"Недостаточно прав: нужен токен с ролью " + string(role)})
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tokenKey{}, tok)))
	})
}

// bearer reads the token from the Authorization header: "Bearer <token>",
// or "Basic" credentials whose password is the token (the user name is
// ignored). Basic is there for people: a browser cannot send a bearer
// token, but it asks for a password when challenged with Basic, so an admin
// can open River's UI with the token as the password. Scheme names are
// case-insensitive (RFC 9110); the token is not.
func bearer(r *http.Request) (string, bool) {
	if _, token, ok := r.BasicAuth(); ok {
		return token, token != ""
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// caller names the request's token, and the same as an actor of document
// events ("api:<name>").
func caller(r *http.Request) (name, actor string) {
	tok, _ := TokenFrom(r.Context())
	return tok.Name, "api:" + tok.Name
}
