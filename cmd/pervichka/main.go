// Command pervichka is the document-intake pipeline's one binary. It only
// wires packages together: each subcommand lives in its own file and
// registers itself in commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command runs one subcommand. Exit codes follow Go's tools: 0 done (and
// after -h), 2 a command line it cannot run (a *usageError: bad flags,
// arguments or settings), 1 a failure while running. It returns
// errExitFailure (after printing its own report) to exit 1 without further
// output, or another error to report.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// errExitFailure makes main exit 1 without printing anything more: the
// command has already said what failed.
var errExitFailure = errors.New("exit 1")

// usageError is a command line the command cannot run: exit 2. An empty
// msg means it was already printed (by the flag package or a usage text).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// errUsageReported exits 2 without printing more.
var errUsageReported = &usageError{}

// usagef is a usage error with a message.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: pervichka COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "pervichka: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return exitCode(args[0], cmd.run(ctx, args[1:], stdout, stderr), stderr)
}

// exitCode reports err and maps it to the exit status.
func exitCode(name string, err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errExitFailure):
		return 1
	case errors.As(err, &ue):
		if ue.msg != "" {
			fmt.Fprintf(stderr, "pervichka %s: %s\n", name, ue.msg)
		}
		return 2
	}
	fmt.Fprintf(stderr, "pervichka %s: %v\n", name, err)
	return 1
}
