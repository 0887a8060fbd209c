// Package imageprep enhances page images so that Tesseract 5 (LSTM,
// rus+eng) reads them: phone photos squeezed by messengers (1280–1600 px,
// JPEG q50–80, perspective, shadows, uneven light, stamps) and 300-dpi scans
// (small skew, noise, a dark edge).
//
// Enhance runs a fixed pipeline of steps (see Steps). Each step measures
// whether it is needed and skips itself otherwise, so a clean scan passes
// almost untouched while a photo is cut out of its background, levelled,
// lit evenly and enlarged until its capitals are tall enough for the LSTM
// model (accuracy collapses under ~10 px capitals, peaks at ~20–30 px).
//
// Measured with the tesseract CLI (rus+eng, OMP_THREAD_LIMIT=1) on
// synthetic messenger photos (TestOCRGain, IMAGEPREP_OCR_EVAL=1): mean
// character error 52.7% raw → 1.5% enhanced, number recall 0.40 → 0.92;
// on the corpus generator's messenger photos (TestCorpusGain) value recall
// 0.41 → 0.93. Light (flatten) and text size (rescale) matter most, then
// the sheet warp; binarize and deblock measured neutral or harmful once the
// light is levelled and skip themselves (see their doc comments). The
// corpus's "hard" photos (≤1280 px, rotated, blurred) stay poor: 0 → 0.24,
// and OSD cannot orient text that small.
//
// On the committed corpus with the tesseract pool (TestCorpusRecall,
// IMAGEPREP_CORPUS_RECALL=1: share of the born-digital page's tokens found)
// messenger photos reach 0.76 token / 0.83 digit recall (portrait 0.87,
// landscape счёт-фактура/УПД 0.56: their 7.5-pt table text is 6–8 px in a
// 1280-px JPEG and no enlargement recovers it), hard photos 0.28, scans
// 0.95; OCR ≈ 2 CPU-s per photo page, enhancement ≈ 0.35 s.
//
// All pixel work happens on *image.Gray Pix slices; analysis (sheet
// finding, skew, background) runs on downscaled copies, so a 1600-px photo
// costs a few hundred milliseconds of one core. The package never panics on
// any input: a bug inside a step is returned as an internal error.
package imageprep
