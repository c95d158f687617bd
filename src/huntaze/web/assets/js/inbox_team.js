/* Inbox team features: keyboard navigation of the fan list (j / k or arrows, Enter opens),
   assigning the open conversation (chat header select) and pinning it, through the JSON API.
   The chat header's controls are bound again when inbox.js swaps in another conversation
   ("inbox:pane"). */
(function () {
  "use strict";

  var list = document.getElementById("conversation-list");
  var team = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    });
  }

  // Keyboard navigation ----------------------------------------------------------------------------

  function isTyping(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function rowLinks() {
    return Array.prototype.slice.call(list.querySelectorAll(".conversation-row > a"));
  }

  function move(step) {
    var links = rowLinks();
    if (!links.length) { return; }
    var index = links.indexOf(document.activeElement);
    if (index === -1) {
      var current = list.querySelector(".conversation-row.is-active > a");
      index = current ? links.indexOf(current) : -1;
      if (index === -1) { links[step > 0 ? 0 : links.length - 1].focus(); return; }
    }
    var next = links[Math.min(links.length - 1, Math.max(0, index + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }

  function onKeydown(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) { return; }
    var inList = list.contains(document.activeElement);
    if (event.key === "j" || (inList && event.key === "ArrowDown")) {
      event.preventDefault();
      event.stopPropagation();
      move(1);
    } else if (event.key === "k" || (inList && event.key === "ArrowUp")) {
      event.preventDefault();
      event.stopPropagation();
      move(-1);
    }
    // Enter on a focused row is the link's own behaviour: it opens the conversation (in place:
    // inbox.js takes the link's click).
  }

  // Assignment and pinning -------------------------------------------------------------------------

  function showStatus(text) {
    var status = document.getElementById("chat-team-status");
    if (status) { status.textContent = text; }
  }

  function refreshRow(conversationId) {
    window.HuntazeInbox.refreshRow(Number(conversationId));
  }

  function onAssign(event) {
    var box = team;
    var conversationId = box.dataset.conversationId;
    var value = event.target.value;
    post("/api/v1/conversations/" + conversationId + "/assign",
      { assignee_id: value ? parseInt(value, 10) : null })
      .then(function (response) {
        if (response.ok) { refreshRow(conversationId); }
        if (box === team) { showStatus(response.ok ? box.dataset.labelSaved : box.dataset.labelFailed); }
      })
      .catch(function () { if (box === team) { showStatus(box.dataset.labelFailed); } });
  }

  function onPin(event) {
    var button = event.currentTarget;
    var box = team;
    var conversationId = box.dataset.conversationId;
    var isPinned = button.getAttribute("aria-pressed") !== "true";
    post("/api/v1/conversations/" + conversationId + "/pin", { is_pinned: isPinned })
      .then(function (response) {
        if (response.ok) { refreshRow(conversationId); }
        if (box !== team) { return; }  // another conversation was opened meanwhile
        if (!response.ok) { showStatus(box.dataset.labelFailed); return; }
        button.setAttribute("aria-pressed", isPinned ? "true" : "false");
        button.textContent = isPinned ? button.dataset.labelUnpin : button.dataset.labelPin;
        showStatus(box.dataset.labelSaved);
      })
      .catch(function () { if (box === team) { showStatus(box.dataset.labelFailed); } });
  }

  function fillAssignees(select) {
    fetch("/api/v1/team/members", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (members) {
        var current = select.value;
        members.forEach(function (member) {
          if (String(member.user_id) === current) { return; }
          var option = document.createElement("option");
          option.value = String(member.user_id);
          option.textContent = member.name;
          select.appendChild(option);
        });
        select.dataset.loaded = "true";
      });
  }

  /* Binds to the open conversation's header controls: at start and after each swap. */
  function bind() {
    team = document.getElementById("chat-team");
    if (team) {
      var select = document.getElementById("chat-assignee");
      var pin = document.getElementById("chat-pin");
      if (select) {
        fillAssignees(select);
        select.addEventListener("change", onAssign);
      }
      if (pin) { pin.addEventListener("click", onPin); }
    }
  }

  function start() {
    if (list) { document.addEventListener("keydown", onKeydown, true); }
    document.addEventListener("inbox:pane", bind);
    bind();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
