// The editor console's few actions: each posts JSON to /api and reloads the page.
"use strict";

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body || {}),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function show(text) {
  const result = document.getElementById("result");
  if (result) result.textContent = text;
}

async function run(url, body, after) {
  show("Saving…");
  try {
    await post(url, body);
    if (after) { location.href = after; } else { location.reload(); }
  } catch (error) {
    show("Not saved: " + error.message);
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-post]");
  if (!button) return;
  run(button.dataset.post, JSON.parse(button.dataset.body || "{}"));
});

function checkedPhrasings() {
  return [...document.querySelectorAll("input.phrasing:checked")].map(
    (box) => ({ text: box.value, lang: box.dataset.lang }));
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  const gap = form.dataset.gap;
  if (form.id === "add-alternatives") {
    event.preventDefault();
    run(`/api/gaps/${gap}/alternatives`,
      { faq_id: form.faq_id.value, phrasings: checkedPhrasings() }, "/editor/gaps");
  } else if (form.id === "new-entry") {
    event.preventDefault();
    const translations = [...form.querySelectorAll("fieldset")].map((set) => ({
      lang: set.dataset.lang,
      question: set.querySelector("[name=question]").value,
      answer: set.querySelector("[name=answer]").value,
      alternatives: checkedPhrasings()
        .filter((p) => p.lang === set.dataset.lang && p.text !== set.querySelector("[name=question]").value)
        .map((p) => p.text),
    }));
    run(`/api/gaps/${gap}/entry`,
      { id: form.entry_id.value, team: form.team.value, url: form.url.value, translations }, "/editor/gaps");
  } else if (form.classList.contains("draft")) {
    event.preventDefault();
    run(`/api/gaps/${gap}/drafts/${form.dataset.draft}/approve`, {
      id: form.entry_id.value, team: form.team.value, question: form.question.value,
      answer: form.answer.value,
      alternatives: form.alternatives.value.split("\n").map((a) => a.trim()).filter(Boolean),
    }, "/editor/gaps");
  } else if (form.id === "new-notice") {
    event.preventDefault();
    const local = (value) => value ? new Date(value).toISOString() : null;
    run("/api/notices", {
      text: form.text.value, keywords: form.keywords.value, faq_ids: form.faq_ids.value,
      lang: form.lang.value, starts_at: local(form.starts_at.value), ends_at: local(form.ends_at.value),
    });
  }
});
