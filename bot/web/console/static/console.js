// The ticket page's buttons call the same JSON API a helpdesk would (cookie auth).
(function () {
  "use strict";
  const status = document.getElementById("status");

  async function call(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body || {}),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || "HTTP " + response.status);
    return data;
  }

  function show(text) { if (status) status.textContent = text; }

  const article = document.querySelector("article.ticket");
  if (article) {
    const id = article.dataset.ticket;
    const form = document.getElementById("reply-form");
    const claim = document.getElementById("claim");
    const resolve = document.getElementById("resolve");
    if (claim) claim.addEventListener("click", async () => {
      try { await call(`/api/tickets/${id}/claim`); location.reload(); }
      catch (e) { show("Could not claim: " + e.message); }
    });
    if (form) form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = document.getElementById("reply-text").value.trim();
      if (!text) return;
      show("Sending…");
      try { await call(`/api/tickets/${id}/reply`, { text }); location.reload(); }
      catch (e) { show("Could not send: " + e.message); }
    });
    if (resolve) resolve.addEventListener("click", async () => {
      try { await call(`/api/tickets/${id}/resolve`); location.reload(); }
      catch (e) { show("Could not resolve: " + e.message); }
    });
  }
  document.querySelectorAll("button.followed-up").forEach((button) => {
    button.addEventListener("click", async () => {
      await call(`/api/tickets/${button.dataset.ticket}/followed-up`);
      location.reload();
    });
  });
})();
