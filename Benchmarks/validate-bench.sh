#!/usr/bin/env bash
# Benchmarks `keybatch validate` against a Python csv.DictReader baseline and a C program that
# only counts libcsv records (the floor), at 100k and 1M rows: median of 3 wall clock and peak RSS.
#
# Usage: Benchmarks/validate-bench.sh [--no-build] [--seed N] [--sizes "100000 1000000"]
# Data is cached in Benchmarks/.data (by seed and size), binaries go to Benchmarks/.bin.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build=1
seed=42
sizes="100000 1000000"
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --seed) seed="$2"; shift ;;
        --sizes) sizes="$2"; shift ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

mkdir -p "$here/.bin" "$here/.data"
keybatch="$root/.build/release/keybatch"
if [ "$build" = 1 ]; then
    echo "== swift build -c release --product keybatch" >&2
    (cd "$root" && swift build -c release --product keybatch) >&2
fi

echo "== compiling the libcsv floor" >&2
cc -O2 -Wall -Wextra -o "$here/.bin/libcsv_floor" "$here/libcsv_floor.c" -lcsv

# The bare CSVReader, when the release objects of the CSV module are there.
reader_bench=""
if ls "$root"/.build/release/CSV.build/*.o >/dev/null 2>&1; then
    echo "== compiling the bare CSVReader benchmark" >&2
    if swiftc -O -I "$root/.build/release/Modules" -I "$root/Sources/CLibCSV" "$here/reader_bench.swift" \
        "$root"/.build/release/CSV.build/*.o -lcsv -o "$here/.bin/reader_bench" >&2; then
        reader_bench="$here/.bin/reader_bench"
    fi
fi

has_validate=0
if [ -x "$keybatch" ] && "$keybatch" validate --help >/dev/null 2>&1; then
    has_validate=1
else
    echo "== $keybatch has no 'validate' subcommand: keybatch is skipped" >&2
fi

runs="$(mktemp)"
trap 'rm -f "$runs"' EXIT
for rows in $sizes; do
    data="$here/.data/seed-$seed-rows-$rows"
    if [ ! -f "$data/reservations.csv" ] || [ ! -f "$data/listings.csv" ]; then
        echo "== generating $rows rows (seed $seed)" >&2
        python3 "$here/generate_reservations.py" "$rows" "$data.partial" --seed "$seed"
        rm -rf "$data" && mv "$data.partial" "$data"
    fi
    input="$data/reservations.csv"
    listings="$data/listings.csv"
    printf 'libcsv floor (C)\t%s\t%q %q\n' "$rows" "$here/.bin/libcsv_floor" "$input" >> "$runs"
    printf 'python baseline\t%s\tpython3 %q %q --listings %q --out %q\n' "$rows" \
        "$here/baseline_validate.py" "$input" "$listings" "$data/results-python.csv" >> "$runs"
    if [ -n "$reader_bench" ]; then
        printf 'CSVReader only\t%s\t%q %q\n' "$rows" "$reader_bench" "$input" >> "$runs"
    fi
    if [ "$has_validate" = 1 ]; then
        # Exit status 1 means "some rows invalid", which ~1% of generated rows are on purpose.
        printf 'keybatch validate\t%s\t%q validate %q --listings %q --out %q 2>/dev/null || [ $? -eq 1 ]\n' "$rows" "$keybatch" \
            "$input" "$listings" "$data/results-keybatch.csv" >> "$runs"
    fi
done

echo "== timing (median of 3, commands in turn)" >&2
python3 "$here/time_runs.py" "$runs"
if [ "$has_validate" = 0 ]; then
    echo
    echo "keybatch validate: skipped ($keybatch missing or without 'validate')."
fi
