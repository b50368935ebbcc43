// Claim page: pointing at a timeline mark highlights its evidence, pointing at a chain node its edges.
(function () {
  "use strict";
  function byMention(id) {
    return document.querySelectorAll('[data-mention="' + id + '"]');
  }
  function toggle(nodes, on) {
    nodes.forEach(function (n) { n.classList.toggle("newstrace-active", on); });
  }
  function setup() {
    document.querySelectorAll(".newstrace-mark, .newstrace-mention").forEach(function (el) {
      var id = el.getAttribute("data-mention");
      el.addEventListener("mouseenter", function () { toggle(byMention(id), true); });
      el.addEventListener("mouseleave", function () { toggle(byMention(id), false); });
    });
    var edges = Array.prototype.slice.call(document.querySelectorAll(".newstrace-edge"));
    document.querySelectorAll(".newstrace-node").forEach(function (node) {
      var name = node.getAttribute("data-name");
      var mine = edges.filter(function (e) {
        return e.getAttribute("data-source") === name || e.getAttribute("data-target") === name;
      });
      node.addEventListener("mouseenter", function () { toggle(mine.concat([node]), true); });
      node.addEventListener("mouseleave", function () { toggle(mine.concat([node]), false); });
    });
    var chart = document.querySelector(".newstrace-timeline");
    if (chart) {
      chart.setAttribute("data-ready", String(document.querySelectorAll(".newstrace-mark").length));
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
