/* A form sent back with errors puts the focus on the first field in error, so a keyboard or
   screen-reader user lands where the fix is, not at the top of a long page (WCAG 3.3.1, 2.4.3).
   A field in error is marked by the forms macro (aria-invalid, .is-invalid); a group of radio
   buttons or check boxes by the error under its fieldset. Nothing moves when no field is in error
   or when something already has the focus. */
(function () {
  "use strict";
  if (document.activeElement && document.activeElement !== document.body) { return; }
  var marker = document.querySelector('main [aria-invalid="true"], main .is-invalid, main .invalid-feedback');
  if (!marker) { return; }
  var field = marker.matches("input, select, textarea") ? marker
    : (marker.closest("fieldset") || marker.parentElement).querySelector(
        "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
  if (field) { field.focus(); }
})();
