// The agent console's only script besides htmx: a lapsed sign-in sends the browser to /login,
// and a hand-off opened from the queue takes the keyboard focus.
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
