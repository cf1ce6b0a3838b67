// ccdash page script. Pages are server-rendered and htmx's ws extension swaps the
// tiles; this only makes time visible: the clock, time in state and "updated N s ago"
// tick from data-* timestamps corrected by the server clock, sources age into
// "stale" without waiting for a message, and a banner shows when the live link is
// down. Built to run for weeks on a wall: one interval timer, listeners added once,
// nothing that grows.
(function () {
  'use strict';

  var body = document.body;
  var live = body.hasAttribute('ws-connect');
  // A page of the past (time travel) stands still at its moment.
  var frozen = Number(body.getAttribute('data-at')) || 0;
  var offset = 0; // server clock minus this clock, ms
  var connected = false;
  var downSince = Date.now();
  var retryTimer = 0;
  var retries = 0;
  var RELOAD_KEY = 'ccdash-auth-reload';
  // The ws extension reconnects by itself only after these close codes.
  var EXT_RETRIES = [1006, 1011, 1012, 1013];

  function readServerClock() {
    var el = document.getElementById('srv-clock');
    var t = el ? Number(el.getAttribute('data-now')) : 0;
    if (t > 0) offset = t - Date.now();
  }

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  function duration(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    if (s >= 3600) return Math.floor(s / 3600) + ':' + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60);
    return Math.floor(s / 60) + ':' + pad(s % 60);
  }

  function ago(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    if (s < 90) return 'updated ' + s + ' s ago';
    var m = Math.round(s / 60);
    if (m < 90) return 'updated ' + m + ' min ago';
    return 'updated ' + Math.floor(m / 60) + ' h ' + (m % 60) + ' min ago';
  }

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // localStamp is "20:14" today, "3 Nov 20:14" otherwise, in local time.
  function localStamp(t, today) {
    var hm = pad(t.getHours()) + ':' + pad(t.getMinutes());
    if (t.toDateString() === today.toDateString()) return hm;
    var day = t.getDate() + ' ' + MONTHS[t.getMonth()];
    if (t.getFullYear() !== today.getFullYear()) day += ' ' + t.getFullYear();
    return day + ' ' + hm;
  }

  // since is a person's "3 min ago".
  function since(ms) {
    var s = Math.round(ms / 1000);
    if (s < 45) return 'just now';
    var m = Math.round(s / 60);
    if (m < 60) return m + ' min ago';
    var h = Math.round(m / 60);
    if (h < 48) return h + ' h ago';
    return Math.round(h / 24) + ' days ago';
  }

  // Copy buttons (data-copy = the id of the element whose text they copy). The
  // clipboard API needs a secure context; elsewhere the text is selected and copied
  // the old way, and stays selected for Ctrl+C if even that is refused.
  function copied(btn, ok) {
    var label = btn.getAttribute('data-label') || btn.textContent;
    btn.setAttribute('data-label', label);
    btn.textContent = ok ? 'Copied' : 'Press Ctrl+C';
    btn.classList.toggle('done', ok);
    setTimeout(function () { btn.textContent = label; btn.classList.remove('done'); }, 2000);
  }

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  document.addEventListener('click', function (evt) {
    var btn = evt.target.closest ? evt.target.closest('button[data-copy]') : null;
    if (!btn) return;
    var src = document.getElementById(btn.getAttribute('data-copy'));
    if (!src) return;
    var text = src.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(btn, true); }, function () {
        selectText(src);
        copied(btn, false);
      });
      return;
    }
    selectText(src);
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    copied(btn, ok);
  });

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  function tick() {
    var now = frozen || Date.now() + offset;
    var d = new Date(now);
    var i, el, els;

    el = document.getElementById('clock');
    if (el) setText(el, pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()));

    els = document.querySelectorAll('[data-since]');
    for (i = 0; i < els.length; i++) {
      // data-atleast: the state began before ccdash first saw the agent.
      setText(els[i], (els[i].hasAttribute('data-atleast') ? '≥ ' : '') + duration(now - Number(els[i].getAttribute('data-since'))));
    }

    // Sources: age and staleness by age. stale collects " id " tokens. A source's
    // last success is on its dot, the part a poll swaps.
    var stale = ' ';
    els = document.querySelectorAll('[data-source]');
    for (i = 0; i < els.length; i++) {
      el = els[i];
      var dot = el.querySelector('[data-updated]');
      var updated = dot ? Number(dot.getAttribute('data-updated')) : 0;
      var after = Number(el.getAttribute('data-stale-after'));
      var old = updated > 0 && after > 0 && now - updated > after;
      el.classList.toggle('stale-age', old);
      if (old || el.classList.contains('failing') || !(updated > 0)) stale += el.getAttribute('data-source') + ' ';
      var age = el.querySelector('.age');
      if (age && updated > 0) setText(age, ago(now - updated));
    }
    // This replica's snapshot age (replicas sharing one poller).
    els = document.querySelectorAll('[data-received]');
    for (i = 0; i < els.length; i++) {
      var got = Number(els[i].getAttribute('data-received'));
      var rage = els[i].querySelector('.rage');
      if (rage && got > 0) setText(rage, 'received' + ago(now - got).slice(7));
    }
    // A tile is stale (badge) when any of its sources is, dimmed only when all are;
    // a tile mixing sources names the stale ones in its badge.
    els = document.querySelectorAll('[data-sources]');
    for (i = 0; i < els.length; i++) {
      el = els[i];
      var srcs = el.getAttribute('data-sources').split(' ').filter(Boolean);
      var names = srcs.filter(function (s) { return stale.indexOf(' ' + s + ' ') >= 0; });
      el.classList.toggle('stale-age', names.length > 0 && !el.classList.contains('stale'));
      el.classList.toggle('dim-age', srcs.length > 0 && names.length === srcs.length && !el.classList.contains('dim'));
      var sbn = el.querySelector('.sbn');
      if (sbn && srcs.length > 1 && names.length > 0) setText(sbn, names.join(', '));
    }
    // Rows and groups of one source (agents, account figures) dim on their own.
    els = document.querySelectorAll('[data-src]');
    for (i = 0; i < els.length; i++) {
      var src = els[i].getAttribute('data-src');
      els[i].classList.toggle('dim-age', src !== '' && stale.indexOf(' ' + src + ' ') >= 0);
    }

    // Agents past their state's time threshold: raise the level between polls.
    els = document.querySelectorAll('tr[data-warn-at]');
    for (i = 0; i < els.length; i++) {
      el = els[i];
      var lvl = now >= Number(el.getAttribute('data-crit-at')) ? 'crit' : now >= Number(el.getAttribute('data-warn-at')) ? 'warn' : '';
      el.classList.toggle('lvl-warn', lvl === 'warn');
      el.classList.toggle('lvl-crit', lvl === 'crit');
      var w = el.querySelector('.fw');
      if (w) setText(w, lvl === 'crit' ? '◆ CRIT' : lvl === 'warn' ? '▲ WARN' : '');
    }

    // Server-formatted times (stale since 10:42) shown in this screen's time zone.
    els = document.querySelectorAll('time[data-ts]');
    for (i = 0; i < els.length; i++) {
      var t = new Date(Number(els[i].getAttribute('data-ts')));
      setText(els[i], pad(t.getHours()) + ':' + pad(t.getMinutes()));
    }

    // Admin times ("20:14 · 3 min ago") in this screen's time zone, aging each tick.
    els = document.querySelectorAll('time[data-ago]');
    for (i = 0; i < els.length; i++) {
      var at = Number(els[i].getAttribute('data-ago'));
      if (at > 0) setText(els[i], localStamp(new Date(at), d) + ' · ' + since(now - at));
    }

    // The banner appears after a short grace period so a quick reconnect does not flash.
    if (live) {
      var banner = document.getElementById('conn');
      if (banner) banner.hidden = connected || Date.now() - downSince < 2000;
    }
  }

  function bannerText(text) {
    var banner = document.getElementById('conn');
    if (banner && banner.lastChild) banner.lastChild.nodeValue = text;
  }

  function onOpen() {
    connected = true;
    retries = 0;
    bannerText('Reconnecting…');
    tick();
  }

  // signInPage: this page rests on the session cookie, so signing in can fix a 4001.
  // Device and embed pages carry their credential in the socket URL instead, and an
  // embed's iframe could not show the sign-in page anyway.
  function signInPage() {
    var ws = body.getAttribute('ws-connect') || '';
    return !body.classList.contains('aud-embed') && !/[?&](device|token)=/.test(ws);
  }

  function onDown(evt) {
    if (connected) downSince = Date.now();
    connected = false;
    var code = evt.detail && evt.detail.event ? evt.detail.event.code : 0;
    if (code === 4001 && signInPage()) {
      // The session is missing or ended (expired, deleted, signed out elsewhere):
      // sign in and come back here. The server accepts only same-origin paths.
      location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
      return;
    }
    if (code === 4001 || code === 4003) {
      // Unlinked or unauthorized: retrying cannot help. Reload once so the server
      // can show why; never loop if it keeps refusing.
      var last = Number(sessionStorage.getItem(RELOAD_KEY) || 0);
      if (Date.now() - last > 5 * 60 * 1000) {
        sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
        location.reload();
      } else {
        bannerText('Disconnected — this screen is no longer authorized');
      }
      return;
    }
    if (evt.type === 'htmx:wsClose' && EXT_RETRIES.indexOf(code) < 0 && !retryTimer) {
      // A clean close the extension would not retry (1000, 1001, 1008…): a wall
      // must come back by itself, so retry with capped, jittered backoff.
      var wrapper = evt.detail.socketWrapper;
      var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(retries, 5))) * (0.5 + Math.random() / 2);
      retries++;
      retryTimer = setTimeout(function () {
        retryTimer = 0;
        if (!connected && wrapper && wrapper.reconnect) wrapper.reconnect();
      }, delay);
    }
    tick();
  }

  // A page whose layout changed on the server (a reloaded config, an edited board)
  // hears another srv-shell revision: it fetches itself and swaps its body in place,
  // so the socket on <body> stays open and a wall never blinks to a blank page.
  function shellOf(doc) {
    var el = doc.getElementById('srv-shell');
    return el ? el.getAttribute('data-rev') || '' : '';
  }
  var shellRev = shellOf(document);
  var refetching = false;
  // keep tells the live elements that stay across a swap (the connection banner, the
  // server clock, the sound button alerts.js added).
  function keep(el) {
    return el.id === 'conn' || el.id === 'srv-clock' || el.classList.contains('sound-enable');
  }
  function swapPage(doc) {
    document.title = doc.title;
    // Stylesheets both pages use stay as they are (removing and re-adding them would
    // show the page unstyled for a frame); only a board's own sheet comes or goes.
    var i;
    var want = {};
    var links = doc.head.querySelectorAll('link[rel="stylesheet"]');
    for (i = 0; i < links.length; i++) want[links[i].getAttribute('href')] = links[i];
    var old = document.head.querySelectorAll('link[rel="stylesheet"]');
    for (i = 0; i < old.length; i++) {
      var href = old[i].getAttribute('href');
      if (want[href]) delete want[href];
      else old[i].remove();
    }
    Object.keys(want).forEach(function (h) { document.head.appendChild(document.importNode(want[h], true)); });
    ['class', 'data-size'].forEach(function (a) {
      if (doc.body.hasAttribute(a)) body.setAttribute(a, doc.body.getAttribute(a));
      else body.removeAttribute(a);
    });
    var kids = Array.prototype.slice.call(body.children);
    for (i = 0; i < kids.length; i++) if (!keep(kids[i])) kids[i].remove();
    var fresh = Array.prototype.slice.call(doc.body.children);
    for (i = 0; i < fresh.length; i++) {
      if (keep(fresh[i])) continue;
      var el = document.importNode(fresh[i], true);
      body.appendChild(el);
      if (window.htmx) window.htmx.process(el);
    }
  }
  // switchNow: the server moved this one screen to another board (a playlist's turn,
  // a rebind): its message carries the new board's tiles, which must not land in
  // the old layout, so it is dropped and the page fetched at once, without the
  // spread a change on every screen gets.
  var switchNow = false;
  // Messages that arrive while the page fetches itself are also kept (pending) and
  // replayed, in order, onto the swapped-in page: the fetched page was rendered
  // before some of them were sent, and without the replay their tiles would stay
  // old until they next change. Replaying one the page already shows is harmless:
  // a replace or delete by id lands the same, a list insertion first removes the
  // row it brings (htmx:oobBeforeSwap), and the last message wins, as live. The
  // queue is bounded: past PENDING_MAX (or after a switch) the page is simply fetched
  // again.
  var PENDING_MAX = 64;
  var pending = [];
  var refetchAgain = false;
  var replaying = false;
  var socket = null;
  if (window.htmx && window.htmx.createWebSocket) {
    var makeSocket = window.htmx.createWebSocket;
    window.htmx.createWebSocket = function (url) { socket = makeSocket(url); return socket; };
  }
  function replayPending() {
    var msgs = pending;
    pending = [];
    if (!socket || refetchAgain) return;
    replaying = true;
    try {
      for (var i = 0; i < msgs.length; i++) socket.dispatchEvent(new MessageEvent('message', { data: msgs[i] }));
    } finally {
      replaying = false;
    }
  }
  body.addEventListener('htmx:wsBeforeMessage', function (evt) {
    if (replaying) return;
    var msg = evt.detail.message || '';
    var moved = /id="srv-ctl" data-cmd="switch"/.test(msg);
    if (refetching) {
      // After a switch the page being fetched is another board's: fetch again.
      if (pending.length < PENDING_MAX && !moved) pending.push(msg);
      else refetchAgain = true;
    }
    if (!moved) return;
    evt.preventDefault();
    switchNow = true;
    checkShell();
  });
  function checkShell() {
    var rev = shellOf(document);
    if (refetching || !switchNow && (!rev || rev === shellRev)) return;
    refetching = true;
    pending = [];
    refetchAgain = false;
    var now = switchNow;
    switchNow = false;
    // Every screen hears a layout change at once: spread their fetches over two seconds.
    new Promise(function (done) { setTimeout(done, now ? 0 : Math.random() * 2000); }).then(function () {
      return fetch(location.href, { credentials: 'same-origin', cache: 'no-store' });
    }).then(function (r) {
      if (!r.ok) throw new Error('page answered ' + r.status);
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      swapPage(doc);
      shellRev = shellOf(doc);
      replayPending();
      switchNow = switchNow || refetchAgain; // too much came meanwhile: fetch again
    }, function () {
      // Leave the page as it is; the next layout change tries again.
      shellRev = rev || shellRev;
    }).then(function () {
      pending = [];
      refetching = false;
      checkShell(); // a message may have brought a newer revision meanwhile
      tick();
    });
  }

  // Control messages for this screen alone (/admin/screens): srv-ctl is replaced by
  // one with a new data-seq; act once per seq. identify shows the screen's name large
  // for 10 s; reload reloads the page.
  var ctlSeq = '';
  var identifyTimer = 0;
  function identify(name) {
    var el = document.getElementById('identify');
    if (!el) {
      el = document.createElement('div');
      el.id = 'identify';
      el.className = 'identify';
      el.setAttribute('role', 'status');
      el.setAttribute('data-testid', 'identify');
      body.appendChild(el);
    }
    el.textContent = name;
    clearTimeout(identifyTimer);
    identifyTimer = setTimeout(function () { el.remove(); }, 10000);
  }
  function checkControl() {
    var el = document.getElementById('srv-ctl');
    var seq = el ? el.getAttribute('data-seq') || '' : '';
    if (!seq || seq === ctlSeq) return;
    ctlSeq = seq;
    var cmd = el.getAttribute('data-cmd');
    if (cmd === 'reload') location.reload();
    else if (cmd === 'identify') identify(el.getAttribute('data-name') || '');
  }

  body.addEventListener('htmx:wsOpen', onOpen);
  body.addEventListener('htmx:wsClose', onDown);
  body.addEventListener('htmx:wsError', onDown);
  // Table parts (agent rows) travel inside a <template> of their own: a bare <tr>
  // does not survive htmx parsing a message outside a table. Unwrap it before htmx
  // swaps it in (its fragment: the template itself when inserting, a fragment
  // holding it when replacing).
  body.addEventListener('htmx:oobBeforeSwap', function (evt) {
    var f = evt.detail.fragment;
    if (!f) return;
    if (f.tagName === 'TEMPLATE') {
      // A row inserted again (a replayed message) moves rather than doubles.
      Array.prototype.forEach.call(f.content.children, function (row) {
        var had = row.id && document.getElementById(row.id);
        if (had && had !== evt.detail.target) had.remove();
      });
      f.appendChild(f.content);
    } else if (f.firstElementChild && f.firstElementChild.tagName === 'TEMPLATE') {
      f.replaceChild(f.firstElementChild.content, f.firstElementChild);
    }
  });
  body.addEventListener('htmx:wsAfterMessage', function () {
    readServerClock();
    checkControl();
    checkShell();
    tick();
  });

  // A live admin table (data-refresh = its fragment URL) refreshes itself every 2 s,
  // except while the operator is using it (focus inside, a confirmation open).
  var refreshed = document.querySelector('[data-refresh]');
  if (refreshed) {
    var refreshing = false;
    setInterval(function () {
      if (refreshing || refreshed.contains(document.activeElement) || refreshed.querySelector('details[open]')) return;
      refreshing = true;
      fetch(refreshed.getAttribute('data-refresh'), { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
        if (!r.ok) throw new Error('refresh answered ' + r.status);
        return r.text();
      }).then(function (html) {
        if (!refreshed.contains(document.activeElement) && !refreshed.querySelector('details[open]')) {
          refreshed.innerHTML = html;
          tick();
        }
      }, function () {}).then(function () { refreshing = false; });
    }, 2000);
  }

  // /pair waits for an administrator to enter its code, then opens this screen's
  // wall; an expired code makes way for a new one.
  var pairWait = body.getAttribute('data-pair-wait');
  if (pairWait) {
    var pairExpires = Number(body.getAttribute('data-pair-expires')) || 0;
    var pairPoll = function () {
      fetch('/pair/wait?t=' + encodeURIComponent(pairWait), { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
        if (r.status === 404 || Date.now() > pairExpires + 5000) {
          location.reload();
          return null;
        }
        return r.ok ? r.json() : null;
      }).then(function (res) {
        if (res && res.url) {
          location.replace(res.url);
          return;
        }
        setTimeout(pairPoll, 1000);
      }, function () { setTimeout(pairPoll, 3000); });
    };
    setTimeout(pairPoll, 1000);
  }

  // The time-travel scrubber: letting go of it opens the board at that moment.
  var scrubber = document.getElementById('scrubber');
  if (scrubber) {
    scrubber.addEventListener('change', function () {
      var base = scrubber.getAttribute('data-base') || location.pathname;
      var at = new Date(Number(scrubber.value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      location.assign(base + (base.indexOf('?') < 0 ? '?' : '&') + 'at=' + encodeURIComponent(at));
    });
  }

  // The wall is laid out by the server for its screen's size class (data-size):
  // report ours once with ?size= (one reload), and again if the screen changes.
  function sizeClass() {
    var w = window.innerWidth, h = window.innerHeight;
    if (h > w) return 'portrait';
    if (w >= 2560) return 'uhd';
    if (w >= 1600) return 'hd';
    return 'sd';
  }
  function checkSize() {
    var want = sizeClass();
    if (!body.hasAttribute('data-size') || body.getAttribute('data-size') === want) return;
    var u = new URL(location.href);
    u.searchParams.set('size', want);
    location.replace(u.toString());
  }
  var resizeTimer = 0;
  if (body.hasAttribute('data-size')) {
    checkSize();
    window.addEventListener('resize', function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(checkSize, 1500);
    });
  }

  readServerClock();
  tick();
  setInterval(tick, 1000);
})();
