// The symbp stepper: moves through the steps embedded in its own data element and
// highlights, on its own picture, what each step speaks of.  Everything is found inside
// the element that holds this script, so two steppers on one page never share state.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script && script.closest('[data-symbp="stepper"]');
  if (!root) { return; }
  var dataElement = root.querySelector('script[data-symbp="data"]');
  var data = JSON.parse(dataElement.textContent);
  var steps = data.steps || [];
  var total = steps.length;
  if (total === 0) { return; }
  root.classList.remove("symbp-nojs");
  root.classList.add("symbp-js");

  function gather(attribute, within) {
    var found = {};
    if (!attribute) { return found; }
    (within || root).querySelectorAll("[" + attribute + "]").forEach(function (element) {
      var key = element.getAttribute(attribute);
      (found[key] = found[key] || []).push(element);
    });
    return found;
  }
  // what a step's "nodes" and "edges" name on the picture: data-node/data-edge on an
  // explanation's graph, data-neuron/data-weight on a network's; its "blocks", the
  // elements of the other views (data-block: the network's layer tab)
  var targets = (root.getAttribute("data-symbp-targets") || "data-node data-edge").split(" ");
  var box = root.querySelector(".symbp-graph");
  var nodes = gather(targets[0], box);
  var edges = gather(targets[1], box);
  var blocks = gather(targets[2]);
  var adjoints = gather("data-adjoint");
  var pick = function (name) { return root.querySelector('[data-symbp="' + name + '"]'); };
  var status = pick("status"), text = pick("step-text"), phase = pick("phase");
  var slider = pick("slider");
  var buttons = { first: pick("first"), previous: pick("previous"), next: pick("next"),
                  last: pick("last") };
  var phaseButtons = root.querySelectorAll("[data-symbp-phase]");
  var titles = {};
  var firstOf = {};
  phaseButtons.forEach(function (button) {
    titles[button.getAttribute("data-symbp-phase")] = button.textContent;
  });
  steps.forEach(function (step, k) {
    if (!(step.phase in firstOf)) { firstOf[step.phase] = k; }
  });
  phaseButtons.forEach(function (button) {
    var p = button.getAttribute("data-symbp-phase");
    if (!(p in firstOf)) { button.disabled = true; return; }
    button.addEventListener("click", function () { show(firstOf[p]); });
  });
  // only the stepper of a page of its own (-o steps.html) reads and writes #step=K
  var ownsHash = root.hasAttribute("data-symbp-hash");
  var active = [];
  var done = [];
  var current = -1;
  var current_ = [];  // the cells of the step's sample in the highlighted matrices
  var picked = null;  // the element of a view whose picture element is shown (a grid cell)
  var pickText = pick("pick");

  function mark(list, keys, table, className, into) {
    (keys || []).forEach(function (key) {
      (table[key] || []).forEach(function (element) {
        element.classList.add(className);
        into.push(element);
      });
    });
  }

  function adjointState(k) {
    // the adjoints and completed nodes after step k: the reverse steps up to it, replayed
    var values = {}, complete = [];
    for (var i = 0; i <= k; i++) {
      var step = steps[i];
      if (step.adjoints) {
        Object.keys(step.adjoints).forEach(function (n) { values[n] = step.adjoints[n]; });
      }
      if (step.done) { complete = complete.concat(step.done); }
    }
    return { values: values, complete: complete };
  }

  function unpick() {
    if (picked) { picked.classList.remove("picked"); picked = null; }
    if (pickText) { pickText.textContent = ""; }
  }

  function show(k) {
    k = Math.max(0, Math.min(total - 1, k));
    if (k === current && !picked) { return; }
    current = k;
    var step = steps[k];
    unpick();
    active.forEach(function (element) { element.classList.remove("active"); });
    done.forEach(function (element) { element.classList.remove("done"); });
    active = [];
    done = [];
    mark(step.nodes, step.nodes, nodes, "active", active);
    mark(step.edges, step.edges, edges, "active", active);
    mark(step.blocks, step.blocks, blocks, "active", active);
    current_.forEach(function (element) { element.classList.remove("current"); });
    current_ = [];
    if (step.sample) {  // the sample's column (or row) of the batch matrices it speaks of
      (step.blocks || []).forEach(function (key) {
        (blocks[key] || []).forEach(function (block) {
          var cells = block.querySelectorAll('[data-sample="' + step.sample + '"]');
          cells.forEach(function (cell) {
            cell.classList.add("current");
            current_.push(cell);
          });
          // a wide batch matrix scrolls sideways in its block: centre the sample's column
          if (cells.length && block.scrollWidth > block.clientWidth) {
            var box = block.getBoundingClientRect(), cell = cells[0].getBoundingClientRect();
            if (cell.left < box.left || cell.right > box.right) {
              block.scrollLeft += cell.left - box.left - (box.width - cell.width) / 2;
            }
          }
        });
      });
    }
    var state = adjointState(k);
    Object.keys(adjoints).forEach(function (n) {
      var shown = n in state.values ? state.values[n] : "–";
      adjoints[n].forEach(function (element) { element.textContent = shown; });
    });
    mark(state.complete, state.complete, nodes, "done", done);
    text.textContent = step.text;
    phase.textContent = titles[step.phase] || step.phase;
    status.textContent = (k + 1) + " / " + total;
    slider.value = String(k + 1);
    buttons.first.disabled = buttons.previous.disabled = k === 0;
    buttons.next.disabled = buttons.last.disabled = k === total - 1;
    phaseButtons.forEach(function (button) {
      if (button.getAttribute("data-symbp-phase") === step.phase) {
        button.setAttribute("aria-current", "step");
      } else {
        button.removeAttribute("aria-current");
      }
    });
    revealActive();
    if (ownsHash && window.history && window.history.replaceState) {
      try { window.history.replaceState(null, "", "#step=" + (k + 1)); } catch (e) { /* */ }
    }
  }

  function revealActive() {
    // the picture centres its first highlighted element; another view scrolls as little
    // as brings all of its highlighted elements in (their top first when they do not fit)
    var seen = [];
    active.forEach(function (element) {
      var view = element.closest(".symbp-graph, .symbp-view");
      if (!view || view.hidden || seen.indexOf(view) >= 0) { return; }
      seen.push(view);
      if (view.classList.contains("symbp-graph")) { reveal(element); return; }
      var top = Infinity, bottom = -Infinity;
      active.forEach(function (other) {
        if (other.closest(".symbp-view") !== view) { return; }
        var r = other.getBoundingClientRect();
        top = Math.min(top, r.top);
        bottom = Math.max(bottom, r.bottom);
      });
      var box = view.getBoundingClientRect(), margin = 8;
      if (bottom - top > box.height - 2 * margin || top < box.top + margin) {
        view.scrollTop += top - box.top - margin;
      } else if (bottom > box.bottom - margin) {
        view.scrollTop += bottom - box.bottom + margin;
      }
    });
  }

  function reveal(element) {
    // scroll the picture or view (not the page) so that the highlighted element is in view
    var graph = element.closest(".symbp-graph, .symbp-view");
    if (!graph || !element.getBoundingClientRect) { return; }
    var inner = element.getBoundingClientRect(), outer = graph.getBoundingClientRect();
    if (inner.left < outer.left || inner.right > outer.right) {
      graph.scrollLeft += (inner.left + inner.right) / 2 - (outer.left + outer.right) / 2;
    }
    if (inner.top < outer.top || inner.bottom > outer.bottom) {
      graph.scrollTop += (inner.top + inner.bottom) / 2 - (outer.top + outer.bottom) / 2;
    }
  }

  function fromHash() {
    var match = /^#step=(\d+)$/.exec(window.location.hash || "");
    return match ? parseInt(match[1], 10) - 1 : null;
  }

  // the picture: fitted to its box, or at the size Graphviz drew it when fitting would
  // shrink it below half (a big graph's labels would be unreadable)
  var zoom = pick("zoom");
  var picture = root.querySelector("svg.symbp-picture");
  function setFit(fit) {
    box.classList.toggle("symbp-fit", fit);
    zoom.setAttribute("aria-pressed", String(!fit));
    zoom.textContent = fit ? "Actual size" : "Fit to width";
  }
  if (zoom && picture) {
    var natural = picture.viewBox && picture.viewBox.baseVal ? picture.viewBox.baseVal.width : 0;
    setFit(!(natural * 4 / 3 > 2 * box.clientWidth));
    zoom.addEventListener("click", function () {
      setFit(!box.classList.contains("symbp-fit"));
      revealActive();
    });
  }

  // the views as tabs: click, or ← → Home End on a tab (WAI-ARIA's tabs pattern)
  var tabs = Array.prototype.slice.call(root.querySelectorAll("[data-symbp-tab]"));
  function select(tab, focus) {
    tabs.forEach(function (other) {
      var on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      var view = root.querySelector('[data-symbp-view="' +
                                    other.getAttribute("data-symbp-tab") + '"]');
      if (view) { view.hidden = !on; }
    });
    if (focus) { tab.focus(); }
    revealActive();
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(tab, false); });
    tab.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: tabs.length - 1 };
      if (!(event.key in moves)) { return; }
      event.preventDefault();
      event.stopPropagation();  // the step keys stay with the stepper, not the tabs
      select(tabs[(moves[event.key] + tabs.length) % tabs.length], true);
    });
  });
  var initial = tabs.filter(function (tab) {
    return tab.getAttribute("aria-selected") === "true";
  })[0];
  if (initial) { select(initial, false); }

  // an element of a view that names a picture element (a cell of BP4's grid): picking it
  // shows the picture with that element alone highlighted, and says what it is
  function choose(element) {
    var key = element.getAttribute(targets[1]), table = edges;
    if (key === null) { key = element.getAttribute(targets[0]); table = nodes; }
    active.filter(function (e) { return e.closest(".symbp-graph"); }).forEach(function (e) {
      e.classList.remove("active");
    });
    active = active.filter(function (e) { return !e.closest(".symbp-graph"); });
    unpick();
    mark([key], [key], table, "active", active);
    picked = element;
    picked.classList.add("picked");
    if (pickText) { pickText.textContent = element.getAttribute("data-symbp-say"); }
    var home = tabs.filter(function (tab) {
      return tab.getAttribute("data-symbp-tab") === "picture";
    })[0];
    // no picture of it (none drawn): the view stays, the sentence says what it is
    if (!home || !(table[key] || []).length) { revealActive(); return; }
    select(home, false);
    // the focus goes to the picture (the cell it was on is hidden): the arrows step again
    var view = root.querySelector('[data-symbp-view="picture"]');
    if (view && view.focus) { view.focus({ preventScroll: true }); }
  }
  root.querySelectorAll("[data-symbp-say]").forEach(function (element) {
    element.addEventListener("click", function () { choose(element); });
    element.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") { return; }
      event.preventDefault();
      event.stopPropagation();
      choose(element);
    });
  });

  // BP4's grids are one tab stop each (WAI-ARIA's grid pattern): the arrow keys, Home and
  // End move between its cells, so a 120-weight network is not 120 presses of Tab
  root.querySelectorAll('table[role="grid"]').forEach(function (grid) {
    var rows = Array.prototype.slice.call(grid.querySelectorAll("tbody tr"))
      .map(function (row) {
        return Array.prototype.slice.call(row.querySelectorAll("td[data-symbp-say]"));
      })
      .filter(function (cells) { return cells.length; });
    rows.forEach(function (cells, r) {
      cells.forEach(function (cell, c) {
        cell.addEventListener("keydown", function (event) {
          var to = { ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], ArrowUp: [r - 1, c],
                     ArrowDown: [r + 1, c], Home: [r, 0], End: [r, cells.length - 1] };
          if (!(event.key in to) || event.altKey || event.ctrlKey || event.metaKey) { return; }
          event.preventDefault();
          event.stopPropagation();  // the arrows move in the grid, not the steps
          var row = rows[Math.max(0, Math.min(rows.length - 1, to[event.key][0]))];
          row[Math.max(0, Math.min(row.length - 1, to[event.key][1]))].focus();
        });
        cell.addEventListener("focus", function () {  // Tab comes back to the last cell
          rows.forEach(function (each) {
            each.forEach(function (other) { other.tabIndex = other === cell ? 0 : -1; });
          });
        });
      });
    });
  });

  buttons.first.addEventListener("click", function () { show(0); });
  buttons.previous.addEventListener("click", function () { show(current - 1); });
  buttons.next.addEventListener("click", function () { show(current + 1); });
  buttons.last.addEventListener("click", function () { show(total - 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10) - 1); });

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                   target.tagName === "SELECT" || target.isContentEditable)) { return; }
    var moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: total - 1 };
    if (!(event.key in moves)) { return; }
    event.preventDefault();
    show(moves[event.key]);
  }
  function mine(event) {
    // a key belongs to the stepper it was pressed in, or to the only one on the page
    var inside = event.target && event.target.closest ?
      event.target.closest('[data-symbp="stepper"]') : null;
    if (inside) { return inside === root; }
    return document.querySelectorAll('[data-symbp="stepper"]').length === 1;
  }
  root.tabIndex = 0;
  document.addEventListener("keydown", function (event) { if (mine(event)) { onKey(event); } });
  if (ownsHash) {
    window.addEventListener("hashchange", function () {
      var k = fromHash();
      if (k !== null) { show(k); }
    });
  }
  var start = ownsHash ? fromHash() : null;
  show(start === null ? 0 : start);
})();
