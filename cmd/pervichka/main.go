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

// command runs one subcommand. It returns errExitFailure (after printing its
// own report) to exit 1 without further output, or another error to report.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// errExitFailure makes main exit 1 without printing anything more: the
// command has already said what failed.
var errExitFailure = errors.New("exit 1")

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
	if err := cmd.run(ctx, args[1:], stdout, stderr); err != nil {
		if errors.Is(err, errExitFailure) {
			return 1
		}
		fmt.Fprintf(stderr, "pervichka %s: %v\n", args[0], err)
		return 1
	}
	return 0
}
