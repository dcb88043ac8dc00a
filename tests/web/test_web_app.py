"""The web app in headless Chromium: a scanner uploads a generated scan and watches it to
done, a caseworker finds it, opens it (page image, boxes, confidence) and corrects a field
with the keyboard, a reviewer works the queue with the keyboard alone, an analyst sees a
chart and downloads the CSV, an admin sees users and the audit log; each role is refused
what it may not see; every page passes axe-core with no serious or critical violation."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
from browser import (
    ARTEFACTS,
    Live,
    assert_accessible,
    seed_review_document,
    shot,
    sign_in,
    sign_out,
)
from casedocs import case_document
from dbexport import seed_finding
from signin import add_user

import casework
from casework.review import UNREADABLE
from storage.index.accounts import Role
from synth import generate_case_file

OCR_TIMEOUT_MS = 300_000


def test_upload_watch_search_open_and_correct(page: Any, live: Live, tmp_path: Path) -> None:
    truth = generate_case_file(tmp_path, 21, fmt="png", degradation="clean", layout="inline",
                               split="train", stem="web-scan")
    scan = tmp_path / truth.file

    sign_in(page, "scanner")
    assert page.url.endswith("/upload")
    assert_accessible(page, "upload")
    page.get_by_label("Files (PDF, TIFF, PNG, JPEG)").set_input_files(str(scan))
    page.get_by_label("Batch name (optional)").fill("web-batch")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/batches/\d+$"))
    page.reload()  # progress comes from the batch record: a reload loses nothing
    assert page.locator("#progress").count() == 1
    # still digitising (a worker process starts, then OCR): the panel moves by itself
    assert page.locator("#progress").get_attribute("data-state") != "finished"
    page.locator('#progress[data-state="finished"]').wait_for(timeout=OCR_TIMEOUT_MS)
    assert page.locator("tr.file-done").count() == 1, page.locator("#progress").inner_text()
    assert "web-scan" in page.locator("tr.file-done").inner_text()
    shot(page, "1-batch-finished")
    assert_accessible(page, "batch")
    sign_out(page)

    sign_in(page, "caseworker")
    surname = str(truth.fields["surname"])
    page.get_by_label("surname", exact=True).fill(surname)
    page.get_by_role("button", name="Search").click()
    hits = page.locator("ol.hits li")
    assert hits.count() >= 1 and "web-scan" in hits.first.inner_text()
    shot(page, "2-search")
    assert_accessible(page, "search")

    hits.first.get_by_role("link").click()
    page.wait_for_load_state("load")
    assert_document_view(page, live)
    assert_accessible(page, "document")

    field = page.get_by_label("Correct nationality")
    field.focus()
    page.keyboard.type("Atlantis")  # not a country: refused, said why, nothing recorded
    with page.expect_navigation() as refused:
        page.keyboard.press("Enter")
    assert refused.value.status == 422
    assert "nationality" in page.get_by_role("alert").inner_text()
    field = page.get_by_label("Correct nationality")
    field.focus()
    page.keyboard.type("FRA")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"corrected=nationality"))
    row = page.locator("#field-nationality")
    assert "FRA" in row.locator(".value").inner_text() and "extracted:" in row.inner_text()
    shot(page, "4-corrected")
    document_id = page.url.split("/documents/")[1].split("?")[0]
    stored = casework.document(live.app.state.services.context(), document_id)
    assert stored is not None
    made = casework.outcome_of(live.app.state.services.context(), stored).corrections
    assert [(c.name, c.value, c.by) for c in made] == [("nationality", "FRA", "caseworker")]

    sign_out(page)
    page.goto(f"/documents/{document_id}")
    assert "/sign-in" in page.url  # signed out on the server: the old page asks again


def assert_document_view(page: Any, live: Live) -> None:
    """The page image is shown with a box for every located field, each value's confidence
    beside it; the load time (page image included) is measured and reported."""
    loaded = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const images = performance.getEntriesByType('resource')
            .filter(e => e.name.includes('/pages/'));
        return {load_ms: nav.loadEventEnd - nav.startTime, images: images.length,
                image_ms: images.map(e => e.responseEnd - e.startTime)};}""")
    assert loaded["images"] >= 1
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "document-load.json").write_text(json.dumps(loaded))
    print(f"\ndocument view with its page image loaded in {loaded['load_ms']:.0f} ms "
          f"(page image {loaded['image_ms']} ms)")
    located = page.locator("table.fields tbody tr").filter(has=page.locator(".conf"))
    assert located.count() >= 3
    assert page.locator("rect.box-field").count() == located.count()
    assert page.locator("svg.overlay image").evaluate(
        "i => i.getBBox().width > 0")
    shot(page, "3-document")


def test_the_review_queue_is_worked_with_the_keyboard_alone(page: Any, live: Live) -> None:
    document_id = seed_review_document(live, "keyboard-review")
    sign_in(page, "reviewer", path=f"/review?document_id={document_id}")
    queue = {i.name: i for i in casework.review(live.app.state.services.context(),
                                                 document_id=document_id)}
    assert set(queue) == {"surname", "nationality", "date_of_birth"}

    first = _active_field(page)
    page.keyboard.press("n")  # next: the queue moves on, nothing recorded
    page.wait_for_url(re.compile(r"/review\?at=1&document_id="))
    assert _active_field(page) != first
    page.go_back()
    assert _active_field(page) == first
    assert page.locator(".zoom svg rect.box").count() == 1  # the active value, zoomed
    assert page.locator(".candidates li").count() >= 1  # the extracted value(s) beside
    shot(page, "5-review")
    assert_accessible(page, "review")
    with page.expect_navigation():
        page.keyboard.press("a")  # accept the extracted value
    second = _active_field(page)
    assert second != first
    page.keyboard.press("c")  # correct: focus the box, type, Enter
    assert page.evaluate("document.activeElement.id") == "value"
    page.keyboard.type("02/03/1985" if second == "date_of_birth" else
                       "GHA" if second == "nationality" else "Okafor")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    third = _active_field(page)
    assert third not in (first, second)
    with page.expect_navigation():
        page.keyboard.press("u")  # unreadable: kept with no value, signed, off the queue
    assert "Nothing to review." in page.locator("main").inner_text()  # the queue is empty

    context = live.app.state.services.context()
    stored = casework.document(context, document_id)
    assert stored is not None
    made = {c.name: c for c in casework.outcome_of(context, stored).corrections}
    assert set(made) == {first, second, third}
    assert {c.by for c in made.values()} == {"reviewer"}
    assert (made[third].value, made[third].note) == (None, UNREADABLE)
    assert all(made[n].value is not None for n in (first, second))
    assert casework.review(context, document_id=document_id) == []
    said = live.index.audit.entries(_audit(actor="reviewer", action="review_unreadable"))
    assert [e.entry.document_id for e in said] == [document_id]


def test_a_reviewer_resolves_a_finding_beside_its_page(page: Any, live: Live) -> None:
    """The queue ranked by harm, one finding with the database value beside the paper
    value and its box drawn on the page image, resolved with a reason as the reviewer."""
    document_id = seed_review_document(live, "reconcile")
    context = live.app.state.services.context()
    stored = casework.document(context, document_id)
    assert stored is not None
    born = next(f for f in stored.fields if f.name == "date_of_birth")
    assert born.bbox is not None
    finding_id = seed_finding(live.index, document_id, 1, born.bbox, key="C-77")

    sign_in(page, "reviewer", path="/reconcile")
    row = page.locator("table.findings tbody tr", has_text="C-77")
    assert row.count() == 1 and "value disagreement" in row.inner_text()
    page.get_by_label("Kind").select_option("duplicate")  # filtered: not a duplicate
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/reconcile?kind=duplicate")
    assert page.locator("table.findings tbody tr", has_text="C-77").count() == 0
    page.get_by_label("Kind").select_option("")  # every kind again
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/reconcile?kind=")
    row = page.locator("table.findings tbody tr", has_text="C-77")
    assert row.count() == 1
    shot(page, "8-findings")
    assert_accessible(page, "reconcile")
    row.get_by_role("link").click()
    page.wait_for_url(f"**/reconcile/{finding_id}")
    evidence = page.locator("table.evidence tbody tr", has_text="date of birth")
    assert "1985-02-03" in evidence.inner_text() and "1985-03-02" in evidence.inner_text()
    box = page.locator(".pages svg rect.box")
    assert box.count() == 1
    assert [int(str(box.get_attribute(a))) for a in ("x", "y")] == list(born.bbox[:2])
    image = page.locator(".pages svg image").get_attribute("href")
    assert image == f"/api/documents/{document_id}/pages/1/image"
    assert page.request.get(image).status == 200
    drawn = page.evaluate("""() => { const b = document.querySelector('.pages svg rect.box')
        .getBoundingClientRect(); return b.width > 0 && b.height > 0; }""")
    assert drawn  # the box is on screen, scaled with the page
    shot(page, "9-finding")
    assert_accessible(page, "finding")

    page.get_by_label("Reason for resolving").fill("Birth certificate on file: paper is right")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Resolve finding {finding_id}").click()
    assert "Resolved" in page.get_by_role("status").inner_text()
    assert "resolved by reviewer: Birth certificate on file" in \
        page.locator("ul.resolutions").inner_text()
    kept, resolutions = live.index.reconciliation.finding(finding_id)
    assert kept.state == "resolved" and [r.by for r in resolutions] == ["reviewer"]
    page.goto("/reconcile")
    assert page.locator("table.findings tbody tr", has_text="C-77").count() == 0
    sign_out(page)

    sign_in(page, "caseworker", path=f"/reconcile/{finding_id}")  # reads, cannot resolve
    assert "1985-03-02" in page.locator("table.evidence").inner_text()
    assert page.locator("#resolve-form").count() == 0
    sign_out(page)


def _active_field(page: Any) -> str:
    title = page.locator("#item-title").inner_text()
    return str(title.split("·")[0].strip().replace(" ", "_"))


def _audit(**where: str) -> Any:
    from storage.index.audit import AuditFilter

    return AuditFilter(**where)


def test_each_role_is_refused_what_it_may_not_see(page: Any, live: Live) -> None:
    document_id = seed_review_document(live, "refusals")
    refused = {"analyst": [f"/documents/{document_id}", "/search?surname=Okafor", "/review",
                           "/upload", "/admin", "/reconcile"],
               "scanner": [f"/documents/{document_id}", "/search", "/reports", "/admin",
                           "/reconcile"],
               "caseworker": ["/review", "/upload", "/admin"],
               "admin": [f"/documents/{document_id}", "/search", "/reports", "/reconcile"]}
    for role, paths in refused.items():
        sign_in(page, role)
        for path in paths:
            reply = page.goto(path)
            assert reply is not None and reply.status == 403, (role, path)
            shown = page.locator("main").inner_text()
            assert "OKAFOR" not in shown.upper() and "Nigerian" not in shown, (role, path)
        if role == "analyst":
            shot(page, "6-analyst-refused")
            assert_accessible(page, "refused")
            image = page.request.get(f"/api/documents/{document_id}/pages/1/image")
            assert image.status == 403
        sign_out(page)
    page.goto(f"/documents/{document_id}")
    assert "/sign-in?next=" in page.url
    assert_accessible(page, "sign-in")


def test_a_refused_file_is_shown_with_its_reason(page: Any, live: Live, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a scan")
    sign_in(page, "scanner")
    page.get_by_label("Files (PDF, TIFF, PNG, JPEG)").set_input_files(str(notes))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/batches/\d+$"))
    page.locator('#progress[data-state="finished"]').wait_for()
    failed = page.locator("tr.file-failed")
    assert failed.count() == 1 and "notes.txt" in failed.inner_text()
    assert failed.locator("td").nth(3).inner_text().strip()  # the reason, in words


def test_a_scanner_sees_only_their_own_batches(page: Any, live: Live) -> None:
    theirs, _ = live.index.start_batch_with("someone-elses", [], owner="scanner")
    add_user(live.app, Role.SCANNER, "other-scanner")
    sign_in(page, "other-scanner")
    for path in (f"/batches/{theirs}", f"/batches/{theirs}/progress", "/batches/someone-elses"):
        reply = page.goto(path)
        assert reply is not None and reply.status == 404, path
    page.goto("/batches")
    assert "someone-elses" not in page.locator("main").inner_text()


def test_reports_page_draws_the_chart_and_downloads_the_csv(page: Any, live: Live) -> None:
    for n in range(12):  # enough cases that some counts are shown, not suppressed
        decision = "granted" if n < 7 else "refused"
        live.index.add_document(case_document(
            f"report-{n}", "Doe", "Jane", "1980-01-01", "GBR", f"HO-{9000000 + n}", "asylum",
            decision, "2020-01-01", decision == "granted"))
    sign_in(page, "analyst")
    assert page.url.endswith("/reports")
    table = [[c.inner_text() for c in r.locator("td").all()]
             for r in page.locator("table tbody tr").all()]
    counts = {row[0]: row[1] for row in table}
    assert int(counts["granted"]) >= 7 and int(counts["refused"]) >= 5
    most = max(int(c) for c in counts.values() if c.isdigit())
    bars = page.locator("figure.chart svg rect.bar")
    widths = [float(b.get_attribute("width")) for b in bars.all()]
    assert widths == [round(480 * int(c) / most) if c.isdigit() else 0 for c in counts.values()]
    shot(page, "7-reports")
    assert_accessible(page, "reports")
    with page.expect_download() as made:
        page.get_by_role("link", name="Download CSV").click()
    rows = Path(made.value.path()).read_text().splitlines()
    assert rows[0].strip() == "decision,cases"
    assert {r.split(",")[0]: r.split(",")[1].strip() for r in rows[1:] if r.split(",")[0]} == \
        {k: v for k, v in counts.items() if k != "—"}
    page.get_by_label("Report").select_option("quality")
    page.get_by_role("button", name="Show").click()
    assert "kind=quality" in page.url
    assert_accessible(page, "reports-quality")


def test_admin_sees_users_and_who_opened_which_document(page: Any, live: Live) -> None:
    document_id = seed_review_document(live, "audited")
    sign_in(page, "caseworker", path=f"/documents/{document_id}")
    assert f"/documents/{document_id}" in page.url
    sign_out(page)
    sign_in(page, "admin")
    assert page.url.endswith("/admin")
    assert page.locator("#users-title").is_visible()
    for role in ("scanner", "caseworker", "reviewer", "analyst", "admin"):
        assert page.get_by_role("rowheader", name=role, exact=True).count() == 1
    page.get_by_label("Document").fill(document_id)
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.audit tbody tr")
    assert rows.count() >= 1 and "caseworker" in rows.first.inner_text()
    shot(page, "8-admin")
    assert_accessible(page, "admin")
    page.get_by_label("Name", exact=True).fill("new-scanner")
    page.get_by_label("Role", exact=True).select_option("scanner")
    page.get_by_label("Password (12+ characters)").fill("a long enough password")
    page.get_by_role("button", name="Add").click()
    assert page.get_by_role("rowheader", name="new-scanner").count() == 1


def test_sign_in_refuses_a_wrong_password_and_a_form_from_elsewhere(page: Any,
                                                                   live: Live) -> None:
    page.goto("/sign-in")
    page.get_by_label("Name").fill("caseworker")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong name or password."
    assert_accessible(page, "sign-in-failed")
    forged = httpx.post(f"{live.url}/sign-in", data={
        "username": "caseworker", "password": "a long test password 1", "next": "/"},
        follow_redirects=False)
    assert forged.status_code == 403 and "set-cookie" not in forged.headers
    outside = httpx.post(f"{live.url}/sign-in", follow_redirects=False, data={
        "username": "caseworker", "password": "a long test password 1", "next": "//evil"},
        headers={"Origin": "https://evil.example"})
    assert outside.status_code == 403
