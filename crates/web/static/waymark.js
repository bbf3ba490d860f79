// Waymark's one script. Every page works without it; with it:
// - before the session ends for want of use, a warning offers to stay
//   signed in, and typing keeps the session alive;
// - what is typed into a form is kept in this tab until the form is sent
//   and succeeds, so a form refused because the session ended can be put
//   back after signing in again. Kept only in this tab's session storage,
//   which the browser empties when the tab closes; signing out empties it.
(function () {
  'use strict';
  var body = document.body;
  var idle = parseInt(body.getAttribute('data-idle-seconds') || '0', 10);
  var WARN = 120;
  var KEEP = 'waymark-draft:';

  function keepAlive() {
    return fetch('/account/keep-alive', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok; })
      .catch(function () { return false; });
  }

  // The warning before the idle timeout.
  if (idle > WARN) {
    var timer = null;
    var lastPing = Date.now();
    var warning = document.getElementById('session-warning');
    var start = function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () {
        if (!warning) return;
        warning.hidden = false;
        var stay = warning.querySelector('button');
        if (stay) stay.focus();
      }, (idle - WARN) * 1000);
    };
    if (warning) {
      warning.querySelector('button').addEventListener('click', function () {
        keepAlive().then(function (ok) {
          warning.hidden = true;
          if (ok) { lastPing = Date.now(); start(); } else { window.location.reload(); }
        });
      });
    }
    // Typing counts as use: at most one request every five minutes.
    document.addEventListener('input', function () {
      if (Date.now() - lastPing > 300000) {
        lastPing = Date.now();
        keepAlive().then(function (ok) { if (ok) start(); });
      }
    });
    start();
  }

  // Drafts of forms that change something.
  var storage;
  try { storage = window.sessionStorage; } catch (e) { storage = null; }
  if (!storage) return;
  var done = /[?&]done=/.test(window.location.search);
  var skip = function (el) {
    return !el.name || el.type === 'hidden' || el.type === 'password' || el.type === 'submit';
  };
  var forms = Array.prototype.filter.call(document.querySelectorAll('form[method=post]'), function (f) {
    var action = f.getAttribute('action') || '';
    return action !== '/logout' && action.indexOf('/login') !== 0;
  });
  // A form sent from another page (the risk assessment form, say) leads to
  // a page without it: its draft goes once the change is done, and stays
  // when it was refused.
  var sent = storage.getItem(KEEP + ':sent');
  storage.removeItem(KEEP + ':sent');
  if (done && sent) storage.removeItem(sent);
  var restored = false;
  forms.forEach(function (form) {
    var key = KEEP + form.getAttribute('action');
    form.addEventListener('submit', function () { storage.setItem(KEEP + ':sent', key); });
    if (done) { storage.removeItem(key); return; }
    var saved = storage.getItem(key);
    if (saved) {
      try {
        var values = JSON.parse(saved);
        Array.prototype.forEach.call(form.elements, function (el) {
          if (skip(el) || !(el.name in values)) return;
          if (el.type === 'checkbox' || el.type === 'radio') {
            el.checked = values[el.name].indexOf(el.value) >= 0;
          } else if (el.value === '' || el.defaultValue === el.value) {
            if (el.value !== values[el.name][0]) restored = true;
            el.value = values[el.name][0];
          }
        });
      } catch (e) { storage.removeItem(key); }
    }
    var save = function () {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (skip(el)) return;
        if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) {
          values[el.name] = values[el.name] || [];
          return;
        }
        (values[el.name] = values[el.name] || []).push(el.value);
      });
      storage.setItem(key, JSON.stringify(values));
    };
    form.addEventListener('input', save);
    form.addEventListener('change', save);
  });
  if (restored) {
    var notice = document.getElementById('draft-restored');
    if (notice) { notice.setAttribute('role', 'status'); notice.hidden = false; }
  }
  var out = document.querySelector('form[action="/logout"]');
  if (out) {
    out.addEventListener('submit', function () {
      Object.keys(storage).forEach(function (k) { if (k.indexOf(KEEP) === 0) storage.removeItem(k); });
    });
  }
})();
