// The wall audit the browser tests run in the page: everything a person at 5 m needs,
// measured from computed styles. It returns a list of problems (empty = pass) and a
// few counts. Evaluated as an expression: (function(){...})().
(function () {
  'use strict';
  var problems = [];
  var vw = window.innerWidth, vh = window.innerHeight;
  function bad(msg) { if (problems.length < 40) problems.push(msg); }
  function name(el) {
    var s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.className && typeof el.className === 'string') s += '.' + el.className.trim().split(/\s+/).join('.');
    return s;
  }
  function visible(el) {
    for (var e = el; e && e !== document.documentElement; e = e.parentElement) {
      var cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden') return false;
    }
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }
  function parse(c) {
    var m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    var p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }
  function over(top, under) {
    var a = top.a;
    return { r: top.r * a + under.r * (1 - a), g: top.g * a + under.g * (1 - a), b: top.b * a + under.b * (1 - a), a: 1 };
  }
  // The effective background: the element's and its ancestors' background colours
  // composited from the page background up. A background image (gradient) is a
  // problem of its own: its colour cannot be known here.
  function background(el) {
    var layers = [];
    for (var e = el; e; e = e.parentElement) {
      var cs = getComputedStyle(e);
      if (cs.backgroundImage && cs.backgroundImage !== 'none') bad('background image behind text: ' + name(e));
      var c = parse(cs.backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    var out = { r: 255, g: 255, b: 255, a: 1 };
    for (var i = layers.length - 1; i >= 0; i--) out = over(layers[i], out);
    return out;
  }
  function lum(c) {
    function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  }
  function contrast(a, b) {
    var l1 = lum(a), l2 = lum(b);
    return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  }
  function opacity(el) {
    var o = 1;
    for (var e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  }

  // 1. No scrolling, anywhere.
  var de = document.documentElement;
  if (de.scrollHeight > vh + 1 || de.scrollWidth > vw + 1) bad('page scrolls: ' + de.scrollWidth + 'x' + de.scrollHeight + ' in ' + vw + 'x' + vh);
  document.querySelectorAll('body *').forEach(function (el) {
    var cs = getComputedStyle(el);
    if (/(auto|scroll)/.test(cs.overflowY + cs.overflowX) && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) bad('scrollbar on ' + name(el));
  });

  // 2. Sizes and contrast of every visible text node.
  var texts = 0, figures = 0;
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (var n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim()) continue;
    var el = n.parentElement;
    if (!visible(el) || el.closest('#conn, #srv-clock')) continue;
    texts++;
    var cs = getComputedStyle(el);
    var px = parseFloat(cs.fontSize);
    var isFig = !!el.closest('.fv, .counts b');
    if (isFig) figures++;
    var min = isFig ? 28 : 14;
    if (px < min - 0.01) bad((isFig ? 'figure' : 'label') + ' ' + px.toFixed(1) + 'px < ' + min + 'px: ' + name(el) + ' "' + n.nodeValue.trim().slice(0, 30) + '"');
    var fg = parse(cs.color);
    if (fg) {
      var bg = background(el);
      fg.a *= opacity(el);
      var ratio = contrast(over(fg, bg), bg);
      if (ratio < 4.5) bad('contrast ' + ratio.toFixed(2) + ':1 < 4.5:1: ' + name(el) + ' "' + n.nodeValue.trim().slice(0, 30) + '"');
    }
    // Text inside the viewport, not cut by its tile.
    var r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.bottom > vh + 1 || r.left < -1 || r.top < -1) bad('text outside the screen: ' + name(el));
    var tile = el.closest('.tile');
    if (tile) {
      var tr = tile.getBoundingClientRect();
      if (r.bottom > tr.bottom + 1 || r.right > tr.right + 1) bad('text cut by its tile: ' + name(el) + ' "' + n.nodeValue.trim().slice(0, 30) + '" in ' + name(tile));
    }
  }

  // 3. Skill names whole: never an ellipsis, never clipped.
  var skills = document.querySelectorAll('.t-skill');
  skills.forEach(function (t) {
    var h = t.querySelector('h3');
    if (!visible(t)) { bad('skill tile rendered but not visible: ' + name(t)); return; }
    var cs = getComputedStyle(h);
    if (cs.textOverflow === 'ellipsis' && h.scrollWidth > h.clientWidth + 1) bad('skill name cut: "' + h.textContent + '"');
    if (h.scrollHeight > h.clientHeight + 1 || h.scrollWidth > h.clientWidth + 1) bad('skill name overflows: "' + h.textContent + '"');
    var lines = Math.round(h.getBoundingClientRect().height / parseFloat(cs.lineHeight));
    if (lines > 2) bad('skill name on ' + lines + ' lines: "' + h.textContent + '"');
  });

  // 4. Figures: breaching ones show glyph and word; none runs into its neighbour.
  var breaching = 0;
  document.querySelectorAll('.fig').forEach(function (f) {
    if (!visible(f)) return;
    var v = f.querySelector('.fv');
    if (v && v.scrollWidth > v.clientWidth + 1) bad('figure value overflows: ' + name(f) + ' "' + v.textContent + '"');
    if (f.classList.contains('lvl-warn') || f.classList.contains('lvl-crit')) {
      breaching++;
      var w = f.querySelector('.fw');
      var want = f.classList.contains('lvl-crit') ? '◆ CRIT' : '▲ WARN';
      if (!w || !visible(w) || w.textContent.trim() !== want) bad('breaching figure without "' + want + '": ' + name(f));
    }
  });
  document.querySelectorAll('.ch, .t-queue .figs, .grp .figs').forEach(function (row) {
    var figs = Array.prototype.filter.call(row.querySelectorAll('.fig'), visible);
    for (var i = 0; i < figs.length; i++) {
      var a = figs[i].getBoundingClientRect();
      for (var j = i + 1; j < figs.length; j++) {
        var b = figs[j].getBoundingClientRect();
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) bad('figures overlap: ' + name(figs[i]) + ' and ' + name(figs[j]));
      }
    }
  });
  var rows = document.querySelectorAll('#tile-agents tbody tr').length;
  var more = document.querySelector('[data-testid="skills-more"]');
  return JSON.stringify({
    problems: problems, texts: texts, figures: figures, skills: skills.length, breaching: breaching,
    agentRows: rows, more: more ? more.textContent : '', size: document.body.getAttribute('data-size'),
  });
})()
