"""The editors' API route by route: success, and each error status it documents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sanic import Sanic

from bot.gaps import GapRecord, record_gap
from bot.runtime import Runtime
from bot.web.models import Conflicts, Coverage, GapList, NoticeList
from tests.web.conftest import call
from tests.web.test_drafts_api import gap_with_resolved_ticket


def a_gap(runtime: Runtime, text: str = "Can I bring my dog to the shop?") -> int:
    gap_id = record_gap(runtime.db, GapRecord("no_answer", text, "s1", "en"))
    assert gap_id is not None
    return gap_id


async def test_gap_list_detail_and_csv(app: Sanic, runtime: Runtime) -> None:
    gap_id = a_gap(runtime)
    listed = await call(app, "GET", "/api/gaps?status=all&lang=en&limit=10", "editor")
    assert listed.status == 200, listed.text
    assert GapList.model_validate(listed.json).count == 1
    detail = await call(app, "GET", f"/api/gaps/{gap_id}", "editor")
    assert detail.status == 200 and detail.json["id"] == gap_id
    csv = await call(app, "GET", "/api/gaps.csv", "editor")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "dog" in csv.text
    assert (await call(app, "GET", "/api/gaps/999999", "editor")).status == 404


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=x", "status=lost"])
async def test_gap_list_query_is_checked(app: Sanic, query: str) -> None:
    response = await call(app, "GET", f"/api/gaps?{query}", "editor")
    assert response.status == 400 and response.json["fields"] == [query.split("=")[0]]


async def test_answer_a_gap_with_alternatives(app: Sanic, runtime: Runtime) -> None:
    gap_id = a_gap(runtime, "how long does shipping take to Tromsø?")
    body = {"faq_id": "shipping_time", "phrasings": [{"text": "shipping to Tromsø", "lang": "en"}]}
    done = await call(app, "POST", f"/api/gaps/{gap_id}/alternatives", "editor", body)
    assert done.status == 202, done.text
    assert done.json == {"gap_id": gap_id, "status": "answered", "index": "rebuilding"}
    missing = await call(app, "POST", "/api/gaps/999999/alternatives", "editor", body)
    assert missing.status == 404
    unknown = await call(
        app, "POST", f"/api/gaps/{a_gap(runtime)}/alternatives", "editor", {"faq_id": "nope"}
    )
    assert unknown.status == 400 and "nope" not in unknown.text
    assert (await call(app, "POST", f"/api/gaps/{gap_id}/alternatives", "editor", {})).status == 400


async def test_answer_a_gap_with_a_new_entry(app: Sanic, runtime: Runtime) -> None:
    gap_id = a_gap(runtime)
    entry = {
        "id": "dogs_in_shops",
        "team": "stores",
        "translations": [
            {"lang": "en", "question": "Can I bring my dog?", "answer": "Dogs on a leash are."}
        ],
    }
    done = await call(app, "POST", f"/api/gaps/{gap_id}/entry", "editor", entry)
    assert done.status == 202, done.text
    twice = await call(app, "POST", f"/api/gaps/{a_gap(runtime, 'dogs?')}/entry", "editor", entry)
    assert twice.status == 400  # the entry exists now
    bad = {**entry, "translations": [{"lang": "en"}]}
    response = await call(app, "POST", f"/api/gaps/{gap_id}/entry", "editor", bad)
    assert response.status == 400 and "translations[0].question" in response.json["fields"]


async def test_gap_status_and_regrouping(app: Sanic, runtime: Runtime) -> None:
    gap_id = a_gap(runtime)
    path = f"/api/gaps/{gap_id}/status"
    dismissed = await call(app, "POST", path, "editor", {"status": "dismissed"})
    assert dismissed.status == 200 and dismissed.json == {"gap_id": gap_id, "status": "dismissed"}
    assert (await call(app, "POST", path, "editor", {"status": "gone"})).status == 400
    assert (
        await call(app, "POST", "/api/gaps/999999/status", "editor", {"status": "open"})
    ).status == 404
    regrouped = await call(app, "POST", "/api/gaps/recluster", "editor", {})
    assert regrouped.status == 200 and regrouped.json == {"open_gaps": 0}


async def test_drafts_of_an_unknown_draft_are_404(app: Sanic, runtime: Runtime) -> None:
    gap_id = a_gap(runtime)
    listed = await call(app, "GET", f"/api/gaps/{gap_id}/drafts", "editor")
    assert listed.status == 200 and listed.json == {"gap_id": gap_id, "drafts": []}
    base = f"/api/gaps/{gap_id}/drafts/999"
    approval = {"id": "x", "question": "Q?", "answer": "A."}
    assert (await call(app, "POST", f"{base}/approve", "editor", approval)).status == 404
    assert (await call(app, "POST", f"{base}/reject", "editor", {})).status == 404


async def test_kb_coverage_and_conflicts(app: Sanic) -> None:
    coverage = await call(app, "GET", "/api/kb/coverage", "editor")
    assert coverage.status == 200
    assert "en" in Coverage.model_validate(coverage.json).languages
    conflicts = await call(app, "GET", "/api/kb/conflicts?lang=en", "editor")
    assert conflicts.status == 200
    found = Conflicts.model_validate(conflicts.json)
    assert found.count == len(found.conflicts)


async def test_weekly_analytics(app: Sanic) -> None:
    response = await call(app, "GET", "/api/analytics/weekly?weeks=4", "editor")
    assert response.status == 200 and isinstance(response.json, dict)
    assert (await call(app, "GET", "/api/analytics/weekly?weeks=105", "editor")).status == 400


async def test_notices_posted_listed_and_ended(app: Sanic) -> None:
    notice = {
        "text": "Our Oslo shop is closed for repairs this week.",
        "ends_at": "2099-03-10T18:00:00+01:00",
        "keywords": "oslo, shop",
        "lang": "en",
    }
    created = await call(app, "POST", "/api/notices", "editor", notice)
    assert created.status == 201, created.text
    notice_id = created.json["id"]
    listed = NoticeList.model_validate((await call(app, "GET", "/api/notices", "editor")).json)
    [shown] = listed.notices
    assert (shown.id, shown.keywords, shown.created_by) == (notice_id, ["oslo", "shop"], "editor")
    # RFC 3339, as documented (`date-time`): SQLite gives the stored UTC back without its
    # offset, which the API sent on as is until schemathesis noticed.
    ends = datetime.fromisoformat(shown.ends_at)
    assert ends == datetime(2099, 3, 10, 17, 0, tzinfo=UTC) and ends.utcoffset() is not None
    assert datetime.fromisoformat(shown.starts_at).utcoffset() is not None
    ended = await call(app, "POST", f"/api/notices/{notice_id}/end", "editor", {})
    assert ended.status == 200 and ended.json == {"id": notice_id, "ended": True}
    assert (await call(app, "POST", "/api/notices/999999/end", "editor", {})).status == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": None}, "ends_at"),
        ({"ends_at": "next tuesday"}, "ends_at"),
        ({"text": ["x"]}, "text"),
    ],
)
async def test_a_bad_notice_is_a_400_naming_the_field(
    app: Sanic, change: dict[str, object], field: str
) -> None:
    notice = {"text": "Closed.", "ends_at": "2026-03-10T18:00:00+01:00", "keywords": ["x"]}
    response = await call(app, "POST", "/api/notices", "editor", {**notice, **change})
    assert response.status == 400 and field in response.json["fields"]
    assert "tuesday" not in response.text


async def test_a_notice_matching_nothing_is_refused_by_the_store(app: Sanic) -> None:
    notice = {"text": "Closed.", "ends_at": "2026-03-10T18:00:00+01:00"}
    response = await call(app, "POST", "/api/notices", "editor", notice)
    assert response.status == 400 and response.json["error"].startswith("notice keywords")


async def test_an_approved_draft_becomes_a_kb_entry(app: Sanic, runtime: Runtime) -> None:
    gap_id = gap_with_resolved_ticket(runtime.db)
    [draft] = (await call(app, "GET", f"/api/gaps/{gap_id}/drafts", "editor")).json["drafts"]
    approval = {
        "id": "dogs_in_shops",
        "question": "Can I bring my dog?",
        "answer": draft["answer"],
        "team": "stores",
    }
    path = f"/api/gaps/{gap_id}/drafts/{draft['id']}/approve"
    approved = await call(app, "POST", path, "editor", approval)
    assert approved.status == 202, approved.text
    assert approved.json == {
        "gap_id": gap_id,
        "draft_id": draft["id"],
        "status": "approved",
        "index": "rebuilding",
    }
    written = "".join(p.read_text(encoding="utf-8") for p in runtime.settings.faq_dir.glob("*.yml"))
    assert "dogs_in_shops" in written
