// Idle-session warning (docs/security.md): <body data-session-idle="seconds"> is the
// session's life without a request (SESSION_COOKIE_AGE); two minutes before it ends
// a notice says so. Any page load starts the count again. No inline script (CSP).
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body && body.getAttribute("data-session-idle"), 10);
  if (!seconds) {
    return;
  }
  var warnAfter = Math.max(seconds - 120, 0) * 1000;
  window.setTimeout(function () {
    var notice = document.createElement("p");
    notice.className = "session-warning";
    notice.setAttribute("role", "alert");
    notice.textContent = body.getAttribute("data-session-warning");
    var main = document.getElementById("main") || body;
    main.insertBefore(notice, main.firstChild);
  }, warnAfter);
})();
