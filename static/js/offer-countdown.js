// Optional: keep offer countdowns ("2 days 4 h left") ticking between page loads. The server's text stays the fallback.
(function () {
  function label(ms) {
    if (ms <= 0) return "expired";
    var minutes = Math.floor(ms / 60000), days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60);
    minutes = minutes % 60;
    if (days) return days + (days === 1 ? " day" : " days") + (hours ? " " + hours + " h" : "") + " left";
    if (hours) return hours + " h" + (minutes ? " " + minutes + " min" : "") + " left";
    return Math.max(minutes, 1) + " min left";
  }
  function tick() {
    document.querySelectorAll("[data-valid-until]").forEach(function (node) {
      var ms = Date.parse(node.getAttribute("data-valid-until")) - Date.now();
      var text = node.querySelector(".countdown-text");
      if (text && !isNaN(ms)) text.textContent = label(ms);
      node.classList.toggle("expired", ms <= 0);
      node.classList.toggle("ending", ms > 0 && ms < 86400000);
    });
  }
  setInterval(tick, 30000);
})();
