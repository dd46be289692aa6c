/* CX survey loader: the file the store's <script async src=".../w.js" data-site="..."> fetches.
 *
 * Written by hand and minified at build time because every store page pays for it (budget: 1 KB
 * brotli). It keeps the cx(...) command queue, resends answers an earlier page could not deliver,
 * and imports the Wasm widget only when a stage is marked, so a page without a survey fetches nothing
 * else. It must never throw into the store's page: every failure means "no survey".
 *
 * __WIDGET_JS__ and __WIDGET_WASM__ are replaced by build.rs with the content-hashed asset paths. */
(function (w, d) {
  try {
    var script = d.currentScript || d.querySelector('script[data-site][src*="/w.js"]');
    if (!script || w.cx && w.cx.loaded) return;
    var site = script.getAttribute('data-site');
    var base = new URL(script.src, d.baseURI).origin;
    var queue = (w.cx && w.cx.q) || [];
    var PREFIX = 'cx:r:';
    var store = {};
    var listeners = {};
    var widget;
    var locale;

    try {
      store = w.localStorage;
    } catch (e) {}

    // Keeps the response's latest JSON under `key` until the collector has it. Another send of the
    // same id may have replaced it meanwhile, so only the version that was acknowledged is removed,
    // and a replaced version is not retried. 5xx, 429 and network errors are temporary: the send is
    // retried on this page with a doubling delay (at least what Retry-After asks, at most a
    // minute), and the entry stays for the next page load to send if this one closes first.
    function current(key, body) {
      try {
        return store.getItem(key) == body;
      } catch (e) {
        return true;
      }
    }

    function retry(key, body, delay, after) {
      delay = Math.min(2 * (delay || 500), 60000);
      setTimeout(function () {
        if (current(key, body)) deliver(key, body, delay);
      }, Math.max(delay, 1000 * after || 0));
    }

    function deliver(key, body, delay) {
      try {
        store.setItem(key, body);
      } catch (e) {}
      fetch(base + '/v1/responses', {
        method: 'POST',
        body: body,
        keepalive: true,
        // text/plain keeps this a "simple" request: no CORS preflight round trip.
        headers: { 'Content-Type': 'text/plain' }
      }).then(function (r) {
        if (r.status < 500 && r.status != 429) {
          try {
            if (store.getItem(key) == body) store.removeItem(key);
          } catch (e) {}
        } else {
          retry(key, body, delay, +r.headers.get('Retry-After'));
        }
      }).catch(function () {
        retry(key, body, delay);
      });
    }

    function load() {
      return widget || (widget = Promise.all([
        import(base + '__WIDGET_JS__'),
        fetch(base + '/v1/sites/' + encodeURIComponent(site) + '/config').then(function (r) {
          if (!r.ok) throw r.status;
          return r.json();
        })
      ]).then(function (m) {
        return m[0].default({ module_or_path: base + '__WIDGET_WASM__' }).then(function () {
          return m;
        });
      }));
    }

    // The store's own listeners: cx('on', 'show' | 'answer' | 'dismiss', fn). One that throws must
    // not stop the others, nor reach the widget.
    function emit(name, detail) {
      (listeners[name] || []).forEach(function (fn) {
        try {
          fn(detail);
        } catch (e) {}
      });
    }

    function run(name, a, b) {
      if (name == 'stage' || name == 'show') {
        load().then(function (m) {
          m[0].show(base, site, m[1], a, b || {}, locale, deliver, emit);
        }).catch(function () {});
      } else if (name == 'locale') {
        locale = a;
      } else if (name == 'on') {
        (listeners[a] = listeners[a] || []).push(b);
      }
    }

    w.cx = function () {
      try {
        run.apply(null, arguments);
      } catch (e) {}
    };
    w.cx.loaded = 1;

    try {
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (key.indexOf(PREFIX) == 0) deliver(key, store.getItem(key));
      }
    } catch (e) {}
    for (var j = 0; j < queue.length; j++) w.cx.apply(null, queue[j]);
  } catch (e) {}
})(window, document);
