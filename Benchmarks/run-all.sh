#!/usr/bin/env bash
# `make bench`: every benchmark, each printing its figures as ratios against a baseline measured
# in the same run. Release builds; takes several minutes (the provisioning benchmark alone paces
# about 2,500 calls at 50 requests/s three times).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product keybatch
swift build -c release --product KeyBatchBench
echo
echo "=== 1. validate: 100k and 1M rows against a Python csv.DictReader baseline and the libcsv floor"
Benchmarks/validate-bench.sh --no-build
echo
echo "=== 1b. ISO 8601: KeyBatch's parser against Foundation's two APIs"
.build/release/KeyBatchBench timestamps
echo
echo "=== 2. provision: rate-limited, slow sandbox"
.build/release/KeyBatchBench provision
echo
echo "=== 2a. provision at Seam's latency: heavy-tailed answers (median 400 ms, p95 1.5 s), fixed against adaptive window"
.build/release/KeyBatchBench throughput
echo
echo "=== 2c. calls a key (issue 24): new guest-sites, a new state file, a rerun, returning guests"
.build/release/KeyBatchBench calls
echo
echo "=== 2d. the whole run at Seam's limit (issue 24): only --rate L, Seam's burst 5, heavy-tailed latency; and with 5% dropped + 5% 503"
.build/release/KeyBatchBench limit --binary .build/release/keybatch
echo
echo "=== 2b. confirmation and adoption: a Salto KS site that applies changes 2 s late"
.build/release/KeyBatchBench confirm
echo
echo "=== 3. state file: reruns"
.build/release/KeyBatchBench state --binary .build/release/keybatch
echo
echo "=== 4. export: 10,000 ACS users read in pages"
.build/release/KeyBatchBench export
echo
echo "=== 5. provision --verify: 1,000 reservations, 1% drifted behind KeyBatch's back"
.build/release/KeyBatchBench verify
