#!/usr/bin/env python3
"""Times benchmark commands for validate-bench.sh and prints the comparison table.

Usage: time_runs.py RUNS_FILE
RUNS_FILE has one run a line: tool<TAB>rows<TAB>shell command. Each command runs 3 times; the
best wall-clock time counts, and the peak RSS of that command (max over the runs) comes from
`/usr/bin/time -f %M` when present, else from os.wait4's rusage of the child.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPEATS = 3
GNU_TIME = "/usr/bin/time" if shutil.which("/usr/bin/time") else None


def run_once(command):
    """Returns (seconds, peak RSS in KiB) of one run of a shell command."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        argv = ["/bin/sh", "-c", command]
        if GNU_TIME:
            argv = [GNU_TIME, "-f", "%M", "-o", rss_file.name, "--"] + argv
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            sys.exit(f"failed ({child.returncode}): {command}")
        if GNU_TIME:
            peak = int(rss_file.read().split()[-1])
        else:
            peak = usage.ru_maxrss  # KiB on Linux
    return seconds, peak


def main():
    runs = []
    with open(sys.argv[1], encoding="utf-8") as runs_file:
        for line in runs_file:
            if line.strip():
                tool, rows, command = line.rstrip("\n").split("\t", 2)
                runs.append((tool, int(rows), command))
    results = {}
    for tool, rows, command in runs:
        timings = [run_once(command) for _ in range(REPEATS)]
        best = min(seconds for seconds, _ in timings)
        peak = max(rss for _, rss in timings)
        results[(tool, rows)] = (best, peak)
        print(f"  {tool:<24} {rows:>9} rows  {best:7.3f} s", file=sys.stderr)

    print()
    print(f"{'tool':<24} {'rows':>9} {'seconds':>9} {'rows/s':>11} {'x python':>9} {'x floor':>8} {'peak RSS MB':>12}")
    for (tool, rows), (seconds, peak) in results.items():
        python = results.get(("python baseline", rows))
        floor = results.get(("libcsv floor (C)", rows))
        versus_python = f"{python[0] / seconds:8.1f}x" if python else "      -"
        versus_floor = f"{seconds / floor[0]:7.2f}x" if floor else "      -"
        print(f"{tool:<24} {rows:>9} {seconds:>9.3f} {rows / seconds:>11,.0f} {versus_python:>9} "
              f"{versus_floor:>8} {peak / 1024:>12.1f}")
    print()
    print("x python: how many times faster than the Python baseline; x floor: time over the C floor's.")
    sizes = sorted({rows for _, rows in results})
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"RSS growth {small:,} -> {large:,} rows, bytes per added row:")
        for tool in dict.fromkeys(tool for tool, _ in results):
            if (tool, small) in results and (tool, large) in results:
                growth = (results[(tool, large)][1] - results[(tool, small)][1]) * 1024 / (large - small)
                print(f"  {tool:<24} {growth:8.1f}")


if __name__ == "__main__":
    main()
