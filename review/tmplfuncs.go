package review

import (
	"html/template"
	"time"
)

func funcs(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"inc":        func(i int) int { return i + 1 },
		"cellCol":    cellCol,
		"money":      money,
		"resentFrom": resentFrom,
		"when":       func(t time.Time) string { return t.In(loc).Format("02.01.2006 15:04") },
	}
}
