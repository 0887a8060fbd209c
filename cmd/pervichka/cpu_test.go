package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuSplit is the CPU time (user + system) used so far by the processes an
// upload run puts on the machine, by role, and the whole machine's busy and
// idle time. Two snapshots around a run say where its CPU went: on two
// shared cores flat-out latency is concurrency ÷ throughput, and throughput
// is bounded by the CPU all of them spend per upload, not the server's
// alone.
//
// Limits: a process that exits between the snapshots takes its time with it
// (Postgres backends are pooled and outlive a run; the generator's time is
// taken from its exit status instead); "postgres" is every process of that
// name on the machine, other users' included, and "machine" is everything,
// so both are only attributable on an otherwise quiet machine.
type cpuSplit struct {
	serve, s3, postgres time.Duration
	busy, idle          time.Duration
}

func (a cpuSplit) sub(b cpuSplit) cpuSplit {
	return cpuSplit{serve: a.serve - b.serve, s3: a.s3 - b.s3, postgres: a.postgres - b.postgres, busy: a.busy - b.busy, idle: a.idle - b.idle}
}

// readCPUSplit reads /proc (Linux): the serve process by its pid, the S3
// server as a versitygw child of this test process (objectstest starts it),
// and Postgres as every process called postgres (the postmaster, its
// backends, WAL writer, checkpointer). ok is false without /proc.
func readCPUSplit(servePID int) (s cpuSplit, ok bool) {
	self := os.Getpid()
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil || len(dirs) == 0 {
		return s, false
	}
	for _, dir := range dirs {
		pid, err := strconv.Atoi(filepath.Base(dir))
		if err != nil {
			continue
		}
		comm, ppid, cpu, ok := procStat(pid)
		if !ok {
			continue
		}
		switch {
		case pid == servePID:
			s.serve += cpu
		case comm == "versitygw" && ppid == self:
			s.s3 += cpu
		case comm == "postgres":
			s.postgres += cpu
		}
	}
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s, false
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return s, false
	}
	// user nice system idle iowait irq softirq steal, in USER_HZ ticks.
	for i, v := range f[1:9] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s, false
		}
		d := time.Duration(n) * 10 * time.Millisecond
		if i == 3 || i == 4 {
			s.idle += d
		} else {
			s.busy += d
		}
	}
	return s, true
}

// procStat is a process's command name, parent and user + system CPU time,
// from /proc/<pid>/stat.
func procStat(pid int) (comm string, ppid int, cpu time.Duration, ok bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", 0, 0, false
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing one. ppid is field 4; utime and stime are fields
	// 14 and 15, in clock ticks of 1/100 s (USER_HZ).
	open, end := bytes.IndexByte(raw, '('), bytes.LastIndexByte(raw, ')')
	if open < 0 || end < open {
		return "", 0, 0, false
	}
	f := strings.Fields(string(raw[end+1:]))
	if len(f) < 13 {
		return "", 0, 0, false
	}
	ppid, err1 := strconv.Atoi(f[1])
	utime, err2 := strconv.ParseInt(f[11], 10, 64)
	stime, err3 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return "", 0, 0, false
	}
	return string(raw[open+1 : end]), ppid, time.Duration(utime+stime) * 10 * time.Millisecond, true
}
