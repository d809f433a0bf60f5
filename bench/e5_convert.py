"""Kept for `python -m bench.e5_convert`: the converter lives in `bot.kb.encoders.e5_convert`."""

from bot.kb.encoders.e5_convert import CACHE_DIR, MODEL_DIR_NAME, bundled_bin, convert, read_packed

__all__ = ["CACHE_DIR", "MODEL_DIR_NAME", "bundled_bin", "convert", "read_packed"]

if __name__ == "__main__":
    print(convert())
