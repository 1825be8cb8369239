// The agent console's only script besides htmx: a lapsed sign-in sends the browser to /login,
// a hand-off opened from the queue takes the keyboard focus, and the queue's refresh waits
// while one of its buttons is held down.
"use strict";
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  if (status === 401) {
    var lang = document.documentElement.lang === "en" ? "&lang=en" : "";
    window.location.assign("/login?next=/agent&notice=expired" + lang);
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (target && target.id === "detail" && event.detail.requestConfig &&
      event.detail.requestConfig.verb === "get") {
    target.focus();
  }
});

// Each refresh of the queue swaps in new buttons. One that lands between the press of a button
// and its release takes the pressed button away, and the browser then sends no click: the
// agent's click is lost (28 of 100 clicks held for 100 ms against a 500-ms refresh). So a
// refresh that arrives while a button of the queue is held is skipped; the next one catches up.
// The hold ends after the release's own click has been dispatched.
var queueHeld = false;
function holdQueue(event) {
  queueHeld = Boolean(event.target.closest && event.target.closest("#queue"));
}
function releaseQueue() {
  window.setTimeout(function () { queueHeld = false; }, 0);
}
document.addEventListener("pointerdown", holdQueue, true);
document.addEventListener("keydown", holdQueue, true);  // Space clicks on its release
["pointerup", "pointercancel", "keyup"].forEach(function (name) {
  document.addEventListener(name, releaseQueue, true);
});
document.addEventListener("htmx:beforeSwap", function (event) {
  if (queueHeld && event.detail.target && event.detail.target.id === "queue") {
    event.detail.shouldSwap = false;
  }
});
