package review

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
)

// This file is how values and codes are shown to a clerk: dates as
// ДД.ММ.ГГГГ and amounts as «43 399,59», the way the paper prints them,
// and every machine code (reasons, VAT "none") as Russian text.

// displayValue is a stored value as the form shows it. normalise reads
// every form it writes back to the same stored value, so showing it this
// way changes nothing on save; a value that does not parse (a refused
// form's typing) is shown as it is.
func displayValue(k kind, v string) string {
	switch k {
	case kindDate:
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return t.Format("02.01.2006")
		}
	case kindMoney:
		if _, err := pervichka.ParseKopecks(v); err == nil && plainDecimal.MatchString(v) {
			return strings.ReplaceAll(money(v), "\u00a0", " ")
		}
	case kindQuantity:
		if plainDecimal.MatchString(v) {
			return strings.Replace(v, ".", ",", 1)
		}
	case kindRate:
		if v == pervichka.VATNone {
			return "без НДС"
		}
	}
	return v
}

var plainDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// reasonView is one review reason on the document page: its text and,
// for a reason naming another document (a duplicate, a re-sent copy), a
// link to it.
type reasonView struct {
	Text string
	Link int64
}

func reasonViewOf(reason string) reasonView {
	code, suffix, _ := strings.Cut(reason, ":")
	if code == pervichka.ReasonDuplicate || code == pervichka.ReasonResent {
		if id, err := strconv.ParseInt(suffix, 10, 64); err == nil && id > 0 {
			return reasonView{Text: reasonText(reason), Link: id}
		}
	}
	return reasonView{Text: reasonText(reason)}
}

// reviewPrefix starts the extract stage's event reason, followed by the
// review reason codes (pipeline/extract.go).
const reviewPrefix = "нужна проверка: "

// eventText is an event's reason for the history: the extract stage's
// list of reason codes is translated, other reasons are Russian already.
func eventText(reason string) string {
	rest, ok := strings.CutPrefix(reason, reviewPrefix)
	if !ok {
		return reason
	}
	var out []string
	for _, code := range strings.Split(rest, ", ") {
		if code = strings.TrimSpace(code); code != "" {
			out = append(out, reasonText(code))
		}
	}
	return reviewPrefix + strings.Join(out, "; ")
}

// cellCol is an item key's column: "items[3].price" → "price".
func cellCol(key string) string {
	_, col, _ := strings.Cut(key, "].")
	return col
}
