package fields

import "strings"

// span is the text of a run of tokens joined by spaces, remembering where
// each token starts so that a match in the text maps back to its words (for
// their confidences and boxes).
type span struct {
	text   string
	toks   []token
	starts []int
}

func newSpan(ts []token) span {
	var b strings.Builder
	s := span{toks: ts, starts: make([]int, len(ts))}
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		s.starts[i] = b.Len()
		b.WriteString(t.text)
	}
	s.text = b.String()
	return s
}

// tokensIn returns the tokens overlapping text bytes [start, end).
func (s span) tokensIn(start, end int) []token {
	var out []token
	for i, t := range s.toks {
		ts, te := s.starts[i], s.starts[i]+len(t.text)
		if ts < end && te > start {
			out = append(out, t)
		}
	}
	return out
}

// tokenAt returns the index of the token holding byte offset off, or -1.
func (s span) tokenAt(off int) int {
	for i := len(s.toks) - 1; i >= 0; i-- {
		if s.starts[i] <= off {
			if off < s.starts[i]+len(s.toks[i].text) {
				return i
			}
			return -1
		}
	}
	return -1
}
