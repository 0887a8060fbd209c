package tesseract

// This file is the package's own small bridge to Tesseract's C API, for the
// things gosseract v2.4.1 does not offer: orientation detection (OSD), a
// per-thread OpenMP limit and OpenMP regions run without libgomp's team
// (GOMP_parallel below). Everything else goes through gosseract.

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

// GOMP_parallel interposes libgomp's entry to a parallel region: defined
// in the executable, it is what libtesseract's calls bind to. The region
// runs on the calling thread, as pv_omp_single_thread makes libgomp run
// it too; but libgomp still builds a team of one and ends it at a barrier
// whose release is a futex wake, a system call, and Tesseract's LSTM
// opens regions for every time step of every text line. On the
// realistic photos of seed 9801 that was 5.7 % of the CPU in libgomp
// alone, besides the kernel's share (see the package doc). Outside a team
// omp_get_num_threads is 1 and omp_get_thread_num 0, so a "parallel for"
// body run so covers the whole range, as in a team of one. Regions of
// sections are run below the same way. pv_omp_unlimited (for benchmarks
// and tests only) hands regions to libgomp.
static int pv_omp_unlimited;
// pv_gomp_regions counts the regions run here, for the test that checks
// Tesseract's calls reach this code.
static unsigned long pv_gomp_regions;
typedef void (*pv_gomp_parallel_fn)(void (*)(void *), void *, unsigned, unsigned);
static pv_gomp_parallel_fn pv_gomp_parallel_next;
static pthread_once_t pv_gomp_once = PTHREAD_ONCE_INIT;
static void pv_gomp_lookup(void) {
	pv_gomp_parallel_next = (pv_gomp_parallel_fn)dlsym(RTLD_NEXT, "GOMP_parallel");
}
void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags) {
	if (pv_omp_unlimited) {
		pthread_once(&pv_gomp_once, pv_gomp_lookup);
		if (pv_gomp_parallel_next != NULL) {
			pv_gomp_parallel_next(fn, data, num_threads, flags);
			return;
		}
	}
	__atomic_fetch_add(&pv_gomp_regions, 1, __ATOMIC_RELAXED);
	fn(data);
}

// GOMP_parallel_sections, GOMP_sections_next and GOMP_sections_end_nowait
// do the same for regions of sections: the region's body asks for section
// numbers 1..count in turn, here from this thread's own counter; a call
// from a region libgomp opened goes on to libgomp.
static __thread unsigned pv_sec_next, pv_sec_count;
static __thread int pv_sec_active;
typedef void (*pv_gomp_sections_fn)(void (*)(void *), void *, unsigned, unsigned, unsigned);
static pv_gomp_sections_fn pv_gomp_sections_parallel_next;
static unsigned (*pv_gomp_sections_next_next)(void);
static void (*pv_gomp_sections_end_next)(void);
static pthread_once_t pv_gomp_sections_once = PTHREAD_ONCE_INIT;
static void pv_gomp_sections_lookup(void) {
	pv_gomp_sections_parallel_next = (pv_gomp_sections_fn)dlsym(RTLD_NEXT, "GOMP_parallel_sections");
	pv_gomp_sections_next_next = (unsigned (*)(void))dlsym(RTLD_NEXT, "GOMP_sections_next");
	pv_gomp_sections_end_next = (void (*)(void))dlsym(RTLD_NEXT, "GOMP_sections_end_nowait");
}
void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned num_threads, unsigned count, unsigned flags) {
	if (pv_omp_unlimited) {
		pthread_once(&pv_gomp_sections_once, pv_gomp_sections_lookup);
		if (pv_gomp_sections_parallel_next != NULL) {
			pv_gomp_sections_parallel_next(fn, data, num_threads, count, flags);
			return;
		}
	}
	__atomic_fetch_add(&pv_gomp_regions, 1, __ATOMIC_RELAXED);
	unsigned next = pv_sec_next, cnt = pv_sec_count;
	int active = pv_sec_active;
	pv_sec_next = 1;
	pv_sec_count = count;
	pv_sec_active = 1;
	fn(data);
	pv_sec_next = next;
	pv_sec_count = cnt;
	pv_sec_active = active;
}
unsigned GOMP_sections_next(void) {
	if (!pv_sec_active) {
		pthread_once(&pv_gomp_sections_once, pv_gomp_sections_lookup);
		return pv_gomp_sections_next_next != NULL ? pv_gomp_sections_next_next() : 0;
	}
	if (pv_sec_next <= pv_sec_count) return pv_sec_next++;
	return 0;
}
void GOMP_sections_end_nowait(void) {
	if (!pv_sec_active) {
		pthread_once(&pv_gomp_sections_once, pv_gomp_sections_lookup);
		if (pv_gomp_sections_end_next != NULL) pv_gomp_sections_end_next();
	}
}

static void pv_set_omp_unlimited(int on) { pv_omp_unlimited = on; }
static unsigned long pv_omp_regions(void) { return __atomic_load_n(&pv_gomp_regions, __ATOMIC_RELAXED); }

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

// ompUnlimited skips the per-thread OpenMP limit and hands parallel
// regions to libgomp; only benchmarks and tests set it (setOMPUnlimited),
// to measure what the limit is worth.
var ompUnlimited = false

// setOMPUnlimited sets ompUnlimited and the interposer's switch with it.
// Not for concurrent use with recognition.
func setOMPUnlimited(on bool) {
	ompUnlimited = on
	v := C.int(0)
	if on {
		v = 1
	}
	C.pv_set_omp_unlimited(v)
}

// ompRegions is the number of OpenMP parallel regions run by the
// interposer (GOMP_parallel above) so far in this process.
func ompRegions() uint64 { return uint64(C.pv_omp_regions()) }

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
