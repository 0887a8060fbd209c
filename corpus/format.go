package corpus

import (
	"fmt"
	"strings"
	"time"

	pervichka "github.com/pervichka/pervichka"
)

var monthsGen = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

var monthsNom = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// dateStyle is how a date is printed.
type dateStyle int

const (
	dateWords       dateStyle = iota // 20 марта 2024 г.
	dateQuotedWords                  // "20" марта 2024 г.
	dateNumeric                      // 20.03.2024
	numDateStyles
)

func formatDate(t time.Time, st dateStyle) string {
	switch st {
	case dateQuotedWords:
		return fmt.Sprintf("\"%02d\" %s %d г.", t.Day(), monthsGen[t.Month()-1], t.Year())
	case dateNumeric:
		return t.Format("02.01.2006")
	}
	return fmt.Sprintf("%d %s %d г.", t.Day(), monthsGen[t.Month()-1], t.Year())
}

// monthYear is «март 2024 г.», for «Услуги … за март 2024 г.».
func monthYear(t time.Time) string {
	return fmt.Sprintf("%s %d г.", monthsNom[t.Month()-1], t.Year())
}

func isoDate(t time.Time) pervichka.Text { return pervichka.Text(t.Format("2006-01-02")) }

// moneyStyle is how an amount is printed in a table.
type moneyStyle struct {
	Sep string // thousands separator: " " or ""
}

// money prints kopecks as «214 500,00».
func (m moneyStyle) money(k pervichka.Kopecks) string {
	neg := k < 0
	if neg {
		k = -k
	}
	s := groupThousands(fmt.Sprint(int64(k)/100), m.Sep) + fmt.Sprintf(",%02d", int64(k)%100)
	if neg {
		return "-" + s
	}
	return s
}

func groupThousands(s, sep string) string {
	if sep == "" || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// qty is a quantity in thousandths of a unit.
type qty int64

// decimal is the truth form: "2", "2.5", "0.125".
func (q qty) decimal() string {
	s := fmt.Sprintf("%d.%03d", int64(q)/1000, int64(q)%1000)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// printed is the table form with a comma: "2", "2,5", or with fixed three
// places "2,500" when fixed is set.
func (q qty) printed(fixed bool) string {
	if fixed {
		return fmt.Sprintf("%d,%03d", int64(q)/1000, int64(q)%1000)
	}
	return strings.ReplaceAll(q.decimal(), ".", ",")
}
