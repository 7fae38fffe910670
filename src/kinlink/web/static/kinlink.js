// kinlink: keyboard shortcuts only. Every page works without this file.
// "/" puts the cursor in the search box (or opens the search page); Escape leaves a field.
// A link or button with data-shortcut="k" is followed or pressed with the key k (the
// review page: s same, d different, u unsure, n next pair, z undo the last decision).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                            target.tagName === "SELECT");
    if (event.key === "Escape" && typing) {
      target.blur();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "/") {
      var box = document.getElementById("q");
      event.preventDefault();
      if (box) {
        box.focus();
        box.select();
      } else if (document.querySelector("header nav a[href='/search']")) {
        window.location.assign("/search");
      }
      return;
    }
    if (event.key.length === 1 && /^[a-z]$/.test(event.key)) {
      var action = document.querySelector("[data-shortcut='" + event.key + "']");
      if (action) {
        event.preventDefault();
        action.click();
      }
    }
  });
}());
