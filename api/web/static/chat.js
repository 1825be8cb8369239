// The client chat page. Plain JavaScript because the answer streams: a POST to /v1/chat/stream
// read with fetch and a reader (EventSource cannot POST). Every text goes in with textContent, so
// a message holding HTML shows as text. The session id lives in localStorage, so the
// conversation survives a reload; hand-off news is polled (see README: why polling).
"use strict";
(function () {
  var root = document.getElementById("main");
  var T = JSON.parse(document.getElementById("chat-wording").textContent);
  var POLL_MS = parseInt(root.getAttribute("data-poll-ms"), 10) || 2000;
  var SESSION_KEY = "fa-chat-session";
  var REPLIES_KEY = "fa-chat-replies";
  var KEEP_REPLIES = 40;
  var transcript = document.getElementById("transcript");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var sendButton = document.getElementById("chat-send");
  var humanButton = document.getElementById("chat-human");
  var statusLine = document.getElementById("chat-status");
  var sessionId = load(SESSION_KEY);
  var handoffState = null;
  var pollTimer = null;
  var busy = false;

  // --- storage (an iframe on another site may be refused it: then the chat just forgets) ---
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); }
      else { window.localStorage.setItem(key, value); }
    } catch (e) { /* storage refused */ }
  }
  function replies() {
    try { return JSON.parse(load(REPLIES_KEY) || "{}"); } catch (e) { return {}; }
  }
  function remember(id, extra) {
    var all = replies();
    all[id] = Object.assign(all[id] || {}, extra, { at: Date.now() });
    var ids = Object.keys(all).sort(function (a, b) { return all[b].at - all[a].at; });
    ids.slice(KEEP_REPLIES).forEach(function (old) { delete all[old]; });
    save(REPLIES_KEY, JSON.stringify(all));
  }

  // --- rendering --------------------------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function scrollDown() {
    transcript.lastElementChild && transcript.lastElementChild.scrollIntoView({ block: "end" });
  }
  function messageCount() {
    return transcript.querySelectorAll("[data-testid=chat-message]").length;
  }
  function addMessage(role, text, id) {
    var item = el("li", "msg msg-" + role);
    item.setAttribute("data-testid", "chat-message");
    item.setAttribute("data-role", role);
    if (id) { item.setAttribute("data-id", id); }
    var label = role === "client" ? T.you : role === "agent" ? T.agent : T.assistant;
    item.appendChild(el("span", "who", label));
    item.appendChild(el("div", "body", text));
    transcript.appendChild(item);
    scrollDown();
    return item;
  }
  // The answer ends with the suitability notice (if any), then the disclosure: each is shown
  // apart, so the answer proper is what comes before them.
  function withoutTail(answer, tail) {
    if (!tail) { return answer; }
    var at = answer.lastIndexOf(tail);
    if (at < 0 || at + tail.length !== answer.length) { return answer; }
    return answer.slice(0, at).replace(/\s+$/, "");
  }
  function aside(cls, testid, label, text, titled) {
    var note = el("aside", cls, null);
    note.setAttribute("data-testid", testid);
    note.setAttribute("aria-label", label);
    if (titled) { note.appendChild(el("strong", null, label + "：")); }
    note.appendChild(document.createTextNode(text));
    return note;
  }
  // A Markdown table the documents hold (| a | b | / |---|---|) is drawn as a table; every
  // other line stays text. Cells go in with textContent, like everything else.
  function isRow(line) { return /^\s*\|.*\|\s*$/.test(line); }
  function cells(line) { return line.trim().slice(1, -1).split("|").map(function (c) { return c.trim(); }); }
  function isRule(line) { return isRow(line) && cells(line).every(function (c) { return /^:?-{2,}:?$/.test(c); }); }
  function table(rows) {
    var wrap = el("div", "table-wrap", null);
    var grid = el("table", null, null);
    rows.forEach(function (line, i) {
      var tr = el("tr", null, null);
      cells(line).forEach(function (c) { tr.appendChild(el(i === 0 ? "th" : "td", null, c)); });
      grid.appendChild(tr);
    });
    wrap.appendChild(grid);
    return wrap;
  }
  function format(body, text) {
    var lines = text.split("\n");
    body.textContent = "";
    var plain = [];
    function flush() {
      var text = plain.join("\n").replace(/^\n+|\n+$/g, "");  // the table stands apart anyway
      if (text) { body.appendChild(document.createTextNode(text)); }
      plain = [];
    }
    for (var i = 0; i < lines.length; i++) {
      if (isRow(lines[i]) && i + 1 < lines.length && isRule(lines[i + 1])) {
        var rows = [lines[i]];
        for (i += 2; i < lines.length && isRow(lines[i]); i++) { rows.push(lines[i]); }
        i -= 1;
        flush();
        body.appendChild(table(rows));
      } else {
        plain.push(lines[i]);
      }
    }
    flush();
  }
  function decorate(item, reply, isLast) {
    var body = item.querySelector(".body");
    var text = withoutTail(body.textContent, reply.disclaimer);
    format(body, withoutTail(text, reply.suitability_notice));
    if (reply.suitability_notice) {
      // The notice names itself (适当性提示：…), so it carries no second title.
      item.appendChild(aside("suitability", "chat-suitability", T.suitability_label,
                             reply.suitability_notice, false));
    }
    if (reply.disclaimer) {
      item.appendChild(aside("disclaimer", "chat-disclaimer", T.disclaimer_label,
                             reply.disclaimer, true));
    }
    if (reply.citations && reply.citations.length) { item.appendChild(citationList(reply.citations)); }
    if (isLast && reply.suggestions && reply.suggestions.length) {
      item.appendChild(suggestionButtons(reply.suggestions));
    }
    if (reply.route === "answered") { item.appendChild(feedbackBar(item.getAttribute("data-id"), reply.feedback)); }
  }
  function citationList(citations) {
    var box = el("div", "citations", null);
    box.appendChild(el("p", "citations-title", T.sources));
    var list = el("ol", null, null);
    citations.forEach(function (c, i) {
      var details = el("details", null, null);
      details.setAttribute("data-testid", "chat-citation");
      var label = "[" + (i + 1) + "] " + c.title + (c.section ? " · " + c.section : "");
      details.appendChild(el("summary", null, label));
      details.appendChild(el("blockquote", null, c.snippet));
      details.appendChild(el("p", "src", c.source));
      var li = el("li", null, null);
      li.appendChild(details);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }
  function suggestionButtons(suggestions) {
    var group = el("div", "suggestions", null);
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", T.suggestions_label);
    group.appendChild(el("p", "suggestions-title", T.suggestions_label));
    suggestions.forEach(function (text) {
      var button = el("button", "suggestion", text);
      button.type = "button";
      button.addEventListener("click", function () {
        if (!busy) { group.remove(); ask(text); }
      });
      group.appendChild(button);
    });
    return group;
  }
  function feedbackBar(messageId, given) {
    var bar = el("div", "feedback", null);
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", T.feedback_up + " / " + T.feedback_down);
    // Words, not emoji: a machine without an emoji font would draw empty boxes.
    var up = el("button", "thumb", T.feedback_up);
    var down = el("button", "thumb", T.feedback_down);
    [[up, "chat-feedback-up", T.feedback_up], [down, "chat-feedback-down", T.feedback_down]]
      .forEach(function (b) {
        b[0].type = "button";
        b[0].setAttribute("data-testid", b[1]);
        b[0].setAttribute("aria-label", b[2]);
        b[0].setAttribute("aria-pressed", "false");
        bar.appendChild(b[0]);
      });
    var thanks = el("span", "thanks", null);
    thanks.setAttribute("role", "status");
    bar.appendChild(thanks);
    function done(rating) {
      up.disabled = down.disabled = true;
      (rating > 3 ? up : down).setAttribute("aria-pressed", "true");
      thanks.textContent = T.feedback_thanks;
    }
    if (given) { done(given); return bar; }
    up.addEventListener("click", function () { rate(messageId, 5, null).then(function () { done(5); }); });
    down.addEventListener("click", function () {
      down.setAttribute("aria-pressed", "true");
      if (bar.querySelector("form")) { return; }
      bar.appendChild(commentForm(function (comment) {
        return rate(messageId, 1, comment).then(function () { done(1); });
      }));
      bar.querySelector("textarea").focus();
    });
    return bar;
  }
  function commentForm(onSend) {
    var f = el("form", "comment", null);
    var id = "comment-" + Math.random().toString(36).slice(2);
    var label = el("label", null, T.feedback_comment_label);
    label.htmlFor = id;
    var box = el("textarea", null, null);
    box.id = id;
    box.rows = 2;
    box.maxLength = 2000;
    var submit = el("button", "secondary", T.feedback_send);
    submit.type = "submit";
    f.append(label, box, submit);
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      onSend(box.value.trim() || null).then(function () { f.remove(); });
    });
    return f;
  }

  // --- talking to the API -----------------------------------------------------------------
  function rate(messageId, rating, comment) {
    remember(messageId, { feedback: rating });
    return fetch("/v1/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message_id: messageId, rating: rating, comment: comment }),
    });
  }
  function parseEvent(block) {
    var event = { event: "message", data: "" };
    var data = [];
    block.split(/\r?\n/).forEach(function (line) {
      if (!line || line.charAt(0) === ":") { return; }
      var colon = line.indexOf(":");
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") { event.event = value; }
      if (field === "data") { data.push(value); }
    });
    event.data = data.join("\n");
    return event;
  }
  async function stream(text, body) {
    var response = await fetch("/v1/chat/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ message: text, session_id: sessionId || null }),
    });
    if (!response.ok) { return { status: response.status }; }
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    var reply = null;
    var failed = null;
    var deltas = 0;
    var item = body.parentNode;
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) { break; }
      buffer += decoder.decode(chunk.value, { stream: true });
      var blocks = buffer.split(/\r?\n\r?\n/);
      buffer = blocks.pop();
      blocks.forEach(function (block) {
        var event = parseEvent(block);
        if (event.event === "ack") { typing(item, true); }
        if (event.event === "delta") {
          typing(item, false);
          body.textContent += JSON.parse(event.data).text;
          deltas += 1;
          item.setAttribute("data-deltas", String(deltas));  // how the answer came
        }
        if (event.event === "reply") { reply = JSON.parse(event.data); }
        if (event.event === "error") { failed = JSON.parse(event.data).status; }
      });
    }
    typing(item, false);
    if (failed) { return { status: failed }; }
    return { status: reply ? 200 : 502, reply: reply };
  }
  // The server has the message and is writing the reply: "正在回复…" until the answer comes.
  function typing(item, on) {
    var shown = item.querySelector(".typing");
    if (on && !shown) {
      item.setAttribute("data-state", "typing");
      item.appendChild(el("span", "typing", T.sending));
    }
    if (!on && shown) {
      item.removeAttribute("data-state");
      shown.remove();
    }
  }
  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    input.setAttribute("aria-busy", value ? "true" : "false");
  }
  async function ask(text) {
    setBusy(true);
    hideSuggestions();
    var mine = addMessage("client", text);
    var item = addMessage("assistant", "");
    item.setAttribute("aria-busy", "true");
    var body = item.querySelector(".body");
    body.textContent = "";
    try {
      var result = await stream(text, body);
      if (result.status === 404 && sessionId) {  // the session is gone: start a new one
        setSession(null);
        body.textContent = "";
        result = await stream(text, body);
      }
      if (result.status !== 200) { throw new Error(String(result.status)); }
      finish(item, result.reply);
    } catch (error) {
      mine.remove();
      item.remove();
      input.value = text;
      showStatus(error.message === "429" ? T.too_many : T.error, "error");
    } finally {
      setBusy(false);
    }
  }
  function finish(item, reply) {
    item.removeAttribute("aria-busy");
    item.setAttribute("data-id", reply.message_id);
    item.querySelector(".body").textContent = reply.answer;
    setSession(reply.session_id);
    var kept = { citations: reply.citations, disclaimer: reply.disclaimer, route: reply.route,
                 suitability_notice: reply.suitability_notice || null,
                 suggestions: reply.suggestions || [] };
    remember(reply.message_id, kept);
    decorate(item, kept, true);
    if (reply.route === "handoff") { setHandoff("open"); }
    else if (handoffState === null || handoffState === "resolved") { clearStatus(); }
    scrollDown();
  }
  function hideSuggestions() {
    transcript.querySelectorAll(".suggestions").forEach(function (s) { s.remove(); });
  }
  function setSession(id) {
    sessionId = id;
    save(SESSION_KEY, id);
  }
  async function getJSON(url) {
    var response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) { var e = new Error(String(response.status)); e.status = response.status; throw e; }
    return response.json();
  }
  // Append the server's messages this page has not shown yet (an agent's reply, the holding
  // message after 转人工); on first load, all of them.
  async function sync(first) {
    var messages = await getJSON("/v1/sessions/" + encodeURIComponent(sessionId) + "/messages");
    var cache = replies();
    var shown = messageCount();
    messages.slice(shown).forEach(function (m, i) {
      var item = addMessage(m.role, m.text, m.id);
      var extra = cache[m.id];
      if (m.role === "assistant" && extra) {
        decorate(item, extra, first && shown + i === messages.length - 1);
      } else if (m.role !== "client") {
        format(item.querySelector(".body"), m.text);
      }
    });
    return messages;
  }

  // --- hand-off ---------------------------------------------------------------------------
  function showStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "status" + (kind ? " " + kind : "");
    statusLine.hidden = false;
  }
  function clearStatus() {
    statusLine.hidden = true;
    statusLine.textContent = "";
  }
  function setHandoff(state, resolution) {
    var previous = handoffState;
    handoffState = state;
    var pending = state === "open" || state === "claimed";
    humanButton.hidden = pending;
    if (state === "open") { showStatus(T.status_queued, "queued"); }
    else if (state === "claimed") { showStatus(T.status_claimed, "claimed"); }
    else if (state === "resolved" && previous !== null && previous !== "resolved") {
      showStatus(resolution === "rejected" ? T.status_closed : T.status_resolved, "resolved");
    }
    if (pending && !pollTimer) { pollTimer = window.setInterval(poll, POLL_MS); }
    if (!pending && pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
  }
  async function poll() {
    if (!sessionId || busy) { return; }
    try {
      var news = await getJSON("/v1/sessions/" + encodeURIComponent(sessionId) + "/handoff");
      if (news.status !== handoffState) {
        if (news.status === "resolved") { await sync(false); }
        setHandoff(news.status, news.resolution);
      }
    } catch (error) { /* a missed poll is retried by the next one */ }
  }
  async function askForPerson() {
    if (!sessionId) {
      showStatus(T.need_question, "error");
      input.focus();
      return;
    }
    humanButton.disabled = true;
    try {
      var response = await fetch("/v1/sessions/" + encodeURIComponent(sessionId) + "/handoff", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ note: null }),
      });
      if (response.status === 409) { showStatus(T.need_question, "error"); input.focus(); return; }
      if (!response.ok) { throw new Error(String(response.status)); }
      var handoff = await response.json();
      await sync(false);
      setHandoff(handoff.status, handoff.resolution);
    } catch (error) {
      showStatus(T.error, "error");
    } finally {
      humanButton.disabled = false;
    }
  }

  // --- wiring -----------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) { return; }
    input.value = "";
    ask(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  humanButton.addEventListener("click", askForPerson);

  async function restore() {
    if (!sessionId) { return; }
    try {
      await sync(true);
      var news = await getJSON("/v1/sessions/" + encodeURIComponent(sessionId) + "/handoff");
      handoffState = news.status === "resolved" ? "resolved" : null;
      setHandoff(news.status, news.resolution);
    } catch (error) {
      if (error.status === 404) { setSession(null); }
    }
  }
  restore();
})();
