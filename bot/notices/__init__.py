"""Incident notices: editors warn customers about a known problem before the KB answers."""

from bot.notices.store import NoticeDraft, NoticeError, active_notice, create_notice, list_notices

__all__ = ["NoticeDraft", "NoticeError", "active_notice", "create_notice", "list_notices"]
