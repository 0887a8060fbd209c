package tesseract

import pervichka "github.com/pervichka/pervichka"

// UprightScore is what a page's own recognition says for its being upright:
// the reading score (wordScore: confidently read Cyrillic words, document
// words counting extra) of the words whose boxes lie flat. Tesseract's
// automatic layout finds text lines standing on end and reads them turned,
// so a page on its side reads words too; their boxes stand upright (taller
// than wide) and are not counted. Text upside down reads as few confident
// Cyrillic words and fewer document words.
func (p *Pool) UprightScore(words []pervichka.Word) float64 {
	score := 0.0
	for _, w := range words {
		if w.Box.X1-w.Box.X0 <= w.Box.Y1-w.Box.Y0 {
			continue
		}
		score += wordScore(w.Text, w.Conf)
	}
	return score
}
