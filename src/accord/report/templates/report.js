/* accord report: select a claim to light up its counterparts and show the verdicts.
   Text from documents is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("accord-data").textContent);
  var byClaim = {};
  var links = {};
  var lit = [];
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");

  Array.prototype.forEach.call(document.querySelectorAll(".claim[data-claims]"), function (el) {
    el.getAttribute("data-claims").split(" ").forEach(function (id) {
      (byClaim[id] = byClaim[id] || []).push(el);
    });
  });
  data.verdicts.forEach(function (v) {
    [v.left, v.right].forEach(function (id) { (links[id] = links[id] || []).push(v); });
  });

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    return el;
  }

  function docLabel(id) {
    var claim = data.claims[id];
    return claim && data.documents[claim.doc] !== undefined ? data.documents[claim.doc] : "";
  }

  function mark(id, className) {
    (byClaim[id] || []).forEach(function (el) { el.classList.add(className); lit.push(el); });
  }

  function clear() {
    lit.forEach(function (el) { el.classList.remove("selected", "counterpart"); });
    lit = [];
  }

  // What a verdict shows as: a clash under the threshold is a possible conflict, apart.
  function kind(v) { return v.possible_conflict ? "possible" : v.label; }
  var RANK = { contradicts: 2, possible: 1 };

  function ordered(id) {
    return (links[id] || []).slice().sort(function (a, b) {
      var rank = (RANK[kind(b)] || 0) - (RANK[kind(a)] || 0);
      return rank || (b.confidence || 0) - (a.confidence || 0);
    });
  }

  function show(id, verdicts) {
    body.textContent = "";
    var claim = data.claims[id] || { text: "" };
    body.appendChild(node("p", "muted", docLabel(id)));
    body.appendChild(node("p", "claim-text", "“" + claim.text + "”"));
    if (!verdicts.length) {
      body.appendChild(node("p", "reason",
        "Only this source makes this claim: no other source supports or contradicts it."));
    }
    verdicts.forEach(function (v) {
      var other = v.left === id ? v.right : v.left;
      var box = node("div", "verdict");
      var shown = kind(v);
      box.setAttribute("data-label", shown);
      var head = node("p", "");
      var glyph = { contradicts: "≠ ", possible: "? " }[shown] || "= ";
      var word = shown === "possible" ? "possible conflict" : shown;
      head.appendChild(node("span", "label label-" + shown, glyph + word));
      head.appendChild(document.createTextNode(
        " confidence " + Number(v.confidence || 0).toFixed(2) + " · method " + v.method));
      box.appendChild(head);
      box.appendChild(node("p", "reason", v.reason));
      var line = node("p", "other");
      line.appendChild(node("span", "muted", docLabel(other) + ": "));
      line.appendChild(document.createTextNode("“" + ((data.claims[other] || {}).text || "") + "” "));
      var go = node("button", "go", "go to");
      go.type = "button";
      go.setAttribute("data-select", other);
      line.appendChild(go);
      box.appendChild(line);
      body.appendChild(box);
    });
    panel.hidden = false;
  }

  // A folded source (many sources start folded) opens to show the claim it holds.
  function reveal(el) {
    for (var box = el.closest("details"); box; box = box.parentElement.closest("details")) {
      box.open = true;
    }
  }

  function select(id, scrollTo) {
    if (!id) { return; }
    clear();
    mark(id, "selected");
    var verdicts = ordered(id);
    var others = [];
    verdicts.forEach(function (v) {
      var other = v.left === id ? v.right : v.left;
      if (others.indexOf(other) < 0) { others.push(other); mark(other, "counterpart"); }
    });
    show(id, verdicts);
    var target = scrollTo === "self" ? id : others[0];
    if (target && byClaim[target]) {
      reveal(byClaim[target][0]);
      byClaim[target][0].scrollIntoView({ block: "center" });
    }
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-select], [data-claim]") : null;
    if (!el) { return; }
    if (el.hasAttribute("data-select")) {
      select(el.getAttribute("data-select"), "self");
    } else {
      select(el.getAttribute("data-claim"), "counterpart");
    }
  });
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-claim")) {
      select(el.getAttribute("data-claim"), "counterpart");
    }
  });
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Escape") { clear(); panel.hidden = true; return; }
    if ((event.key === "Enter" || event.key === " ") && el.hasAttribute && el.hasAttribute("data-claim")) {
      event.preventDefault();
      select(el.getAttribute("data-claim"), "counterpart");
    }
  });
  document.getElementById("panel-close").addEventListener("click", function () {
    clear();
    panel.hidden = true;
  });
}());
