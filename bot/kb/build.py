"""`bot kb build`: validate, embed with a progress bar, publish the index."""

from __future__ import annotations

import logging

from tqdm import tqdm

from bot.kb.encoders import create_encoder
from bot.kb.format import load_kb
from bot.kb.index import build_index, is_current
from bot.settings import Settings

logger = logging.getLogger(__name__)


def build(settings: Settings, force: bool = False) -> bool:
    """Build the index unless it is current; return True when a new one was published."""
    kb = load_kb(settings.faq_dir)  # raises before anything is written
    if not force and is_current(
        settings.index_dir, kb, settings.embedding_model, settings.kb_adapter
    ):
        print(f"index in {settings.index_dir} is up to date (KB {kb.checksum})")
        return False
    encoder = create_encoder(settings.embedding_model)
    phrasings = sum(len(e.texts) for e in kb.entries)
    with tqdm(total=phrasings, desc="embedding KB", unit="text") as bar:
        manifest = build_index(
            kb,
            encoder,
            settings.index_dir,
            progress=bar.update,
            cache_dir=settings.cache_dir,
            adapter=settings.kb_adapter,
        )
    print(
        f"built index {manifest['version']}: {manifest['topics']} topics, "
        f"{manifest['entries']} entries, {manifest['vectors']} phrasings, "
        f"model {manifest['model']}"
    )
    return True
