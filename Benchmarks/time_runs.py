#!/usr/bin/env python3
"""Times benchmark commands for validate-bench.sh and prints the comparison table.

Usage: time_runs.py RUNS_FILE
RUNS_FILE has one run a line: tool<TAB>rows<TAB>shell command. The commands run in turn, 3 rounds
(KEYBATCH_BENCH_REPEATS to change it), so that load from elsewhere on the machine hits them all
alike; the median wall-clock time of each counts, and its peak RSS (max over the runs) comes from
`/usr/bin/time -f %M` when present, else from os.wait4's rusage of the child.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPEATS = int(os.environ.get("KEYBATCH_BENCH_REPEATS", "3"))
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
    timings = {(tool, rows): [] for tool, rows, _ in runs}
    for round_number in range(REPEATS):
        for tool, rows, command in runs:
            timings[(tool, rows)].append(run_once(command))
        print(f"  round {round_number + 1} of {REPEATS}: "
              + ", ".join(f"{tool} {rows}: {timings[(tool, rows)][-1][0]:.3f} s" for tool, rows, _ in runs), file=sys.stderr)
    results = {}
    for key, measured in timings.items():
        results[key] = (statistics.median(seconds for seconds, _ in measured), max(rss for _, rss in measured))
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
    print(f"Median of {REPEATS} runs each, taken in turn. x python: how many times faster than the Python")
    print("baseline; x floor: time over the C floor's.")
    for (tool, rows), (seconds, _) in results.items():
        floor = results.get(("libcsv floor (C)", rows))
        if tool == "keybatch validate" and floor:
            print(f"keybatch validate, {rows:,} rows: {seconds:.3f} s against the libcsv floor's {floor[0]:.3f} s, "
                  f"{seconds / floor[0]:.2f}x the floor (goal: at most 2.5x)")
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
