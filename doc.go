// Package pervichka holds the domain types every layer of the document-intake
// pipeline speaks: the extraction result (the JSON schema of `pervichka
// extract`), parties, money, OCR words with boxes, review reasons and error
// codes. It imports only the standard library so that every other package can
// depend on it without cycles.
package pervichka
