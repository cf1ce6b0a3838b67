// ccdash alerts. Two jobs, both about the alert banner (#tile-alerts), which the
// server pushes like any other tile:
// - acknowledge forms (and the announcement list's withdraw forms, marked data-csrf)
//   get the session's CSRF token at submit (those tiles are shared by every viewer of
//   a board variant, so the server cannot write a token into them);
// - while the banner says an unacknowledged alert should sound (data-sound), the page
//   plays a short tone made with Web Audio (no sound file) at once and then every
//   data-sound-every ms, until the alert is acknowledged or cleared. A new alert
//   (data-sound-key changes) sounds at once. A screen whose browser blocks audio
//   without a gesture shows a one-time "Tap to enable sound" button; kiosks should
//   start Chromium with --autoplay-policy=no-user-gesture-required instead.
// Each tone played is counted on <body data-alert-tones>. One timer, one listener.
(function () {
  'use strict';

  var body = document.body;

  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (!f.classList || !(f.classList.contains('alert-ack') || f.hasAttribute('data-csrf'))) return;
    var src = document.getElementById('csrf');
    if (!src) return;
    var input = f.querySelector('input[name="csrf_token"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'csrf_token';
      f.appendChild(input);
    }
    input.value = src.getAttribute('data-token');
  }, true);

  var ac = null;
  var tones = 0;
  var lastKey = '';
  var lastTone = 0;
  var offered = false; // the enable button is offered once per page

  function context() {
    if (ac) return ac;
    var AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    try { ac = new AC(); } catch (e) { ac = null; }
    return ac;
  }

  // tone plays about 0.6 s: two short beeps, higher for critical alerts.
  function tone(level) {
    var c = context();
    if (!c) return false;
    if (c.state !== 'running') {
      if (c.resume) c.resume().catch(function () {});
      offer();
      return false;
    }
    var f = level === 'crit' ? 880 : 660;
    var t = c.currentTime + 0.02;
    for (var i = 0; i < 2; i++) {
      var osc = c.createOscillator();
      var gain = c.createGain();
      osc.type = 'sine';
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
      osc.connect(gain);
      gain.connect(c.destination);
      osc.start(t);
      osc.stop(t + 0.26);
      t += 0.32;
    }
    tones++;
    body.setAttribute('data-alert-tones', String(tones));
    return true;
  }

  function offer() {
    if (offered) return;
    offered = true;
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'sound-enable';
    b.setAttribute('data-testid', 'sound-enable');
    b.textContent = 'Tap to enable sound';
    b.addEventListener('click', function () {
      var c = context();
      if (c && c.resume) c.resume().catch(function () {});
      b.remove();
      lastTone = 0; // sound at the next check
    });
    body.appendChild(b);
  }

  function check() {
    var tile = document.getElementById('tile-alerts');
    var level = tile ? tile.getAttribute('data-sound') : '';
    if (!level) {
      lastKey = '';
      return;
    }
    var key = tile.getAttribute('data-sound-key') || '';
    var every = Number(tile.getAttribute('data-sound-every')) || 60000;
    var now = Date.now();
    if (key !== lastKey || now - lastTone >= every) {
      lastKey = key;
      if (tone(level)) lastTone = now;
    }
  }

  body.addEventListener('htmx:wsAfterMessage', check);
  check();
  setInterval(check, 1000);
})();
