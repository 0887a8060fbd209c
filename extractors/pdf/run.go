package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"github.com/pervichka/pervichka"
)

// Resource limits of one poppler child. A hostile PDF can at worst make a
// child slow, big or crash: the timeout and RLIMIT_CPU end a slow one,
// RLIMIT_AS a greedy one, RLIMIT_FSIZE one writing a huge image, and a crash
// is an exit status. The limits are set by util-linux prlimit, which sets
// them on itself and then execs the poppler tool, so no wrapper process stays
// between us and the child.
const (
	childMemory     = 2 << 30   // address space, bytes
	childFileSize   = 512 << 20 // largest file a child may write, bytes
	childBaseTime   = 20 * time.Second
	childPerPage    = 2 * time.Second // added to the timeout for each page a call covers
	stderrLimit     = 64 << 10
	killGrace       = 2 * time.Second // after the kill, how long Wait waits for pipes to close
	maxStderrDetail = 300
)

// errTimeout marks a child that ran out of time: treated as a broken or
// hostile file (CodeCorrupt), not a transient failure, so that a job is not
// retried forever on it.
var errTimeout = errors.New("timed out")

// childError is a poppler tool that exited unsuccessfully.
type childError struct {
	tool   string
	err    error // from Wait: exit status or signal
	stderr string
}

func (e *childError) Error() string {
	return fmt.Sprintf("%s: %v: %s", e.tool, e.err, e.stderr)
}

// childTimeout is the time (and the CPU time) allowed to a call covering
// the given number of pages.
func childTimeout(pages int) time.Duration {
	return childBaseTime + time.Duration(pages)*childPerPage
}

// run runs one poppler tool under prlimit in its own process group and
// returns its standard output, of at most outLimit bytes. On cancellation
// or timeout the whole group is killed, so nothing the tool started
// survives.
func run(ctx context.Context, timeout time.Duration, outLimit int, tool string, args ...string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, pervichka.WrapError(pervichka.CodeCanceled, err, tool)
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	argv := append([]string{
		"--as=" + strconv.Itoa(childMemory),
		"--fsize=" + strconv.Itoa(childFileSize),
		"--cpu=" + strconv.Itoa(max(1, int(timeout/time.Second))),
		"--core=0",
		"--", tool,
	}, args...)
	cmd := exec.CommandContext(cctx, "prlimit", argv...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// The negative pid names the process group the child leads.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = killGrace
	stdout := &cappedBuffer{limit: outLimit, overflow: cancel}
	stderr := &cappedBuffer{limit: stderrLimit}
	cmd.Stdout, cmd.Stderr = stdout, stderr

	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, pervichka.WrapError(pervichka.CodeCanceled, ctx.Err(), tool)
	case stdout.overflowed:
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "%s: output over %d bytes", tool, outLimit)
	case cctx.Err() != nil:
		return nil, pervichka.WrapError(pervichka.CodeCorrupt, errTimeout, fmt.Sprintf("%s after %v", tool, timeout))
	case err != nil:
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			// prlimit or the tool is missing: a broken installation, not a bad file.
			return nil, pervichka.WrapError(pervichka.CodeInternal, err, "start "+tool)
		}
		return nil, &childError{tool: tool, err: err, stderr: firstBytes(stderr.Bytes(), maxStderrDetail)}
	}
	return stdout.Bytes(), nil
}

func firstBytes(b []byte, n int) string {
	b = bytes.TrimSpace(b)
	if len(b) > n {
		b = b[:n]
	}
	return string(bytes.ToValidUTF8(b, []byte("?")))
}

// cappedBuffer keeps at most limit bytes. Past the limit it reports success
// (so that the copying goroutine keeps draining the pipe) and calls overflow,
// which kills the child. The buffer is a field, not embedded: an embedded
// bytes.Buffer would give the type a ReadFrom, which io.Copy prefers to
// Write, and the cap would be bypassed.
type cappedBuffer struct {
	buf        bytes.Buffer
	limit      int
	overflowed bool
	overflow   func()
}

func (c *cappedBuffer) Bytes() []byte { return c.buf.Bytes() }

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.limit - c.buf.Len(); room < len(p) {
		if room > 0 {
			c.buf.Write(p[:room])
		}
		if !c.overflowed && c.overflow != nil {
			c.overflowed = true
			c.overflow()
		}
		return len(p), nil
	}
	return c.buf.Write(p)
}
