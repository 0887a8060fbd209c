package tesseract

// This file is the package's own small bridge to Tesseract's C API, for the
// two things gosseract v2.4.1 does not offer: orientation detection (OSD) and
// a per-thread OpenMP limit. Everything else goes through gosseract.

/*
#cgo LDFLAGS: -ltesseract -lleptonica -ldl
#include <stdlib.h>
#include <dlfcn.h>
#include <pthread.h>
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>

// --- Leptonica messages ---------------------------------------------------
// pv_quiet_leptonica stops Leptonica printing to stderr, unless
// LEPT_MSG_SEVERITY names a level (then that level applies).
static void pv_quiet_leptonica(void) {
	setMsgSeverity(getenv("LEPT_MSG_SEVERITY") != NULL ? L_SEVERITY_EXTERNAL : L_SEVERITY_NONE);
}

// --- OpenMP -------------------------------------------------------------
// libgomp reads OMP_THREAD_LIMIT once, in a constructor that runs when the
// shared library is loaded, i.e. before any Go code. Setting the variable from
// Go is therefore too late for this process. What still works is the
// per-thread "max-active-levels" ICV: at 0 no parallel region is active, so
// Tesseract's "#pragma omp parallel for num_threads(N)" loops run on the
// calling thread alone. omp_set_max_active_levels is looked up at run time so
// that a Tesseract built without OpenMP needs nothing.
static void (*pv_set_max_active_levels)(int);
static pthread_once_t pv_omp_once = PTHREAD_ONCE_INIT;
static void pv_omp_lookup(void) {
	pv_set_max_active_levels = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
}
// pv_omp_single_thread limits OpenMP to one thread on the calling OS thread;
// it returns 0 when the process has no OpenMP runtime.
static int pv_omp_single_thread(void) {
	pthread_once(&pv_omp_once, pv_omp_lookup);
	if (pv_set_max_active_levels == NULL) return 0;
	pv_set_max_active_levels(0);
	return 1;
}

// --- Orientation and script detection -----------------------------------
static TessBaseAPI* pv_osd_new(void) {
	TessBaseAPI* api = TessBaseAPICreate();
	if (api == NULL) return NULL;
	if (TessBaseAPIInit3(api, NULL, "osd") != 0) {
		TessBaseAPIDelete(api);
		return NULL;
	}
	// Diagnostics such as "Too few characters. Skipping this page" are
	// results here (reported as no orientation), not messages for stderr.
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	return api;
}

static void pv_osd_free(TessBaseAPI* api) {
	if (api == NULL) return;
	TessBaseAPIEnd(api);
	TessBaseAPIDelete(api);
}

// pv_osd_detect runs OSD on an 8-bit gray image. It returns 1 with the
// clockwise rotation Tesseract detected in the input (0/90/180/270) and its
// confidence, or 0 when the page has too little text to decide.
static int pv_osd_detect(TessBaseAPI* api, const unsigned char* gray, int w, int h, int dpi, int* deg, float* conf) {
	// script points into the engine's character set; it is not ours to free
	// (capi.h says TessDeleteText it, which double-frees in 5.3).
	const char* script = NULL;
	float script_conf = 0;
	TessBaseAPISetImage(api, gray, w, h, 1, w);
	TessBaseAPISetSourceResolution(api, dpi);
	int ok = TessBaseAPIDetectOrientationScript(api, deg, conf, &script, &script_conf);
	TessBaseAPIClear(api);
	return ok ? 1 : 0;
}
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"unsafe"
)

// singleThreadOpenMP pins the calling goroutine to its OS thread and limits
// OpenMP there to one thread, so the Tesseract calls that follow (on the same
// thread) do not fan out across cores. Call the returned func when done.
func singleThreadOpenMP() (unlock func()) {
	runtime.LockOSThread()
	if !ompUnlimited {
		C.pv_omp_single_thread()
	}
	return runtime.UnlockOSThread
}

// quietLeptonica silences Leptonica's messages for the process, once.
// Tesseract's page layout calls Leptonica on boxes it has not clipped, and
// sparse-text segmentation (the orientation reading) makes Leptonica print
// "Error in boxClipToRectangle: box outside rectangle" several times a
// page to stderr, where the admin's log would show them as errors. They
// come from boxes reaching past the image, and recognition goes on past
// them. The limit: Leptonica's other messages are silenced too; a failure
// that matters (an image it cannot read) still reaches us as gosseract's
// error. Setting LEPT_MSG_SEVERITY (e.g. to 3, info) brings them back for
// debugging.
var quietLeptonica = sync.OnceFunc(func() { C.pv_quiet_leptonica() })

// ompUnlimited skips the per-thread OpenMP limit; only benchmarks set it, to
// measure what the limit is worth.
var ompUnlimited = false

// osdEngine is one Tesseract instance loaded with osd.traineddata only.
// Like a gosseract client it has no locking: it belongs to one pool slot.
type osdEngine struct {
	api *C.TessBaseAPI
}

func newOSD() (*osdEngine, error) {
	api := C.pv_osd_new()
	if api == nil {
		return nil, errors.New("initialise Tesseract with osd.traineddata failed (is tesseract-ocr-osd installed?)")
	}
	return &osdEngine{api: api}, nil
}

// detect returns the clockwise rotation Tesseract sees in the image and its
// raw confidence; ok is false when there is too little text to decide.
func (o *osdEngine) detect(gray []byte, w, h, dpi int) (deg int, conf float64, ok bool) {
	if len(gray) == 0 || len(gray) < w*h {
		return 0, 0, false
	}
	var cdeg C.int
	var cconf C.float
	r := C.pv_osd_detect(o.api, (*C.uchar)(unsafe.Pointer(&gray[0])), C.int(w), C.int(h), C.int(dpi), &cdeg, &cconf)
	runtime.KeepAlive(gray)
	if r == 0 {
		return 0, 0, false
	}
	return int(cdeg), float64(cconf), true
}

func (o *osdEngine) close() {
	if o == nil || o.api == nil {
		return
	}
	C.pv_osd_free(o.api)
	o.api = nil
}
