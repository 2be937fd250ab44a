#!/usr/bin/env python3
"""Reads criterion's estimates (CRITERION_DIR, default $CARGO_TARGET_DIR/criterion) and prints each
figure as a ratio to its baseline from the same run. With several run directories, prints the
median ratio over the runs.

usage: bench_ratios.py DIR [DIR ...]
"""
import json
import os
import statistics
import sys


def median_ns(root, group, fn, param):
    path = os.path.join(root, group, fn, param, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None


REQUESTS = ["minimal_35B", "browser_12_fields"]
CHUNKS = ["256B_chunks", "16KiB_chunks", "1MiB_chunks"]
SERVED = ["1", "1000", "100000"]
PIPELINE = 16
TOTAL = 4 << 20


def rows(root):
    """(section, label, value, baseline value, ratio text) for one run."""
    out = []
    for req in REQUESTS:
        for mode, base, per in [
            ("h1conn", "httparse", PIPELINE),
            ("h1conn_keep", "httparse", PIPELINE),
            ("h1conn", "httparse_respond", PIPELINE),
            ("h1conn_keep", "httparse_respond", PIPELINE),
            ("h1conn_single", "httparse_single", 1),
            ("h1conn_keep_single", "httparse_single", 1),
            ("h1conn_single", "httparse_respond_single", 1),
            ("h1conn_keep_single", "httparse_respond_single", 1),
        ]:
            a = median_ns(root, "per_request", mode, req)
            b = median_ns(root, "per_request", base, req)
            if a and b:
                out.append(("per request", f"{mode} / {base}, {req}", a / per, b / per, a / b))
    for ch in CHUNKS:
        base = median_ns(root, "chunked_4MiB", "memcpy", ch)
        a = median_ns(root, "chunked_4MiB", "connection", ch)
        if a and base:
            # Bandwidth as a fraction of memcpy's: memcpy time / connection time.
            out.append(("chunked", f"connection bandwidth / memcpy, {ch}", a, base, base / a))
    for fn in ["poll_timeout", "handle_timeout"]:
        base = median_ns(root, "timers_idle", fn, "1")
        for n in SERVED[1:]:
            a = median_ns(root, "timers_idle", fn, n)
            if a and base:
                out.append(("timers", f"{fn} after {n} / after 1", a, base, a / base))
    return out


def main():
    dirs = sys.argv[1:] or [
        os.environ.get("CRITERION_DIR")
        or os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "criterion")
    ]
    runs = [rows(d) for d in dirs]
    keys = [(s, l) for s, l, *_ in runs[0]] if runs else []
    print(f"{'figure':<62} {'value':>12} {'baseline':>12} {'ratio':>7}   (median of {len(runs)} run(s))")
    section = None
    for key in keys:
        vals = [r for run in runs for r in run if (r[0], r[1]) == key]
        a = statistics.median(v[2] for v in vals)
        b = statistics.median(v[3] for v in vals)
        ratio = statistics.median(v[4] for v in vals)
        if key[0] != section:
            section = key[0]
            unit = "ns/request" if section == "per request" else "ns"
            print(f"-- {section} ({unit}; chunked: ns per 4 MiB, ratio = fraction of memcpy bandwidth)"
                  if section == "chunked" else f"-- {section} ({unit})")
        spread = ""
        if len(vals) > 1:
            spread = f"  [{min(v[4] for v in vals):.2f}..{max(v[4] for v in vals):.2f}]"
        print(f"{key[1]:<62} {a:>12.1f} {b:>12.1f} {ratio:>7.2f}{spread}")


if __name__ == "__main__":
    main()
