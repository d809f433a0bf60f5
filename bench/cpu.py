"""What CPU a benchmark ran on: model, cores and the instruction sets that matter here."""

from __future__ import annotations

import os
from pathlib import Path

# The ones embedding kernels pick code paths by (int8 dot products, wide vectors).
FLAGS = (
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "avx_vnni",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512_vnni",
    "avx512_bf16",
    "amx_int8",
)


def cpu_summary(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """One line, e.g. `AMD EPYC, 2 cores; has avx avx2 fma f16c; lacks avx512f ...`."""
    model, flags = "unknown CPU", set[str]()
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model == "unknown CPU":
                model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    has = [f for f in FLAGS if f in flags]
    lacks = [f for f in FLAGS if f not in flags]
    cores = len(os.sched_getaffinity(0))
    return f"{model}, {cores} cores; has {' '.join(has) or '-'}; lacks {' '.join(lacks) or '-'}"


if __name__ == "__main__":
    print(cpu_summary())
