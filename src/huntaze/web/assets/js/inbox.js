/* OnlyFans Messages: live updates over the workspace WebSocket, the composer, suggestions,
   typing. Configuration comes from the json_script "inbox-config"; writes go to /api/v1.
   Opening a conversation from the list swaps in only the chat and the fan context (the pane,
   /onlyfans/messages/<id>/pane, with its own json_script "inbox-pane-config"): the list, its
   scroll and the WebSocket stay. After a swap the DOM event "inbox:pane" (detail: the pane's
   config) tells the other inbox scripts to bind to the new elements. */
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

  window.HuntazeInbox = {
    moneyText: moneyText, ppvPriceText: ppvPriceText, refreshRow: refreshRow
  };

  var inbox = document.getElementById("inbox");
  var list = document.getElementById("conversation-list");
  var liveStatus = document.getElementById("live-status");
  // The pane's elements: bound again (bindPane) after each swap.
  var messageList = null;
  var suggestionsBox = null;
  var suggestionList = null;
  var composer = null;
  var composerText = null;
  var composerSuggestion = null;
  var composerError = null;
  var typingIndicator = null;
  var suggestButton = null;
  var isFanWaiting = false;
  var paneRequest = 0;  // the latest pane asked for; older answers are dropped

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

  // The latest row request per conversation: an older answer that lands after a newer one
  // (a mark-read refresh after a pin's) is dropped, so the row ends as the server last had it.
  var rowRequests = {};

  /* Fetches a row of the list again and puts it in place (at the top when `moveToTop`). */
  function refreshRow(conversationId, moveToTop) {
    if (!list) { return; }
    var ticket = (rowRequests[conversationId] || 0) + 1;
    rowRequests[conversationId] = ticket;
    var query = (config.list_query ? config.list_query + "&" : "") + "active=" + (openId || "");
    fetch("/onlyfans/messages/" + conversationId + "/row?" + query, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html || rowRequests[conversationId] !== ticket) { return; }
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
    var sentTo = openId;
    api("POST", "/api/v1/conversations/" + sentTo + "/messages", body)
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (response.status !== 201) { throw data; }
          return data;
        });
      })
      .then(function (message) {
        refreshRow(sentTo, true);
        if (sentTo !== openId) { return; }  // another conversation was opened meanwhile
        if (!message.scheduled_for) { isFanWaiting = false; }
        appendMessage(message);
        composerText.value = "";
        if (when) { when.value = ""; }
        if (!message.scheduled_for) { clearSuggestions(); }
        composerSuggestion.value = "";
      })
      .catch(function (data) { if (sentTo === openId) { showError(errorText(data)); } })
      .finally(function () {
        send.disabled = false;
        send.removeAttribute("aria-busy");
        if (sentTo === openId) { composerText.focus(); }
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

  // The pane: the chat and the fan context of the open conversation -----------------------------

  /* Binds to the pane's elements: at start, and again after each swap. */
  function bindPane() {
    messageList = document.getElementById("message-list");
    suggestionsBox = document.getElementById("suggestions");
    suggestionList = document.getElementById("suggestion-list");
    composer = document.getElementById("composer");
    composerText = document.getElementById("composer-text");
    composerSuggestion = document.getElementById("composer-suggestion");
    composerError = document.getElementById("composer-error");
    typingIndicator = document.getElementById("typing-indicator");
    suggestButton = document.getElementById("suggestions-request");
    isFanWaiting = Boolean(config.is_fan_waiting);
    lastTypingSent = 0;
    clearTimeout(typingTimer);
    if (suggestionList) { suggestionList.addEventListener("click", onSuggestionClick); }
    if (suggestButton) { suggestButton.addEventListener("click", requestSuggestions); }
    if (composer) {
      composer.addEventListener("submit", onSubmit);
      composerText.addEventListener("keydown", onComposerKeydown);
      composerText.addEventListener("input", onComposerInput);
    }
    if (messageList) {
      // "Load older": keep the reader where they were after older messages are added on top.
      var chat = messageList;
      var distanceFromBottom = 0;
      chat.addEventListener("htmx:beforeSwap", function () {
        distanceFromBottom = chat.scrollHeight - chat.scrollTop;
      });
      chat.addEventListener("htmx:afterSwap", function () {
        localizeTimes(chat);
        chat.scrollTop = chat.scrollHeight - distanceFromBottom;
      });
    }
  }

  function conversationIdOf(url) {
    var match = /^\/onlyfans\/messages\/(\d+)\/?$/.exec(url.pathname);
    return match ? Number(match[1]) : null;
  }

  /* The open conversation's row is the active one (class and aria-current), wherever it is. */
  function markActive(row) {
    var isActive = row.dataset.conversationId === String(openId);
    row.classList.toggle("is-active", isActive);
    var link = row.querySelector(":scope > a");
    if (!link) { return; }
    if (isActive) { link.setAttribute("aria-current", "page"); } else { link.removeAttribute("aria-current"); }
  }

  function markActiveRows() {
    if (!list) { return; }
    Array.prototype.forEach.call(list.querySelectorAll(".conversation-row"), markActive);
    // The filters send the open conversation (active=) so that new rows mark it.
    var filters = document.querySelector(".inbox-filters");
    if (!filters) { return; }
    var active = filters.querySelector("input[name=active]");
    if (!active) {
      active = document.createElement("input");
      active.type = "hidden";
      active.name = "active";
      filters.appendChild(active);
    }
    active.value = String(openId);
  }

  function showPane(fragment, paneConfig) {
    var chat = fragment.querySelector(".inbox-chat");
    var context = fragment.querySelector(".inbox-context");
    inbox.querySelector(".inbox-chat").replaceWith(chat);
    inbox.querySelector(".inbox-context").replaceWith(context);
    openId = paneConfig.conversation_id;
    config.conversation_id = openId;
    config.unread_count = paneConfig.unread_count;
    config.currency = paneConfig.currency;
    config.is_fan_waiting = paneConfig.is_fan_waiting;
    inbox.classList.add("inbox-has-conversation");
    if (paneConfig.title) { document.title = paneConfig.title; }
    markActiveRows();
    if (window.htmx) {
      window.htmx.process(chat);
      window.htmx.process(context);
    }
    bindPane();
    localizeTimes(chat);
    localizeTimes(context);
    scrollToBottom();
    document.dispatchEvent(new CustomEvent("inbox:pane", { detail: paneConfig }));
    var heading = document.getElementById("chat-title");
    if (heading) { heading.focus({ preventScroll: true }); }
    if (config.unread_count > 0 && document.visibilityState === "visible") { markRead(); }
  }

  /* Opens a conversation of the list in place: its pane is fetched and swapped in; `isPush`
     adds the URL to the history (not when going Back or Forward to it). Any failure falls
     back to loading the page. */
  function openConversation(href, isPush) {
    var url = new URL(href, window.location.href);
    var conversationId = conversationIdOf(url);
    var fallBack = function () {
      if (isPush) { window.location.assign(url.href); } else { window.location.replace(url.href); }
    };
    if (conversationId === null || !inbox || url.origin !== window.location.origin) {
      fallBack();
      return;
    }
    var request = ++paneRequest;
    fetch(url.pathname.replace(/\/$/, "") + "/pane" + url.search, {
      credentials: "same-origin",
      headers: { "Accept": "text/html" },
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("pane " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (request !== paneRequest) { return; }
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var fragment = holder.content;
        var paneConfig = fragment.querySelector("#inbox-pane-config");
        if (!paneConfig || !fragment.querySelector(".inbox-chat") ||
            !fragment.querySelector(".inbox-context")) {
          throw new Error("not a pane");
        }
        if (isPush) { history.pushState({ conversationId: conversationId }, "", url.pathname + url.search); }
        showPane(fragment, JSON.parse(paneConfig.textContent));
      })
      .catch(function () { if (request === paneRequest) { fallBack(); } });
  }

  function onListClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return;  // a new tab or window: the browser's own
    }
    var link = event.target.closest(".conversation-row > a");
    if (!link) { return; }
    event.preventDefault();
    openConversation(link.href, true);
  }

  function onPopState() {
    var url = new URL(window.location.href);
    var conversationId = conversationIdOf(url);
    if (conversationId === null) { window.location.reload(); return; }  // the list alone
    if (conversationId !== openId) { openConversation(url.href, false); }
  }

  // Start ----------------------------------------------------------------------------------------

  function start() {
    bindPane();
    localizeTimes(document);
    scrollToBottom();
    if (list) {
      list.addEventListener("keydown", onListKeydown);
      list.addEventListener("click", onListClick);
      // Rows loaded later ("Load more", filters) mark the conversation open now.
      list.addEventListener("htmx:load", function (event) {
        if (openId && event.target.classList && event.target.classList.contains("conversation-row")) {
          markActive(event.target);
        }
      });
      window.addEventListener("popstate", onPopState);
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
