/* Autosave of a proposal's section form (proposals/_save.html, proposals/autosave.py).

   The form is posted, CSRF token included, to data-autosave-url when the applicant pauses
   typing for two seconds, leaves a field, or leaves the page; the live region
   [data-autosave-status] says what happened: "Saving…", "Saved at 10:42", "Not saved:
   <why>", "Offline: will retry". Without this script the Save button does the same job.

   A refusal the applicant must act on stops the autosave: the proposal is no longer a draft,
   or the session expired (the server kept the text; the link signs in and brings it back).
   Busy servers and lost connections are retried, more slowly each time. */
(function () {
  "use strict";
  var status = document.querySelector("[data-autosave-status]");
  var form = status && status.closest("form");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) { return; }

  var say = window.unscarMessage;  // messages.js: the reader's language
  var PAUSE_MS = 2000;          // typing pause before a save
  var SHOW_SAVING_MS = 400;     // "Saving…" only for a save that takes a while
  var RETRY_MS = [5000, 10000, 30000, 60000];
  var KEEPALIVE_MAX = 60000;    // browsers refuse larger keepalive bodies (64 KiB in all)

  var url = status.getAttribute("data-autosave-url");
  var edits = 0;                // counts changes; a save clears what it carried
  var savedEdits = 0;
  var sending = false;
  var stopped = false;          // a refusal to act on, or the form is being submitted
  var failures = 0;
  var pauseTimer = null;
  var retryTimer = null;
  var savingTimer = null;
  var again = false;            // a save was asked for while one was under way
  var keptAt = -1;              // edits already kept by the server after the session expired

  function dirty() { return edits !== savedEdits; }

  function show(state, text, link) {
    status.setAttribute("data-state", state);
    status.classList.toggle("text-danger-emphasis", state === "error" || state === "expired" || state === "offline");
    status.classList.toggle("text-body-secondary", state === "saving" || state === "saved");
    status.textContent = text;
    if (link) {
      status.appendChild(document.createTextNode(" "));
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      anchor.addEventListener("click", followLink);
      status.appendChild(anchor);
    }
  }

  function clock(iso) {
    var date = iso ? new Date(iso) : new Date();
    if (isNaN(date.getTime())) { date = new Date(); }
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // The link after an expired session: what was typed since the server kept the text goes
  // with the page's own form, which the server keeps the same way on its way to signing in.
  function followLink(event) {
    if (keptAt !== edits) {
      event.preventDefault();
      stopped = true;
      form.setAttribute("data-leaving", "");
      HTMLFormElement.prototype.submit.call(form);
    }
  }

  function schedule(delay) {
    window.clearTimeout(pauseTimer);
    pauseTimer = window.setTimeout(save, delay);
  }

  function changed() {
    edits += 1;
    if (!stopped) { schedule(PAUSE_MS); }
  }

  function retryLater(text) {
    var delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
    failures += 1;
    show(navigator.onLine === false ? "offline" : "error", text);
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(save, delay);
  }

  function save(leaving) {
    window.clearTimeout(pauseTimer);
    if (stopped || !dirty()) { return; }
    if (sending) { again = true; return; }  // right after the save under way
    window.clearTimeout(retryTimer);
    var carried = edits;
    again = false;
    var body = new URLSearchParams(new FormData(form)).toString();
    sending = true;
    window.clearTimeout(savingTimer);
    savingTimer = window.setTimeout(function () { show("saving", say("saving")); }, SHOW_SAVING_MS);
    var request = fetch(url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "error",
      keepalive: leaving === true && body.length < KEEPALIVE_MAX,
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "Accept": "application/json" }
    });
    request.then(function (response) {
      return response.json().then(function (answer) { return { status: response.status, answer: answer }; },
                                  function () { return { status: response.status, answer: {} }; });
    }).then(function (result) {
      sending = false;
      window.clearTimeout(savingTimer);
      answered(result.status, result.answer || {}, carried);
    }, function () {
      sending = false;
      window.clearTimeout(savingTimer);
      retryLater(navigator.onLine === false ? say("offline") : say("unreachable"));
    });
  }

  function answered(code, answer, carried) {
    if (code === 200) {
      failures = 0;
      savedEdits = carried;
      show("saved", say("saved_at", {time: clock(answer.saved_at)}));
      if (dirty()) { schedule(again ? 0 : PAUSE_MS); }
    } else if (code === 422) {
      failures = 0;
      savedEdits = carried;  // the same input would be refused again: wait for the next change
      show("error", say("not_saved", {reason: answer.detail || say("field_invalid")}) +
                    (answer.saved_at ? " " + say("rest_saved", {time: clock(answer.saved_at)}) : ""));
      if (dirty()) { schedule(PAUSE_MS); }  // typed on while it was sent
    } else if (code === 401 || (code === 403 && answer.link)) {
      stopped = true;
      keptAt = answer.kept ? carried : -1;
      show("expired", answer.detail || say("expired"), answer.link);
    } else if (code === 429 || code >= 500) {
      retryLater(say("busy"));
    } else {
      stopped = true;  // no longer a draft, or no longer this user's: saving again would not help
      show("error", say("not_saved", {reason: answer.detail || say("not_a_draft")}) + " " + say("reload"));
    }
  }

  // Text fires "input" per keystroke; boxes, lists and dates fire "change" too (counted twice: harmless).
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Rows added or removed (js/repeating-rows.js) change what the form sends; the live
  // region's own updates do not.
  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      if (records.some(function (record) { return !status.contains(record.target); })) { changed(); }
    }).observe(form, { childList: true, subtree: true });
  }
  // Leaving a field saves it, unless for one of the form's Save buttons, which save anyway.
  form.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (next && next.form === form && next.type === "submit") { return; }
    if (dirty()) { save(); }
  });
  form.addEventListener("submit", function () {
    stopped = true;
    form.setAttribute("data-leaving", "");
    window.clearTimeout(pauseTimer);
    window.clearTimeout(retryTimer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });
  window.addEventListener("online", function () { if (dirty() && !stopped) { failures = 0; save(); } });
  // Leaving while what was typed is neither saved nor kept: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    var state = status.getAttribute("data-state");
    var unsaved = dirty() && (state === "offline" || state === "error" || (stopped && keptAt !== edits));
    if (unsaved && !form.hasAttribute("data-leaving")) { event.preventDefault(); event.returnValue = ""; }
  });

  // The page shows what was kept when the session expired (stash.py): typed, not saved.
  if (status.hasAttribute("data-autosave-restored")) {
    edits += 1;
    show("restored", say("restored"));
  }
})();
