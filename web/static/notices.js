// ccdash announcements on the wall. A band (#tile-urgent, #tile-ticker) holds one or
// more announcements, and shows one at a time: every 8 s the next one takes its place.
// A static rotation rather than a scrolling marquee, so a text can be read whole from
// across the room, and nothing moves (prefers-reduced-motion asks for nothing less):
// the swap is instant, and the server sizes each band for its longest text, so the
// tiles never move as they rotate. The server re-sends a band when its announcements
// change; the rotation just continues over the new content. One timer.
(function () {
  'use strict';

  var every = 8000;

  function rotate(band) {
    var items = band.querySelectorAll('.ann');
    if (items.length < 2) return;
    var shown = -1;
    for (var i = 0; i < items.length; i++) {
      if (!items[i].hidden) { shown = i; break; }
    }
    var next = (shown + 1) % items.length;
    for (var j = 0; j < items.length; j++) items[j].hidden = j !== next;
  }

  setInterval(function () {
    var bands = document.querySelectorAll('.t-notices');
    for (var i = 0; i < bands.length; i++) rotate(bands[i]);
  }, every);
})();
