#!/usr/bin/env python3
"""Turns one benchmarks/same-run.sh results folder into the Markdown tables the READMEs quote.

Usage: benchmarks/same-run-table.py benchmarks/results/<stamp>

Every figure comes from that one folder, i.e. from one run on one machine; nothing is compared across runs.
"""
import json
import pathlib
import re
import sys

# Bytes a workload reads per element (binary: float32 score + int32 label) or per row (C = 10: ten float32 scores and
# one int32 label), to set the kernels beside the C read, which reports n × 8 bytes.
BYTES = {"binary": 8, "binary-metrics": 8, "crammer-singer": 44, "one-vs-all": 44, "multiclass-metrics": 44}


def load(folder, name):
    path = folder / name
    return json.loads(path.read_text()) if path.exists() else []


def kernel_rows(rows):
    return {(r["workload"], r["n"]): r for r in rows if "n" in r}


def c_read(folder):
    """{n: bytes/s} from the yardstick's lines (n=… best … ms  X GB/s …): the fastest of the run's reads of each size
    (same-run.sh reads before, between and after the benches; the limit is the best the machine did in the run)."""
    path = folder / "c-read.txt"
    out = {}
    if path.exists():
        for line in path.read_text().splitlines():
            m = re.match(r"n=(\d+) best ([\d.]+) ms\s+([\d.]+) GB/s", line)
            if m:
                n = int(m.group(1))
                out[n] = max(out.get(n, 0.0), float(m.group(3)) * 1e9)
    return out


def main(folder):
    folder = pathlib.Path(folder)
    one = kernel_rows(load(folder, "bench-1-thread.json"))
    two = kernel_rows(load(folder, "bench-2-threads.json"))
    native = load(folder, "bench-native-tool.json")
    native_k = kernel_rows(native)
    c = c_read(folder)
    print("Machine:", " ".join((folder / "machine.txt").read_text().split()) if (folder / "machine.txt").exists() else "?")
    print()
    print("| kernel at 1e7 | one thread | of `hinge bench`'s baseline | of the C read | two threads | of baseline |")
    print("|---|---:|---:|---:|---:|---:|")
    for workload in ["binary", "binary-metrics", "crammer-singer", "one-vs-all", "multiclass-metrics"]:
        r = one.get((workload, 10_000_000))
        if r is None:
            continue
        unit = "elements/s" if BYTES[workload] == 8 else "rows/s"
        rate = r["elementsPerSecond"]
        bytes_per_s = rate * BYTES[workload]
        c_rate = c.get(10_000_000 if BYTES[workload] == 8 else 55_000_000)
        of_c = f"{bytes_per_s / c_rate:.2f}" if c_rate else "–"
        t = two.get((workload, 10_000_000))
        two_rate = f"{t['elementsPerSecond']:.3g} {unit}" if t else "–"
        two_ratio = f"{t['ratioToBaseline']:.2f}" if t else "–"
        print(f"| {workload} | {rate:.3g} {unit} ({bytes_per_s / 1e9:.1f} GB/s) | {r['ratioToBaseline']:.2f} | "
              f"{of_c} | {two_rate} | {two_ratio} |")
    if c:
        print()
        print("C read (yardstick, best of 15, the fastest of its three reads in the run): " + ", ".join(f"{n:.0e} × 8 bytes {v / 1e9:.1f} GB/s" for n, v in
                                                               sorted(c.items())))
    fused = {w: one.get((w, 10_000_000)) for w in ["binary", "binary-metrics", "crammer-singer", "multiclass-metrics"]}
    if fused["binary"] and fused["binary-metrics"]:
        print(f"\nhinge + stat scores in one pass (binary-metrics) at 1e7: "
              f"{fused['binary-metrics']['elementsPerSecond'] / fused['binary']['elementsPerSecond']:.2f} of the "
              "binary hinge kernel's speed")
    if fused["crammer-singer"] and fused["multiclass-metrics"]:
        print(f"hinge + confusion counts in one pass (multiclass-metrics) at 1e7: "
              f"{fused['multiclass-metrics']['elementsPerSecond'] / fused['crammer-singer']['elementsPerSecond']:.2f}"
              " of the Crammer–Singer kernel's speed")
    print()
    print("| file pair (page cache) | build | bytes | seconds | rate | peak RSS |")
    print("|---|---|---:|---:|---:|---:|")
    for name, rows in [("JIT (`dotnet run`)", load(folder, "bench-1-thread.json")), ("native tool", native)]:
        for r in rows:
            if "bytes" in r:
                rss = f"{r['peakRssBytes'] / 1e6:.0f} MB" if r.get("peakRssBytes") else "–"
                print(f"| {r['workload']} ({r['rows']:.0e} rows) | {name} | {r['bytes'] / 1e6:.0f} MB | "
                      f"{r['seconds']:.3f} | {r['bytesPerSecond'] / 1e6:.0f} MB/s | {rss} |")
    if native_k:
        print()
        print("| native tool at 1e7, one thread | rate | of its own baseline |")
        print("|---|---:|---:|")
        for (workload, n), r in sorted(native_k.items()):
            if n == 10_000_000:
                print(f"| {workload} | {r['elementsPerSecond']:.3g}/s | {r['ratioToBaseline']:.2f} |")
    recipes = load(folder, "recipes.json")
    if recipes:
        print()
        print("| recipe (one thread each) | HingeSharp | PyTorch 1.13, same run | ratio |")
        print("|---|---:|---:|---:|")
        for r in recipes:
            py = f"{r['pytorchSeconds']:.3f} s" if r.get("pytorchSeconds") is not None else "–"
            ratio = f"{r['ratioToPyTorch']:.2f}×" if r.get("ratioToPyTorch") is not None else "–"
            print(f"| {r['workload']} | {r['seconds']:.3f} s | {py} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
