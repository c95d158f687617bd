/* The Fans CRM page: "select every fan on this page", and the segment rule builder (Alpine.js
   component `segmentBuilder`) that previews and saves segments through the JSON API. Loaded
   without `defer`, before Alpine starts, so that the component is registered in time. */
(function () {
  "use strict";

  var API = "/api/v1/fans/segments";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function request(method, url, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    };
    if (body !== undefined) { options.body = JSON.stringify(body); }
    return fetch(url, options).then(function (response) {
      if (response.status === 204) { return null; }
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.message || String(response.status)); }
        return data;
      });
    });
  }

  /* Select all / none on the current page of the table (also after an HTMX swap). */
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.classList || !target.classList.contains("fan-select-all")) { return; }
    var form = target.closest("form");
    form.querySelectorAll("input.fan-select").forEach(function (box) { box.checked = target.checked; });
  });

  var nextKey = 1;

  function blankCondition(spec) {
    var value = spec.choices.length ? spec.choices[0].value : "";
    return { key: nextKey++, field: spec.field, op: spec.ops[0].op, value: value, value2: "", values: [] };
  }

  function toNumber(text, kind) {
    var number = parseFloat(String(text).replace(",", "."));
    if (isNaN(number)) { return text; } // the server names the bad value
    if (kind === "money") { return Math.round(number * 100); }
    if (kind === "ratio") { return number / 100; }
    return Math.round(number);
  }

  function fromNumber(value, kind) {
    if (kind === "money") { return String(value / 100); }
    if (kind === "ratio") { return String(Math.round(value * 1000) / 10); }
    return String(value);
  }

  function splitList(text) {
    return String(text).split(",").map(function (part) { return part.trim(); }).filter(Boolean);
  }

  function register() {
    var config = readJson("fans-builder-config");
    if (!config) { return; }
    var fields = config.fields;
    var byName = {};
    fields.forEach(function (spec) { byName[spec.field] = spec; });

    window.Alpine.data("segmentBuilder", function () {
      return {
        fields: fields,
        match: "all",
        conditions: [blankCondition(fields[0])],
        name: "",
        description: "",
        editingId: null,
        count: null,
        sample: [],
        error: "",
        busy: false,

        spec: function (condition) { return byName[condition.field]; },
        opsFor: function (condition) { return byName[condition.field].ops; },
        opSpec: function (condition) {
          var ops = byName[condition.field].ops;
          for (var i = 0; i < ops.length; i++) { if (ops[i].op === condition.op) { return ops[i]; } }
          return ops[0];
        },
        takesValue: function (condition) { return this.opSpec(condition).takes_value; },
        inputKind: function (condition) {
          var kind = byName[condition.field].kind;
          var op = condition.op;
          if (!this.takesValue(condition)) { return "none"; }
          if (op === "between") { return "range"; }
          if (kind === "date") { return op === "after" || op === "before" ? "date" : "number"; }
          if (kind === "choice") { return op === "in" ? "multi" : "choice"; }
          if (kind === "tags") { return "text"; }
          return "number";
        },
        unitLabel: function (condition) {
          var kind = byName[condition.field].kind;
          if (kind === "date") { return config.labels.days; }
          return config.labels[kind] || "";
        },
        fieldChanged: function (condition) {
          var spec = byName[condition.field];
          condition.op = spec.ops[0].op;
          condition.value = spec.choices.length ? spec.choices[0].value : "";
          condition.value2 = "";
          condition.values = [];
        },
        addCondition: function () { this.conditions.push(blankCondition(fields[0])); },
        removeCondition: function (index) { this.conditions.splice(index, 1); },

        ruleOf: function (condition) {
          var kind = byName[condition.field].kind;
          var rule = { field: condition.field, op: condition.op };
          var input = this.inputKind(condition);
          if (input === "none") { return rule; }
          if (input === "range") {
            rule.value = [toNumber(condition.value, kind), toNumber(condition.value2, kind)];
          } else if (input === "number") {
            rule.value = toNumber(condition.value, kind);
          } else if (input === "multi") {
            rule.value = condition.values.slice();
          } else if (input === "text") {
            rule.value = condition.op === "has" ? String(condition.value).trim() : splitList(condition.value);
          } else {
            rule.value = condition.value;
          }
          return rule;
        },
        rules: function () {
          var self = this;
          return { match: this.match, conditions: this.conditions.map(function (c) { return self.ruleOf(c); }) };
        },
        countText: function () { return config.labels.matches.replace("%(count)s", String(this.count)); },

        missingValue: function () {
          for (var i = 0; i < this.conditions.length; i++) {
            var condition = this.conditions[i];
            var input = this.inputKind(condition);
            var empty = input === "multi" ? !condition.values.length
              : input === "range" ? (condition.value === "" || condition.value2 === "")
              : input !== "none" && String(condition.value).trim() === "";
            if (empty) { return config.labels.missing.replace("%(number)s", String(i + 1)); }
          }
          return "";
        },
        preview: function () {
          var self = this;
          self.error = self.missingValue();
          if (self.error) { return; }
          self.busy = true;
          self.error = "";
          request("POST", API + "/preview", { rules: self.rules() })
            .then(function (data) { self.count = data.count; self.sample = data.sample; })
            .catch(function (error) { self.count = null; self.sample = []; self.error = error.message; })
            .finally(function () { self.busy = false; });
        },
        save: function () {
          var self = this;
          self.error = self.missingValue();
          if (self.error) { return; }
          var body = { name: self.name, description: self.description, rules: self.rules() };
          var call = self.editingId
            ? request("PUT", API + "/" + self.editingId, body)
            : request("POST", API, body);
          call.then(function (segment) { window.location.assign("/onlyfans/fans?segment=" + segment.id); })
            .catch(function (error) { self.error = error.message; });
        },
        edit: function (segmentId) {
          var segments = readJson("fans-segments") || [];
          var segment = segments.filter(function (s) { return s.id === segmentId; })[0];
          if (!segment) { return; }
          var nested = segment.rules.conditions.some(function (c) { return c.match !== undefined; });
          if (nested) { this.error = config.labels.nested; return; }
          this.editingId = segment.id;
          this.name = segment.name;
          this.description = segment.description;
          this.match = segment.rules.match;
          this.conditions = segment.rules.conditions.map(function (rule) {
            var spec = byName[rule.field];
            var condition = blankCondition(spec);
            condition.op = rule.op;
            var value = rule.value;
            if (Array.isArray(value) && rule.op === "between") {
              condition.value = fromNumber(value[0], spec.kind);
              condition.value2 = fromNumber(value[1], spec.kind);
            } else if (Array.isArray(value) && spec.kind === "choice") {
              condition.values = value.slice();
            } else if (Array.isArray(value)) {
              condition.value = value.join(", ");
            } else if (typeof value === "number") {
              condition.value = fromNumber(value, spec.kind);
            } else if (value !== null && value !== undefined) {
              condition.value = value;
            }
            return condition;
          });
          this.$root.open = true;
          this.count = null;
          this.sample = [];
        },
        reset: function () {
          this.editingId = null;
          this.name = "";
          this.description = "";
          this.match = "all";
          this.conditions = [blankCondition(fields[0])];
          this.count = null;
          this.sample = [];
          this.error = "";
        },
        remove: function (segmentId) {
          var self = this;
          if (!window.confirm(config.labels.confirm_delete)) { return; }
          request("DELETE", API + "/" + segmentId)
            .then(function () { window.location.assign("/onlyfans/fans"); })
            .catch(function (error) { self.error = error.message; });
        },
      };
    });
  }

  document.addEventListener("alpine:init", register);
})();
