// Keyboard focus across htmx's in-place updates. When a swap replaces or
// removes the element that had focus (Save, Cancel, Delete), focus would drop
// to the top of the page; put it on the item that took its place, or on the
// list's heading when the item is gone. A focused element that survives is
// left alone (htmx restores focus by id, and focuses [autofocus]). htmx sends
// afterRequest, once the swap is done, from the closest element still in the
// page when the one that asked was swapped out.
document.addEventListener("htmx:afterRequest", function (event) {
  if (document.activeElement && document.activeElement !== document.body) {
    return;
  }
  var target = event.detail.target;
  var place = target && (target.isConnected ? target : target.id && document.getElementById(target.id));
  if (!place) {
    place = document.getElementById("list-heading");
  }
  if (!place) {
    return;
  }
  var focusable = place.matches("input, a[href], button, textarea, select")
    ? place
    : place.querySelector("input:not([type=hidden]), a[href], button, textarea, select");
  (focusable || place).focus();
});

// The profile's time zone, while the account still has the default: preset
// to the browser's own, for the person to save (nothing is sent until then).
(function () {
  var select = document.querySelector("select[data-browser-time-zone]");
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!select || !zone) {
    return;
  }
  var saved = select.value;
  select.value = zone;
  if (select.value !== zone) {
    select.value = saved; // a zone the list does not have
  }
})();

// Copy buttons (the profile's calendar feed address), shown only where they
// work: data-copy names the field whose value goes to the clipboard.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy"));
  var status = document.getElementById(button.getAttribute("data-copy") + "-copied");
  if (!field || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(
      function () {
        if (status) {
          status.textContent = "Copied.";
        }
      },
      function () {
        field.select(); // no permission: selected, for the person to copy
      }
    );
  });
});
