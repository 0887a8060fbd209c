// Package tesseract recognises page images with Tesseract 5 through a pool
// of gosseract clients. It is the project's only cgo package: everything
// else reaches it through small interfaces (recognize.OCR, the enhancement
// package's orientation finder) and builds without Tesseract.
//
// What it relies on, measured on Debian's Tesseract 5.3 with the "fast"
// rus/eng LSTM models and the legacy osd model:
//
//   - One gosseract client per concurrent call: a client has no locking.
//     Clients are created one at a time, because gosseract's Init redirects
//     the process's stderr while it runs.
//   - One output call per image (GetBoundingBoxesVerbose): each of
//     gosseract's output functions runs recognition again.
//   - user_defined_dpi is set to the page's real resolution on every call;
//     gosseract sets none and a wrong one costs accuracy heavily.
//   - Images reach Leptonica as 8-bit BMP built in Go (1.5 ms to read an A4
//     page, against 134 ms for P5 and 12 ms for uncompressed PNG).
//   - gosseract v2.4.1 never frees the strings and iterator of a result, so
//     clients are recycled after Options.RecycleAfter calls.
//   - Orientation uses a small bridge to the C API
//     (TessBaseAPIDetectOrientationScript), which gosseract does not wrap.
//     OSD misjudges small, blurred photo text, so where it is unsure the
//     page is also read at its quarter turns (read_orientation.go): on the
//     corpus's hard photos that took the pages left upright from 4 of 29 to
//     19 of 29, for ~1.5 CPU-seconds on the pages that need it.
//   - Those readings use a second client per slot, of the first language
//     alone (rus): a rus+eng client tries English on every word Russian
//     reads poorly, which is every word of a probe at a wrong turn, while
//     the reading's score counts Cyrillic words only. On seed 9801's
//     realistic photos that took a tenth off the whole run's CPU with the
//     same turns.
//
// # OpenMP
//
// libtesseract is linked with OpenMP, and without a limit its LSTM loops fan
// out over all cores and spin: on the shared 2-core test machine an A4 page
// at 300 dpi cost 4.2 CPU-seconds and 12 s of wall time, against 0.77
// CPU-seconds with the limit (BenchmarkWords, run in fresh processes with
// TESSERACT_BENCH_OMP=unlimited). OMP_THREAD_LIMIT=1 in the
// environment fixes that only if it is there when the process starts: libgomp
// reads it in a shared-library constructor that runs before any Go code, so
// os.Setenv from Go comes too late (measured: still 4.2 CPU-seconds a
// page, while the same variable set before start gave 0.71). This package
// therefore limits OpenMP itself: every Tesseract call runs on a locked OS
// thread whose OpenMP max-active-levels is set to 0, which makes each
// parallel region run on the calling thread alone. That holds whatever the
// environment says. The package still sets OMP_THREAD_LIMIT=1 at init when
// it is unset, for child processes (a tesseract or ocrmypdf command run by
// the service inherits it).
//
// A region run on one thread still cost libgomp a team of one and a
// barrier whose release is a futex wake, a system call, once per region;
// Tesseract's LSTM opens regions per time step. The package therefore
// defines libgomp's entry points for regions (GOMP_parallel,
// GOMP_parallel_sections and the section calls, capi.go) in the
// executable, where the dynamic linker binds libtesseract's calls, and
// runs each region's body directly. The words read are the same
// (TestOpenMPInterposer compares them with libgomp's threads); on the
// realistic photos of seed 9801 system time fell from about 11 to 4
// CPU-seconds and the whole run's CPU by about a sixth
// (docs/benchmarks.md, twenty-first session). Limits: only those entry
// points are taken over; a Tesseract built to use others (loops with
// dynamic schedules, tasks) would have them run by libgomp, on one
// thread, as before.
package tesseract
