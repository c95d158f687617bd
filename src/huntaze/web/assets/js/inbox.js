/* OnlyFans Messages: live updates over the workspace WebSocket, the composer, suggestions,
   typing. Configuration comes from the json_script "inbox-config"; writes go to /api/v1. */
(function () {
  "use strict";

  var TYPING_SEND_INTERVAL_MS = 2500;
  var TYPING_SHOW_MS = 4000;
  var RECONNECT_MAX_MS = 30000;

  var configElement = document.getElementById("inbox-config");
  if (!configElement) { return; }
  var config = JSON.parse(configElement.textContent);
  var labels = config.labels || {};
  var openId = config.conversation_id;

  /* Money as the server writes it (core.money.money_format): the page's language (<html lang>)
     and the creator's currency (config.currency); `whole` rounds to whole units half to even,
     like the PPV price of a message bubble. Shared with inbox_composer.js. */
  function moneyText(cents, whole) {
    var options = { style: "currency", currency: config.currency || "USD" };
    var amount = cents / 100;
    if (whole) {
      var units = Math.floor(cents / 100);
      var rest = cents - units * 100;
      if (rest > 50 || (rest === 50 && units % 2 !== 0)) { units += 1; }
      amount = units;
      options.minimumFractionDigits = 0;
      options.maximumFractionDigits = 0;
    }
    return new Intl.NumberFormat(document.documentElement.lang || undefined, options).format(amount);
  }

  /* A PPV message's price line: "PPV · $13" / "PPV · 13 $US". */
  function ppvPriceText(cents, ppvLabel) {
    return (ppvLabel || labels.ppv || "PPV") + " · " + moneyText(cents, true);
  }

  window.HuntazeInbox = { moneyText: moneyText, ppvPriceText: ppvPriceText };

  var list = document.getElementById("conversation-list");
  var messageList = document.getElementById("message-list");
  var suggestionsBox = document.getElementById("suggestions");
  var suggestionList = document.getElementById("suggestion-list");
  var composer = document.getElementById("composer");
  var composerText = document.getElementById("composer-text");
  var composerSuggestion = document.getElementById("composer-suggestion");
  var composerError = document.getElementById("composer-error");
  var typingIndicator = document.getElementById("typing-indicator");
  var liveStatus = document.getElementById("live-status");
  var suggestButton = document.getElementById("suggestions-request");
  var isFanWaiting = Boolean(config.is_fan_waiting);

  var socket = null;
  var reconnectDelay = 1000;
  var lastTypingSent = 0;
  var typingTimer = null;

  // Helpers --------------------------------------------------------------------------------------

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function format(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_match, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  var timeFormat = new Intl.DateTimeFormat(undefined, {
    month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
  var dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

  function localizeTimes(root) {
    var times = (root || document).querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var element = times[i];
      var moment = new Date(element.getAttribute("datetime"));
      if (isNaN(moment.getTime())) { continue; }
      element.title = moment.toLocaleString();
      if (element.classList.contains("row-time")) {
        element.textContent = dayFormat.format(moment);
      } else if (element.closest(".message-meta")) {
        element.textContent = timeFormat.format(moment);
      }
    }
  }

  function isNearBottom() {
    return messageList && messageList.scrollHeight - messageList.scrollTop - messageList.clientHeight < 120;
  }

  function scrollToBottom() {
    if (messageList) { messageList.scrollTop = messageList.scrollHeight; }
  }

  // Messages -------------------------------------------------------------------------------------

  function statusLabel(status) {
    if (status === "scheduled") { return labels.scheduled || "Scheduled"; }
    if (status === "cancelled") { return labels.cancelled || "Cancelled"; }
    if (status === "read") { return labels.read || "Read"; }
    return labels.sent || "Sent";
  }

  function messageElement(message) {
    var item = document.createElement("li");
    item.className = "message message-" + message.direction;
    if (message.status === "scheduled") { item.classList.add("is-scheduled"); }
    if (message.status === "cancelled") { item.classList.add("is-cancelled"); }
    item.dataset.messageId = String(message.id);
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    if (message.text) {
      var text = document.createElement("p");
      text.className = "message-text";
      text.textContent = message.text;  // text, never HTML
      text.style.whiteSpace = "pre-line";
      bubble.appendChild(text);
    }
    if (message.media_ids && message.media_ids.length) {
      var media = document.createElement("p");
      media.className = "message-media";
      media.textContent = "📎 " + message.media_ids.length + " " + (labels.media || "media");
      bubble.appendChild(media);
    }
    if (message.price_cents) {
      var price = document.createElement("p");
      price.className = "message-price";
      price.textContent = ppvPriceText(message.price_cents);
      bubble.appendChild(price);
    }
    item.appendChild(bubble);
    var meta = document.createElement("p");
    meta.className = "message-meta";
    var time = document.createElement("time");
    time.setAttribute("datetime", message.sent_at);
    meta.appendChild(time);
    if (message.direction === "out") {
      var status = document.createElement("span");
      status.className = "message-status";
      status.dataset.status = message.status;
      status.textContent = statusLabel(message.status);
      meta.appendChild(status);
    }
    item.appendChild(meta);
    localizeTimes(item);
    return item;
  }

  function appendMessage(message) {
    if (!messageList || messageList.querySelector('[data-message-id="' + message.id + '"]')) {
      return;
    }
    var stick = isNearBottom() || message.direction === "out";
    messageList.appendChild(messageElement(message));
    if (stick) { scrollToBottom(); }
  }

  function updateMessage(message) {
    if (!messageList) { return; }
    var existing = messageList.querySelector('[data-message-id="' + message.id + '"]');
    if (existing) { existing.replaceWith(messageElement(message)); }
  }

  // The list -------------------------------------------------------------------------------------

  function rowOf(conversationId) {
    return list && list.querySelector('[data-conversation-id="' + conversationId + '"]');
  }

  // Where a row moved to the top goes: pinned conversations stay first (as the server orders
  // the list), so an unpinned row goes before the first unpinned one.
  function topSlot(row) {
    if (row.querySelector(".badge-pinned")) { return list.firstElementChild; }
    var child = list.firstElementChild;
    while (child && child.querySelector(".badge-pinned")) { child = child.nextElementSibling; }
    return child;
  }

  function refreshRow(conversationId, moveToTop) {
    if (!list) { return; }
    var query = (config.list_query ? config.list_query + "&" : "") + "active=" + (openId || "");
    fetch("/onlyfans/messages/" + conversationId + "/row?" + query, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var holder = document.createElement("ul");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        if (!fresh) { return; }
        var existing = rowOf(conversationId);
        var isFiltered = /(^|&)q=/.test(config.list_query || "");
        if (existing) {
          if (moveToTop) {
            existing.remove();
            list.insertBefore(fresh, topSlot(fresh));
          } else {
            existing.replaceWith(fresh);
          }
        } else if (moveToTop && !isFiltered) {
          var empty = list.querySelector(".conversation-empty");
          if (empty) { empty.remove(); }
          list.insertBefore(fresh, topSlot(fresh));
        }
        localizeTimes(fresh);
      });
  }

  function markRead() {
    if (!openId || !config.can_message) { return Promise.resolve(); }
    return api("POST", "/api/v1/conversations/" + openId + "/read").then(function (response) {
      if (!response.ok) { return; }
      var row = rowOf(openId);
      if (row) {
        row.classList.remove("is-unread");
        var badge = row.querySelector(".badge-unread");
        if (badge) { badge.remove(); }
      }
    });
  }

  function onListKeydown(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var links = Array.prototype.slice.call(list.querySelectorAll(".conversation-row a"));
    var index = links.indexOf(document.activeElement);
    if (index === -1) { return; }
    event.preventDefault();
    var next = links[index + (event.key === "ArrowDown" ? 1 : -1)];
    if (next) { next.focus(); }
  }

  // Suggestions ----------------------------------------------------------------------------------

  function suggestionElement(suggestion) {
    var item = document.createElement("li");
    item.className = "suggestion";
    item.dataset.suggestionId = String(suggestion.id);
    var use = document.createElement("button");
    use.type = "button";
    use.className = "suggestion-use outline";
    use.dataset.text = suggestion.text;
    use.textContent = suggestion.text;
    use.disabled = !config.can_message;
    item.appendChild(use);
    var source = document.createElement("span");
    source.className = "suggestion-source suggestion-source-" + suggestion.source;
    source.textContent = suggestion.source === "knowledge_base"
      ? labels.from_knowledge_base
      : labels.from_model + " · " + suggestion.model;
    item.appendChild(source);
    if (config.can_message) {
      var reject = document.createElement("button");
      reject.type = "button";
      reject.className = "suggestion-reject outline secondary";
      reject.setAttribute("aria-label", labels.reject);
      reject.title = labels.reject;
      reject.textContent = "✕";
      item.appendChild(reject);
    }
    return item;
  }

  function showSuggestions(suggestions) {
    if (!suggestionList || !suggestionsBox) { return; }
    var stick = isNearBottom();
    suggestionList.replaceChildren();
    suggestions.forEach(function (suggestion) {
      suggestionList.appendChild(suggestionElement(suggestion));
    });
    var canAsk = suggestions.length === 0 && isFanWaiting && Boolean(suggestButton);
    if (suggestButton) {
      suggestButton.hidden = !canAsk;
      suggestButton.disabled = false;
      suggestButton.removeAttribute("aria-busy");
    }
    suggestionsBox.hidden = suggestions.length === 0 && !canAsk;
    if (stick) { scrollToBottom(); }
  }

  function requestSuggestions() {
    suggestButton.disabled = true;
    suggestButton.setAttribute("aria-busy", "true");
    api("POST", "/api/v1/conversations/" + openId + "/suggestions").then(function (response) {
      if (response.status !== 202) {
        suggestButton.disabled = false;
        suggestButton.removeAttribute("aria-busy");
        return;
      }
      // The suggestions arrive as suggestion.created; show them now in case the socket is down.
      return fetch("/api/v1/conversations/" + openId + "/suggestions", { credentials: "same-origin" })
        .then(function (pending) { return pending.json(); })
        .then(function (body) { if (body.items && body.items.length) { showSuggestions(body.items); } });
    });
  }

  function clearSuggestions() {
    showSuggestions([]);
    if (composerSuggestion) { composerSuggestion.value = ""; }
  }

  function onSuggestionClick(event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var item = button.closest(".suggestion");
    var suggestionId = item && item.dataset.suggestionId;
    if (button.classList.contains("suggestion-use") && composerText) {
      composerText.value = button.dataset.text || "";
      composerSuggestion.value = suggestionId;
      composerText.focus();
      composerText.setSelectionRange(composerText.value.length, composerText.value.length);
    } else if (button.classList.contains("suggestion-reject")) {
      api("POST", "/api/v1/suggestions/" + suggestionId + "/reject").then(function (response) {
        if (!response.ok) { return; }
        if (composerSuggestion && composerSuggestion.value === suggestionId) {
          composerSuggestion.value = "";
        }
        item.remove();
        if (!suggestionList.children.length) { suggestionsBox.hidden = true; }
      });
    }
  }

  // Composer -------------------------------------------------------------------------------------

  function showError(message) {
    if (composerError) { composerError.textContent = message || ""; }
  }

  function errorText(body) {
    if (!body) { return labels.send_failed; }
    var fields = body.field_errors || {};
    var parts = Object.keys(fields).map(function (key) { return fields[key].join(" "); });
    return parts.length ? parts.join(" ") : (body.message || labels.send_failed);
  }

  function onSubmit(event) {
    event.preventDefault();
    var text = composerText.value.trim();
    if (!text) { composerText.focus(); return; }
    var body = { text: text };
    if (composerSuggestion.value) { body.suggestion_id = Number(composerSuggestion.value); }
    var when = composer.querySelector("#composer-when");
    if (when && when.value) {
      body.scheduled_for = new Date(when.value).toISOString();
      body.cancel_if_fan_replies = composer.querySelector("#composer-cancel").checked;
    }
    var send = composer.querySelector("#composer-send");
    send.disabled = true;
    send.setAttribute("aria-busy", "true");
    showError("");
    api("POST", "/api/v1/conversations/" + openId + "/messages", body)
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (response.status !== 201) { throw data; }
          return data;
        });
      })
      .then(function (message) {
        if (!message.scheduled_for) { isFanWaiting = false; }
        appendMessage(message);
        composerText.value = "";
        if (when) { when.value = ""; }
        if (!message.scheduled_for) { clearSuggestions(); }
        composerSuggestion.value = "";
        refreshRow(openId, true);
      })
      .catch(function (data) { showError(errorText(data)); })
      .finally(function () {
        send.disabled = false;
        send.removeAttribute("aria-busy");
        composerText.focus();
      });
  }

  function onComposerKeydown(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  }

  function onComposerInput() {
    var now = Date.now();
    if (now - lastTypingSent < TYPING_SEND_INTERVAL_MS) { return; }
    if (socket && socket.readyState === WebSocket.OPEN) {
      lastTypingSent = now;
      socket.send(JSON.stringify({ type: "typing", conversation_id: openId }));
    }
  }

  function showTyping(payload) {
    if (!typingIndicator) { return; }
    typingIndicator.textContent = format(labels.typing, { name: payload.user_name });
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingIndicator.textContent = ""; }, TYPING_SHOW_MS);
  }

  // Live -----------------------------------------------------------------------------------------

  function onEvent(data) {
    var payload = data.payload || {};
    // Other scripts of the page (inbox_ai.js: the fan panel) follow the events too.
    document.dispatchEvent(new CustomEvent("inbox:event", { detail: data }));
    if (data.event === "message.created") {
      var conversation = payload.conversation || {};
      var message = payload.message || {};
      if (conversation.id === openId) {
        appendMessage(message);
        if (message.status !== "scheduled") {
          isFanWaiting = message.direction === "in";
          clearSuggestions();
        }
      }
      var isNewest = !conversation.last_message_at ||
        new Date(message.sent_at) >= new Date(conversation.last_message_at);
      if (conversation.id === openId && message.direction === "in") {
        if (typingIndicator) { typingIndicator.textContent = ""; }
        if (document.visibilityState === "visible") {
          // Read first, so the refreshed row shows no unread badge.
          markRead().then(function () { refreshRow(conversation.id, isNewest); });
          return;
        }
      }
      refreshRow(conversation.id, isNewest);
    } else if (data.event === "message.updated") {
      if (payload.message && payload.message.conversation_id === openId) {
        updateMessage(payload.message);
      }
    } else if (data.event === "suggestion.created") {
      if (payload.conversation_id === openId) { showSuggestions(payload.suggestions || []); }
    } else if (data.event === "typing") {
      if (payload.conversation_id === openId && payload.user_id !== config.user_id) {
        showTyping(payload);
      }
    }
  }

  function setLive(isLive) {
    if (!liveStatus) { return; }
    liveStatus.textContent = isLive ? labels.live : labels.offline;
    liveStatus.classList.toggle("is-live", isLive);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + window.location.host + "/ws/workspace/");
    socket.addEventListener("open", function () {
      reconnectDelay = 1000;
      setLive(true);
    });
    socket.addEventListener("message", function (message) {
      try {
        onEvent(JSON.parse(message.data));
      } catch (error) {
        /* a malformed frame is ignored */
      }
    });
    socket.addEventListener("close", function (event) {
      setLive(false);
      if (event.code === 4401 || event.code === 4403) { return; }  // signed out, no access
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    });
  }

  // Start ----------------------------------------------------------------------------------------

  function start() {
    localizeTimes(document);
    scrollToBottom();
    if (list) { list.addEventListener("keydown", onListKeydown); }
    if (suggestionList) { suggestionList.addEventListener("click", onSuggestionClick); }
    if (suggestButton) { suggestButton.addEventListener("click", requestSuggestions); }
    if (composer) {
      composer.addEventListener("submit", onSubmit);
      composerText.addEventListener("keydown", onComposerKeydown);
      composerText.addEventListener("input", onComposerInput);
    }
    if (messageList) {
      // "Load older": keep the reader where they were after older messages are added on top.
      var distanceFromBottom = 0;
      messageList.addEventListener("htmx:beforeSwap", function () {
        distanceFromBottom = messageList.scrollHeight - messageList.scrollTop;
      });
      messageList.addEventListener("htmx:afterSwap", function () {
        localizeTimes(messageList);
        messageList.scrollTop = messageList.scrollHeight - distanceFromBottom;
      });
    }
    if (list) {
      list.addEventListener("htmx:afterSwap", function () { localizeTimes(list); });
      document.body.addEventListener("htmx:afterSwap", function (event) {
        if (event.target === list) { localizeTimes(list); }
      });
    }
    var filters = document.querySelector(".inbox-filters");
    if (filters) {
      filters.addEventListener("htmx:configRequest", function () {
        config.list_query = new URLSearchParams(new FormData(filters)).toString()
          .replace(/(^|&)active=[^&]*/, "");
      });
    }
    if (openId && config.unread_count > 0 && document.visibilityState === "visible") { markRead(); }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && openId) {
        var row = rowOf(openId);
        if (row && row.classList.contains("is-unread")) { markRead(); }
      }
    });
    connect();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
