package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/pervichka/pervichka/metrics"
)

func init() {
	commands["version"] = command{summary: "print the module version, the VCS revision it was built from and the Go version", run: runVersion}
}

// The revision stamped by the linker, for builds that cannot stamp VCS
// information themselves: the Docker build has no .git in its context (a
// worktree's .git is a file pointing outside it), so the Dockerfile passes
// the revision as a build argument: -ldflags "-X main.vcsRevision=… -X
// main.vcsTime=… -X main.vcsModified=…". Go's own stamp wins when present.
var vcsRevision, vcsTime, vcsModified string

// buildInfo is what this binary knows about its own build.
func buildInfo() metrics.BuildInfo {
	b := metrics.BuildInfo{Version: "(devel)", Revision: vcsRevision, Time: vcsTime, Modified: vcsModified == "true"}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.GoVersion = info.GoVersion
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	b := buildInfo()
	rev := b.Revision
	if rev == "" {
		rev = "unknown"
	}
	if b.Modified {
		rev += " (modified)"
	}
	fmt.Fprintf(stdout, "pervichka %s\nrevision %s\n", b.Version, rev)
	if b.Time != "" {
		fmt.Fprintf(stdout, "committed %s\n", b.Time)
	}
	fmt.Fprintf(stdout, "go %s\n", b.GoVersion)
	return nil
}
