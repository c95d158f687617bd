/* OnlyFans Messages, AI parts: the composer's tools (rewrite, shorter, tone, translate, undo)
   and the fan panel kept live (reloaded on `fan.updated` / `note.changed`, which inbox.js
   re-dispatches as the DOM event "inbox:event"). Labels come from data-* attributes; the
   conversation from #composer's data-conversation-id (#ai-tools is the same HTML for every
   conversation). The composer's tools are bound again when inbox.js swaps in another
   conversation ("inbox:pane"). */
(function () {
  "use strict";

  var MAX_TEXT_LENGTH = 2000;
  var OWN_CHANGE_MS = 3000;

  var configElement = document.getElementById("inbox-config");
  var config = configElement ? JSON.parse(configElement.textContent) : {};
  var tools = null;
  var composer = null;
  var composerText = null;
  var status = null;
  var undoButton = null;
  var previousText = null;
  var lastOwnPanelChange = 0;
  var pendingPanelReload = false;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  // Composer tools -------------------------------------------------------------------------------

  function say(message, isError) {
    if (!status) { return; }
    status.textContent = message || "";
    status.classList.toggle("is-error", Boolean(isError));
  }

  function errorText(body) {
    if (!body) { return tools.dataset.failed; }
    var fields = body.field_errors || {};
    var parts = Object.keys(fields).map(function (key) { return fields[key].join(" "); });
    return parts.length ? parts.join(" ") : (body.message || tools.dataset.failed);
  }

  function setBusy(isBusy) {
    var controls = tools.querySelectorAll("button, select");
    for (var i = 0; i < controls.length; i++) {
      if (controls[i] !== undoButton) { controls[i].disabled = isBusy; }
    }
    if (isBusy) { tools.setAttribute("aria-busy", "true"); } else { tools.removeAttribute("aria-busy"); }
  }

  function change(action, option) {
    var text = composerText.value.trim();
    if (!text) { say(tools.dataset.empty, true); composerText.focus(); return; }
    if (text.length > MAX_TEXT_LENGTH) { say(tools.dataset.tooLong, true); return; }
    var body = { action: action, text: text };
    if (action === "tone") { body.tone = option; }
    if (action === "translate") { body.language = option; }
    setBusy(true);
    say("");
    var box = tools;
    fetch("/api/v1/conversations/" + composer.dataset.conversationId + "/composer/change", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (!response.ok) { throw data; }
          return data;
        });
      })
      .then(function (result) {
        if (box !== tools) { return; }  // another conversation was opened meanwhile
        if (result.text === text) { say(tools.dataset.unchanged); return; }
        previousText = composerText.value;
        composerText.value = result.text;
        undoButton.hidden = false;
        say(result.method === "rules"
          ? tools.dataset.byRules
          : tools.dataset.byModel.replace("%(model)s", result.model));
        composerText.focus();
      })
      .catch(function (data) { if (box === tools) { say(errorText(data), true); } })
      .finally(function () { if (box === tools) { setBusy(false); } });
  }

  function onToolClick(event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button === undoButton) {
      if (previousText !== null) { composerText.value = previousText; }
      previousText = null;
      undoButton.hidden = true;
      say("");
      composerText.focus();
    } else if (button.dataset.action) {
      change(button.dataset.action, "");
    }
  }

  function onToolSelect(event) {
    var select = event.target;
    if (!select.dataset.action || !select.value) { return; }
    var option = select.value;
    select.value = "";
    change(select.dataset.action, option);
  }

  // The fan panel, live ---------------------------------------------------------------------------

  function panel() { return document.getElementById("fan-panel"); }

  function isEditingPanel() {
    var element = document.activeElement;
    var box = panel();
    return Boolean(box && element && box.contains(element) &&
      (element.tagName === "TEXTAREA" || element.tagName === "INPUT") && element.value);
  }

  function reloadPanel() {
    var box = panel();
    if (!box || !window.htmx) { return; }
    if (isEditingPanel()) { pendingPanelReload = true; return; }
    pendingPanelReload = false;
    window.htmx.ajax("GET", "/onlyfans/messages/fans/" + box.dataset.fanId + "/panel", {
      target: "#fan-panel", swap: "outerHTML",
    });
  }

  function onInboxEvent(event) {
    var data = event.detail || {};
    if (data.event !== "fan.updated" && data.event !== "note.changed") { return; }
    var payload = data.payload || {};
    var box = panel();
    if (!box || String(payload.fan_id) !== box.dataset.fanId) { return; }
    // This tab's own change: HTMX already swapped the panel in.
    if (payload.user_id === config.user_id && Date.now() - lastOwnPanelChange < OWN_CHANGE_MS) {
      return;
    }
    reloadPanel();
  }

  /* Binds to the open conversation's composer tools: at start and after each swap. */
  function bind() {
    tools = document.getElementById("ai-tools");
    composer = document.getElementById("composer");
    composerText = document.getElementById("composer-text");
    status = document.getElementById("ai-tools-status");
    undoButton = document.getElementById("ai-undo");
    previousText = null;
    pendingPanelReload = false;
    if (tools && composer && composerText) {
      tools.addEventListener("click", onToolClick);
      tools.addEventListener("change", onToolSelect);
    }
  }

  function start() {
    bind();
    document.addEventListener("inbox:pane", bind);
    document.addEventListener("inbox:event", onInboxEvent);
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var box = panel();
      if (box && box.contains(event.target) && event.detail.requestConfig &&
          event.detail.requestConfig.verb === "post") {
        lastOwnPanelChange = Date.now();
      }
    });
    document.addEventListener("focusout", function () {
      if (pendingPanelReload) { setTimeout(function () { if (!isEditingPanel()) { reloadPanel(); } }, 0); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
