/*!
 * Svar chat widget. One tag on any page:
 *   <script src="https://bot.example.com/widget/svar.js" defer
 *           data-server="https://rasa.example.com" data-lang="nb"
 *           data-title="Nordvind Sport" data-color="#0b5cad"></script>
 * Optional for a logged-in customer (signed by the site's own server, see README):
 *   data-customer-id, data-customer-tier, data-customer-expires, data-customer-signature
 * data-keep-days (default 30): how long the browser keeps its copy of the conversation
 *   after the last message (docs/privacy.md, "Data we keep": BOT_RETAIN_WIDGET_DAYS).
 * data-reply-timeout (seconds, default 10): a message the bot has not answered by then, or
 *   that the server says it could not store, gets a polite notice and a "Try again" button.
 * Talks to Rasa's socket.io channel with socket.io-client (vendor/, MIT).
 */
(function () {
  "use strict";
  if (window.SvarWidget) return;
  var script = document.currentScript;
  var opts = script ? script.dataset : {};
  var base = script ? new URL(".", script.src).href : "/widget/";

  // locale:begin, generated from locale/<lang>/messages.yml by scripts/gen_locale.py
  var TEXTS = {
    en: { open: "Chat with us", close: "Close chat", input: "Type your question", send: "Send",
          you: "You", bot: "Assistant", agent: "Agent", source: "Source",
          connecting: "Connecting…", offline: "Connection lost. Reconnecting…",
          waiting: "Waiting for an agent. You can keep this page open; the reply will appear here.",
          connected: "An agent has joined the conversation.", helpful: "Yes, this helped",
          unhelpful: "No, this did not help", log: "Conversation", status: "Status",
          no_reply: "Sorry, no answer came through. Please try again.", retry: "Try again" },
    da: { open: "Chat med os", close: "Luk chatten", input: "Skriv dit spørgsmål", send: "Send",
          you: "Dig", bot: "Assistent", agent: "Medarbejder", source: "Kilde",
          connecting: "Forbinder…", offline: "Forbindelsen blev afbrudt. Forbinder igen…",
          waiting: "Venter på en medarbejder. Lad siden være åben; svaret kommer her.",
          connected: "En medarbejder er med i samtalen.", helpful: "Ja, det hjalp",
          unhelpful: "Nej, det hjalp ikke", log: "Samtale", status: "Status",
          no_reply: "Beklager, svaret nåede ikke frem. Prøv igen.", retry: "Prøv igen" },
    fi: { open: "Keskustele kanssamme", close: "Sulje keskustelu", input: "Kirjoita kysymyksesi",
          send: "Lähetä", you: "Sinä", bot: "Avustaja", agent: "Asiakaspalvelija", source: "Lähde",
          connecting: "Yhdistetään…", offline: "Yhteys katkesi. Yhdistetään uudelleen…",
          waiting: "Odotetaan asiakaspalvelijaa. Voit pitää sivun auki; vastaus näkyy tässä.",
          connected: "Asiakaspalvelija on liittynyt keskusteluun.",
          helpful: "Kyllä, tästä oli apua", unhelpful: "Ei, tästä ei ollut apua",
          log: "Keskustelu", status: "Tila",
          no_reply: "Valitettavasti vastaus ei tullut perille. Yritä uudelleen.",
          retry: "Yritä uudelleen" },
    nb: { open: "Chat med oss", close: "Lukk chatten", input: "Skriv spørsmålet ditt",
          send: "Send", you: "Du", bot: "Assistent", agent: "Kundebehandler", source: "Kilde",
          connecting: "Kobler til…", offline: "Forbindelsen er brutt. Kobler til igjen…",
          waiting: "Venter på en kundebehandler. La siden være åpen; svaret kommer her.",
          connected: "En kundebehandler er med i samtalen.", helpful: "Ja, dette hjalp",
          unhelpful: "Nei, dette hjalp ikke", log: "Samtale", status: "Status",
          no_reply: "Beklager, svaret kom ikke fram. Prøv igjen.", retry: "Prøv igjen" },
    nl: { open: "Chat met ons", close: "Chat sluiten", input: "Typ je vraag", send: "Verstuur",
          you: "Jij", bot: "Assistent", agent: "Medewerker", source: "Bron",
          connecting: "Verbinden…", offline: "Verbinding verbroken. Opnieuw verbinden…",
          waiting: "Wachten op een medewerker. Laat deze pagina open; het antwoord verschijnt hier.",
          connected: "Een medewerker neemt deel aan het gesprek.", helpful: "Ja, dit hielp",
          unhelpful: "Nee, dit hielp niet", log: "Gesprek", status: "Status",
          no_reply: "Sorry, er kwam geen antwoord door. Probeer het opnieuw.",
          retry: "Opnieuw proberen" },
    sv: { open: "Chatta med oss", close: "Stäng chatten", input: "Skriv din fråga", send: "Skicka",
          you: "Du", bot: "Assistent", agent: "Handläggare", source: "Källa",
          connecting: "Ansluter…", offline: "Anslutningen bröts. Ansluter igen…",
          waiting: "Väntar på en handläggare. Låt sidan vara öppen; svaret visas här.",
          connected: "En handläggare har anslutit.", helpful: "Ja, det hjälpte",
          unhelpful: "Nej, det hjälpte inte", log: "Konversation", status: "Status",
          no_reply: "Tyvärr kom inget svar fram. Försök igen.", retry: "Försök igen" }
  };
  // locale:end
  function known(code) {
    var short = String(code || "").slice(0, 2).toLowerCase();
    if (short === "no" || short === "nn") short = "nb";
    return TEXTS[short] ? short : null;
  }
  // The page's language is where the widget starts and what it tells the bot; once the
  // bot answers in another language (its replies' `lang`), the widget speaks that one.
  var pageLang = known(opts.lang || document.documentElement.lang) || "en";
  var server = (opts.server || window.location.origin).replace(/\/$/, "");
  var storeKey = "svar:" + server;
  var FEEDBACK = { "/feedback_helpful": "up", "/feedback_not_helpful": "down" };
  var replyTimeout = Number(opts.replyTimeout);
  var replyMs = (replyTimeout > 0 ? replyTimeout : 10) * 1000;
  // A thumb drawn inline: emoji fonts are missing on some systems (and in CI's Chromium).
  var THUMB = "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 " +
    "6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z";
  function thumb(direction) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "thumb " + direction);
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", THUMB);
    svg.appendChild(path);
    return svg;
  }

  // The browser's copy (the last messages, the session id) outlives the last message by
  // at most keepDays, like the conversation on the server; a copy without a date is dropped.
  var keepDays = Number(opts.keepDays);
  if (!(keepDays >= 0)) keepDays = 30;
  function load() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(storeKey)) || {};
      if (kept.savedAt > Date.now() - keepDays * 86400000) return kept;
      window.localStorage.removeItem(storeKey);
    } catch (e) { /* unreadable or private mode: start afresh */ }
    return {};
  }
  function save() {
    try {
      state.log = state.log.slice(-60);
      state.savedAt = Date.now();
      window.localStorage.setItem(storeKey, JSON.stringify(state));
    } catch (e) { /* private mode: the conversation simply does not survive a reload */ }
  }
  var state = load();
  state.log = state.log || [];
  var lang = known(state.lang) || pageLang;
  var T = TEXTS[lang];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  // Text with its links made clickable, without ever parsing the text as HTML.
  function linkified(text) {
    var frag = document.createDocumentFragment();
    var parts = String(text).split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/);
    parts.forEach(function (part, i) {
      if (i % 2 === 1) {
        frag.appendChild(el("a", { href: part, target: "_blank", rel: "noopener noreferrer", text: part }));
      } else if (part) {
        frag.appendChild(document.createTextNode(part));
      }
    });
    return frag;
  }

  var host = el("div", { id: "svar-widget", lang: lang });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.appendChild(el("link", { rel: "stylesheet", href: base + "svar.css" }));
  var color = /^#[0-9a-fA-F]{3,8}$/.test(opts.color || "") ? opts.color : "#0b5cad";
  var textColor = /^#[0-9a-fA-F]{3,8}$/.test(opts.textColor || "") ? opts.textColor : "#ffffff";
  host.style.setProperty("--svar-accent", color);
  host.style.setProperty("--svar-on-accent", textColor);
  var title = opts.title || "Svar";

  var launcher = el("button", {
    class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "svar-panel",
    text: T.open
  });
  var closeButton = el("button", { class: "close", type: "button", "aria-label": T.close, text: "×" });
  var log = el("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.log, tabindex: "0" });
  var status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  var input = el("input", {
    id: "svar-input", type: "text", autocomplete: "off", maxlength: "1000", placeholder: T.input
  });
  var form = el("form", { class: "composer" }, [
    el("label", { for: "svar-input", class: "visually-hidden", text: T.input }),
    input,
    el("button", { type: "submit", class: "send", text: T.send })
  ]);
  var heading = el("h2", { id: "svar-title", text: title });
  var panel = el("section", {
    id: "svar-panel", class: "panel", role: "dialog", "aria-labelledby": "svar-title", hidden: ""
  }, [el("header", {}, [heading, closeButton]), log, status, form]);
  root.appendChild(panel);
  root.appendChild(launcher);

  function setOpen(open, focus) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.hidden = open;
    state.open = open;
    save();
    if (open) {
      connect();
      if (focus !== false) input.focus();
      log.scrollTop = log.scrollHeight;
    } else if (focus !== false) {
      launcher.focus();
    }
  }
  launcher.addEventListener("click", function () { setOpen(true); });
  closeButton.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") setOpen(false); });

  var statusKey = "";
  function setStatus(key, kind) {
    statusKey = key || "";
    status.textContent = statusKey ? T[statusKey] : "";
    status.className = "status" + (kind ? " " + kind : "");
    log.scrollTop = log.scrollHeight;  // the status takes room from the log: keep the last message in view
  }

  function showButtons(item, li) {
    var feedback = item.buttons.every(function (b) { return FEEDBACK[b.payload]; });
    var group = el("div", { class: feedback ? "buttons feedback" : "buttons", role: "group" });
    item.buttons.forEach(function (b) {
      var label = feedback ? (b.payload === "/feedback_helpful" ? T.helpful : T.unhelpful) : b.title;
      var button = el("button", {
        type: "button", class: "choice", "data-payload": b.payload, title: label
      });
      if (feedback) {
        button.setAttribute("aria-label", label);
        button.appendChild(thumb(FEEDBACK[b.payload]));
      } else {
        button.textContent = b.title;
      }
      if (item.used) button.disabled = true;
      button.addEventListener("click", function () {
        item.used = true;
        group.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
        button.setAttribute("aria-pressed", "true");
        send(b.payload, label);
      });
      group.appendChild(button);
    });
    li.appendChild(group);
  }

  // The widget's own notice that a message went unanswered: its text in the current
  // language (it is the widget's word, not the bot's), and a button to send it again.
  function showRetry(item, li) {
    var again = el("button", { type: "button", class: "choice retry", text: T.retry });
    if (item.used) again.disabled = true;
    again.addEventListener("click", function () {
      item.used = true;
      again.disabled = true;
      save();
      send(item.retry, item.shown);
    });
    li.appendChild(el("div", { class: "buttons", role: "group" }, [again]));
  }

  function render(item) {
    var who = item.from === "user" ? T.you : item.from === "agent" ? T.agent : T.bot;
    if (item.from === "agent" && item.agent) who += " · " + item.agent;
    var li = el("li", { class: "msg " + item.from }, [
      el("span", { class: "visually-hidden", text: who + ": " })
    ]);
    if (item.from === "agent") li.appendChild(el("span", { class: "who", "aria-hidden": "true", text: who }));
    var bubble = el("div", { class: "bubble" });
    bubble.appendChild(linkified(item.from === "notice" ? T.no_reply : item.text || ""));
    if (item.url && (item.text || "").indexOf(item.url) < 0) {
      bubble.appendChild(el("a", {
        class: "source", href: item.url, target: "_blank", rel: "noopener noreferrer", text: T.source
      }));
    }
    li.appendChild(bubble);
    if (item.buttons && item.buttons.length) showButtons(item, li);
    if (item.retry) showRetry(item, li);
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  function add(item) {
    state.log.push(item);
    save();
    render(item);
  }

  function onContract(custom) {
    if (!custom || typeof custom !== "object") return;
    if (custom.lang) setLang(custom.lang);
    if (custom.kind !== "handoff" && state.handoff) {  // the bot answers again: handed back
      state.handoff = null;
      setStatus("");
    }
    if (custom.kind === "answer" && custom.url) {
      var last = state.log[state.log.length - 1];
      if (last && last.from !== "user" && !last.url) {
        last.url = custom.url;
        save();
        var bubbles = log.querySelectorAll(".msg");
        var node = bubbles[bubbles.length - 1];
        if (node && (last.text || "").indexOf(custom.url) < 0) {
          node.querySelector(".bubble").appendChild(el("a", {
            class: "source", href: custom.url, target: "_blank", rel: "noopener noreferrer", text: T.source
          }));
        }
      }
    } else if (custom.kind === "handoff" && custom.ticket_id) {
      state.handoff = { ticket: custom.ticket_id, queue: custom.queue };
      save();
      setStatus("waiting", "waiting");
    }
  }

  function onBotMessage(msg) {
    if (!msg) return;
    answered();
    if (msg.custom) onContract(msg.custom);
    if (!msg.text) return;
    var replies = msg.quick_replies || msg.buttons || [];
    var item = { from: msg.agent ? "agent" : "bot", text: msg.text, agent: msg.agent };
    if (replies.length) item.buttons = replies.map(function (b) { return { title: b.title, payload: b.payload }; });
    if (msg.agent && state.handoff) {
      state.handoff.agent = true;
      setStatus("connected", "connected");
    }
    add(item);
  }

  // Every word the widget itself shows, in the current language (the log re-rendered too:
  // its hidden "You:"/"Assistant:" labels and the thumbs' names are the widget's words).
  function relabel() {
    host.setAttribute("lang", lang);
    launcher.textContent = T.open;
    closeButton.setAttribute("aria-label", T.close);
    log.setAttribute("aria-label", T.log);
    input.setAttribute("placeholder", T.input);
    form.querySelector("label").textContent = T.input;
    form.querySelector(".send").textContent = T.send;
    if (statusKey) status.textContent = T[statusKey];
    log.textContent = "";
    state.log.forEach(render);
  }

  function setLang(code) {
    var next = known(code);
    if (!next || next === lang) return;
    lang = next;
    T = TEXTS[lang];
    state.lang = lang;
    save();
    relabel();
  }

  var socket = null;
  var pending = [];
  function connect() {
    if (socket) return;
    if (!window.io) {
      setStatus("connecting");
      var loader = el("script", { src: base + "vendor/socket.io-4.8.1.min.js" });
      loader.onload = function () { socket = null; connect(); };
      document.head.appendChild(loader);
      socket = "loading";
      return;
    }
    setStatus("connecting");
    socket = window.io(server, { path: "/socket.io", transports: ["websocket", "polling"] });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.session || null });
    });
    socket.on("session_confirm", function (sessionId) {
      state.session = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
      save();
      setStatus(state.handoff && !state.handoff.agent ? "waiting" : "", state.handoff ? "waiting" : "");
      host.setAttribute("data-state", "ready");
      pending.splice(0).forEach(function (m) { emit(m); });
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () {
      host.removeAttribute("data-state");
      setStatus("offline", "offline");
    });
  }

  function customer() {
    if (!opts.customerId || !opts.customerSignature) return undefined;
    return { id: opts.customerId, tier: opts.customerTier || "", expires: opts.customerExpires,
             signature: opts.customerSignature };
  }

  // Messages sent and not yet answered. Any bot message answers them all (the bot
  // answers in order); the server's acknowledgement settles one: stored (in a handed-off
  // conversation no bot reply follows) or not (the store is down). One that is neither
  // answered nor stored within replyMs, or that was refused, gets the notice.
  var unanswered = [];
  function answered() {
    unanswered.splice(0).forEach(function (m) { clearTimeout(m.timer); });
  }
  function settle(m, stored) {
    var at = unanswered.indexOf(m);
    if (at < 0) return;
    unanswered.splice(at, 1);
    clearTimeout(m.timer);
    if (!stored) add({ from: "notice", retry: m.text, shown: m.shown });
  }

  function emit(m) {
    if (!state.handoff) {  // waiting for a person: the status already says so
      m.timer = setTimeout(function () { settle(m, false); }, replyMs);
    }
    unanswered.push(m);
    socket.emit("user_uttered", {
      message: m.text, session_id: state.session,
      // The page without its query string or fragment: those carry search terms, tokens, e-mails.
      metadata: { language: pageLang, page: window.location.origin + window.location.pathname,
                  customer: customer() }
    }, function (ack) {
      if (ack && typeof ack.ok === "boolean") settle(m, ack.ok);
    });
  }

  function send(text, shown) {
    add({ from: "user", text: shown || text });
    var m = { text: text, shown: shown };
    if (socket && socket.connected && state.session) emit(m);
    else { pending.push(m); connect(); }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  function mount() {
    document.body.appendChild(host);
    state.log.forEach(render);
    if (state.handoff) setStatus(state.handoff.agent ? "connected" : "waiting", "waiting");
    if (state.open || opts.open === "true") setOpen(true, false);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);

  window.SvarWidget = {
    open: function () { setOpen(true); },
    close: function () { setOpen(false); },
    reset: function () { try { window.localStorage.removeItem(storeKey); } catch (e) { /* ignore */ } }
  };
})();
