// The loader's queue, retry and trigger logic, run in Node against a scripted page: a clock that
// moves only when a test says, a localStorage that survives "page loads", and a collector whose
// answers each test chooses. The browser tests (tests/) run the minified loader in Chromium against
// a real collector; these pin down what a browser cannot show deterministically: the retry schedule,
// Retry-After, which version of an answer is kept, the 64 KiB page-hide budget and each trigger's
// threshold. Run with `node --test widget/loader/` (cargo test runs it: widget/tests/loader.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const WIDGET = '/assets/widget-test.js';
const source = readFileSync(new URL('./w.js', import.meta.url), 'utf8').replaceAll('__WIDGET_JS__', WIDGET);
// The one dynamic import is pointed at the scripted widget below.
assert.equal(source.split('import(').length, 2, 'the loader has one dynamic import');
const script = new vm.Script(source.replace('import(', 'widgetImport('), { filename: 'w.js' });

const COLLECTOR = 'https://collector.test';
const MINUTE = 60_000;

/** The browser's state that outlives a page: the clock, localStorage and the collector. */
class Browser {
  constructor() {
    this.now = Date.UTC(2026, 10, 25, 12);
    this.storage = new Map();
    this.timers = [];
    this.requests = [];
    // How the collector answers a POST: a status, or 'offline' for a network error.
    this.answer = () => 201;
    this.retryAfter = null;
    // What the collector's /triggers says: the browsing survey's triggers.
    this.triggers = triggers({});
  }

  /** Loads `path` with the snippet; `commands` are the page's cx(...) calls made before w.js ran. */
  async open(path, commands = []) {
    this.timers = [];
    const page = new Page(this, path, commands);
    await settle();
    return page;
  }

  /** Moves the clock on by `ms`, running the timers that fall due on the way. */
  async advance(ms) {
    const end = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.now = Math.max(this.now, next.at);
      next.fn(...next.args);
      await settle();
    }
    this.now = end;
    await settle();
  }

  posts() {
    return this.requests.filter((r) => r.method == 'POST');
  }

  /** The GETs of the site's public JSON, by what they asked for (`/triggers`, `/config`). */
  gets() {
    return this.requests.filter((r) => r.method == 'GET').map((r) => r.url.replace(COLLECTOR + '/v1/sites/demo', ''));
  }

  queued() {
    return [...this.storage.keys()].filter((k) => k.startsWith('cx:r:')).sort();
  }
}

/** One page view: its own window, document and listeners, sharing the browser's state. */
class Page {
  constructor(browser, path, commands) {
    this.browser = browser;
    this.listeners = {};
    this.shown = [];
    const storage = browser.storage;
    const localStorage = {
      getItem: (k) => (storage.has(k) ? storage.get(k) : null),
      setItem: (k, v) => void storage.set(k, String(v)),
      removeItem: (k) => void storage.delete(k),
      key: (i) => [...storage.keys()][i] ?? null,
      get length() {
        return storage.size;
      },
    };
    const listen = (target) => (name, fn) => {
      (this.listeners[target + name] = this.listeners[target + name] || []).push(fn);
    };
    const clock = class extends Date {
      static now() {
        return browser.now;
      }
    };
    const window = {
      Date: clock,
      URL,
      Promise,
      localStorage,
      location: { pathname: path },
      scrollY: 0,
      innerHeight: 800,
      addEventListener: listen('window:'),
      setTimeout: (fn, ms, ...args) => void browser.timers.push({ at: browser.now + (ms || 0), fn, args }),
      fetch: (url, init = {}) => {
        browser.requests.push({ url, method: init.method || 'GET', body: init.body, keepalive: init.keepalive });
        if (url.endsWith('/triggers')) return Promise.resolve({ json: () => Promise.resolve(browser.triggers) });
        if (url.endsWith('/config')) return Promise.resolve({ json: () => Promise.resolve({ site: 'demo' }) });
        const status = browser.answer(init.body);
        if (status == 'offline') return Promise.reject(new TypeError('Failed to fetch'));
        const retryAfter = browser.retryAfter;
        return Promise.resolve({ status, headers: { get: (h) => (h == 'Retry-After' ? retryAfter : null) } });
      },
      // The widget: records each show and hands back the loader's deliver function.
      widgetImport: (url) => {
        assert.equal(url, COLLECTOR + WIDGET);
        return Promise.resolve({
          show: (base, site, config, stage, context, locale, trigger, forced, deliver, emit) => {
            this.deliver = deliver;
            this.emit = emit;
            this.shown.push({ stage, context, locale, trigger, forced });
            return true;
          },
        });
      },
      document: {
        currentScript: { src: COLLECTOR + '/w.js', getAttribute: (a) => (a == 'data-site' ? 'demo' : null) },
        baseURI: 'https://shop.test' + path,
        documentElement: { scrollHeight: 4000 },
        addEventListener: listen('document:'),
      },
    };
    window.window = window;
    // The snippet's queue, as its inline script leaves it.
    window.cx = Object.assign(() => {}, { q: commands });
    this.window = window;
    script.runInNewContext(window);
  }

  /** Dispatches `name` (`window:scroll`, `document:mouseout`, ...) with `event`. */
  async fire(name, event = {}) {
    (this.listeners[name] || []).forEach((fn) => fn(event));
    await settle();
  }

  async scrollTo(y) {
    this.window.scrollY = y;
    await this.fire('window:scroll');
  }
}

/** Lets the promises started so far run to completion. */
async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The collector's /triggers with the given ones on (all off is a site without a browsing survey). */
function triggers(on) {
  return { page_views: 0, seconds_on_site: 0, scroll_percent: 0, exit_intent: false, checkout_paths: ['/cart'], ...on };
}

async function checkoutPage(browser) {
  const page = await browser.open('/thanks', [['stage', 'checkout', { order: '1042' }]]);
  assert.equal(page.shown.length, 1);
  return page;
}

test('an answer is kept until the collector acknowledges it, then forgotten', async () => {
  const browser = new Browser();
  const page = await checkoutPage(browser);
  browser.answer = () => {
    assert.deepEqual(browser.queued(), ['cx:r:1'], 'stored before it is sent');
    return 201;
  };
  page.deliver('cx:r:1', '{"score":9}');
  await settle();
  const [post] = browser.posts();
  assert.equal(post.url, COLLECTOR + '/v1/responses');
  assert.equal(post.body, '{"score":9}');
  assert.equal(post.keepalive, true);
  assert.deepEqual(browser.queued(), []);
});

test('5xx and network errors are retried with a doubling delay, capped at a minute', async () => {
  const browser = new Browser();
  const page = await checkoutPage(browser);
  browser.answer = () => (browser.posts().length % 2 ? 503 : 'offline');
  page.deliver('cx:r:1', 'body');
  await settle();
  const sentAt = [browser.now];
  const start = browser.now;
  for (let i = 0; i < 9; i++) {
    const before = browser.posts().length;
    // Step a second at a time, so each retry's moment is seen to the second.
    while (browser.posts().length == before) await browser.advance(1000);
    sentAt.push(browser.now);
  }
  const gaps = sentAt.slice(1).map((t, i) => (t - sentAt[i]) / 1000);
  assert.deepEqual(gaps, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
  assert.ok(browser.now - start < 5 * MINUTE);
  assert.deepEqual(browser.queued(), ['cx:r:1'], 'still kept while it is not acknowledged');
  browser.answer = () => 201;
  await browser.advance(MINUTE);
  assert.deepEqual(browser.queued(), []);
  assert.equal(browser.timers.length, 0, 'no retry after the acknowledgement');
});

test('429 is retried no sooner than Retry-After says', async () => {
  const browser = new Browser();
  const page = await checkoutPage(browser);
  browser.answer = () => (browser.posts().length == 1 ? 429 : 201);
  browser.retryAfter = '30';
  page.deliver('cx:r:1', 'body');
  await settle();
  await browser.advance(29_000);
  assert.equal(browser.posts().length, 1, 'not retried before 30 s');
  await browser.advance(1_000);
  assert.equal(browser.posts().length, 2);
  assert.deepEqual(browser.queued(), []);
});

test('a 4xx is final: the answer is dropped, not retried', async () => {
  const browser = new Browser();
  const page = await checkoutPage(browser);
  browser.answer = () => 422;
  page.deliver('cx:r:1', 'body');
  await browser.advance(10 * MINUTE);
  assert.equal(browser.posts().length, 1);
  assert.deepEqual(browser.queued(), []);
});

test('a newer version of an answer replaces a pending retry of the older one', async () => {
  const browser = new Browser();
  const page = await checkoutPage(browser);
  browser.answer = (body) => (body == 'score' ? 503 : 201);
  page.deliver('cx:r:1', 'score');
  await settle();
  // The comment arrives while the score waits for its retry: the collector acknowledges it.
  browser.answer = (body) => (body == 'score and comment' ? 503 : 201);
  page.deliver('cx:r:1', 'score and comment');
  await settle();
  assert.equal(browser.storage.get('cx:r:1'), 'score and comment');
  // The score's retry finds a newer version stored and stands down; the newer one is retried.
  browser.answer = () => 201;
  await browser.advance(MINUTE);
  assert.deepEqual(
    browser.posts().map((p) => p.body),
    ['score', 'score and comment', 'score and comment'],
  );
  assert.deepEqual(browser.queued(), []);
});

test('an acknowledgement of an older version does not drop the newer one', async () => {
  const browser = new Browser();
  const page = await checkoutPage(browser);
  let acknowledge;
  browser.answer = () => 201;
  // The first send is slow: the newer version is stored before the collector answers the first.
  const fetch = page.window.fetch;
  page.window.fetch = (url, init) => {
    if (init.body != 'score') return fetch(url, init);
    browser.requests.push({ url, method: 'POST', body: init.body });
    return new Promise((resolve) => {
      acknowledge = () => resolve({ status: 201, headers: { get: () => null } });
    });
  };
  page.deliver('cx:r:1', 'score');
  browser.answer = () => 'offline';
  page.deliver('cx:r:1', 'score and comment');
  await settle();
  acknowledge();
  await settle();
  assert.equal(browser.storage.get('cx:r:1'), 'score and comment', 'the newer version is kept');
});

test('the next page load sends what an earlier page could not', async () => {
  const browser = new Browser();
  browser.storage.set('cx:r:1', 'first');
  browser.storage.set('cx:r:2', 'second');
  browser.storage.set('cx:h', '{"answered":{}}');
  await browser.open('/');
  assert.deepEqual(browser.posts().map((p) => p.body).sort(), ['first', 'second']);
  assert.deepEqual(browser.queued(), []);
  assert.ok(browser.storage.has('cx:h'), 'other keys are left alone');
});

test('leaving the page flushes pending answers with keepalive, within 64 KiB', async () => {
  const browser = new Browser();
  browser.answer = () => 'offline';
  const page = await browser.open('/');
  const big = 'x'.repeat(30_000);
  for (const key of ['cx:r:a', 'cx:r:b', 'cx:r:c']) browser.storage.set(key, big);
  browser.requests = [];
  await page.fire('window:pagehide');
  const sent = browser.posts();
  assert.equal(sent.length, 2, 'two of 30 KB fit in the budget, the third waits for the next page');
  assert.ok(sent.every((p) => p.keepalive));
  assert.deepEqual(browser.queued(), ['cx:r:a', 'cx:r:b', 'cx:r:c'], 'nothing dropped while offline');
});

test('the browsing survey is due on the Nth page view of a visit, and a visit ends after 30 idle minutes', async () => {
  const browser = new Browser();
  browser.triggers = triggers({ page_views: 3 });
  let page = await browser.open('/');
  assert.deepEqual(page.shown, []);
  await browser.advance(MINUTE);
  page = await browser.open('/kettle');
  assert.deepEqual(page.shown, []);
  // Half an hour idle: the third view starts a new visit.
  await browser.advance(31 * MINUTE);
  page = await browser.open('/teapot');
  assert.deepEqual(page.shown, []);
  page = await browser.open('/mugs');
  assert.deepEqual(page.shown, []);
  page = await browser.open('/spoons');
  assert.deepEqual(page.shown.map((s) => [s.stage, s.trigger]), [['browsing', 'page_views']]);
});

test('seconds on site count from the first page of the visit', async () => {
  const browser = new Browser();
  browser.triggers = triggers({ seconds_on_site: 60 });
  await browser.open('/');
  await browser.advance(40_000);
  const page = await browser.open('/kettle');
  await browser.advance(19_000);
  assert.deepEqual(page.shown, []);
  await browser.advance(1_000);
  assert.deepEqual(page.shown.map((s) => s.trigger), ['seconds_on_site']);
  await browser.advance(10 * MINUTE);
  assert.equal(page.shown.length, 1, 'due once');
});

test('scroll depth and exit intent are triggers, each only when switched on', async () => {
  const browser = new Browser();
  browser.triggers = triggers({ scroll_percent: 50 });
  let page = await browser.open('/');
  await page.scrollTo(1000);
  assert.deepEqual(page.shown, [], '1800 of 4000 px is under half');
  await page.fire('document:mouseout', { relatedTarget: null, clientY: 0 });
  assert.deepEqual(page.shown, [], 'exit intent is off');
  await page.scrollTo(1200);
  assert.deepEqual(page.shown.map((s) => s.trigger), ['scroll_percent']);

  browser.triggers = triggers({ exit_intent: true });
  page = await browser.open('/kettle');
  await page.fire('document:mouseout', { relatedTarget: {}, clientY: 0 });
  await page.fire('document:mouseout', { relatedTarget: null, clientY: 300 });
  assert.deepEqual(page.shown, [], 'moving onto an element or leaving sideways is not exit intent');
  await page.fire('document:mouseout', { relatedTarget: null, clientY: 0 });
  assert.deepEqual(page.shown.map((s) => s.trigger), ['exit_intent']);

  // On a phone: a fast flick back up.
  page = await browser.open('/teapot');
  await page.scrollTo(2000);
  await browser.advance(2000);
  await page.scrollTo(1700);
  assert.deepEqual(page.shown, [], 'a slow scroll up is reading, not leaving');
  await browser.advance(100);
  await page.scrollTo(1000);
  assert.deepEqual(page.shown.map((s) => s.trigger), ['exit_intent']);
});

test('never on a checkout page, nor on a page that marks another stage', async () => {
  const browser = new Browser();
  browser.triggers = triggers({ page_views: 1 });
  let page = await browser.open('/cart/summary');
  assert.deepEqual(page.shown, []);
  browser.requests = [];
  page = await browser.open('/thanks', [['stage', 'checkout', { order: '7' }]]);
  assert.deepEqual(page.shown.map((s) => s.stage), ['checkout']);
  assert.deepEqual(browser.gets(), ['/config'], 'a page that marks a stage does not read the triggers');
  page = await browser.open('/');
  assert.deepEqual(page.shown.map((s) => s.stage), ['browsing']);
});

test('a page where no survey is due fetches only the triggers; the config waits for a survey', async () => {
  const browser = new Browser();
  browser.triggers = triggers({ page_views: 2, seconds_on_site: 600, scroll_percent: 90, exit_intent: true });
  let page = await browser.open('/');
  await page.scrollTo(500);
  await browser.advance(MINUTE);
  assert.deepEqual(browser.gets(), ['/triggers']);
  assert.deepEqual(page.shown, []);
  browser.requests = [];
  page = await browser.open('/kettle');
  assert.deepEqual(browser.gets(), ['/triggers', '/config']);
  assert.deepEqual(page.shown.map((s) => s.trigger), ['page_views']);
});

test('while the widget says no browsing survey can be due, a page fetches nothing else', async () => {
  const browser = new Browser();
  browser.triggers = triggers({ page_views: 1 });
  browser.storage.set('cx:b', String(browser.now + 30 * MINUTE));
  let page = await browser.open('/');
  assert.deepEqual(browser.gets(), []);
  assert.deepEqual(page.shown, []);
  await browser.advance(31 * MINUTE);
  page = await browser.open('/');
  assert.deepEqual(browser.gets(), ['/triggers', '/config']);
  assert.deepEqual(page.shown.map((s) => s.stage), ['browsing']);
});

test('cx commands queued before the loader ran are run, and a throwing listener stops nothing', async () => {
  const browser = new Browser();
  const seen = [];
  const page = await browser.open('/thanks', [
    ['on', 'answer', () => { throw new Error("the store's bug"); }],
    ['on', 'answer', (detail) => seen.push(detail)],
    ['locale', 'pl'],
    ['show', 'delivery', { order: '9' }],
  ]);
  assert.deepEqual(page.shown, [{ stage: 'delivery', context: { order: '9' }, locale: 'pl', trigger: undefined, forced: true }]);
  page.emit('answer', { score: 3 });
  assert.deepEqual(seen, [{ score: 3 }]);
  assert.doesNotThrow(() => page.window.cx('no-such-command'));
  assert.doesNotThrow(() => page.window.cx('on', 'answer'));
  assert.doesNotThrow(() => page.emit('answer', {}), 'a listener that is not a function is skipped');
});
