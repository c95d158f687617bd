/* The composer's media, PPV price and scripts: the vault picker (with "already sent to this
   fan"), uploads, a PPV price, the "/" script picker, the confirmation before sending media a
   fan already has, and the bought / not bought badges of PPV messages. Plain text messages are
   still sent by inbox.js; a message with media or a price is sent here. The composer's
   elements are bound again (bind) when inbox.js swaps in another conversation ("inbox:pane"). */
(function () {
  "use strict";

  var composer = null;
  var conversationId = "";
  var text, picker, attachments, mediaList, price, errorBox, resendBox, resendText, labels;
  var dialog, grid, vaultStatus, moreButton, messageList;

  var attached = [];          // media ids, in order
  var known = {};             // media id -> vault item
  var selected = {};          // media id -> true, in the open picker
  var vaultOffset = 0;
  var scripts = null;         // loaded on the first "/"
  var matches = [];
  var activeIndex = -1;
  var slashStart = -1;
  var observer = null;        // the open chat's new PPV messages

  // Helpers ----------------------------------------------------------------------------------------

  function csrfToken() {
    var input = composer.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function request(method, url, body, isForm) {
    var headers = { "Accept": "application/json", "X-CSRFToken": csrfToken() };
    if (!isForm && body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: headers,
      body: body === undefined ? undefined : (isForm ? body : JSON.stringify(body)),
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) { throw { status: response.status, body: data }; }
        return data;
      });
    });
  }

  function errorText(failure) {
    var body = failure && failure.body;
    if (!body) { return labels.sendFailed; }
    var fields = body.field_errors || {};
    var parts = Object.keys(fields).map(function (key) { return fields[key].join(" "); });
    return parts.length ? parts.join(" ") : (body.message || labels.sendFailed);
  }

  function showError(message) { errorBox.textContent = message || ""; }

  function dateText(iso) {
    var lang = document.documentElement.lang || undefined;
    return new Date(iso).toLocaleDateString(lang, { day: "numeric", month: "short", year: "numeric" });
  }

  // Attachments ------------------------------------------------------------------------------------

  function renderAttachments() {
    mediaList.textContent = "";
    attached.forEach(function (id) {
      var item = known[id];
      var chip = document.createElement("li");
      chip.className = "composer-chip";
      chip.dataset.mediaId = String(id);
      chip.textContent = "📎 " + (item && item.title ? item.title : "#" + id);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "chip-remove";
      remove.setAttribute("aria-label", labels.remove + " " + chip.textContent);
      remove.textContent = "×";
      remove.addEventListener("click", function () {
        attached = attached.filter(function (other) { return other !== id; });
        renderAttachments();
      });
      chip.appendChild(remove);
      mediaList.appendChild(chip);
    });
    attachments.hidden = attached.length === 0 && !price.value;
  }

  function attach(ids) {
    ids.forEach(function (id) { if (attached.indexOf(id) === -1) { attached.push(id); } });
    hideResend();
    renderAttachments();
  }

  function hasExtras() { return attached.length > 0 || Boolean(price.value); }

  function resetExtras() {
    attached = [];
    price.value = "";
    renderAttachments();
    hideResend();
  }

  // Vault picker -----------------------------------------------------------------------------------

  function tile(item) {
    known[item.id] = item;
    var li = document.createElement("li");
    li.className = "vault-item";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "vault-choose";
    button.dataset.mediaId = String(item.id);
    button.setAttribute("aria-pressed", selected[item.id] ? "true" : "false");
    if (item.kind === "image") {
      var img = document.createElement("img");
      img.src = item.thumbnail_url || item.file_url;
      img.alt = "";
      img.loading = "lazy";
      button.appendChild(img);
    } else {
      var icon = document.createElement("span");
      icon.className = "vault-icon";
      icon.textContent = item.kind === "video" ? "▶" : "♪";
      button.appendChild(icon);
    }
    var title = document.createElement("span");
    title.className = "vault-title";
    title.textContent = item.title || ("#" + item.id);
    button.appendChild(title);
    if (item.sent_to_fan_at) {
      li.classList.add("is-sent");
      var mark = document.createElement("span");
      mark.className = "vault-sent";
      mark.textContent = labels.alreadySent + " · " + dateText(item.sent_to_fan_at);
      button.appendChild(mark);
    }
    button.addEventListener("click", function () {
      selected[item.id] = !selected[item.id];
      button.setAttribute("aria-pressed", selected[item.id] ? "true" : "false");
    });
    li.appendChild(button);
    return li;
  }

  function loadVault(reset) {
    if (reset) { vaultOffset = 0; grid.textContent = ""; }
    var url = "/api/v1/inbox/conversations/" + conversationId + "/vault?limit=24&offset=" + vaultOffset;
    return request("GET", url).then(function (page) {
      page.items.forEach(function (item) { grid.appendChild(tile(item)); });
      vaultOffset = page.next_offset;
      moreButton.hidden = !page.has_more;
      if (!grid.children.length) { vaultStatus.textContent = labels.emptyVault; }
    }).catch(function (failure) { vaultStatus.textContent = errorText(failure); });
  }

  function openVault() {
    selected = {};
    attached.forEach(function (id) { selected[id] = true; });
    vaultStatus.textContent = "";
    loadVault(true);
    dialog.showModal();
  }

  function upload(input) {
    var file = input.files && input.files[0];
    if (!file) { return; }
    var form = new FormData();
    form.append("file", file);
    form.append("title", file.name);
    vaultStatus.textContent = labels.uploading;
    request("POST", "/api/v1/vault/media", form, true).then(function (item) {
      selected[item.id] = true;
      grid.insertBefore(tile(item), grid.firstChild);
      vaultStatus.textContent = labels.uploaded;
    }).catch(function (failure) {
      vaultStatus.textContent = errorText(failure);
    }).finally(function () { input.value = ""; });
  }

  function attachSelected() {
    attach(Object.keys(selected).filter(function (id) { return selected[id]; }).map(Number));
    attached = attached.filter(function (id) { return selected[id]; });
    renderAttachments();
    dialog.close();
    text.focus();
  }

  // Sending with media or a price -------------------------------------------------------------------

  function hideResend() { resendBox.hidden = true; }

  function priceCents() {
    if (!price.value) { return 0; }
    return Math.round(Number(price.value) * 100);
  }

  function messageElement(message) {
    var item = document.createElement("li");
    item.className = "message message-out" + (message.status === "scheduled" ? " is-scheduled" : "");
    item.dataset.messageId = String(message.id);
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    function line(className, value) {
      var p = document.createElement("p");
      p.className = className;
      p.textContent = value;
      bubble.appendChild(p);
    }
    if (message.text) { line("message-text", message.text); bubble.lastChild.style.whiteSpace = "pre-line"; }
    if (message.media_ids.length) { line("message-media", "📎 " + message.media_ids.length + " " + labels.media); }
    if (message.price_cents) {
      line("message-price", window.HuntazeInbox.ppvPriceText(message.price_cents, labels.ppv));
    }
    item.appendChild(bubble);
    var meta = document.createElement("p");
    meta.className = "message-meta";
    var time = document.createElement("time");
    time.dateTime = message.sent_at;
    time.textContent = new Date(message.sent_at).toLocaleString();
    meta.appendChild(time);
    var status = document.createElement("span");
    status.className = "message-status";
    status.dataset.status = message.status;
    status.textContent = " " + (message.status === "scheduled" ? labels.scheduled : labels.sent);
    meta.appendChild(status);
    item.appendChild(meta);
    return item;
  }

  function send(confirmResend) {
    var body = {
      text: text.value.trim(),
      media_ids: attached.slice(),
      price_cents: priceCents(),
      confirm_resend: Boolean(confirmResend),
    };
    var suggestion = document.getElementById("composer-suggestion");
    if (suggestion && suggestion.value) { body.suggestion_id = Number(suggestion.value); }
    var when = document.getElementById("composer-when");
    if (when && when.value) {
      body.scheduled_for = new Date(when.value).toISOString();
      body.cancel_if_fan_replies = document.getElementById("composer-cancel").checked;
    }
    var button = document.getElementById("composer-send");
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    showError("");
    var sentFrom = composer;
    request("POST", "/api/v1/inbox/conversations/" + conversationId + "/compose", body)
      .then(function (message) {
        if (sentFrom !== composer) { return; }  // another conversation was opened meanwhile
        if (messageList && !messageList.querySelector('[data-message-id="' + message.id + '"]')) {
          messageList.appendChild(messageElement(message));
          messageList.scrollTop = messageList.scrollHeight;
        }
        text.value = "";
        if (when) { when.value = ""; }
        if (suggestion) { suggestion.value = ""; }
        resetExtras();
        refreshStates();
      })
      .catch(function (failure) {
        if (sentFrom !== composer) { return; }
        if (failure && failure.status === 409) {
          resendText.textContent = errorText(failure);
          resendBox.hidden = false;
          document.getElementById("composer-resend-confirm").focus();
          return;
        }
        showError(errorText(failure));
      })
      .finally(function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
  }

  function onSubmit(event) {
    if (!composer || event.target !== composer || !hasExtras()) { return; }  // plain text: inbox.js sends it
    event.preventDefault();
    event.stopImmediatePropagation();
    send(false);
  }

  // The "/" script picker ------------------------------------------------------------------------

  function loadScripts() {
    if (scripts) { return Promise.resolve(scripts); }
    return request("GET", "/api/v1/inbox/conversations/" + conversationId + "/scripts")
      .then(function (list) { scripts = list; return list; })
      .catch(function () { scripts = []; return scripts; });
  }

  function slashQuery() {
    var caret = text.selectionStart;
    var before = text.value.slice(0, caret);
    var match = /(^|\s)\/([\w-]*)$/.exec(before);
    if (!match) { return null; }
    slashStart = caret - match[2].length - 1;
    return match[2].toLowerCase();
  }

  function closePicker() {
    picker.hidden = true;
    text.setAttribute("aria-expanded", "false");
    text.removeAttribute("aria-activedescendant");
    activeIndex = -1;
    matches = [];
  }

  function setActive(index) {
    activeIndex = index;
    Array.prototype.forEach.call(picker.children, function (option, position) {
      option.setAttribute("aria-selected", position === index ? "true" : "false");
    });
    var option = picker.children[index];
    if (option && option.id) {
      text.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function renderPicker(query) {
    matches = (scripts || []).filter(function (script) {
      return !query || script.shortcode.indexOf(query) === 0 ||
        script.title.toLowerCase().indexOf(query) !== -1;
    });
    picker.textContent = "";
    if (!matches.length) {
      var empty = document.createElement("li");
      empty.className = "script-empty";
      var link = document.createElement("a");
      link.href = labels.scriptsUrl;
      link.textContent = labels.noScripts;
      empty.appendChild(link);
      picker.appendChild(empty);
    }
    matches.forEach(function (script, index) {
      var option = document.createElement("li");
      option.id = "script-option-" + script.id;
      option.setAttribute("role", "option");
      option.dataset.index = String(index);
      var code = document.createElement("strong");
      code.textContent = "/" + script.shortcode;
      var title = document.createElement("span");
      title.textContent = " " + script.title;
      option.appendChild(code);
      option.appendChild(title);
      if (script.media_ids.length || script.price_cents) {
        var extra = document.createElement("small");
        extra.textContent = " · 📎 " + script.media_ids.length +
          (script.price_cents ? " · " + window.HuntazeInbox.moneyText(script.price_cents, false) : "");
        option.appendChild(extra);
      }
      var preview = document.createElement("small");
      preview.className = "script-preview";
      preview.textContent = script.text;
      option.appendChild(preview);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        insertScript(script);
      });
      picker.appendChild(option);
    });
    picker.hidden = false;
    text.setAttribute("aria-expanded", "true");
    setActive(matches.length ? 0 : -1);
  }

  function insertScript(script) {
    var caret = text.selectionStart;
    var value = text.value;
    text.value = value.slice(0, slashStart) + script.text + value.slice(caret);
    var position = slashStart + script.text.length;
    text.setSelectionRange(position, position);
    if (script.media_ids.length) { attach(script.media_ids); }
    if (script.price_cents) { price.value = (script.price_cents / 100).toFixed(2); }
    renderAttachments();
    closePicker();
    text.focus();
  }

  function onInput() {
    var query = slashQuery();
    if (query === null) { closePicker(); return; }
    loadScripts().then(function () {
      if (slashQuery() === query) { renderPicker(query); }
    });
  }

  function onKeydown(event) {
    if (!composer || event.target !== text || picker.hidden) { return; }
    var handled = true;
    if (event.key === "ArrowDown" && matches.length) {
      setActive((activeIndex + 1) % matches.length);
    } else if (event.key === "ArrowUp" && matches.length) {
      setActive((activeIndex - 1 + matches.length) % matches.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && activeIndex >= 0) {
      insertScript(matches[activeIndex]);
    } else if (event.key === "Escape") {
      closePicker();
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }

  // Bought / not bought badges --------------------------------------------------------------------

  var statesTimer = null;

  function refreshStates() {
    if (!messageList) { return; }
    request("GET", "/api/v1/inbox/conversations/" + conversationId + "/ppv-states").then(function (states) {
      states.forEach(function (state) {
        var item = messageList.querySelector('[data-message-id="' + state.message_id + '"] .bubble');
        if (!item) { return; }
        var badge = item.querySelector(".ppv-state");
        if (!badge) {
          badge = document.createElement("p");
          badge.className = "ppv-state";
          item.appendChild(badge);
        }
        badge.dataset.bought = state.is_bought ? "true" : "false";
        badge.textContent = state.is_bought ? "✓ " + labels.bought : labels.notBought;
      });
    }).catch(function () { /* badges are a hint; the chat works without them */ });
  }

  function watchMessages() {
    if (!messageList || !window.MutationObserver) { return; }
    observer = new MutationObserver(function (changes) {
      var added = changes.some(function (change) {
        return Array.prototype.some.call(change.addedNodes, function (node) {
          return node.nodeType === 1 && node.querySelector && node.querySelector(".message-price");
        });
      });
      if (!added) { return; }
      clearTimeout(statesTimer);
      statesTimer = setTimeout(refreshStates, 300);
    });
    observer.observe(messageList, { childList: true, subtree: true });
  }

  // Start ----------------------------------------------------------------------------------------

  /* Binds to the open conversation's composer (none: an empty or read-only chat), with fresh
     state: at start and after each swap of the pane. */
  function bind() {
    if (observer) { observer.disconnect(); observer = null; }
    clearTimeout(statesTimer);
    attached = [];
    known = {};
    selected = {};
    vaultOffset = 0;
    scripts = null;
    matches = [];
    activeIndex = -1;
    slashStart = -1;
    composer = document.getElementById("composer");
    if (!composer) { return; }
    conversationId = composer.dataset.conversationId;
    text = document.getElementById("composer-text");
    picker = document.getElementById("script-picker");
    attachments = document.getElementById("composer-attachments");
    mediaList = document.getElementById("composer-media");
    price = document.getElementById("composer-price");
    errorBox = document.getElementById("composer-error");
    resendBox = document.getElementById("composer-resend");
    resendText = document.getElementById("composer-resend-text");
    labels = document.getElementById("composer-labels").dataset;
    dialog = document.getElementById("vault-picker");
    grid = document.getElementById("vault-grid");
    vaultStatus = document.getElementById("vault-status");
    moreButton = document.getElementById("vault-more");
    messageList = document.getElementById("message-list");
    text.addEventListener("input", onInput);
    // Closed a moment after the text loses focus, unless it has it again by then (a late timer
    // closed a picker the next "/" had just opened).
    text.addEventListener("blur", function () {
      setTimeout(function () { if (document.activeElement !== text) { closePicker(); } }, 150);
    });
    price.addEventListener("input", function () { hideResend(); });
    document.getElementById("composer-vault-open").addEventListener("click", openVault);
    document.getElementById("vault-close").addEventListener("click", function () { dialog.close(); });
    document.getElementById("vault-attach").addEventListener("click", attachSelected);
    document.getElementById("vault-upload").addEventListener("change", function (event) { upload(event.target); });
    moreButton.addEventListener("click", function () { loadVault(false); });
    document.getElementById("composer-resend-confirm").addEventListener("click", function () { send(true); });
    document.getElementById("composer-resend-cancel").addEventListener("click", function () {
      hideResend();
      openVault();
    });
    if (messageList && messageList.querySelector(".message-price")) { refreshStates(); }
    watchMessages();
  }

  function start() {
    document.addEventListener("submit", onSubmit, true);
    document.addEventListener("keydown", onKeydown, true);
    document.addEventListener("inbox:pane", bind);
    bind();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
