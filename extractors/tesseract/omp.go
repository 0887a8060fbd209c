package tesseract

import "os"

// init sets OMP_THREAD_LIMIT=1 for child processes when the environment has
// no value. It cannot limit this process (libgomp has read the environment
// before Go starts; see the package doc), which singleThreadOpenMP does.
func init() {
	if _, ok := os.LookupEnv("OMP_THREAD_LIMIT"); !ok {
		_ = os.Setenv("OMP_THREAD_LIMIT", "1")
	}
}
