#!/usr/bin/env bash
# Every figure the README quotes, taken in ONE run on THIS machine (ratios are only meaningful within a run):
#   - the kernels beside hinge bench's own streaming-read baseline, one thread and two, at 1e2…1e7;
#   - hinge eval on an 800 MB .npy pair and a 130 MB .csv pair (page cache), with the eval process's peak RSS;
#   - the same through the native AOT tool as it is packed (its AVX2 build hands over to its AVX-512 build);
#   - the tutorial's training recipes beside PyTorch 1.13 (Debian's python3-torch on OpenBLAS), one thread each;
#   - an independent C streaming read of the same bytes, when the workplace's yardstick
#     (../shared/yardsticks/read-limit.c, AVX-512) is there and this CPU has AVX-512: three times, the fastest kept.
# Usage: benchmarks/same-run.sh [output folder]   (default: benchmarks/results/<UTC time>)
# Run it on a quiet machine: other jobs on the cores inflate every time, and not evenly.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$out/log.txt" >&2; }

{ lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | sed -E 's/(Flags:).*(avx512f).*/\1 … \2 …/'; uname -r; dotnet --version; } \
    > "$out/machine.txt" 2>&1 || true
# The anchors: PyTorch and scikit-learn from Debian (python3-torch, python3-sklearn), installed here when missing.
# (hinge bench --recipes tries python3, then /usr/bin/python3: Debian's, where apt-get puts them.)
if ! python3 -c "import torch, sklearn" > /dev/null 2>&1 && ! /usr/bin/python3 -c "import torch, sklearn" > /dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get > /dev/null; then
        log "installing python3-torch python3-sklearn (apt-get)"
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch python3-sklearn python3-numpy; } \
            > "$out/apt.txt" 2>&1 || log "apt-get failed (see apt.txt): the recipes run without PyTorch"
    else
        log "no torch in python3: install python3-torch python3-sklearn (apt-get) for the PyTorch side of the recipes"
    fi
fi
# Debian's python3-torch does its matrix products through libblas.so.3, which without OpenBLAS is the reference
# (netlib) BLAS: PyTorch's Method 2 then took 13.9 s here against 3.7 s with OpenBLAS, an anchor no PyTorch
# user has. Install OpenBLAS (the recipes run it with OPENBLAS_NUM_THREADS=1) and record which BLAS was used.
if [[ $(id -u) -eq 0 ]] && command -v apt-get > /dev/null && ! dpkg -s libopenblas0-pthread > /dev/null 2>&1 \
    && ! dpkg -s libopenblas0-openmp > /dev/null 2>&1 && ! dpkg -s libopenblas0-serial > /dev/null 2>&1; then
    log "installing libopenblas0-pthread (apt-get): PyTorch's BLAS"
    DEBIAN_FRONTEND=noninteractive apt-get install -y libopenblas0-pthread >> "$out/apt.txt" 2>&1 \
        || log "apt-get failed (see apt.txt): PyTorch runs on the reference BLAS"
fi
{ printf 'BLAS (libblas.so.3): '; readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2> /dev/null || echo unknown; } \
    >> "$out/machine.txt"
log "building (Release)"
dotnet build "$root/src/HingeSharp.Cli" -c Release -v q -nologo > "$out/build.txt"
dotnet build "$root/src/HingeSharp.Demo" -c Release -v q -nologo >> "$out/build.txt"
hinge="$root/src/HingeSharp.Cli/bin/Release/net10.0/hinge"
demo="$root/src/HingeSharp.Demo/bin/Release/net10.0/hinge-demo"

# The independent C read of the same bytes, when the workplace's yardstick (../shared/yardsticks/read-limit.c,
# AVX-512) is there and this CPU has AVX-512: read three times (before, between and after the benches), because a
# shared machine's memory speed moves within minutes; the tables take the fastest read of each size.
yardstick="$root/../shared/yardsticks/read-limit.c"
c_read() {
    if [[ -x "$out/read-limit" ]]; then
        log "independent C read (yardstick, $1)"
        # The binary workload's bytes at 1e7 (8 bytes an element) and Crammer–Singer's (44 bytes a row: 5.5e7 × 8).
        { "$out/read-limit" 10000000; "$out/read-limit" 55000000; } >> "$out/c-read.txt"
    fi
}
rm -f "$out/c-read.txt"
if [[ -f "$yardstick" ]] && grep -q avx512f /proc/cpuinfo && command -v cc > /dev/null; then
    cc -O3 -march=native "$yardstick" -o "$out/read-limit"
fi

log "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
c_read "before the benches"
log "hinge bench, one thread (kernels + file reading)"
"$hinge" bench --format json --threads 1 --no-torch > "$out/bench-1-thread.json"
c_read "between the benches"
log "hinge bench, two threads, 1e7"
"$hinge" bench --format json --threads 2 --no-torch --sizes 10000000 --io-rows 0 > "$out/bench-2-threads.json"

log "the native AOT tool as packed (hinge + hinge-avx512), one thread, 1e7 and file reading"
aot="$out/native-tool"
dotnet publish "$root/src/HingeSharp.Cli" -c Release -r linux-x64 -o "$aot" -v q -nologo >> "$out/build.txt"
"$aot/hinge" bench --format json --threads 1 --no-torch --sizes 10000000 > "$out/bench-native-tool.json"
"$aot/hinge" bench --format text --threads 1 --no-torch --sizes 100 --io-rows 0 | tail -1 >> "$out/machine.txt"
rm -rf "$aot"

c_read "after the benches"
rm -f "$out/read-limit"
log "recipes beside PyTorch, one thread each"
"$demo" bench --recipes --threads 1 --format json > "$out/recipes.json"
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
log "results in $out"
python3 "$root/benchmarks/same-run-table.py" "$out" > "$out/table.md" && log "tables in $out/table.md"
