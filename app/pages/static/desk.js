// The review desk's keys (a file of its own: the page's Content-Security-Policy forbids inline
// script). j and k move to the next and previous item of the queue, c confirms the item in
// view, r puts the cursor in its reason box (Enter then rejects). Every move is a plain form,
// so the desk works the same without this file.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
  if (!items.length) return;
  var at = -1;

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function current() {
    var here = document.activeElement && document.activeElement.closest(".queue-item");
    if (here) at = items.indexOf(here);
    return at >= 0 ? items[at] : null;
  }

  function go(to) {
    at = Math.max(0, Math.min(items.length - 1, to));
    items.forEach(function (item, i) { item.classList.toggle("current", i === at); });
    items[at].focus();
    items[at].scrollIntoView({ block: "start" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var item = current();
    if (event.key === "j") { go(at + 1); }
    else if (event.key === "k") { go(at < 0 ? 0 : at - 1); }
    else if (event.key === "c" && item) {
      var confirm = item.querySelector("button.confirm");
      if (confirm) confirm.click(); else return;
    } else if (event.key === "r" && item) {
      var reason = item.querySelector("input.reason");
      if (reason) reason.focus(); else return;
    } else { return; }
    event.preventDefault();
  });
})();
