(function () {
  "use strict";
  // The budget slider. Every figure comes from the data the page carries: the script only finds the
  // interval of budgets that holds the one chosen, and shows that interval's shortlist (given in full
  // at every data.every intervals and wherever its order changes, and in between as who went out and
  // who came in, at which place).
  var data = JSON.parse(document.getElementById("budget-data").textContent);
  var tool = document.getElementById("budget-tool");
  var slider = document.getElementById("budget");
  var amount = document.getElementById("budget-amount");
  var problem = document.getElementById("budget-problem");
  var shown = document.getElementById("budget-shown");
  var words = document.getElementById("budget-words");
  var left = document.getElementById("budget-left");
  var list = document.getElementById("budget-list");
  var pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

  function decimal(pence) {  // whole pence as an exact decimal string, for Intl to show
    var rest = String(pence % 100);
    return String((pence - pence % 100) / 100) + "." + (rest.length < 2 ? "0" + rest : rest);
  }

  function find(pence) {  // the interval that holds pence: the last that starts at or below it
    var low = 0, high = data.intervals.length - 1;
    while (low < high) {
      var mid = Math.ceil((low + high) / 2);
      if (data.intervals[mid].from <= pence) { low = mid; } else { high = mid - 1; }
    }
    return low;
  }

  function shortlistAt(at) {  // positions in data.projects, in the order the policy takes them
    var start = at;
    while (!data.intervals[start].shortlist) { start--; }
    var held = data.intervals[start].shortlist.slice();
    for (var i = start + 1; i <= at; i++) {
      (data.intervals[i].out || []).forEach(function (p) { held.splice(held.indexOf(p), 1); });
      (data.intervals[i].in || []).forEach(function (pair) { held.splice(pair[0], 0, pair[1]); });
    }
    return held;
  }

  function show(pence, label) {
    var at = find(pence);
    var iv = data.intervals[at];
    var shortlist = shortlistAt(at);
    shown.textContent = label;
    words.textContent = iv.words;
    left.textContent = pounds.format(decimal(pence - iv.allocated));
    list.replaceChildren();
    shortlist.forEach(function (at) {
      var p = data.projects[at];
      var amount = iv.offer && iv.offer[0] === at ? iv.offer[1] : p.amount;
      var item = document.createElement("li");
      var id = document.createElement("span");
      id.className = "id";
      id.textContent = p.id;
      item.append(id, ": " + p.title + " (" + amount + ")");
      list.append(item);
    });
    if (!shortlist.length) {
      var none = document.createElement("li");
      none.textContent = "no project";
      list.append(none);
    }
  }

  function fromSlider() {
    var i = Number(slider.value);
    slider.setAttribute("aria-valuetext", data.labels[i]);
    amount.value = decimal(data.stops[i]);
    amount.removeAttribute("aria-invalid");
    problem.textContent = "";
    show(data.stops[i], data.labels[i]);
  }

  function fromAmount() {
    var match = /^\s*£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?\s*$/.exec(amount.value);
    var pence = match ? Number(match[1].replace(/,/g, "")) * 100 + Number(match[2] || 0) : NaN;
    if (!match || pence > data.top) {
      amount.setAttribute("aria-invalid", "true");
      problem.textContent = "Give an amount from £0.00 to " + data.labels[data.labels.length - 1] +
        ", in pounds with no pence or with two decimals, such as 20000 or 20,000.50.";
      return;
    }
    amount.removeAttribute("aria-invalid");
    problem.textContent = "";
    var i = 0;
    while (i + 1 < data.stops.length && data.stops[i + 1] <= pence) { i++; }
    slider.value = String(i);
    slider.setAttribute("aria-valuetext", data.labels[i]);
    show(pence, pounds.format(decimal(pence)));
  }

  slider.addEventListener("input", fromSlider);
  amount.addEventListener("change", fromAmount);
  amount.addEventListener("keydown", function (event) { if (event.key === "Enter") { fromAmount(); } });
  tool.hidden = false;
}());
