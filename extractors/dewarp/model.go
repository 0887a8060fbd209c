package dewarp

// This file is the bridge to Leptonica's dewarper (dewarp1–4.c): it fits the
// text-line model and hands back the sampled disparity arrays. Applying them
// is Go (remap.go): Leptonica's own apply makes full-resolution float arrays
// (16 bytes a pixel, 230 MB for a 14-MP page) and moves pixels by whole
// rows.

/*
#cgo LDFLAGS: -lleptonica
#include <stdlib.h>
#include <string.h>
#include <leptonica/allheaders.h>

typedef struct {
	int nlines;        // long text lines the model was fitted to
	int nx, ny;        // sampled points across and down
	int sampling;      // pixels between sampled points
	int hvalid;        // the horizontal array passed Leptonica's checks
	float *v, *h;      // sampled disparity, nx*ny each (h only if hvalid); malloc'd
} pv_model;

// pv_fpix_copy copies a sampled disparity array into a malloc'd buffer.
static float *pv_fpix_copy(FPIX *f, int nx, int ny) {
	l_int32 w, h;
	if (f == NULL || fpixGetDimensions(f, &w, &h) != 0 || w != nx || h != ny) return NULL;
	float *out = malloc(sizeof(float) * nx * ny);
	if (out == NULL) return NULL;
	l_float32 *data = fpixGetData(f);
	l_int32 wpl = fpixGetWpl(f);
	for (int y = 0; y < ny; y++) memcpy(out + y * nx, data + y * wpl, sizeof(float) * nx);
	return out;
}

// pv_dewarp_model binarizes an 8-bit gray page (Leptonica's adaptive
// threshold), finds its long text lines and fits the vertical (and, when
// it passes the checks, horizontal) disparity model. It returns 0 when a
// valid vertical model was built, 1 when the page gives none (too few
// lines, lines too short, curvature out of bounds), -1 on allocation
// failure.
static int pv_dewarp_model(const unsigned char *gray, int w, int h, int stride, pv_model *m) {
	memset(m, 0, sizeof(*m));
	PIX *p8 = pixCreate(w, h, 8);
	if (p8 == NULL) return -1;
	l_uint32 *data = pixGetData(p8);
	l_int32 wpl = pixGetWpl(p8);
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + y * wpl;
		const unsigned char *src = gray + (size_t)y * stride;
		for (int x = 0; x < w; x++) SET_DATA_BYTE(line, x, src[x]);
	}
	PIX *pixb = pixAdaptThresholdToBinary(p8, NULL, 1.0);
	pixDestroy(&p8);
	if (pixb == NULL) return -1;
	L_DEWARPA *dewa = dewarpaCreate(1, 0, 1, 0, -1);
	if (dewa == NULL) { pixDestroy(&pixb); return -1; }
	dewarpaUseBothArrays(dewa, 1);
	L_DEWARP *dew = dewarpCreate(pixb, 0);
	pixDestroy(&pixb);
	if (dew == NULL) { dewarpaDestroy(&dewa); return -1; }
	dewarpaInsertDewarp(dewa, dew);
	dewarpBuildPageModel(dew, NULL);
	// Validates the model against the curvature limits and drops it when
	// it fails them.
	dewarpaInsertRefModels(dewa, 0, 0);
	dew = dewarpaGetDewarp(dewa, 0);
	int ret = 1;
	if (dew != NULL && dew->vvalid && dew->hasref == 0) {
		m->nlines = dew->nlines;
		m->nx = dew->nx;
		m->ny = dew->ny;
		m->sampling = dew->sampling;
		m->v = pv_fpix_copy(dew->sampvdispar, dew->nx, dew->ny);
		if (dew->hvalid) {
			m->h = pv_fpix_copy(dew->samphdispar, dew->nx, dew->ny);
			m->hvalid = m->h != NULL;
		}
		ret = m->v != NULL ? 0 : -1;
	}
	dewarpaDestroy(&dewa);
	return ret;
}

// pv_quiet_leptonica stops Leptonica printing its progress («Info in
// dewarpFindVertDisparity …») to stderr, unless LEPT_MSG_SEVERITY names a
// level. The setting is the process's: the tesseract package sets it the
// same way.
static void pv_quiet_leptonica(void) {
	setMsgSeverity(getenv("LEPT_MSG_SEVERITY") != NULL ? L_SEVERITY_EXTERNAL : L_SEVERITY_NONE);
}

static void pv_model_free(pv_model *m) {
	free(m->v);
	free(m->h);
	m->v = m->h = NULL;
}
*/
import "C"

import (
	"errors"
	"image"
	"runtime"
	"sync"
	"unsafe"
)

// quietLeptonica silences Leptonica's messages for the process, once.
var quietLeptonica = sync.OnceFunc(func() { C.pv_quiet_leptonica() })

// errNoMemory is Leptonica failing to allocate.
var errNoMemory = errors.New("dewarp: leptonica could not allocate the page")

// fit runs Leptonica's model fitting on g. ok is false when the page gives
// no valid model: fewer than 15 long text lines, lines too short, or a
// curvature beyond Leptonica's limits (a page it would bend wrongly).
func fit(g *image.Gray) (m Model, ok bool, err error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < minSide || h < minSide {
		return Model{}, false, nil
	}
	var cm C.pv_model
	pix := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y):]
	// The C side reads the Go slice during the call only.
	ret := C.pv_dewarp_model((*C.uchar)(unsafe.Pointer(&pix[0])), C.int(w), C.int(h), C.int(g.Stride), &cm)
	runtime.KeepAlive(g)
	defer C.pv_model_free(&cm)
	switch ret {
	case -1:
		return Model{}, false, errNoMemory
	case 1:
		return Model{}, false, nil
	}
	n := int(cm.nx) * int(cm.ny)
	m = Model{
		Lines:    int(cm.nlines),
		NX:       int(cm.nx),
		NY:       int(cm.ny),
		Sampling: int(cm.sampling),
		V:        append([]float32(nil), unsafe.Slice((*float32)(unsafe.Pointer(cm.v)), n)...),
	}
	if cm.hvalid != 0 {
		m.H = append([]float32(nil), unsafe.Slice((*float32)(unsafe.Pointer(cm.h)), n)...)
	}
	return m, true, nil
}
