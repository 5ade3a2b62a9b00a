// Keyboard triage on the board: j/k move between cards, h/l between columns, single keys act on the
// focused card. Every action is a real button or link in the card, so this file only moves focus and clicks.
(function () {
  "use strict";

  var lastFocusedId = null;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("#board .lead-card"));
  }

  function currentCard() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".lead-card") : null;
  }

  function focusCard(card) {
    if (!card) return;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function moveBy(step) {
    var all = cards();
    if (!all.length) return;
    var index = all.indexOf(currentCard());
    var next = index === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    focusCard(all[next]);
  }

  function moveColumn(step) {
    var columns = Array.prototype.slice.call(document.querySelectorAll("#board .column"));
    var card = currentCard();
    var index = card ? columns.indexOf(card.closest(".column")) : -1;
    for (var i = index + step; i >= 0 && i < columns.length; i += step) {
      var first = columns[i].querySelector(".lead-card");
      if (first) return focusCard(first);
    }
  }

  function click(card, selector) {
    var target = card && card.querySelector(selector);
    if (target) target.click();
    return Boolean(target);
  }

  function openMenu(card, focusSelector) {
    var menu = card && card.querySelector(".card-menu");
    if (!menu) return;
    menu.open = true;
    if (!focusSelector) return;
    var tryFocus = function () {
      var field = menu.querySelector(focusSelector);
      if (field) field.focus();
      return Boolean(field);
    };
    if (!tryFocus()) {
      // The menu body is fetched when the menu opens; focus the field once it has arrived.
      menu.addEventListener("htmx:afterSettle", tryFocus, { once: true });
    }
  }

  function isTyping(event) {
    var element = event.target;
    if (!element || !element.tagName) return false;
    var tag = element.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || element.isContentEditable;
  }

  function toggleHelp() {
    var dialog = document.getElementById("keys-help");
    if (!dialog) return;
    if (dialog.open) dialog.close();
    else dialog.showModal();
  }

  function updateBulkCount() {
    var label = document.querySelector("[data-bulk-count]");
    if (!label) return;
    var count = document.querySelectorAll('#board input[name="lead"]:checked').length;
    label.textContent = count ? count + " selected" : "Select cards to act on several at once.";
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event)) return;
    var card = currentCard();
    var handled = true;
    switch (event.key) {
      case "j": moveBy(1); break;
      case "k": moveBy(-1); break;
      case "l": moveColumn(1); break;
      case "h": moveColumn(-1); break;
      case "?": toggleHelp(); break;
      case "/": var search = document.getElementById("id_q"); if (search) search.focus(); break;
      case "Enter":
        if (card && event.target === card) click(card, ".card-title");
        else handled = false;
        break;
      case "c": handled = click(card, '[data-key="c"]'); break;
      case "r": handled = click(card, '[data-key="r"]'); break;
      case "x": openMenu(card, 'input[name="reason"]'); break;
      case "m": openMenu(card, "button, select"); break;
      case "s": handled = click(card, ".card-select"); break;
      case "Escape":
        var open = document.querySelector(".card-menu[open]");
        if (open) { open.open = false; focusCard(open.closest(".lead-card")); } else handled = false;
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".lead-card");
    if (card) lastFocusedId = card.id;
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches('#board input[name="lead"]')) updateBulkCount();
  });

  // A card replaced by htmx (an action, or its check finishing) keeps the keyboard focus.
  document.addEventListener("htmx:afterSettle", function () {
    updateBulkCount();
    if (!lastFocusedId) return;
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var again = document.getElementById(lastFocusedId);
    if (again) again.focus({ preventScroll: true });
  });

  // The board scrolls sideways, which would clip a menu hanging out of its card: an open card menu is
  // placed in the viewport instead, below its button (or above it near the bottom), and closes on scroll.
  function placeMenu(menu) {
    var body = menu.querySelector(".menu-body");
    var button = menu.querySelector("summary");
    if (!body || !button) return;
    var box = button.getBoundingClientRect();
    var width = Math.min(260, window.innerWidth - 16);
    var left = Math.max(8, Math.min(box.right - width, window.innerWidth - width - 8));
    var height = body.offsetHeight;
    var top = box.bottom + 4;
    if (top + height > window.innerHeight - 8 && box.top - height - 4 > 8) top = box.top - height - 4;
    body.style.left = left + "px";
    body.style.top = top + "px";
    body.style.width = width + "px";
  }

  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (menu.matches && menu.matches("#board .card-menu") && menu.open) placeMenu(menu);
  }, true);

  document.addEventListener("htmx:afterSettle", function (event) {
    var menu = event.target.closest && event.target.closest("#board .card-menu[open]");
    if (menu) placeMenu(menu);
  });

  function closeBoardMenus() {
    document.querySelectorAll("#board .card-menu[open]").forEach(function (menu) { menu.open = false; });
  }
  window.addEventListener("scroll", closeBoardMenus, { passive: true });
  document.addEventListener("scroll", function (event) {
    if (event.target && event.target.id === "board") closeBoardMenus();
  }, { capture: true, passive: true });
  window.addEventListener("resize", closeBoardMenus);

  // A card that is gone for this rep (claimed by someone else, reassigned) answers 404: drop it from the
  // board, which also stops its polling, and say why.
  document.addEventListener("htmx:responseError", function (event) {
    var source = event.detail.elt;
    var gone = source && source.closest && source.closest("#board .lead-card");
    if (!gone || event.detail.xhr.status !== 404) return;
    gone.remove();
    var toasts = document.getElementById("toasts");
    if (!toasts) return;
    var toast = document.createElement("div");
    toast.className = "toast";
    toast.setAttribute("role", "status");
    toast.textContent = "That lead is no longer on your board.";
    toasts.appendChild(toast);
  });

  // Filters live in the URL: leave out the empty ones so a bookmarked view reads "?country=DE&tier=A".
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (event.detail.verb !== "get" || !source || !source.closest) return;
    if (!source.closest("#filters") && source.id !== "board") return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      if (params[name] === "") delete params[name];
    });
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-help-open]");
    if (opener) toggleHelp();
    // One open card menu at a time.
    var summary = event.target.closest && event.target.closest(".card-menu > summary");
    document.querySelectorAll(".card-menu[open]").forEach(function (menu) {
      if (!summary || menu !== summary.parentElement) {
        if (!menu.contains(event.target)) menu.open = false;
      }
    });
  });
})();
