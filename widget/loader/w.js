/* CX survey loader: the file the store's <script async src=".../w.js" data-site="..."> fetches.
 *
 * Written by hand and minified at build time because every store page pays for it (budget: 1 KB
 * brotli). It keeps the cx(...) command queue, resends answers an earlier page could not deliver,
 * watches the browsing triggers, and imports the Wasm widget only when a survey is due, so a page
 * without one fetches nothing else but the site's small list of triggers. It must never throw into
 * the store's page: every failure means "no survey".
 *
 * __WIDGET_JS__ is replaced by build.rs with the content-hashed path of the widget's module. */
(function (w, d) {
  try {
    // Set while a classic script (async included) first runs, in every browser that has wasm.
    var script = d.currentScript;
    if (!script || w.cx && w.cx.loaded) return;
    var site = script.getAttribute('data-site');
    var base = new URL(script.src, d.baseURI).origin;
    var queue = (w.cx && w.cx.q) || [];
    var PREFIX = 'cx:r:';
    var store = {};
    var listeners = {};
    var widget;
    var marked;
    var locale;

    try {
      store = w.localStorage;
    } catch (e) {}

    // Keeps the response's latest JSON under `key` until the collector has it. Another send of the
    // same id may have replaced it meanwhile, so only the version that was acknowledged is removed,
    // and a replaced version is not retried. 5xx, 429 and network errors are temporary: the send is
    // retried on this page with a doubling delay (at least what Retry-After asks, at most a
    // minute), and the entry stays for the next page load to send if this one closes first.
    function retry(key, body, delay, after) {
      delay = Math.min(2 * (delay || 500), 60000);
      setTimeout(function () {
        try {
          if (store.getItem(key) != body) return;
        } catch (e) {}
        deliver(key, body, delay);
      }, Math.max(delay, 1000 * after || 0));
    }

    function deliver(key, body, delay) {
      try {
        store.setItem(key, body);
      } catch (e) {}
      fetch(base + '/v1/responses', {
        method: 'POST',
        body: body,
        // A string body goes as text/plain, which keeps this a "simple" request: no CORS
        // preflight round trip.
        keepalive: true
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

    // The site's public JSON (`/config` for a survey to show, `/triggers` for the browsing
    // triggers), cached by the browser for a minute. An error body (unknown site) fails as an
    // unreadable config, announced to cx('on', 'skip').
    function get(what) {
      return fetch(base + '/v1/sites/' + site + what).then(function (r) {
        return r.json();
      });
    }

    function load() {
      // The widget's module instantiates its wasm before it resolves (build.rs adds that step).
      return widget || (widget = Promise.all([import(base + '__WIDGET_JS__'), get('/config')]));
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

    // `trigger` names the browsing trigger that fired; cx('show') forces past the etiquette.
    function run(name, a, b, trigger) {
      if (name == 'stage' || name == 'show') {
        // A page that marks a stage is not a browsing page.
        marked = marked || a != 'browsing';
        load().then(function (m) {
          m[0].show(base, site, m[1], a, b || {}, locale, trigger, name == 'show', deliver, emit);
        }).catch(function () {});
      } else if (name == 'locale') {
        locale = a;
      } else if (name == 'on') {
        (listeners[a] = listeners[a] || []).push(b);
      }
    }

    w.cx = function (...args) {
      try {
        run(...args);
      } catch (e) {}
    };
    w.cx.loaded = 1;

    // The visit, for the browsing triggers and the one-survey-per-visit rule: it ends after 30
    // minutes without a page view. Kept as "start,last,page views".
    var now = Date.now();
    var visit = [];
    var quiet;
    try {
      // The widget's note: no browsing survey can be due before then (see quiet_until). Until
      // then a page that marks no stage fetches nothing but this loader.
      quiet = store.getItem('cx:b') > now;
      visit = (store.getItem('cx:v') || '').split(',');
      if (!(now - visit[1] < 18e5)) visit = [now, 0, 0];
      visit[1] = now;
      visit[2]++;
      store.setItem('cx:v', visit.join());
    } catch (e) {}

    // Sends every queued response: on load (what an earlier page could not deliver), and when the
    // page is hidden (what is still waiting for a retry), within the browser's 64 KiB budget for
    // keepalive requests that outlive the page.
    function flush() {
      var budget = 65536;
      try {
        for (var i = 0; i < store.length; i++) {
          var key = store.key(i);
          var body = store.getItem(key);
          if (key.indexOf(PREFIX) == 0 && (budget -= body.length) > 0) deliver(key, body);
        }
      } catch (e) {}
    }
    addEventListener('pagehide', flush);
    flush();

    queue.forEach(function (args) {
      w.cx(...args);
    });

    // The browsing survey: the site's triggers (all off without a browsing question set) say
    // when; the widget and the full config are fetched only once one fires. Never on the site's
    // checkout pages, nor on a page that marks another stage (its cx calls ran just above).
    if (!quiet && !marked) get('/triggers').then(function (t) {
      var y = scrollY;
      var at = now;
      function due(why) {
        if (t && !marked) run('stage', 'browsing', {}, why);
        t = 0;
      }
      if (t.checkout_paths.some(function (p) { return location.pathname.indexOf(p) == 0; })) return;
      if (t.page_views && visit[2] >= t.page_views) due('page_views');
      if (t.seconds_on_site) setTimeout(due, t.seconds_on_site * 1e3 - now + (+visit[0] || now), 'seconds_on_site');
      addEventListener('scroll', function () {
        var n = Date.now();
        if (t.scroll_percent && (scrollY + innerHeight) * 100 >= d.documentElement.scrollHeight * t.scroll_percent) due('scroll_percent');
        // On a phone, a fast flick back up is the exit intent.
        if (t.exit_intent && y - scrollY > 2 * (n - at) && y - scrollY > 200) due('exit_intent');
        y = scrollY;
        at = n;
      }, { passive: true });
      d.addEventListener('mouseout', function (e) {
        if (t.exit_intent && !e.relatedTarget && e.clientY < 1) due('exit_intent');
      });
    }).catch(function () {});
  } catch (e) {}
})(window, document);
