#!/usr/bin/env python3
"""Summarises a bench/soak.sh run: the heap after each forced full GC, a least-squares slope over the
samples after the warm-up, and a verdict; optionally the classes that grew between two class
histograms (jcmd GC.class_histogram).

Usage: soak-report.py samples.csv gc.log warmup_minutes bound_mb_per_min [histo-start histo-end]

Why the default bound of 0.5 MB/min: at the default 1,000 req/s that is 60,000 requests a minute, so
0.5 MB/min is under 9 bytes kept per request, less than the smallest Java object (16 bytes). A
per-request leak of anything (an entry in a map, a listener, a buffer) keeps at least one object per
request and so exceeds it, while the noise of a single sample (what happens to be in flight at the
GC: requests, buffers, queued log lines) is a few hundred KB and, over 8 minutes of samples every
30 s, moves the slope by well under 0.1 MB/min (the report prints its standard error to check that).
A bounded cache filling up in the first minutes is what the warm-up excludes.
"""
import csv
import math
import re
import statistics
import sys

MB = 1048576.0


def read_samples(path):
    with open(path) as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def young_gcs(path, samples, sample_seconds):
    """Heap after each young GC, by soak minute. The first full GC (jcmd GC.run) is the first sample."""
    pauses = []
    first_full = None
    pattern = re.compile(r"\[([\d.]+)s\] GC\(\d+\) Pause (Young|Full) \(([^)]*)\).*?(\d+)M->(\d+)M\((\d+)M\)")
    try:
        with open(path) as f:
            for line in f:
                m = pattern.search(line)
                if not m:
                    continue
                up, kind, after = float(m.group(1)), m.group(2), int(m.group(5))
                if kind == "Full" and first_full is None:
                    first_full = up
                pauses.append((up, kind, after))
    except FileNotFoundError:
        return {}
    if first_full is None:
        return {}
    offset = first_full - sample_seconds
    by_minute = {}
    for up, kind, after in pauses:
        if kind == "Young" and up >= offset:
            by_minute.setdefault(int((up - offset) // 60) + 1, []).append(after)
    return by_minute


def slope(points):
    """Least-squares slope, its standard error and the intercept of (x, y) points."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx
    a = my - b * mx
    residual = sum((y - a - b * x) ** 2 for x, y in points)
    se = math.sqrt(residual / (n - 2) / sxx) if n > 2 else float("nan")
    return b, se, a


def histogram(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
            if m:
                out[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return out


def main():
    samples_path, gc_path, warmup, bound = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    samples = read_samples(samples_path)
    if len(samples) < 4:
        print("too few samples for a verdict")
        return
    step = samples[1]["t_s"] - samples[0]["t_s"]
    young = young_gcs(gc_path, samples, samples[0]["t_s"])
    print()
    print("| minute | heap after full GC (MB) | requests so far | unexpected | open streams | client / upstream connections "
          "| young GCs in the minute, heap after them min-max (MB) |")
    print("|---|---|---|---|---|---|---|")
    for s in samples:
        minute = s["t_s"] / 60
        ys = young.get(math.ceil(minute)) if s["t_s"] % 60 == 0 else None
        young_text = f"{len(ys)}, {min(ys)}-{max(ys)}" if ys else ""
        print(f"| {minute:.1f} | {s['heap_after_full_gc_bytes'] / MB:.1f} | {s['requests']:,.0f} | "
              f"{s['unexpected']:,.0f} | {s['inflight_streams']:.0f} | "
              f"{s.get('client_conns', float('nan')):.0f} / {s.get('upstream_conns', float('nan')):.0f} | {young_text} |")

    window = [s for s in samples if s["t_s"] >= warmup * 60]
    if len(window) < 3:
        print(f"fewer than 3 samples after the {warmup:g}-minute warm-up: no verdict")
        return
    points = [(s["t_s"] / 60, s["heap_after_full_gc_bytes"] / MB) for s in window]
    b, se, _ = slope(points)
    minutes = points[-1][0] - points[0][0]
    per_minute = (window[-1]["requests"] - window[0]["requests"]) / minutes
    per_request = b * MB / per_minute if per_minute else float("nan")
    print()
    print(f"after the {warmup:g}-minute warm-up ({len(window)} samples every {step:.0f} s over {minutes:g} min, "
          f"{per_minute:,.0f} requests a minute):")
    print(f"  heap after full GC: {points[0][1]:.1f} MB at minute {points[0][0]:g}, {points[-1][1]:.1f} MB at "
          f"minute {points[-1][0]:g} (min {min(y for _, y in points):.1f}, max {max(y for _, y in points):.1f})")
    print(f"  least-squares slope: {b:+.3f} MB/min (standard error {se:.3f}), {per_request:+.2f} bytes kept per request")
    verdict = "FLAT" if abs(b) <= bound else ("GROWING" if b > 0 else "SHRINKING (not a leak: something held at the warm-up's end was let go)")
    bound_bytes = bound * MB / per_minute
    print(f"  verdict: {verdict} (bound +/-{bound:g} MB/min: at this rate {bound_bytes:.1f} bytes per request"
          f"{', less than one object (16 bytes)' if bound_bytes < 16 else ''}; see bench/soak-report.py)")
    if se * 3 > bound:
        print("  warning: the slope's standard error is over a third of the bound; the samples are too noisy to judge")

    if len(sys.argv) > 6:
        start, end = histogram(sys.argv[5]), histogram(sys.argv[6])
        growth = []
        for name, (n, size) in end.items():
            n0, size0 = start.get(name, (0, 0))
            growth.append((size - size0, n - n0, name, size))
        growth.sort(reverse=True)
        total = sum(v[1] for v in end.values()) - sum(v[1] for v in start.values())
        print()
        print(f"class histogram, end of warm-up -> end: live heap {total / MB:+.2f} MB; the 15 classes that grew most:")
        print("| class | bytes grown | instances grown | bytes at the end |")
        print("|---|---|---|---|")
        for size, n, name, final in growth[:15]:
            print(f"| {name} | {size:+,} | {n:+,} | {final:,} |")


if __name__ == "__main__":
    main()
